"""数据源健康: each feed's freshness, recent polls and the quarantined records; and
the status-bar lamps that show the same at a glance."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QSplitter, QTableView, QVBoxLayout, QWidget

from commandcenter.domain.freshness import FRESHNESS_LABELS, describe_age
from commandcenter.feeds.catalog import FEED_LABELS
from commandcenter.ui.bridge import BackgroundReader, StoreBridge
from commandcenter.ui.style import FRESHNESS_COLOURS
from commandcenter.ui.tables import Column, RecordTableModel


def _lamp_text(status, now: datetime) -> tuple[str, str]:
    reading = status.freshness(now)
    return FRESHNESS_LABELS[reading.state], FRESHNESS_COLOURS[reading.state]


class FeedLamp(QLabel):
    """● name state, coloured by freshness; the last error on hover."""

    def __init__(self, coordinator, parent=None):
        super().__init__(parent)
        self.coordinator = coordinator
        self.setObjectName(f"lamp-{coordinator.name}")
        self.refresh(datetime.now(UTC))

    def refresh(self, now: datetime) -> None:
        status = self.coordinator.status
        reading = status.freshness(now)
        state, colour = _lamp_text(status, now)
        self.state = reading.state
        name = FEED_LABELS.get(status.name, status.name)
        self.setText(f"<span style='color:{colour}'>●</span> {name}")
        tip = f"{name}：{state}，数据 {describe_age(reading.age_s)}"
        if status.last_error:
            tip += f"\n最近错误：{status.last_error}"
        self.setToolTip(tip)


class FeedHealthPanel(QWidget):
    def __init__(self, runner, bridge: StoreBridge, reader: BackgroundReader, parent=None):
        super().__init__(parent)
        self.setObjectName("health")
        self._runner = runner
        self._bridge = bridge
        self._reader = reader
        self.feeds = RecordTableModel([
            Column("数据源", lambda c: FEED_LABELS.get(c.name, c.name)),
            Column("状态", lambda c: _lamp_text(c.status, datetime.now(UTC))[0],
                   colour=lambda c: _lamp_text(c.status, datetime.now(UTC))[1]),
            Column("数据年龄", lambda c: describe_age(c.status.freshness().age_s)),
            Column("轮询间隔", lambda c: f"{c.feed.interval_s:g} 秒"),
            Column("连续失败", lambda c: c.status.consecutive_failures),
            Column("最近错误", lambda c: c.status.last_error or ""),
        ], self)
        self.history = RecordTableModel([
            Column("时间", lambda s: s.started_at.astimezone().strftime("%H:%M:%S")),
            Column("数据源", lambda s: FEED_LABELS.get(s.feed, s.feed)),
            Column("结果", lambda s: ("未变化" if s.not_modified else "成功") if s.up else "失败",
                   colour=lambda s: None if s.up else "#f85149"),
            Column("耗时", lambda s: f"{s.duration_s * 1000:.0f} ms"),
            Column("记录", lambda s: s.records_in),
            Column("拒收", lambda s: s.records_rejected),
            Column("错误", lambda s: s.error or ""),
        ], self)
        self.quarantine = RecordTableModel([
            Column("数据源", lambda q: FEED_LABELS.get(q.feed, q.feed)),
            Column("记录编号", lambda q: q.record_id or "（无编号）"),
            Column("原因", lambda q: q.reason),
            Column("次数", lambda q: q.times_seen),
            Column("最近", lambda q: q.last_seen.astimezone().strftime("%m-%d %H:%M:%S")),
        ], self)
        splitter = QSplitter(Qt.Orientation.Vertical)
        for title, model in (("各数据源", self.feeds), ("最近轮询", self.history), ("隔离的记录（违反接口约定）", self.quarantine)):
            box = QWidget()
            box_layout = QVBoxLayout(box)
            box_layout.setContentsMargins(0, 0, 0, 0)
            box_layout.addWidget(QLabel(title))
            view = QTableView()
            view.setModel(model)
            view.verticalHeader().setVisible(False)
            view.horizontalHeader().setStretchLastSection(True)
            box_layout.addWidget(view)
            splitter.addWidget(box)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.feeds.set_records(list(runner.coordinators.values()) if runner else [])
        self._ticker = QTimer(self)
        self._ticker.timeout.connect(self._tick)
        self._ticker.start(1000)
        bridge.changed.connect(self._on_change)
        self.reload()

    def _tick(self) -> None:
        if self.feeds.rowCount():
            self.feeds.dataChanged.emit(self.feeds.index(0, 0),
                                        self.feeds.index(self.feeds.rowCount() - 1, self.feeds.columnCount() - 1))

    def _on_change(self, kind: str) -> None:
        if kind in ("feed_health", "quarantine"):
            self.reload()

    def reload(self) -> None:
        store = self._bridge.store
        self._reader.read("health", lambda: (store.feed_health(limit=200), store.rejections(limit=1000)),
                          self._show)

    def _show(self, result) -> None:
        samples, rejections = result
        self.history.set_records(samples)
        self.quarantine.set_records(rejections)
