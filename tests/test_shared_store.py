"""Several processes on one PostgreSQL store (a real server on loopback): changes heard
through LISTEN/NOTIFY, one collector elected by an advisory lock, both surviving the
server restarting."""

from __future__ import annotations

import subprocess
import threading
import time
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from commandcenter.store import Store
from commandcenter.store.shared import CHANGE_KINDS, Leadership
from tests.test_store import alert, sp


def _wait(condition, timeout: float = 5.0, what: str = "the condition") -> None:
    from tests.conftest import wait_until

    wait_until(condition, timeout, what)


@pytest.fixture
def two_desks(pg_url):
    a, b = Store(pg_url), Store(pg_url)
    yield a, b
    a.close()
    b.close()


def test_a_change_written_by_one_process_is_heard_by_another(two_desks):
    """How soon: benchmarks/scale.py (notice_*)."""
    writer, reader = two_desks
    heard: list = []
    own: list = []
    reader.subscribe(lambda event: heard.append(event))
    writer.subscribe(lambda event: own.append(event))
    listener = reader.listen_for_changes()
    _wait(writer.listen_for_changes().connected.is_set, what="the writer's listener")
    _wait(listener.connected.is_set, what="the listener's connection")
    writer.upsert_service_points([sp("SP-9")])
    writer.upsert_alerts([alert(alert_id="AL-77")])
    _wait(lambda: any(e.kind == "alerts" for e in heard), what="the change notice")
    [event] = [e for e in heard if e.kind == "alerts"]
    assert event.elsewhere and event.keys == {"AL-77"}
    # the writer hears its own change once, from itself, not again from the database: a
    # change written after it elsewhere reaches the writer after its own would have
    reader.upsert_service_points([sp("SP-10")])
    _wait(
        lambda: any(e.kind == "service_points" and e.elsewhere for e in own),
        what="the reader's change at the writer",
    )
    assert [e.elsewhere for e in own if e.kind == "alerts"] == [False]
    # a change of thousands of keys is announced without them (NOTIFY holds 8000 bytes)
    writer.upsert_alerts([alert(alert_id=f"AL-{n:05d}") for n in range(2000)])
    _wait(lambda: sum(e.kind == "alerts" for e in heard) == 2, what="the large change's notice")
    assert heard[-1].keys is None or len(heard[-1].keys) == 2000


def test_the_listener_hears_again_after_the_server_restarts_and_says_everything_may_have_changed(
    postgres, pg_url
):
    writer, reader = Store(pg_url), Store(pg_url)
    try:
        heard: list = []
        reader.subscribe(lambda event: heard.append(event))
        listener = reader.listen_for_changes()
        _wait(listener.connected.is_set, what="the listener's connection")
        postgres.pg_ctl("restart")
        _wait(lambda: listener.reconnections == 1, timeout=15, what="the listener's reconnection")
        assert {"alerts", "service_points", "meetings", "outbox"} <= {
            e.kind for e in heard if e.keys is None
        }
        heard.clear()
        _wait(lambda: _writes(writer), timeout=10, what="a write after the restart")
        _wait(lambda: any(e.kind == "alerts" for e in heard), what="a notice after the restart")
    finally:
        writer.close()
        reader.close()


def _writes(store: Store) -> bool:
    try:
        store.upsert_alerts([alert(alert_id=f"AL-R{time.monotonic_ns()}", at=datetime.now(UTC))])
        return True
    except sa.exc.DBAPIError:  # the pool's first connection after the restart may fail once
        return False


def test_one_collector_leads_and_a_standby_takes_over_when_its_session_ends(pg_url, two_desks):
    a, b = two_desks
    first, second = Leadership(a.engine), Leadership(b.engine)
    assert first.acquire() and first.holds()
    assert not second.acquire() and not second.holds()
    first.release()  # as a collector that stops
    assert second.acquire() and second.holds()
    assert not first.acquire()


def test_a_leader_knows_it_lost_the_lock_when_the_server_restarted(postgres, pg_url):
    store = Store(pg_url)
    try:
        leader = Leadership(store.engine)
        assert leader.acquire()
        postgres.pg_ctl("restart")
        assert not leader.holds()
        _wait(leader.acquire, timeout=15, what="leadership again after the restart")
    finally:
        store.close()


