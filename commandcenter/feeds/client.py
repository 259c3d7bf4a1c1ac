"""HTTP client of the data center's open interfaces (contract §1–§2).

One `requests.Session` with AK/SK signing, timeouts and TLS verification; every
answer is unwrapped from the contract's envelope or turned into a
`DataCenterError` whose message says what went wrong in words an operator can act
on. The SK never appears in an error, a log line or a repr.
"""

from __future__ import annotations

import email.utils
import json
import logging
import ssl
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import requests
from requests.adapters import HTTPAdapter

from commandcenter import __version__
from commandcenter.domain import contract, signing
from commandcenter.domain.secret import Secret

log = logging.getLogger(__name__)

API_PREFIX = "/api/v1"
DEFAULT_TIMEOUT = (3.05, 30.0)  # (connect, read) seconds


class DataCenterError(Exception):
    """Anything that stops a request from giving usable data."""

    retry_after: float | None = None


class Unreachable(DataCenterError):
    """No HTTP answer: refused, reset, timed out, TLS failure."""


class BadResponse(DataCenterError):
    """An answer that is not the contract's JSON envelope (HTML error page, truncated body…)."""


class ApiError(DataCenterError):
    """The data center answered with an error envelope or an error status."""

    def __init__(
        self, status: int, code: str | None, msg: str, *, retry_after: float | None = None
    ):
        self.status = status
        self.code = code
        self.msg = msg
        self.retry_after = retry_after
        super().__init__(
            f"HTTP {status}" + (f" {code}" if code else "") + (f": {msg}" if msg else "")
        )


class AuthError(ApiError):
    """401/403: wrong key or signature, clock skew, replayed nonce, missing permission."""


class RetryLater(ApiError):
    """429/503 with Retry-After: the server asks us to come back later."""


class CursorGone(ApiError):
    """410: the server no longer knows the cursor; restart without one."""


@dataclass(frozen=True, slots=True)
class ApiResponse:
    status: int
    data: Any
    etag: str | None
    server_time: float | None  # epoch seconds from the Date header, if any
    not_modified: bool = False


class SignedAuth(requests.auth.AuthBase):
    """Signs every request as contract §2 prescribes."""

    def __init__(self, ak: str, sk: Secret, clock_ms: Callable[[], int]):
        self.ak = ak
        self._sk = sk
        self._clock_ms = clock_ms

    def __repr__(self) -> str:
        return f"SignedAuth(ak={self.ak!r}, sk=***)"

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        parts = urlsplit(request.url or "")
        query = parse_qsl(parts.query, keep_blank_values=True)
        timestamp = str(self._clock_ms())
        nonce = str(uuid.uuid4())
        text = signing.string_to_sign(
            request.method or "GET",
            accept=request.headers.get("Accept"),
            content_md5=request.headers.get("Content-MD5"),
            content_type=request.headers.get("Content-Type"),
            ak=self.ak,
            nonce=nonce,
            timestamp=timestamp,
            path_and_query=signing.canonical_path(parts.path, query),
        )
        request.headers[signing.HEADER_KEY] = self.ak
        request.headers[signing.HEADER_TIMESTAMP] = timestamp
        request.headers[signing.HEADER_NONCE] = nonce
        request.headers[signing.HEADER_SIGNATURE] = signing.signature(self._sk.reveal(), text)
        return request


