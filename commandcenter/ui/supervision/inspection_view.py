"""The inspection view: one service point of a plan at a time, its cameras live, its
details and open alerts, and the template's checklist, filled in without a mouse.

Keys: Tab moves through the checklist; on a pass/fail item P passes and F fails;
F9 takes a snapshot of the focused camera (the first one when none is focused) as
evidence; Alt+Right / Alt+Left go to the next / previous point of the plan;
Ctrl+Return finishes and submits.

Nothing typed is lost: a quarter of a second after the first change not yet saved,
the draft as it is then is handed to a writer thread, which saves the newest state
to the store (a kill -9 loses at most the last quarter second and the write under way).
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import replace
from datetime import UTC, date, datetime

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QIcon, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from commandcenter.domain import bureau_time, contract
from commandcenter.domain.geography import county_code
from commandcenter.domain.inspection import (
    PICTURE,
    Draft,
    Evidence,
    check,
)
from commandcenter.domain.records import InspectionTemplate
from commandcenter.ui.supervision.checklist import (
    PROBLEM,
    ItemRow,
    PassFailKeys,
)
from commandcenter.ui.supervision.draft_saver import DraftSaver
from commandcenter.ui.video.tile import VideoTile
from commandcenter.ui.widgets import i18n
from commandcenter.ui.widgets.panel import Console
from commandcenter.ui.widgets.text import escape, literal, plain_label

log = logging.getLogger(__name__)

MAX_CAMERAS = 4
SAVE_AFTER_MS = 250


class InspectionView(QWidget):
    """One point's inspection. `open_point()` starts or resumes its draft."""

    submitted = Signal(str)  # draft id
    # -1 / +1: the previous / next point of the plan; it hides QWidget.move, which nothing
    # calls on this view
    move = Signal(int)  # type: ignore[assignment]

    def __init__(self, console: Console, saver: DraftSaver, parent=None):
        super().__init__(parent)
        self.console = console
        self.saver = saver
        self.draft: Draft | None = None
        self.template: InspectionTemplate | None = None
        self.point = None
        self.rows: list[ItemRow] = []
        self.evidence: list[tuple[int, Evidence]] = []

        self.tiles = [VideoTile(n + 1, console.cameras) for n in range(MAX_CAMERAS)]
        cameras = QWidget()
        grid = QGridLayout(cameras)
        grid.setContentsMargins(0, 0, 0, 0)
        for n, tile in enumerate(self.tiles):
            grid.addWidget(tile, n // 2, n % 2)
            tile.double_clicked.connect(lambda t=tile: self._focus_camera(t))
            tile.snapshot_requested.connect(lambda t=tile: self.take_snapshot(t))
        self.heading = QLabel()  # rich text of ours, every value escaped
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setObjectName("inspectionHeading")
        self.heading.setWordWrap(True)
        self.details = QLabel()
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.heading)
        left_layout.addWidget(cameras, 1)
        left_layout.addWidget(self.details)

        self.form = QFormLayout()
        checklist = QWidget()
        checklist.setLayout(self.form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(checklist)
        scroll.setMinimumHeight(150)  # five items or so in view, however short the dock
        self.findings = QPlainTextEdit()
        self.findings.setPlaceholderText(self.tr("Findings: what was found, what must change"))
        self.findings.setTabChangesFocus(True)
        self.findings.setMaximumHeight(100)  # the checklist above it gets the room
        self.findings.textChanged.connect(self._changed)
        self.needs_rectification = QCheckBox(self.tr("Rectify by"))
        self.due = QDateEdit()
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("yyyy-MM-dd")
        self.due.setEnabled(False)
        self.needs_rectification.toggled.connect(self.due.setEnabled)
        self.needs_rectification.toggled.connect(self._changed)
        self.due.dateChanged.connect(self._changed)
        due_row = QHBoxLayout()
        due_row.addWidget(self.needs_rectification)
        due_row.addWidget(self.due)
        due_row.addStretch(1)
        self.evidence_list = QListWidget()
        self.evidence_list.setViewMode(QListWidget.ViewMode.IconMode)
        self.evidence_list.setMaximumHeight(100)
        self.evidence_list.setIconSize(QPixmap(120, 68).size())
        self.evidence_list.setToolTip(self.tr("Evidence: Delete removes the selected snapshot"))
        QShortcut(
            QKeySequence(Qt.Key.Key_Delete),
            self.evidence_list,
            self._remove_evidence,
            context=Qt.ShortcutContext.WidgetShortcut,
        )
        self.problems = plain_label()
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet(f"color: {PROBLEM};")
        self.snapshot_button = QPushButton(self.tr("Snapshot (F9)"))
        self.snapshot_button.clicked.connect(lambda: self.take_snapshot())
        self.previous_button = QPushButton(self.tr("◀ Previous point (Alt+←)"))
        self.previous_button.clicked.connect(lambda: self.move.emit(-1))
        self.next_button = QPushButton(self.tr("Next point (Alt+→) ▶"))
        self.next_button.clicked.connect(lambda: self.move.emit(1))
        self.finish_button = QPushButton(self.tr("Finish and submit (Ctrl+Enter)"))
        self.finish_button.setDefault(True)
        self.finish_button.clicked.connect(self.finish)
        self.state = plain_label()  # the data center's reason when it refused
        buttons = QHBoxLayout()
        for button in (
            self.previous_button,
            self.snapshot_button,
            self.finish_button,
            self.next_button,
        ):
            buttons.addWidget(button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(scroll, 1)
        # findings and evidence side by side: the checklist above keeps the height
        notes = QGridLayout()
        notes.addWidget(QLabel(self.tr("Findings")), 0, 0)
        notes.addWidget(QLabel(self.tr("Evidence")), 0, 1)
        notes.addWidget(self.findings, 1, 0)
        notes.addWidget(self.evidence_list, 1, 1)
        notes.setColumnStretch(0, 3)
        notes.setColumnStretch(1, 2)
        right_layout.addLayout(notes)
        right_layout.addLayout(due_row)
        right_layout.addWidget(self.problems)
        right_layout.addWidget(self.state)
        right_layout.addLayout(buttons)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([650, 550])
        self.hint = QLabel(
            self.tr(
                "No inspection open. Choose a plan above or make one (New plan…), or open a service point's card "
                "on the map and choose “Start an inspection”.\n\nThe whole inspection works from the keyboard: Tab "
                "through the checklist, P / F for pass / fail, F9 for a snapshot, Alt+→ for the next point, "
                "Ctrl+Enter to finish."
            )
        )
        self.hint.setWordWrap(True)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setObjectName("emptyHint")
        self.pages = QStackedWidget()
        self.pages.addWidget(self.hint)
        self.pages.addWidget(splitter)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.pages)
        for keys, action in (
            ("F9", lambda: self.take_snapshot()),
            ("Alt+Right", lambda: self.move.emit(1)),
            ("Alt+Left", lambda: self.move.emit(-1)),
            ("Ctrl+Return", self.finish),
            ("Ctrl+Enter", self.finish),
        ):
            QShortcut(
                QKeySequence(keys),
                self,
                action,
                context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
            )
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_AFTER_MS)
        self._save_timer.timeout.connect(self._save)
        self._loading = False
        self._pass_fail_keys = PassFailKeys(self)

    # -- opening -----------------------------------------------------------------------

    def open_point(
        self,
        point,
        template: InspectionTemplate,
        cameras: list,
        alerts: list,
        *,
        plan_id: str | None = None,
    ) -> None:
        """Show the point; resume its open draft (of this plan) if there is one."""
        self.save_now()
        self.point, self.template = point, template
        open_drafts = [
            d
            for d in self.console.store.drafts(state="open", point_id=point.point_id)
            if d.plan_id == plan_id
        ]
        self.draft = (
            open_drafts[-1]
            if open_drafts
            else Draft(
                uuid.uuid4().hex,
                point.point_id,
                template.template_id,
                template.version,
                self.console.operator or "operator",
                datetime.now(UTC),
                plan_id=plan_id,
            )
        )
        self._build_form(template)
        self._show_draft(self.draft)
        self.heading.setText(
            f"<b>{escape(point.name)}</b> · "
            + escape(
                f"{i18n.term(contract.POINT_TYPE_LABELS, point.type)} · "
                f"{i18n.place(county_code(point.org_code))}"
            )
        )
        on_duty = str(point.staff_on_duty) if point.staff_on_duty is not None else "—"
        lines = [
            escape(self.tr("Address: %1").replace("%1", point.address)),
            escape(self.tr("Phone: %1").replace("%1", point.phone)),
            escape(
                self.tr("Staff on duty: %1 · open hours %2")
                .replace("%1", on_duty)
                .replace("%2", point.open_hours)
            ),
        ]
        if alerts:
            titles = "；".join(a.title for a in alerts[:5])
            lines.append(
                f"<span style='color:{PROBLEM}'>"
                + escape(self.tr("Open alerts: %1").replace("%1", titles))
                + "</span>"
            )
        self.details.setText("<br>".join(lines))
        for n, tile in enumerate(self.tiles):
            camera = cameras[n] if n < len(cameras) else None
            tile.assign(camera, point)
            tile.set_layout_context(len(cameras) or 1)
            tile.set_active(camera is not None and self.isVisible())
            tile.setVisible(camera is not None or n == 0)
        self.setEnabled(True)
        self.pages.setCurrentIndex(1)
        self._show_state()
        if self.rows:
            self.rows[0].widget.setFocus()

    def _build_form(self, template: InspectionTemplate) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.rows = [ItemRow(item, self._changed, self.snapshot_for) for item in template.items]
        for row in self.rows:
            self.form.addRow(row.label, row.widget)
            if isinstance(row.editor, QComboBox):
                row.editor.installEventFilter(self._pass_fail_keys)

    def _show_draft(self, draft: Draft) -> None:
        self._loading = True
        for row in self.rows:
            row.show_answer(draft.answer(row.item.item_id))
            row.mark(None)
        self.findings.setPlainText(draft.findings)
        self.needs_rectification.setChecked(draft.rectification_due is not None)
        due = draft.rectification_due or bureau_time.now().date()
        self.due.setDate(QDate(due.year, due.month, due.day))
        self.problems.clear()
        self._loading = False
        self._show_evidence()

    def _show_evidence(self) -> None:
        self.evidence = self.console.store.evidence(self.draft.draft_id) if self.draft else []
        self._list_evidence()

    def _list_evidence(self) -> None:
        self.evidence_list.clear()
        for evidence_id, evidence in self.evidence:
            pixmap = QPixmap()
            pixmap.loadFromData(evidence.jpeg, "JPEG")
            item = QListWidgetItem(
                QIcon(pixmap), bureau_time.bureau_text(evidence.captured_at, "%H:%M:%S")
            )
            item.setData(Qt.ItemDataRole.UserRole, evidence_id)
            item.setToolTip(literal(evidence.camera_id))
            self.evidence_list.addItem(item)

    # -- editing -------------------------------------------------------------------------

    def _changed(self, *_args) -> None:
        if self._loading or self.draft is None or self.draft.state != "open":
            return
        self.draft = self._draft_from_form()
        if not self._save_timer.isActive():
            # counted from the first change not yet saved, not restarted by each key:
            # steady typing must not keep postponing the save
            self._save_timer.start()

    def _draft_from_form(self) -> Draft:
        draft = self.draft
        assert draft is not None  # the form shows one
        answers = {row.item.item_id: row.answer() for row in self.rows}
        picked = self.due.date()
        due = (
            date(picked.year(), picked.month(), picked.day())
            if self.needs_rectification.isChecked()
            else None
        )
        return replace(
            draft,
            answers={k: a for k, a in answers.items() if not a.is_empty()},
            findings=self.findings.toPlainText(),
            rectification_due=due,
        )

    def _save(self) -> None:
        if self.draft is not None and self.draft.state == "open":
            self.saver.save(self.draft)

    def save_now(self) -> None:
        """Hand the draft to the writer at once (moving on, closing)."""
        if self._save_timer.isActive():
            self._save_timer.stop()
            self._save()

    # -- evidence ----------------------------------------------------------------------------

    def _focus_camera(self, tile: VideoTile) -> None:
        shown = [t for t in self.tiles if t.camera is not None]
        for t in shown:
            t.set_layout_context(
                len(shown), focused=t is tile
            )  # the focused one on its main stream
        tile.setFocus()

    def snapshot_for(self, row: ItemRow) -> bool:
        """A snapshot as evidence, named in the answer of the item that asked for it."""
        taken = self.take_snapshot(for_item=row)
        row.editor.setFocus()
        return taken

    def take_snapshot(
        self, tile: VideoTile | None = None, *, for_item: ItemRow | None = None
    ) -> bool:
        """The picture of `tile` (the focused one, else the first) as evidence. Taken for
        an item that asks for a picture (`for_item`, or the one being answered), the
        item's answer names it."""
        if for_item is None:
            for_item = next(
                (r for r in self.rows if r.how == PICTURE and r.editor.hasFocus()), None
            )
        if (
            self.draft is None
            or self.draft.state != "open"
            or not self.console.may("inspection.submit")
        ):
            return False
        tile = (
            tile
            or next((t for t in self.tiles if t.hasFocus() and t.camera), None)
            or next((t for t in self.tiles if t.camera is not None), None)
        )
        shot = tile.evidence_jpeg() if tile is not None else None
        if tile is None or tile.camera is None or shot is None:
            self.problems.setText(self.tr("No picture to take: the camera shows nothing yet."))
            return False
        jpeg, taken = shot
        self.save_now()
        draft, camera_id = self.draft, tile.camera.camera_id
        evidence = Evidence(camera_id, taken, jpeg)
        commands, by = self.console.commands.inspections, self.console.on_duty()

        def kept(evidence_id: int) -> None:
            if self.draft is None or self.draft.draft_id != draft.draft_id:
                return  # moved on to another point meanwhile
            self.evidence = [*self.evidence, (evidence_id, evidence)]
            self._list_evidence()
            if for_item is not None:
                for_item.note_snapshot(
                    self.tr("snapshot %1 %2")
                    .replace("%1", camera_id)
                    .replace("%2", bureau_time.bureau_text(taken, "%H:%M:%S"))
                )
            if isValid(tile):
                tile.show_notice(self.tr("Snapshot kept as evidence"))

        self.problems.clear()
        self.console.lane.run(
            self.tr("Keeping the snapshot"),
            lambda: commands.save_evidence(draft, evidence, by),
            owner=self,
            on_done=kept,
            on_failed=self.problems.setText,
            busy=[self.snapshot_button],
        )
        return True

    def _remove_evidence(self) -> None:
        item = self.evidence_list.currentItem()
        if item is None or self.draft is None or self.draft.state != "open":
            return
        evidence_id = item.data(Qt.ItemDataRole.UserRole)
        commands = self.console.commands.inspections

        def removed(_none: None) -> None:
            self.evidence = [(i, e) for i, e in self.evidence if i != evidence_id]
            self._list_evidence()

        self.console.lane.run(
            self.tr("Removing the snapshot"),
            lambda: commands.remove_evidence(evidence_id),
            owner=self,
            on_done=removed,
            on_failed=self.problems.setText,
        )

    # -- finishing ---------------------------------------------------------------------------

    def finish(self) -> bool:
        """Check the draft; submit it to the outbox, or show what is missing and go there."""
        if (
            self.draft is None
            or self.template is None
            or self.draft.state != "open"
            or not self.console.may("inspection.submit")
        ):
            return False
        self.draft = self._draft_from_form()
        problems = check(self.draft, self.template, today=bureau_time.now().date())
        by_item = {p.where: p.message for p in problems}
        for row in self.rows:
            row.mark(by_item.get(row.item.item_id))
        if problems:
            self.problems.setText("\n".join(p.message for p in problems))
            first: QWidget | None = next(
                (r.widget for r in self.rows if r.item.item_id in by_item), None
            )
            if first is None:
                first = self.findings if "findings" in by_item else self.due
            first.setFocus()
            return False
        self._save_timer.stop()  # the submission writes the whole draft
        finished = datetime.now(UTC)
        draft, template, saver = self.draft, self.template, self.saver
        commands, by = self.console.commands.inspections, self.console.on_duty()

        def submit() -> Draft:
            saver.flush()  # a version handed over before must not land after the submission
            return commands.submit(draft, template, finished, by)

        def submitted(done: Draft) -> None:
            if self.draft is not None and self.draft.draft_id == done.draft_id:
                self.draft = done
                self._show_state()
            self.submitted.emit(done.draft_id)

        def refused(text: str) -> None:
            if self.draft is not None and self.draft.draft_id == draft.draft_id:
                self.draft = draft  # open again, as it was
                self._show_state()
                self._save()  # kept as a draft meanwhile: nothing typed is lost
            self.problems.setText(text)

        # shown as submitted at once: nothing more is typed into it or handed to the saver
        self.draft = replace(draft, state="submitted", finished_at=finished)
        self.problems.clear()
        self._show_state()
        self.console.lane.run(
            self.tr("Submitting the inspection"),
            submit,
            owner=self,
            on_done=submitted,
            on_failed=refused,
        )
        return True

    def refresh_state(self) -> None:
        """The draft as the store has it now (the outbox confirms or refuses)."""
        if self.draft is not None:
            stored = self.console.store.draft(self.draft.draft_id)
            if stored is not None and stored.state != "open":
                self.draft = stored
            self._show_state()

    def _show_state(self) -> None:
        draft = self.draft
        texts = {
            "open": self.tr("Draft, saved as you type"),
            "submitted": self.tr("Submitted: waiting for the data center"),
            "sent": self.tr("Recorded by the data center as %1"),
            "failed": self.tr("Refused by the data center: %1"),
        }
        text = texts.get(draft.state, draft.state) if draft else ""
        if draft and draft.state == "sent":
            text = text.replace("%1", draft.inspection_id or "")
        if draft and draft.state == "failed":
            text = text.replace("%1", draft.error or "")
        self.state.setText(text)
        self.state.setStyleSheet(f"color: {PROBLEM};" if draft and draft.state == "failed" else "")
        editable = draft is not None and draft.state == "open"
        for row in self.rows:
            row.widget.setEnabled(editable)
        for widget in (
            self.findings,
            self.needs_rectification,
            self.finish_button,
            self.snapshot_button,
        ):
            widget.setEnabled(editable)
        self.due.setEnabled(editable and self.needs_rectification.isChecked())

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        for tile in self.tiles:
            tile.set_active(tile.camera is not None)

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().hideEvent(event)
        self.save_now()
        for tile in self.tiles:
            tile.set_active(False)
