"""Faults the simulated data center can inject, switchable at run time."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields, replace

RATES = (
    "error_rate",
    "rate_limit_rate",
    "unavailable_rate",
    "reset_rate",
    "truncate_rate",
    "html_error_rate",
    "lost_answer_rate",
)


@dataclass(frozen=True)
class FaultSettings:
    latency_ms: float = 0.0
    latency_jitter_ms: float = 0.0
    error_rate: float = 0.0  # 500 with the envelope
    rate_limit_rate: float = 0.0  # 429 + Retry-After
    unavailable_rate: float = 0.0  # 503 + Retry-After
    reset_rate: float = 0.0  # TCP reset before any answer
    truncate_rate: float = 0.0  # full Content-Length, half the body, then close
    html_error_rate: float = 0.0  # a reverse proxy's HTML 502 page
    lost_answer_rate: float = (
        0.0  # the request is carried out, then the connection reset before the answer
    )
    answer_delay_ms: float = (
        0.0  # the request is carried out, then its answer waits this long (past a timeout)
    )
    retry_after_s: float = 1.0
    retry_after_as_date: bool = False  # Retry-After as an HTTP-date instead of seconds
    clock_skew_s: float = 0.0  # the server's clock runs this far ahead
    down: bool = False  # refuse connections


class Faults:
    """Thread-safe settings plus the seeded draw of which fault hits a request."""

    def __init__(self, seed: int = 1, on_down_change: Callable[[bool], None] | None = None):
        self._lock = threading.Lock()
        self._settings = FaultSettings()
        self._rng = random.Random(seed)
        self._on_down_change = on_down_change

    @property
    def settings(self) -> FaultSettings:
        return self._settings

    def as_dict(self) -> dict:
        return asdict(self._settings)

    def update(self, **values) -> FaultSettings:
        known = {f.name: f.type for f in fields(FaultSettings)}
        for name, value in values.items():
            if name not in known:
                raise ValueError(f"unknown fault {name!r} (known: {', '.join(known)})")
            if name in ("down", "retry_after_as_date"):
                if not isinstance(value, bool):
                    raise ValueError(f"{name} must be true or false")
                continue
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"{name} must be a number, got {value!r}")
            if name in RATES and not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} is a probability from 0 to 1, got {value}")
            if name != "clock_skew_s" and value < 0:
                raise ValueError(f"{name} must not be negative, got {value}")
        with self._lock:
            before = self._settings.down
            self._settings = replace(self._settings, **values)
            after = self._settings.down
        if before != after and self._on_down_change is not None:
            self._on_down_change(after)
        return self._settings

    def reset(self) -> None:
        self.update(**asdict(FaultSettings()))

    def draw(self) -> tuple[str | None, float]:
        """The fault (or None) for one request, and the latency to add in seconds."""
        with self._lock:
            s = self._settings
            latency = max(0.0, s.latency_ms + self._rng.uniform(-1, 1) * s.latency_jitter_ms) / 1000
            roll = self._rng.random()
        for name in RATES:
            rate = getattr(s, name)
            if roll < rate:
                return name, latency
            roll -= rate
        return None, latency
