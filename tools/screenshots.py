"""Saves a screenshot of the console and of each panel, for people to look at.

    .venv/bin/python tools/screenshots.py OUT_DIR --screens
    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python tools/screenshots.py [OUT_DIR] [--lang en] [--theme light]

With --screens: for each screen size (--sizes, default 1366x768,1600x900,1920x1080)
an X server (Xvfb) of that size of its own, and in it, for each language (--langs,
default zh_CN,en), grabs of the whole screen as the operator sees it: the console as it
opens, each panel brought to the front, wall mode, and the supervisor's console with an
inspection under way and the history; named OUT_DIR/<size>-<language>-<what>.png.

Without it: runs the client as `commandcenter` does (the collector process on the
embedded data center) with a throw-away store, waits for the first sync, then grabs the
window, every panel (QWidget.grab()) and the F1 shortcut overlay.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path


def _county_officer():
    from commandcenter.domain.people import Person

    return Person("lijing", "李静", ("duty_officer", "supervisor"), county="320506")


def pump(app, seconds: float, until=None) -> None:
    """Let the window work for up to `seconds`, or until `until()` holds."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not (until is not None and until()):
        app.processEvents()
        time.sleep(0.05)


def every_screen(out: Path, sizes: list[str], languages: list[str], theme: str) -> int:
    """One X server of each size, one client in it for each language."""
    import os
    import subprocess

    failed = 0
    for size in sizes:
        server = subprocess.Popen(
            ["Xvfb", "-displayfd", "1", "-screen", "0", f"{size}x24", "-nolisten", "tcp"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            assert server.stdout is not None
            display = server.stdout.readline().strip()
            for language in languages:
                env = {**os.environ, "DISPLAY": f":{display}"}
                env.pop("QT_QPA_PLATFORM", None)
                done = subprocess.run(
                    [
                        sys.executable,
                        __file__,
                        str(out),
                        "--lang",
                        language,
                        "--theme",
                        theme,
                        "--grab-screen",
                        f"{size}-{language}",
                    ],
                    env=env,
                )
                failed += done.returncode != 0
        finally:
            server.terminate()
            server.wait(10)
            if server.stdout is not None:
                server.stdout.close()
    return failed


def grab_screen(app, window, out: Path, prefix: str) -> None:
    """The whole screen, as the operator sees it: the console, each panel in front, wall
    mode."""
    screen = app.primaryScreen()

    def save(what: str) -> None:
        pump(app, 1.5)
        screen.grabWindow(0).save(str(out / f"{prefix}-{what}.png"))

    save("console")
    for key, dock in window.docks.items():
        if dock.toggleViewAction().isVisible():
            dock.show()
            dock.raise_()
            save(f"panel-{key}")
    window.wall.start()
    pump(app, 3)
    save("wall-mode")
    window.wall.stop()
    # the supervisor's desk: the console, then an inspection of a judicial office under
    # way (its cameras live), then the history of inspections and rectifications
    window.switch_role("supervisor", confirm=False)
    save("supervisor-console")
    supervision = window.panels["supervision"]
    window.docks["supervision"].show()
    window.docks["supervision"].raise_()
    office = next(
        p
        for p in window.console.snapshots.points.active()
        if p.type == "judicial_office" and p.camera_ids
    )
    supervision.inspect_now(office.point_id)
    pump(app, 20, lambda: bool(supervision.view.tiles) and supervision.view.tiles[0].frames > 0)
    save("panel-supervision-inspection")
    supervision.tabs.setCurrentIndex(2)  # history and follow-up
    save("panel-supervision-history")
    # the end of a shift: the handover gathered, then the desk locked
    window.switch_role("duty_officer", confirm=False)
    handover = window.hand_over()
    pump(app, 10, lambda: handover.items.rowCount() > 0)
    save("handover")
    handover.close()
    window.lock_desk()
    save("lock")
    window.session.lock_screen.hide()
    # a county desk: 吴中区's officer takes the desk over
    window.take_over(_county_officer(), "duty_officer")
    pump(app, 5)
    save("county-console")


def signed_in_person(app, runtime, settings, out: Path, prefix: str | None):
    """The desk's person: 王敏, a city duty officer with a local account, signed in
    through the sign-in dialog (grabbed on the screen when `prefix`)."""
    from commandcenter.domain.passwords import hash_password
    from commandcenter.domain.roles import ROLES
    from commandcenter.services.sign_in import SignIn
    from commandcenter.ui.operations.audit import role_name
    from commandcenter.ui.people.sign_in import SignInDialog

    store = runtime.store
    store.add_local_account(
        "wangmin", name="王敏", roles=ROLES, password_hash=hash_password(DEMO_PASSWORD)
    )
    sign_in = SignIn(runtime.config, store)
    dialog = SignInDialog(sign_in.sign_in, settings, role_name)
    dialog.show()
    dialog.form.user.setText("wangmin")
    dialog.form.password.setText(DEMO_PASSWORD)
    dialog.form.submit()
    pump(app, 10, lambda: dialog.form.role.isVisible())
    if prefix:
        pump(app, 1)
        app.primaryScreen().grabWindow(0).save(str(out / f"{prefix}-signin.png"))
    dialog.form.submit()
    pump(app, 5, lambda: dialog.person is not None)
    return dialog.person, dialog.role, sign_in


DEMO_PASSWORD = "Duty-desk-2026"  # a throw-away store's account, for the pictures only


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("out", nargs="?", default="screenshots")
    parser.add_argument("--lang", default="zh_CN", choices=["zh_CN", "en"])
    parser.add_argument("--theme", default="dark", choices=["dark", "light"])
    parser.add_argument(
        "--screens", action="store_true", help="every size and language, under Xvfb"
    )
    parser.add_argument("--sizes", default="1366x768,1600x900,1920x1080")
    parser.add_argument("--langs", default="zh_CN,en")
    parser.add_argument("--grab-screen", metavar="PREFIX", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.screens:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        sys.exit(every_screen(out, args.sizes.split(","), args.langs.split(","), args.theme))
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
            person, role, sign_in = signed_in_person(app, runtime, settings, out, args.grab_screen)
            window = MainWindow(
                runtime, settings=settings, role=role, person=person, sign_in=sign_in
            )
            if not args.grab_screen:
                window.resize(1920, 1050)
            window.show()
            runtime.start()
            deadline = time.monotonic() + (180 if args.grab_screen else 60)  # a busy machine

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
            if args.grab_screen:
                grab_screen(app, window, out, args.grab_screen)
                window.close()
                return
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
