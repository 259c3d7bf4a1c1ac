"""One coordinator per feed: when to poll, what a failure means, what to tell listeners.

Modelled on Home Assistant's DataUpdateCoordinator: a refresh already in flight is
never started twice; the next poll is scheduled one interval after the previous one
started, made up to 10 % earlier at random so feeds do not march in lockstep but
never later, since the interval is the promise of how old what is shown may be (an
alert on screen within one interval); a failure keeps the
last good data and is logged once when the feed goes down and once when it
recovers; `Retry-After` from the server postpones the next poll, and no poll starts
while a `Retry-After` given to the client (for any feed) still runs. A problem of
the whole client (no connection, refused credentials) is logged by the client, once,
not by each feed. Added: an exponential backoff with a cap, and a health sample
stored after every poll.
"""

from __future__ import annotations

import logging
import math
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from commandcenter.domain.backoff import Backoff
from commandcenter.domain.freshness import FreshnessReading, freshness
from commandcenter.domain.listeners import Listeners
from commandcenter.domain.records import FeedHealthSample
from commandcenter.feeds.errors import DataCenterError
from commandcenter.store.engine import store_failure

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PollResult:
    """What one poll read, rejected and changed."""

    records_in: int = 0
    rejected: int = 0
    changed: int = 0
    not_modified: bool = False


class Feed(Protocol):
    """An adapter of one interface: one poll fetches, validates and stores."""

    name: str
    interval_s: float

    def poll(self) -> PollResult:
        """Poll once and store what came."""


class HealthSink(Protocol):
    """Where a coordinator records its feed's health."""

    def record_feed_health(self, sample: FeedHealthSample) -> None:
        """Keep one poll's health sample."""

    def last_success(self, feed: str) -> datetime | None:
        """When the feed last polled with success, as stored."""


@dataclass(frozen=True, slots=True)
class FeedStatus:
    """What listeners learn about a feed after each poll."""

    name: str
    interval_s: float
    last_update_success: bool | None  # None: not polled yet
    last_success_at: datetime | None
    last_error: str | None
    consecutive_failures: int
    last_result: PollResult | None

    def freshness(self, now: datetime | None = None) -> FreshnessReading:
        """How current the feed is at `now`."""
        return freshness(self.last_success_at, self.interval_s, now or datetime.now(UTC))


def utc_now() -> datetime:
    """Now, in UTC."""
    return datetime.now(UTC)


