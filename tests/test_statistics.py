"""Statistics against a simulated data center running on the real clock."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.gui


def test_a_spike_injected_in_the_simulator_is_marked_on_the_chart_and_raised_as_a_local_alert(
        qtbot, store, video_datacenter, client_factory, monkeypatch, tmp_path):
    from commandcenter.domain.anomaly import SPIKE_ALERT_TYPE, is_local_alert
    from commandcenter.feeds.catalog import build_feeds
    from commandcenter.feeds.coordinator import FeedCoordinator
    from commandcenter.feeds.runner import FeedRunner
    from commandcenter.ui.alerts import AlertsPanel
    from commandcenter.ui.bridge import BackgroundReader, StoreBridge
    from commandcenter.ui.panel import Console
    from commandcenter.ui.statistics import StatisticsPanel

    runner = FeedRunner(FeedCoordinator(f, store) for f in
                        build_feeds(client_factory(video_datacenter.url, retries=0), store, {}))
    runner.run_once()
    with video_datacenter.world.lock:
        video_datacenter.world.inject_stat_spike(org_code="320506", category="mediation", factor=8.0)
    runner.run_once()  # the spiked hour reaches the store
    console = Console(store, StoreBridge(store), BackgroundReader(), operator="值班员甲")
    panel = StatisticsPanel(console)
    qtbot.addWidget(panel)
    panel.show()
    try:
        panel.category.setCurrentIndex(panel.category.findData("mediation"))
        qtbot.waitUntil(lambda: any(s.org_code == "320506" for s in panel.spikes), timeout=15_000)
        spike = next(s for s in panel.spikes if s.org_code == "320506")
        assert spike.received >= 5 + spike.usual and spike.z >= 3.5
        assert len(panel.spike_marks.data) >= 1  # the mark on the chart
        assert "MAD" in panel.rule.text()  # the rule is stated where the marks are
        # the day in one sentence: against the same time last week, and the busiest county
        day = panel.describe_day("人民调解", panel._last_day)
        assert day == panel.day_line.text() and "人民调解" in day
        raised = [a for a in store.alerts(open_only=True) if a.type == SPIKE_ALERT_TYPE]
        assert len(raised) == 1 and is_local_alert(raised[0].alert_id)
        panel.reload(urgent=True)  # read again: the same spike is not raised twice
        qtbot.wait(1500)
        assert len([a for a in store.alerts(open_only=True) if a.type == SPIKE_ALERT_TYPE]) == 1

        # the charts exported as PNG and SVG, the hourly figures as CSV
        files = panel.export(tmp_path / "exports")
        suffixes = sorted(p.suffix for p in files)
        assert suffixes == [".csv", ".png", ".png", ".svg", ".svg"] and all(p.stat().st_size > 100 for p in files)
        from PySide6.QtGui import QImage

        assert QImage(str(next(p for p in files if p.suffix == ".png"))).width() >= 1200
        assert "<svg" in next(p for p in files if p.suffix == ".svg").read_text(encoding="utf-8")[:500]
        lines = next(p for p in files if p.suffix == ".csv").read_text(encoding="utf-8-sig").splitlines()
        assert len(lines) == 1 + len(panel._trend.hours) and lines[0].split(",")[0] == panel.tr("hour")
        # acknowledged here only: the data center never heard of it, nothing goes to the outbox
        alerts = AlertsPanel(console)
        qtbot.addWidget(alerts)
        monkeypatch.setattr("commandcenter.ui.alerts.QInputDialog.getText", lambda *a, **k: ("已核实", True))
        monkeypatch.setattr(alerts.table, "selected_records", lambda: raised)
        before = len(store.commands())
        alerts.acknowledge_selected()
        [acked] = [a for a in store.alerts() if a.alert_id == raised[0].alert_id]
        assert acked.status == "acked" and acked.ack_by == "值班员甲"
        assert len(store.commands()) == before
        assert any(e.action == "alert.acknowledge" and e.target == acked.alert_id for e in store.audit_log())
    finally:
        console.reader.close(5_000)
        console.snapshots.close()
