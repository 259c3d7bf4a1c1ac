"""Feed adapters against the simulated data center over real HTTP on loopback."""

from __future__ import annotations

import logging
import re

import pytest

from commandcenter.feeds.catalog import build_feeds
from commandcenter.feeds.coordinator import FeedCoordinator
from commandcenter.feeds.errors import AuthError, BadResponse, RetryLater, Unreachable
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


def _flipped(status: str) -> str:
    return "offline" if status == "online" else "online"


def test_a_point_changed_behind_the_pages_already_read_comes_with_the_next_poll(
    city_world_factory, datacenter_factory, client_factory, store, monkeypatch
):
    """A pass reads its pages one after another. A point on page 1 that changes after
    page 1 was read is stamped before a change that page 3 shows: the incremental poll
    after the pass must still ask from before the first change."""
    clock = ManualClock()
    world = city_world_factory(clock=clock)
    server = datacenter_factory(world)
    with world.lock:
        listed = list(world.service_points())
    first, late = listed[0], listed[250]  # in pages of 100: on page 1 and on page 3
    assert not first.get("deleted") and not late.get("deleted")
    first_now, late_now = _flipped(first["status"]), _flipped(late["status"])
    upsert = store.upsert_service_points
    pages = []

    def upsert_while_the_city_changes(points):
        pages.append(len(points))
        if len(pages) == 1:  # page 1 is read; page 3 is not asked for yet
            with world.lock:
                clock.advance(seconds=20)
                world.advance()
                world.set_point_status(first["pointId"], first_now)
                clock.advance(seconds=20)
                world.advance()
                world.set_point_status(late["pointId"], late_now)
        return upsert(points)

    monkeypatch.setattr(store, "upsert_service_points", upsert_while_the_city_changes)
    feeds = {f.name: f for f in build_feeds(client_factory(server.url), store, page_size=100)}
    feeds["service_points"].poll()  # the full pass
    assert len(pages) > 3
    assert store.service_point(late["pointId"]).status == late_now
    assert store.service_point(first["pointId"]).status == first["status"]
    feeds["service_points"].poll()
    assert store.service_point(first["pointId"]).status == first_now


def test_an_etag_goes_only_with_the_query_it_came_from(
    city_world_factory, datacenter_factory, client_factory, store, monkeypatch
):
    """An ETag validates the answer to one URL: sent with another `updatedSince`, a
    server may answer 304 for a list the client has never read."""
    clock = ManualClock()
    world = city_world_factory(clock=clock)
    server = datacenter_factory(world)
    client = client_factory(server.url)
    answered: dict[tuple, str] = {}  # (path, query) -> the ETag its last answer carried
    sent: list[tuple] = []
    get = client.get

    def get_noting_etags(path, params=None, *, etag=None):
        query = (path, tuple(sorted((params or {}).items())))
        if etag is not None:
            sent.append((query, etag, answered.get(query)))
        response = get(path, params, etag=etag)
        if response.etag:
            answered[query] = response.etag
        return response

    monkeypatch.setattr(client, "get", get_noting_etags)
    feed = {f.name: f for f in build_feeds(client, store)}["service_points"]
    feed.poll()
    for n in range(3):
        with world.lock:
            target = world.service_points()[n]
            world.set_point_status(target["pointId"], _flipped(target["status"]))
        clock.advance(seconds=30)
        feed.poll()
        feed.poll()
    assert feed.poll().not_modified  # nothing changed: still a conditional GET
    assert sent
    assert [(etag, known) for _query, etag, known in sent if etag != known] == []


def test_a_304_on_page_1_does_not_hide_a_change_on_a_later_page(
    city_world_factory, datacenter_factory, client_factory, store
):
    """An incremental list of cameras all stamped alike spans pages; a conditional GET
    answered 304 vouches for the page it asked for, not for the pages after it."""
    clock = ManualClock()
    world = city_world_factory(clock=clock)
    server = datacenter_factory(world)
    feed = {f.name: f for f in build_feeds(client_factory(server.url), store)}["cameras"]
    feed.poll()  # the full pass
    feed.poll()  # every camera again: none is stamped later than the newest of page 1
    assert feed.poll().not_modified
    with world.lock:
        cameras = list(world.cameras())
        point_id = cameras[-1]["pointId"]
        gone = [n for n, c in enumerate(cameras) if c["pointId"] == point_id]
        assert min(gone) >= feed.page_size  # all of them beyond page 1
        clock.advance(seconds=30)
        world.advance()
        world.delete_point(point_id)
    result = feed.poll()
    assert not result.not_modified
    assert {c.camera_id for c in store.cameras()} & {cameras[n]["cameraId"] for n in gone} == set()
    assert feed.poll().not_modified  # and then the pages are unchanged again


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


