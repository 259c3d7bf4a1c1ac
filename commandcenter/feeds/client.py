"""HTTP client of the data center's open interfaces (contract §1–§2).

One `requests.Session` with AK/SK signing, timeouts and TLS verification; every
answer is read within a size and time limit, unwrapped from the contract's envelope
or turned into a `DataCenterError` whose message says what went wrong in words an
operator can act on. The SK never appears in an error, a log line or a repr.

Every request of one client waits on its `RetryAfterGate`: a `Retry-After` holds
them all. A problem of the whole client (no connection can be made, the credentials
are refused) is logged once when it starts and once when it ends, not by every feed.
A one-off run (`give_up_by`) has a deadline and stops at permanent failures instead
of retrying them.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import requests
from requests.adapters import HTTPAdapter

from commandcenter import __version__
from commandcenter.domain import contract, signing
from commandcenter.domain.backoff import Backoff
from commandcenter.domain.secret import Secret
from commandcenter.feeds.errors import (
    ApiError,
    AuthError,
    BadResponse,
    CursorGone,
    DataCenterError,
    HeldBack,
    NotConnected,
    RetryLater,
    TimeLimitReached,
    Unreachable,
    worth_retrying,
)
from commandcenter.feeds.failures import connection_failure, short, tls_failure
from commandcenter.feeds.pacing import RetryAfterGate, retry_after_seconds
from commandcenter.feeds.responses import (
    Answer,
    ApiResponse,
    date_header,
    envelope_of,
    read_body,
)

log = logging.getLogger(__name__)

API_PREFIX = "/api/v1"
DEFAULT_TIMEOUT = (3.05, 30.0)  # (connect, read) seconds
DEFAULT_MAX_RESPONSE_BYTES = 64 * 2**20
# A one-off run gives up on a data center it cannot connect to after this many tries.
CONNECT_TRIES_BEFORE_GIVING_UP = 2
# Between tries to connect: long enough to ride out a server's restart.
_RECONNECT_PAUSE_S = 1.0
# Between tries of one request: 0.2 s, 0.4 s, 0.8 s … (`retries` of them at most).
RETRY_BACKOFF = Backoff(first_s=0.2)


class SignedAuth(requests.auth.AuthBase):
    """Signs every request as contract §2 prescribes."""

    def __init__(self, ak: str, sk: Secret, clock_ms: Callable[[], int]):
        self.ak = ak
        self._sk = sk
        self._clock_ms = clock_ms

    def __repr__(self) -> str:
        return f"SignedAuth(ak={self.ak!r}, sk=***)"

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        """Sign the request with the AK and SK (contract, section 2)."""
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


class _PacedAdapter(HTTPAdapter):
    """Waits for the client's gate at the last moment before a request goes on the
    wire, and closes the gate as soon as a `Retry-After` is heard, before the body is
    read: the other threads' requests are held with the least delay either way."""

    def __init__(self, client: DataCenterClient, **kwargs: Any):
        self._client = client
        super().__init__(**kwargs)

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        kwargs["timeout"] = self._client._clear_to_send(request)
        response = super().send(request, **kwargs)
        self._client._heard(response)
        return response


class _Problem:
    """A problem of the whole client, logged once when it starts (or changes) and once
    when it ends, however many requests meet it meanwhile."""

    def __init__(self, ended: str):
        self._lock = threading.Lock()
        self._current: str | None = None
        self._since = 0.0
        self._ended = ended

    def failed(self, message: str) -> None:
        with self._lock:
            if message == self._current:
                return
            if self._current is None:
                self._since = time.monotonic()
            self._current = message
        log.warning("%s", message)

    def cleared(self) -> None:
        if self._current is None:  # the common case, without the lock
            return
        with self._lock:
            if self._current is None:
                return
            lasted = time.monotonic() - self._since
            self._current = None
        log.warning("%s (after %.0f s)", self._ended, lasted)


