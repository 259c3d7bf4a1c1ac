"""The meetings' tables: the meetings with their state and who joined, and a meeting's
participants."""

from __future__ import annotations

from collections import Counter

from commandcenter.domain import bureau_time, contract
from commandcenter.domain.geography import county_code
from commandcenter.ui.widgets import i18n
from commandcenter.ui.widgets.i18n import tr
from commandcenter.ui.widgets.tables import (
    Column,
)

STATE_COLOURS = {
    "joined": "#3fb950",
    "ringing": "#d29922",
    "declined": "#f85149",
    "left": "#8b949e",
}
STATUS_ORDER = {"live": 0, "scheduled": 1, "ended": 2}


def meeting_columns(points: dict) -> list[Column]:

    def joined(meeting) -> str:
        states = Counter(p.state for p in meeting.participants)
        return f"{states.get('joined', 0)} / {len(meeting.participants)}"

    return [
        Column(tr("Title"), lambda m: m.title),
        Column(
            tr("Status"),
            lambda m: i18n.term(contract.MEETING_STATUS_LABELS, m.status),
            sort_key=lambda m: STATUS_ORDER.get(m.status, 3),
            colour=lambda m: {"live": "#3fb950", "scheduled": "#d29922"}.get(m.status),
        ),
        Column(
            tr("Starts"),
            lambda m: bureau_time.bureau_text(m.start_at, "%m-%d %H:%M"),
            sort_key=lambda m: m.start_at.timestamp() if m.start_at else None,
        ),
        Column(tr("Joined"), joined),
        Column(
            tr("Host"),
            lambda m: getattr(points.get(m.host_point_id or ""), "name", m.host_point_id or ""),
        ),
        Column(tr("ID"), lambda m: m.meeting_id),
    ]


def participant_columns(points: dict) -> list[Column]:

    def county(p) -> str:
        point = points.get(p.point_id)
        return i18n.place(county_code(point.org_code)) if point else ""

    return [
        Column(tr("Participant"), lambda p: getattr(points.get(p.point_id), "name", p.point_id)),
        Column(tr("County"), county),
        Column(
            tr("State"),
            lambda p: i18n.term(contract.PARTICIPANT_STATE_LABELS, p.state),
            colour=lambda p: STATE_COLOURS.get(p.state),
        ),
    ]
