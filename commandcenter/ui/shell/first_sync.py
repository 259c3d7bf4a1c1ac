"""The first sync, shown: on a store no feed has ever filled, the console would stay
empty for as long as the first full read of the data center takes (minutes at a
province's scale). A card over it says instead what is happening: which data center,
how many feeds have come in, how many records are stored so far and which feed is
failing, updated as the collector reports. It goes once every feed is in."""

from __future__ import annotations

import threading
from collections import Counter

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QRect, Qt, QTimer
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from commandcenter.domain.contract import Term
from commandcenter.feeds.mirrors import StoredFeeds
from commandcenter.store import ChangeEvent, Store
from commandcenter.ui.widgets import i18n
from commandcenter.ui.widgets.panel import feed_name

REFRESH_MS = 300
GONE_AFTER_MS = 4000  # the finished card stays this long, so that it is seen finished
# the kinds of record the feeds store, as the card counts them
RECORD_KINDS = {
    "service_points": Term("服务点位", "service points"),
    "cameras": Term("视频通道", "cameras"),
    "alerts": Term("告警", "alerts"),
    "case_stats": Term("统计", "statistics rows"),
    "orgs": Term("机构", "organisations"),
    "inspections": Term("督查记录", "inspections"),
    "inspection_templates": Term("督查模板", "inspection templates"),
}


def needs_first_sync(feeds) -> bool:
    """No feed has ever succeeded: the store is as empty as the console would look.
    Not asked of a desk reading a shared store (StoredFeeds): it knows its feeds only
    once it has read them, and another machine's collector fills that store."""
    if feeds is None or isinstance(feeds, StoredFeeds) or not getattr(feeds, "coordinators", None):
        return False
    return all(c.status.last_success_at is None for c in feeds.coordinators.values())


class RecordCounter:
    """Records stored since it started, by kind: counted from the store's change
    events (any thread), read by the card (GUI thread)."""

    def __init__(self, store: Store):
        self._counts: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._unsubscribe = store.subscribe(self._on_change)

    def _on_change(self, event: ChangeEvent) -> None:
        if event.kind in RECORD_KINDS and event.keys:
            with self._lock:
                self._counts[event.kind] += len(event.keys)

    def counts(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)

    def close(self) -> None:
        self._unsubscribe()


