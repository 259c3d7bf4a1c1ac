"""How fresh a feed's data is, derived from its last success (never stored)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

STALE_AFTER_INTERVALS = 2
DOWN_AFTER_INTERVALS = 5


class Freshness(StrEnum):
    FRESH = "fresh"
    STALE = "stale"
    DOWN = "down"


FRESHNESS_LABELS = {Freshness.FRESH: "最新", Freshness.STALE: "滞后", Freshness.DOWN: "中断"}


@dataclass(frozen=True, slots=True)
class FreshnessReading:
    state: Freshness
    age_s: float | None  # seconds since the last success; None: never succeeded


def freshness(last_success: datetime | None, interval_s: float, now: datetime) -> FreshnessReading:
    """FRESH until two intervals pass without a success, STALE until five, then DOWN."""
    if last_success is None:
        return FreshnessReading(Freshness.DOWN, None)
    age = max(0.0, (now - last_success).total_seconds())
    if age > DOWN_AFTER_INTERVALS * interval_s:
        return FreshnessReading(Freshness.DOWN, age)
    if age > STALE_AFTER_INTERVALS * interval_s:
        return FreshnessReading(Freshness.STALE, age)
    return FreshnessReading(Freshness.FRESH, age)


def describe_age(age_s: float | None) -> str:
    if age_s is None:
        return "从未同步"
    if age_s < 60:
        return f"{age_s:.0f} 秒前"
    if age_s < 3600:
        return f"{age_s / 60:.0f} 分钟前"
    if age_s < 86400:
        return f"{age_s / 3600:.1f} 小时前"
    return f"{age_s / 86400:.1f} 天前"
