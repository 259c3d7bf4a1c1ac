"""Unusual hours in the case statistics: an hour far above what is usual for it.

The rule, as the statistics panel states it: an hour's cases received in a county
are compared with the same hour of the same weekday in the previous weeks (at least
three of them), or, while fewer weeks are stored, with the same hour of the previous
days. With the median m and the median absolute deviation MAD of those hours, the
robust z-score is z = 0.6745 · (x − m) / MAD; the hour is flagged when z ≥ 3.5 and
it exceeds m by at least 5 cases (so that a quiet county's 0 → 3 is no alarm). The
MAD counts as at least 1, and as at least 0.6745·√m: a handful of counts often agree
by chance (MAD 0 or ½ from 1, 2, 2, 3), and counts of cases vary by about √m from
hour to hour by chance alone (Poisson), so no hour is flagged for being ordinary
noise around a small median. The hour under way counts at its rate so far.

Robust (median and MAD, not mean and standard deviation) because one earlier spike
must not make the next one look normal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np

from commandcenter.domain.case_figures import RECEIVED, CaseFigures, bureau_midnight
from commandcenter.domain.contract import Term

Z_THRESHOLD = 3.5
MIN_EXCESS = 5
MIN_WEEKS = 3
WEEKS = 4
DAYS = 7
MAD_TO_SIGMA = 0.6745
MIN_PART_OF_HOUR = 0.25


@dataclass(frozen=True)
class Anomaly:
    """An hour of one county's and category's cases far from its usual."""

    bucket: datetime
    org_code: str
    category: str
    received: int
    usual: float  # the median of the comparable hours
    z: float
    compared_with: str  # "weeks" or "days"


def _comparable(
    received: np.ndarray, stored: np.ndarray, hours: np.ndarray, step: int, count: int
) -> np.ndarray:
    """[county, hour, k]: the counts `k·step` hours before each of `hours` (k = 1..count),
    NaN where that hour is not stored."""
    back = hours[:, None] - step * np.arange(1, count + 1)[None, :]  # [hour, k]
    valid = back >= 0
    back = np.where(valid, back, 0)
    valid &= stored[back]
    return np.where(valid[None, :, :], received[:, back], np.nan)


def find_spikes(
    figures: CaseFigures, category: str, since: datetime, now: datetime | None = None
) -> list[Anomaly]:
    """Flag each county's hours of one category from `since` on; `figures` reach back
    far enough for their baselines. The hour under way at `now` is judged by its rate
    so far (at least a quarter of an hour's worth): 26 cases in its first 20 minutes
    are 78 an hour, not 26."""
    if category not in figures.categories or not figures.orgs:
        return []
    c = figures.categories.index(category)
    received = figures.values[c, :, :, RECEIVED].astype(np.float64)  # [county, hour]
    stored = figures.stored[c]
    hours = np.arange(max(0, figures.index(since)), figures.hours)
    hours = hours[stored[hours]]
    if hours.size == 0:
        return []
    weeks = _comparable(received, stored, hours, 168, WEEKS)
    days = _comparable(received, stored, hours, 24, DAYS)
    by_weeks = (~np.isnan(weeks[0])).sum(axis=1) >= MIN_WEEKS  # [hour]
    sample = np.where(
        by_weeks[None, :, None],
        np.pad(weeks, ((0, 0), (0, 0), (0, DAYS - WEEKS)), constant_values=np.nan),
        days,
    )
    enough = (~np.isnan(sample[0])).sum(axis=1) >= MIN_WEEKS  # too little history: nothing is usual
    value = received[:, hours]
    if now is not None:
        under_way = figures.index(now)
        part = max((now.timestamp() / 3600 - (figures.first_hour + under_way)), MIN_PART_OF_HOUR)
        value = np.where(hours[None, :] == under_way, value / min(part, 1.0), value)
    # an hour without a single comparable hour (too little history) has no usual; numpy
    # warns of each such all-NaN slice, so they are left out of the medians
    known = np.asarray(~np.isnan(sample).all(axis=2))  # [county, hour]
    sample = np.where(known[:, :, None], sample, 0.0)
    usual = np.nanmedian(sample, axis=2)
    mad = np.where(known, np.nanmedian(np.abs(sample - usual[:, :, None]), axis=2), np.nan)
    usual = np.where(known, usual, np.nan)
    z = (
        MAD_TO_SIGMA
        * (value - usual)
        / np.maximum(np.fmax(mad, MAD_TO_SIGMA * np.sqrt(usual)), 1.0)
    )
    flagged = enough[None, :] & (z >= Z_THRESHOLD) & (value - usual >= MIN_EXCESS)
    found = []
    for o, n in zip(*np.nonzero(flagged), strict=True):
        h = int(hours[n])
        found.append(
            Anomaly(
                datetime.fromtimestamp((figures.first_hour + h) * 3600, UTC),
                figures.orgs[o],
                category,
                int(received[o, h]),
                float(usual[o, n]),
                round(float(z[o, n]), 1),
                "weeks" if by_weeks[n] else "days",
            )
        )
    return sorted(found, key=lambda a: (a.bucket, a.org_code))


LOCAL_ALERT_PREFIX = "LOCAL-"  # alerts the client raises itself: never sent to the data center
SPIKE_ALERT_TYPE = "case_spike"
SPIKE_ALERT_LABEL = Term("案件量异常", "Unusual case volume")
SPIKE_SEVERITY = 3


def spike_alert_id(spike: Anomaly) -> str:
    """The same spike always gets the same id: raised once, however often it is read."""
    return f"{LOCAL_ALERT_PREFIX}SPIKE-{spike.org_code}-{spike.category}-{spike.bucket:%Y%m%d%H}"


def is_local_alert(alert_id: str) -> bool:
    """Whether an alert id is one this client raised itself, not the data center."""
    return alert_id.startswith(LOCAL_ALERT_PREFIX)


@dataclass(frozen=True)
class DayComparison:
    """Today so far against the same span of the same weekday a week ago."""

    today: int
    week_ago: float | None  # None: the store does not hold the whole span a week ago
    top_county: str | None  # the county that received most today

    @property
    def change_pct(self) -> float | None:
        """Today's change against a week ago in percent; None without a comparison."""
        if not self.week_ago:
            return None  # no comparison rather than a wrong one
        return 100.0 * (self.today - self.week_ago) / self.week_ago


def compare_with_last_week(
    figures: CaseFigures,
    categories: list[str] | None,
    now: datetime,
    *,
    orgs: list[str] | None = None,
) -> DayComparison:
    """Cases received today so far (of the categories and counties given; None: all)
    against the same span a week ago, and the county that received most today."""
    midnight = bureau_midnight(now)
    week = timedelta(days=7)
    start, end = figures.index(midnight), figures.index(now) + 1
    by_org = figures.by_org(RECEIVED, start, end, categories=categories).sum(axis=1)
    if orgs is not None:
        by_org = np.where([o in orgs for o in figures.orgs], by_org, 0)
    top = figures.orgs[int(by_org.argmax())] if by_org.size and by_org.max() > 0 else None
    covered = all(
        figures.covered(midnight - week, now - week, c) for c in (categories or figures.categories)
    )
    week_ago = (
        figures.received_between(midnight - week, now - week, categories=categories, orgs=orgs)
        if covered and figures.categories
        else None
    )
    return DayComparison(round(float(by_org.sum())), week_ago, top)
