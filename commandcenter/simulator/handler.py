"""One HTTP request to the simulated data center: read, checked (signature, permission),
dispatched to its route, and answered; faults are injected here, on the raw socket."""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import logging
import socket
import struct
import time
from datetime import datetime
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from commandcenter.domain import signing
from commandcenter.simulator.errors import ApiProblem, SimulatorError
from commandcenter.simulator.request_log import LoggedRequest
from commandcenter.simulator.routes import ApiRoutes
from commandcenter.simulator.storage import CST, iso

if TYPE_CHECKING:
    from commandcenter.simulator.server import Listener

log = logging.getLogger("commandcenter.simulator")


class Handler(ApiRoutes, BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "sfj-datacenter-sim/1.0"
    server: Listener

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes; without this, Nagle's
        # algorithm and the peer's delayed ACK add 40 ms to every response.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.datacenter.track(self.connection, True)

    def finish(self) -> None:
        with contextlib.suppress(OSError):
            super().finish()
        self.server.datacenter.track(self.connection, False)

    def log_message(self, format: str, *args: Any) -> None:
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
                    self._envelope(
                        {"status": "ok", "time": iso(self._now()), "version": dc.version}
                    ),
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
        self._note_answer("reset")
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
            self._note_answer("cut off")
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
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
                self._note_answer(304)
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
        self._send_raw(status, body, "application/json; charset=utf-8", method, headers)

    def _send_raw(
        self, status: int, body: bytes, content_type: str, method: str, headers: dict | None = None
    ) -> None:
        accepts_gzip = "gzip" in (self.headers.get("Accept-Encoding") or "")
        encoded = False
        if accepts_gzip and len(body) > 1024:
            body = gzip.compress(body, compresslevel=1)
            encoded = True
        held = self._held_s if "Retry-After" in (headers or {}) else None
        self._note_answer(status, retry_after_s=held)
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

    def _note_answer(self, status: int | str, *, retry_after_s: float | None = None) -> None:
        """Log what this request gets before a byte of it is written: a client that has
        heard the answer finds it in the request log, and a pause counts from here."""
        logged = getattr(self, "_logged", None)
        if logged is not None:
            self.server.datacenter.requests.answered(
                logged, status, retry_after_s=retry_after_s, clients=self._clients()
            )
