"""The duty log panel (值班日志): a day's entries as the desk's scope sees them, by
shift and person; an entry written, an entry corrected (a new entry naming it: nothing
is ever changed), the handover opened, and the day exported as PDF or XLSX."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
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
from commandcenter.domain.duty import CLIENT, DAY, NIGHT, DutyEntry, Kind, shift_of
from commandcenter.domain.filenames import name_part
from commandcenter.ui.people.duty_report import (
    corrections,
    duty_log_pdf_job,
    duty_log_xlsx_job,
    entry_words,
)
from commandcenter.ui.widgets.flow import FlowLayout
from commandcenter.ui.widgets.panel import Console, Panel
from commandcenter.ui.widgets.progress import run_job
from commandcenter.ui.widgets.text import plain_label
from commandcenter.ui.workers.jobs import Job

ALL = ""


@dataclass(frozen=True)
class DayLog:
    """What the panel shows: the day and its entries, newest first."""

    day: date
    entries: list[DutyEntry]


def current_shift_date() -> date:
    """The bureau date of the shift on duty now (at 03:00: yesterday's)."""
    return date.fromisoformat(shift_of(datetime.now(UTC))[0])


class CorrectionDialog(QDialog):
    """The new text of an entry being corrected; the old one stays in the log."""

    def __init__(self, entry: DutyEntry, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Correct a duty-log entry"))
        layout = QVBoxLayout(self)
        said = plain_label(
            self.tr("Entry %1, %2, %3:")
            .replace("%1", str(entry.id))
            .replace("%2", bureau_time.bureau_text(entry.at, "%H:%M"))
            .replace("%3", entry.author_name)
        )
        layout.addWidget(said)
        old = plain_label(entry.text)
        old.setWordWrap(True)
        layout.addWidget(old)
        layout.addWidget(plain_label(self.tr("The corrected text (the entry itself is kept):")))
        self.text = QPlainTextEdit(entry.text)
        layout.addWidget(self.text)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(520, 300)


class DutyLogPanel(Panel):
    """The duty log of a chosen day: read, written, corrected, exported."""

    reload_on = ("duty_log", "handovers")

    def __init__(self, console: Console, parent: QWidget | None = None):
        super().__init__(console, parent)
        self.setObjectName("dutyLog")
        self.data: DayLog | None = None
        self.job: Job | None = None

        # the filters and the actions in one row that wraps: a bottom dock at 1366×768 has
        # room for a few lines of the log only
        filters = FlowLayout()
        filters.addWidget(plain_label(self.tr("Day")))
        self.day = QDateEdit()
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        today = current_shift_date()
        self.day.setDate(QDate(today.year, today.month, today.day))
        self.day.dateChanged.connect(lambda _d: self.reload(urgent=True))
        filters.addWidget(self.day)
        filters.addWidget(plain_label(self.tr("Shift")))
        self.shift = QComboBox()
        self.shift.addItem(self.tr("All shifts"), ALL)
        self.shift.addItem(self.tr("Day shift"), DAY)
        self.shift.addItem(self.tr("Night shift"), NIGHT)
        self.shift.currentIndexChanged.connect(lambda _i: self._fill())
        filters.addWidget(self.shift)
        filters.addWidget(plain_label(self.tr("Person")))
        self.person = QComboBox()
        self.person.addItem(self.tr("Everyone"), ALL)
        self.person.currentIndexChanged.connect(lambda _i: self._fill())
        filters.addWidget(self.person)
        self.count = plain_label()
        filters.addWidget(self.count)
        self.correct_button = QPushButton(self.tr("Correct…"))
        self.correct_button.clicked.connect(self.correct_selected)
        self.correct_button.setEnabled(False)
        filters.addWidget(self.correct_button)
        self.handover_button = QPushButton(self.tr("Hand over the shift…"))
        self.handover_button.clicked.connect(self.hand_over)
        filters.addWidget(self.handover_button)
        self.pdf_button = QPushButton(self.tr("Export duty log PDF…"))
        self.pdf_button.clicked.connect(lambda: self.export_pdf())
        filters.addWidget(self.pdf_button)
        self.xlsx_button = QPushButton(self.tr("Export XLSX…"))
        self.xlsx_button.clicked.connect(lambda: self.export_xlsx())
        filters.addWidget(self.xlsx_button)
        self.body.addLayout(filters)

        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("No."),
                self.tr("Time"),
                self.tr("Shift"),
                self.tr("Person"),
                self.tr("Kind"),
                self.tr("Text"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for column in range(5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.body.addWidget(self.table, 1)

        writing = QHBoxLayout()
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText(self.tr("What happened on duty…"))
        # two lines high: it grows no further, the log above keeps the room
        lines = self.text.fontMetrics().lineSpacing()
        self.text.setFixedHeight(2 * lines + 2 * int(self.text.document().documentMargin()) + 6)
        writing.addWidget(self.text, 1)
        self.write_button = QPushButton(self.tr("Record"))
        self.write_button.clicked.connect(self.write_entry)
        writing.addWidget(self.write_button)
        self.body.addLayout(writing)
        self.apply_role(console.role)
        self.reload()

    # -- reading ------------------------------------------------------------------------

    def chosen_day(self) -> date:
        """The day shown."""
        d = self.day.date()
        return date(d.year(), d.month(), d.day())

    def read(self) -> DayLog:
        """The chosen day's entries the desk's scope sees (worker thread)."""
        day = self.chosen_day()
        entries = self.console.store.duty_entries(
            shift_date=day.isoformat(), scope=self.console.scope, limit=None
        )
        return DayLog(day, entries)

    def show_data(self, data: DayLog) -> None:
        """Show the day read, keeping the filters chosen when they still apply."""
        if data.day != self.chosen_day():
            return  # another day was chosen meanwhile: its reading follows
        self.data = data
        chosen = self.person.currentData()
        people = sorted({(e.author, e.author_name) for e in data.entries}, key=lambda p: p[1])
        self.person.blockSignals(True)
        self.person.clear()
        self.person.addItem(self.tr("Everyone"), ALL)
        for author, name in people:
            self.person.addItem(name if author == name else f"{name} ({author})", author)
        found = self.person.findData(chosen)
        self.person.setCurrentIndex(max(found, 0))
        self.person.blockSignals(False)
        # a roster's shifts (contract 4.2) beside the usual two, as the day has them
        self.shift.blockSignals(True)
        for shift_id in sorted({e.shift_id for e in data.entries if e.shift_id} - {DAY, NIGHT}):
            if self.shift.findData(shift_id) < 0:
                self.shift.addItem(shift_id, shift_id)
        self.shift.blockSignals(False)
        self._fill()

    def shown_entries(self) -> list[DutyEntry]:
        """The entries in the table, newest first, as filtered."""
        if self.data is None:
            return []
        shift, person = self.shift.currentData(), self.person.currentData()
        return [
            e
            for e in self.data.entries
            if (not shift or e.shift_id == shift) and (not person or e.author == person)
        ]

    def kind_name(self, kind: str) -> str:
        """A kind of entry in the interface's language."""
        names = {
            Kind.ENTRY: self.tr("Entry"),
            Kind.CORRECTION: self.tr("Correction"),
            Kind.ALERT: self.tr("Alert"),
            Kind.FEED: self.tr("Feed"),
            Kind.HANDOVER: self.tr("Handover"),
            Kind.SIGN_IN: self.tr("Sign-in"),
        }
        return names.get(kind, kind)  # type: ignore[call-overload]

    def shift_label(self, shift_id: str | None) -> str:
        """A shift in the interface's language."""
        if shift_id == DAY:
            return self.tr("Day shift")
        if shift_id == NIGHT:
            return self.tr("Night shift")
        return shift_id or "—"

    def _fill(self) -> None:
        entries = self.shown_entries()
        corrected = corrections(self.data.entries if self.data else [])
        selected = self.selected_entry()
        self.table.setRowCount(len(entries))
        for row, e in enumerate(entries):
            kind = self.kind_name(e.kind)
            if e.id in corrected:
                kind += self.tr(" (corrected)")
            who = e.author_name if e.author != CLIENT else self.tr("Client")
            cells = [
                str(e.id),
                bureau_time.bureau_text(e.at, "%H:%M:%S"),
                self.shift_label(e.shift_id),
                who,
                kind,
                entry_words(e, corrected),
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)  # plain text: never rich text
                item.setData(Qt.ItemDataRole.UserRole, e.id)
                if e.id in corrected:
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(row, column, item)
            if selected is not None and e.id == selected.id:
                self.table.selectRow(row)
        self.table.resizeRowsToContents()
        self.count.setText(self.tr("%1 entries").replace("%1", str(len(entries))))
        self._selection_changed()

    def selected_entry(self) -> DutyEntry | None:
        """The entry selected in the table, if any."""
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or self.data is None:
            return None
        item = self.table.item(rows[0].row(), 0)
        entry_id = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return next((e for e in self.data.entries if e.id == entry_id), None)

    def _selection_changed(self) -> None:
        entry = self.selected_entry()
        self.correct_button.setEnabled(
            entry is not None and entry.author != CLIENT and self.console.may("duty.log")
        )
        self.hold_busy()

    # -- commands -----------------------------------------------------------------------

    def apply_role(self, role: str) -> None:
        """Writing and handing over: duty officers and supervisors."""
        may_log = self.console.may("duty.log")
        self.text.setEnabled(may_log)
        self.write_button.setEnabled(may_log)
        self.handover_button.setEnabled(self.console.may("duty.handover"))
        self._selection_changed()

    def write_entry(self) -> None:
        """Record the text typed as an entry of the current shift."""
        text = self.text.toPlainText().strip()
        if not text:
            self.command_notice.setText(self.tr("Write what happened first."))
            self.command_notice.show()
            return
        console = self.console
        by, person, scope = console.on_duty(), console.person, console.scope

        def done(_entry_id: int) -> None:
            self.text.clear()
            current = current_shift_date()
            if self.chosen_day() != current:
                self.day.setDate(QDate(current.year, current.month, current.day))
            self.reload(urgent=True)

        self.run_command(
            self.tr("Writing the duty log"),
            lambda: console.commands.duty.write_entry(by, person, text, scope),
            on_done=done,
            busy=[self.write_button],
        )

    def correct_selected(self, text: str | None = None) -> None:
        """Correct the selected entry: a dialog asks for the new text (unless given)."""
        entry = self.selected_entry()
        if entry is None:
            return
        if text is None:
            dialog = CorrectionDialog(entry, self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            text = dialog.text.toPlainText()
        console = self.console
        by, person, new_text = console.on_duty(), console.person, text
        self.run_command(
            self.tr("Correcting the duty log"),
            lambda: console.commands.duty.correct_entry(by, person, entry.id, new_text),
            on_done=lambda _id: self.reload(urgent=True),
            busy=[self.correct_button],
        )

    def hand_over(self) -> None:
        """The handover dialog for the outgoing officer."""
        from commandcenter.ui.people.handover import HandoverDialog

        dialog = HandoverDialog(self.console, self)
        dialog.open()

    # -- exports ------------------------------------------------------------------------

    def _save_path(self, title: str, suffix: str, kind_filter: str) -> Path | None:
        day = self.chosen_day()
        suggested = f"{name_part('值班日志-' + day.isoformat())}.{suffix}"
        path, _filter = QFileDialog.getSaveFileName(self, title, suggested, kind_filter)
        return Path(path) if path else None

    def export_pdf(self, path: Path | None = None) -> None:
        """The chosen day's log as an A4 PDF (值班日志), written off the GUI thread."""
        self._export("pdf", self.tr("PDF (*.pdf)"), duty_log_pdf_job, self.pdf_button, path)

    def export_xlsx(self, path: Path | None = None) -> None:
        """The chosen day's log as an XLSX workbook, written off the GUI thread."""
        self._export(
            "xlsx", self.tr("Excel workbook (*.xlsx)"), duty_log_xlsx_job, self.xlsx_button, path
        )

    def _export(self, kind: str, kind_filter: str, job, button, path: Path | None) -> None:
        path = path or self._save_path(self.tr("Save the duty log"), kind, kind_filter)
        if path is None:
            return
        day = self.chosen_day()
        self.job = run_job(
            self,
            self.tr("Writing the duty log"),
            job(path, self.console.store, day, self.console.scope),
            on_done=lambda written: self._exported(written, day, kind),
            failure=self.tr("The duty log was not written"),
            button=button,
        )

    def _exported(self, path: Path, day: date, kind: str) -> None:
        self.console.audit("duty.export", day.isoformat(), {"file": Path(path).name, "as": kind})
        self.count.setText(self.tr("Written to %1").replace("%1", str(path)))
