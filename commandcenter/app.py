"""Composition root of the desktop client: builds the objects once and hands them
their dependencies."""

from __future__ import annotations

import os
import sys

from commandcenter.config import Config
from commandcenter.local import host

APPLICATION_ID = "sfj.commandcenter"  # the Windows taskbar's name for the program


class NoDisplay(Exception):
    """There is no screen to open the window on."""


def check_display() -> None:
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY")
        or os.environ.get("WAYLAND_DISPLAY")
        or os.environ.get("QT_QPA_PLATFORM")
    ):
        raise NoDisplay(
            "no display to open the window on (DISPLAY is not set); run it in a desktop session, "
            "or use 'commandcenter run --headless' for the feeds without a window"
        )


def make_application(config: Config, *, language: str | None = None, theme: str | None = None):
    """The QApplication as the client runs it: interpreter switching, organisation
    (for QSettings), translations and theme."""
    from PySide6.QtCore import QCoreApplication, QSettings
    from PySide6.QtWidgets import QApplication

    from commandcenter.ui.shell.desktop import DESKTOP_FILE, application_icon
    from commandcenter.ui.shell.heap import keep_heap_compact
    from commandcenter.ui.shell.qt_messages import bridge_qt_messages
    from commandcenter.ui.shell.theme import apply_theme
    from commandcenter.ui.widgets import i18n

    bridge_qt_messages()  # into the log file, from the first message on

    # The GUI thread shares the interpreter with the background reader: let it have
    # the lock back within a millisecond rather than five when it wants to paint.
    sys.setswitchinterval(0.0002)
    keep_heap_compact()
    host.set_application_id(APPLICATION_ID)
    if QApplication.instance() is None:
        from commandcenter.map.engine import prepare_web_engine

        prepare_web_engine()  # the map's web engine must be set up before the application
    running = QApplication.instance()
    app = running if isinstance(running, QApplication) else QApplication(sys.argv[:1])
    app.setOrganizationName("commandcenter")
    app.setApplicationName("commandcenter")
    app.setWindowIcon(application_icon())
    app.setDesktopFileName(DESKTOP_FILE)
    settings = QSettings()
    i18n.install(
        app, i18n.choose_language(language, config.language or settings.value("ui/language"))
    )
    app.setApplicationDisplayName(
        QCoreApplication.translate("MainWindow", "Justice Bureau Command Center")
    )
    apply_theme(app, theme or config.theme or str(settings.value("ui/theme", "dark")))
    return app


def run_desktop(
    config: Config,
    *,
    scale: str = "city",
    language: str | None = None,
    theme: str | None = None,
    wall: bool = False,
    role: str | None = None,
    new_instance: bool = False,
) -> int:
    """The console. Unless `new_instance`, a client already running for this user and
    store is brought to the front instead (AlreadyRunning)."""
    check_display()
    from PySide6.QtCore import QSettings

    from commandcenter.runtime import open_desktop_runtime
    from commandcenter.ui.shell.crash_dialog import CrashReporter, desktop_context
    from commandcenter.ui.shell.desktop import SingleInstance, bring_to_front, instance_key
    from commandcenter.ui.shell.window import MainWindow

    # before the application, so that a second start leaves within moments; a start that
    # fails leaves a lock whose process is gone, which the next start takes over
    instance = None if new_instance else SingleInstance.claim(instance_key(config.db_url))
    app = make_application(config, language=language, theme=theme)
    if instance is not None:
        instance.listen()
    runtime = open_desktop_runtime(config, embedded_scale=scale)
    crashes = CrashReporter(lambda: desktop_context(runtime), parent=app)
    crashes.install()
    try:
        person, role, sign_in = _sign_in(config, runtime, role)
        if person is None:  # the sign-in was closed: nobody takes the desk
            return 0
        window = MainWindow(
            runtime, settings=QSettings(), role=role, person=person, sign_in=sign_in
        )
        if instance is not None:
            instance.activation_requested.connect(lambda: bring_to_front(window))
        runtime.start()
        window.show()
        if wall:
            window.wall.start()
        _quit_on_signals(app, window)
        return app.exec()
    finally:
        crashes.uninstall()
        runtime.close()
        if instance is not None:
            instance.release()


def _sign_in(config: Config, runtime, role: str | None):
    """Who takes the desk, in which role, and how the lock checks the next person: the
    sign-in dialog, or on the embedded default with no accounts the demo duty officer,
    signed in by himself (the status bar says so). (None, …) when the dialog is closed."""
    from PySide6.QtCore import QCoreApplication, QSettings

    from commandcenter.domain.people import DEMO_PERSON
    from commandcenter.services.sign_in import SignIn
    from commandcenter.ui.operations.audit import role_name
    from commandcenter.ui.people.sign_in import SignInDialog

    sign_in = SignIn(config, runtime.store)
    if not sign_in.needs_sign_in() and config.embedded:
        chosen = role or config.role
        runtime.store.append_audit(
            user=DEMO_PERSON.audit_name,
            role=chosen,
            action="person.sign_in",
            target=DEMO_PERSON.user_name,
            detail={"automatic": "embedded data center, no accounts"},
        )
        return DEMO_PERSON, chosen, None
    hint = (
        ""
        if sign_in.needs_sign_in()
        else QCoreApplication.translate(
            "SignInDialog",
            "No directory is configured and this store has no accounts. Create one with: "
            "commandcenter users add NAME --name 'FULL NAME' --role duty_officer",
        )
    )
    dialog = SignInDialog(sign_in.sign_in, QSettings(), role_name, hint=hint)
    if not dialog.exec() or dialog.person is None:
        return None, "", None
    return dialog.person, dialog.role, sign_in


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
