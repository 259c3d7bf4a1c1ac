"""The shift handover (交接班): the outgoing officer sees what is open in the desk's
scope and hands it over with notes (`HandoverDialog`); the incoming officer reads it and
accepts it, or takes it with objections (`HandoverReview`). Either may keep it as a PDF
(交接班记录)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from commandcenter.domain import bureau_time
from commandcenter.domain.duty import Handover, HandoverItem, HandoverState, ItemKind
from commandcenter.domain.people import Scope
from commandcenter.services.duty import gather_open_matters
from commandcenter.services.duty import pending_handover as _pending
from commandcenter.store import Store
from commandcenter.ui.people.duty_report import ITEM_STATES, due_text, handover_pdf_job
from commandcenter.ui.widgets.panel import Console
from commandcenter.ui.widgets.progress import run_job
from commandcenter.ui.widgets.text import plain_label
from commandcenter.ui.workers.jobs import Job


def pending_handover(store: Store, scope: Scope) -> Handover | None:
    """The newest handover of the scope not answered yet, or None: after a shift change
    the sign-in shows it in a `HandoverReview` (a store read: call it off the GUI thread
    where the store may be slow)."""
    return _pending(store, scope)


class ItemsTable(QTableWidget):
    """Open matters grouped by kind: a heading row per kind, then its items."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(0, 5, parent)
        self.setHorizontalHeaderLabels(
            [
                self.tr("Id"),
                self.tr("Matter"),
                self.tr("State"),
                self.tr("Due"),
                self.tr("Last note"),
            ]
        )
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.verticalHeader().hide()
        self.setWordWrap(True)
        header = self.horizontalHeader()
        # an id's width (the kinds' headings span the row and must not widen it)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.setColumnWidth(0, self.fontMetrics().horizontalAdvance("AL-20261208-003411") + 16)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        # wrapped rows as high as their text at the columns' new widths
        header.sectionResized.connect(lambda *_: self.resizeRowsToContents())

    def kind_title(self, kind: str, count: int) -> str:
        """A kind's heading, with its count."""
        names = {
            ItemKind.ALERT: self.tr("Alerts not closed"),
            ItemKind.INSPECTION: self.tr("Rectifications due"),
            ItemKind.MEETING: self.tr("Meetings scheduled or running"),
            ItemKind.FEED: self.tr("Feeds not healthy"),
        }
        return f"{names.get(kind, kind)} ({count})"  # type: ignore[call-overload]

    def show_items(self, items: tuple[HandoverItem, ...] | list[HandoverItem]) -> None:
        """Fill the table, kind by kind (a kind without items says so)."""
        rows: list[list[str] | str] = []
        for kind in ItemKind:
            of_kind = [i for i in items if i.kind == kind]
            rows.append(self.kind_title(kind, len(of_kind)))
            for i in of_kind:
                rows.append(
                    [
                        i.ref,
                        i.title,
                        ITEM_STATES.get(i.state, i.state),
                        due_text(i.due),
                        i.last_note,
                    ]
                )
        self.clearSpans()
        self.setRowCount(len(rows))
        for n, row in enumerate(rows):
            if isinstance(row, str):
                heading = QTableWidgetItem(row)
                font = heading.font()
                font.setBold(True)
                heading.setFont(font)
                self.setItem(n, 0, heading)
                self.setSpan(n, 0, 1, 5)
                continue
            for column, text in enumerate(row):
                self.setItem(n, column, QTableWidgetItem(text))  # plain text
        self.resizeRowsToContents()


def _save_handover_pdf(parent: QWidget, console: Console, handover_id: int, button) -> None:
    path, _filter = QFileDialog.getSaveFileName(
        parent,
        QCoreApplication.translate("Handover", "Save the handover record"),
        f"交接班记录-{handover_id}.pdf",
        QCoreApplication.translate("Handover", "PDF (*.pdf)"),
    )
    if path:
        export_handover_pdf(parent, console, handover_id, Path(path), button)


