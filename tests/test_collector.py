"""The desktop's collector process, for real: a child `commandcenter collect --report`
polling the simulated data center over loopback into a shared SQLite store."""

from __future__ import annotations

import os
import signal
import threading

import pytest

from commandcenter.collector.parent import CollectorProcess
from commandcenter.collector.wire import status_from_dict, status_to_dict
from commandcenter.config import Config
from commandcenter.domain.anomaly import is_local_alert
from commandcenter.feeds.cameras import CameraCallFailed
from commandcenter.feeds.coordinator import FeedStatus, PollResult
from commandcenter.store import Store
from tests.conftest import AK


def wait_for(condition, timeout: float = 30.0, what: str = "the condition") -> None:
    from tests.conftest import wait_until

    wait_until(condition, timeout, what)


@pytest.fixture
def collector_factory(tmp_path, monkeypatch, sk):
    made = []

    def make(config: Config, store: Store, secret: str | None = sk) -> CollectorProcess:
        if secret is None:
            monkeypatch.delenv("COMMANDCENTER_SK", raising=False)
        else:
            monkeypatch.setenv(
                "COMMANDCENTER_SK", secret
            )  # inherited by the child, never on its command line
        monkeypatch.setenv(
            "XDG_CONFIG_HOME", str(tmp_path / "config")
        )  # no stray SK file from the user's setup
        collector = CollectorProcess(config, store)
        made.append(collector)
        return collector

    yield make
    for collector in made:
        collector.stop()


def test_the_status_of_a_feed_crosses_the_pipe_unchanged():
    from datetime import UTC, datetime

    status = FeedStatus(
        "alerts",
        3.0,
        True,
        datetime(2026, 11, 24, 8, 0, tzinfo=UTC),
        None,
        0,
        PollResult(records_in=5, rejected=1, changed=2, not_modified=False),
    )
    assert status_from_dict(status_to_dict(status)) == status


def test_the_collector_fills_the_store_sends_the_outbox_and_comes_back_after_a_kill(
    tmp_path, city_world_factory, datacenter_factory, collector_factory
):
    world = city_world_factory(fresh=True)
    server = datacenter_factory(world)
    db = f"sqlite:///{tmp_path / 'shared.db'}"
    store = Store(db)
    announced: set[str] = set()
    store.subscribe(lambda event: event.elsewhere and announced.add(event.kind))
    config = Config(
        datacenter_url=server.url, ak=AK, db_url=db, intervals={"health": 0.5, "alerts": 0.5}
    )
    collector = collector_factory(config, store)
    statuses = []
    collector["alerts"].add_listener(statuses.append)
    collector.start()
    assert collector.ready.wait(30), "the collector never said it was ready"
    assert collector.datacenter_url == server.url and collector.embedded is False

    # the child writes the store; the desktop hears of it and the feeds report in
    wait_for(
        lambda: store.counts()["service_points"] == len(world.service_points()), what="a full sync"
    )
    wait_for(
        lambda: {"service_points", "alerts", "feed_health"} <= announced,
        what="change announcements",
    )
    wait_for(lambda: any(s.last_update_success for s in statuses), what="an alerts status")
    assert collector["alerts"].status.last_success_at is not None

    # a command the desktop writes is sent by the child, once
    # one of the data center's: the client's own (a rectification due today, say) is
    # never sent there
    alert = next(a for a in store.alerts() if a.status == "new" and not is_local_alert(a.alert_id))
    store.enqueue_command(
        kind="alert_ack",
        payload={"alertId": alert.alert_id, "ackBy": "值班员甲", "note": "已处置"},
        idempotency_key="ack-collector-1",
        target=alert.alert_id,
    )
    wait_for(lambda: [c.state for c in store.commands()] == ["sent"], what="the ack to be sent")
    assert world._alerts[alert.alert_id]["status"] == "acked"

    # camera commands go through the child's client and come back with their answer
    camera = next(c for c in world.cameras() if c["online"] and not c.get("deleted"))
    preview = collector.preview_url(camera["cameraId"], "sub", "mjpeg").result(10)
    assert preview.url.startswith(server.url) and preview.expires_at is not None
    offline = next(c for c in world.cameras() if not c["online"] and not c.get("deleted"))
    with pytest.raises(CameraCallFailed) as refused:
        collector.preview_url(offline["cameraId"], "sub", "mjpeg").result(10)
    assert refused.value.kind == "offline"

    # killed, the child is missed at once and started again by itself
    first = collector.pid
    collector.ready.clear()
    os.kill(first, signal.SIGKILL)
    wait_for(
        lambda: "stopped unexpectedly" in (collector["alerts"].status.last_error or ""),
        what="the loss",
    )
    assert collector.ready.wait(30) and collector.pid != first and collector.restarts == 1
    assert (
        collector.preview_url(camera["cameraId"], "main", "mjpeg")
        .result(10)
        .url.startswith(server.url)
    )
    wait_for(lambda: collector["alerts"].status.last_update_success is True, what="the feeds again")

    # stopping the desktop's side stops the child
    child = collector.pid
    collector.stop()
    wait_for(lambda: not _alive(child), timeout=10, what="the child to exit")
    store.close()


def _refused_for_want_of_an_sk(collector_factory, folder, ak: str) -> CollectorProcess:
    """A collector started with no SK anywhere, once its lamps say so."""
    db = f"sqlite:///{folder / 'shared.db'}"
    store = Store(db)
    config = Config(datacenter_url="http://127.0.0.1:9", ak=ak, db_url=db)
    collector = collector_factory(config, store, secret=None)
    seen = threading.Event()
    collector["health"].add_listener(
        lambda status: "no SK" in (status.last_error or "") and seen.set()
    )
    collector.start()
    try:
        assert seen.wait(30), collector["health"].status
    finally:
        store.close()
    return collector


def test_a_collector_that_cannot_start_says_why_on_every_lamp(tmp_path, collector_factory):
    collector = _refused_for_want_of_an_sk(collector_factory, tmp_path, "nobody")
    message = collector["health"].status.last_error
    assert "nobody" in message and "COMMANDCENTER_SK" in message
    assert all(m.status.last_update_success is False for m in collector.coordinators.values())


def _alive(pid: int) -> bool:
    try:
        waited, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return False
    return waited == 0


def test_the_pipe_is_utf8_whatever_the_console_code_page(tmp_path, monkeypatch, collector_factory):
    """A Chinese Windows console's code page (GBK) must not reach the pipe: the access
    key (in the configuration, desktop to child) and the child's message quoting it
    (child to desktop) cross it unchanged, a character outside GBK included."""
    monkeypatch.setenv("PYTHONIOENCODING", "gbk")
    folder = tmp_path / "指挥中心数据"
    folder.mkdir()
    ak = "值班台-𠀀"  # 𠀀 (U+20000) is outside GBK
    collector = _refused_for_want_of_an_sk(collector_factory, folder, ak)
    assert repr(ak) in collector["health"].status.last_error
