"""HTTP server of the simulated data center: every interface of the contract, AK/SK
checks, paging, cursors, ETags, gzip, idempotency keys, MJPEG and HLS video, and faults.

Built on the standard library's ThreadingHTTPServer: fault injection needs the raw
socket (a TCP reset, a body cut short), which frameworks hide.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import hmac
import json
import logging
import secrets
import socket
import struct
import sys
import threading
import time
import zlib
from collections import OrderedDict
from datetime import UTC, datetime, timedelta
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from commandcenter.domain import contract, signing
from commandcenter.simulator.errors import SimulatorError
from commandcenter.simulator.faults import Faults
from commandcenter.simulator.hls import CONTENT_TYPE_PLAYLIST as HLS_PLAYLIST_TYPE
from commandcenter.simulator.hls import CONTENT_TYPE_SEGMENT as HLS_SEGMENT_TYPE
from commandcenter.simulator.request_log import LoggedRequest, RequestLog
from commandcenter.simulator.world import CST, World, iso

log = logging.getLogger("commandcenter.simulator")

VERSION = "sim-1.0"
CURSOR_PAGE = 500
PREVIEW_TTL = timedelta(minutes=5)
IDEMPOTENCY_TTL = timedelta(hours=24)
NONCE_TTL_S = signing.MAX_CLOCK_SKEW_MS / 1000


class ApiProblem(Exception):
    def __init__(self, status: int, code: str, msg: str, headers: dict | None = None):
        super().__init__(msg)
        self.status, self.code, self.msg, self.headers = status, code, msg, headers or {}


class _Listener(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def handle_error(self, request, client_address) -> None:
        # a viewer or client that hangs up mid-request is normal (players close HLS
        # connections, tiles are switched off): not a traceback on the console
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        log.exception("request from %s failed", client_address[0])

    def __init__(self, address, datacenter: DataCenterServer):
        self.datacenter = datacenter
        super().__init__(address, _Handler)


class DataCenterServer:
    def __init__(
        self,
        world: World,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        credentials: dict[str, str],
        permissions: dict[str, set[str]] | None = None,
        rtsp_base_url: str | None = None,
        video=None,
        hls=None,
        fault_seed: int = 1,
        tls=None,
    ):
        if not credentials:
            raise ValueError("the data center needs at least one AK/SK pair")
        self.world = world
        self.host = host
        self._requested_port = port
        self._credentials = dict(credentials)
        self._permissions = permissions or {}
        self.rtsp_base_url = rtsp_base_url.rstrip("/") if rtsp_base_url else None
        self.video = video
        self.hls = hls  # HlsVideo: some cameras also offer HLS (offers_hls)
        self.tls = tls  # ssl.SSLContext (server side): HTTPS, as an intranet data center with its own CA serves
        self.faults = Faults(fault_seed, on_down_change=self._set_down)
        # every interface request, and those that came while a Retry-After still ran
        self.requests = RequestLog()
        self.epoch = secrets.token_hex(4)  # cursors from another server life are unknown (410)
        self._video_secret = secrets.token_bytes(32)
        self._nonces: dict[str, float] = {}
        self._nonce_lock = threading.Lock()
        self._idempotency: OrderedDict[tuple[str, str], tuple[float, dict]] = OrderedDict()
        self._idempotency_lock = threading.Lock()
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        self._listener: _Listener | None = None
        self._thread: threading.Thread | None = None
        self.stopping = threading.Event()
        self.port: int | None = None

    # -- lifecycle --------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"{'https' if self.tls is not None else 'http'}://{self.host}:{self.port}"

    def start(self) -> DataCenterServer:
        self._listen()
        self.world.stream_base_url = self.url
        log.info("simulated data center listening on %s", self.url)
        return self

    def _listen(self) -> None:
        port = self.port if self.port is not None else self._requested_port
        self._listener = _Listener((self.host, port), self)
        self.port = self._listener.server_address[1]
        if self.tls is not None:
            self._listener.socket = self.tls.wrap_socket(self._listener.socket, server_side=True)
        self._thread = threading.Thread(
            target=self._listener.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"datacenter-{self.port}",
            daemon=True,
        )
        self._thread.start()

    def _unlisten(self) -> None:
        if self._listener is not None:
            self._listener.shutdown()
            self._listener.server_close()
            self._listener = None
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None
        self._drop_connections()

    def _drop_connections(self) -> None:
        with self._connections_lock:
            connections = list(self._connections)
        for conn in connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def _set_down(self, down: bool) -> None:
        if down:
            self._unlisten()
        elif self._listener is None and not self.stopping.is_set():
            self._listen()

    def stop(self) -> None:
        self.stopping.set()
        self._unlisten()

    def __enter__(self) -> DataCenterServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def track(self, conn: socket.socket, add: bool) -> None:
        with self._connections_lock:
            (self._connections.add if add else self._connections.discard)(conn)

    # -- time, auth -----------------------------------------------------------

    def now_epoch(self) -> float:
        return time.time() + self.faults.settings.clock_skew_s

    def check_signature(self, method: str, headers, path: str, query: list[tuple[str, str]]) -> str:
        ak = headers.get(signing.HEADER_KEY)
        timestamp = headers.get(signing.HEADER_TIMESTAMP)
        nonce = headers.get(signing.HEADER_NONCE)
        given = headers.get(signing.HEADER_SIGNATURE)
        if not (ak and timestamp and nonce and given):
            raise ApiProblem(401, contract.ERR_SIGNATURE, "missing signature headers")
        sk = self._credentials.get(ak)
        if sk is None:
            raise ApiProblem(401, contract.ERR_SIGNATURE, "signature mismatch")
        text = signing.string_to_sign(
            method,
            accept=headers.get("Accept"),
            content_md5=headers.get("Content-MD5"),
            content_type=headers.get("Content-Type"),
            ak=ak,
            nonce=nonce,
            timestamp=timestamp,
            path_and_query=signing.canonical_path(path, query),
        )
        if not signing.signatures_match(signing.signature(sk, text), given):
            raise ApiProblem(401, contract.ERR_SIGNATURE, "signature mismatch")
        try:
            stamp_ms = int(timestamp)
        except ValueError:
            raise ApiProblem(401, contract.ERR_TIMESTAMP, "timestamp is not milliseconds") from None
        now = self.now_epoch()
        if abs(now * 1000 - stamp_ms) > signing.MAX_CLOCK_SKEW_MS:
            raise ApiProblem(401, contract.ERR_TIMESTAMP, "timestamp more than 15 minutes off")
        with self._nonce_lock:
            if len(self._nonces) > 50_000:
                self._nonces = {n: t for n, t in self._nonces.items() if t > now}
            expiry = self._nonces.get(nonce)
            if expiry is not None and expiry > now:
                raise ApiProblem(401, contract.ERR_NONCE, "nonce already used")
            self._nonces[nonce] = now + NONCE_TTL_S
        return ak

    def check_permission(self, ak: str, interface: str) -> None:
        allowed = self._permissions.get(ak)
        if allowed is not None and interface not in allowed:
            raise ApiProblem(
                403, contract.ERR_FORBIDDEN, f"access key lacks permission for {interface}"
            )

    # -- idempotency ----------------------------------------------------------

    def remembered(self, route: str, key: str | None) -> dict | None:
        if key is None:
            return None
        with self._idempotency_lock:
            entry = self._idempotency.get((route, key))
            if entry is None or entry[0] < time.time():
                return None
            return entry[1]

    def remember(self, route: str, key: str | None, data: dict) -> None:
        if key is None:
            return
        with self._idempotency_lock:
            self._idempotency[(route, key)] = (time.time() + IDEMPOTENCY_TTL.total_seconds(), data)
            while len(self._idempotency) > 20_000:
                self._idempotency.popitem(last=False)

    # -- cursors and video tokens ----------------------------------------------------

    def encode_cursor(self, seq: int) -> str:
        return base64.urlsafe_b64encode(f"{self.epoch}:{seq}".encode()).decode().rstrip("=")

    def decode_cursor(self, cursor: str) -> int:
        try:
            padded = cursor + "=" * (-len(cursor) % 4)
            epoch, seq = base64.urlsafe_b64decode(padded.encode()).decode().split(":")
            if epoch != self.epoch:
                raise ValueError
            return int(seq)
        except (ValueError, UnicodeDecodeError):
            raise ApiProblem(
                410, "0x02410001", "cursor unknown; restart without a cursor"
            ) from None

    def offers_hls(self, camera_id: str) -> bool:
        """One camera in four also serves HLS, as a mixed estate of recorders does."""
        return self.hls is not None and zlib.crc32(camera_id.encode()) % 4 == 0

    def video_token(self, path: str, expires: int) -> str:
        digest = hmac.new(self._video_secret, f"{path}|{expires}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest[:18]).decode()

    def video_token_valid(self, path: str, expires: str | None, token: str | None) -> bool:
        if not expires or not token or not expires.isdigit():
            return False
        if int(expires) < time.time():
            return False
        return hmac.compare_digest(self.video_token(path, int(expires)), token)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "sfj-datacenter-sim/1.0"
    server: _Listener

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes; without this, Nagle's
        # algorithm and the peer's delayed ACK add 40 ms to every response.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.datacenter.track(self.connection, True)

    def finish(self) -> None:
        try:
            super().finish()
        except OSError:
            pass
        self.server.datacenter.track(self.connection, False)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        log.debug("%s %s", self.address_string(), format % args)

    def date_time_string(self, timestamp: float | None = None) -> str:
        # the Date header follows the (possibly skewed) server clock
        return formatdate(
            self.server.datacenter.now_epoch() if timestamp is None else timestamp, usegmt=True
        )

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    # -- dispatch ---------------------------------------------------------------

    def _dispatch(self, method: str) -> None:
        dc = self.server.datacenter
        parts = urlsplit(self.path)
        path = parts.path
        query = parse_qsl(parts.query, keep_blank_values=True)
        self._logged: LoggedRequest | None = None
        self._held_s: float | None = None  # how long the Retry-After about to be sent holds
        if path.startswith("/api/v1/"):
            self._logged = dc.requests.arrived(self._clients()[0], method, path)
        body = self._read_body()
        if path.startswith("/video/"):
            self._video(path, dict(query))
            return
        try:
            if path == "/api/v1/health":
                self._send_json(
                    200,
                    self._envelope({"status": "ok", "time": iso(self._now()), "version": VERSION}),
                    method,
                )
                return
            if path.startswith("/api/v1/"):
                fault, latency = dc.faults.draw()
                if latency:
                    time.sleep(latency)
                if (
                    fault is not None
                    and fault != "lost_answer_rate"
                    and self._inject(fault, method)
                ):
                    return
                ak = dc.check_signature(method, self.headers, path, query)
                status, data = self._route(method, path[len("/api/v1") :], dict(query), body, ak)
                delay = dc.faults.settings.answer_delay_ms
                if delay:
                    time.sleep(delay / 1000)  # done, but slower than the client waits
                if fault == "lost_answer_rate":
                    self._reset()  # done, but the client never hears so: it must retry safely
                    return
                self._send_json(status, self._envelope(data), method)
                return
            if path.startswith("/_sim/"):
                dc.check_signature(method, self.headers, path, query)
                status, data = self._control(method, path, body)
                self._send_json(status, self._envelope(data), method)
                return
            raise ApiProblem(404, "0x02404000", f"no interface at {path}")
        except ApiProblem as problem:
            self._send_json(
                problem.status,
                {"code": problem.code, "msg": problem.msg, "data": None},
                method,
                extra_headers=problem.headers,
            )
        except SimulatorError as exc:
            self._send_json(
                exc.status, {"code": exc.code, "msg": exc.message, "data": None}, method
            )
        except (
            BrokenPipeError,
            ConnectionResetError,
        ):  # the client gave up waiting: nobody to answer
            log.debug("the client of %s %s went away before its answer", method, path)
        except Exception:  # a simulator bug must answer 500, never drop the connection
            log.exception("simulated data center failed on %s %s", method, path)
            self._send_json(
                500, {"code": "0x02500000", "msg": "internal error", "data": None}, method
            )

    def _read_body(self) -> bytes:
        length = self.headers.get("Content-Length")
        if not length:
            return b""
        try:
            n = int(length)
        except ValueError:
            return b""
        if n > 17 * 1024 * 1024:
            self.close_connection = True
            return b""
        return self.rfile.read(n)

    def _json_body(self, body: bytes) -> Any:
        if not body:
            raise ApiProblem(400, "0x02400002", "a JSON body is required")
        try:
            return json.loads(body)
        except (ValueError, UnicodeDecodeError):
            raise ApiProblem(400, "0x02400002", "the body is not valid JSON") from None

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self.server.datacenter.now_epoch(), CST)

    @staticmethod
    def _envelope(data: Any) -> dict:
        return {"code": "0", "msg": "success", "data": data}

    # -- faults ------------------------------------------------------------------

    def _clients(self) -> tuple[str, ...]:
        """Who a request comes from: its access key when signed, and its address."""
        address = f"address {self.client_address[0]}"
        ak = self.headers.get(signing.HEADER_KEY)
        return (f"ak {ak}", address) if ak else (address,)

    def _retry_after(self) -> tuple[str, float]:
        """The Retry-After header as the faults ask (seconds, or an HTTP-date), and
        the seconds it holds the client."""
        settings = self.server.datacenter.faults.settings
        if not settings.retry_after_as_date:
            return f"{settings.retry_after_s:g}", settings.retry_after_s
        now = self.server.datacenter.now_epoch()
        when = int(now + settings.retry_after_s)  # an HTTP-date has whole seconds
        return formatdate(when, usegmt=True), max(0.0, when - now)

    def _reset(self) -> None:
        """A TCP reset (linger 0), as a crashed proxy or a dropped line gives."""
        if self._logged is not None:
            self.server.datacenter.requests.answered(self._logged, "reset")
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()

    def _inject(self, fault: str, method: str) -> bool:
        header, self._held_s = self._retry_after()
        retry_after = {"Retry-After": header}
        if fault == "reset_rate":
            self._reset()
            return True
        if fault == "truncate_rate":
            body = json.dumps(
                self._envelope({"list": [{"filler": "x" * 64}] * 64, "total": 64})
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            if self._logged is not None:
                self.server.datacenter.requests.answered(self._logged, "cut off")
            return True
        if fault == "html_error_rate":
            page = b"<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"
            self._send_raw(502, page, "text/html", method)
            return True
        if fault == "error_rate":
            self._send_json(
                500,
                {"code": "0x02500001", "msg": "internal server error (injected)", "data": None},
                method,
            )
            return True
        if fault == "rate_limit_rate":
            self._send_json(
                429,
                {"code": "0x02429001", "msg": "too many requests", "data": None},
                method,
                extra_headers=retry_after,
            )
            return True
        if fault == "unavailable_rate":
            self._send_json(
                503,
                {"code": "0x02503001", "msg": "service unavailable", "data": None},
                method,
                extra_headers=retry_after,
            )
            return True
        return False

    # -- responses ------------------------------------------------------------------

    def _send_json(
        self, status: int, payload: dict, method: str, *, extra_headers: dict | None = None
    ) -> None:
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        headers = dict(extra_headers or {})
        if method == "GET" and status == 200:
            etag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
            headers["ETag"] = etag
            if etag in [t.strip() for t in (self.headers.get("If-None-Match") or "").split(",")]:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                if self._logged is not None:  # the request log holds what each got
                    self.server.datacenter.requests.answered(self._logged, 304)
                return
        self._send_raw(status, body, "application/json; charset=utf-8", method, headers)

    def _send_raw(
        self, status: int, body: bytes, content_type: str, method: str, headers: dict | None = None
    ) -> None:
        # before a byte is written: the client cannot have heard the answer earlier
        answering_at = self.server.datacenter.requests.clock()
        accepts_gzip = "gzip" in (self.headers.get("Accept-Encoding") or "")
        encoded = False
        if accepts_gzip and len(body) > 1024:
            body = gzip.compress(body, compresslevel=1)
            encoded = True
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if encoded:
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if method != "HEAD":
            self.wfile.write(body)
        logged = getattr(self, "_logged", None)
        if logged is not None:
            held = self._held_s if "Retry-After" in (headers or {}) else None
            self.server.datacenter.requests.answered(
                logged, status, retry_after_s=held, clients=self._clients(), at=answering_at
            )

    # -- interfaces -------------------------------------------------------------------

    def _route(self, method: str, path: str, query: dict, body: bytes, ak: str):
        dc = self.server.datacenter
        world = dc.world
        segments = [s for s in path.split("/") if s]
        key = (method, *segments[:1])
        dc.check_permission(ak, segments[0] if segments else "")
        with world.lock:
            world.advance()
        if method == "GET":
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
                data = self._json_body(body)
                if not isinstance(data, dict):
                    raise ApiProblem(422, contract.ERR_VALIDATION, "faults: must be an object")
                try:
                    dc.faults.update(**data)
                except ValueError as exc:
                    raise ApiProblem(422, contract.ERR_VALIDATION, str(exc)) from None
                return 200, dc.faults.as_dict()
        data = self._json_body(body) if method == "POST" else None
        if method == "POST" and not isinstance(data, dict):
            raise ApiProblem(422, contract.ERR_VALIDATION, "body: must be an object")
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
                    org_code=data.get("orgCode"),
                    category=data.get("category"),
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
