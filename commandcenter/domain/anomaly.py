"""Unusual hours in the case statistics: an hour far above what is usual for it.

The rule, as the statistics panel states it: an hour's cases received in a county
are compared with the same hour of the same weekday in the previous weeks (at least
three of them), or, while fewer weeks are stored, with the same hour of the previous
days. With the median m and the median absolute deviation MAD of those hours, the
robust z-score is z = 0.6745 · (x − m) / MAD; the hour is flagged when z ≥ 3.5 and
it exceeds m by at least 5 cases (so that a quiet county's 0 → 3 is no alarm). When
the MAD is 0 (the same count every time), it counts as 1. The hour under way counts
at its rate so far.

Robust (median and MAD, not mean and standard deviation) because one earlier spike
must not make the next one look normal.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from commandcenter.domain.contract import Term

Z_THRESHOLD = 3.5
MIN_EXCESS = 5
MIN_WEEKS = 3
WEEKS = 4
DAYS = 7
MAD_TO_SIGMA = 0.6745
HOUR = timedelta(hours=1)
MIN_PART_OF_HOUR = 0.25


@dataclass(frozen=True)
class Anomaly:
    bucket: datetime
    org_code: str
    category: str
    received: int
    usual: float  # the median of the comparable hours
    z: float
    compared_with: str  # "weeks" or "days"


def baseline(history: dict[datetime, int], bucket: datetime) -> tuple[list[int], str]:
    """The comparable hours before `bucket`: the same weekday's if enough weeks are
    stored, else the previous days'."""
    weeks = [history[h] for h in (bucket - timedelta(weeks=k) for k in range(1, WEEKS + 1)) if h in history]
    if len(weeks) >= MIN_WEEKS:
        return weeks, "weeks"
    days = [history[h] for h in (bucket - timedelta(days=k) for k in range(1, DAYS + 1)) if h in history]
    return days, "days"


def robust_z(value: float, sample: list[int]) -> tuple[float, float]:
    """(z, median) of a value against a sample; the MAD counts as at least 1."""
    median = statistics.median(sample)
    mad = statistics.median(abs(v - median) for v in sample) or 1.0
    return MAD_TO_SIGMA * (value - median) / mad, median


def find_spikes(rows: Iterable, since: datetime, now: datetime | None = None) -> list[Anomaly]:
    """Flag the hours from `since` on. `rows` are hourly case rows (bucket, org_code,
    category, received) reaching back far enough for their baselines. The hour under
    way at `now` is judged by its rate so far (at least a quarter of an hour's worth):
    26 cases in its first 20 minutes are 78 an hour, not 26."""
    series: dict[tuple[str, str], dict[datetime, int]] = {}
    for row in rows:
        series.setdefault((row.org_code, row.category), {})[row.bucket] = row.received
    found = []
    for (org_code, category), history in series.items():
        for bucket, received in history.items():
            if bucket < since:
                continue
            sample, kind = baseline(history, bucket)
            if len(sample) < MIN_WEEKS:
                continue  # too little history to say what is usual
            value = received
            if now is not None and bucket <= now < bucket + HOUR:
                value = received / max((now - bucket) / HOUR, MIN_PART_OF_HOUR)
            z, usual = robust_z(value, sample)
            if z >= Z_THRESHOLD and value - usual >= MIN_EXCESS:
                found.append(Anomaly(bucket, org_code, category, received, usual, round(z, 1), kind))
    return sorted(found, key=lambda a: (a.bucket, a.org_code))


LOCAL_ALERT_PREFIX = "LOCAL-"  # alerts the client raises itself: never sent to the data center
SPIKE_ALERT_TYPE = "case_spike"
SPIKE_ALERT_LABEL = Term("案件量异常", "Unusual case volume")
SPIKE_SEVERITY = 3


def spike_alert_id(spike: Anomaly) -> str:
    """The same spike always gets the same id: raised once, however often it is read."""
    return f"{LOCAL_ALERT_PREFIX}SPIKE-{spike.org_code}-{spike.category}-{spike.bucket:%Y%m%d%H}"


def is_local_alert(alert_id: str) -> bool:
    return alert_id.startswith(LOCAL_ALERT_PREFIX)


@dataclass(frozen=True)
class DayComparison:
    """Today so far against the same span of the same weekday a week ago."""

    today: int
    week_ago: int
    top_county: str | None  # the county that received most today
    week_ago_complete: bool = True  # the store holds the whole span a week ago

    @property
    def change_pct(self) -> float | None:
        if self.week_ago == 0 or not self.week_ago_complete:
            return None  # no comparison rather than a wrong one
        return 100.0 * (self.today - self.week_ago) / self.week_ago


def compare_with_last_week(rows: Iterable, midnight: datetime, now: datetime) -> DayComparison:
    """`rows`: hourly case rows of one category covering a week ago and today."""
    week = timedelta(days=7)
    today, week_ago, by_county = 0, 0, {}
    earliest = None
    for row in rows:
        earliest = row.bucket if earliest is None or row.bucket < earliest else earliest
        if midnight <= row.bucket < now:
            today += row.received
            by_county[row.org_code] = by_county.get(row.org_code, 0) + row.received
        elif midnight - week <= row.bucket < now - week:
            week_ago += row.received
    top = max(by_county.items(), key=lambda item: item[1])[0] if by_county else None
    return DayComparison(today, week_ago, top, earliest is not None and earliest <= midnight - week)
