"""The fault suite: the feeds against a simulated data center that misbehaves in each
way the contract allows or a network does, over real HTTP, then behaves again. After
each: nothing the data center said is lost, nothing is stored twice, every alert in
its latest status, and the feeds recover by themselves."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from commandcenter.feeds.catalog import build_feeds
from commandcenter.feeds.coordinator import FeedCoordinator
from commandcenter.feeds.runner import FeedRunner
from tests.conftest import ManualClock

SLOW_TIMEOUT_S = 2.0  # the slow server answers after 3 s
FAULTS = {
    "down": {"down": True},
    "slow past the timeout": {"latency_ms": 3000},
    "5xx": {"error_rate": 0.5},
    "429 with Retry-After": {"rate_limit_rate": 0.5, "retry_after_s": 0},
    "503 with Retry-After": {"unavailable_rate": 0.5, "retry_after_s": 0},
    "connection resets": {"reset_rate": 0.5},
    "truncated bodies": {"truncate_rate": 0.5},
    "HTML error pages": {"html_error_rate": 0.5},
    "answers lost after the work": {"lost_answer_rate": 0.5},
    "clock skew of an hour": {"clock_skew_s": 3600},
}


def _runner(client, store) -> FeedRunner:
    return FeedRunner(
        FeedCoordinator(f, store, backoff_cap_s=0.2, jitter=0.0) for f in build_feeds(client, store)
    )


def _world_alerts(world) -> dict[str, dict]:
    """alert id -> its latest state, as the data center's alert feed holds it."""
    latest: dict[str, dict] = {}
    for _seq, row in world.alerts_log().entries_after(0, 10**9):
        latest[row["alertId"]] = row
    return latest


def _assert_converged(world, store, runner) -> None:
    failing = {
        n: c.status.last_error
        for n, c in runner.coordinators.items()
        if not c.status.last_update_success
    }
    assert failing == {}, failing
    with world.lock:
        expected = _world_alerts(world)
        points = {p["pointId"]: p for p in world.service_points() if not p.get("deleted")}
    stored = {a.alert_id: a for a in store.alerts()}
    assert set(expected) <= set(stored), f"{len(set(expected) - set(stored))} alerts lost"
    assert {i: stored[i].status for i in expected} == {i: a["status"] for i, a in expected.items()}
    stored_points = {p.point_id: p for p in store.service_points()}
    assert set(stored_points) == set(points)
    assert {i: p.status for i, p in stored_points.items()} == {
        i: p["status"] for i, p in points.items()
    }


@pytest.mark.parametrize("fault", list(FAULTS))
def test_the_feeds_lose_nothing_and_recover_from(
    fault, city_world_factory, datacenter_factory, client_factory, store
):
    clock = ManualClock()
    world = city_world_factory(clock=clock)
    server = datacenter_factory(world)
    # only the slow server needs a short timeout; elsewhere a loaded machine's slow
    # answer must not pass for the fault under test
    timeout = SLOW_TIMEOUT_S if fault == "slow past the timeout" else 10.0
    client = client_factory(server.url, retries=0, timeout=(timeout, timeout))
    runner = _runner(client, store)
    runner.run_once()
    _assert_converged(world, store, runner)
    server.faults.update(**FAULTS[fault])
    points = [p["pointId"] for p in world.service_points()[:40]]
    failed_polls = 0
    for round_ in range(3):  # the city goes on while the data center misbehaves
        clock.advance(seconds=30)
        with world.lock:
            for n in range(4):
                raised = world.inject_alert(
                    type="device_offline", severity=3, point_id=points[round_ * 4 + n]
                )
            world.ack_alert(raised["alertId"], "值班员", "")
            world.set_point_status(points[20 + round_], "offline")
        runner.run_once()
        failed_polls += sum(not c.status.last_update_success for c in runner.coordinators.values())
    # the fault did hit (the client absorbs a skewed clock: its signatures carry the server's time)
    assert (failed_polls == 0) if fault == "clock skew of an hour" else (failed_polls > 0), (
        failed_polls
    )
    server.faults.reset()
    for _ in range(2):  # back to normal: the next polls catch up, with no one's help
        runner.run_once()
    _assert_converged(world, store, runner)


def test_postgresql_restarted_under_load_loses_nothing(
    postgres, pg_url, city_world_factory, datacenter_factory, client_factory
):
    from commandcenter.store import Store

    store = Store(pg_url)
    try:
        clock = ManualClock()
        world = city_world_factory(clock=clock)
        server = datacenter_factory(world)
        runner = _runner(client_factory(server.url, retries=0), store)
        runner.run_once()
        restarted = threading.Event()

        def restart() -> None:
            postgres.pg_ctl("restart")
            restarted.set()

        with world.lock:
            for _n in range(30):
                world.inject_alert(type="sos", severity=2)
        clock.advance(seconds=60)
        thread = threading.Thread(target=restart)
        thread.start()  # while the feeds write
        runner.run_once()
        thread.join(60)
        assert restarted.is_set()
        for _ in range(3):
            runner.run_once()
        _assert_converged(world, store, runner)
    finally:
        store.close()


