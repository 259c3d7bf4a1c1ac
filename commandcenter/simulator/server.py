"""HTTP server of the simulated data center: every interface of the contract, AK/SK
checks, paging, cursors, ETags, gzip, idempotency keys, MJPEG and HLS video, and faults.

Built on the standard library's ThreadingHTTPServer: fault injection needs the raw
socket (a TCP reset, a body cut short), which frameworks hide.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import logging
import secrets
import socket
import sys
import threading
import time
import zlib
from collections import OrderedDict
from datetime import timedelta
from http.server import ThreadingHTTPServer

from commandcenter.domain import contract, signing
from commandcenter.simulator.errors import ApiProblem
from commandcenter.simulator.faults import Faults
from commandcenter.simulator.handler import Handler
from commandcenter.simulator.request_log import RequestLog
from commandcenter.simulator.world import World

log = logging.getLogger("commandcenter.simulator")

IDEMPOTENCY_TTL = timedelta(hours=24)
# The versions of the contract the simulator can speak (datacenter-api.md): a v1 data
# center answers 404 (0x02404001) for the interfaces v1.1 added.
CONTRACTS = ("1.0", "1.1")
V1_1_INTERFACES = frozenset({"duty-roster"})
NONCE_TTL_S = signing.MAX_CLOCK_SKEW_MS / 1000


class Listener(ThreadingHTTPServer):
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
        super().__init__(address, Handler)


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
        contract: str = "1.1",
    ):
        if not credentials:
            raise ValueError("the data center needs at least one AK/SK pair")
        if contract not in CONTRACTS:
            raise ValueError(f"contract must be one of {', '.join(CONTRACTS)}, got {contract!r}")
        self.contract = contract
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
        self._listener: Listener | None = None
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
        self._listener = Listener((self.host, port), self)
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
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)

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

    @property
    def version(self) -> str:
        """What `GET /health` reports: the contract's version first (contract 4)."""
        return f"{self.contract}-sim"

    def offers(self, segments: list[str]) -> bool:
        """Whether this data center's contract has the interface at these path segments."""
        return self.contract != "1.0" or not segments or segments[0] not in V1_1_INTERFACES

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
