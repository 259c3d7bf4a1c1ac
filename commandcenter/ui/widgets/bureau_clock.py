"""The bureau's clock in Qt's widgets: date-time editors that show and take the
bureau's wall time (domain/bureau_time.py), whatever the workstation's zone.

A QDateTimeEdit works in the machine's local time by default; here it works in UTC
and holds the bureau's wall time in its fields, so that no local rule (a daylight
saving gap the bureau does not have) moves what the operator typed.
"""

from __future__ import annotations

from datetime import date, datetime, time

from PySide6.QtCore import QDate, QDateTime, QTime, QTimeZone
from PySide6.QtWidgets import QDateTimeEdit

from commandcenter.domain import bureau_time


def show_instant(edit: QDateTimeEdit, instant: datetime) -> None:
    """Set the editor to the instant as the bureau's clocks show it."""
    local = bureau_time.at_bureau(instant)
    edit.setTimeZone(QTimeZone.utc())
    edit.setDateTime(
        QDateTime(
            QDate(local.year, local.month, local.day),
            QTime(local.hour, local.minute, local.second),
            QTimeZone.utc(),
        )
    )


def instant_of(edit: QDateTimeEdit) -> datetime:
    """The instant the editor's date and time name on the bureau's clocks."""
    shown = edit.dateTime()
    d, t = shown.date(), shown.time()
    return bureau_time.from_wall_time(
        date(d.year(), d.month(), d.day()), time(t.hour(), t.minute(), t.second())
    )
