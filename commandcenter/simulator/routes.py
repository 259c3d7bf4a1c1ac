"""What each path of the simulated data center answers: the contract's interfaces (paged,
cursor and single answers, commands with idempotency keys, preview URLs), the video it
streams, and the control interface (/_sim) that drives it."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any

from commandcenter.domain import contract
from commandcenter.simulator.errors import ApiProblem, SimulatorError
from commandcenter.simulator.hls import CONTENT_TYPE_PLAYLIST as HLS_PLAYLIST_TYPE
from commandcenter.simulator.hls import CONTENT_TYPE_SEGMENT as HLS_SEGMENT_TYPE
from commandcenter.simulator.storage import iso
from commandcenter.simulator.world import World

if TYPE_CHECKING:
    from commandcenter.simulator.server import Listener

log = logging.getLogger("commandcenter.simulator")

CURSOR_PAGE = 500
PREVIEW_TTL = timedelta(minutes=5)


def _roster_date(value: str | None) -> date | None:
    """The `date` of `GET /duty-roster`: YYYY-MM-DD, or none (today)."""
    if value is None:
        return None
    if len(value) == 10 and value[4] == "-" and value[7] == "-" and value.isascii():
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ApiProblem(
        422, contract.ERR_VALIDATION, f"date: must be a date like 2026-12-01, got {value[:40]!r}"
    )


class ApiRoutes(BaseHTTPRequestHandler):
    """The answers of the request handler, path by path (part of Handler)."""

    server: Listener

    if TYPE_CHECKING:

        def _json_body(self, body: bytes) -> Any: ...

    # -- interfaces -------------------------------------------------------------------

    def _route(self, method: str, path: str, query: dict, body: bytes, ak: str):
        dc = self.server.datacenter
        world = dc.world
        segments = [s for s in path.split("/") if s]
        key = (method, *segments[:1])
        dc.check_permission(ak, segments[0] if segments else "")
        if not dc.offers(segments):
            # contract 4: a v1 data center knows nothing of the v1.1 interfaces
            raise ApiProblem(404, "0x02404001", f"no interface {method} /api/v1{path} (v1)")
        with world.lock:
            world.advance()
        if method == "GET":
            if segments == ["duty-roster"]:
                day = _roster_date(query.get("date"))
                with world.lock:
                    return 200, world.duty_roster(day, query.get("orgCode") or None)
            if segments == ["orgs"]:
                return 200, self._paged(world, world.orgs, query)
            if segments == ["service-points"]:
                return 200, self._paged(world, world.service_points, query)
            if segments == ["cameras"]:
                return 200, self._paged(world, world.cameras, query)
            if segments == ["inspections"]:
                point_id = query.get("pointId")
                return 200, self._paged(world, lambda: world.inspections(point_id), query)
            if segments == ["stats", "cases"]:
                granularity = query.get("granularity", "hour")
                if granularity not in ("hour", "day"):
                    raise ApiProblem(
                        400, "0x02400001", f"granularity must be hour or day, got {granularity!r}"
                    )
                return 200, self._cursor(world, lambda: world.stats_log(granularity), query)
            if segments == ["alerts"]:
                return 200, self._cursor(world, world.alerts_log, query)
            if segments == ["dashboard", "summary"]:
                with world.lock:
                    return 200, world.dashboard_summary()
            if segments == ["inspection-templates"]:
                with world.lock:
                    return 200, world.inspection_templates()
            if len(segments) == 2 and segments[0] == "meetings":
                with world.lock:
                    return 200, world.get_meeting(segments[1])
        if method == "POST":
            idem = self.headers.get("Idempotency-Key")
            if idem is not None and len(idem) > contract.IDEMPOTENCY_KEY_MAX:
                raise ApiProblem(400, "0x02400003", "Idempotency-Key longer than 64 characters")
            if len(segments) == 3 and segments[0] == "alerts" and segments[2] == "ack":
                data = self._json_body(body)
                if not isinstance(data, dict) or not isinstance(data.get("operator"), str):
                    raise ApiProblem(422, contract.ERR_VALIDATION, "operator: must be a string")
                with world.lock:
                    return 200, world.ack_alert(
                        segments[1], data["operator"], str(data.get("note") or "")
                    )
            if len(segments) == 3 and segments[0] == "cameras" and segments[2] == "preview-url":
                return 200, self._preview_url(segments[1], self._json_body(body))
            if len(segments) == 3 and segments[0] == "cameras" and segments[2] == "ptz":
                data = self._json_body(body)
                if not isinstance(data, dict):
                    raise ApiProblem(422, contract.ERR_VALIDATION, "body: must be an object")
                with world.lock:
                    world.ptz(segments[1], data.get("action"), data.get("speed", 50))
                return 200, {"cameraId": segments[1], "action": data.get("action")}
            if segments == ["inspections"]:
                return self._create(
                    "inspections",
                    idem,
                    lambda: {"inspectionId": world.create_inspection(self._json_body(body))},
                )
            if segments == ["meetings"]:
                return self._create(
                    "meetings", idem, lambda: world.create_meeting(self._json_body(body))
                )
            if len(segments) == 3 and segments[0] == "meetings" and segments[2] == "participants":
                data = self._json_body(body)
                if not isinstance(data, dict):
                    raise ApiProblem(422, contract.ERR_VALIDATION, "body: must be an object")
                with world.lock:
                    return 200, world.update_participants(
                        segments[1], data.get("add") or [], data.get("remove") or []
                    )
            if len(segments) == 3 and segments[0] == "meetings" and segments[2] == "end":
                with world.lock:
                    return 200, world.end_meeting(segments[1])
        raise ApiProblem(
            404, "0x02404000", f"no interface {method} /api/v1{path}" if key else "no interface"
        )

    def _create(self, route: str, idem: str | None, create) -> tuple[int, dict]:
        dc = self.server.datacenter
        with dc.world.lock:
            remembered = dc.remembered(route, idem)
            if remembered is not None:
                return 200, remembered
            data = create()
            dc.remember(route, idem, data)
        return 201, data

    def _page_params(self, query: dict) -> tuple[int, int]:
        try:
            page_no = int(query.get("pageNo", "1"))
            page_size = int(query.get("pageSize", str(contract.PAGE_SIZE_DEFAULT)))
        except ValueError:
            raise ApiProblem(400, "0x02400001", "pageNo and pageSize must be integers") from None
        if page_no < 1:
            raise ApiProblem(400, "0x02400001", f"pageNo must be ≥ 1, got {page_no}")
        if not 1 <= page_size <= contract.PAGE_SIZE_MAX:
            raise ApiProblem(400, "0x02400001", f"pageSize must be 1..1000, got {page_size}")
        return page_no, page_size

    def _paged(self, world: World, items_of, query: dict) -> dict:
        page_no, page_size = self._page_params(query)
        since = query.get("updatedSince")
        with world.lock:
            items = items_of()
            if since is not None:
                try:
                    parsed = datetime.fromisoformat(since)
                    if parsed.tzinfo is None:
                        raise ValueError
                except ValueError:
                    raise ApiProblem(
                        400,
                        "0x02400001",
                        f"updatedSince is not an ISO 8601 time with offset: {since!r}",
                    ) from None
                # all stamps are written +08:00 with seconds, so strings compare as times
                floor = iso(parsed)
                items = [
                    i
                    for i in items
                    if isinstance(i.get("updatedAt"), str) and i["updatedAt"] >= floor
                ]
            total = len(items)
            page = list(items[(page_no - 1) * page_size : page_no * page_size])
        return {"total": total, "pageNo": page_no, "pageSize": page_size, "list": page}

    def _cursor(self, world: World, log_of, query: dict) -> dict:
        dc = self.server.datacenter
        cursor = query.get("cursor")
        with world.lock:
            log_ = log_of()
            seq = dc.decode_cursor(cursor) if cursor else log_.first_seq - 1
            if seq < log_.first_seq - 1 or seq > log_.last_seq:
                raise ApiProblem(
                    410,
                    "0x02410001",
                    "cursor outside the retention window; restart without a cursor",
                )
            entries = log_.entries_after(seq, CURSOR_PAGE)
            last = entries[-1][0] if entries else seq
            has_more = last < log_.last_seq
        return {
            "list": [row for _, row in entries],
            "cursor": dc.encode_cursor(last),
            "hasMore": has_more,
        }

    def _preview_url(self, camera_id: str, body: Any) -> dict:
        dc = self.server.datacenter
        if not isinstance(body, dict):
            raise ApiProblem(422, contract.ERR_VALIDATION, "body: must be an object")
        tier = body.get("streamType", "main")
        protocol = body.get("protocol", "mjpeg")
        if tier not in ("main", "sub"):
            raise ApiProblem(
                422, contract.ERR_VALIDATION, f"streamType: must be main or sub, got {tier!r}"
            )
        with dc.world.lock:
            camera = dc.world.camera(camera_id)
        if camera is None or camera.get("deleted"):
            raise ApiProblem(404, "0x02404001", f"unknown camera {camera_id}")
        if not camera.get("online"):
            raise ApiProblem(409, contract.ERR_CAMERA_OFFLINE, "the camera is offline")
        if tier == "sub" and not camera.get("hasSubStream"):
            tier = "main"
        expires = datetime.now(UTC) + PREVIEW_TTL
        if protocol == "mjpeg":
            path = f"/video/{camera_id}/{tier}"
            stamp = int(expires.timestamp())
            url = f"{dc.url}{path}?expires={stamp}&token={dc.video_token(path, stamp)}"
        elif protocol == "hls" and dc.offers_hls(camera_id):
            path = f"/video/{camera_id}/{tier}/hls"
            stamp = int(expires.timestamp())
            url = f"{dc.url}{path}/live.m3u8?expires={stamp}&token={dc.video_token(path, stamp)}"
        elif protocol == "rtsp" and dc.rtsp_base_url:
            url = f"{dc.rtsp_base_url}/{camera_id}/{tier}"
        else:
            raise ApiProblem(
                415, "0x02415001", f"protocol {protocol!r} is not offered for this camera"
            )
        return {"url": url, "expiresAt": iso(expires)}

    # -- video ---------------------------------------------------------------------------

    def _video(self, path: str, query: dict) -> None:
        dc = self.server.datacenter
        segments = [s for s in path.split("/") if s]
        if len(segments) == 3 and segments[1] == "mix":
            with dc.world.lock:
                try:
                    meeting = dc.world.get_meeting(segments[2])
                except SimulatorError:
                    meeting = None
            if meeting is None:
                self._send_text(404, "unknown meeting")
                return
            key, title, tier = f"mix/{segments[2]}", f"视频会议 · {meeting['title']}", "main"
        elif len(segments) == 5 and segments[2] in ("main", "sub") and segments[3] == "hls":
            self._hls(segments, query)
            return
        elif len(segments) == 3 and segments[2] in ("main", "sub"):
            if not dc.video_token_valid(path, query.get("expires"), query.get("token")):
                self._send_text(403, "preview URL expired or invalid: ask for a new one")
                return
            with dc.world.lock:
                camera = dc.world.camera(segments[1])
            if camera is None or camera.get("deleted"):
                self._send_text(404, "unknown camera")
                return
            key, title, tier = segments[1], camera["name"], segments[2]
        else:
            self._send_text(404, "no such stream")
            return
        if dc.video is None:
            self._send_text(503, "video is not enabled on this data center")
            return
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", dc.video.content_type)
        self.send_header("Cache-Control", "no-cache, no-store")
        self.send_header("Connection", "close")
        self.end_headers()

        def write(chunk: bytes) -> None:
            self.wfile.write(chunk)

        dc.video.stream(key, title, tier, write, dc.stopping)

    def _hls(self, segments: list[str], query: dict) -> None:
        """/video/<camera>/<tier>/hls/live.m3u8 and its segments seg-<n>.ts, all under the
        preview URL's token (segment URLs in the playlist carry it too)."""
        dc = self.server.datacenter
        _, camera_id, tier, _, name = segments
        base = f"/video/{camera_id}/{tier}/hls"
        if not dc.video_token_valid(base, query.get("expires"), query.get("token")):
            self._send_text(403, "preview URL expired or invalid: ask for a new one")
            return
        if not dc.offers_hls(camera_id):
            self._send_text(404, "no HLS for this camera")
            return
        if name == "live.m3u8":
            auth = f"expires={query['expires']}&token={query['token']}"
            body = dc.hls.playlist(camera_id, lambda n: f"seg-{n}.ts?{auth}").encode()
            content_type = HLS_PLAYLIST_TYPE
        else:
            number = name.removeprefix("seg-").removesuffix(".ts")
            data = dc.hls.segment(camera_id, tier, int(number)) if number.isdigit() else None
            if data is None:
                self._send_text(404, "no such segment (it has left the live window)")
                return
            body, content_type = data, HLS_SEGMENT_TYPE
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache, no-store")
        self.end_headers()
        self.wfile.write(body)

    def _send_text(self, status: int, text: str) -> None:
        body = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    # -- control (/_sim) -------------------------------------------------------------------

    def _control(self, method: str, path: str, body: bytes):
        dc = self.server.datacenter
        world = dc.world
        if path == "/_sim/requests":
            if method == "GET":
                return 200, dc.requests.as_dict()
            if method == "DELETE":
                dc.requests.clear()
                return 200, dc.requests.as_dict()
        if path == "/_sim/faults":
            if method == "GET":
                return 200, dc.faults.as_dict()
            if method == "PUT":
                wanted = self._json_body(body)
                if not isinstance(wanted, dict):
                    raise ApiProblem(422, contract.ERR_VALIDATION, "faults: must be an object")
                try:
                    dc.faults.update(**wanted)
                except ValueError as exc:
                    raise ApiProblem(422, contract.ERR_VALIDATION, str(exc)) from None
                return 200, dc.faults.as_dict()
        data: dict[str, Any] = {}
        if method == "POST":
            given = self._json_body(body)
            if not isinstance(given, dict):
                raise ApiProblem(422, contract.ERR_VALIDATION, "body: must be an object")
            data = given
        if method == "POST" and path == "/_sim/alerts":
            with world.lock:
                world.advance()
                return 201, world.inject_alert(
                    type=data.get("type", "sos"),
                    severity=int(data.get("severity", 1)),
                    point_id=data.get("pointId"),
                    title=data.get("title"),
                )
        if method == "POST" and path == "/_sim/stat-spike":
            with world.lock:
                world.advance()
                world.inject_stat_spike(
                    org_code=str(data.get("orgCode")),
                    category=str(data.get("category")),
                    factor=float(data.get("factor", 6.0)),
                )
            return 200, {"orgCode": data.get("orgCode"), "category": data.get("category")}
        segments = [s for s in path.split("/") if s]
        if (
            method == "POST"
            and len(segments) == 4
            and segments[1] == "points"
            and segments[3] == "status"
        ):
            with world.lock:
                world.advance()
                return 200, world.set_point_status(segments[2], str(data.get("status")))
        raise ApiProblem(404, "0x02404000", f"no control {method} {path}")
