"""How long to wait before trying again: one exponential backoff for everything that retries
(requests, feeds, the outbox, the collector's restarts, a one-off sync, video reconnects),
each with its own parameters.

The wait after the first failure is `first_s`; each failure in a row multiplies it by
`factor`, up to `cap_s`. Jitter spreads each wait at random by up to ±`jitter` (a fraction
of it), so that clients that failed together do not all come back at the same moment.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Backoff:
    """Exponential waits with a cap and jitter."""

    first_s: float
    cap_s: float = math.inf
    jitter: float = 0.0
    factor: float = 2.0

    def __post_init__(self) -> None:
        if self.first_s < 0 or self.cap_s < 0:
            raise ValueError("a backoff waits zero seconds or more")
        if not 0 <= self.jitter < 1:
            raise ValueError("the jitter is a fraction of the wait, from 0 to less than 1")
        if self.factor < 1:
            raise ValueError("a backoff's waits do not shrink: factor ≥ 1")

    def delay(self, failures: int, rng: random.Random | None = None) -> float:
        """The wait after `failures` failures in a row (1: the first), jittered with `rng`
        (Python's shared generator when None)."""
        exponent = max(0, failures - 1)
        try:
            grown = self.first_s * self.factor**exponent
        except OverflowError:
            grown = math.inf
        base = min(self.cap_s, grown)
        if not self.jitter:
            return base
        return base * (1 + (rng or random).uniform(-self.jitter, self.jitter))


class Retries:
    """A backoff with its count of failures in a row: `next_delay` after each failure,
    `reset` once it worked."""

    def __init__(self, backoff: Backoff, rng: random.Random | None = None):
        self.backoff = backoff
        self.rng = rng
        self.failures = 0

    def next_delay(self) -> float:
        """The wait before the next attempt, after one more failure in a row."""
        self.failures += 1
        return self.backoff.delay(self.failures, self.rng)

    def reset(self) -> None:
        """Start again from the first wait, after a success."""
        self.failures = 0