class DataCenterClient:
    """Talks to one data center. Thread-safe enough for one feed per thread:
    requests' Session is shared, which its connection pool supports."""

    def __init__(
        self,
        base_url: str,
        ak: str,
        sk: Secret,
        *,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        verify: bool | str = True,
        pool_size: int = 8,
        retries: int = 4,
        max_retry_wait_s: float = 10.0,
        stop: threading.Event | None = None,
    ):
        self.base_url = base_url.rstrip("/")
        self.ak = ak
        self.timeout = timeout
        # Transient failures (resets, cut-off bodies, 5xx, 429/503 with a short
        # Retry-After) are retried inside one poll for requests that are safe to
        # repeat; longer waits are left to the feed coordinator's schedule.
        self.retries = retries
        self.max_retry_wait_s = max_retry_wait_s
        self._stop = stop or threading.Event()
        # Learned from the server's Date header when it says our clock is off
        # (0x02401004), so a workstation with a wrong clock still gets data.
        self.clock_offset_ms = 0
        self._session = requests.Session()
        self._session.verify = verify
        self._session.headers.update(
            {"Accept": "application/json", "User-Agent": f"commandcenter/{__version__}"}
        )
        adapter = HTTPAdapter(pool_connections=pool_size, pool_maxsize=pool_size, max_retries=0)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)
        self._auth = SignedAuth(ak, sk, self._now_ms)

    def __repr__(self) -> str:
        return f"DataCenterClient({self.base_url!r}, ak={self.ak!r})"

    def _now_ms(self) -> int:
        return int(time.time() * 1000) + self.clock_offset_ms

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> DataCenterClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- interfaces -------------------------------------------------------

    def health(self) -> ApiResponse:
        return self.request("GET", "/health", signed=False)

    def get(
        self, path: str, params: Mapping[str, Any] | None = None, *, etag: str | None = None
    ) -> ApiResponse:
        headers = {"If-None-Match": etag} if etag else None
        return self._retrying(lambda: self.request("GET", path, params=params, headers=headers))

    def post(self, path: str, body: Any, *, idempotency_key: str | None = None) -> ApiResponse:
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if idempotency_key is not None:
            if len(idempotency_key) > contract.IDEMPOTENCY_KEY_MAX:
                raise ValueError("an idempotency key has at most 64 characters")
            headers["Idempotency-Key"] = idempotency_key
        payload = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

        def send() -> ApiResponse:
            return self.request("POST", path, data=payload, headers=headers)

        # Only a POST with an idempotency key is safe to repeat (contract §1).
        return self._retrying(send) if idempotency_key is not None else send()

    def _retrying(self, send: Callable[[], ApiResponse]) -> ApiResponse:
        attempt = 0
        while True:
            try:
                return send()
            except (Unreachable, BadResponse, RetryLater, ApiError) as exc:
                if (
                    isinstance(exc, ApiError)
                    and not isinstance(exc, RetryLater)
                    and exc.status < 500
                ):
                    raise
                if isinstance(exc, CursorGone | AuthError):
                    raise
                attempt += 1
                wait = exc.retry_after if exc.retry_after is not None else 0.2 * 2 ** (attempt - 1)
                if attempt > self.retries or wait > self.max_retry_wait_s:
                    raise
                log.debug("retrying after %s (attempt %d, %.1f s)", exc, attempt, wait)
                if self._stop.wait(wait):
                    raise

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        data: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        signed: bool = True,
    ) -> ApiResponse:
        response = self._send(method, path, params, data, headers, signed)
        if response.status_code == 401 and self._is_clock_skew(response):
            # Re-learn the offset from the server's own clock and try once more:
            # a fresh nonce and timestamp make the retry a new request.
            if self._learn_clock_offset(response):
                response.close()
                response = self._send(method, path, params, data, headers, signed)
        try:
            return self._unwrap(response)
        finally:
            response.close()

    # -- internals --------------------------------------------------------

    def _send(self, method, path, params, data, headers, signed) -> requests.Response:
        url = f"{self.base_url}{API_PREFIX}{path}"
        query = {k: _query_value(v) for k, v in (params or {}).items() if v is not None}
        try:
            return self._session.request(
                method,
                url,
                params=query,
                data=data,
                headers=dict(headers or {}),
                auth=self._auth if signed else None,
                timeout=self.timeout,
                # given on each request: requests lets REQUESTS_CA_BUNDLE replace a verify set
                # only on the session, and the configured intranet CA would be silently ignored
                verify=self._session.verify,
            )
        except requests.exceptions.SSLError as exc:
            raise Unreachable(
                f"TLS verification of {self.base_url} failed: {_tls_problem(exc)}"
            ) from None
        except requests.exceptions.ConnectTimeout:
            raise Unreachable(f"connecting to {self.base_url} timed out") from None
        except requests.exceptions.ReadTimeout:
            raise Unreachable(f"{method} {path}: no answer within {self.timeout[1]:g} s") from None
        except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError):
            raise BadResponse(f"{method} {path}: the body was cut off or corrupt") from None
        except requests.exceptions.ConnectionError as exc:
            problem = _connection_problem(exc)
            if problem == "the body was cut off":
                raise BadResponse(f"{method} {path}: {problem}") from None
            raise Unreachable(f"{method} {path}: {problem}") from None
        except requests.exceptions.RequestException as exc:
            raise Unreachable(f"{method} {path}: {_short(exc)}") from None

    @staticmethod
    def _is_clock_skew(response: requests.Response) -> bool:
        try:
            return response.json().get("code") == contract.ERR_TIMESTAMP
        except (ValueError, AttributeError):
            return False

    def _learn_clock_offset(self, response: requests.Response) -> bool:
        server_time = _date_header(response)
        if server_time is None:
            return False
        offset = int(server_time * 1000 - time.time() * 1000)
        log.warning(
            "the data center's clock differs from ours by %.0f s; signing with its time",
            offset / 1000,
        )
        self.clock_offset_ms = offset
        return True

    def _unwrap(self, response: requests.Response) -> ApiResponse:
        status = response.status_code
        etag = response.headers.get("ETag")
        server_time = _date_header(response)
        if status == 304:
            return ApiResponse(status, None, etag, server_time, not_modified=True)
        try:
            body = response.content
        except requests.exceptions.RequestException as exc:
            raise BadResponse(
                f"HTTP {status}: the body was cut off ({_connection_problem(exc)})"
            ) from None
        envelope = _envelope(response, body)
        retry_after = _retry_after(response)
        if envelope is None:
            kind = response.headers.get("Content-Type", "no content type").split(";")[0]
            if status >= 400:
                error_cls = RetryLater if status in (429, 503) else BadResponse
                message = (
                    f"HTTP {status} with a {kind} body instead of the contract's JSON envelope"
                )
                if error_cls is RetryLater:
                    raise RetryLater(status, None, message, retry_after=retry_after)
                raise BadResponse(message)
            raise BadResponse(
                f"HTTP {status}: the body is not the contract's JSON envelope ({kind})"
            )
        code, msg, data = envelope
        if 200 <= status < 300 and code == "0":
            return ApiResponse(status, data, etag, server_time)
        if status in (401, 403):
            raise AuthError(status, code, msg or _auth_hint(code))
        if status == 410:
            raise CursorGone(status, code, msg or "cursor no longer known")
        if status in (429, 503):
            raise RetryLater(status, code, msg, retry_after=retry_after)
        if 200 <= status < 300:
            raise ApiError(status, code, msg or "non-zero code in a success response")
        raise ApiError(status, code, msg, retry_after=retry_after)


