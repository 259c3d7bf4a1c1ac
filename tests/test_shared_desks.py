"""Two desks on one PostgreSQL store with one collector polling: they show the same
alerts and statuses (how far apart: benchmarks/scale.py), a command from either is sent once,
and their feed lamps say what the collector's polls recorded, down to none at all."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6.QtWidgets")


@pytest.fixture
def center(qtbot, tmp_path, monkeypatch, sk, pg_url, city_world_factory, datacenter_factory):
    from PySide6.QtCore import QSettings

    from commandcenter.config import Config
    from commandcenter.feeds.catalog import DEFAULT_INTERVALS
    from commandcenter.runtime import open_desktop_runtime, open_runtime
    from commandcenter.ui.shell.window import MainWindow
    from tests.conftest import AK

    monkeypatch.setenv("COMMANDCENTER_SK", sk)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    server = datacenter_factory(city_world_factory(fresh=True))
    base = Config(
        datacenter_url=server.url,
        ak=AK,
        db_url=pg_url,
        intervals={**DEFAULT_INTERVALS, "alerts": 1.0, "service_points": 1.0, "health": 1.0},
    )
    collector = open_runtime(base)
    collector.start()
    qtbot.waitUntil(collector.leading.is_set, timeout=30_000)
    # the first polls read the data center's week of alerts; then a poll finds nothing new
    alerts = collector.runner["alerts"]
    qtbot.waitUntil(
        lambda: alerts.status.last_result is not None and alerts.status.last_result.changed == 0,
        timeout=120_000,
    )
    desks = []
    for n, operator in enumerate(("值班员甲", "值班员乙")):
        runtime = open_desktop_runtime(base.with_overrides(poll=False, operator=operator))
        assert runtime.runner is None  # this desk polls nothing
        window = MainWindow(
            runtime,
            settings=QSettings(str(tmp_path / f"desk{n}.ini"), QSettings.Format.IniFormat),
            role="duty_officer",
        )
        qtbot.addWidget(window)
        window.show()
        runtime.start()
        desks.append(window)
    yield server, collector, desks
    for window in desks:
        window.close()
        window.runtime.close()
    collector.close()


def test_two_desks_show_the_same_alerts_and_an_acknowledgement_is_sent_once(
    center, qtbot, monkeypatch
):
    from PySide6.QtWidgets import QInputDialog

    server, collector, desks = center
    panels = [window.panels["alerts"] for window in desks]
    for panel in panels:
        qtbot.waitUntil(lambda panel=panel: panel.model.rowCount() > 0, timeout=30_000)
        assert (
            "Shared store" in panel.window().status_line.connection.text()
            or "共享" in panel.window().status_line.connection.text()
        )

    def listed(panel, alert_id):
        return panel.model.row_of(alert_id) is not None

    for _ in range(3):
        point = next(p for p in server.world.service_points() if p["type"] == "judicial_office")
        with server.world.lock:
            raised = server.world.inject_alert(
                type="dispute_escalation", severity=2, point_id=point["pointId"]
            )
        try:  # how far apart the desks show it: benchmarks/scale.py (desk_spread_*)
            qtbot.waitUntil(
                lambda alert_id=raised["alertId"]: all(listed(p, alert_id) for p in panels),
                timeout=15_000,
            )
        except qtbot.TimeoutError:
            shown = [n for n, p in enumerate(panels) if listed(p, raised["alertId"])]
            pytest.fail(
                f"shown on desks {shown} only; stored: "
                f"{any(a.alert_id == raised['alertId'] for a in collector.store.alerts())}; "
                f"listening: {[w.runtime.store._change_listener.connected.is_set() for w in desks]}"
            )

    # desk 1 acknowledges; the collector sends it once; both desks show it acknowledged
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("已派员", True))
    panels[0].acknowledge_alert(
        next(a for a in panels[0].model.records if a.alert_id == raised["alertId"])
    )
    qtbot.waitUntil(
        lambda: server.world.alert(raised["alertId"])["status"] == "acked", timeout=15_000
    )
    for panel in panels:
        qtbot.waitUntil(
            lambda panel=panel: (
                next(a for a in panel.model.records if a.alert_id == raised["alertId"]).status
                == "acked"
            ),
            timeout=15_000,
        )
    store = collector.store
    sent = [c for c in store.commands() if c.kind == "alert_ack" and c.target == raised["alertId"]]
    assert [c.state for c in sent] == ["sent"]
    assert server.world.alert(raised["alertId"])["ackBy"] == "值班员甲"


def _on_both(qtbot, desks, shown) -> None:
    """Both desks show it (how far apart: benchmarks/scale.py, desk_spread_*)."""
    try:
        qtbot.waitUntil(lambda: all(shown(window) for window in desks), timeout=15_000)
    except qtbot.TimeoutError:
        pytest.fail(f"shown on desks {[n for n, w in enumerate(desks) if shown(w)]} only")


def test_two_desks_show_a_point_status_and_the_feeds_as_the_collector_polls_them(center, qtbot):
    from commandcenter.domain.freshness import Freshness
    from commandcenter.ui.widgets.panel import feed_name

    server, collector, desks = center
    for window in desks:
        directory = window.panels["directory"]
        qtbot.waitUntil(
            lambda d=directory: d.model.rowCount() == len(server.world.service_points()),
            timeout=30_000,
        )
    point = next(p for p in server.world.service_points() if p["status"] == "online")

    def status_on(window) -> str | None:
        return next(
            (
                p.status
                for p in window.panels["directory"].model.records
                if p.point_id == point["pointId"]
            ),
            None,
        )

    with server.world.lock:
        server.world.set_point_status(point["pointId"], "alarm")
    _on_both(qtbot, desks, lambda window: status_on(window) == "alarm")

    # the desks poll nothing, yet their lamps are those of the collector's polls
    def lamp_of(window, feed: str):
        return next(
            lamp for lamp in window.status_line.lamps if lamp.objectName() == f"lamp-{feed}"
        )

    for window in desks:
        assert {lamp.objectName() for lamp in window.status_line.lamps} >= {
            "lamp-alerts",
            "lamp-health",
            "lamp-service_points",
        }
        qtbot.waitUntil(
            lambda w=window: all(
                lamp_of(w, f).state is Freshness.FRESH
                for f in ("alerts", "health", "service_points")
            ),
            timeout=10_000,
        )
        assert "a collector polls the data center" in window.status_line.connection.text()

    # the only collector stops: nobody polls, and both desks say so instead of showing old data as live
    collector.close()
    for window in desks:
        qtbot.waitUntil(
            lambda w=window: lamp_of(w, "alerts").state is Freshness.DOWN, timeout=15_000
        )
        assert "last successful poll by any collector:" in window.status_line.connection.text()
        banner = window.panels["alerts"].banner
        assert banner.isVisible() and feed_name("alerts") in banner.text(), banner.text()
