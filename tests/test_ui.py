"""The operator console against a real simulated data center (pytest-qt, Xvfb)."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6.QtWidgets")

from PySide6.QtCore import QSettings  # noqa: E402

from commandcenter.config import Config  # noqa: E402
from commandcenter.domain.freshness import Freshness  # noqa: E402
from commandcenter.feeds.catalog import build_feeds  # noqa: E402
from commandcenter.feeds.coordinator import FeedCoordinator  # noqa: E402
from commandcenter.feeds.runner import FeedRunner  # noqa: E402
from commandcenter.runtime import Runtime  # noqa: E402
from tests.conftest import ManualClock  # noqa: E402

pytestmark = pytest.mark.gui


@pytest.fixture
def console(qtbot, tmp_path, store, city_world_factory, datacenter_factory, client_factory):
    from commandcenter.ui.main_window import MainWindow

    server = datacenter_factory(city_world_factory(clock=ManualClock()))
    client = client_factory(server.url, retries=0)
    intervals = {"health": 0.3, "alerts": 0.5}
    feeds = build_feeds(client, store, intervals)
    runner = FeedRunner(FeedCoordinator(f, store, backoff_cap_s=0.6) for f in feeds)
    runtime = Runtime(config=Config(datacenter_url=server.url, ak="test"), store=store, client=None,
                      runner=runner)
    runner.run_once()
    window = MainWindow(runtime, settings=QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    yield window, server, runner
    runner.stop()
    window.close()


def test_console_shows_every_panel_with_store_content(console, qtbot, store):
    window, _server, _runner = console
    assert set(window.docks) == {"overview", "alerts", "directory", "health"}
    points = len(store.service_points())
    qtbot.waitUntil(lambda: window.directory.model.rowCount() == points, timeout=10_000)
    qtbot.waitUntil(lambda: window.alerts.model.rowCount() == len(store.alerts(limit=2000)), timeout=10_000)
    summary = store.latest_dashboard_summary()
    qtbot.waitUntil(lambda: window.overview.tiles["points"].value.text() == f"{summary.points['online']:,}",
                    timeout=10_000)
    assert "内置" not in window.windowTitle()


def test_directory_filters_and_searches(console, qtbot, store):
    window, _server, _runner = console
    qtbot.waitUntil(lambda: window.directory.model.rowCount() > 0, timeout=10_000)
    panel = window.directory
    panel.type.setCurrentIndex(panel.type.findData("mediation_studio"))
    assert panel.proxy.rowCount() == len(store.service_points(type="mediation_studio")) == 75
    panel.search.setText("调解工作室")
    assert 0 < panel.proxy.rowCount() <= 75
    assert "/ " in panel.count.text()


def test_lamps_go_stale_then_down_and_recover_without_restart(console, qtbot):
    window, server, runner = console
    runner.start()
    lamp = next(lamp for lamp in window.lamps if lamp.coordinator.name == "health")
    qtbot.waitUntil(lambda: lamp.state is Freshness.FRESH, timeout=5_000)
    server.faults.update(down=True)
    qtbot.waitUntil(lambda: lamp.state is Freshness.STALE, timeout=10_000)
    qtbot.waitUntil(lambda: lamp.state is Freshness.DOWN, timeout=10_000)
    assert "连接中断" in window.connection.text()
    assert "最近错误" in lamp.toolTip()
    server.faults.update(down=False)
    qtbot.waitUntil(lambda: lamp.state is Freshness.FRESH, timeout=10_000)
    assert "已连接" in window.connection.text()


def test_layout_is_remembered(console, qtbot, tmp_path):
    window, _server, _runner = console
    window.docks["health"].hide()
    window.save_layout()
    from commandcenter.ui.main_window import MainWindow

    again = MainWindow(window.runtime, settings=QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(again)
    assert again.docks["health"].isHidden()
