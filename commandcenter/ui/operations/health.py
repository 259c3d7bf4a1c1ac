"""Feed health: each feed's freshness, recent polls and the quarantined records; and
the status-bar lamps that show the same at a glance."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication, QSize, Qt, QTimer
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from commandcenter.domain import bureau_time
from commandcenter.domain.freshness import FRESHNESS_LABELS
from commandcenter.domain.thresholds import Level
from commandcenter.domain.transport import PLAIN_HTTP, transport_risk
from commandcenter.ui.widgets import i18n
from commandcenter.ui.widgets.panel import Console, Panel, feed_name
from commandcenter.ui.widgets.style import FRESHNESS_COLOURS, LEVEL_COLOURS
from commandcenter.ui.widgets.tables import Column, RecordTable, RecordTableModel, build_rows
from commandcenter.ui.widgets.text import escape, literal


def _lamp_text(status, now: datetime) -> tuple[str, str]:
    reading = status.freshness(now)
    return i18n.label(FRESHNESS_LABELS[reading.state]), FRESHNESS_COLOURS[reading.state]


class FeedLamp(QLabel):
    """● name, coloured by freshness; state, age and the last error on hover. Short of
    room the name shortens, down to the lamp alone: twelve feeds' names side by side
    were wider than a 1366 px status bar."""

    def __init__(self, coordinator, parent=None):
        super().__init__(parent)
        self.coordinator = coordinator
        self._shown = ("", "")
        self.setObjectName(f"lamp-{coordinator.name}")
        self.refresh(datetime.now(UTC))

    def refresh(self, now: datetime) -> None:
        status = self.coordinator.status
        reading = status.freshness(now)
        state, colour = _lamp_text(status, now)
        self.state = reading.state
        name = feed_name(status.name)
        self._shown = (colour, name)
        self._render()
        tip = (
            self.tr("%1: %2, data %3")
            .replace("%1", name)
            .replace("%2", state)
            .replace("%3", i18n.age(reading.age_s))
        )
        if status.last_error:
            tip += "\n" + self.tr("Last error: %1").replace("%1", status.last_error)
        self.setToolTip(literal(tip))  # the last error holds the data center's words

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        metrics = self.fontMetrics()
        return QSize(
            metrics.horizontalAdvance(f"● {self._shown[1]}") + 6, super().sizeHint().height()
        )

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(self.fontMetrics().horizontalAdvance("● ") + 4, super().sizeHint().height())

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._render()

    def _render(self) -> None:
        colour, name = self._shown
        metrics = self.fontMetrics()
        room = self.width() - metrics.horizontalAdvance("● ") - 4
        shown = metrics.elidedText(name, Qt.TextElideMode.ElideRight, room) if room > 0 else ""
        if shown == "…":
            shown = ""
        self.setText(f"<span style='color:{colour}'>●</span> {escape(shown)}")


class FeedHealthPanel(Panel):
    reload_on = ("feed_health", "quarantine")

    def __init__(self, console: Console, parent=None):
        super().__init__(console, parent)
        self.setObjectName("health")
        self.feeds_model = RecordTableModel(
            [
                Column(self.tr("Feed"), lambda c: feed_name(c.name)),
                Column(
                    self.tr("State"),
                    lambda c: _lamp_text(c.status, datetime.now(UTC))[0],
                    live=True,
                ),
                Column(
                    self.tr("Data age"), lambda c: i18n.age(c.status.freshness().age_s), live=True
                ),
                Column(self.tr("Interval"), lambda c: f"{c.status.interval_s:g} s"),
                Column(
                    self.tr("Failures in a row"), lambda c: c.status.consecutive_failures, live=True
                ),
                Column(self.tr("Last error"), lambda c: c.status.last_error or "", live=True),
            ],
            self,
        )
        self.history = RecordTableModel(
            [
                Column(
                    self.tr("Time"),
                    lambda s: bureau_time.bureau_text(s.started_at, "%H:%M:%S"),
                    sort_key=lambda s: s.started_at.timestamp(),
                ),
                Column(self.tr("Feed"), lambda s: feed_name(s.feed)),
                Column(
                    self.tr("Result"),
                    lambda s: (
                        (self.tr("not modified") if s.not_modified else self.tr("ok"))
                        if s.up
                        else self.tr("failed")
                    ),
                    colour=lambda s: None if s.up else "#f85149",
                ),
                Column(
                    self.tr("Duration"),
                    lambda s: f"{s.duration_s * 1000:.0f} ms",
                    sort_key=lambda s: s.duration_s,
                ),
                Column(self.tr("Records"), lambda s: s.records_in, sort_key=lambda s: s.records_in),
                Column(
                    self.tr("Rejected"),
                    lambda s: s.records_rejected,
                    sort_key=lambda s: s.records_rejected,
                ),
                Column(self.tr("Error"), lambda s: s.error or ""),
            ],
            self,
        )
        self.quarantine = RecordTableModel(
            [
                Column(self.tr("Feed"), lambda q: feed_name(q.feed)),
                Column(self.tr("Record"), lambda q: q.record_id or self.tr("(no id)")),
                Column(self.tr("Reason"), lambda q: q.reason),
                Column(self.tr("Times"), lambda q: q.times_seen, sort_key=lambda q: q.times_seen),
                Column(
                    self.tr("Last seen"),
                    lambda q: i18n.moment(q.last_seen),
                    sort_key=lambda q: q.last_seen.timestamp(),
                ),
            ],
            self,
        )
        splitter = QSplitter(Qt.Orientation.Vertical)
        for title, model in (
            (self.tr("Feeds"), self.feeds_model),
            (self.tr("Recent polls"), self.history),
            (self.tr("Quarantined records (break the interface contract)"), self.quarantine),
        ):
            box = QWidget()
            box_layout = QVBoxLayout(box)
            box_layout.setContentsMargins(0, 0, 0, 0)
            box_layout.addWidget(QLabel(title))
            table = RecordTable(model)
            table.setSortingEnabled(model is not self.feeds_model)
            if model is not self.feeds_model:
                table.sortByColumn(
                    len(model.columns) - 1 if model is self.quarantine else 0,
                    Qt.SortOrder.DescendingOrder,
                )  # newest first
            box_layout.addWidget(table)
            splitter.addWidget(box)
        self.body.addWidget(splitter)
        runner = console.runner
        coordinators = list(runner.coordinators.values()) if runner else []
        self.feeds_model.set_rows(
            build_rows(self.feeds_model.columns, coordinators, record_id=lambda c: c.name)
        )
        self._ticker = QTimer(self)
        self._ticker.timeout.connect(self.feeds_model.refresh_live)
        self._ticker.start(1000)
        self.reload()

    def read(self):
        store = self.console.store
        samples, rejections = store.feed_health(limit=200), store.rejections(limit=1000)
        return (
            build_rows(self.history.columns, samples, record_id=lambda s: (s.feed, s.started_at)),
            build_rows(self.quarantine.columns, rejections, record_id=lambda q: q.id),
        )

    def show_data(self, data) -> None:
        samples, rejections = data
        self.history.set_rows(samples)
        self.quarantine.set_rows(rejections)


def transport_warning(config) -> QLabel | None:
    """For the status bar: the data center is reached over plain HTTP, or TLS without
    its certificate checked, from beyond this machine; None when it is not."""
    risk = transport_risk(config.datacenter_url, config.verify_tls)
    if risk is None:
        return None
    if risk == PLAIN_HTTP:
        text = QCoreApplication.translate("FeedLamp", "⚠ Unencrypted (http://)")
        tip = QCoreApplication.translate(
            "FeedLamp",
            "The data center is reached over plain http://: what it sends (names, alerts, "
            "camera addresses) crosses the network unencrypted and can be changed on the way. "
            "Ask for its https:// address.",
        )
    else:
        text = QCoreApplication.translate("FeedLamp", "⚠ Certificate not checked")
        tip = QCoreApplication.translate(
            "FeedLamp",
            "The data center's TLS certificate is not checked (verify_tls = false): anyone on "
            "the network between can pose as it. Set [datacenter] ca_bundle to the intranet's "
            "CA instead.",
        )
    label = QLabel(text)
    label.setObjectName("transportWarning")
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setStyleSheet(f"color: {LEVEL_COLOURS[Level.WARN]}; font-weight: 600;")
    label.setToolTip(tip)
    return label
