"""The feed coordinator: scheduling, failures, backoff, Retry-After, listeners, freshness."""

from __future__ import annotations

import logging
import random
import threading
from datetime import UTC, datetime, timedelta

import pytest

from commandcenter.domain.freshness import Freshness
from commandcenter.feeds.coordinator import FeedCoordinator, PollResult
from commandcenter.feeds.errors import RetryLater, Unreachable
from commandcenter.store import Store


class FakeClock:
    def __init__(self):
        self.mono = 1000.0
        self.wall = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)

    def monotonic(self) -> float:
        return self.mono

    def now(self) -> datetime:
        return self.wall

    def advance(self, seconds: float) -> None:
        self.mono += seconds
        self.wall += timedelta(seconds=seconds)


class ScriptedFeed:
    """A feed whose polls follow a script of results and exceptions."""

    def __init__(self, name="service_points", interval_s=10.0, script=()):
        self.name = name
        self.interval_s = interval_s
        self.script = list(script)
        self.polls = 0

    def poll(self) -> PollResult:
        self.polls += 1
        step = self.script.pop(0) if self.script else PollResult(records_in=1)
        if isinstance(step, Exception):
            raise step
        return step


@pytest.fixture
def store(tmp_path):
    s = Store(f"sqlite:///{tmp_path / 'cc.db'}")
    yield s
    s.close()


@pytest.fixture
def clock():
    return FakeClock()


def make(feed, store, clock, **kw):
    return FeedCoordinator(
        feed, store, monotonic=clock.monotonic, now=clock.now, rng=random.Random(1), **kw
    )


def test_success_schedules_next_poll_at_most_one_interval_after_it_started(store, clock):
    class SlowFeed(ScriptedFeed):
        def poll(self):
            clock.mono += 2.0  # the poll took 2 s
            return super().poll()

    coordinator = make(SlowFeed(interval_s=10), store, clock, jitter=0.1)
    delays = []
    for _ in range(50):
        started = clock.mono
        assert coordinator.refresh()
        delays.append(coordinator.next_due - started)
    assert (
        all(9.0 <= d <= 10.0 for d in delays) and max(delays) - min(delays) > 0.5
    )  # early, never late
    assert coordinator.status.last_update_success is True
    assert coordinator.status.last_success_at == clock.wall


def test_a_poll_in_flight_is_never_started_twice(store, clock):
    entered, release = threading.Event(), threading.Event()

    class BlockingFeed(ScriptedFeed):
        def poll(self):
            entered.set()
            release.wait(5)
            return super().poll()

    feed = BlockingFeed()
    coordinator = make(feed, store, clock)
    worker = threading.Thread(target=coordinator.refresh)
    worker.start()
    assert entered.wait(5)
    assert coordinator.refresh() is False
    release.set()
    worker.join(5)
    assert feed.polls == 1


def test_failure_keeps_last_good_data_and_logs_once_down_once_recovered(store, clock, caplog):
    feed = ScriptedFeed(
        script=[
            PollResult(records_in=5, changed=5),
            Unreachable("connection refused"),
            Unreachable("connection refused"),
            Unreachable("connection refused"),
            PollResult(records_in=1),
        ]
    )
    coordinator = make(feed, store, clock)
    caplog.set_level(logging.INFO, logger="commandcenter.feeds.coordinator")
    coordinator.refresh()
    good_at = coordinator.status.last_success_at
    for _ in range(3):
        clock.advance(10)
        coordinator.refresh()
    status = coordinator.status
    assert status.last_update_success is False
    assert status.last_success_at == good_at
    assert status.last_result == PollResult(records_in=5, changed=5)
    assert status.consecutive_failures == 3
    assert "connection refused" in status.last_error
    clock.advance(10)
    coordinator.refresh()
    messages = [r.getMessage() for r in caplog.records]
    assert sum("is failing" in m for m in messages) == 1
    assert sum("recovered" in m for m in messages) == 1
    assert coordinator.status.last_update_success is True


def test_backoff_doubles_and_is_capped(store, clock):
    feed = ScriptedFeed(interval_s=10, script=[Unreachable("down")] * 8)
    coordinator = make(feed, store, clock, jitter=0.0, backoff_cap_s=60)
    delays = []
    for _ in range(6):
        coordinator.refresh()
        delays.append(round(coordinator.next_due - clock.mono, 3))
    assert delays == [10, 20, 40, 60, 60, 60]


def test_retry_after_postpones_the_next_poll(store, clock):
    feed = ScriptedFeed(interval_s=3, script=[RetryLater(429, None, "slow down", retry_after=42)])
    coordinator = make(feed, store, clock, jitter=0.0)
    coordinator.refresh()
    assert coordinator.next_due - clock.mono == pytest.approx(42)
    assert coordinator.not_before - clock.mono == pytest.approx(42)


