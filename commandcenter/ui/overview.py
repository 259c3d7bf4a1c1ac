"""综合概览: today's figures from the dashboard summary, with the data's age."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from commandcenter.domain import contract
from commandcenter.domain.freshness import describe_age
from commandcenter.ui.bridge import BackgroundReader, StoreBridge

STALE_AFTER_S = 180  # the summary changes about once a minute (contract §3.8)


class Tile(QFrame):
    def __init__(self, title: str, parent=None):
        super().__init__(parent)
        self.setObjectName("kpiTile")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel(title)
        self.value = QLabel("—")
        self.value.setObjectName("kpiValue")
        self.detail = QLabel("")
        self.detail.setObjectName("kpiDetail")
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.value)
        layout.addWidget(self.detail)

    def show_value(self, value: str, detail: str = "", colour: str | None = None) -> None:
        self.value.setText(value)
        self.detail.setText(detail)
        self.value.setStyleSheet(f"color: {colour};" if colour else "")


class OverviewPanel(QWidget):
    def __init__(self, bridge: StoreBridge, reader: BackgroundReader, parent=None):
        super().__init__(parent)
        self.setObjectName("overview")
        self._bridge = bridge
        self._reader = reader
        self.as_of = QLabel("等待数据中心的综合概览…")
        self.as_of.setAlignment(Qt.AlignmentFlag.AlignRight)
        grid = QGridLayout()
        self.tiles: dict[str, Tile] = {}
        names = [(c.value, contract.CASE_CATEGORY_LABELS[c]) for c in contract.CaseCategory]
        names += [("points", "服务点位在线"), ("hotline", "12348 热线"), ("correction", "社区矫正")]
        for n, (key, title) in enumerate(names):
            tile = Tile(title)
            self.tiles[key] = tile
            grid.addWidget(tile, n // 4, n % 4)
        layout = QVBoxLayout(self)
        layout.addWidget(self.as_of)
        layout.addLayout(grid)
        layout.addStretch(1)
        bridge.changed.connect(lambda kind: kind == "dashboard" and self.reload())
        self.reload()

    def reload(self) -> None:
        self._reader.read("overview", self._bridge.store.latest_dashboard_summary, self.show_summary)

    def show_summary(self, summary) -> None:
        if summary is None:
            return
        age = (datetime.now(UTC) - summary.as_of).total_seconds()
        stale = age > STALE_AFTER_S
        self.as_of.setText(
            f"数据时间 {summary.as_of.astimezone():%Y-%m-%d %H:%M}（{describe_age(age)}）"
            + (" · 数据已滞后，请查看数据源健康" if stale else "")
        )
        self.as_of.setStyleSheet("color: #d29922;" if stale else "")
        for category in contract.CaseCategory:
            today = summary.today.get(category.value, {})
            self.tiles[category.value].show_value(
                f"{today.get('received', 0):,}", f"今日受理 · 办结 {today.get('closed', 0):,} · 在办 {today.get('pending', 0):,}")
        points = summary.points
        total = sum(points.values()) or 1
        online = points.get("online", 0)
        self.tiles["points"].show_value(
            f"{online:,}", f"离线 {points.get('offline', 0)} · 告警 {points.get('alarm', 0)} · 在线率 {online / total:.1%}",
            "#3fb950" if online / total > 0.95 else "#d29922")
        hotline = summary.hotline
        waiting = int(hotline.get("callsWaiting", 0))
        self.tiles["hotline"].show_value(
            f"{waiting} 排队", f"坐席在线 {hotline.get('agentsOnline', 0)} · 平均等待 {hotline.get('avgWaitSeconds', 0):.0f} 秒",
            "#f85149" if waiting >= 15 else None)
        correction = summary.correction
        self.tiles["correction"].show_value(
            f"{correction.get('underCorrection', 0):,}",
            f"在矫 · 电子监管 {correction.get('electronicMonitoring', 0):,} · 未处置告警 {correction.get('alertsOpen', 0)}")
