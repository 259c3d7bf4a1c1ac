"""Statistics that do not mislead: hours the store does not hold are gaps, long spans are
drawn per day, counts tick on whole numbers, the legend stays off the curves, the unusual
hours' rule reads in plain words, and no numpy warning reaches the log."""

from __future__ import annotations

import logging
import warnings
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 24, 9, 20, tzinfo=SHANGHAI).astimezone(UTC)
HOUR = datetime(2026, 11, 24, 9, tzinfo=SHANGHAI).astimezone(UTC)


def _rows(hours: int, *, missing: range = range(0), received=lambda h: 3 + h % 5):
    """One county's mediation figures for the `hours` up to the one under way, without
    the hours `missing` (counted back from it)."""
    from commandcenter.domain.records import CaseStat

    return [
        CaseStat(HOUR - timedelta(hours=h), "320506", "mediation", "hour", received(h), 1, 40, 1)
        for h in range(hours)
        if h not in missing
    ]


def _trend(rows, **spec):
    from commandcenter.domain.case_figures import CaseFigures
    from commandcenter.ui.statistics.trend import StatsSpec, compute_trend

    return compute_trend(CaseFigures.from_rows(rows), StatsSpec(**spec), NOW, {"320506": 100.0})


def _chart(qtbot, trend):
    from commandcenter.ui.statistics.charts import TrendChart

    chart = TrendChart()
    qtbot.addWidget(chart)
    chart.resize(900, 420)
    chart.show()
    qtbot.waitExposed(chart)
    chart.show_trend(trend)
    chart.grab()
    return chart


def test_hours_the_store_does_not_hold_are_gaps_not_zeros(qtbot):
    trend = _trend(_rows(24, missing=range(5, 8)))  # 02:00–04:00 today are not stored
    received, _closed, backlog = trend.series
    assert len(trend.hours) == 24
    gap = [n for n, v in enumerate(received.values) if np.isnan(v)]
    assert gap == [16, 17, 18]  # 24 hours back from 09:00: 02:00, 03:00 and 04:00
    assert np.isnan(backlog.values[gap]).all()
    assert received.values[15] == 3 + 8 % 5  # the hours around it as stored
    chart = _chart(qtbot, trend)
    curve = chart.curves["received"]
    assert curve.opts["connect"] == "finite"  # the line breaks there, not down to 0
    chart.read_out(17)
    assert chart.hover_text.splitlines()[0] == "2026-11-24 03:00"
    assert "0" not in chart.hover_text.splitlines()[1]  # no figures, not "0"
    # stacked: a gap in every band
    stacked = _trend(_rows(24, missing=range(5, 8)), view="county")
    chart.show_trend(stacked)
    assert np.isnan(chart.curves["320506"].yData[16:19]).all()


def test_thirty_days_and_a_custom_range_over_a_week_are_drawn_per_day(qtbot):
    rows = _rows(40 * 24, missing=range(24 * 11 + 10, 24 * 12 + 10))  # 11-12 not held
    trend = _trend(rows, range_key="30d")
    assert trend.per_day and 30 <= len(trend.hours) <= 31
    days = [datetime.fromtimestamp(t, SHANGHAI) for t in trend.hours]
    assert all((d.hour, d.minute) == (0, 0) for d in days)  # the bureau's midnights
    received = dict(zip(days, trend.series[0].values, strict=True))
    # a whole day: the sum of its 24 hours; the day not held: a gap
    nov_20 = datetime(2026, 11, 20, tzinfo=SHANGHAI)
    expected = sum(r.received for r in rows if nov_20 <= r.bucket < nov_20 + timedelta(days=1))
    assert received[nov_20] == expected
    assert np.isnan(received[datetime(2026, 11, 12, tzinfo=SHANGHAI)])
    # the backlog is a level: as at the day's last held hour, never a sum
    assert trend.series[2].values[days.index(nov_20)] == 40
    # a custom range over seven days is per day too; seven days or fewer stay hourly
    start = HOUR - timedelta(days=8)
    assert _trend(rows, range_key="custom", custom=(start, HOUR)).per_day
    week = _trend(rows, range_key="custom", custom=(HOUR - timedelta(days=7), HOUR))
    assert not week.per_day and len(week.hours) == 7 * 24
    chart = _chart(qtbot, trend)
    chart.read_out(days.index(nov_20))
    assert chart.hover_text.splitlines()[0] == "2026-11-20"
    assert f": {expected:,}" in chart.hover_text