def test_listeners_hear_of_changes_only(store, clock):
    feed = ScriptedFeed(
        script=[
            PollResult(records_in=3, changed=3),
            PollResult(records_in=3, changed=0),
            PollResult(not_modified=True),
            Unreachable("x"),
            Unreachable("x"),
            PollResult(records_in=0),
        ]
    )
    coordinator = make(feed, store, clock)
    heard = []
    coordinator.add_listener(heard.append)
    for _ in range(6):
        coordinator.refresh()
    # changed data, went down, recovered; quiet polls and the repeated failure are silent
    assert [s.last_update_success for s in heard] == [True, False, True]


def test_every_poll_leaves_a_health_sample(store, clock):
    feed = ScriptedFeed(script=[PollResult(records_in=7, rejected=2), Unreachable("refused")])
    coordinator = make(feed, store, clock)
    coordinator.refresh()
    clock.advance(10)
    coordinator.refresh()
    samples = store.feed_health("service_points")
    assert [(s.up, s.records_in, s.records_rejected) for s in samples] == [
        (False, 0, 0),
        (True, 7, 2),
    ]
    assert samples[0].error == "refused"


def test_freshness_goes_stale_then_down_then_recovers(store, clock):
    feed = ScriptedFeed(interval_s=10, script=[PollResult()] + [Unreachable("down")] * 10)
    coordinator = make(feed, store, clock)
    coordinator.refresh()
    assert coordinator.status.freshness(clock.wall).state is Freshness.FRESH
    clock.advance(21)
    coordinator.refresh()
    assert coordinator.status.freshness(clock.wall).state is Freshness.STALE
    clock.advance(30)
    coordinator.refresh()
    reading = coordinator.status.freshness(clock.wall)
    assert reading.state is Freshness.DOWN
    assert reading.age_s == pytest.approx(51)
    feed.script = []
    clock.advance(1)
    coordinator.refresh()
    assert coordinator.status.freshness(clock.wall).state is Freshness.FRESH


def test_an_adapter_bug_is_a_failed_poll_not_a_crash(store, clock):
    feed = ScriptedFeed(script=[KeyError("oops")])
    coordinator = make(feed, store, clock)
    assert coordinator.refresh()
    assert coordinator.status.last_update_success is False
    assert "internal error" in coordinator.status.last_error


def test_restart_remembers_the_last_success(store, clock):
    coordinator = make(ScriptedFeed(), store, clock)
    coordinator.refresh()
    again = make(ScriptedFeed(), store, clock)
    assert again.status.last_success_at is not None


def test_the_alerts_are_polled_while_every_other_worker_is_busy(store):
    """Three slow feeds hold the pool's three workers; the alerts feed has its own."""
    from commandcenter.feeds.runner import FeedRunner
    from tests.conftest import wait_until

    release = threading.Event()

    class Slow(ScriptedFeed):
        def poll(self) -> PollResult:
            release.wait(10)
            return super().poll()

    slow = [Slow(name=f"slow{n}", interval_s=60) for n in range(3)]
    alerts = ScriptedFeed(name="alerts", interval_s=0.05)
    runner = FeedRunner(FeedCoordinator(f, store) for f in [*slow, alerts])
    runner.start()
    try:
        wait_until(lambda: alerts.polls >= 3, what="three polls of the alerts")
        assert all(f.polls == 0 for f in slow)  # the slow ones still in their first poll
    finally:
        release.set()
        runner.stop()


def test_no_poll_starts_while_a_retry_after_given_to_the_client_runs(store):
    """Another feed's 429 set the client's gate: the runner starts none of its polls
    before it opens, and then polls them at once."""
    from commandcenter.feeds.pacing import RetryAfterGate
    from commandcenter.feeds.runner import FeedRunner
    from tests.conftest import wait_until

    gate = RetryAfterGate()
    gate.hold(0.6)
    feeds = [ScriptedFeed(name=name, interval_s=60) for name in ("orgs", "cameras")]
    runner = FeedRunner(FeedCoordinator(f, store, held_until=lambda: gate.until) for f in feeds)
    assert all(c.due_at == pytest.approx(gate.until) for c in runner.coordinators.values())
    runner.start()

    def polled_once_the_gate_opened() -> bool:
        assert gate.remaining() == 0 or all(f.polls == 0 for f in feeds)
        return all(f.polls > 0 for f in feeds)

    try:
        wait_until(polled_once_the_gate_opened, what="a poll of each feed")
    finally:
        runner.stop()
    assert all(f.polls == 1 for f in feeds)


def test_a_problem_of_the_whole_client_is_left_to_the_client_to_log(store, clock, caplog):
    from commandcenter.feeds.errors import AuthError, NotConnected

    caplog.set_level(logging.DEBUG, logger="commandcenter.feeds.coordinator")
    for failure in (
        NotConnected("the data center at 127.0.0.1:9 refused the connection"),
        AuthError(401, "0x02401003", "signature mismatch"),
    ):
        coordinator = make(ScriptedFeed(script=[failure]), store, clock)
        coordinator.refresh()
        assert coordinator.status.last_error == str(failure)
        assert coordinator.last_failure is failure
    forbidden = make(
        ScriptedFeed(script=[AuthError(403, "0x02403001", "no permission")]), store, clock
    )
    forbidden.refresh()
    warned = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert warned == ["feed service_points is failing: HTTP 403 0x02403001: no permission"]
