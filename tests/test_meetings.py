"""Composing meetings: groups, the host, the 64-participant limit counted as the data
center counts it, the launch body."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from commandcenter.domain import meetings
from commandcenter.domain.records import Meeting, Participant
from commandcenter.store.outbox import OutboxEntry

T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def command(n: int, state: str, add=(), remove=(), meeting_id="MT-1") -> OutboxEntry:
    return OutboxEntry(
        n,
        "meeting_participants",
        f"k{n}",
        meeting_id,
        {"meetingId": meeting_id, "add": list(add), "remove": list(remove)},
        state,
        0,
        T0,
        None,
        T0,
        None,
        None,
    )


def test_the_limit_counts_what_the_data_center_counts():
    meeting = Meeting(
        "MT-1",
        "例会",
        "live",
        None,
        None,
        T0,
        tuple(Participant(f"SP-{n}", "joined" if n % 2 else "left") for n in range(60)),
    )
    commands = [
        command(1, "sent", remove=["SP-0", "SP-2"]),
        command(2, "pending", add=["SP-100"]),
        command(3, "failed", add=["SP-200"]),
        command(4, "sent", add=["SP-2"]),
        command(5, "sent", add=["SP-300"], meeting_id="MT-other"),
    ]
    counted = meetings.counted(meeting, commands)
    # removed by us: not counted (unless invited again); left by themselves: still counted, to be safe
    assert "SP-0" not in counted and "SP-2" in counted and "SP-4" in counted
    assert "SP-100" in counted and "SP-200" not in counted and "SP-300" not in counted
    assert len(counted) == 60
    assert meetings.over_limit(len(counted) + 5) == 1 and meetings.over_limit(64) == 0


def test_a_launch_body_has_each_participant_once_and_the_time_in_the_contracts_form():
    body = meetings.launch_body(
        "调解例会", "SP-H", ["SP-1", "SP-2", "SP-1"], datetime(2026, 11, 25, 1, 30, tzinfo=UTC)
    )
    assert body == {
        "title": "调解例会",
        "hostPointId": "SP-H",
        "participants": ["SP-1", "SP-2"],
        "startAt": "2026-11-25T09:30:00+08:00",
    }
    assert meetings.launch_body("x", "SP-H", ["SP-1"], None)["startAt"] is None
    with pytest.raises(ValueError, match="at most 64 participants, got 65"):
        meetings.launch_body("x", "SP-H", [f"SP-{n}" for n in range(65)], None)
    with pytest.raises(ValueError, match="at least one"):
        meetings.launch_body("x", "SP-H", [], None)


def test_groups_and_the_host(store, city_world_factory):
    from commandcenter.feeds.parsing import parse_service_point

    world = city_world_factory()
    points = [parse_service_point(p) for p in world.service_points()]
    wuzhong = meetings.group_members(points, county="320506", point_type="judicial_office")
    assert wuzhong and all(
        p.org_code.startswith("320506") and p.type == "judicial_office" for p in wuzhong
    )
    assert [p.name for p in wuzhong] == sorted(p.name for p in wuzhong)
    city = meetings.group_members(points, county=None, point_type="judicial_office")
    assert len(city) > len(wuzhong)
    host = meetings.default_host(points, [wuzhong[0].point_id])
    assert next(p for p in points if p.point_id == host).org_code == "320500"
    assert meetings.default_host([], ["SP-1"]) == "SP-1"
