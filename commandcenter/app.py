"""Composition root of the desktop client: builds the objects once and hands them
their dependencies."""

from __future__ import annotations

import os
import sys

from commandcenter.config import Config


class NoDisplay(Exception):
    """There is no screen to open the window on."""


def check_display() -> None:
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM")
    ):
        raise NoDisplay(
            "no display to open the window on (DISPLAY is not set); run it in a desktop session, "
            "or use 'commandcenter run --headless' for the feeds without a window"
        )


def run_desktop(config: Config, *, scale: str = "city") -> int:
    check_display()
    from PySide6.QtWidgets import QApplication

    from commandcenter.runtime import open_runtime
    from commandcenter.ui.main_window import MainWindow
    from commandcenter.ui.theme import apply_dark_theme

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName("commandcenter")
    app.setApplicationName("commandcenter")
    app.setApplicationDisplayName("司法行政指挥中心")
    apply_dark_theme(app)
    runtime = open_runtime(config, embedded_scale=scale)
    try:
        window = MainWindow(runtime)
        runtime.runner.start()
        window.show()
        _quit_on_signals(app, window)
        return app.exec()
    finally:
        runtime.close()


def _quit_on_signals(app, window) -> None:
    """Ctrl-C or SIGTERM close the window as the close button would (layout saved).
    Python only sees a signal when it runs, so a timer gives it a moment to."""
    import signal

    from PySide6.QtCore import QTimer

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: window.close())
    timer = QTimer(app)
    timer.timeout.connect(lambda: None)
    timer.start(250)
