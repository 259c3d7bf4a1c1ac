"""What the statistics draw, computed in a worker from the case figures: the trend of the
chosen span and view, the counties' ranking today, the spikes, and the day in a sentence."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

import numpy as np
import pyqtgraph.exporters  # noqa: F401 - pg.exporters

from commandcenter.domain import anomaly, contract
from commandcenter.domain.case_figures import (
    CLOSED,
    PENDING,
    RECEIVED,
    CaseFigures,
    bureau_midnight,
    epoch_hour,
)
from commandcenter.domain.contract import Term
from commandcenter.domain.geography import county_code, county_name
from commandcenter.ui.widgets import i18n
from commandcenter.ui.widgets.i18n import tr

RANGES = (("24h", 24), ("7d", 24 * 7), ("30d", 24 * 30))
# a longer span is drawn per day: 720 hourly points are a comb, not a trend
HOURLY_UP_TO = timedelta(days=7)
CUSTOM = "custom"
VIEWS = ("flow", "county", "category")
FLOW_COLOURS = {"received": "#58a6ff", "closed": "#3fb950", "pending": "#d29922"}
PALETTE = (
    "#58a6ff",
    "#3fb950",
    "#d29922",
    "#f778ba",
    "#a371f7",
    "#39c5cf",
    "#ff7b72",
    "#e3b341",
    "#8b949e",
    "#56d364",
    "#79c0ff",
    "#ffa657",
)


@dataclass(frozen=True)
class StatsSpec:
    """What the operator asked to see."""

    category: str | None = contract.CaseCategory.MEDIATION.value  # None: all categories
    range_key: str = "24h"
    custom: tuple[datetime, datetime] | None = None  # the span when range_key is CUSTOM
    view: str = "flow"  # received/closed/backlog, stacked by county, stacked by category
    county: str | None = None  # None: the whole city
    per_10k: bool = False  # the ranking per 10,000 residents

    def span(self, now: datetime) -> tuple[datetime, datetime]:
        """[start, end) on whole hours; a preset ends with the hour under way."""
        if self.range_key == CUSTOM and self.custom is not None:
            return self.custom
        hours = dict(RANGES)[self.range_key]
        end = datetime.fromtimestamp((epoch_hour(now) + 1) * 3600, UTC)
        return end - timedelta(hours=hours), end

    def per_day(self, now: datetime) -> bool:
        """Whether the span is drawn per day (over a week) rather than per hour."""
        start, end = self.span(now)
        return end - start > HOURLY_UP_TO


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    colour: str
    values: np.ndarray  # one per bucket (hour or day) of the trend; NaN: the store holds none
    right: bool = False  # on the right-hand axis: a level (the backlog) beside the flows


@dataclass(frozen=True)
class Trend:
    spec: StatsSpec
    hours: np.ndarray  # epoch seconds of each bucket's start: hours, or the bureau's days
    series: tuple[Series, ...]
    stacked: bool
    ranking: tuple[tuple[str, float], ...]  # (county, value) in ascending order: the bars bottom up
    received_today: int  # of the chosen categories and county
    spikes: tuple = ()  # domain.anomaly.Anomaly in the span
    day: anomaly.DayComparison | None = None
    per_day: bool = False  # buckets are the bureau's days, not hours
    drawn_for: tuple = field(
        default=(), compare=False
    )  # (spec, history version, hour): what the data is of


def category_name(category: str | None) -> str:
    return i18n.term(contract.CASE_CATEGORY_LABELS, category) if category else tr("All categories")


def compute_trend(
    figures: CaseFigures, spec: StatsSpec, now: datetime, population: dict[str, float]
) -> Trend:
    """Everything the charts draw, as arrays. Runs in a worker."""
    start, end = spec.span(now)
    lo, hi = figures.index(start), figures.index(end - timedelta(microseconds=1)) + 1
    categories = [spec.category] if spec.category else None
    county_orgs = (
        [o for o in figures.orgs if county_code(o) == spec.county] if spec.county else None
    )
    stacked = spec.view != "flow"
    if spec.view == "county":
        per_org = figures.by_org(RECEIVED, lo, hi, categories=categories)
        by_county: dict[str, np.ndarray] = {}
        for n, org in enumerate(figures.orgs):
            code = county_code(org)
            if spec.county in (None, code):
                by_county[code] = by_county.get(code, 0) + per_org[n]
        ordered = sorted(
            by_county, key=lambda c: -float(by_county[c].sum())
        )  # the largest at the bottom
        series = tuple(
            Series(code, i18n.place(code), PALETTE[n % len(PALETTE)], by_county[code])
            for n, code in enumerate(ordered)
        )
    elif spec.view == "category":
        per_category = figures.by_category(RECEIVED, lo, hi, orgs=county_orgs)
        wanted = [n for n, c in enumerate(figures.categories) if spec.category in (None, c)]
        wanted.sort(key=lambda n: -float(per_category[n].sum()))
        series = tuple(
            Series(
                figures.categories[n],
                category_name(figures.categories[n]),
                PALETTE[n % len(PALETTE)],
                per_category[n],
            )
            for n in wanted
        )
    else:
        series = tuple(
            Series(
                key,
                label,
                FLOW_COLOURS[key],
                figures.series(measure, lo, hi, categories=categories, orgs=county_orgs),
                right=measure == PENDING,
            )
            for key, label, measure in (
                ("received", tr("received"), RECEIVED),
                ("closed", tr("closed"), CLOSED),
                ("pending", tr("backlog (right axis)"), PENDING),
            )
        )
    # hours the store does not hold are unknown: gaps in the curves, not zeros
    held = figures.stored_hours(lo, hi, categories=categories)
    series = tuple(replace(s, values=np.where(held, s.values, np.nan)) for s in series)
    hours = figures.epoch_seconds(lo, hi)
    per_day = spec.per_day(now)
    if per_day:
        hours, series = _per_day(hours, series)
    # the ranking: today, every county, whatever county is chosen (it is how one is chosen)
    midnight, hour_now = figures.index(bureau_midnight(now)), figures.index(now) + 1
    today = figures.by_org(RECEIVED, midnight, hour_now, categories=categories).sum(axis=1)
    per_county: dict[str, float] = {}
    for n, org in enumerate(figures.orgs):
        per_county[county_code(org)] = per_county.get(county_code(org), 0.0) + float(today[n])
    received_today = int(sum(v for c, v in per_county.items() if spec.county in (None, c)))
    if spec.per_10k:
        per_county = {c: v / population[c] for c, v in per_county.items() if population.get(c)}
    ranking = tuple(sorted(per_county.items(), key=lambda item: (item[1], item[0])))
    spikes = []
    for category in categories or figures.categories:
        spikes += [
            s
            for s in anomaly.find_spikes(figures, category, start, now)
            if spec.county in (None, county_code(s.org_code))
        ]
    day = anomaly.compare_with_last_week(figures, categories, now, orgs=county_orgs)
    return Trend(
        spec,
        hours,
        series,
        stacked,
        ranking,
        received_today,
        tuple(sorted(spikes, key=lambda s: (s.bucket, s.org_code))),
        day,
        per_day,
    )


def _per_day(hours: np.ndarray, series: tuple[Series, ...]) -> tuple[np.ndarray, tuple]:
    """Hourly series as the bureau's days: flows summed over the hours the store holds,
    a level (the backlog) as at the day's last held hour; a day without one is NaN."""
    if not len(hours):
        return hours, series
    first = bureau_midnight(datetime.fromtimestamp(float(hours[0]), UTC))
    days = [first]
    while (days[-1] + timedelta(days=1)).timestamp() <= hours[-1]:
        # one calendar day on: 23 or 25 hours where the bureau changes its clocks
        nxt = bureau_midnight(days[-1] + timedelta(hours=36))
        days.append(nxt)
    starts = np.array([d.timestamp() for d in days])
    day_of = np.searchsorted(starts, hours, side="right") - 1
    out = []
    for s in series:
        held = ~np.isnan(s.values)
        values = np.full(len(starts), np.nan)
        if s.right:  # as at the last held hour of each day
            at = np.nonzero(held)[0]
            day, last = np.unique(day_of[at][::-1], return_index=True)
            values[day] = s.values[at[::-1][last]]
        else:
            counts = np.bincount(day_of[held], weights=s.values[held], minlength=len(starts))
            any_held = np.bincount(day_of[held], minlength=len(starts)) > 0
            values = np.where(any_held, counts, np.nan)
        out.append(replace(s, values=values))
    return starts, tuple(out)


