"""What the simulated data center was asked, and whether the client waited as told.

Every interface request is logged with who sent it, what it got and when; and each
`Retry-After` the server gives is remembered for that client (its access key, or
its address for unsigned requests), so that a request arriving while one still runs
is counted as early. A `Retry-After` speaks to the whole client: any of its
requests counts, whichever interface it asks.

The pause is counted from the moment the answer began to be written, before which the
client cannot have heard it. A request the client sent before that answer reached it
could not have known either: requests arriving within IN_FLIGHT_S are not counted.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import asdict, dataclass

IN_FLIGHT_S = 0.25


@dataclass
class LoggedRequest:
    at: float  # monotonic seconds at arrival
    client: str
    method: str
    path: str
    early: bool
    status: int | str | None = None  # "reset", "cut off" for the faults without a status
    retry_after_s: float | None = None


class RequestLog:
    def __init__(self, *, keep: int = 20_000, clock: Callable[[], float] = time.monotonic):
        self.clock = clock  # monotonic seconds: when requests arrive and answers begin
        self._lock = threading.Lock()
        self._entries: deque[LoggedRequest] = deque(maxlen=keep)
        self._holds: dict[str, tuple[float, float]] = {}  # client -> (given at, until)
        self._early: Counter[str] = Counter()
        self._given: Counter[str] = Counter()

    def arrived(self, client: str, method: str, path: str) -> LoggedRequest:
        now = self.clock()
        with self._lock:
            hold = self._holds.get(client)
            early = hold is not None and hold[0] + IN_FLIGHT_S <= now < hold[1]
            if early:
                self._early[client] += 1
            entry = LoggedRequest(now, client, method, path, early)
            self._entries.append(entry)
        return entry

    def answered(
        self,
        entry: LoggedRequest,
        status: int | str,
        *,
        retry_after_s: float | None = None,
        clients: tuple[str, ...] = (),
        at: float | None = None,
    ) -> None:
        """As the answer is about to be written (or at `at`, monotonic); `clients`: who
        the `Retry-After` holds."""
        entry.status = status
        if retry_after_s is None:
            return
        entry.retry_after_s = retry_after_s
        now = self.clock() if at is None else at
        with self._lock:
            for client in clients:
                _, until = self._holds.get(client, (now, now))
                self._holds[client] = (now, max(until, now + retry_after_s))
                self._given[client] += 1

    def early_requests(self) -> dict[str, int]:
        """Client -> requests that arrived while a Retry-After it was given still ran."""
        with self._lock:
            return dict(self._early)

    def retry_afters_given(self) -> dict[str, int]:
        with self._lock:
            return dict(self._given)

    def entries(self, last: int | None = None) -> list[LoggedRequest]:
        with self._lock:
            entries = list(self._entries)
        return entries[-last:] if last else entries

    def as_dict(self, last: int = 200) -> dict:
        return {
            "earlyRequests": self.early_requests(),
            "retryAftersGiven": self.retry_afters_given(),
            "log": [asdict(e) for e in self.entries(last)],
        }

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._holds.clear()
            self._early.clear()
            self._given.clear()
