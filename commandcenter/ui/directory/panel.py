"""Service-point directory: every service point, searchable and sortable, filtered by
county, type, level and status."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QLabel, QLineEdit

from commandcenter.domain import contract
from commandcenter.domain.geography import COUNTIES, county_code
from commandcenter.ui.widgets import i18n
from commandcenter.ui.widgets.flow import FlowLayout
from commandcenter.ui.widgets.i18n import tr
from commandcenter.ui.widgets.panel import Console, Panel
from commandcenter.ui.widgets.style import STATUS_COLOURS
from commandcenter.ui.widgets.tables import (
    POINT_IDS_MIME,
    Column,
    RecordTable,
    RecordTableModel,
    build_rows,
)


def county_of(point) -> str:
    return county_code(point.org_code)


def columns() -> list[Column]:

    return [
        Column(tr("Name"), lambda p: p.name),
        Column(tr("Type"), lambda p: i18n.term(contract.POINT_TYPE_LABELS, p.type)),
        Column(tr("Level"), lambda p: i18n.term(contract.LEVEL_LABELS, p.level)),
        Column(tr("County"), lambda p: i18n.place(county_of(p))),
        Column(
            tr("Status"),
            lambda p: i18n.term(contract.POINT_STATUS_LABELS, p.status),
            colour=lambda p: STATUS_COLOURS.get(p.status),
        ),
        Column(tr("On duty"), lambda p: p.staff_on_duty, sort_key=lambda p: p.staff_on_duty),
        Column(tr("Cameras"), lambda p: len(p.camera_ids), sort_key=lambda p: len(p.camera_ids)),
        Column(tr("Phone"), lambda p: p.phone),
        Column(tr("Address"), lambda p: p.address),
        Column(tr("ID"), lambda p: p.point_id),
    ]


def _search_text(point) -> str:
    return f"{point.name} {point.address} {point.point_id} {point.phone or ''}"


class DirectoryPanel(Panel):
    reload_on = ("service_points",)
    feeds = ("service_points",)
    point_activated = Signal(object)  # a ServicePoint, double-clicked or Enter

    def __init__(self, console: Console, parent=None):
        super().__init__(console, parent)
        self.setObjectName("directory")
        self.model = RecordTableModel(columns(), self)
        self._filters: dict[str, str] = {}

        self.search = QLineEdit(placeholderText=self.tr("Search name, address, ID, phone…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.model.set_search)
        self.county = self._combo(
            self.tr("All counties"), [(c.code, i18n.place(c.code)) for c in COUNTIES], "county"
        )
        self.type = self._combo(
            self.tr("All types"), self._terms(contract.POINT_TYPE_LABELS), "type"
        )
        self.level = self._combo(self.tr("All levels"), self._terms(contract.LEVEL_LABELS), "level")
        self.status = self._combo(
            self.tr("All statuses"), self._terms(contract.POINT_STATUS_LABELS), "status"
        )
        self.count = QLabel()

        filters = FlowLayout()
        filters.addWidget(self.search, 3)
        for combo in (self.county, self.type, self.level, self.status):
            filters.addWidget(combo, 1)
        filters.addWidget(self.count)

        self.table = RecordTable(self.model)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        # drag points onto video tiles
        self.model.drag_mime = POINT_IDS_MIME
        self.table.setDragEnabled(True)
        self.table.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.table.activated.connect(
            lambda index: self.point_activated.emit(self.model.record_at(index.row()))
        )
        self.body.addLayout(filters)
        self.body.addWidget(self.table)
        self.model.modelReset.connect(self._update_count)
        self.reload()

    @staticmethod
    def _terms(mapping: dict) -> list[tuple[str, str]]:
        return [(str(value), i18n.term(mapping, value)) for value in mapping]

    def _combo(self, everything: str, items, attribute: str) -> QComboBox:
        combo = QComboBox()
        combo.addItem(everything, "")
        for value, text in items:
            combo.addItem(text, value)
        combo.currentIndexChanged.connect(
            lambda _i: self._set_filter(attribute, combo.currentData())
        )
        return combo

    def _set_filter(self, attribute: str, value: str) -> None:
        self._filters[attribute] = value
        wanted = {k: v for k, v in self._filters.items() if v}
        county = wanted.pop("county", None)

        def accept(point) -> bool:
            if county and county_of(point) != county:
                return False
            return all(getattr(point, name) == value for name, value in wanted.items())

        self.model.set_filter(accept if (county or wanted) else None)

    def read(self):
        points = self.console.snapshots.points.active()
        return build_rows(
            self.model.columns, points, record_id=lambda p: p.point_id, search_text=_search_text
        )

    def show_data(self, rows) -> None:
        self.model.set_rows(rows)
        self._update_count()

    def _update_count(self) -> None:
        self.count.setText(
            self.tr("%1 of %2 points")
            .replace("%1", f"{self.model.rowCount():,}")
            .replace("%2", f"{len(self.model.records):,}")
        )
