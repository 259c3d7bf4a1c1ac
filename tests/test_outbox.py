"""The outbox sends operators' commands to a real simulated data center, once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from commandcenter.feeds.outbox import OutboxSender


def test_a_meeting_is_launched_once_and_its_participants_followed(
    store, city_world_factory, datacenter_factory, client_factory
):
    world = city_world_factory(fresh=True)
    server = datacenter_factory(world)
    client = client_factory(server.url, retries=0)
    offices = [p["pointId"] for p in world.service_points() if p["type"] == "judicial_office"][:5]
    payload = {
        "title": "吴中区司法所视频会议",
        "hostPointId": offices[0],
        "participants": offices,
        "startAt": None,
    }
    store.enqueue_command(
        kind="meeting_launch", payload=payload, idempotency_key="launch-1", target="t"
    )
    sender = OutboxSender(client, store)
    assert sender.send_due() == 1
    [meeting] = store.meetings()
    assert meeting.title == "吴中区司法所视频会议" and len(meeting.participants) == 5
    # a launch retried with its key (the answer was lost) is the same meeting
    again = client.post("/meetings", payload, idempotency_key="launch-1")
    assert again.data["meetingId"] == meeting.meeting_id
    sender.refresh_open_meetings()
    assert [m.meeting_id for m in store.meetings()] == [meeting.meeting_id]
    assert store.commands(state="sent")[0].result["meetingId"] == meeting.meeting_id


def test_refusals_fail_with_the_reason_and_outages_retry_later(
    store, city_world_factory, datacenter_factory, client_factory
):
    server = datacenter_factory(city_world_factory())
    client = client_factory(server.url, retries=0)
    store.enqueue_command(
        kind="meeting_launch",
        payload={"title": "x", "participants": ["SP-nowhere"]},
        idempotency_key="bad-1",
    )
    sender = OutboxSender(client, store)
    sender.send_due()
    [failed] = store.commands(state="failed")
    assert "422" in failed.last_error or "participants" in failed.last_error
    server.faults.update(down=True)
    store.enqueue_command(
        kind="alert_ack",
        payload={"alertId": "AL-1", "ackBy": "甲", "note": ""},
        idempotency_key="ack-1",
    )
    sender.send_due()
    [pending] = store.commands(state="pending")
    assert pending.attempts == 1 and pending.next_attempt_at > datetime.now(UTC) + timedelta(
        seconds=1
    )
