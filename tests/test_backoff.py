"""The one backoff: exponential waits with a cap and jitter, each caller with its own
parameters."""

from __future__ import annotations

import math
import random

import pytest

from commandcenter.domain.backoff import Backoff, Retries


def test_waits_double_from_the_first_up_to_the_cap():
    backoff = Backoff(first_s=1, cap_s=8)
    assert [backoff.delay(n) for n in range(1, 7)] == [1, 2, 4, 8, 8, 8]
    assert Backoff(first_s=0.2).delay(4) == pytest.approx(1.6)  # no cap


def test_a_very_long_run_of_failures_stays_at_the_cap():
    assert Backoff(first_s=1, cap_s=30).delay(5000) == 30
    assert Backoff(first_s=1).delay(5000) == math.inf


def test_jitter_spreads_each_wait_within_its_fraction_and_follows_the_given_generator():
    backoff = Backoff(first_s=10, cap_s=60, jitter=0.2)
    waits = [backoff.delay(2, random.Random(seed)) for seed in range(200)]
    assert all(16 <= w <= 24 for w in waits)
    assert len(set(waits)) > 150  # spread, not one value
    assert backoff.delay(2, random.Random(7)) == backoff.delay(2, random.Random(7))


def test_retries_count_failures_in_a_row_and_start_again_after_a_success():
    retries = Retries(Backoff(first_s=1, cap_s=8), rng=random.Random(1))
    assert [retries.next_delay() for _ in range(5)] == [1, 2, 4, 8, 8]
    retries.reset()
    assert retries.next_delay() == 1


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ({"first_s": -1}, "zero seconds or more"),
        ({"first_s": 1, "cap_s": -1}, "zero seconds or more"),
        ({"first_s": 1, "jitter": 1.0}, "the jitter is a fraction"),
        ({"first_s": 1, "jitter": -0.1}, "the jitter is a fraction"),
        ({"first_s": 1, "factor": 0.5}, "do not shrink"),
    ],
)
def test_a_backoff_that_cannot_be_is_refused(bad, reason):
    with pytest.raises(ValueError, match=reason):
        Backoff(**bad)


def test_each_caller_keeps_its_own_parameters():
    from commandcenter.cli.sync import ROUND_BACKOFF
    from commandcenter.collector.parent import RESTART_BACKOFF
    from commandcenter.domain.video import RECONNECT_BACKOFF
    from commandcenter.feeds.client import RETRY_BACKOFF as REQUEST_BACKOFF
    from commandcenter.feeds.outbox import RETRY_BACKOFF as OUTBOX_BACKOFF

    assert [REQUEST_BACKOFF.delay(n) for n in (1, 2, 3)] == pytest.approx([0.2, 0.4, 0.8])
    assert [OUTBOX_BACKOFF.delay(n) for n in (1, 2, 9)] == [2, 4, 300]
    assert [ROUND_BACKOFF.delay(n) for n in (1, 2, 5)] == [0.5, 1, 5]
    assert [RESTART_BACKOFF.delay(n) for n in (1, 2, 6)] == [1, 2, 30]
    assert (RECONNECT_BACKOFF.first_s, RECONNECT_BACKOFF.cap_s) == (1, 30)
    assert RECONNECT_BACKOFF.jitter == 0.2