def export_handover_pdf(
    parent: QWidget, console: Console, handover_id: int, path: Path, button=None
):
    """Write a handover's record (PDF) off the GUI thread; the job."""
    return run_job(
        parent,
        QCoreApplication.translate("Handover", "Writing the handover record"),
        handover_pdf_job(path, console.store, handover_id),
        on_done=lambda written: console.audit(
            "duty.handover_report", str(handover_id), {"file": Path(written).name}
        ),
        failure=QCoreApplication.translate("Handover", "The handover record was not written"),
        button=button,
    )


class HandoverDialog(QDialog):
    """For the outgoing officer: what is open now, notes, and 交班."""

    def __init__(self, console: Console, parent: QWidget | None = None):
        super().__init__(parent)
        self.console = console
        self.handover: Handover | None = None
        self.job: Job | None = None
        self.setWindowTitle(self.tr("Hand over the shift"))
        layout = QVBoxLayout(self)
        who = console.person.name if console.person is not None else console.operator
        self.header = plain_label(
            self.tr("Outgoing: %1 · %2")
            .replace("%1", who)
            .replace("%2", bureau_time.bureau_text(bureau_time.now(), "%Y-%m-%d %H:%M"))
        )
        layout.addWidget(self.header)
        self.status = plain_label(self.tr("Gathering what is open…"))
        layout.addWidget(self.status)
        self.items = ItemsTable()
        layout.addWidget(self.items, 1)
        layout.addWidget(plain_label(self.tr("Notes for the incoming officer:")))
        self.notes = QPlainTextEdit()
        self.notes.setMaximumHeight(90)
        layout.addWidget(self.notes)
        buttons = QHBoxLayout()
        self.pdf_button = QPushButton(self.tr("Handover record PDF…"))
        self.pdf_button.setEnabled(False)
        self.pdf_button.clicked.connect(
            lambda: (
                self.handover
                and _save_handover_pdf(self, console, self.handover.id or 0, self.pdf_button)
            )
        )
        buttons.addWidget(self.pdf_button)
        buttons.addStretch(1)
        self.hand_over_button = QPushButton(self.tr("Hand over"))
        self.hand_over_button.setDefault(True)
        self.hand_over_button.clicked.connect(self.hand_over)
        self.hand_over_button.setEnabled(console.may("duty.handover"))
        buttons.addWidget(self.hand_over_button)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.reject)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.resize(900, 600)
        scope = console.scope
        store = console.store
        console.reader.read(
            f"handover-gather-{id(self)}",
            lambda: gather_open_matters(store, scope, bureau_time.now().date()),
            self._gathered,
            self._failed,
            urgent=True,
        )

    def _gathered(self, items: list[HandoverItem]) -> None:
        if self.handover is None:
            self.items.show_items(items)
            self.status.setText(
                self.tr("%1 open matters in this desk's scope").replace("%1", str(len(items)))
            )

    def _failed(self, message: str) -> None:
        self.status.setText(self.tr("Could not read the local store: %1").replace("%1", message))

    def hand_over(self) -> None:
        """Hand over: what is open is gathered again as it is kept, with the notes."""
        console, notes = self.console, self.notes.toPlainText()
        by, person, scope = console.on_duty(), console.person, console.scope

        def done(handover: Handover) -> None:
            self.handover = handover
            self.items.show_items(handover.items)
            self.status.setText(
                self.tr("Handed over (record %1): waiting for the incoming officer").replace(
                    "%1", str(handover.id)
                )
            )
            self.hand_over_button.setEnabled(False)
            self.notes.setReadOnly(True)
            self.pdf_button.setEnabled(True)

        console.lane.run(
            self.tr("Handing over the shift"),
            lambda: console.commands.duty.open_handover(by, person, scope, notes),
            owner=self,
            on_done=done,
            on_failed=self.status.setText,
            busy=[self.hand_over_button],
        )


