"""Opens the console on this display's screen in each language, before and after data
arrives, and prints what was measured as one line of JSON: the window's frame and
minimum size, the screen's available area, the docks that show, the alert list's rows
in sight, where the banner's buttons are, and the map's own room beside a point's card. tests/test_fit.py runs it under an X
server of each screen size.

    python -m tests.window_fit DATACENTER_URL   (the SK in COMMANDCENTER_SK)
"""

from __future__ import annotations

import functools
import json
import os
import sys
import tempfile
import time


def rect(r) -> list[int]:
    return [r.x(), r.y(), r.width(), r.height()]


def measure(window) -> dict:
    """What shows of the window, in the screen's coordinates where it is placed."""
    docks = {
        key: rect(dock.geometry())
        for key, dock in window.docks.items()
        if dock.isVisible() and not dock.visibleRegion().isEmpty()
    }
    table = window.panels["alerts"].table
    rows = table.viewport().height() / table.verticalHeader().defaultSectionSize()
    banner = window.alert_banner
    buttons = [
        rect(b.rect().translated(b.mapToGlobal(b.rect().topLeft())))
        for b in (banner.ack, banner.mute_button)
    ]
    map_panel = window.panels["map"]
    view, room = map_panel.view, map_panel.card.parentWidget()
    # the web view draws through a child widget of its own, which hides it from its own
    # visibleRegion(): the dock's says whether the map is in sight
    shown = view.isVisible() and not window.docks["map"].visibleRegion().isEmpty()
    return {
        "frame": rect(window.frameGeometry()),
        "minimum": [
            window.minimumSizeHint().width(),
            window.minimumSizeHint().height(),
        ],
        "window": rect(window.rect()),
        "docks": docks,
        "alert_rows": rows,
        "banner_buttons": buttons,
        "map_view": [view.width(), view.height()] if shown else None,
        "card": [room.width(), room.height()] if map_panel.card.isVisible() else None,
    }


def has_rows(panel) -> bool:
    return panel.model.rowCount() > 0


def has_alert(banner) -> bool:
    return banner.alert is not None


def card_opened(window) -> bool:
    """A point's card opened on the map, as a click on its marker opens it."""
    points = window.console.snapshots.points.active()
    return bool(points) and window.panels["map"].find(points[0].point_id)


def main() -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from commandcenter.config import Config
    from commandcenter.domain.secret import Secret
    from commandcenter.feeds.catalog import build_feeds
    from commandcenter.feeds.client import DataCenterClient
    from commandcenter.feeds.coordinator import FeedCoordinator
    from commandcenter.feeds.runner import FeedRunner
    from commandcenter.map.engine import prepare_web_engine
    from commandcenter.runtime import Runtime
    from commandcenter.store import Store
    from commandcenter.ui.shell.window import MainWindow
    from commandcenter.ui.widgets import i18n
    from tests.conftest import AK

    prepare_web_engine()
    app = QApplication(sys.argv[:1])
    url = sys.argv[1]
    client = DataCenterClient(url, AK, Secret(os.environ["COMMANDCENTER_SK"]), retries=0)

    def pump(until, seconds: float = 20) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not until():
            app.processEvents()
            time.sleep(0.02)

    results = {}
    for language in (i18n.CHINESE, i18n.ENGLISH):
        i18n.install(app, language)
        with tempfile.TemporaryDirectory() as tmp:
            store = Store(f"sqlite:///{tmp}/fit.db")
            runner = FeedRunner(FeedCoordinator(f, store) for f in build_feeds(client, store, {}))
            runtime = Runtime(
                config=Config(datacenter_url=url, ak=AK), store=store, client=client, runner=runner
            )
            window = MainWindow(
                runtime, settings=QSettings(f"{tmp}/ui.ini", QSettings.Format.IniFormat)
            )
            window.show()
            pump(lambda: False, 1)

            opened = measure(window)
            alerts = window.panels["alerts"]
            for _ in range(2):  # a sync, then an update
                runner.run_once()
                pump(functools.partial(has_rows, window.panels["directory"]))
            pump(functools.partial(has_rows, alerts))
            pump(functools.partial(has_alert, window.alert_banner), 5)
            pump(functools.partial(card_opened, window))
            pump(lambda: False, 1)
            results[language] = {"opened": opened, "after_data": measure(window)}
            window.close()
            window.deleteLater()
            pump(lambda: False, 0.5)
            store.close()
    screen = app.primaryScreen()
    results["available"] = rect(screen.availableGeometry())
    sys.stdout.write(json.dumps(results) + "\n")


if __name__ == "__main__":
    main()