def test_sqlite_on_a_full_disk_says_so_and_catches_up_when_there_is_room(
    tmp_path, city_world_factory, datacenter_factory, client_factory, caplog
):
    """SQLite's page limit makes it answer as a full disk does (SQLITE_FULL)."""
    import logging

    import sqlalchemy as sa

    from commandcenter.store import Store

    store = Store(f"sqlite:///{tmp_path / 'full.db'}")
    try:
        clock = ManualClock()
        world = city_world_factory(clock=clock)
        server = datacenter_factory(world)
        runner = _runner(client_factory(server.url, retries=0), store)
        while runner.run_once() or runner["alerts"].status.last_result.changed:
            pass  # the first passes read the week of alerts a few pages a poll
        with store.engine.connect() as conn:
            pages = conn.exec_driver_sql("PRAGMA page_count").scalar()

        def limit(dbapi_connection, _record) -> None:
            dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

        sa.event.listen(store.engine, "connect", limit)
        store.engine.dispose()
        with world.lock:
            raised = [world.inject_alert(type="sos", severity=1) for _ in range(200)]
        clock.advance(seconds=60)
        caplog.set_level(logging.WARNING)
        runner.run_once()
        status = runner["alerts"].status
        assert not status.last_update_success, status
        assert status.last_error == "the local store could not be written: database or disk is full"
        assert not [r for r in caplog.records if r.exc_info], "a traceback for a full disk"
        # room again: the next polls bring everything the full disk kept out
        sa.event.remove(store.engine, "connect", limit)
        store.engine.dispose()
        for _ in range(2):
            runner.run_once()
        assert {a["alertId"] for a in raised} <= {a.alert_id for a in store.alerts()}
        _assert_converged(world, store, runner)
    finally:
        store.close()


def test_a_collector_killed_at_random_moments_loses_and_duplicates_nothing(
    tmp_path, sk, city_world_factory, datacenter_factory, client_factory
):
    """`commandcenter collect` killed with SIGKILL at random moments of its work, three
    times, started again each time; then what it stored is what the data center holds.
    Each start lives for a random number of changes of the city, each seen by a poll
    of the alerts, and is killed as that poll's answer has come back (while it stores)."""
    import os
    import random
    import signal
    import subprocess
    import sys

    from commandcenter.store import Store
    from tests.conftest import AK, wait_until

    clock = ManualClock()
    world = city_world_factory(clock=clock)
    server = datacenter_factory(world)
    db = f"sqlite:///{tmp_path / 'killed.db'}"
    config = tmp_path / "fast.toml"
    config.write_text(
        "[feeds.intervals]\nalerts = 0.3\nservice_points = 0.5\ncameras = 1\n", encoding="utf-8"
    )
    env = {**os.environ, "COMMANDCENTER_SK": sk, "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    rng = random.Random(9)
    points = [p["pointId"] for p in world.service_points()[:60]]
    for kill in range(3):
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "commandcenter",
                "collect",
                "--config",
                str(config),
                "--db",
                db,
                "--datacenter",
                server.url,
                "--ak",
                AK,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        for _change in range(rng.randint(2, 8)):  # the city changes while it works
            clock.advance(seconds=20)
            with world.lock:
                world.inject_alert(type="sos", severity=2, point_id=rng.choice(points))
                world.set_point_status(rng.choice(points), rng.choice(["online", "offline"]))
            asked = len(server.requests.entries())
            wait_until(
                lambda asked=asked: any(
                    e.path == "/api/v1/alerts" and e.status is not None
                    for e in server.requests.entries()[asked:]
                ),
                timeout=120,
                what=f"start {kill + 1} to poll the alerts",
            )
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        assert proc.returncode == -signal.SIGKILL, f"kill {kill}: the collector had already exited"
    store = Store(db)
    try:
        runner = _runner(client_factory(server.url, retries=0), store)
        for _ in range(3):
            runner.run_once()  # a last start: it carries on from what the killed ones kept
        _assert_converged(world, store, runner)
        with store.engine.connect() as conn:
            rows = conn.exec_driver_sql(
                "SELECT count(*), count(DISTINCT alert_id) FROM alerts"
            ).one()
        assert rows[0] == rows[1]
    finally:
        store.close()


def test_a_retry_after_holds_every_request_of_the_client_until_it_runs_out(
    city_world_factory, datacenter_factory, client_factory, store
):
    """503 at 50 %, each with Retry-After, while the feeds poll three at a time (two of
    them the same interface, /stats/cases): the simulator counts the requests that
    arrive while a Retry-After it gave the client still runs, and there are none; the
    feeds still complete their pass."""
    from commandcenter.domain.records import FeedState
    from tests.conftest import AK

    world = city_world_factory()
    server = datacenter_factory(world)
    # the cursor feeds start near the end of their week, so that the test is a few pages
    with world.lock:
        logs = {
            "alerts": world.alerts_log(),
            "stats_hour": world.stats_log("hour"),
            "stats_day": world.stats_log("day"),
        }
        for feed, cursor_log in logs.items():
            cursor = server.encode_cursor(max(0, cursor_log.last_seq - 600))
            store.save_feed_state(FeedState(feed, cursor=cursor))
    server.faults.update(unavailable_rate=0.5, retry_after_s=0.6)
    client = client_factory(server.url, max_retry_wait_s=2)
    runner = FeedRunner(
        FeedCoordinator(f, store, jitter=0.0, held_until=lambda: client.gate.until)
        for f in build_feeds(client, store)
        if f.name != "cameras"  # three more pages, no other interface
    )
    for _ in range(20):
        pending = [c for c in runner.coordinators.values() if not c.status.last_update_success]
        if not pending:
            break
        with ThreadPoolExecutor(3) as pool:
            list(pool.map(lambda c: c.refresh(), pending))
    assert all(c.status.last_update_success for c in runner.coordinators.values())
    given = server.requests.retry_afters_given()
    assert given.get(f"ak {AK}", 0) >= 8, given  # the fault did hit, often
    assert server.requests.early_requests() == {}
    asked = {e.path for e in server.requests.entries()}
    assert "/api/v1/stats/cases" in asked and "/api/v1/health" in asked
