"""Runs the feed coordinators: one scheduler thread, a small pool of poll workers.

The scheduler wakes at the earliest due time, hands due feeds to the pool and
never submits a feed whose poll is still running. Coordinators reschedule
themselves when a poll ends, so a slow data center slows its feed, not the others.
Urgent feeds (the alerts) have a worker of their own: an alert never waits for a
free worker behind the polls of points, cameras and statistics.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, wait

from commandcenter.feeds.coordinator import FeedCoordinator

log = logging.getLogger(__name__)


class FeedRunner:
    """Runs the feed coordinators: one scheduler thread, a small pool of poll workers."""

    def __init__(
        self,
        coordinators: Iterable[FeedCoordinator],
        *,
        max_workers: int = 3,
        urgent: Iterable[str] = ("alerts",),
        monotonic: Callable[[], float] = time.monotonic,
    ):
        self.coordinators = {c.name: c for c in coordinators}
        self._urgent = set(urgent) & set(self.coordinators)
        self._urgent_pool: ThreadPoolExecutor | None = None
        self._max_workers = max_workers
        self._monotonic = monotonic
        self._wake = threading.Condition()
        self._stopping = False
        self._submitted: set[str] = set()
        self._thread: threading.Thread | None = None
        self._pool: ThreadPoolExecutor | None = None

    def __getitem__(self, name: str) -> FeedCoordinator:
        return self.coordinators[name]

    # -- one pass ---------------------------------------------------------

    def run_once(self, *, parallel: bool = True) -> None:
        """Poll every feed once and return when all have finished."""
        if not parallel:
            for coordinator in self.coordinators.values():
                coordinator.refresh()
            return
        with ThreadPoolExecutor(self._max_workers, thread_name_prefix="feed-once") as pool:
            wait([pool.submit(c.refresh) for c in self.coordinators.values()])

    # -- continuous -------------------------------------------------------

    def start(self) -> None:
        """Start polling every feed on its schedule."""
        if self._thread is not None:
            raise RuntimeError("the feed runner is already running")
        self._stopping = False
        self._pool = ThreadPoolExecutor(self._max_workers, thread_name_prefix="feed")
        if self._urgent:
            self._urgent_pool = ThreadPoolExecutor(
                len(self._urgent), thread_name_prefix="feed-urgent"
            )
        self._thread = threading.Thread(target=self._schedule, name="feed-scheduler", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop polling and wait for the polls under way."""
        with self._wake:
            self._stopping = True
            self._wake.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        for pool in (self._pool, self._urgent_pool):
            if pool is not None:
                # Polls in flight finish (their requests time out on their own);
                # nothing new starts.
                pool.shutdown(wait=True, cancel_futures=True)
        self._pool = self._urgent_pool = None

    @property
    def running(self) -> bool:
        """Whether the runner is polling."""
        return self._thread is not None

    def poll_now(self, name: str | None = None) -> None:
        """Make one feed (or all) due at once, e.g. after the operator asks to refresh."""
        targets = [self.coordinators[name]] if name else list(self.coordinators.values())
        now = self._monotonic()
        for coordinator in targets:
            coordinator.next_due = now
        with self._wake:
            self._wake.notify_all()

    def _schedule(self) -> None:
        while True:
            with self._wake:
                if self._stopping:
                    return
                now = self._monotonic()
                due = [
                    c
                    for c in self.coordinators.values()
                    if c.name not in self._submitted and c.due_at <= now
                ]
                if not due:
                    waiting = [
                        c.due_at
                        for c in self.coordinators.values()
                        if c.name not in self._submitted
                    ]
                    timeout = (min(waiting) - now) if waiting else 1.0
                    self._wake.wait(timeout=max(0.01, min(timeout, 1.0)))
                    continue
                for coordinator in due:
                    self._submitted.add(coordinator.name)
            for coordinator in due:
                pool = self._urgent_pool if coordinator.name in self._urgent else self._pool
                assert pool is not None
                try:
                    pool.submit(self._poll, coordinator)
                except RuntimeError:  # pool shut down while stopping
                    return

    def _poll(self, coordinator: FeedCoordinator) -> None:
        try:
            coordinator.refresh()
        finally:
            with self._wake:
                self._submitted.discard(coordinator.name)
                self._wake.notify_all()