# -- a client that waits as told, gives up when it must, and says why in one line --


class RawServer:
    """A TCP server on loopback that answers as a test scripts it: what no HTTP
    server of ours would send (a body that drips, never ends, or never comes)."""

    def __init__(self, answer):
        import socket
        import threading

        self._answer = answer
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(16)
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}"
        self._stop = threading.Event()
        self._connections = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        import threading

        while not self._stop.is_set():
            try:
                connection, _ = self._socket.accept()
            except OSError:
                return
            self._connections.append(connection)
            threading.Thread(target=self._handle, args=(connection,), daemon=True).start()

    def _handle(self, connection) -> None:
        try:
            connection.recv(65536)  # the request
            self._answer(connection, self._stop)
        except OSError:
            pass

    def close(self) -> None:
        self._stop.set()
        self._socket.close()
        for connection in self._connections:
            connection.close()


@pytest.fixture
def raw_server():
    servers = []

    def start(answer) -> RawServer:
        server = RawServer(answer)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


def _dripping(connection, stop) -> None:
    """A 200 that promises 10,000 bytes and sends one every 0.1 s."""
    connection.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n{"
    )
    while not stop.wait(0.1):
        connection.sendall(b" ")


def _endless(connection, stop) -> None:
    """A chunked 200 whose body never ends."""
    connection.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    chunk = b" " * 65536
    while not stop.is_set():
        connection.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))


def _silent(connection, stop) -> None:
    stop.wait(60)


def test_retry_after_holds_every_request_of_the_client_in_seconds_or_as_a_date(
    city_world_factory, datacenter_factory, client_factory
):
    from tests.conftest import AK

    server = datacenter_factory(city_world_factory())
    server.faults.update(unavailable_rate=1.0, retry_after_s=1.5)
    client = client_factory(server.url, retries=0, max_retry_wait_s=5)
    with pytest.raises(RetryLater):
        client.get("/orgs", {"pageSize": 1})
    assert 1.0 < client.gate.remaining() <= 1.5
    server.faults.update(unavailable_rate=0.0)
    # another interface, and the unsigned health: both wait until the pause has run out
    assert client.get("/dashboard/summary").data
    assert client.health().data["status"] == "ok"
    assert server.requests.early_requests() == {}
    # a pause longer than a request may wait: not sent at all
    server.faults.update(unavailable_rate=1.0, retry_after_s=30, retry_after_as_date=True)
    with pytest.raises(RetryLater):
        client.get("/orgs", {"pageSize": 1})
    assert 28 <= client.gate.remaining() <= 30  # the date's whole seconds
    asked = len(server.requests.entries())
    with pytest.raises(RetryLater) as held:
        client.get("/cameras", {"pageSize": 1})
    assert "pause" in str(held.value) and held.value.retry_after > 25
    assert len(server.requests.entries()) == asked
    assert server.requests.early_requests() == {}
    assert server.requests.retry_afters_given()[f"ak {AK}"] == 2


def test_retry_after_dates_are_read_against_the_answers_own_clock():
    from commandcenter.feeds.pacing import MAX_RETRY_AFTER_S, retry_after_seconds

    date = {"Date": "Wed, 21 Oct 2026 07:28:00 GMT"}
    assert retry_after_seconds({**date, "Retry-After": "Wed, 21 Oct 2026 07:28:10 GMT"}) == 10
    assert retry_after_seconds({"Retry-After": "120"}) == 120
    assert retry_after_seconds({"Retry-After": "0.5"}) == 0.5
    assert retry_after_seconds({"Retry-After": "99999999999"}) == MAX_RETRY_AFTER_S
    assert retry_after_seconds({**date, "Retry-After": "Wed, 21 Oct 2026 07:27:00 GMT"}) == 0
    for garbage in ("soon", "-5", "1e999", ""):
        assert retry_after_seconds({"Retry-After": garbage}) is None
    assert retry_after_seconds({}) is None