class HandoverReview(QDialog):
    """For the incoming officer: the handover read, then 接班 or 有异议."""

    def __init__(self, console: Console, handover: Handover, parent: QWidget | None = None):
        super().__init__(parent)
        self.console = console
        self.handover = handover
        self.job: Job | None = None
        self.setWindowTitle(self.tr("Take over the shift"))
        layout = QVBoxLayout(self)
        self.header = plain_label()
        self.header.setWordWrap(True)
        layout.addWidget(self.header)
        layout.addWidget(plain_label(self.tr("Notes of the outgoing officer:")))
        self.notes = plain_label(handover.notes or "—")
        self.notes.setWordWrap(True)
        layout.addWidget(self.notes)
        self.items = ItemsTable()
        self.items.show_items(handover.items)
        layout.addWidget(self.items, 1)
        layout.addWidget(plain_label(self.tr("Objections (to take over with objections):")))
        self.objections = QPlainTextEdit()
        self.objections.setMaximumHeight(60)
        layout.addWidget(self.objections)
        self.status = plain_label()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        buttons = QHBoxLayout()
        self.pdf_button = QPushButton(self.tr("Handover record PDF…"))
        self.pdf_button.clicked.connect(
            lambda: _save_handover_pdf(self, console, handover.id or 0, self.pdf_button)
        )
        buttons.addWidget(self.pdf_button)
        buttons.addStretch(1)
        self.accept_button = QPushButton(self.tr("Take over"))
        self.accept_button.setDefault(True)
        self.accept_button.clicked.connect(self.take_over)
        buttons.addWidget(self.accept_button)
        self.object_button = QPushButton(self.tr("Object…"))
        self.object_button.clicked.connect(self.object_to)
        buttons.addWidget(self.object_button)
        later = QPushButton(self.tr("Later"))
        later.clicked.connect(self.reject)
        buttons.addWidget(later)
        layout.addLayout(buttons)
        self._show_state()
        self.resize(900, 620)

    def _show_state(self) -> None:
        h = self.handover
        text = (
            self.tr("Handed over by %1 at %2 (record %3, shift of %4)")
            .replace("%1", h.outgoing_name)
            .replace("%2", bureau_time.bureau_text(h.created_at, "%Y-%m-%d %H:%M"))
            .replace("%3", str(h.id))
            .replace("%4", h.shift_date)
        )
        if h.state != HandoverState.OPEN:
            answer = (
                self.tr("accepted") if h.state == HandoverState.ACCEPTED else self.tr("objected")
            )
            text += "\n" + self.tr("Answered: %1 by %2").replace("%1", answer).replace(
                "%2", h.incoming_name or h.incoming or "?"
            )
        self.header.setText(text)
        answerable = h.state == HandoverState.OPEN and self.console.may("duty.handover")
        self.accept_button.setEnabled(answerable)
        self.object_button.setEnabled(answerable)
        self.objections.setReadOnly(not answerable)

    def _answered(self, handover: Handover) -> None:
        self.handover = handover
        self._show_state()
        self.status.setText(self.tr("Your answer is kept in the duty log."))

    def take_over(self) -> None:
        """接班: accept the shift as handed over."""
        console, handover_id = self.console, self.handover.id or 0
        by, person = console.on_duty(), console.person
        console.lane.run(
            self.tr("Taking over the shift"),
            lambda: console.commands.duty.accept_handover(by, person, handover_id),
            owner=self,
            on_done=self._answered,
            on_failed=self.status.setText,
            busy=[self.accept_button, self.object_button],
        )

    def object_to(self) -> None:
        """有异议: take the shift with the objections typed (asked for when none are)."""
        text = self.objections.toPlainText().strip()
        if not text:
            self.status.setText(self.tr("Write your objections first."))
            self.objections.setFocus()
            return
        console, handover_id = self.console, self.handover.id or 0
        by, person = console.on_duty(), console.person
        console.lane.run(
            self.tr("Objecting to the handover"),
            lambda: console.commands.duty.object_to_handover(by, person, handover_id, text),
            owner=self,
            on_done=self._answered,
            on_failed=self.status.setText,
            busy=[self.accept_button, self.object_button],
        )
