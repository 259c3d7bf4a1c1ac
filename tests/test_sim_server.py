"""The simulated data center's HTTP side: the contract's mechanics, video, faults."""

from __future__ import annotations

import socket
import time
import uuid

import pytest
import requests

from commandcenter.domain import signing
from commandcenter.feeds.errors import ApiError, AuthError, CursorGone
from commandcenter.simulator.control import SimulatorControl
from commandcenter.simulator.video import MjpegVideo
from tests.conftest import AK, ManualClock


@pytest.fixture
def server(city_world_factory, datacenter_factory):
    return datacenter_factory(city_world_factory(clock=ManualClock()), video=MjpegVideo())


def signed_headers(
    sk: str, path: str, *, timestamp_ms: int | None = None, nonce: str | None = None
):
    timestamp = str(timestamp_ms if timestamp_ms is not None else int(time.time() * 1000))
    nonce = nonce or str(uuid.uuid4())
    text = signing.string_to_sign(
        "GET",
        accept="application/json",
        content_md5=None,
        content_type=None,
        ak=AK,
        nonce=nonce,
        timestamp=timestamp,
        path_and_query=path,
    )
    return {
        "Accept": "application/json",
        signing.HEADER_KEY: AK,
        signing.HEADER_TIMESTAMP: timestamp,
        signing.HEADER_NONCE: nonce,
        signing.HEADER_SIGNATURE: signing.signature(sk, text),
    }


def test_health_needs_no_signature(server):
    body = requests.get(f"{server.url}/api/v1/health", timeout=5).json()
    assert body["code"] == "0" and body["data"]["status"] == "ok"


def test_unsigned_old_and_replayed_requests_are_refused(server, sk):
    url = f"{server.url}/api/v1/orgs"
    assert requests.get(url, timeout=5).json()["code"] == "0x02401003"
    old = signed_headers(sk, "/api/v1/orgs", timestamp_ms=int((time.time() - 3600) * 1000))
    assert requests.get(url, headers=old, timeout=5).json()["code"] == "0x02401004"
    headers = signed_headers(sk, "/api/v1/orgs", nonce="same-nonce")
    assert requests.get(url, headers=headers, timeout=5).status_code == 200
    replay = requests.get(url, headers=headers, timeout=5)
    assert (replay.status_code, replay.json()["code"]) == (401, "0x02401005")


def test_paging_bounds_and_totals(server, client_factory):
    client = client_factory(server.url)
    first = client.get("/service-points", {"pageSize": 1000, "pageNo": 1}).data
    third = client.get("/service-points", {"pageSize": 1000, "pageNo": 3}).data
    assert first["total"] == len(server.world.service_points())
    assert len(first["list"]) == 1000 and len(third["list"]) == first["total"] - 2000
    with pytest.raises(ApiError) as info:
        client.get("/service-points", {"pageSize": 1001})
    assert info.value.status == 400 and "pageSize" in info.value.msg


def test_updated_since_returns_changes_and_tombstones(server, client_factory):
    client = client_factory(server.url)
    world = server.world
    with world.lock:
        target = world.service_points()[10]["pointId"]
        world.set_point_status(target, "maintenance")
        world.delete_point(world.service_points()[20]["pointId"])
        since = max(p["updatedAt"] for p in world.service_points())
    changed = client.get("/service-points", {"updatedSince": since, "pageSize": 1000}).data["list"]
    assert {p["pointId"] for p in changed} >= {target}
    assert any(p.get("deleted") for p in changed)
    with pytest.raises(ApiError, match="updatedSince"):
        client.get("/service-points", {"updatedSince": "last tuesday"})


def test_etag_gives_304_and_gzip_is_used(server, sk):
    path = "/api/v1/service-points"
    url = f"{server.url}{path}?pageSize=500"
    first = requests.get(url, headers=signed_headers(sk, path + "?pageSize=500"), timeout=10)
    assert first.headers["Content-Encoding"] == "gzip"
    again = requests.get(
        url,
        timeout=10,
        headers={
            **signed_headers(sk, path + "?pageSize=500"),
            "If-None-Match": first.headers["ETag"],
        },
    )
    assert again.status_code == 304 and again.content == b""


def test_cursor_from_another_server_life_is_gone(server, client_factory, datacenter_factory):
    client = client_factory(server.url)
    cursor = client.get("/alerts").data["cursor"]
    other = datacenter_factory(server.world)
    with pytest.raises(CursorGone):
        client_factory(other.url).get("/alerts", {"cursor": cursor})


