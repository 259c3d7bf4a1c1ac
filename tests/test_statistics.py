"""Statistics and KPI tiles: against a simulated data center on the real clock, and
against a seeded store whose figures are summed again row by row."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest


def _console(store, **kw):
    from commandcenter.ui.widgets.panel import Console
    from commandcenter.ui.workers.bridge import BackgroundReader, StoreBridge

    return Console(store, StoreBridge(store), BackgroundReader(), **kw)


def _close(console):
    console.reader.close(5_000)
    console.alert_reader.close(5_000)
    console.snapshots.close()


def test_a_spike_injected_in_the_simulator_is_marked_on_the_chart_and_raised_as_a_local_alert(
    qtbot, store, video_datacenter, client_factory, monkeypatch, tmp_path
):
    from commandcenter.domain.anomaly import SPIKE_ALERT_TYPE, is_local_alert, spike_alert_id
    from commandcenter.feeds.catalog import build_feeds
    from commandcenter.feeds.coordinator import FeedCoordinator
    from commandcenter.feeds.local_alerts import SpikeWatch
    from commandcenter.feeds.runner import FeedRunner
    from commandcenter.ui.alerts.panel import AlertsPanel
    from commandcenter.ui.statistics.panel import StatisticsPanel
    from commandcenter.ui.statistics.trend import describe_day

    runner = FeedRunner(
        FeedCoordinator(f, store)
        for f in build_feeds(client_factory(video_datacenter.url, retries=0), store, {})
    )
    runner.run_once()
    with video_datacenter.world.lock:
        video_datacenter.world.inject_stat_spike(
            org_code="320506", category="mediation", factor=8.0
        )
    runner.run_once()  # the spiked hour reaches the store
    # raised where the feeds run, whether or not anybody has the statistics open
    watch = SpikeWatch(store)
    watch.start()
    qtbot.waitUntil(
        lambda: any(a.type == SPIKE_ALERT_TYPE for a in store.alerts(open_only=True)),
        timeout=15_000,
    )
    watch.stop()
    assert watch.check() == []  # judged again: the same spike is not raised twice
    console = _console(store, operator="值班员甲")
    panel = StatisticsPanel(console)
    qtbot.addWidget(panel)
    panel.resize(1400, 500)
    panel.show()
    try:
        panel.category.setCurrentIndex(panel.category.findData("mediation"))
        qtbot.waitUntil(lambda: any(s.org_code == "320506" for s in panel.spikes), timeout=15_000)
        spike = next(s for s in panel.spikes if s.org_code == "320506")
        assert spike.received >= 5 + spike.usual and spike.z >= 3.5
        assert len(panel.trend.spike_marks.data) >= 1  # the mark on the chart
        # the rule is stated where the marks are: in words, the formula on hover
        assert "MAD" not in panel.rule.text() and "usually" in panel.rule.text()
        assert "MAD" in panel.rule.toolTip()
        # the day in one sentence: against the same time last week, and the busiest county
        assert (
            panel.day_line.text() == describe_day("人民调解", panel._trend.day)
            and "人民调解" in panel.day_line.text()
        )
        raised = [a for a in store.alerts(open_only=True) if a.alert_id == spike_alert_id(spike)]
        assert (
            len(raised) == 1
            and is_local_alert(raised[0].alert_id)
            and raised[0].type == SPIKE_ALERT_TYPE
        )
        assert raised[0].title.startswith("吴中区 人民调解异常") and "z = " in raised[0].detail

        # the charts exported as PNG and SVG, the tables as CSV and XLSX
        files = panel.export(tmp_path / "exports")
        suffixes = sorted(p.suffix for p in files)
        assert suffixes == [".csv", ".csv", ".png", ".png", ".svg", ".svg", ".xlsx"]
        assert all(p.stat().st_size > 100 for p in files)
        from PySide6.QtGui import QImage

        assert QImage(str(next(p for p in files if p.suffix == ".png"))).width() >= 1200
        assert (
            "<svg" in next(p for p in files if p.suffix == ".svg").read_text(encoding="utf-8")[:500]
        )
        hourly = next(p for p in files if p.name.startswith("statistics-mediation-hourly"))
        lines = hourly.read_text(encoding="utf-8-sig").splitlines()
        assert len(lines) == 1 + len(panel._trend.hours) and lines[0].split(",")[0] == panel.tr(
            "hour"
        )
        from openpyxl import load_workbook

        book = load_workbook(next(p for p in files if p.suffix == ".xlsx"))
        sheet_hourly, sheet_counties = book.worksheets
        assert sheet_hourly.max_row == len(lines)
        received = [row[1] for row in sheet_hourly.iter_rows(min_row=2, values_only=True)]
        assert received == [int(v) for v in panel._trend.series[0].values]
        counties = {row[1]: row[2] for row in sheet_counties.iter_rows(min_row=2, values_only=True)}
        assert counties == {code: round(v, 2) for code, v in panel._trend.ranking}
        # acknowledged here only: the data center never heard of it, nothing goes to the outbox
        alerts = AlertsPanel(console)
        qtbot.addWidget(alerts)
        monkeypatch.setattr(
            "commandcenter.ui.alerts.panel.QInputDialog.getText", lambda *a, **k: ("已核实", True)
        )
        monkeypatch.setattr(alerts.table, "selected_records", lambda: raised)
        before = len(store.commands())
        alerts.acknowledge_selected()
        qtbot.waitUntil(  # written off the GUI thread
            lambda: any(
                a.alert_id == raised[0].alert_id and a.status == "acked" for a in store.alerts()
            )
        )
        [acked] = [a for a in store.alerts() if a.alert_id == raised[0].alert_id]
        assert acked.ack_by == "值班员甲"
        assert len(store.commands()) == before
        assert any(
            e.action == "alert.acknowledge" and e.target == acked.alert_id
            for e in store.audit_log()
        )
    finally:
        _close(console)


# -- a seeded store: 36 days of hours up to the one under way ---------------------------

CATEGORIES = ("mediation", "legal_aid", "hotline_12348")


@pytest.fixture
def seeded(store):
    from commandcenter.domain.geography import COUNTIES
    from commandcenter.domain.records import CaseStat

    rng = random.Random(5)
    hour = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    rows = [
        CaseStat(
            hour - timedelta(hours=h),
            county.code,
            category,
            "hour",
            rng.randint(0, 25),
            rng.randint(0, 25),
            rng.randint(50, 150),
            1,
        )
        for h in range(36 * 24)
        for county in COUNTIES
        for category in CATEGORIES
    ]
    store.upsert_case_stats(rows)
    return store, rows


def _today(rows, category=None, county=None, measure="received"):
    from commandcenter.domain.case_figures import bureau_midnight

    midnight = bureau_midnight(datetime.now(UTC))
    return sum(
        getattr(r, measure)
        for r in rows
        if r.bucket >= midnight and category in (None, r.category) and county in (None, r.org_code)
    )


def test_the_trend_is_redrawn_in_place_when_an_hour_is_revised_and_follows_a_county_click(
    qtbot, seeded
):
    from PySide6.QtCore import QPoint, Qt

    from commandcenter.domain.records import CaseStat
    from commandcenter.ui.statistics.panel import StatisticsPanel

    store, rows = seeded
    console = _console(store)
    panel = StatisticsPanel(console)
    qtbot.addWidget(panel)
    panel.resize(1400, 520)
    panel.show()
    try:
        qtbot.waitUntil(lambda: panel._trend is not None, timeout=10_000)
        trend = panel._trend
        received = panel.trend.curves["received"]
        assert len(trend.hours) == 24 and trend.series[2].right  # the backlog on its own axis
        hour = datetime.fromtimestamp(trend.hours[-5], UTC)
        expected = sum(r.received for r in rows if r.bucket == hour and r.category == "mediation")
        assert received.yData[-5] == expected
        assert f": {_today(rows, 'mediation'):,} " in panel.summary.text()

        # a late revision (contract 3.7): the same curve, its bucket redrawn
        old = next(
            r
            for r in rows
            if r.bucket == hour and r.category == "mediation" and r.org_code == "320583"
        )
        store.upsert_case_stats(
            [
                CaseStat(
                    hour,
                    "320583",
                    "mediation",
                    "hour",
                    old.received + 100,
                    old.closed,
                    old.pending,
                    2,
                )
            ]
        )
        qtbot.waitUntil(
            lambda: panel.trend.curves["received"].yData[-5] == expected + 100, timeout=10_000
        )
        assert panel.trend.curves["received"] is received

        # the crosshair reads every curve out at the hour under the mouse
        panel.trend.read_out(len(trend.hours) - 5)
        assert f"{int(expected + 100):,}" in panel.trend.hover_text

        # a click on a county's bar: the trend shows that county alone, the map is told
        ranking = panel.ranking
        n = ranking.codes.index("320506")
        scene = ranking.plotItem.vb.mapViewToScene(pg_point(ranking.bars.opts["width"][n] / 2, n))
        with qtbot.waitSignal(panel.county_chosen, timeout=5_000) as chosen:
            qtbot.mouseClick(
                ranking.viewport(),
                Qt.MouseButton.LeftButton,
                pos=QPoint(
                    *map(round, (ranking.mapFromScene(scene).x(), ranking.mapFromScene(scene).y()))
                ),
            )
        assert chosen.args == ["320506"] and panel.spec.county == "320506"
        qtbot.waitUntil(lambda: panel._trend.spec.county == "320506", timeout=10_000)
        own = sum(
            r.received
            for r in rows
            if r.bucket == hour and r.category == "mediation" and r.org_code == "320506"
        )
        assert panel.trend.curves["received"].yData[-5] == own
        assert f": {_today(rows, 'mediation', '320506'):,} " in panel.summary.text()
        panel.choose_county("320506")  # again: the whole city
        qtbot.waitUntil(lambda: panel._trend.spec.county is None, timeout=10_000)

        # stacked by county and by category: the bands add up to the city's received
        panel.category.setCurrentIndex(panel.category.findData(None))  # all categories
        qtbot.waitUntil(lambda: panel._trend.spec.category is None, timeout=10_000)
        city = panel._trend.series[0].values.copy()
        for view in ("county", "category"):
            panel.view.setCurrentIndex(panel.view.findData(view))
            qtbot.waitUntil(lambda view=view: panel._trend.spec.view == view, timeout=10_000)
            assert panel._trend.stacked and len(panel._trend.series) == (
                10 if view == "county" else 8
            )
            top = panel.trend.curves[panel._trend.series[-1].key].yData
            assert np.array_equal(top, city)

        # per 10,000 residents
        panel.per_10k.setChecked(True)
        qtbot.waitUntil(lambda: panel._trend.spec.per_10k, timeout=10_000)
        ranking_values = dict(panel._trend.ranking)
        assert ranking_values["320583"] == pytest.approx(
            _today(store.case_stats(), county="320583") / 209.3
        )  # revised

        # thirty days: drawn per day, each point a bureau midnight
        panel.range.setCurrentIndex(panel.range.findData("30d"))
        panel.range.activated.emit(panel.range.currentIndex())
        qtbot.waitUntil(lambda: panel._trend.per_day, timeout=10_000)
        assert len(panel._trend.hours) in (30, 31)
        assert {
            datetime.fromtimestamp(t, ZoneInfo("Asia/Shanghai")).hour for t in panel._trend.hours
        } == {0}
    finally:
        _close(console)


def pg_point(x, y):
    from PySide6.QtCore import QPointF

    return QPointF(x, y)


def test_the_kpi_tiles_show_the_stores_figures_and_colour_by_threshold(qtbot, seeded):
    from commandcenter.domain import thresholds
    from commandcenter.domain.records import DashboardSummary
    from commandcenter.domain.thresholds import Level
    from commandcenter.ui.statistics.overview import OverviewPanel

    store, rows = seeded
    now = datetime.now(UTC)
    store.save_dashboard_summary(
        DashboardSummary(
            now - timedelta(minutes=1),
            {},
            {"agentsOnline": 12, "callsWaiting": 16, "avgWaitSeconds": 30.0},
            {"underCorrection": 3480, "electronicMonitoring": 612, "alertsOpen": 2},
            {"online": 1990, "offline": 200, "alarm": 10},
        )
    )
    limits = thresholds.parse({"legal_aid_backlog": [1, 2]})
    console = _console(store, thresholds=limits)
    panel = OverviewPanel(console)
    qtbot.addWidget(panel)
    panel.resize(1100, 800)
    panel.show()
    try:
        qtbot.waitUntil(lambda: panel.tiles["mediation"].value.text() != "—", timeout=10_000)
        for category in CATEGORIES:
            tile = panel.tiles[category]
            assert tile.value.text() == f"{_today(rows, category):,}"
            assert f"{_today(rows, category, measure='closed'):,}" in tile.detail.text()
            assert len(tile.spark.values) == 24
            assert "—" not in tile.compare.text()  # yesterday and four weeks are stored
        hour = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
        backlog = sum(r.pending for r in rows if r.bucket == hour and r.category == "legal_aid")
        assert f"{backlog:,}" in panel.tiles["legal_aid"].detail.text()
        assert panel.tiles["legal_aid"].level is Level.ALARM  # its backlog threshold, configured
        assert panel.tiles["notary"].value.text() == "0"  # no figures: nothing made up
        assert panel.tiles["hotline"].level is Level.ALARM  # 16 waiting ≥ 15
        assert panel.tiles["points"].level is Level.WARN  # 9.1 % offline
        assert panel.tiles["correction"].level is Level.OK
        with qtbot.waitSignal(panel.category_chosen) as chosen:
            from PySide6.QtCore import Qt

            qtbot.mouseClick(panel.tiles["mediation"], Qt.MouseButton.LeftButton)
        assert chosen.args == ["mediation"]
    finally:
        _close(console)


def test_the_daily_report_is_a_two_page_pdf_in_chinese(qtbot, seeded, tmp_path):
    import pypdf

    from commandcenter.ui.statistics.daily_report import write_daily_report

    store, rows = seeded
    console = _console(store)
    try:
        path = write_daily_report(tmp_path / "日报.pdf", console)
        reader = pypdf.PdfReader(path)
        assert len(reader.pages) == 2
        first = reader.pages[0].extract_text()
        # the text reads as ideographs, not as the radicals that share their glyphs (⽇ for 日)
        assert not any(0x2E80 <= ord(ch) < 0x2FE0 for ch in first)
        for text in (
            "公共法律服务日报",
            "今日概要",
            "各类业务指标",
            "人民调解",
            "法律援助",
            "异常时段",
        ):
            assert text in first, text
        assert f"{_today(rows, 'mediation'):,}" in first
        assert "图表" in reader.pages[1].extract_text()
        assert reader.metadata.title == "公共法律服务日报"
        (tmp_path / "a-file").write_text("")
        with pytest.raises(OSError, match="cannot write"):
            write_daily_report(tmp_path / "a-file" / "日报.pdf", console)
    finally:
        _close(console)
