"""When a client of the data center may send its next request.

A `429` or `503` with `Retry-After` (contract §1) speaks of the client, not of one
interface: every request of that client to that server waits until it has run out,
whichever feed or command it serves. `RetryAfterGate` is that shared moment, one per
client; the client's requests wait on it and the feed scheduler starts no poll
before it.
"""

from __future__ import annotations

import email.utils
import threading
import time
from collections.abc import Callable, Mapping

# A pause asked for beyond this is taken as this: a data center that asks for days
# (or sends a garbled number) must not silence the command center until restarted.
MAX_RETRY_AFTER_S = 3600.0


class RetryAfterGate:
    """The earliest moment (on the monotonic clock) the server allows a request.
    Thread-safe; a later `Retry-After` extends it, an earlier one never shortens it."""

    def __init__(self, monotonic: Callable[[], float] = time.monotonic):
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._until = 0.0

    @property
    def until(self) -> float:
        """The earliest moment (monotonic) a request may be sent."""
        with self._lock:
            return self._until

    def hold(self, seconds: float) -> None:
        """Hold every request for `seconds` from now (a `Retry-After` just heard)."""
        with self._lock:
            self._until = max(self._until, self._monotonic() + seconds)

    def remaining(self) -> float:
        """Seconds until requests may go again; 0 when they may go now."""
        return max(0.0, self.until - self._monotonic())


def retry_after_seconds(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """The `Retry-After` header in seconds from now: either form of RFC 9110 §10.2.3,
    delay-seconds or an HTTP-date. A date is measured against the answer's own `Date`
    header when it has one, so that a difference between the two clocks does not
    shorten or lengthen the pause. At most MAX_RETRY_AFTER_S; None when absent or
    unreadable."""
    value = headers.get("Retry-After")
    if value is None:
        return None
    value = value.strip()
    if value.isdigit() or _is_decimal(value):
        return min(MAX_RETRY_AFTER_S, float(value))
    when = http_date(value)
    if when is None:
        return None
    reference = http_date(headers.get("Date") or "")
    if reference is None:
        reference = time.time() if now is None else now
    return min(MAX_RETRY_AFTER_S, max(0.0, when - reference))


def _is_decimal(value: str) -> bool:
    whole, dot, fraction = value.partition(".")
    return bool(dot) and whole.isdigit() and fraction.isdigit()


def http_date(value: str) -> float | None:
    """Epoch seconds of an HTTP-date (RFC 9110 §5.6.7), None when it is not one."""
    if not value:
        return None
    try:
        return email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