def test_a_run_that_must_end_stops_at_refused_credentials_and_sends_no_more(
    city_world_factory, datacenter_factory, client_factory
):
    import time

    server = datacenter_factory(city_world_factory())
    client = client_factory(server.url, secret="not-the-right-secret")
    client.give_up_by(time.monotonic() + 60)
    with pytest.raises(AuthError) as refused:
        client.get("/orgs", {"pageSize": 1})
    assert str(refused.value) == (
        "the data center refused the access key or signature (0x02401003): "
        "check the AK 'test-workstation' and its SK"
    )
    for path in ("/cameras", "/alerts", "/orgs"):
        with pytest.raises(AuthError):
            client.get(path)
    assert [e.status for e in server.requests.entries()] == [401]
    assert client.gave_up is not None


def test_a_run_that_must_end_gives_up_on_a_closed_port_after_two_tries(client_factory):
    import socket
    import time

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = client_factory(f"http://127.0.0.1:{port}")
    client.give_up_by(time.monotonic() + 60)
    with pytest.raises(Unreachable) as failed:  # how soon: benchmarks/give_up.py
        client.get("/orgs")
    assert f"127.0.0.1:{port} refused the connection" in str(failed.value)
    assert client.gave_up is not None
    with pytest.raises(Unreachable):
        client.get("/cameras")  # not tried again


def test_each_connection_failure_is_named_plainly(
    city_world_factory, datacenter_factory, client_factory
):
    server = datacenter_factory(city_world_factory())
    # TLS to a port that speaks plain HTTP
    plain = client_factory(server.url.replace("http://", "https://"), retries=0)
    with pytest.raises(Unreachable) as not_tls:
        plain.get("/orgs")
    assert "did not speak TLS" in str(not_tls.value)
    assert "verification" not in str(not_tls.value)
    # a host name nobody knows (.invalid never resolves, RFC 6761)
    nowhere = client_factory("http://dc.nowhere.invalid:8443", retries=0)
    with pytest.raises(Unreachable) as unknown:
        nowhere.get("/orgs")
    assert str(unknown.value).startswith("host name dc.nowhere.invalid")
    assert "HTTPConnectionPool" not in str(unknown.value)
    # a body cut off half-way: how much of how much
    server.faults.update(truncate_rate=1.0)
    cut = client_factory(server.url, retries=0)
    with pytest.raises(BadResponse) as truncated:
        cut.get("/orgs", {"pageSize": 1})
    assert re.search(r"the body was cut off after [\d,]+ of [\d,]+ bytes", str(truncated.value))


def test_a_body_without_a_length_that_stops_mid_json_is_called_cut_off(raw_server, client_factory):
    body = b'{"code":"0","msg":"success","data":{"list":[{"pointId":"SP-1","name":"\xe5\xa7\x91'

    def cut(connection, stop) -> None:
        connection.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n" + body
        )
        connection.close()

    client = client_factory(raw_server(cut).url, retries=0)
    with pytest.raises(BadResponse) as truncated:
        client.get("/service-points")
    assert "the body was cut off after 73 bytes (its JSON is unfinished)" in str(truncated.value)
    body = body[:-1]  # and in the middle of a character
    with pytest.raises(BadResponse) as truncated:
        client.get("/service-points")
    assert "the body was cut off after 72 bytes" in str(truncated.value)


def test_a_body_that_drips_is_cut_off_at_the_read_limit_and_at_the_deadline(
    raw_server, client_factory
):
    import time

    server = raw_server(_dripping)
    client = client_factory(server.url, retries=0, timeout=(1.0, 1.5))
    with pytest.raises(Unreachable) as slow:  # how soon each: benchmarks/give_up.py
        client.get("/orgs")
    assert "did not arrive within 1.5 s" in str(slow.value)
    # a run with a deadline: cut there, however long the read limit
    patient = client_factory(server.url, retries=0, timeout=(1.0, 60.0))
    patient.give_up_by(time.monotonic() + 1.0)
    with pytest.raises(Unreachable) as cut:
        patient.get("/orgs")
    assert "time limit" in str(cut.value)


def test_a_server_that_never_answers_is_left_at_the_deadline(raw_server, client_factory):
    import time

    server = raw_server(_silent)
    client = client_factory(server.url, timeout=(1.0, 30.0))
    client.give_up_by(time.monotonic() + 1.0)
    with pytest.raises(Unreachable) as silent:  # how soon: benchmarks/give_up.py
        client.get("/orgs")
    assert "no answer before the time limit" in str(silent.value)
    with pytest.raises(Unreachable, match="not sent, the time limit ran out"):
        client.get("/cameras")


