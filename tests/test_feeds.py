"""Feed adapters against the simulated data center over real HTTP on loopback."""

from __future__ import annotations

import logging

import pytest

from commandcenter.feeds.catalog import build_feeds
from commandcenter.feeds.client import AuthError, BadResponse, RetryLater, Unreachable
from commandcenter.feeds.coordinator import FeedCoordinator
from commandcenter.feeds.runner import FeedRunner
from tests.conftest import ManualClock


def make_runner(client, store, **intervals) -> FeedRunner:
    feeds = build_feeds(client, store, intervals or None)
    return FeedRunner(FeedCoordinator(feed, store) for feed in feeds)


def valid_count(items, id_field: str, dirty_ids: set) -> int:
    return len({i[id_field] for i in items if not i.get("deleted") and i.get(id_field)} - dirty_ids)


def test_full_sync_stores_the_whole_city(
    city_world_factory, datacenter_factory, client_factory, store
):
    world = city_world_factory()
    server = datacenter_factory(world)
    runner = make_runner(client_factory(server.url), store)
    runner.run_once()
    failed = {
        n: c.status.last_error
        for n, c in runner.coordinators.items()
        if not c.status.last_update_success
    }
    assert failed == {}
    with world.lock:
        points = [p for p in world.service_points() if not p.get("deleted")]
        cameras = [c for c in world.cameras() if not c.get("deleted")]
        orgs = [o for o in world.orgs() if not o.get("deleted")]
    assert len(store.service_points()) == len(points)
    assert len(store.cameras()) == len(cameras)
    assert len(store.orgs()) == len(orgs)
    assert store.latest_dashboard_summary() is not None
    assert store.inspection_templates()
    assert store.case_stats(granularity="hour")
    assert store.alerts()
    assert store.rejections() == []
    stored = {p.point_id: p for p in store.service_points()}
    sample = points[len(points) // 2]
    assert stored[sample["pointId"]].status == sample["status"]
    assert stored[sample["pointId"]].lng == sample["lng"]


def test_incremental_poll_brings_exactly_what_changed(
    city_world_factory, datacenter_factory, client_factory, store
):
    clock = ManualClock()
    world = city_world_factory(clock=clock)
    server = datacenter_factory(world)
    runner = make_runner(client_factory(server.url), store)
    runner.run_once()
    points = runner["service_points"]

    points.refresh()  # nothing changed since the full pass
    assert points.status.last_result.changed == 0

    with world.lock:
        target = next(p for p in world.service_points() if p.get("status") == "online")
        world.set_point_status(target["pointId"], "alarm")
    clock.advance(seconds=1)
    heard = []
    points.add_listener(heard.append)
    points.refresh()
    assert points.status.last_update_success
    assert points.status.last_result.changed == 1
    assert store.service_point(target["pointId"]).status == "alarm"
    assert len(heard) == 1

    with world.lock:
        world.delete_point(target["pointId"])
    clock.advance(seconds=1)
    points.refresh()
    assert target["pointId"] not in {p.point_id for p in store.service_points()}
    assert (
        store.service_point(target["pointId"]) is None
        or store.service_point(target["pointId"]).deleted
    )


def test_unchanged_snapshot_is_a_304(city_world_factory, datacenter_factory, client_factory, store):
    clock = ManualClock()
    server = datacenter_factory(city_world_factory(clock=clock))
    runner = make_runner(client_factory(server.url), store)
    runner["inspection_templates"].refresh()
    runner["inspection_templates"].refresh()
    assert runner["inspection_templates"].status.last_result.not_modified


def test_wrong_sk_is_an_auth_error_that_never_shows_the_secret(
    city_world_factory, datacenter_factory, client_factory, store
):
    server = datacenter_factory(city_world_factory())
    client = client_factory(server.url, secret="not-the-right-secret")
    with pytest.raises(AuthError) as info:
        client.get("/orgs", {"pageSize": 1})
    assert info.value.code == "0x02401003"
    runner = make_runner(client, store)
    runner["orgs"].refresh()
    status = runner["orgs"].status
    assert status.last_update_success is False
    assert "0x02401003" in status.last_error
    assert "not-the-right-secret" not in status.last_error


def test_client_survives_a_data_center_clock_far_off(
    city_world_factory, datacenter_factory, client_factory, caplog
):
    server = datacenter_factory(city_world_factory())
    server.faults.update(clock_skew_s=3600)
    client = client_factory(server.url)
    caplog.set_level(logging.WARNING)
    response = client.get("/orgs", {"pageSize": 1})
    assert response.data["list"]
    assert abs(client.clock_offset_ms - 3_600_000) < 5_000


def test_cursor_unknown_to_a_restarted_server_restarts_without_duplicates(
    city_world_factory, datacenter_factory, client_factory, store
):
    clock = ManualClock()
    world = city_world_factory(clock=clock)
    first = datacenter_factory(world)
    runner = make_runner(client_factory(first.url), store)
    runner["alerts"].refresh()
    count = len(store.alerts())
    history = {a.alert_id: len(store.alert_history(a.alert_id)) for a in store.alerts()}
    assert count > 0
    port = first.port
    first.stop()
    # Same world, new server process state: old cursors are from another epoch.
    second = datacenter_factory(world, port=port)
    runner["alerts"].refresh()
    status = runner["alerts"].status
    assert status.last_update_success, status.last_error
    assert len(store.alerts()) == count
    assert {a.alert_id: len(store.alert_history(a.alert_id)) for a in store.alerts()} == history
    assert second.port == port


def test_late_revision_replaces_the_bucket(
    city_world_factory, datacenter_factory, client_factory, store
):
    clock = ManualClock()
    world = city_world_factory(clock=clock)
    server = datacenter_factory(world)
    runner = make_runner(client_factory(server.url), store)
    runner["stats_hour"].refresh()
    county = "320506"
    current = max(
        (s for s in store.case_stats(org_code=county, category="mediation")), key=lambda s: s.bucket
    )
    with world.lock:
        world.inject_stat_spike(org_code=county, category="mediation", factor=6.0)
    clock.advance(seconds=5)
    runner["stats_hour"].refresh()
    after = {s.bucket: s for s in store.case_stats(org_code=county, category="mediation")}[
        current.bucket
    ]
    assert after.revision > current.revision
    assert after.received > current.received


def test_dirty_records_are_quarantined_and_the_rest_is_stored(
    city_world_factory, datacenter_factory, client_factory, store
):
    world = city_world_factory(dirty=True)
    server = datacenter_factory(world)
    runner = make_runner(client_factory(server.url), store)
    runner.run_once()
    assert all(c.status.last_update_success for c in runner.coordinators.values())
    rejections = store.rejections()
    assert rejections, "the dirty world must produce rejections"
    assert all(r.reason for r in rejections)
    by_feed = {}
    for feed, record_id, defect in world.dirty_records:
        by_feed.setdefault(feed, []).append((record_id, defect))
    quarantined_feeds = {r.feed for r in rejections}
    for feed in ("service_points", "cameras", "orgs", "alerts"):
        if feed in by_feed:
            assert feed in quarantined_feeds
    # every valid point is stored despite the dirty neighbours on its page
    dirty_point_ids = {rid for feed, rid, _ in world.dirty_records if feed == "service_points"}
    with world.lock:
        valid = {
            p["pointId"]
            for p in world.service_points()
            if isinstance(p.get("pointId"), str) and not p.get("deleted")
        }
    stored = {p.point_id for p in store.service_points()}
    assert valid - dirty_point_ids <= stored


@pytest.mark.parametrize(
    ("faults", "error"),
    [
        ({"reset_rate": 1.0}, Unreachable),
        ({"truncate_rate": 1.0}, BadResponse),
        ({"html_error_rate": 1.0}, BadResponse),
        ({"rate_limit_rate": 1.0}, RetryLater),
        ({"unavailable_rate": 1.0}, RetryLater),
    ],
)
def test_each_fault_is_a_clear_error(
    city_world_factory, datacenter_factory, client_factory, faults, error
):
    server = datacenter_factory(city_world_factory())
    server.faults.update(**faults)
    client = client_factory(server.url, retries=0)
    with pytest.raises(error) as info:
        client.get("/orgs", {"pageSize": 1})
    assert str(info.value)
    if error is RetryLater:
        assert info.value.retry_after is not None


def test_retry_after_postpones_the_feed(
    city_world_factory, datacenter_factory, client_factory, store
):
    server = datacenter_factory(city_world_factory())
    server.faults.update(rate_limit_rate=1.0)
    runner = make_runner(client_factory(server.url, retries=0), store)
    coordinator = runner["orgs"]
    coordinator.refresh()
    assert coordinator.status.last_update_success is False
    import time

    assert coordinator.not_before > time.monotonic()


def test_data_center_down_then_back(city_world_factory, datacenter_factory, client_factory, store):
    server = datacenter_factory(city_world_factory())
    runner = make_runner(client_factory(server.url, retries=0), store)
    coordinator = runner["health"]
    coordinator.refresh()
    assert coordinator.status.last_update_success
    server.faults.update(down=True)
    coordinator.refresh()
    assert coordinator.status.last_update_success is False
    assert "refused" in coordinator.status.last_error
    server.faults.update(down=False)
    coordinator.refresh()
    assert coordinator.status.last_update_success


def test_sync_survives_503s_and_resets(
    city_world_factory, datacenter_factory, client_factory, store
):
    """30 % 503 and 10 % connection resets: in-poll retries and the coordinator's
    next polls still bring every valid record."""
    world = city_world_factory()
    server = datacenter_factory(world)
    server.faults.update(unavailable_rate=0.3, reset_rate=0.1, retry_after_s=0)
    runner = make_runner(client_factory(server.url, max_retry_wait_s=2), store)
    for _ in range(6):
        pending = [c for c in runner.coordinators.values() if not c.status.last_update_success]
        if not pending:
            break
        for c in pending:
            c.refresh()
    assert all(c.status.last_update_success for c in runner.coordinators.values())
    with world.lock:
        points = [p for p in world.service_points() if not p.get("deleted")]
    assert len(store.service_points()) == len(points)


def test_idempotent_create_is_created_once(city_world_factory, datacenter_factory, client_factory):
    clock = ManualClock()
    world = city_world_factory(clock=clock)
    server = datacenter_factory(world)
    client = client_factory(server.url)
    with world.lock:
        template = world.inspection_templates()[0]
        point = next(p for p in world.service_points() if p.get("type") == "judicial_office")
    body = {
        "pointId": point["pointId"],
        "templateId": template["templateId"],
        "templateVersion": template["version"],
        "inspector": "张督查",
        "startedAt": "2026-11-24T09:30:00+08:00",
        "finishedAt": "2026-11-24T09:45:00+08:00",
        "results": [
            {
                "itemId": item["itemId"],
                "passed": True if item["kind"] == "pass_fail" else None,
                "score": item["maxScore"] if item["kind"] == "score" else None,
                "text": "良好" if item["kind"] == "text" else None,
            }
            for item in template["items"]
        ],
        "findings": "窗口在岗，标识规范。",
        "rectificationDue": None,
        "snapshots": [],
    }
    first = client.post("/inspections", body, idempotency_key="insp-0001")
    again = client.post("/inspections", body, idempotency_key="insp-0001")
    assert first.status == 201 and again.status == 200
    assert first.data["inspectionId"] == again.data["inspectionId"]
    with world.lock:
        assert (
            len([i for i in world.inspections() if i["inspectionId"] == first.data["inspectionId"]])
            == 1
        )