class FirstSyncCard(QFrame):
    """Over the window's middle while the first sync runs; Hide puts it away."""

    def __init__(self, store: Store, feeds, datacenter: str, parent: QWidget):
        super().__init__(parent)
        self.setObjectName("firstSyncCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setStyleSheet(
            "QFrame#firstSyncCard { background-color: palette(window); "
            "border: 1px solid palette(highlight); border-radius: 8px; }"
        )
        self.feeds = feeds
        self.counter = RecordCounter(store)
        self._first_read: dict[str, int] = {}
        self.finished = False
        self.title = QLabel(self.tr("First sync: reading everything from the data center"))
        self.title.setStyleSheet("font-size: 14pt; font-weight: 700;")
        hide = QPushButton(self.tr("Hide"))
        hide.clicked.connect(self.dismiss)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(hide)
        self.source = QLabel(self.tr("Data center: %1").replace("%1", datacenter))
        self.source.setTextFormat(Qt.TextFormat.PlainText)
        self.source.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, len(feeds.coordinators))
        self.bar.setTextVisible(False)
        self.feeds_line = QLabel()
        self.feeds_line.setObjectName("firstSyncFeeds")
        self.records_line = QLabel()
        self.records_line.setObjectName("firstSyncRecords")
        self.records_line.setWordWrap(True)
        explain = QLabel(
            self.tr(
                "The local store is empty, so the panels fill in as the feeds come in. "
                "The console can be used meanwhile; alerts are shown as soon as they arrive."
            )
        )
        explain.setWordWrap(True)
        explain.setStyleSheet("color: palette(placeholder-text);")
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        self.rows: dict[str, QLabel] = {}
        for n, name in enumerate(feeds.coordinators):
            grid.addWidget(QLabel(feed_name(name)), n % 5, (n // 5) * 2)
            state = QLabel()
            state.setTextFormat(Qt.TextFormat.PlainText)
            grid.addWidget(state, n % 5, (n // 5) * 2 + 1)
            self.rows[name] = state
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.addLayout(top)
        layout.addWidget(self.source)
        layout.addWidget(self.bar)
        layout.addWidget(self.feeds_line)
        layout.addWidget(self.records_line)
        layout.addLayout(grid)
        layout.addWidget(explain)
        self.setFixedWidth(min(720, max(480, parent.width() // 2)))
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.refresh)
        self._timer.start(REFRESH_MS)
        parent.installEventFilter(self)
        self.refresh()
        self._place()
        self.show()
        self.raise_()

    # -- what it says ----------------------------------------------------------------------

    def feeds_done(self) -> int:
        return sum(c.status.last_success_at is not None for c in self.feeds.coordinators.values())

    def refresh(self) -> None:
        total = len(self.feeds.coordinators)
        done = self.feeds_done()
        ready = getattr(self.feeds, "ready", None)
        starting = ready is not None and not ready.is_set() and done == 0
        if starting:
            self.bar.setRange(0, 0)  # busy: the collector is starting
            self.feeds_line.setText(self.tr("Starting the collector…"))
        else:
            self.bar.setRange(0, total)
            self.bar.setValue(done)
            self.feeds_line.setText(
                self.tr("%1 of %2 feeds in").replace("%1", str(done)).replace("%2", str(total))
            )
        counts = self.counter.counts()
        stored = sum(counts.values())
        parts = [
            f"{i18n.label(term)} {counts[kind]:,}"
            for kind, term in RECORD_KINDS.items()
            if counts.get(kind)
        ]
        self.records_line.setText(
            self.tr("%1 records stored (%2)")
            .replace("%1", f"{stored:,}")
            .replace("%2", " · ".join(parts))
            if parts
            else self.tr("%1 records stored").replace("%1", f"{stored:,}")
        )
        for name, label in self.rows.items():
            label.setText(self._feed_state(name))
        if done == total and not self.finished:
            self.finished = True
            self.title.setText(self.tr("First sync complete"))
            QTimer.singleShot(GONE_AFTER_MS, self.dismiss)
        self.adjustSize()
        self._place()

    def _feed_state(self, name: str) -> str:
        status = self.feeds.coordinators[name].status
        if status.last_success_at is not None:
            # what its first full read brought; the polls after it read only changes
            if name not in self._first_read and status.last_result is not None:
                self._first_read[name] = status.last_result.records_in
            records = self._first_read.get(name)
            if records:
                return self.tr("✓ %1 records").replace("%1", f"{records:,}")
            return self.tr("✓ in")
        if status.last_update_success is False:
            error = (status.last_error or "").splitlines()[0][:80] if status.last_error else ""
            age = ""
            if status.consecutive_failures > 1:
                age = self.tr(" (%1 tries)").replace("%1", str(status.consecutive_failures))
            return self.tr("✗ failing, tried again: %1").replace("%1", error) + age
        return self.tr("… reading")

    # -- where it sits -------------------------------------------------------------------

    def _place(self) -> None:
        parent = self.parentWidget()
        if parent is None:
            return
        # the middle of what is seen of the window: it may reach past its screen
        area = parent.rect()
        screen = parent.screen()
        if screen is not None:
            shown = parent.mapFromGlobal(screen.availableGeometry().topLeft())
            area = area.intersected(QRect(shown, screen.availableGeometry().size()))
        self.move(
            area.x() + max(0, (area.width() - self.width()) // 2),
            area.y() + max(0, (area.height() - self.height()) // 2),
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self._place()
        return False

    def dismiss(self) -> None:
        self._timer.stop()
        self.counter.close()
        parent = self.parentWidget()
        if parent is not None:
            parent.removeEventFilter(self)
        self.hide()
        self.deleteLater()


def show_first_sync(window) -> FirstSyncCard | None:
    """The card over `window` (a MainWindow) when its store has never been filled."""
    feeds = window.console.runner
    if not needs_first_sync(feeds):
        return None
    runtime = window.runtime
    datacenter = (
        QCoreApplication.translate("MainWindow", "embedded simulated data center")
        if runtime.uses_embedded
        else runtime.config.datacenter_url or ""
    )
    return FirstSyncCard(window.console.store, feeds, datacenter, window)