# the day's sentence, in either language: the daily report is always Chinese
DAY_PHRASES = {
    "today": Term("%1今日受理 %2 件", "%1: %2 received today"),
    "same": Term(
        "%1受理量与上周同期基本持平", "%1 received about as many as at this time last week"
    ),
    "up": Term("%1受理量较上周同期上升 %2%", "%1 received %2% more than at this time last week"),
    "down": Term("%1受理量较上周同期下降 %2%", "%1 received %2% fewer than at this time last week"),
    "top": Term("，%1最高", ", most in %1"),
}


def describe_day(label: str, day: anomaly.DayComparison, language: str | None = None) -> str:
    """The day in one plain sentence, e.g. 人民调解受理量较上周同期上升 18%，吴中区最高."""
    language = language or i18n.language()
    change = day.change_pct
    if change is None:
        text = (
            DAY_PHRASES["today"]
            .in_language(language)
            .replace("%1", label)
            .replace("%2", f"{day.today:,}")
        )
    elif abs(change) < 1:
        text = DAY_PHRASES["same"].in_language(language).replace("%1", label)
    else:
        text = (
            DAY_PHRASES["up" if change > 0 else "down"]
            .in_language(language)
            .replace("%1", label)
            .replace("%2", f"{abs(change):.0f}")
        )
    if day.top_county:
        text += (
            DAY_PHRASES["top"]
            .in_language(language)
            .replace("%1", county_name(day.top_county, language))
        )
    return text
