"""Feeds as seen from a process that does not poll them: the desktop, whose collector
process polls (`FeedMirror`, told by that process), and any desk on a shared store,
where whichever collector leads, on this machine or another, records every poll in the
store (`StoredFeeds`). Both offer what the console uses of a FeedCoordinator: `name`,
`status` and listeners."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from commandcenter.domain.listeners import Listeners
from commandcenter.domain.records import FeedHealthSample
from commandcenter.feeds.coordinator import FeedStatus
from commandcenter.store import Store

# newest polls read per feed: enough to count a run of failures an operator should see
RECENT_POLLS = 20


class FeedMirror:
    """A feed's status as another process reported it."""

    def __init__(self, name: str, interval_s: float, last_success_at: datetime | None):
        self.name = name
        self._status = FeedStatus(
            name=name,
            interval_s=interval_s,
            last_update_success=None,
            last_success_at=last_success_at,
            last_error=None,
            consecutive_failures=0,
            last_result=None,
        )
        self._listeners: Listeners[FeedStatus] = Listeners(f"feed {name}")

    @property
    def status(self) -> FeedStatus:
        """The feed's status as last reported."""
        return self._status

    def add_listener(self, listener: Callable[[FeedStatus], None]) -> Callable[[], None]:
        """Hear each status reported; returns the function that stops it."""
        return self._listeners.add(listener)

    def update(self, status: FeedStatus) -> None:
        """Take a reported status and tell the listeners."""
        self._status = status
        self._listeners.tell(status)

    def collector_lost(self, reason: str) -> None:
        """The collector is not running: nothing arrives until it is back."""
        s = self._status
        self.update(
            FeedStatus(
                s.name,
                s.interval_s,
                False,
                s.last_success_at,
                reason,
                s.consecutive_failures + 1,
                None,
            )
        )


def status_from_polls(
    name: str,
    interval_s: float,
    recent: list[FeedHealthSample],
    last_success: FeedHealthSample | None,
) -> FeedStatus:
    """A feed's status from the polls a collector recorded: `recent` newest first, and
    the newest successful one (which may be older than all of `recent`)."""
    failures = 0
    for sample in recent:
        if sample.up:
            break
        failures += 1
    newest = recent[0] if recent else None
    succeeded_at = (
        last_success.started_at + timedelta(seconds=last_success.duration_s)
        if last_success is not None
        else None
    )
    return FeedStatus(
        name=name,
        interval_s=interval_s,
        last_update_success=newest.up if newest is not None else None,
        last_success_at=succeeded_at,
        last_error=newest.error if newest is not None and not newest.up else None,
        consecutive_failures=failures,
        last_result=None,
    )


class StoredFeeds:
    """The feeds as a shared store records them. `read()` (any thread) asks the store;
    `apply()` updates the mirrors, in the thread that reads them. Stands in for the
    feed runner where the console shows feed status (`coordinators`).

    Freshness is judged on this machine's clock against the collector's timestamps:
    the workstations of one command center keep one time (NTP), or every lamp lies."""

    def __init__(self, store: Store, intervals: dict[str, float]):
        self.store = store
        self.coordinators: dict[str, FeedMirror] = {
            name: FeedMirror(name, float(every), None) for name, every in intervals.items()
        }

    def read(self) -> list[FeedStatus]:
        """The feeds' statuses from the store's poll history (any thread)."""
        history = self.store.feed_poll_history(self.coordinators, RECENT_POLLS)
        return [
            status_from_polls(name, mirror.status.interval_s, *history[name])
            for name, mirror in self.coordinators.items()
        ]

    def apply(self, statuses: Iterable[FeedStatus]) -> None:
        """Update the mirrors whose status changed (in the thread that reads them)."""
        for status in statuses:
            mirror = self.coordinators.get(status.name)
            if mirror is not None and status != mirror.status:
                mirror.update(status)
