"""Remote supervision: the inspections recorded at the data center, the rectifications
they ask for (due and overdue), and the checklist templates inspectors work from."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from commandcenter.ui.i18n import tr
from commandcenter.ui.panel import Console, Panel
from commandcenter.ui.tables import Column, RecordTable, RecordTableModel, build_rows

OVERDUE = "#f85149"


def columns(points: dict, today: date) -> list[Column]:

    def due(inspection) -> str:
        if inspection.rectification_due is None:
            return ""
        return inspection.rectification_due.isoformat()

    def score(inspection) -> int | None:
        scores = [r.score for r in inspection.results if r.score is not None]
        return sum(scores) if scores else None

    def failed(inspection) -> int:
        return sum(1 for r in inspection.results if r.passed is False)

    return [
        Column(tr("Service point"), lambda i: getattr(points.get(i.point_id), "name", i.point_id)),
        Column(tr("Inspector"), lambda i: i.inspector),
        Column(tr("Finished"), lambda i: i.finished_at.astimezone().strftime("%Y-%m-%d %H:%M") if i.finished_at else "",
               sort_key=lambda i: i.finished_at.timestamp() if i.finished_at else None),
        Column(tr("Score"), score, sort_key=score),
        Column(tr("Failed items"), failed, sort_key=failed,
               colour=lambda i: OVERDUE if failed(i) else None),
        Column(tr("Rectify by"), due, colour=lambda i: OVERDUE if i.rectification_due and
               i.rectification_due < today else None),
        Column(tr("Findings"), lambda i: i.findings.replace("\n", " ")),
    ]


class SupervisionPanel(Panel):
    reload_on = ("inspections", "inspection_templates", "service_points")
    feeds = ("inspections", "inspection_templates")

    def __init__(self, console: Console, parent=None):
        super().__init__(console, parent)
        self.setObjectName("supervision")
        self.model = RecordTableModel(columns({}, date.today()), self)
        self.show_which = QComboBox()
        for text, value in ((self.tr("All inspections"), "all"), (self.tr("Rectification due"), "due"),
                            (self.tr("Rectification overdue"), "overdue")):
            self.show_which.addItem(text, value)
        self.show_which.currentIndexChanged.connect(self._refilter)
        self.count = QLabel()
        bar = QHBoxLayout()
        bar.addWidget(self.show_which)
        bar.addStretch(1)
        bar.addWidget(self.count)
        self.table = RecordTable(self.model)
        self.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
        self.templates = QTreeWidget()
        self.templates.setHeaderLabels([self.tr("Checklist templates"), self.tr("Kind"), self.tr("Required")])
        left = QWidget()
        left_layout = QHBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.templates)
        splitter.setSizes([800, 400])
        self.body.addLayout(bar)
        self.body.addWidget(splitter, 1)
        self.model.modelReset.connect(self._update_count)
        self.reload()

    def _refilter(self) -> None:
        which, today = self.show_which.currentData(), date.today()
        if which == "due":
            self.model.set_filter(lambda i: i.rectification_due is not None and i.rectification_due >= today)
        elif which == "overdue":
            self.model.set_filter(lambda i: i.rectification_due is not None and i.rectification_due < today)
        else:
            self.model.set_filter(None)

    def read(self):
        store = self.console.store
        points = self.console.snapshots.points.by_key()
        table_columns = columns(points, date.today())
        rows = build_rows(table_columns, store.inspections(), record_id=lambda i: i.inspection_id)
        return rows, table_columns, store.inspection_templates()

    def show_data(self, data) -> None:
        rows, table_columns, templates = data
        self.model.set_rows(rows, table_columns)
        kinds = {"pass_fail": self.tr("pass/fail"), "score": self.tr("score"), "text": self.tr("text")}
        self.templates.clear()
        for template in templates:
            top = QTreeWidgetItem([f"{template.name} (v{template.version})"])
            for item in template.items:
                kind = kinds.get(item.kind, item.kind)
                if item.kind == "score" and item.max_score is not None:
                    kind += f" ≤ {item.max_score}"
                top.addChild(QTreeWidgetItem([item.text, kind, self.tr("yes") if item.required else ""]))
            self.templates.addTopLevelItem(top)
            top.setExpanded(True)
        self.templates.resizeColumnToContents(0)
        self._update_count()

    def _update_count(self) -> None:
        today = date.today()
        overdue = sum(1 for i in self.model.records if i.rectification_due and i.rectification_due < today)
        self.count.setText(self.tr("%1 inspections · %2 rectifications overdue")
                           .replace("%1", f"{len(self.model.records):,}").replace("%2", str(overdue)))
