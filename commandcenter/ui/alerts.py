"""告警: the live alert list, newest first, with severity colours and filters."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QTableView, QVBoxLayout, QWidget

from commandcenter.domain import contract
from commandcenter.domain.freshness import describe_age
from commandcenter.domain.geography import county_name
from commandcenter.ui.bridge import BackgroundReader, StoreBridge
from commandcenter.ui.style import SEVERITY_COLOURS
from commandcenter.ui.tables import RECORD_ROLE, SORT_ROLE, Column, RecordTableModel, refilter

ALERTS_SHOWN = 2000


def _local(dt: datetime | None) -> str:
    return dt.astimezone().strftime("%m-%d %H:%M:%S") if dt else ""


def columns(points: dict[str, object]) -> list[Column]:
    def point_name(alert) -> str:
        point = points.get(alert.point_id or "")
        return getattr(point, "name", alert.point_id or "")

    def county(alert) -> str:
        point = points.get(alert.point_id or "")
        return county_name(point.org_code[:6]) if point else ""

    return [
        Column("级别", lambda a: contract.label(contract.SEVERITY_LABELS, a.severity), sort_key=lambda a: a.severity,
               colour=lambda a: SEVERITY_COLOURS.get(a.severity)),
        Column("类型", lambda a: contract.label(contract.ALERT_TYPE_LABELS, a.type)),
        Column("标题", lambda a: a.title),
        Column("点位", point_name),
        Column("区县", county),
        Column("发生时间", lambda a: _local(a.occurred_at), sort_key=lambda a: a.occurred_at.timestamp()),
        Column("已过", lambda a: describe_age((datetime.now(UTC) - a.occurred_at).total_seconds()),
               sort_key=lambda a: -a.occurred_at.timestamp()),
        Column("状态", lambda a: contract.label(contract.ALERT_STATUS_LABELS, a.status),
               colour=lambda a: "#f85149" if a.status == "new" else None),
        Column("确认人", lambda a: a.ack_by or ""),
    ]


class AlertFilter(QSortFilterProxyModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.status = "open"
        self.max_severity = 4
        self.setSortRole(SORT_ROLE)

    def filterAcceptsRow(self, row: int, parent) -> bool:  # noqa: N802 - Qt's name
        alert = self.sourceModel().index(row, 0, parent).data(RECORD_ROLE)
        if alert is None or alert.severity > self.max_severity:
            return False
        if self.status == "open":
            return alert.status != "closed"
        return not self.status or alert.status == self.status


class AlertsPanel(QWidget):
    def __init__(self, bridge: StoreBridge, reader: BackgroundReader, parent=None):
        super().__init__(parent)
        self.setObjectName("alerts")
        self._bridge = bridge
        self._reader = reader
        self.model = RecordTableModel(columns({}), self)
        self.proxy = AlertFilter(self)
        self.proxy.setSourceModel(self.model)

        self.status = QComboBox()
        for text, value in (("未关闭", "open"), ("未确认", "new"), ("已确认", "acked"), ("已关闭", "closed"), ("全部", "")):
            self.status.addItem(text, value)
        self.status.currentIndexChanged.connect(self._refilter)
        self.severity = QComboBox()
        for text, value in (("全部级别", 4), ("一般及以上", 3), ("紧急及以上", 2), ("仅特急", 1)):
            self.severity.addItem(text, value)
        self.severity.currentIndexChanged.connect(self._refilter)
        self.count = QLabel()
        bar = QHBoxLayout()
        bar.addWidget(self.status)
        bar.addWidget(self.severity)
        bar.addStretch(1)
        bar.addWidget(self.count)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(5, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setResizeContentsPrecision(200)
        self._sized = False
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table)
        bridge.changed.connect(self._on_change)
        self.reload()

    def _refilter(self, *_args) -> None:
        def change() -> None:
            self.proxy.status = self.status.currentData()
            self.proxy.max_severity = self.severity.currentData()

        refilter(self.proxy, change)
        self._update_count()

    def _on_change(self, kind: str) -> None:
        if kind in ("alerts", "service_points"):
            self.reload()

    def reload(self) -> None:
        store = self._bridge.store

        def read():
            alerts = store.alerts(limit=ALERTS_SHOWN)
            points = {p.point_id: p for p in store.service_points(include_deleted=True)}
            return alerts, points

        self._reader.read("alerts", read, self._show)

    def _show(self, result) -> None:
        alerts, points = result
        self.model.columns = columns(points)
        self.model.set_records(alerts)
        if alerts and not self._sized:
            self.table.resizeColumnsToContents()
            self._sized = True
        self._update_count()

    def _update_count(self) -> None:
        open_critical = sum(1 for a in self.model.records if a.status == "new" and a.severity <= 2)
        self.count.setText(f"显示 {self.proxy.rowCount()} 条 · 未确认紧急告警 {open_critical} 条")
