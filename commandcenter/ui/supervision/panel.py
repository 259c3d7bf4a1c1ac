"""Remote supervision (远程督查): plans of points to inspect, the inspection itself
(inspection_view.py), roll-calls (视频点验), and the history: inspections by point
and inspector, rectifications due, overdue and closed, reports."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from commandcenter.domain import bureau_time
from commandcenter.domain.filenames import name_part
from commandcenter.domain.inspection import (
    Plan,
    RollCall,
    fitting_template,
    inspection_rectification,
)
from commandcenter.ui.supervision.history import columns
from commandcenter.ui.supervision.inspection_view import DraftSaver, InspectionView
from commandcenter.ui.supervision.plans import PlanDialog
from commandcenter.ui.supervision.roll_call import RollCallView
from commandcenter.ui.supervision.summary import summary_job
from commandcenter.ui.widgets.flow import FlowLayout
from commandcenter.ui.widgets.panel import Console, Panel
from commandcenter.ui.widgets.progress import run_job
from commandcenter.ui.widgets.tables import RecordTable, RecordTableModel, build_rows
from commandcenter.ui.widgets.text import plain_label
from commandcenter.ui.workers.jobs import JobSteps, run_inline


@dataclass
class SupervisionData:
    inspections: list
    templates: list
    plans: list[Plan]
    drafts: list
    closed: dict
    points: dict
    roll_calls: list[RollCall]


class SupervisionPanel(Panel):
    reload_on = (
        "inspections",
        "inspection_templates",
        "service_points",
        "inspection_drafts",
        "inspection_plans",
        "roll_calls",
        "outbox",
    )
    feeds = ("inspections", "inspection_templates")

    def __init__(self, console: Console, parent=None):
        super().__init__(console, parent)
        self.setObjectName("supervision")
        self.saver = DraftSaver(console.commands.inspections.save_draft)
        self.data: SupervisionData | None = None
        self.plan: Plan | None = None
        self.tabs = QTabWidget()

        # -- inspect -------------------------------------------------------------------
        self.plan_choice = QComboBox()
        self.plan_choice.setMinimumWidth(240)
        self.plan_choice.activated.connect(self._plan_chosen)
        self.template_choice = QComboBox()
        self.template_choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.template_choice.activated.connect(self._template_chosen)
        self._template_by_type: dict[
            str, str
        ] = {}  # the checklist last used for each kind of point
        new_plan = QPushButton(self.tr("New plan…"))
        new_plan.clicked.connect(self.new_plan_dialog)
        self.roll_call_button = QPushButton(self.tr("Roll-call this plan"))
        self.roll_call_button.clicked.connect(self.start_roll_call)
        self.inspection_report_button = QPushButton(self.tr("Report (PDF)…"))
        self.inspection_report_button.setToolTip(
            self.tr("The report of the inspection shown, as a PDF")
        )
        self.inspection_report_button.clicked.connect(lambda: self.report_dialog(self.view_key()))
        self.plan_points = QListWidget()
        self.plan_points.setMaximumWidth(260)
        self.plan_points.itemActivated.connect(lambda item: self.go_to(self.plan_points.row(item)))
        self.where = plain_label()
        bar = FlowLayout()
        widget: QWidget
        for widget in (
            QLabel(self.tr("Plan")),
            self.plan_choice,
            new_plan,
            QLabel(self.tr("Checklist")),
            self.template_choice,
            self.roll_call_button,
            self.inspection_report_button,
        ):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.where)
        self.view = InspectionView(console, self.saver)
        self.view.move.connect(
            lambda step: self.go_to(self.plan.position + step) if self.plan else None
        )
        self.view.submitted.connect(lambda _draft_id: self.reload(urgent=True))
        inspect = QWidget()
        inspect_layout = QVBoxLayout(inspect)
        inspect_layout.addLayout(bar)
        row = QSplitter()
        row.addWidget(self.plan_points)
        row.addWidget(self.view)
        row.setSizes([220, 1000])
        inspect_layout.addWidget(row, 1)
        self.tabs.addTab(inspect, self.tr("Inspect"))

        # -- roll-call -------------------------------------------------------------------
        self.roll_call = RollCallView(console)
        self.roll_call_plan = QComboBox()
        self.roll_call_plan.setMinimumWidth(240)
        self.roll_call_plan.setToolTip(self.tr("The points of this plan are called one by one"))
        self.roll_call_start = QPushButton(self.tr("Start the roll-call (Ctrl+Shift+R)"))
        self.roll_call_start.clicked.connect(self._start_chosen_roll_call)
        roll_call_new_plan = QPushButton(self.tr("New plan…"))
        roll_call_new_plan.clicked.connect(self._new_roll_call_plan)
        roll_call_bar = FlowLayout()
        for widget in (
            QLabel(self.tr("Plan")),
            self.roll_call_plan,
            roll_call_new_plan,
            self.roll_call_start,
        ):
            roll_call_bar.addWidget(widget)
        roll_call_bar.addStretch(1)
        roll_call_tab = self.roll_call_tab = QWidget()
        roll_call_layout = QVBoxLayout(roll_call_tab)
        roll_call_layout.addLayout(roll_call_bar)
        roll_call_layout.addWidget(self.roll_call, 1)
        self.tabs.addTab(roll_call_tab, self.tr("Roll-call"))

        # -- history ---------------------------------------------------------------------
        self.model = RecordTableModel(columns({}, {}, bureau_time.now().date()), self)
        self.show_which = QComboBox()
        for text, value in (
            (self.tr("All inspections"), "all"),
            (self.tr("Rectification due"), "due"),
            (self.tr("Rectification due today"), "due_today"),
            (self.tr("Rectification overdue"), "overdue"),
            (self.tr("Failed, no rectification date"), "undated"),
            (self.tr("Rectification closed"), "closed"),
        ):
            self.show_which.addItem(text, value)
        self.inspector = QComboBox()
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Service point…"))
        self.search.setClearButtonEnabled(True)
        for widget in (self.show_which, self.inspector):
            widget.currentIndexChanged.connect(self._refilter)
        self.search.textChanged.connect(self._refilter)
        close_button = QPushButton(self.tr("Close rectification…"))
        close_button.clicked.connect(self.close_selected_rectification)
        report_button = self.report_button = QPushButton(self.tr("Inspection report (PDF)…"))
        report_button.setToolTip(
            self.tr("The report of the inspection selected in the list or in “Sent from this desk”")
        )
        report_button.clicked.connect(lambda: self.report_dialog(self.history_key()))
        summary_button = self.summary_button = QPushButton(self.tr("Period summary…"))
        summary_button.setToolTip(
            self.tr("Pass rates by county, by item and by inspector, as CSV and XLSX")
        )
        summary_button.clicked.connect(self.summary_dialog)
        self.count = QLabel()
        history_bar = FlowLayout()
        for widget in (
            self.show_which,
            self.inspector,
            self.search,
            close_button,
            report_button,
            summary_button,
        ):
            history_bar.addWidget(widget)
        history_bar.addStretch(1)
        history_bar.addWidget(self.count)
        self.table = RecordTable(self.model)
        self.table.sortByColumn(3, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.sent = QTreeWidget()
        # the report is of the inspection selected last, in either list
        self._history_chosen: str | None = None
        self.table.selectionModel().selectionChanged.connect(self._history_selected)
        self.sent.currentItemChanged.connect(self._sent_selected)
        for widget in (self.table, self.sent):
            widget.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
            action = QAction(self.tr("Inspection report (PDF)…"), widget)
            action.triggered.connect(
                lambda _checked=False, w=widget: self.report_dialog(self.history_key(prefer=w))
            )
            widget.addAction(action)
        self.table.doubleClicked.connect(lambda _index: self.report_dialog(self.history_key()))
        self.sent.setHeaderLabels(
            [self.tr("Sent from this desk"), self.tr("State"), self.tr("Finished")]
        )
        self.templates = QTreeWidget()
        self.templates.setHeaderLabels(
            [self.tr("Checklist templates"), self.tr("Kind"), self.tr("Required")]
        )
        side = QSplitter(Qt.Orientation.Vertical)
        side.addWidget(self.sent)
        side.addWidget(self.templates)
        history = QWidget()
        history_layout = QVBoxLayout(history)
        history_layout.addLayout(history_bar)
        split = QSplitter()
        split.addWidget(self.table)
        split.addWidget(side)
        split.setSizes([800, 420])
        history_layout.addWidget(split, 1)
        self.tabs.addTab(history, self.tr("History and follow-up"))

        self.body.addWidget(self.tabs, 1)
        self.model.modelReset.connect(self._update_count)
        QShortcut(
            QKeySequence("Ctrl+Shift+R"),
            self,
            self.start_roll_call,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        self.reload()

    # -- reading -------------------------------------------------------------------------

    def read(self) -> SupervisionData:
        store = self.console.store
        points = self.console.snapshots.points.by_key()  # the desk's scope
        inspections, plans, drafts = store.inspections(), store.plans(), store.drafts()
        roll_calls = store.roll_calls()
        if not self.console.scope.city:
            # a county desk: its county's inspections; plans and roll-calls of its points
            inspections = [i for i in inspections if i.point_id in points]
            drafts = [d for d in drafts if d.point_id in points]
            plans = [p for p in plans if p.point_ids and all(i in points for i in p.point_ids)]
            roll_calls = [
                r for r in roll_calls if r.point_ids and all(i in points for i in r.point_ids)
            ]
        return SupervisionData(
            inspections,
            store.inspection_templates(),
            plans,
            drafts,
            store.closed_rectifications(),
            points,
            roll_calls,
        )

    def show_data(self, data: SupervisionData) -> None:
        self.data = data
        today = bureau_time.now().date()
        table_columns = columns(data.points, data.closed, today, data.templates)
        self.model.set_rows(
            build_rows(table_columns, data.inspections, record_id=lambda i: i.inspection_id),
            table_columns,
        )
        inspectors = sorted({i.inspector for i in data.inspections})
        current = self.inspector.currentData()
        self.inspector.blockSignals(True)
        self.inspector.clear()
        self.inspector.addItem(self.tr("All inspectors"), None)
        for name in inspectors:
            self.inspector.addItem(name, name)
        self.inspector.setCurrentIndex(max(0, self.inspector.findData(current)))
        self.inspector.blockSignals(False)
        self._refilter()
        self._show_templates(data.templates)
        self._show_sent(data)
        self._show_plans(data)
        self._show_roll_call_plans(data)
        self.view.refresh_state()

    def _show_templates(self, templates) -> None:
        kinds = {
            "pass_fail": self.tr("pass/fail"),
            "score": self.tr("score"),
            "text": self.tr("text"),
        }
        self.templates.clear()
        chosen = self.template_choice.currentData()
        self.template_choice.blockSignals(True)
        self.template_choice.clear()
        for template in templates:
            self.template_choice.addItem(
                f"{template.name} (v{template.version})", template.template_id
            )
            top = QTreeWidgetItem([f"{template.name} (v{template.version})"])
            for item in template.items:
                kind = kinds.get(item.kind, item.kind)
                if item.kind == "score" and item.max_score is not None:
                    kind += f" ≤ {item.max_score}"
                top.addChild(
                    QTreeWidgetItem([item.text, kind, self.tr("yes") if item.required else ""])
                )
            self.templates.addTopLevelItem(top)
            top.setExpanded(True)
        self.template_choice.setCurrentIndex(max(0, self.template_choice.findData(chosen)))
        self.template_choice.blockSignals(False)
        self.templates.resizeColumnToContents(0)

    def _show_sent(self, data: SupervisionData) -> None:
        states = {
            "open": self.tr("draft"),
            "submitted": self.tr("waiting to be sent"),
            "sent": self.tr("recorded"),
            "failed": self.tr("refused"),
        }
        self.sent.clear()
        for draft in reversed(data.drafts):
            point = data.points.get(draft.point_id)
            state = states.get(draft.state, draft.state)
            if draft.state == "sent":
                state += f" {draft.inspection_id}"
            if draft.state == "failed":
                state += f": {draft.error}"
            item = QTreeWidgetItem(
                [
                    point.name if point else draft.point_id,
                    state,
                    bureau_time.bureau_text(draft.finished_at, "%m-%d %H:%M"),
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, draft.draft_id)
            if draft.state == "failed":
                item.setForeground(1, Qt.GlobalColor.red)
            self.sent.addTopLevelItem(item)
        self.sent.resizeColumnToContents(0)

    def _show_plans(self, data: SupervisionData) -> None:
        chosen = self.plan.plan_id if self.plan else None
        self.plan_choice.blockSignals(True)
        self.plan_choice.clear()
        for plan in data.plans:
            self.plan_choice.addItem(f"{plan.name} ({len(plan.point_ids)})", plan.plan_id)
        self.plan_choice.blockSignals(False)
        if chosen is None and data.plans:
            chosen = data.plans[0].plan_id
        index = self.plan_choice.findData(chosen)
        if index >= 0:
            self.plan_choice.setCurrentIndex(index)
            stored = next(p for p in data.plans if p.plan_id == chosen)
            shown = self.plan
            first = (
                shown is None or shown.plan_id != chosen or self.view.draft is None
            )  # not shown yet
            self.plan = (
                stored if first or shown is None else replace(stored, position=shown.position)
            )
            self._show_plan_points()
            if first:
                self.go_to(self.plan.position)
        self.roll_call_button.setEnabled(self.plan is not None)

    def _show_plan_points(self) -> None:
        data, plan = self.data, self.plan
        if data is None or plan is None:
            return
        done = {
            d.point_id
            for d in data.drafts
            if d.plan_id == plan.plan_id and d.state in ("submitted", "sent")
        }
        drafted = {
            d.point_id for d in data.drafts if d.plan_id == plan.plan_id and d.state == "open"
        }
        self.plan_points.blockSignals(True)
        self.plan_points.clear()
        for n, point_id in enumerate(plan.point_ids):
            point = data.points.get(point_id)
            mark = "✔ " if point_id in done else "✎ " if point_id in drafted else ""
            item = QListWidgetItem(f"{n + 1}. {mark}{point.name if point else point_id}")
            if point_id in done:
                item.setForeground(Qt.GlobalColor.darkGreen)
            self.plan_points.addItem(item)
        self.plan_points.setCurrentRow(plan.position)
        self.plan_points.blockSignals(False)
        self.where.setText(
            self.tr("%1 of %2 · %3 done")
            .replace("%1", str(plan.position + 1))
            .replace("%2", str(len(plan.point_ids)))
            .replace("%3", str(len(done)))
        )

    # -- plans and the inspection ----------------------------------------------------------

    def new_plan_dialog(self) -> Plan | None:
        dialog = PlanDialog(self.console.snapshots.points.active(), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return self.add_plan(dialog.plan(self.console.operator or "operator"))

    def add_plan(self, plan: Plan) -> Plan | None:
        """Keep the plan (off the GUI thread) and, once kept, open its first point."""
        if not self.console.may("inspection.submit"):
            return None
        commands, by = self.console.commands.inspections, self.console.on_duty()

        def kept(_none: None) -> None:
            if self.plan_choice.findData(plan.plan_id) < 0:
                self.plan_choice.addItem(plan.name, plan.plan_id)
            self.plan_choice.setCurrentIndex(self.plan_choice.findData(plan.plan_id))
            # the reload its change called for may have come first and opened it already
            # (a second opening would build the checklist again under the supervisor's keys)
            if self.plan is None or self.plan.plan_id != plan.plan_id or self.view.draft is None:
                self.plan = None
                self._plan_chosen()

        self.run_command(
            self.tr("Saving the plan"), lambda: commands.save_plan(plan, by), on_done=kept
        )
        return plan

    def _plan_chosen(self) -> None:
        plan_id = self.plan_choice.currentData()
        plans = self.console.store.plans()  # a handful of rows
        self.plan = next((p for p in plans if p.plan_id == plan_id), None)
        if self.plan is not None and self.data is not None:  # else the first read shows it
            self.data = replace(self.data, plans=plans)
            self._show_plan_points()
            self.go_to(self.plan.position)

    def go_to(self, position: int) -> None:
        """Open the plan's point at `position` (kept in the plan, so a restart comes back here)."""
        if self.plan is None or self.data is None or not self.plan.point_ids:
            return
        self.plan = self.plan.moved(position - self.plan.position)
        plan, commands = self.plan, self.console.commands.inspections
        self.run_command(
            self.tr("Keeping the place in the plan"), lambda: commands.move_in_plan(plan)
        )
        current = self.plan.current
        if current is None:  # moved() keeps the position on one of its points
            return
        point = self.data.points.get(current) or self.console.store.service_point(current)
        template = self._template(point)
        if point is None or template is None:
            self.where.setText(
                self.tr("No checklist template from the data center yet")
                if template is None
                else self.tr("The point %1 is no longer in the directory").replace("%1", current)
            )
            return
        cameras = [
            c for c in self.console.snapshots.cameras.active() if c.point_id == point.point_id
        ]
        alerts = [a for a in self.console.snapshots.alerts.open() if a.point_id == point.point_id]
        self.view.open_point(point, template, cameras, alerts, plan_id=self.plan.plan_id)
        self._show_plan_points()

    def _template(self, point=None):
        """The checklist for the point: the one the supervisor chose for its kind of point;
        else the one made for that kind (domain.inspection.fitting_template: 司法所规范化…
        for a 司法所, 村（社区）…巡查 for a village station); else the one chosen."""
        templates = self.data.templates if self.data else []
        if point is not None:
            chosen = self._template_by_type.get(point.type)
            if chosen is None:
                fitting = fitting_template(point.type, templates)
                chosen = fitting.template_id if fitting else None
            if chosen is not None and self.template_choice.findData(chosen) >= 0:
                self.template_choice.setCurrentIndex(self.template_choice.findData(chosen))
        wanted = self.template_choice.currentData()
        return next(
            (t for t in templates if t.template_id == wanted), templates[0] if templates else None
        )

    def _template_chosen(self) -> None:
        point = self.view.point
        if point is not None:
            self._template_by_type[point.type] = self.template_choice.currentData()
        if self.plan is not None:
            self.go_to(self.plan.position)

    def start_roll_call(self) -> None:
        """A roll-call of the plan chosen on the tab shown (the roll-call tab's own
        choice there, else the plan being inspected)."""
        if self.tabs.currentWidget() is self.roll_call_tab and self.roll_call_plan.count():
            self._start_chosen_roll_call()
            return
        if self.plan is None or self.data is None:
            return
        self.tabs.setCurrentWidget(self.roll_call_tab)
        self.roll_call_plan.setCurrentIndex(max(0, self.roll_call_plan.findData(self.plan.plan_id)))
        self.roll_call.start(list(self.plan.point_ids), self.data.points)

    def _start_chosen_roll_call(self) -> None:
        plan_id = self.roll_call_plan.currentData()
        plan = (
            next((p for p in self.data.plans if p.plan_id == plan_id), None) if self.data else None
        )
        if plan is None or self.data is None:
            self.roll_call.say(
                self.tr("Choose a plan, or make one (New plan…), to call its points.")
            )
            return
        self.tabs.setCurrentWidget(self.roll_call_tab)
        self.roll_call.start(list(plan.point_ids), self.data.points)

    def _new_roll_call_plan(self) -> None:
        plan = self.new_plan_dialog()
        if plan is not None:
            if self.roll_call_plan.findData(plan.plan_id) < 0:
                self.roll_call_plan.addItem(f"{plan.name} ({len(plan.point_ids)})", plan.plan_id)
            self.roll_call_plan.setCurrentIndex(self.roll_call_plan.findData(plan.plan_id))

    def _show_roll_call_plans(self, data: SupervisionData) -> None:
        chosen = self.roll_call_plan.currentData()
        self.roll_call_plan.blockSignals(True)
        self.roll_call_plan.clear()
        for plan in data.plans:
            self.roll_call_plan.addItem(f"{plan.name} ({len(plan.point_ids)})", plan.plan_id)
        if chosen is None and self.plan is not None:
            chosen = self.plan.plan_id
        self.roll_call_plan.setCurrentIndex(max(0, self.roll_call_plan.findData(chosen)))
        self.roll_call_plan.blockSignals(False)
        self.roll_call_start.setEnabled(bool(data.plans))

    # -- history ------------------------------------------------------------------------------

    def _refilter(self) -> None:
        which, today = self.show_which.currentData(), bureau_time.now().date()
        inspector = self.inspector.currentData()
        text = self.search.text().strip()
        closed = self.data.closed if self.data else {}
        points = self.data.points if self.data else {}

        def keep(i) -> bool:
            if inspector is not None and i.inspector != inspector:
                return False
            if text and text not in getattr(points.get(i.point_id), "name", i.point_id):
                return False
            state = inspection_rectification(i, closed, today)
            if which == "due":
                return state in ("due", "due_today", "undated")
            return which == "all" or state == which

        self.model.set_filter(keep)

    def _update_count(self) -> None:
        today = bureau_time.now().date()
        closed = self.data.closed if self.data else {}
        states = [inspection_rectification(i, closed, today) for i in self.model.records]
        self.count.setText(
            self.tr("%1 inspections · %2 rectifications due today · %3 overdue")
            .replace("%1", f"{len(self.model.records):,}")
            .replace("%2", str(states.count("due_today")))
            .replace("%3", str(states.count("overdue")))
        )

    def close_selected_rectification(self) -> None:
        if not self.console.may("rectification.close"):
            return
        selected = self.table.selected_records()
        today, closed = bureau_time.now().date(), self.data.closed if self.data else {}
        open_ones = [
            i
            for i in selected
            if inspection_rectification(i, closed, today) not in (None, "closed")
        ]
        if not open_ones:
            QMessageBox.information(
                self,
                self.tr("Close rectification"),
                self.tr("Select an inspection whose rectification is still open."),
            )
            return
        note, ok = QInputDialog.getText(
            self, self.tr("Close rectification"), self.tr("How was it rectified?")
        )
        if not ok or not note.strip():
            return
        ids = [i.inspection_id for i in open_ones]
        commands, by, note = self.console.commands.inspections, self.console.on_duty(), note.strip()
        self.run_command(
            self.tr("Closing the rectification"),
            lambda: commands.close_rectifications(ids, note, by),
            on_done=lambda _none: self.reload(urgent=True),
        )

    def export_summary(self, directory: Path, since: date, until: date) -> list[Path]:
        """The summary (`summary_job`) at once, on this thread."""
        return run_inline(self.summary_job(directory, since, until))

    def summary_job(self, directory: Path, since: date, until: date) -> JobSteps[list[Path]]:
        """Pass rates of [since, until] as files, in steps (summary.py)."""
        return summary_job(lambda: self.data or self.read(), self.console, directory, since, until)

    def summary_dialog(self) -> None:
        from commandcenter.ui.widgets.date_range import CustomRangeDialog

        today = bureau_time.now()  # the month so far on the bureau's calendar
        dialog = CustomRangeDialog(
            today.replace(day=1, hour=0, minute=0, second=0, microsecond=0), today, self
        )
        dialog.setWindowTitle(self.tr("Period of the summary"))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        start, end = dialog.span()
        directory = QFileDialog.getExistingDirectory(self, self.tr("Write the summary to"))
        if not directory:
            return

        def done(written: list[Path]) -> None:
            self.count.setText(
                self.tr("Wrote %1 files to %2")
                .replace("%1", str(len(written)))
                .replace("%2", directory)
            )

        self.job = run_job(
            self,
            self.tr("Writing the inspection summary"),
            self.summary_job(
                Path(directory),
                bureau_time.at_bureau(start).date(),
                bureau_time.at_bureau(end).date(),
            ),
            on_done=done,
            failure=self.tr("The summary was not written"),
            on_cancelled=self._cancelled,
            button=self.summary_button,
        )

    def _history_selected(self, *_args) -> None:
        records = self.table.selected_records()
        if records:
            self._history_chosen = "table"

    def _sent_selected(self, current, _previous) -> None:
        if current is not None:
            self._history_chosen = "sent"

    def history_key(self, prefer: QWidget | None = None) -> str | None:
        """The inspection selected last in the history: a row of the list (the data
        center's id) or one sent from this desk (its draft, with the snapshots)."""
        records = self.table.selected_records()
        item = self.sent.currentItem()
        sent = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        from_table = records[0].inspection_id if records else None
        if prefer is self.sent or (prefer is None and self._history_chosen == "sent"):
            return sent or from_table
        return from_table or sent

    def view_key(self) -> str | None:
        """The inspection shown on the inspect tab (its draft)."""
        self.view.save_now()
        draft = self.view.draft
        return draft.draft_id if draft is not None else None

    def report_dialog(self, draft_id: str | None = None) -> None:
        """The report (PDF) of an inspection: `draft_id` is a draft's id or the data
        center's inspection id; None: the one selected on the tab shown."""
        from commandcenter.ui.supervision.inspection_report import inspection_report_job

        if draft_id is None:
            draft_id = self.view_key() if self.tabs.currentIndex() == 0 else self.history_key()
        # the inspection on the inspect tab as typed, saved or not yet
        shown = (
            self.view.draft if self.view.draft and self.view.draft.draft_id == draft_id else None
        )
        if draft_id is None:
            QMessageBox.information(
                self,
                self.tr("Inspection report"),
                self.tr(
                    "Select an inspection: a row of the history, one sent from this desk, "
                    "or open one on the Inspect tab."
                ),
            )
            return
        path, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Save the inspection report"),
            f"督查报告-{name_part(draft_id)}.pdf",
            self.tr("PDF (*.pdf)"),
        )
        if not path:
            return

        said = self.tr("Report written to %1").replace("%1", path)

        def done(_written: Path) -> None:
            self.console.audit("inspection.report", draft_id, {"file": Path(path).name})
            self.count.setText(said)
            if self.tabs.currentIndex() == 0:  # the history's line is not in view
                self.where.setText(said)

        self.job = run_job(
            self,
            self.tr("Writing the inspection report"),
            inspection_report_job(Path(path), self.console, draft_id, shown),
            on_done=done,
            failure=self.tr("The report was not written"),
            on_cancelled=self._cancelled,
            button=self.inspection_report_button
            if self.tabs.currentIndex() == 0
            else self.report_button,
        )

    def _cancelled(self) -> None:
        self.count.setText(self.tr("Cancelled: no file was written"))

    def inspect_now(self, point_id: str) -> None:
        """A plan of one point (from the map), opened at once."""
        point = self.console.snapshots.points.by_key().get(point_id)
        name = self.tr("Inspection of %1").replace("%1", point.name if point else point_id)
        self.tabs.setCurrentIndex(0)
        self.add_plan(
            Plan(
                uuid.uuid4().hex,
                name,
                (point_id,),
                0,
                self.console.operator or "operator",
                datetime.now(UTC),
            )
        )

    def close_drafts(self) -> None:
        """Write what was typed last, and stop the writer (the window closes)."""
        self.view.save_now()
        self.saver.close()