class DataCenterClient:
    """Talks to one data center. Thread-safe: each feed polls from its own thread over
    requests' shared Session, whose connection pool supports it."""

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
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        stop: threading.Event | None = None,
    ):
        self.base_url = base_url.rstrip("/")
        self.host = urlsplit(self.base_url).netloc
        self.ak = ak
        # (connect, read): the read timeout bounds the wait for an answer to begin, and
        # again the time its whole body may take to arrive
        self.timeout = timeout
        self.max_response_bytes = max_response_bytes
        # Transient failures (resets, cut-off bodies, 5xx, 429/503 with a short
        # Retry-After) are retried inside one poll for requests that are safe to
        # repeat; longer waits are left to the feed coordinator's schedule.
        self.retries = retries
        self.max_retry_wait_s = max_retry_wait_s
        self._stop = stop or threading.Event()
        self.gate = RetryAfterGate()
        # Learned from the server's Date header when it says our clock is off
        # (0x02401004), so a workstation with a wrong clock still gets data.
        self.clock_offset_ms = 0
        self._reach = _Problem(f"the data center at {self.base_url} answers again")
        self._credentials = _Problem(f"the data center at {self.base_url} accepts our key again")
        # a one-off run (give_up_by): its deadline, and the failure it stopped at
        self._deadline: float | None = None
        self._giving_up = False
        self._gave_up: DataCenterError | None = None
        self._connect_failures = 0
        self._last_counted_failure = float("-inf")
        self._tries_lock = threading.Lock()
        self._session = requests.Session()
        self._session.verify = verify
        self._session.headers.update(
            {"Accept": "application/json", "User-Agent": f"commandcenter/{__version__}"}
        )
        adapter = _PacedAdapter(
            self, pool_connections=pool_size, pool_maxsize=pool_size, max_retries=0
        )
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)
        self._auth = SignedAuth(ak, sk, self._now_ms)

    def __repr__(self) -> str:
        return f"DataCenterClient({self.base_url!r}, ak={self.ak!r})"

    def _now_ms(self) -> int:
        return int(time.time() * 1000) + self.clock_offset_ms

    def close(self) -> None:
        """Close the HTTP session."""
        self._session.close()

    def __enter__(self) -> DataCenterClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- a one-off run ------------------------------------------------------

    def give_up_by(self, deadline: float) -> None:
        """From now on, for a run that must end (`sync --once`): no request or retry
        starts after `deadline` (monotonic seconds) and one in flight is cut off there;
        refused credentials stop every request at once, and a data center that cannot
        be connected to is given up after CONNECT_TRIES_BEFORE_GIVING_UP tries."""
        self._deadline = deadline
        self._giving_up = True

    @property
    def gave_up(self) -> DataCenterError | None:
        """The failure a one-off run stopped at, if it did."""
        return self._gave_up

    @property
    def time_limit_passed(self) -> bool:
        """Whether a one-off run's time limit has passed."""
        return self._deadline is not None and time.monotonic() >= self._deadline

    def _time_left(self) -> float:
        if self._deadline is None:
            return float("inf")
        return self._deadline - time.monotonic()

    # -- interfaces -------------------------------------------------------

    def health(self) -> ApiResponse:
        """GET /health, the data center's own status."""
        return self.request("GET", "/health", signed=False)

    def get(
        self, path: str, params: Mapping[str, Any] | None = None, *, etag: str | None = None
    ) -> ApiResponse:
        """A signed GET, conditional on `etag` when given."""
        headers = {"If-None-Match": etag} if etag else None
        return self._retrying(lambda: self.request("GET", path, params=params, headers=headers))

    def post(self, path: str, body: Any, *, idempotency_key: str | None = None) -> ApiResponse:
        """A signed POST of a JSON body, with an idempotency key for a command."""
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
            except DataCenterError as exc:
                if not worth_retrying(exc) or self._gave_up is not None:
                    raise
                attempt += 1
                if exc.retry_after is not None:
                    # the gate holds the next request for as long as the server asked
                    if exc.retry_after > min(self.max_retry_wait_s, self._time_left()):
                        raise
                    wait = 0.0
                else:
                    wait = RETRY_BACKOFF.delay(attempt)
                    if isinstance(exc, NotConnected):
                        wait = max(wait, _RECONNECT_PAUSE_S)
                if attempt > self.retries or wait >= self._time_left():
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
        """One request to the data center, signed unless told not, read within the limits."""
        what = f"{method} {path}"
        started = time.monotonic()
        try:
            answer = self._exchange(what, method, path, params, data, headers, signed)
            # Re-learn the offset from the server's own clock and try once more: a fresh
            # nonce and timestamp make the retry a new request.
            if (
                answer.status == 401
                and self._is_clock_skew(answer)
                and self._learn_clock_offset(answer)
            ):
                answer = self._exchange(what, method, path, params, data, headers, signed)
            response = self._unwrap(answer, what)
        except NotConnected as exc:
            self._not_connected(exc, started)
            raise
        except AuthError as exc:
            if exc.whole_client:
                self._refused(exc)
            raise
        if signed:
            self._credentials.cleared()
        return response

    # -- internals --------------------------------------------------------

    def _clear_to_send(self, request: requests.PreparedRequest) -> tuple[float, float]:
        """Called just before a request goes out: raises if it must not (the run gave
        up or ran out of time, a long Retry-After), waits out a short Retry-After, and
        returns the (connect, read) timeouts, shortened to the run's deadline."""
        if self._gave_up is not None:
            raise self._gave_up.again()
        what = f"{request.method} {_api_path(request.url)}"
        while True:
            held = self.gate.remaining()
            if held <= 0:
                break
            if held > self.max_retry_wait_s or held >= self._time_left():
                raise HeldBack(
                    f"{what}: not sent, the data center asked for a pause of {held:.1f} s "
                    "more (Retry-After)",
                    retry_after=held,
                )
            if self._stop.wait(held):
                raise HeldBack(f"{what}: not sent, stopping", retry_after=held)
        left = self._time_left()
        if left <= 0:
            raise TimeLimitReached(f"{what}: not sent, the time limit ran out")
        connect, read = self.timeout
        return (min(connect, left), min(read, left))

    def _heard(self, response: requests.Response) -> None:
        """Called as soon as an answer's headers arrive."""
        self._reach.cleared()
        if self._connect_failures:
            with self._tries_lock:
                self._connect_failures = 0
        if response.status_code in (429, 503):
            seconds = retry_after_seconds(response.headers)
            if seconds is not None and seconds > 0:
                self.gate.hold(seconds)

    def _not_connected(self, exc: NotConnected, started: float) -> None:
        self._reach.failed(str(exc))
        with self._tries_lock:
            # Feeds that set out together are one try, not several: a failure counts
            # as another try only when its request started well after the last one
            # counted, as a retry does after its pause.
            if started >= self._last_counted_failure + _RECONNECT_PAUSE_S / 2:
                self._connect_failures += 1
                self._last_counted_failure = time.monotonic()
            if self._giving_up and self._connect_failures >= CONNECT_TRIES_BEFORE_GIVING_UP:
                self._gave_up = self._gave_up or exc

    def _refused(self, exc: AuthError) -> None:
        self._credentials.failed(str(exc))
        if self._giving_up and self._gave_up is None:
            self._gave_up = exc

    def _exchange(
        self,
        what: str,
        method: str,
        path: str,
        params: Mapping[str, Any] | None,
        data: bytes | None,
        headers: Mapping[str, str] | None,
        signed: bool,
    ) -> Answer:
        url = f"{self.base_url}{API_PREFIX}{path}"
        query = {k: _query_value(v) for k, v in (params or {}).items() if v is not None}
        try:
            response = self._session.request(
                method,
                url,
                params=query,
                data=data,
                headers=dict(headers or {}),
                auth=self._auth if signed else None,
                stream=True,
                # given on each request: requests lets REQUESTS_CA_BUNDLE replace a verify set
                # only on the session, and the configured intranet CA would be silently ignored
                verify=self._session.verify,
            )
        except requests.exceptions.SSLError as exc:
            raise NotConnected(tls_failure(exc, self.host)) from None
        except requests.exceptions.ConnectTimeout:
            if self._time_left() <= 0:
                raise TimeLimitReached(f"{what}: cut off connecting at the time limit") from None
            raise NotConnected(
                f"connecting to {self.host} timed out after {self.timeout[0]:g} s"
            ) from None
        except requests.exceptions.ReadTimeout:
            if self._time_left() <= 0:
                raise TimeLimitReached(f"{what}: no answer before the time limit ran out") from None
            raise Unreachable(f"{what}: no answer within {self.timeout[1]:g} s") from None
        except requests.exceptions.ConnectionError as exc:
            failure = connection_failure(exc, self.host)
            if not failure.connected:
                raise NotConnected(failure.words) from None
            raise Unreachable(f"{what}: {failure.words}") from None
        except requests.exceptions.RequestException as exc:
            raise Unreachable(f"{what}: {short(exc)}") from None
        except OSError as exc:  # e.g. a CA bundle that cannot be read
            raise NotConnected(
                f"cannot connect to the data center at {self.host}: {exc.strerror or short(exc)}"
            ) from None
        try:
            # read even when empty (a 304): the connection then goes back to the pool
            body = read_body(
                response,
                what,
                limit=self.max_response_bytes,
                read_timeout=self.timeout[1],
                time_left=self._time_left,
            )
        finally:
            response.close()
        return Answer(response.status_code, response.headers, body)

    @staticmethod
    def _is_clock_skew(answer: Answer) -> bool:
        envelope = envelope_of(answer.body)[0]
        return envelope is not None and envelope[0] == contract.ERR_TIMESTAMP

    def _learn_clock_offset(self, answer: Answer) -> bool:
        server_time = date_header(answer.headers)
        if server_time is None:
            return False
        offset = int(server_time * 1000 - time.time() * 1000)
        log.warning(
            "the data center's clock differs from ours by %.0f s; signing with its time",
            offset / 1000,
        )
        self.clock_offset_ms = offset
        return True

    def _unwrap(self, answer: Answer, what: str) -> ApiResponse:
        status = answer.status
        etag = answer.headers.get("ETag")
        server_time = date_header(answer.headers)
        if status == 304:
            return ApiResponse(status, None, etag, server_time, not_modified=True)
        envelope, problem = envelope_of(answer.body)
        retry_after = retry_after_seconds(answer.headers)
        if envelope is None:
            kind = answer.headers.get("Content-Type", "no content type").split(";")[0]
            if problem:
                message = f"HTTP {status}: {problem}"
            else:
                message = (
                    f"HTTP {status} with a {kind} body instead of the contract's JSON envelope"
                )
            if status in (429, 503):
                raise RetryLater(status, None, message, retry_after=retry_after, words=message)
            raise BadResponse(f"{what}: {message}")
        code, msg, data = envelope
        if 200 <= status < 300 and code == "0":
            return ApiResponse(status, data, etag, server_time)
        if status in (401, 403):
            raise AuthError(status, code, msg, words=self._refusal(status, code, path=what))
        if status == 410:
            raise CursorGone(status, code, msg or "cursor no longer known")
        if status in (429, 503):
            raise RetryLater(status, code, msg, retry_after=retry_after)
        if 200 <= status < 300:
            raise ApiError(status, code, msg or "non-zero code in a success response")
        raise ApiError(status, code, msg, retry_after=retry_after)

    def _refusal(self, status: int, code: str | None, *, path: str) -> str:
        """A refusal in the words of what to do about it (the server's own message is
        left out: it is untrusted text and adds nothing to the code)."""
        shown = f" ({code})" if code else f" (HTTP {status})"
        if status == 403:
            return f"{path}: the access key {self.ak!r} has no permission for this interface{shown}"
        if code == contract.ERR_TIMESTAMP:
            return (
                f"the data center refused the request's time stamp{shown}: this computer's "
                "clock is more than 15 minutes off the data center's"
            )
        if code == contract.ERR_NONCE:
            return f"{path}: the data center had seen this request's nonce before{shown}"
        return (
            f"the data center refused the access key or signature{shown}: "
            f"check the AK {self.ak!r} and its SK"
        )


def _api_path(url: str | None) -> str:
    path = urlsplit(url or "").path
    index = path.find(API_PREFIX)
    return path[index + len(API_PREFIX) :] if index >= 0 else path


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