def test_sqlite_is_one_machines_store_and_its_collector_always_leads(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    try:
        assert not store.shared and store.listen_for_changes() is None
        assert Leadership(store.engine).acquire()
    finally:
        store.close()


def test_notices_never_block_a_writer(two_desks):
    """Many writers at once: each write's notice is sent on its own, none waits on another."""
    writer, reader = two_desks
    heard = set()
    reader.subscribe(lambda event: event.kind == "alerts" and heard.update(event.keys or ()))
    listener = reader.listen_for_changes()
    _wait(listener.connected.is_set)
    threads = [
        threading.Thread(target=lambda n=n: writer.upsert_alerts([alert(alert_id=f"AL-T{n}")]))
        for n in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    _wait(lambda: heard >= {f"AL-T{n}" for n in range(8)}, what="every writer's notice")


def _collector(tmp_path, name: str, pg: str, url: str, sk: str, alerts_s: float, ak: str):
    """`commandcenter collect` as an operator starts it on a collector machine."""
    import os
    import sys

    config = tmp_path / f"{name}.toml"
    config.write_text(f"[feeds.intervals]\nalerts = {alerts_s}\n", encoding="utf-8")
    env = {**os.environ, "COMMANDCENTER_SK": sk, "XDG_CONFIG_HOME": str(tmp_path / name)}
    log = open(tmp_path / f"{name}.log", "w+", encoding="utf-8")  # noqa: SIM115 - closed by the test
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "commandcenter",
            "collect",
            "--config",
            str(config),
            "--db",
            pg,
            "--datacenter",
            url,
            "--ak",
            ak,
            "--log-level",
            "INFO",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    return proc, log


def _said(log, text: str) -> bool:
    log.flush()
    log.seek(0)
    return text in log.read()


def test_collectors_elect_one_poller_and_a_standby_takes_over_when_the_leader_is_killed(
    tmp_path, pg_url, sk, city_world_factory, datacenter_factory
):
    """How soon the standby polls after the kill: benchmarks/scale.py (failover_*)."""
    import signal

    # each collector with an access key of its own, so that the data center tells their
    # requests apart
    keys = {"first": "test-workstation", "second": "standby-collector"}
    server = datacenter_factory(city_world_factory(), more_credentials={keys["second"]: sk})
    interval = 1.0
    procs = []

    def alert_polls(name: str) -> int:
        return sum(
            1
            for e in server.requests.entries()
            if e.path == "/api/v1/alerts" and e.client == f"ak {keys[name]}"
        )

    try:
        for name in ("first", "second"):
            procs.append(_collector(tmp_path, name, pg_url, server.url, sk, interval, keys[name]))
            if name == "first":
                _wait(
                    lambda: _said(procs[0][1], "this collector leads"),
                    timeout=60,
                    what="the first to lead",
                )
        _wait(lambda: _said(procs[1][1], "standing by"), timeout=60, what="the second to stand by")
        # one poller: the leader polls on, the standby asks the data center nothing
        leader_polls = alert_polls("first")
        _wait(
            lambda: alert_polls("first") >= leader_polls + 5,
            timeout=60,
            what="five more polls by the leader",
        )
        assert alert_polls("second") == 0
        assert not _said(procs[1][1], "this collector leads")

        desk = Store(pg_url)
        heard: list = []
        desk.subscribe(heard.append)
        _wait(desk.listen_for_changes().connected.is_set, what="the desk's listener")
        leader, standby = procs[0], procs[1]
        leader[0].send_signal(signal.SIGKILL)
        leader[0].wait(10)
        _wait(lambda: alert_polls("second") > 0, timeout=30, what="a poll by the standby")
        assert _said(standby[1], "this collector leads")
        # what the killed leader wrote but had no time to announce, the desks read again
        _wait(
            lambda: set(CHANGE_KINDS) <= {e.kind for e in heard if e.keys is None and e.elsewhere},
            what="the new leader's notice that everything may have changed",
        )
        desk.close()
    finally:
        for proc, log in procs:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(20)
                except subprocess.TimeoutExpired:
                    proc.kill()
            log.close()


def test_connections_to_the_shared_server_give_up_in_seconds_and_keep_alive_unless_the_url_says_otherwise(
    pg_url,
):
    """A server out of reach would otherwise hold a desk's action, or the collector's
    lead, for the operating system's connect timeout (minutes)."""
    from commandcenter.store.shared import _session

    store, own = Store(pg_url), Store(pg_url + "?connect_timeout=2")
    try:
        for s, timeout in ((store, "5"), (own, "2")):
            pooled = s.engine.raw_connection()
            try:
                parameters = pooled.dbapi_connection.get_dsn_parameters()
            finally:
                pooled.close()
            assert (
                parameters["connect_timeout"] == timeout and parameters["keepalives_idle"] == "10"
            )
            listening = _session(s.engine)
            try:
                assert listening.get_dsn_parameters()["connect_timeout"] == timeout
            finally:
                listening.close()
    finally:
        store.close()
        own.close()
