"""The rule that flags unusual hours in the case statistics."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from commandcenter.domain import anomaly
from commandcenter.domain.case_figures import CaseFigures
from commandcenter.domain.timefmt import CHINA_STANDARD_TIME as CST


@dataclass(frozen=True)
class Row:
    bucket: datetime
    org_code: str
    category: str
    received: int


NOW = datetime(2026, 11, 24, 10, tzinfo=UTC)


def find_spikes(rows, since, now=None, category="mediation"):
    return anomaly.find_spikes(CaseFigures.from_rows(rows), category, since, now)


def _history(days: int, usual=lambda h: 10 + (h.hour % 5), org="320506", category="mediation"):
    start = NOW - timedelta(days=days)
    hours = int((NOW - start).total_seconds() // 3600) + 1
    return [
        Row(start + timedelta(hours=n), org, category, usual(start + timedelta(hours=n)))
        for n in range(hours)
    ]


def test_an_hour_far_above_the_same_hour_of_previous_weeks_is_flagged_once():
    rows = _history(35)
    rows[-1] = Row(NOW, "320506", "mediation", 60)  # this hour: six times the usual
    [spike] = find_spikes(rows, since=NOW - timedelta(hours=24))
    assert spike.bucket == NOW and spike.received == 60 and spike.compared_with == "weeks"
    assert spike.usual == 10 + NOW.hour % 5 and spike.z > 3.5


def test_with_a_week_of_history_the_previous_days_are_the_baseline():
    rows = _history(7)
    rows[-1] = Row(NOW, "320506", "mediation", 45)
    [spike] = find_spikes(rows, since=NOW - timedelta(hours=1))
    assert spike.compared_with == "days"


def test_hours_without_history_are_judged_without_a_numpy_warning():
    """A fresh store: a day and a half of rows, judged from before they begin (numpy's
    "All-NaN slice" warnings reached the collector's stderr; here warnings are errors)."""
    rows = _history(1.5)
    rows[-1] = Row(NOW, "320506", "mediation", 200)
    assert find_spikes(rows, since=NOW - timedelta(days=3)) == []  # nothing to compare with


def test_ordinary_variation_a_small_county_and_a_past_spike_are_not_alarms():
    rows = _history(35, usual=lambda h: 10 + (h.day % 3))  # wobbles by 2 from day to day
    assert find_spikes(rows, since=NOW - timedelta(hours=48)) == []
    quiet = _history(35, usual=lambda h: 0)
    quiet[-1] = Row(NOW, "320506", "mediation", 4)  # 0 -> 4: far in z, but only 4 cases
    assert find_spikes(quiet, since=NOW - timedelta(hours=1)) == []
    # a spike a week ago does not hide today's (median and MAD, not mean and deviation)
    rows = _history(35)
    week_ago = len(rows) - 1 - 7 * 24
    rows[week_ago] = Row(rows[week_ago].bucket, "320506", "mediation", 200)
    rows[-1] = Row(NOW, "320506", "mediation", 60)
    assert [s.bucket for s in find_spikes(rows, since=NOW - timedelta(hours=1))] == [NOW]


def test_a_flat_history_counts_as_the_deviation_chance_gives_counts_that_size():
    import math

    rows = _history(35, usual=lambda h: 10)  # MAD 0: counts as 0.6745·√10 = 2.13
    rows[-1] = Row(NOW, "320506", "mediation", 16)  # six more: ordinary for tens of cases
    assert find_spikes(rows, since=NOW) == []
    rows[-1] = Row(NOW, "320506", "mediation", 22)
    [spike] = find_spikes(rows, since=NOW)
    assert spike.usual == 10 and spike.z == round(12 / math.sqrt(10), 1)
    quiet = _history(35, usual=lambda h: 1)  # below one case an hour, the MAD counts as 1
    quiet[-1] = Row(NOW, "320506", "mediation", 6)  # z = 0.6745 · 5 = 3.4
    assert find_spikes(quiet, since=NOW) == []
    quiet[-1] = Row(NOW, "320506", "mediation", 7)  # z = 4.0
    assert [s.z for s in find_spikes(quiet, since=NOW)] == [round(0.6745 * 6, 1)]


def test_the_hour_under_way_is_judged_by_its_rate_so_far():
    rows = _history(35)[:-1]
    usual = 10 + NOW.hour % 5
    rows.append(
        Row(NOW, "320506", "mediation", usual)
    )  # an hour's usual count in its first 15 minutes
    assert find_spikes(rows, since=NOW - timedelta(hours=1)) == []  # the hour seen as done: usual
    [spike] = find_spikes(rows, since=NOW - timedelta(hours=1), now=NOW + timedelta(minutes=15))
    assert spike.received == usual  # what was counted; judged as four times that an hour
    rows[-1] = Row(NOW, "320506", "mediation", 3)
    assert (
        find_spikes(rows, since=NOW, now=NOW + timedelta(minutes=2)) == []
    )  # 3 early on: 12 an hour, usual


def test_today_against_the_same_span_last_week_names_the_busiest_county():
    from commandcenter.domain.anomaly import compare_with_last_week
    from commandcenter.domain.case_figures import bureau_midnight

    now = datetime(2026, 11, 24, 10, tzinfo=CST)  # the bureau's day, whatever the machine's zone
    midnight = bureau_midnight(now)
    rows = [
        Row(midnight + timedelta(hours=h), "320506", "mediation", 10) for h in range(10)
    ]  # 100 today
    rows += [
        Row(midnight + timedelta(hours=h), "320583", "mediation", 8) for h in range(10)
    ]  # 80 today
    last_week = [
        Row(midnight - timedelta(days=7) + timedelta(hours=h), "320506", "mediation", 15)
        for h in range(12)
    ]
    # history that begins after last week's midnight: no comparison rather than a wrong one
    partial = compare_with_last_week(
        CaseFigures.from_rows(rows + last_week[1:]), ["mediation"], now
    )
    assert partial.week_ago is None and partial.change_pct is None
    day = compare_with_last_week(CaseFigures.from_rows(rows + last_week), ["mediation"], now)
    assert (day.today, day.week_ago, day.top_county) == (
        180,
        150,
        "320506",
    )  # last week up to 10:00 only
    assert round(day.change_pct) == 20
    assert compare_with_last_week(CaseFigures.from_rows([]), ["mediation"], now).change_pct is None