def test_preview_urls_and_their_tokens(server, client_factory):
    client = client_factory(server.url)
    world = server.world
    online = next(c for c in world.cameras() if c["online"])
    offline = next(c for c in world.cameras() if not c["online"])
    url = client.post(
        f"/cameras/{online['cameraId']}/preview-url", {"streamType": "sub", "protocol": "mjpeg"}
    ).data["url"]
    with requests.get(url, stream=True, timeout=5) as response:
        assert response.headers["Content-Type"].startswith("multipart/x-mixed-replace")
        assert b"image/jpeg" in next(response.iter_content(4096))
    tampered = url.replace("token=", "token=x")
    assert requests.get(tampered, timeout=5).status_code == 403
    expired = url.split("?")[0] + "?expires=1&token=abc"
    assert requests.get(expired, timeout=5).status_code == 403
    for camera_id, body, status in (
        ("CAM-NOPE", {"streamType": "sub", "protocol": "mjpeg"}, 404),
        (offline["cameraId"], {"streamType": "sub", "protocol": "mjpeg"}, 409),
        (online["cameraId"], {"streamType": "sub", "protocol": "hls"}, 415),
    ):
        with pytest.raises(ApiError) as info:
            client.post(f"/cameras/{camera_id}/preview-url", body)
        assert info.value.status == status


def test_inspection_422_names_the_field(server, client_factory):
    with pytest.raises(ApiError) as info:
        client_factory(server.url).post("/inspections", {"pointId": "SP-NOPE"}, idempotency_key="k")
    assert info.value.status == 422 and info.value.msg.startswith("pointId")


def test_control_over_http(server, sk, client_factory):
    with SimulatorControl(server.url, AK, sk) as control:
        alert = control.inject_alert(type="sos", severity=1)
        assert alert["severity"] == 1
        assert control.set_faults(error_rate=1.0)["error_rate"] == 1.0
        with pytest.raises(ApiError) as info:
            client_factory(server.url, retries=0).get("/orgs")
        assert info.value.status == 500
        control.set_faults(error_rate=0.0)
        with pytest.raises(RuntimeError, match="unknown fault"):
            control.set_faults(eror_rate=1)
    with pytest.raises(AuthError):
        client_factory(server.url, secret="wrong").get("/orgs")


def test_down_refuses_connections_and_stop_frees_the_port(server):
    server.faults.update(down=True)
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{server.url}/api/v1/health", timeout=2)
    server.faults.update(down=False)
    assert requests.get(f"{server.url}/api/v1/health", timeout=2).ok
    port = server.port
    server.stop()
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0


def test_the_request_log_counts_requests_sent_while_a_retry_after_still_runs(server, sk):
    """The client (its AK) is told to wait 1.5 s; asking again after 0.5 s, on any
    interface, is early; one request already on its way is not; after the pause none is.
    The log's clock moves when the test says."""
    from commandcenter.simulator.request_log import IN_FLIGHT_S
    from tests.conftest import ManualClock

    clock = ManualClock()
    server.requests.clock = lambda: clock().timestamp()

    def get(path: str) -> requests.Response:
        return requests.get(
            f"{server.url}/api/v1{path}", headers=signed_headers(sk, f"/api/v1{path}"), timeout=5
        )

    server.faults.update(rate_limit_rate=1.0, retry_after_s=1.5)
    told = get("/orgs")
    assert (told.status_code, told.headers["Retry-After"]) == (429, "1.5")
    server.faults.update(rate_limit_rate=0.0)
    assert get("/cameras").ok  # within IN_FLIGHT_S: it may have left before the answer came
    clock.advance(seconds=IN_FLIGHT_S + 0.2)
    assert get("/stats/cases").ok
    assert requests.get(f"{server.url}/api/v1/health", timeout=5).ok  # unsigned: by address
    clock.advance(seconds=1.5)
    assert get("/orgs").ok
    assert server.requests.early_requests() == {f"ak {AK}": 1, "address 127.0.0.1": 1}
    assert [e.early for e in server.requests.entries()] == [False, False, True, True, False]
    with SimulatorControl(server.url, AK, sk) as control:
        log = control.requests()
    assert log["earlyRequests"] == {f"ak {AK}": 1, "address 127.0.0.1": 1}
    assert log["log"][0]["status"] == 429 and log["log"][0]["retry_after_s"] == 1.5
    # as an HTTP-date: whole seconds of the server's clock
    server.faults.update(rate_limit_rate=1.0, retry_after_s=3, retry_after_as_date=True)
    dated = get("/orgs")
    assert dated.status_code == 429 and dated.headers["Retry-After"].endswith(" GMT")