class FeedCoordinator:
    """Polls one feed on its schedule: backoff, Retry-After, health samples, listeners."""

    def __init__(
        self,
        feed: Feed,
        health: HealthSink,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = utc_now,
        jitter: float = 0.1,
        backoff_cap_s: float | None = None,
        rng: random.Random | None = None,
        held_until: Callable[[], float] | None = None,
    ):
        self.feed = feed
        self.name = feed.name
        self._health = health
        self._monotonic = monotonic
        self._now = now
        self._jitter = jitter
        interval = feed.interval_s
        self.backoff_cap_s = (
            backoff_cap_s if backoff_cap_s is not None else min(300.0, max(30.0, 4 * interval))
        )
        self._rng = rng or random.Random()
        # the client's Retry-After gate: when the data center next allows any request
        self._held_until = held_until
        # what made the last poll fail, for those who decide whether to try again
        self.last_failure: Exception | None = None
        self._in_flight = threading.Lock()
        self._listeners: Listeners[FeedStatus] = Listeners(f"feed {self.name}")
        self.next_due = monotonic()  # poll at once on start
        # Earliest moment the server allows the next request (Retry-After).
        self.not_before = self.next_due
        self._status = FeedStatus(
            name=self.name,
            interval_s=interval,
            last_update_success=None,
            # A restart keeps freshness honest: the store knows the last success.
            last_success_at=health.last_success(self.name),
            last_error=None,
            consecutive_failures=0,
            last_result=None,
        )

    @property
    def status(self) -> FeedStatus:
        """The feed's status after its last poll."""
        return self._status

    @property
    def due_at(self) -> float:
        """When the next poll should start: its schedule, or later if the data center
        asked the client to wait."""
        if self._held_until is None:
            return self.next_due
        return max(self.next_due, self._held_until())

    @property
    def in_flight(self) -> bool:
        """Whether a poll is running now."""
        return self._in_flight.locked()

    def add_listener(
        self, listener: Callable[[FeedStatus], None], *, every_poll: bool = False
    ) -> Callable[[], None]:
        """`listener` hears of changed data or health; with `every_poll`, of every poll
        (a status mirrored elsewhere must age as the original does)."""
        return self._listeners.add(listener, every=every_poll)

    def refresh(self) -> bool:
        """Poll once now. Returns False (and does nothing) when a poll is in flight."""
        if not self._in_flight.acquire(blocking=False):
            return False
        try:
            self._refresh_locked()
        finally:
            self._in_flight.release()
        return True

    def _refresh_locked(self) -> None:
        started_wall = self._now()
        started = self._monotonic()
        previous = self._status
        error: str | None = None
        retry_after: float | None = None
        result: PollResult | None = None
        failure: Exception | None = None
        try:
            result = self.feed.poll()
        except DataCenterError as exc:
            error = str(exc)
            retry_after = exc.retry_after
            failure = exc
        except Exception as exc:
            failure = exc
            database = store_failure(exc)
            if database is not None:
                # rolled back: the cursor and watermark were not moved, the next poll reads it all again
                error = f"the local store could not be written: {database}"
                if previous.last_update_success is not False:
                    log.warning("feed %s: %s", self.name, error)
            else:  # a bug in an adapter must not kill the scheduler
                log.exception("feed %s: unexpected failure", self.name)
                error = f"internal error: {type(exc).__name__}: {exc}"
        duration = self._monotonic() - started
        ok = error is None
        try:
            self._health.record_feed_health(
                FeedHealthSample(
                    feed=self.name,
                    started_at=started_wall,
                    duration_s=duration,
                    up=ok,
                    records_in=result.records_in if result else 0,
                    records_rejected=result.rejected if result else 0,
                    error=error,
                    not_modified=bool(result and result.not_modified),
                )
            )
        except Exception as exc:  # the store is failing: the status below still tells
            if store_failure(exc) is None:
                raise
            log.debug("feed %s: health sample not stored: %s", self.name, store_failure(exc))
        failures = 0 if ok else previous.consecutive_failures + 1
        self._status = FeedStatus(
            name=self.name,
            interval_s=self.feed.interval_s,
            last_update_success=ok,
            last_success_at=self._now() if ok else previous.last_success_at,
            last_error=None if ok else error,
            consecutive_failures=failures,
            last_result=result if ok else previous.last_result,
        )
        self.last_failure = failure
        self._log_transition(previous, ok, error, failure)
        finished = self._monotonic()
        self.not_before = finished + (retry_after or 0.0)
        if failures == 0 and retry_after is None:
            # from the start of this poll, never later than one interval
            self.next_due = max(finished + 0.05, started + self._interval_early())
        else:
            self.next_due = finished + self._delay(failures, retry_after)
        self._notify(previous)

    def _interval_early(self) -> float:
        return self.feed.interval_s * (1 - self._rng.uniform(0, self._jitter))

    def _delay(self, failures: int, retry_after: float | None) -> float:
        """After a failure (or a `Retry-After`): the backoff, jittered both ways."""
        interval = self.feed.interval_s
        # the interval after the first failure, doubling up to the cap; a Retry-After
        # without a failure waits one interval
        backoff = Backoff(
            first_s=interval,
            cap_s=self.backoff_cap_s if failures else math.inf,
            jitter=self._jitter,
        )
        delay = backoff.delay(failures, self._rng)
        if retry_after is not None:
            # The server said when: never earlier than that.
            delay = max(delay, retry_after)
        return max(0.05, delay)

    def _log_transition(
        self, previous: FeedStatus, ok: bool, error: str | None, failure: Exception | None
    ) -> None:
        if not ok and previous.last_update_success is not False:
            whole_client = isinstance(failure, DataCenterError) and failure.whole_client
            # the client has said it once for every feed
            log.log(
                logging.DEBUG if whole_client else logging.WARNING,
                "feed %s is failing: %s",
                self.name,
                error,
            )
        elif ok and previous.last_update_success is False:
            log.info(
                "feed %s recovered after %d failed polls", self.name, previous.consecutive_failures
            )

    def _notify(self, previous: FeedStatus) -> None:
        current = self._status
        result = current.last_result
        changed_data = bool(result and result.changed) and current.last_update_success
        changed_health = (
            previous.last_update_success != current.last_update_success
            or previous.last_error != current.last_error
        )
        # Most listeners hear only of changed data or health, not of every quiet poll
        # (freshness ages are derived by whoever shows them).
        news = changed_data or changed_health
        self._listeners.tell(current, news=news)