def _envelope(response: requests.Response, body: bytes) -> tuple[str, str, Any] | None:
    if not body:
        return None
    try:
        parsed = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(parsed, dict) or "code" not in parsed:
        return None
    code = parsed.get("code")
    msg = parsed.get("msg")
    return (str(code), str(msg) if msg is not None else "", parsed.get("data"))


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _date_header(response: requests.Response) -> float | None:
    value = response.headers.get("Date")
    if not value:
        return None
    try:
        return email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return None


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _auth_hint(code: str | None) -> str:
    return {
        contract.ERR_SIGNATURE: "signature mismatch or unknown access key",
        contract.ERR_TIMESTAMP: "timestamp too far from the data center's clock",
        contract.ERR_NONCE: "nonce replayed",
        contract.ERR_FORBIDDEN: "the access key lacks permission for this interface",
    }.get(code or "", "not authorised")


def _connection_problem(exc: BaseException) -> str:
    text = str(exc)
    for needle, words in (
        ("Connection refused", "connection refused"),
        ("Connection reset", "connection reset by the server"),
        ("RemoteDisconnected", "the server closed the connection without answering"),
        ("IncompleteRead", "the body was cut off"),
        ("Name or service not known", "host name not found"),
        ("timed out", "timed out"),
    ):
        if needle in text:
            return words
    return _short(exc)


def _tls_problem(exc: BaseException) -> str:
    """What the TLS library said, found under the layers requests and urllib3 wrap it in."""
    seen: set[int] = set()
    stack = [exc]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, ssl.SSLCertVerificationError):
            return (
                f"the server's certificate is not trusted ({current.verify_message}); "
                "for an intranet CA set [datacenter] ca_bundle"
            )
        if isinstance(current, ssl.SSLError):
            return current.reason or _short(current)
        stack += [a for a in getattr(current, "args", ()) if isinstance(a, BaseException)]
        stack += [
            c
            for c in (current.__cause__, current.__context__, getattr(current, "reason", None))
            if isinstance(c, BaseException)
        ]
    return _short(exc)


def _short(exc: BaseException, limit: int = 160) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
