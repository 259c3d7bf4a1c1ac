"""Saves a screenshot of the console and of each panel, for people to look at.

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python tools/screenshots.py [OUT_DIR] [--lang en] [--theme light]

Runs the client as `commandcenter` does (the collector process on the embedded
data center) with a throw-away store, waits for the first sync, then grabs the window, every panel (QWidget.grab()) and the F1
shortcut overlay.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path


def pump(app, seconds: float, until=None) -> None:
    """Let the window work for up to `seconds`, or until `until()` holds."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not (until is not None and until()):
        app.processEvents()
        time.sleep(0.05)


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("out", nargs="?", default="screenshots")
    parser.add_argument("--lang", default="zh_CN", choices=["zh_CN", "en"])
    parser.add_argument("--theme", default="dark", choices=["dark", "light"])
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtWidgets import QApplication

    from commandcenter.config import Config
    from commandcenter.domain.freshness import Freshness
    from commandcenter.map.engine import prepare_web_engine
    from commandcenter.runtime import open_desktop_runtime
    from commandcenter.ui.shell.theme import apply_theme
    from commandcenter.ui.shell.window import MainWindow
    from commandcenter.ui.widgets import i18n

    prepare_web_engine()  # the map's web engine, before the application
    app = QApplication(sys.argv[:1])
    i18n.install(app, args.lang)
    apply_theme(app, args.theme)
    with tempfile.TemporaryDirectory() as tmp:
        runtime = open_desktop_runtime(Config(db_url=f"sqlite:///{tmp}/shots.db"))
        settings = QSettings(f"{tmp}/settings.ini", QSettings.Format.IniFormat)
        try:
            window = MainWindow(runtime, settings=settings)
            window.resize(1920, 1050)
            window.show()
            runtime.start()
            deadline = time.monotonic() + 60

            def settled() -> bool:
                return (
                    window.panels["directory"].model.rowCount() > 0
                    and all(lamp.state is Freshness.FRESH for lamp in window.status_line.lamps)
                    and not window.reader.busy()
                )

            while time.monotonic() < deadline and not settled():
                app.processEvents()  # only here, to let the first reads land before grabbing
                time.sleep(0.05)
            for _ in range(20):
                app.processEvents()
                time.sleep(0.05)
            window.grab().save(str(out / "console.png"))
            for key, dock in window.docks.items():
                dock.show()
                dock.raise_()
                for _ in range(5):
                    app.processEvents()
                dock.widget().grab().save(str(out / f"panel-{key}.png"))
            # an inspection under way: a judicial office's plan, its cameras live
            supervision = window.panels["supervision"]
            office = next(
                p for p in window.console.snapshots.points.active() if p.type == "judicial_office"
            )
            window.docks["supervision"].show()
            window.docks["supervision"].raise_()
            window.resizeDocks(
                [window.docks["supervision"]], [760], Qt.Orientation.Vertical
            )  # as a supervisor would
            supervision.inspect_now(office.point_id)
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline and not supervision.view.tiles[0].frames:
                app.processEvents()
                time.sleep(0.05)
            supervision.grab().save(str(out / "panel-supervision-inspection.png"))
            supervision.tabs.setCurrentIndex(2)  # history and follow-up
            for _ in range(20):
                app.processEvents()
                time.sleep(0.05)
            supervision.grab().save(str(out / "panel-supervision-history.png"))
            # an alert opened: its timeline and actions under the list
            alerts = window.panels["alerts"]
            window.docks["alerts"].raise_()
            window.resizeDocks([window.docks["alerts"]], [900], Qt.Orientation.Vertical)
            pump(app, 1)
            if alerts.model.rowCount():
                alerts.table.selectRow(0)
                pump(app, 10, lambda: alerts.detail.timeline.topLevelItemCount() > 0)
            alerts.grab().save(str(out / "panel-alerts-timeline.png"))
            # a meeting with 吴中区's judicial offices, launched through the collector and followed
            meetings = window.panels["meetings"]
            window.docks["meetings"].show()
            window.docks["meetings"].raise_()
            window.resizeDocks([window.docks["meetings"]], [520], Qt.Orientation.Vertical)
            pump(app, 10, lambda: len(meetings._points) > 0)
            meetings.county.setCurrentIndex(meetings.county.findData("320506"))
            meetings.type.setCurrentIndex(meetings.type.findData("judicial_office"))
            meetings.add_group.click()
            meetings.launch.click()
            pump(app, 15, lambda: meetings.meetings.rowCount() > 0)
            meetings.table.selectRow(0)
            pump(
                app,
                12,
                lambda: "已入会" in meetings.states.text() or "Joined" in meetings.states.text(),
            )
            pump(app, 1)
            meetings.grab().save(str(out / "panel-meetings-live.png"))
            meetings.mix.click()
            pump(app, 20, lambda: window.panels["wall"].tiles[0].frames > 0)
            window.panels["wall"].grab().save(str(out / "panel-wall-meeting-mix.png"))
            window.show_help()
            app.processEvents()
            window.grab().save(str(out / "help-overlay.png"))
            print(f"screenshots in {out}/")
            window.close()
        finally:
            runtime.close()


if __name__ == "__main__":
    main()