def test_answers_beyond_the_size_limit_are_not_read(
    city_world_factory, datacenter_factory, client_factory, raw_server
):

    from commandcenter.feeds.errors import ResponseTooLarge

    server = datacenter_factory(city_world_factory())
    # said by Content-Length (the simulator gzips a page: a cap under its compressed size)
    small = client_factory(server.url, retries=0, max_response_bytes=2_000)
    with pytest.raises(ResponseTooLarge) as declared:
        small.get("/service-points", {"pageSize": 1000})
    assert "more than the limit of" in str(declared.value)
    assert "max_response_mib" in str(declared.value)
    # compressed under the limit, larger once unpacked: stopped while unpacking
    unpacked = client_factory(server.url, retries=0, max_response_bytes=300_000)
    with pytest.raises(ResponseTooLarge) as inflated:
        unpacked.get("/service-points", {"pageSize": 1000})
    assert "cut off there" in str(inflated.value)
    # a body that never ends is not read to the end of memory
    endless = client_factory(raw_server(_endless).url, retries=0, max_response_bytes=2**20)
    with pytest.raises(ResponseTooLarge):  # how soon: benchmarks/give_up.py
        endless.get("/orgs")


def test_json_nested_beyond_reading_is_a_bad_response_not_a_crash(raw_server, client_factory):
    body = b'{"code":"0","msg":"","data":' + b"[" * 200_000 + b"]" * 200_000 + b"}"

    def deep(connection, stop) -> None:
        connection.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n"
            % len(body)
            + body
        )

    client = client_factory(raw_server(deep).url, retries=0)
    with pytest.raises(BadResponse, match="nested too deep"):
        client.get("/orgs")


def test_a_problem_of_the_whole_client_is_logged_once_and_its_end_once(
    city_world_factory, datacenter_factory, client_factory, store, caplog
):
    server = datacenter_factory(city_world_factory())
    runner = make_runner(client_factory(server.url, retries=0), store)
    runner.run_once()
    server.faults.update(down=True)
    caplog.set_level(logging.WARNING)
    for _ in range(3):
        runner.run_once()
    server.faults.update(down=False)
    for _ in range(2):
        runner.run_once()
    lines = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    refused = [line for line in lines if "refused the connection" in line]
    assert len(refused) == 1, lines
    assert len([line for line in lines if "answers again" in line]) == 1, lines
    assert all(c.status.last_update_success for c in runner.coordinators.values())


def test_a_point_with_a_runaway_name_is_stored_cut_and_the_cut_is_on_record(
    city_world_factory, datacenter_factory, client_factory, store
):
    """A 20-million-character name from the data center: the point is stored (it stays
    on the map) with the name's first 200 characters, and the quarantine says so."""
    from commandcenter.feeds.fields import SHORTENED

    clock = ManualClock()
    world = city_world_factory(clock=clock)
    server = datacenter_factory(world)
    runner = make_runner(client_factory(server.url), store)
    points = runner["service_points"]
    points.refresh()
    with world.lock:
        target = world.service_points()[7]
        world._change_point(target, at=clock.now, name="苏" * 20_000_000)
    clock.advance(seconds=1)
    points.refresh()
    assert points.status.last_update_success, points.status.last_error
    stored = store.service_point(target["pointId"])
    assert len(stored.name) == 200 and stored.name.startswith("苏苏苏")
    [note] = [q for q in store.rejections(feed="service_points")]
    assert note.record_id == target["pointId"]
    assert note.reason == SHORTENED + "name had 20,000,000 characters, cut to 200"
    assert len(note.raw["name"]) <= 1001
    assert points.status.last_result.rejected == 0


def test_sync_once_polls_failed_feeds_again_until_they_pass(
    city_world_factory, datacenter_factory, client_factory, store
):
    """5xx for the first second: every feed fails its first polls (no retries inside a
    poll here) and passes a later round, slow feeds (orgs, every 10 minutes) too."""
    import threading

    from commandcenter.cli.sync import sync_once
    from commandcenter.config import Config
    from commandcenter.runtime import Runtime

    server = datacenter_factory(city_world_factory())
    server.faults.update(error_rate=1.0)
    client = client_factory(server.url, retries=0)
    runtime = Runtime(config=Config(), store=store, client=client)
    runtime.runner = make_runner(client, store)
    threading.Timer(1.0, lambda: server.faults.update(error_rate=0.0)).start()
    outcome = sync_once(runtime, timeout_s=60)  # how soon: benchmarks/give_up.py
    assert all(c.status.last_update_success for c in runtime.runner.coordinators.values())
    assert outcome["orgs"]["attempts"] >= 2
