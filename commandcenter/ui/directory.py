"""服务点位目录: every service point, searchable and sortable, filtered by county,
type, level and status."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from commandcenter.domain import contract
from commandcenter.domain.geography import CITY_CODE, CITY_NAME, COUNTIES, county_name
from commandcenter.ui.bridge import BackgroundReader, StoreBridge
from commandcenter.ui.style import STATUS_COLOURS
from commandcenter.ui.tables import RECORD_ROLE, SORT_ROLE, Column, RecordTableModel, refilter


def county_of(point) -> str:
    return point.org_code[:6]


COLUMNS = [
    Column("名称", lambda p: p.name),
    Column("类型", lambda p: contract.label(contract.POINT_TYPE_LABELS, p.type)),
    Column("层级", lambda p: contract.label(contract.LEVEL_LABELS, p.level)),
    Column("区县", lambda p: CITY_NAME if county_of(p) == CITY_CODE else county_name(county_of(p))),
    Column("状态", lambda p: contract.label(contract.POINT_STATUS_LABELS, p.status),
           colour=lambda p: STATUS_COLOURS.get(p.status)),
    Column("在岗", lambda p: p.staff_on_duty, sort_key=lambda p: p.staff_on_duty or 0),
    Column("视频", lambda p: len(p.camera_ids), sort_key=lambda p: len(p.camera_ids)),
    Column("电话", lambda p: p.phone),
    Column("地址", lambda p: p.address),
    Column("编号", lambda p: p.point_id),
]


class PointFilter(QSortFilterProxyModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.text = ""
        self.county = ""
        self.type = ""
        self.level = ""
        self.status = ""
        self.setSortRole(SORT_ROLE)

    def set(self, **values: str) -> None:
        refilter(self, lambda: [setattr(self, name, value) for name, value in values.items()])

    def filterAcceptsRow(self, row: int, parent) -> bool:  # noqa: N802 - Qt's name
        point = self.sourceModel().index(row, 0, parent).data(RECORD_ROLE)
        if point is None:
            return False
        if self.county and county_of(point) != self.county:
            return False
        if self.type and point.type != self.type:
            return False
        if self.level and point.level != self.level:
            return False
        if self.status and point.status != self.status:
            return False
        if self.text:
            haystack = f"{point.name} {point.address} {point.point_id} {point.phone}"
            return self.text.lower() in haystack.lower()
        return True


class DirectoryPanel(QWidget):
    def __init__(self, bridge: StoreBridge, reader: BackgroundReader, parent=None):
        super().__init__(parent)
        self.setObjectName("directory")
        self._bridge = bridge
        self._reader = reader
        self.model = RecordTableModel(COLUMNS, self)
        self.proxy = PointFilter(self)
        self.proxy.setSourceModel(self.model)

        self.search = QLineEdit(placeholderText="搜索名称、地址、编号、电话…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda text: self.proxy.set(text=text.strip()))
        self.county = self._combo("全部区县", [(c.code, c.name) for c in COUNTIES], "county")
        self.type = self._combo("全部类型", list(contract.POINT_TYPE_LABELS.items()), "type")
        self.level = self._combo("全部层级", list(contract.LEVEL_LABELS.items()), "level")
        self.status = self._combo("全部状态", list(contract.POINT_STATUS_LABELS.items()), "status")
        self.count = QLabel()

        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        for combo in (self.county, self.type, self.level, self.status):
            filters.addWidget(combo, 1)
        filters.addWidget(self.count)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setResizeContentsPrecision(200)
        self._sized = False

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table)

        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.rowsRemoved.connect(self._update_count)
        self.proxy.modelReset.connect(self._update_count)
        self.proxy.layoutChanged.connect(self._update_count)
        bridge.changed.connect(self._on_change)
        self.reload()

    def _combo(self, everything: str, items, attribute: str) -> QComboBox:
        combo = QComboBox()
        combo.addItem(everything, "")
        for value, text in items:
            combo.addItem(text, str(value))
        combo.currentIndexChanged.connect(lambda _i: self.proxy.set(**{attribute: combo.currentData()}))
        return combo

    def _on_change(self, kind: str) -> None:
        if kind == "service_points":
            self.reload()

    def reload(self) -> None:
        self._reader.read("directory", self._bridge.store.service_points, self._show)

    def _show(self, points) -> None:
        self.model.set_records(points)
        if points and not self._sized:
            self.table.resizeColumnsToContents()
            self._sized = True
        self._update_count()

    def _update_count(self, *args) -> None:
        self.count.setText(f"{self.proxy.rowCount()} / {self.model.rowCount()} 个点位")
