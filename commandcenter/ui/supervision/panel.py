"""Remote supervision (远程督查): plans of points to inspect, the inspection itself
(ui/inspection_view.py), roll-calls (视频点验), and the history: inspections by point
and inspector, rectifications due, overdue and closed, reports."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from commandcenter.domain import contract
from commandcenter.domain.geography import COUNTIES, county_code
from commandcenter.domain.inspection import (
    PRESENCE_LABELS,
    Plan,
    Presence,
    RollCall,
    choose_points,
    pass_rates,
    rectification_state,
)
from commandcenter.exports import spreadsheets
from commandcenter.ui.supervision.inspection_view import DraftSaver, InspectionView
from commandcenter.ui.video.tile import VideoTile
from commandcenter.ui.widgets import i18n
from commandcenter.ui.widgets.i18n import tr
from commandcenter.ui.widgets.panel import Console, Panel
from commandcenter.ui.widgets.progress import run_job
from commandcenter.ui.widgets.tables import Column, RecordTable, RecordTableModel, build_rows
from commandcenter.ui.widgets.text import escape, plain_label
from commandcenter.ui.workers.jobs import JobSteps, Progress, run_inline

OVERDUE = "#f85149"
DUE_TODAY = "#d29922"
DONE = "#3fb950"
ROLL_CALL_KEYS = {
    Qt.Key.Key_1: Presence.PRESENT,
    Qt.Key.Key_P: Presence.PRESENT,
    Qt.Key.Key_2: Presence.ABSENT,
    Qt.Key.Key_A: Presence.ABSENT,
    Qt.Key.Key_3: Presence.NO_PICTURE,
    Qt.Key.Key_N: Presence.NO_PICTURE,
}


def columns(points: dict, closed: dict, today: date) -> list[Column]:

    def due(inspection) -> str:
        state = rectification_state(
            inspection.rectification_due, inspection.inspection_id in closed, today
        )
        if state is None:
            return ""
        words = {
            "closed": tr("closed"),
            "overdue": tr("overdue"),
            "due_today": tr("due today"),
            "due": "",
        }
        return f"{inspection.rectification_due.isoformat()} {words[state]}".strip()

    def due_colour(inspection):
        state = rectification_state(
            inspection.rectification_due, inspection.inspection_id in closed, today
        )
        return {"overdue": OVERDUE, "due_today": DUE_TODAY, "closed": DONE}.get(state)

    def score(inspection) -> int | None:
        scores = [r.score for r in inspection.results if r.score is not None]
        return sum(scores) if scores else None

    def failed(inspection) -> int:
        return sum(1 for r in inspection.results if r.passed is False)

    return [
        Column(tr("Service point"), lambda i: getattr(points.get(i.point_id), "name", i.point_id)),
        Column(
            tr("County"),
            lambda i: i18n.place(county_code(getattr(points.get(i.point_id), "org_code", ""))),
        ),
        Column(tr("Inspector"), lambda i: i.inspector),
        Column(
            tr("Finished"),
            lambda i: (
                i.finished_at.astimezone().strftime("%Y-%m-%d %H:%M") if i.finished_at else ""
            ),
            sort_key=lambda i: i.finished_at.timestamp() if i.finished_at else None,
        ),
        Column(tr("Score"), score, sort_key=score),
        Column(
            tr("Failed items"),
            failed,
            sort_key=failed,
            colour=lambda i: OVERDUE if failed(i) else None,
        ),
        Column(tr("Rectify by"), due, colour=due_colour),
        Column(tr("Findings"), lambda i: i.findings.replace("\n", " ")),
    ]


class PlanDialog(QDialog):
    """Which points to inspect: by county, type and level, all or a random sample."""

    def __init__(self, points: list, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("New inspection plan"))
        self.points = points
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("e.g. 吴中区司法所 11月督查"))
        self.county = QComboBox()
        self.county.addItem(self.tr("All counties"), None)
        for county in COUNTIES:
            self.county.addItem(i18n.place(county.code), county.code)
        self.type = QComboBox()
        self.type.addItem(self.tr("All types"), None)
        for t in contract.PointType:
            self.type.addItem(i18n.term(contract.POINT_TYPE_LABELS, t), t.value)
        self.level = QComboBox()
        self.level.addItem(self.tr("All levels"), None)
        for lv in contract.Level:
            self.level.addItem(i18n.term(contract.LEVEL_LABELS, lv), lv.value)
        self.sample = QSpinBox()
        self.sample.setRange(0, 5000)
        self.sample.setSpecialValueText(self.tr("all of them"))
        self.sample.setToolTip(self.tr("A random sample of this many points (0: all that match)"))
        self.count = QLabel()
        self.problem = plain_label()
        self.problem.setStyleSheet(f"color: {OVERDUE};")
        for combo in (self.county, self.type, self.level):
            combo.currentIndexChanged.connect(self._count)
        self.sample.valueChanged.connect(self._count)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("County"), self.county)
        form.addRow(self.tr("Type"), self.type)
        form.addRow(self.tr("Level"), self.level)
        form.addRow(self.tr("Random sample"), self.sample)
        form.addRow(self.count)
        form.addRow(self.problem)
        form.addRow(buttons)
        self._seed = uuid.uuid4().int & 0xFFFFFFFF  # the draw, once made, stays the plan's
        self._count()

    def chosen(self) -> list[str]:
        def one(combo):
            return None if combo.currentData() is None else [combo.currentData()]

        return choose_points(
            self.points,
            counties=one(self.county),
            types=one(self.type),
            levels=one(self.level),
            sample=self.sample.value() or None,
            seed=self._seed,
        )

    def _count(self) -> None:
        self.count.setText(self.tr("%1 points").replace("%1", f"{len(self.chosen()):,}"))

    def plan(self, created_by: str) -> Plan:
        name = self.name.text().strip() or self._default_name()
        return Plan(uuid.uuid4().hex, name, tuple(self.chosen()), 0, created_by, datetime.now(UTC))

    def _default_name(self) -> str:
        parts = [
            c.currentText()
            for c in (self.county, self.type, self.level)
            if c.currentData() is not None
        ]
        return " ".join(parts) or self.tr("All points")

    def accept(self) -> None:
        if not self.chosen():
            self.problem.setText(self.tr("No point matches: widen the choice."))
            return
        super().accept()


class RollCallView(QWidget):
    """A fast pass over many stations: each shown with its first camera; one key a
    result (1/P present, 2/A absent, 3/N no picture), S skips. Every answer is saved
    at once."""

    def __init__(self, console: Console, parent=None):
        super().__init__(parent)
        self.console = console
        self.roll_call: RollCall | None = None
        self.position = 0
        self.points: dict = {}
        self.tile = VideoTile(1, console.cameras)
        self.title = QLabel()  # rich text of ours, the point's name escaped
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setObjectName("inspectionHeading")
        self.progress = QLabel()
        self.keys = QLabel(self.tr("1 / P present · 2 / A absent · 3 / N no picture · S skip"))
        self.seconds = QSpinBox()
        self.seconds.setRange(0, 60)
        self.seconds.setValue(0)
        self.seconds.setSpecialValueText(self.tr("wait for a key"))
        self.seconds.setSuffix(self.tr(" s a station"))
        self.seconds.setToolTip(
            self.tr(
                "Move on by itself after this long without an answer (the station is "
                "then left unanswered)"
            )
        )
        self._advance = QTimer(self)
        self._advance.setSingleShot(True)
        self._advance.timeout.connect(lambda: self._step(1))
        bar = QHBoxLayout()
        bar.addWidget(self.title, 1)
        bar.addWidget(self.progress)
        bar.addWidget(self.seconds)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.tile, 1)
        layout.addWidget(self.keys)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def start(self, point_ids: list[str], points: dict) -> None:
        if not self.console.may("inspection.submit"):
            return
        self.points = points
        self.roll_call = RollCall(
            uuid.uuid4().hex,
            self.console.operator or "operator",
            datetime.now(UTC),
            tuple(point_ids),
        )
        self.console.store.save_roll_call(self.roll_call)
        self.console.audit(
            "rollcall.start", self.roll_call.roll_call_id, {"points": len(point_ids)}
        )
        self.position = 0
        self._show()
        self.setFocus()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self.roll_call is None or self.roll_call.finished_at is not None:
            super().keyPressEvent(event)
            return
        presence = ROLL_CALL_KEYS.get(Qt.Key(event.key()))
        if presence is not None:
            self.answer(presence)
        elif event.key() == Qt.Key.Key_S:
            self._step(1)
        elif event.key() == Qt.Key.Key_Backspace:
            self._step(-1)
        else:
            super().keyPressEvent(event)

    def answer(self, presence: Presence) -> None:
        point_id = self.roll_call.point_ids[self.position]
        self.roll_call = replace(
            self.roll_call, results={**self.roll_call.results, point_id: presence}
        )
        self.console.store.save_roll_call(self.roll_call)
        self._step(1)

    def _step(self, step: int) -> None:
        rc = self.roll_call
        if rc is None:
            return
        self.position += step
        if self.position >= len(rc.point_ids):
            self.roll_call = replace(rc, finished_at=datetime.now(UTC))
            self.console.store.save_roll_call(self.roll_call)
            self.console.audit(
                "rollcall.finish",
                rc.roll_call_id,
                {k.value: v for k, v in self.roll_call.counts().items()},
            )
            self.position = len(rc.point_ids) - 1
            self.tile.assign(None)
        self.position = max(0, self.position)
        self._show()

    def _show(self) -> None:
        rc = self.roll_call
        if rc.finished_at is not None:
            counts = rc.counts()
            self.title.setText(
                escape(
                    self.tr(
                        "Roll-call done: %1 present, %2 absent, %3 without picture, %4 unanswered"
                    )
                )
                .replace("%1", str(counts[Presence.PRESENT]))
                .replace("%2", str(counts[Presence.ABSENT]))
                .replace("%3", str(counts[Presence.NO_PICTURE]))
                .replace("%4", str(len(rc.point_ids) - len(rc.results)))
            )
            self.progress.clear()
            return
        point_id = rc.point_ids[self.position]
        point = self.points.get(point_id)
        answered = rc.results.get(point_id)
        self.title.setText(
            f"<b>{escape(point.name if point else point_id)}</b> · "
            + escape(
                f"{i18n.place(county_code(point.org_code)) if point else ''}"
                + (f" · {i18n.term(PRESENCE_LABELS, answered)}" if answered else "")
            )
        )
        self.progress.setText(f"{self.position + 1} / {len(rc.point_ids)}")
        cameras = [c for c in self.console.snapshots.cameras.active() if c.point_id == point_id][:1]
        self.tile.assign(cameras[0] if cameras else None, point)
        self.tile.set_active(bool(cameras) and self.isVisible())
        if self.seconds.value():
            self._advance.start(self.seconds.value() * 1000)


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
        self.saver = DraftSaver(console.store)
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
        self.plan_points = QListWidget()
        self.plan_points.setMaximumWidth(260)
        self.plan_points.itemActivated.connect(lambda item: self.go_to(self.plan_points.row(item)))
        self.where = plain_label()
        bar = QHBoxLayout()
        for widget in (
            QLabel(self.tr("Plan")),
            self.plan_choice,
            new_plan,
            QLabel(self.tr("Checklist")),
            self.template_choice,
            self.roll_call_button,
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
        self.tabs.addTab(self.roll_call, self.tr("Roll-call"))

        # -- history ---------------------------------------------------------------------
        self.model = RecordTableModel(columns({}, {}, date.today()), self)
        self.show_which = QComboBox()
        for text, value in (
            (self.tr("All inspections"), "all"),
            (self.tr("Rectification due"), "due"),
            (self.tr("Rectification due today"), "due_today"),
            (self.tr("Rectification overdue"), "overdue"),
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
        report_button.clicked.connect(self.report_dialog)
        summary_button = self.summary_button = QPushButton(self.tr("Period summary…"))
        summary_button.setToolTip(
            self.tr("Pass rates by county, by item and by inspector, as CSV and XLSX")
        )
        summary_button.clicked.connect(self.summary_dialog)
        self.count = QLabel()
        history_bar = QHBoxLayout()
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
        self.sent = QTreeWidget()
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
        return SupervisionData(
            store.inspections(),
            store.inspection_templates(),
            store.plans(),
            store.drafts(),
            store.closed_rectifications(),
            self.console.snapshots.points.by_key(),
            store.roll_calls(),
        )

    def show_data(self, data: SupervisionData) -> None:
        self.data = data
        today = date.today()
        table_columns = columns(data.points, data.closed, today)
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
                    f"{draft.finished_at.astimezone():%m-%d %H:%M}" if draft.finished_at else "",
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
            first = (
                self.plan is None or self.plan.plan_id != chosen or self.view.draft is None
            )  # not shown yet
            self.plan = stored if first else replace(stored, position=self.plan.position)
            self._show_plan_points()
            if first:
                self.go_to(self.plan.position)
        self.roll_call_button.setEnabled(self.plan is not None)

    def _show_plan_points(self) -> None:
        data, plan = self.data, self.plan
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
        if not self.console.may("inspection.submit"):
            return None
        self.console.store.save_plan(plan)
        self.console.audit(
            "inspection.plan", plan.plan_id, {"name": plan.name, "points": len(plan.point_ids)}
        )
        self.plan = None
        self.plan_choice.addItem(plan.name, plan.plan_id)
        self.plan_choice.setCurrentIndex(self.plan_choice.findData(plan.plan_id))
        self._plan_chosen()
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
        self.console.store.save_plan(self.plan)
        point = self.data.points.get(self.plan.current) or self.console.store.service_point(
            self.plan.current
        )
        template = self._template(point)
        if point is None or template is None:
            self.where.setText(
                self.tr("No checklist template from the data center yet")
                if template is None
                else self.tr("The point %1 is no longer in the directory").replace(
                    "%1", self.plan.current
                )
            )
            return
        cameras = [
            c for c in self.console.snapshots.cameras.active() if c.point_id == point.point_id
        ]
        alerts = [a for a in self.console.snapshots.alerts.open() if a.point_id == point.point_id]
        self.view.open_point(point, template, cameras, alerts, plan_id=self.plan.plan_id)
        self._show_plan_points()

    def _template(self, point=None):
        """The checklist for the point: the one last used for its kind of point; for a
        kind not inspected yet, the template whose name names that kind (司法所规范化…
        for a 司法所); else the one chosen."""
        templates = self.data.templates if self.data else []
        if point is not None:
            chosen = self._template_by_type.get(point.type)
            if chosen is None:
                kind = contract.label(contract.POINT_TYPE_LABELS, point.type, "zh_CN")
                chosen = next((t.template_id for t in templates if kind and kind in t.name), None)
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
        if self.plan is None or self.data is None:
            return
        self.tabs.setCurrentWidget(self.roll_call)
        self.roll_call.start(list(self.plan.point_ids), self.data.points)

    # -- history ------------------------------------------------------------------------------

    def _refilter(self) -> None:
        which, today = self.show_which.currentData(), date.today()
        inspector = self.inspector.currentData()
        text = self.search.text().strip()
        closed = self.data.closed if self.data else {}
        points = self.data.points if self.data else {}

        def keep(i) -> bool:
            if inspector is not None and i.inspector != inspector:
                return False
            if text and text not in getattr(points.get(i.point_id), "name", i.point_id):
                return False
            state = rectification_state(i.rectification_due, i.inspection_id in closed, today)
            if which == "due":
                return state in ("due", "due_today")
            return which == "all" or state == which

        self.model.set_filter(keep)

    def _update_count(self) -> None:
        today = date.today()
        closed = self.data.closed if self.data else {}
        states = [
            rectification_state(i.rectification_due, i.inspection_id in closed, today)
            for i in self.model.records
        ]
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
        open_ones = [
            i
            for i in selected
            if i.rectification_due and self.data and i.inspection_id not in self.data.closed
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
        for inspection in open_ones:
            self.console.store.close_rectification(
                inspection.inspection_id,
                closed_by=self.console.operator or "operator",
                note=note.strip(),
            )
            self.console.audit(
                "rectification.close", inspection.inspection_id, {"note": note.strip()}
            )
        self.reload(urgent=True)

    def summary_tables(self, since: date, until: date) -> list[spreadsheets.Table]:
        """Pass rates of the pass/fail items in [since, until]: by county, by item, by inspector."""
        data = self.data or self.read()
        chosen = [
            i
            for i in data.inspections
            if i.finished_at and since <= i.finished_at.astimezone().date() <= until
        ]
        items = {item.item_id: item.text for t in data.templates for item in t.items}
        header = [
            self.tr("inspections"),
            self.tr("items checked"),
            self.tr("passed"),
            self.tr("pass rate"),
        ]

        def rows(rates, name):
            return [
                [
                    name(r.key),
                    r.inspections,
                    r.checked,
                    r.passed,
                    f"{r.rate:.1%}" if r.rate is not None else "",
                ]
                for r in rates
            ]

        by_county = pass_rates(
            chosen, lambda i, _r: county_code(getattr(data.points.get(i.point_id), "org_code", ""))
        )
        by_item = pass_rates(chosen, lambda _i, r: r.item_id)
        by_inspector = pass_rates(chosen, lambda i, _r: i.inspector)
        return [
            spreadsheets.Table(
                self.tr("by county"), [self.tr("county"), *header], rows(by_county, i18n.place)
            ),
            spreadsheets.Table(
                self.tr("by item"),
                [self.tr("item"), *header],
                rows(by_item, lambda k: items.get(k, k)),
            ),
            spreadsheets.Table(
                self.tr("by inspector"), [self.tr("inspector"), *header], rows(by_inspector, str)
            ),
        ]

    def export_summary(self, directory: Path, since: date, until: date) -> list[Path]:
        """The summary (`summary_job`) at once, on this thread."""
        return run_inline(self.summary_job(directory, since, until))

    def summary_job(self, directory: Path, since: date, until: date) -> JobSteps[list[Path]]:
        """Pass rates of [since, until] as three CSV files and one workbook, in steps
        (ui/jobs.py); a job cancelled or failed midway removes what it wrote."""
        base = f"inspections-{since:%Y%m%d}-{until:%Y%m%d}"
        title = self.tr("Inspections %1 to %2").replace("%1", str(since)).replace("%2", str(until))
        says = {
            "read": self.tr("Counting the inspections"),
            "csv": self.tr("Table %1"),
            "xlsx": self.tr("Workbook %1"),
        }
        names = ("counties", "items", "inspectors")
        steps = 2 + len(names)

        def work() -> JobSteps[list[Path]]:
            written: list[Path] = []
            try:
                yield Progress(says["read"], 0, steps)
                tables = self.summary_tables(since, until)
                directory.mkdir(parents=True, exist_ok=True)
                for n, (table, name) in enumerate(zip(tables, names, strict=True), start=1):
                    path = directory / f"{base}-{name}.csv"
                    yield Progress(says["csv"].replace("%1", path.name), n, steps)
                    written.append(spreadsheets.write_csv(path, table))
                path = directory / f"{base}.xlsx"
                yield Progress(says["xlsx"].replace("%1", path.name), steps - 1, steps)
                written.append(spreadsheets.write_xlsx(path, tables, title=title))
            except BaseException:  # cancelled (GeneratorExit) or failed: no half a summary
                for path in written:
                    path.unlink(missing_ok=True)
                raise
            self.console.audit("inspection.summary", base, {"files": [p.name for p in written]})
            return written

        return work()

    def summary_dialog(self) -> None:
        from commandcenter.ui.widgets.date_range import CustomRangeDialog

        today = datetime.now(UTC)
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
            self.summary_job(Path(directory), start.astimezone().date(), end.astimezone().date()),
            on_done=done,
            failure=self.tr("The summary was not written"),
            on_cancelled=self._cancelled,
            button=self.summary_button,
        )

    def report_dialog(self) -> None:
        from commandcenter.ui.supervision.inspection_report import inspection_report_job

        draft_id = None
        item = self.sent.currentItem()
        if item is not None:
            draft_id = item.data(0, Qt.ItemDataRole.UserRole)
        if draft_id is None:
            QMessageBox.information(
                self,
                self.tr("Inspection report"),
                self.tr(
                    "Choose an inspection sent from this desk (on the right): its snapshots "
                    "are kept here."
                ),
            )
            return
        path, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Save the inspection report"),
            f"督查报告-{draft_id[:8]}.pdf",
            self.tr("PDF (*.pdf)"),
        )
        if not path:
            return

        def done(_written: Path) -> None:
            self.console.audit("inspection.report", draft_id, {"file": Path(path).name})
            self.count.setText(self.tr("Report written to %1").replace("%1", path))

        self.job = run_job(
            self,
            self.tr("Writing the inspection report"),
            inspection_report_job(Path(path), self.console, draft_id),
            on_done=done,
            failure=self.tr("The report was not written"),
            on_cancelled=self._cancelled,
            button=self.report_button,
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
