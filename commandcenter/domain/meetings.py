"""Video meetings (contract 3.12) as the conference desk composes and runs them: who
is invited, who the data center counts against the 64-participant limit, and the
bodies of the requests that launch and change a meeting.

The limit is checked here, before any request: an operator told by a 422 after
pressing "launch" has lost the moment; told while composing, they choose a county.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from commandcenter.domain.contract import MAX_MEETING_PARTICIPANTS, PointType
from commandcenter.domain.geography import CITY_CODE
from commandcenter.domain.records import Meeting
from commandcenter.domain.timefmt import format_iso_time


def group_members(points: Iterable, *, county: str | None, point_type: str) -> list:
    """Every live service point of this type, in this county (None: the whole city), by name."""
    return sorted(
        (
            p
            for p in points
            if p.type == point_type
            and not p.deleted
            and (not county or p.org_code.startswith(county))
        ),
        key=lambda p: p.name,
    )


def default_host(points: Iterable, participants: Sequence[str]) -> str | None:
    """The city's public legal service center hosts, as the command center's own point;
    without it, the first participant."""
    city = next(
        (
            p.point_id
            for p in points
            if p.org_code == CITY_CODE
            and p.type == PointType.LEGAL_SERVICE_CENTER
            and not p.deleted
        ),
        None,
    )
    return city or (participants[0] if participants else None)


def over_limit(count: int) -> int:
    """How many participants too many (0: within the limit)."""
    return max(0, count - MAX_MEETING_PARTICIPANTS)


def launch_body(
    title: str, host_point_id: str | None, participants: Sequence[str], start_at: datetime | None
) -> dict:
    """The body of POST /meetings: unique participants in the order chosen."""
    if not participants:
        raise ValueError("a meeting needs at least one participant")
    if over_limit(len(set(participants))):
        raise ValueError(
            f"at most {MAX_MEETING_PARTICIPANTS} participants, got {len(set(participants))}"
        )
    return {
        "title": title,
        "hostPointId": host_point_id,
        "participants": list(dict.fromkeys(participants)),
        "startAt": format_iso_time(start_at) if start_at is not None else None,
    }


def counted(meeting: Meeting, commands: Iterable[Any]) -> set[str]:
    """The participants the data center counts against the limit: those it lists, less
    those this command center has removed, plus those it is adding (commands of kind
    meeting_participants for this meeting, oldest first, refused ones left out). A
    participant who left by themselves may still count: they are kept, to be safe."""
    invited = {p.point_id for p in meeting.participants}
    for command in commands:
        if (
            command.kind != "meeting_participants"
            or command.state == "failed"
            or command.payload.get("meetingId") != meeting.meeting_id
        ):
            continue
        invited |= set(command.payload.get("add", []))
        invited -= set(command.payload.get("remove", []))
    return invited
