"""How fresh a feed's data is, derived from its last success (never stored)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from commandcenter.domain.contract import Term

STALE_AFTER_INTERVALS = 2
DOWN_AFTER_INTERVALS = 5


class Freshness(StrEnum):
    """How current a feed's data is: fresh, stale or down."""

    FRESH = "fresh"
    STALE = "stale"
    DOWN = "down"


FRESHNESS_LABELS = {
    Freshness.FRESH: Term("最新", "Fresh"),
    Freshness.STALE: Term("滞后", "Stale"),
    Freshness.DOWN: Term("中断", "Down"),
}


@dataclass(frozen=True, slots=True)
class FreshnessReading:
    """A feed's freshness at one moment, with the age of its last good poll."""

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


def describe_age(age_s: float | None, language: str = "zh_CN") -> str:
    """An age in words for the interface ("3 min ago", "从未同步" for none)."""
    english = language.startswith("en")
    if age_s is None:
        return "never" if english else "从未同步"
    for limit, unit, zh, en, digits in (
        (60, 1, "秒前", "s ago", 0),
        (3600, 60, "分钟前", "min ago", 0),
        (86400, 3600, "小时前", "h ago", 1),
        (float("inf"), 86400, "天前", "d ago", 1),
    ):
        if age_s < limit:
            return f"{age_s / unit:.{digits}f} {en if english else zh}"
    raise AssertionError("unreachable")