def test_count_axes_tick_on_whole_numbers(qtbot):
    trend = _trend(_rows(24, received=lambda h: h % 3))  # counts of 0 to 2
    chart = _chart(qtbot, trend)
    for side in ("left", "right"):
        axis = chart.getAxis(side)
        for _spacing, ticks in axis.tickValues(0.0, 2.4, 300):
            assert all(float(t).is_integer() for t in ticks), f"{side}: {ticks}"
        assert "." not in "".join(axis.tickStrings([0.0, 1.0, 2.0], 1, 1.0))
    assert chart.getAxis("left").tickStrings([12000.0], 1, 1000.0) == ["12000"]

    from commandcenter.ui.statistics.charts import RankingChart

    ranking = RankingChart()
    qtbot.addWidget(ranking)
    ranking.show_ranking([("320506", 2.0)], None, per_10k=False)
    ticks = [t for _s, level in ranking.getAxis("bottom").tickValues(0.0, 2.2, 300) for t in level]
    assert ticks and all(float(t).is_integer() for t in ticks)
    ranking.show_ranking([("320506", 0.4)], None, per_10k=True)  # a rate has its fractions
    ticks = [t for _s, level in ranking.getAxis("bottom").tickValues(0.0, 0.44, 300) for t in level]
    assert any(not float(t).is_integer() for t in ticks)


def test_the_legend_lies_outside_the_curves(qtbot):
    from commandcenter.domain.geography import COUNTIES
    from commandcenter.domain.records import CaseStat

    rows = [
        CaseStat(HOUR - timedelta(hours=h), county.code, "mediation", "hour", 20, 1, 40, 1)
        for h in range(24)
        for county in COUNTIES
    ]
    chart = _chart(qtbot, _trend(rows, view="county"))  # ten bands, ten names
    qtbot.waitUntil(lambda: chart.legend.isVisible() and chart.legend.height() > 0)
    legend = chart.legend.sceneBoundingRect()
    plotted = chart.plotItem.vb.sceneBoundingRect()
    assert legend.height() > 0 and plotted.height() > 150
    assert not legend.intersects(plotted), (legend, plotted)
    assert len(chart.legend.items) == 10


def test_the_unusual_hours_rule_is_told_in_words_with_the_formula_on_hover(qtbot, store):
    from commandcenter.ui.statistics.panel import StatisticsPanel
    from tests.test_statistics import _close, _console

    console = _console(store)
    panel = StatisticsPanel(console)
    qtbot.addWidget(panel)
    try:
        words = panel.rule.text()
        for formula in ("MAD", "z-score", "0.6745", "≥", "√"):
            assert formula not in words
        assert "usually" in words and "same hour" in words and "5" in words
        for formula in ("MAD", "0.6745", "3.5"):
            assert formula in panel.rule.toolTip()
    finally:
        _close(console)


@pytest.mark.parametrize("spec", [{}, {"view": "county"}, {"range_key": "30d"}])
def test_no_numpy_warning_reaches_the_log(qtbot, caplog, spec):
    """Spans the store holds nothing of, or only part of: drawn, read out and exported
    without a RuntimeWarning (all-NaN slices, empty means) in the log."""
    caplog.set_level(logging.WARNING)
    logging.captureWarnings(True)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)
            for rows in ([], _rows(3), _rows(30, missing=range(0, 30, 2))):
                trend = _trend(rows, **spec)
                chart = _chart(qtbot, trend)
                for n in range(len(trend.hours)):
                    chart.read_out(n)
                chart.plotItem.vb.autoRange()
                chart.grab()
    finally:
        logging.captureWarnings(False)
    assert not [r for r in caplog.records if "Warning" in r.getMessage()]
