"""A span of days chosen by the operator: from and to, at most a year."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyqtgraph.exporters  # noqa: F401 - pg.exporters
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
)

from commandcenter.ui.widgets.bureau_clock import instant_of, show_instant

MAX_CUSTOM_DAYS = 366


class CustomRangeDialog(QDialog):
    """A span of whole hours, at most a year."""

    def __init__(self, start: datetime, end: datetime, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Custom range"))
        self.start = QDateTimeEdit()
        self.end = QDateTimeEdit()
        for edit, shown in ((self.start, start), (self.end, end)):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd HH:00")
            show_instant(edit, shown)  # the bureau's clock, as every time shown
        self.problem = QLabel()
        self.problem.setObjectName("formProblem")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("From"), self.start)
        form.addRow(self.tr("Until"), self.end)
        form.addRow(self.problem)
        form.addRow(buttons)

    def span(self) -> tuple[datetime, datetime]:
        def hour(edit: QDateTimeEdit) -> datetime:
            t = instant_of(edit)
            return t.replace(minute=0, second=0, microsecond=0).astimezone(UTC)

        return hour(self.start), hour(self.end)

    def accept(self) -> None:
        start, end = self.span()
        if end <= start:
            self.problem.setText(self.tr("The end must be after the start."))
            return
        if end - start > timedelta(days=MAX_CUSTOM_DAYS):
            self.problem.setText(
                self.tr("At most %1 days at a time.").replace("%1", str(MAX_CUSTOM_DAYS))
            )
            return
        super().accept()
