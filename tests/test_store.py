"""The store, each test on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from commandcenter.domain.records import (
    Alert,
    Camera,
    CaseStat,
    DashboardSummary,
    FeedHealthSample,
    FeedState,
    Meeting,
    Participant,
    Rejection,
    ServicePoint,
)
from commandcenter.store import Store

T0 = datetime(2026, 11, 24, 1, 30, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    if request.param == "sqlite":
        s = Store(f"sqlite:///{tmp_path / 'store.db'}")
    else:
        s = Store(request.getfixturevalue("pg_url"))
    yield s
    s.close()


def sp(point_id="SP-1", **kw) -> ServicePoint:
    base = dict(
        point_id=point_id,
        name="司法所",
        type="judicial_office",
        level="town",
        org_code="320508",
        address="路1号",
        lng=120.6,
        lat=31.3,
        coord_sys="GCJ02",
        lng_wgs84=120.595,
        lat_wgs84=31.302,
        phone="0512",
        status="online",
        staff_on_duty=2,
        open_hours="08:30-17:30",
        camera_ids=("CAM-1",),
        updated_at=T0,
    )
    base.update(kw)
    return ServicePoint(**base)


def alert(status="new", at=T0, **kw) -> Alert:
    base = dict(
        alert_id="AL-1",
        type="sos",
        severity=1,
        point_id="SP-1",
        lng=120.6,
        lat=31.3,
        coord_sys="GCJ02",
        lng_wgs84=120.59,
        lat_wgs84=31.3,
        occurred_at=T0,
        title="紧急求助",
        detail="",
        status=status,
        ack_by=None if status == "new" else "值班员",
        ack_at=None if status == "new" else at,
        updated_at=at,
    )
    base.update(kw)
    return Alert(**base)


def test_points_round_trip_and_only_changes_are_reported(store):
    events = []
    store.subscribe(events.append)
    assert store.upsert_service_points([sp("SP-1"), sp("SP-2")]) == {"SP-1", "SP-2"}
    assert store.upsert_service_points([sp("SP-1"), sp("SP-2")]) == set()
    assert store.upsert_service_points(
        [sp("SP-1", status="alarm", updated_at=T0 + timedelta(minutes=1))]
    ) == {"SP-1"}
    assert [e.kind for e in events] == ["service_points", "service_points"]
    assert events[-1].keys == frozenset({"SP-1"})
    assert store.service_point("SP-1") == sp(
        "SP-1", status="alarm", updated_at=T0 + timedelta(minutes=1)
    )
    assert [p.point_id for p in store.service_points(status="online")] == ["SP-2"]


def test_tombstone_keeps_the_row_flagged(store):
    store.upsert_service_points([sp("SP-1")])
    gone = ServicePoint(
        "SP-1",
        "",
        "",
        "",
        "",
        "",
        0,
        0,
        "",
        None,
        None,
        "",
        "",
        None,
        "",
        (),
        T0 + timedelta(hours=1),
        True,
    )
    assert store.upsert_service_points([gone]) == {"SP-1"}
    assert store.service_points() == []
    kept = store.service_point("SP-1")
    assert kept.deleted and kept.name == "司法所"


def test_absent_from_a_full_listing_is_deleted(store):
    store.upsert_service_points([sp("SP-1"), sp("SP-2")])
    assert store.mark_absent_deleted("service_points", {"SP-2"}) == {"SP-1"}
    assert [p.point_id for p in store.service_points()] == ["SP-2"]


def test_higher_revision_wins_lower_is_ignored(store):
    row = CaseStat(T0, "320508", "mediation", "hour", 5, 3, 2, 2)
    assert store.upsert_case_stats([row]) == 1
    assert store.upsert_case_stats([CaseStat(T0, "320508", "mediation", "hour", 1, 1, 1, 1)]) == 0
    assert store.upsert_case_stats([row]) == 0
    assert store.upsert_case_stats([CaseStat(T0, "320508", "mediation", "hour", 9, 3, 6, 3)]) == 1
    [stored] = store.case_stats(org_code="320508")
    assert (stored.received, stored.revision) == (9, 3)


def test_alert_history_in_order_late_and_repeated_states_ignored(store):
    assert store.upsert_alerts([alert("new")]) == {"AL-1"}
    acked = alert("acked", at=T0 + timedelta(minutes=3))
    assert store.upsert_alerts([acked, acked]) == {"AL-1"}
    assert store.upsert_alerts([alert("new")]) == set()  # an older state arriving late
    assert store.upsert_alerts([acked]) == set()  # a re-send
    history = store.alert_history("AL-1")
    assert [h["status"] for h in history] == ["new", "acked"]
    assert store.alerts()[0].status == "acked"


def test_open_alerts_are_all_found_however_old(store):
    old_open = alert("acked", alert_id="AL-OLD", occurred_at=T0 - timedelta(days=3))
    closed = [
        alert("closed", alert_id=f"AL-C{n}", occurred_at=T0 + timedelta(minutes=n))
        for n in range(50)
    ]
    store.upsert_alerts([old_open, *closed])
    assert [a.alert_id for a in store.alerts(open_only=True)] == ["AL-OLD"]
    assert "AL-OLD" not in {a.alert_id for a in store.alerts(limit=50)}  # newest first


def test_the_alert_snapshot_keeps_the_open_alerts_and_the_newest_closed_ones_reading_only_what_changed(
    store,
):
    from commandcenter.store.snapshots import AlertSnapshot

    heard = []  # a view subscribed before the snapshot was made reads it when it hears of a change
    store.subscribe(lambda event: heard.append([a.alert_id for a in snapshot.open()]))
    snapshot = AlertSnapshot(store, closed_kept=3)
    store.upsert_alerts(
        [
            alert("acked", alert_id="AL-OLD", occurred_at=T0 - timedelta(days=5)),
            *(
                alert("closed", alert_id=f"AL-C{n}", occurred_at=T0 + timedelta(seconds=n))
                for n in range(5)
            ),
            alert(alert_id="AL-N1", occurred_at=T0 + timedelta(minutes=1)),
            alert(alert_id="AL-N2", occurred_at=T0 + timedelta(minutes=2)),
        ]
    )

    def as_the_store_lists_them() -> list[str]:
        return [
            a.alert_id
            for a in store.alerts(open_only=True) + store.alerts(status="closed", limit=3)
        ]

    assert (
        [a.alert_id for a in snapshot.shown()]
        == as_the_store_lists_them()
        == ["AL-N2", "AL-N1", "AL-OLD", "AL-C4", "AL-C3", "AL-C2"]
    )
    before = {a.alert_id: a for a in snapshot.shown()}
    asked = []
    read = store.alerts
    store.alerts = lambda **kw: asked.append(kw) or read(**kw)
    assert snapshot.shown() is not None and asked == []  # nothing changed: nothing read
    # one alert acknowledged, one closed: only those two are read, the others stay the same objects
    store.upsert_alerts(
        [
            alert(
                "acked",
                alert_id="AL-N1",
                occurred_at=T0 + timedelta(minutes=1),
                at=T0 + timedelta(minutes=3),
            ),
            alert(
                "closed",
                alert_id="AL-N2",
                occurred_at=T0 + timedelta(minutes=2),
                at=T0 + timedelta(minutes=3),
            ),
        ]
    )
    now = {a.alert_id: a for a in snapshot.shown()}
    assert [sorted(kw["alert_ids"]) for kw in asked] == [["AL-N1", "AL-N2"]]
    assert (
        [a.alert_id for a in snapshot.shown()]
        == as_the_store_lists_them()
        == ["AL-N1", "AL-OLD", "AL-N2", "AL-C4", "AL-C3"]
    )
    assert (
        now["AL-N1"].status == "acked"
        and now["AL-OLD"] is before["AL-OLD"]
        and now["AL-C4"] is before["AL-C4"]
    )
    assert [a.alert_id for a in snapshot.open()] == ["AL-N1", "AL-OLD"]
    assert heard[-1] == [
        "AL-N1",
        "AL-OLD",
    ]  # the change known to the snapshot before the view heard of it
    # a read that fails loses no change: the next one reads it
    store.alerts = lambda **kw: (_ for _ in ()).throw(
        sa.exc.OperationalError("SELECT", {}, Exception("gone"))
    )
    store.upsert_alerts(
        [
            alert(
                "closed",
                alert_id="AL-OLD",
                occurred_at=T0 - timedelta(days=5),
                at=T0 + timedelta(minutes=4),
            )
        ]
    )
    with pytest.raises(sa.exc.OperationalError):
        snapshot.open()
    store.alerts = read
    assert [a.alert_id for a in snapshot.open()] == ["AL-N1"]
    snapshot.close()


def test_quarantine_counts_repeats(store):
    r = Rejection(
        "service_points",
        "SP-X",
        "lat 123.4 out of range [-90, 90]",
        {"pointId": "SP-X", "lat": 123.4},
    )
    assert store.add_rejections([r]) == 1
    assert store.add_rejections([r]) == 0
    [entry] = store.rejections()
    assert entry.times_seen == 2 and entry.raw["lat"] == 123.4


def test_feed_state_and_health(store):
    state = FeedState(
        "alerts", cursor="abc", etag='"e"', watermark=T0, last_full_sync=T0, extra={"n": 1}
    )
    store.save_feed_state(state)
    assert store.load_feed_state("alerts") == state
    store.record_feed_health(FeedHealthSample("alerts", T0, 0.1, True, 5, 0))
    store.record_feed_health(
        FeedHealthSample("alerts", T0 + timedelta(seconds=3), 0.2, False, 0, 0, "down")
    )
    assert store.last_success("alerts") == T0
    assert [s.up for s in store.feed_health("alerts")] == [False, True]
    store.reset_feed_state("alerts")
    assert store.load_feed_state("alerts") == FeedState("alerts")


def test_feeds_as_a_shared_store_records_their_polls(store):
    """What a desk that polls nothing shows in its lamps: each feed's run of failures,
    its last error and when it last succeeded, from the polls a collector recorded."""
    from commandcenter.feeds.mirrors import StoredFeeds

    for n in range(3):
        store.record_feed_health(
            FeedHealthSample("alerts", T0 + timedelta(seconds=n), 0.25, True, n, 0)
        )
    for n in range(3, 30):  # more failures than are read: the count says at least that many
        store.record_feed_health(
            FeedHealthSample("alerts", T0 + timedelta(seconds=n), 5.0, False, 0, 0, f"timeout {n}")
        )
    store.record_feed_health(FeedHealthSample("health", T0, 0.1, False, 0, 0, "refused"))
    store.record_feed_health(FeedHealthSample("health", T0 + timedelta(seconds=1), 0.5, True, 1, 0))

    history = store.feed_poll_history(["alerts", "health", "cameras"], 5)
    recent, success = history["alerts"]
    assert [s.error for s in recent] == [f"timeout {n}" for n in (29, 28, 27, 26, 25)]
    assert success.started_at == T0 + timedelta(seconds=2)
    recent, success = history["health"]
    assert [s.up for s in recent] == [True, False] and success == recent[0]
    assert history["cameras"] == ([], None)

    feeds = StoredFeeds(store, {"alerts": 1.0, "health": 5.0, "cameras": 30.0})
    feeds.apply(feeds.read())
    alerts, health, cameras = (
        feeds.coordinators[name].status for name in ("alerts", "health", "cameras")
    )
    assert alerts.last_update_success is False and alerts.last_error == "timeout 29"
    assert alerts.consecutive_failures == 20  # the polls read; there were 27
    assert alerts.last_success_at == T0 + timedelta(seconds=2.25)  # when that poll ended
    assert (
        health.last_update_success is True
        and health.last_error is None
        and health.consecutive_failures == 0
    )
    assert health.last_success_at == T0 + timedelta(seconds=1.5)
    assert cameras.last_update_success is None and cameras.last_success_at is None  # never polled


def test_outbox_lifecycle_and_idempotency_key(store):
    first = store.enqueue_command(
        kind="inspection", payload={"a": 1}, idempotency_key="k1", target="SP-1"
    )
    assert store.enqueue_command(kind="inspection", payload={"a": 1}, idempotency_key="k1") == first
    now = datetime.now(UTC)
    [due] = store.due_commands(now)
    store.mark_command_failed(due.id, error="HTTP 503", next_attempt_at=now + timedelta(seconds=30))
    assert store.due_commands(now) == []
    assert store.commands("pending")[0].attempts == 1
    store.mark_command_sent(due.id, {"inspectionId": "INS-1"})
    assert store.commands("sent")[0].result == {"inspectionId": "INS-1"}
    other = store.enqueue_command(kind="inspection", payload={}, idempotency_key="k2")
    store.mark_command_failed(
        other, error="422 results: required item I01 is missing", next_attempt_at=None
    )
    assert store.commands("failed")[0].last_error.startswith("422")


def test_summary_meeting_audit(store):
    summary = DashboardSummary(
        T0,
        {"mediation": {"received": 1, "closed": 0, "pending": 1}},
        {"agentsOnline": 3},
        {"underCorrection": 10},
        {"online": 5},
    )
    assert store.save_dashboard_summary(summary)
    assert not store.save_dashboard_summary(summary)
    assert store.latest_dashboard_summary() == summary
    meeting = Meeting(
        "MT-1",
        "吴中区司法所例会",
        "live",
        "http://x/mix",
        "SP-1",
        T0,
        (Participant("SP-2", "joined"),),
    )
    assert store.upsert_meeting(meeting) and not store.upsert_meeting(meeting)
    assert store.meetings() == [meeting]
    entry = store.append_audit(
        user="王敏",
        role="duty_officer",
        action="alert.ack",
        target="AL-1",
        detail={"note": "已处置"},
    )
    assert store.audit_log()[0].id == entry


def test_cameras(store):
    cam = Camera("CAM-1", "SP-1", "大厅", True, False, True, T0)
    assert store.upsert_cameras([cam]) == {"CAM-1"}
    assert store.cameras(point_id="SP-1") == [cam]


def test_naive_datetime_is_refused_clearly(store):
    with pytest.raises((ValueError, sa.exc.StatementError), match="naive datetime"):
        store.upsert_service_points([sp(updated_at=datetime(2026, 11, 24, 9, 30))])


def test_concurrent_writers(store):
    errors = []

    def write(n):
        try:
            for k in range(20):
                store.upsert_service_points([sp(f"SP-{n}-{k}")])
                store.record_feed_health(FeedHealthSample(f"f{n}", T0, 0.1, True, 1, 0))
        except Exception as exc:  # noqa: BLE001 - the test reports any failure
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(store.service_points()) == 80


def test_migrations_match_the_tables(store):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from commandcenter.store.schema import metadata

    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_alert_actions_are_kept_seen_once_per_operator_and_read_by_alert(store):
    from commandcenter.domain.alert_handling import Action, AlertAction

    seen = AlertAction("AL-1", Action.SEEN, "甲", T0)
    assert store.record_alert_action(seen, once=True)
    assert not store.record_alert_action(replace(seen, at=T0 + timedelta(minutes=1)), once=True)
    assert store.record_alert_action(AlertAction("AL-1", Action.SEEN, "乙", T0), once=True)
    store.record_alert_action(AlertAction("AL-1", Action.ASSIGN, "甲", T0, "丙"))
    store.record_alert_action(AlertAction("AL-2", Action.CLOSE, "甲", T0, "误报"))
    assert [a.action for a in store.alert_actions("AL-1")] == ["seen", "seen", "assign"]
    handled = store.alert_handling(["AL-1", "AL-2", "AL-3"])
    assert handled["AL-1"].assignee == "丙" and not handled["AL-1"].closed
    assert handled["AL-2"].closed and "AL-3" not in handled


def test_meeting_groups_are_saved_replaced_and_deleted(store):
    store.save_meeting_group("吴中区全部司法所", ["SP-1", "SP-2"], created_by="甲")
    store.save_meeting_group("吴中区全部司法所", ["SP-1", "SP-2", "SP-3"], created_by="甲")
    store.save_meeting_group("调解工作室", ["SP-9"], created_by="乙")
    assert store.meeting_groups() == {
        "吴中区全部司法所": ("SP-1", "SP-2", "SP-3"),
        "调解工作室": ("SP-9",),
    }
    store.delete_meeting_group("调解工作室")
    assert list(store.meeting_groups()) == ["吴中区全部司法所"]


def test_audit_entries_written_at_once_by_many_writers_form_one_chain(store):
    def write(n: int) -> None:
        for k in range(5):
            store.append_audit(
                user=f"desk{n}", role="duty_officer", action="wall.place", target=f"{n}-{k}"
            )

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    check = store.verify_audit()
    assert check.verified and check.chain.entries == 20
    assert check.head is not None and check.head.entries == 20
