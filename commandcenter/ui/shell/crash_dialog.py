"""An unexpected exception, in any thread, becomes one dialog on the GUI thread that
says what happened and where the log is, and offers the report (scrubbed of secrets,
local/crash_report.py) to copy for support. The client keeps running: most such errors spoil one
action, not the console, and an operator on duty must not lose the wall to one."""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable, Mapping
from types import TracebackType

from PySide6.QtCore import QObject, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from commandcenter.local import logs
from commandcenter.local.crash_report import CrashReport, build_report
from commandcenter.ui.widgets.application import application
from commandcenter.ui.widgets.placement import keep_on_screen

log = logging.getLogger(__name__)


class CrashDialog(QDialog):
    """What happened, where the log is, the report to copy; Continue or Quit."""

    def __init__(self, report: CrashReport, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.report = report
        self.later = 0  # errors that came while this dialog was open
        self.setWindowTitle(self.tr("Unexpected error"))
        self.setMinimumWidth(640)
        heading = QLabel(self.tr("The command center client ran into an unexpected error."))
        heading.setStyleSheet("font-size: 13pt; font-weight: 700;")
        self.what = QLabel()
        self.what.setWordWrap(True)
        self.what.setTextFormat(Qt.TextFormat.PlainText)
        self.what.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        advice = QLabel(
            self.tr(
                "The client is still running, but what you just did may not have been "
                "completed. If it happens again, restart the client and send the error "
                "report to support."
            )
        )
        advice.setWordWrap(True)
        log_file = logs.current_log_file()
        self.log_line = QLabel(
            self.tr("Log file: %1").replace("%1", str(log_file))
            if log_file
            else self.tr("No log file is written (see the terminal).")
        )
        self.log_line.setTextFormat(Qt.TextFormat.PlainText)
        self.log_line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.log_line.setWordWrap(True)
        self.later_line = QLabel()
        self.later_line.hide()
        self.details = QPlainTextEdit(report.text)
        self.details.setObjectName("crashReport")
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.details.setMinimumHeight(180)
        note = QLabel(self.tr("The report holds no keys or passwords."))
        note.setStyleSheet("color: palette(placeholder-text);")

        buttons = QDialogButtonBox()
        self.copy_button = QPushButton(self.tr("Copy report"))
        self.copy_button.clicked.connect(self.copy_report)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        if log_file is not None:
            folder = QPushButton(self.tr("Open log folder"))
            folder.clicked.connect(
                lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_file.parent)))
            )
            buttons.addButton(folder, QDialogButtonBox.ButtonRole.ActionRole)
        self.quit_button = QPushButton(self.tr("Quit the client"))
        self.quit_button.clicked.connect(self._quit)
        buttons.addButton(self.quit_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        self.continue_button = QPushButton(self.tr("Continue"))
        self.continue_button.setDefault(True)
        self.continue_button.clicked.connect(self.accept)
        buttons.addButton(self.continue_button, QDialogButtonBox.ButtonRole.AcceptRole)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.what)
        layout.addWidget(advice)
        layout.addWidget(self.log_line)
        layout.addWidget(self.later_line)
        layout.addWidget(self.details, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self._describe()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        keep_on_screen(self)

    def _describe(self) -> None:
        r = self.report
        self.what.setText(
            self.tr("What happened: %1\nWhere: %2, thread %3")
            .replace("%1", r.summary)
            .replace("%2", r.where)
            .replace("%3", r.thread)
        )

    def add_later(self, report: CrashReport) -> None:
        """Another error while this one is shown: counted here, its report in the log."""
        self.later += 1
        self.later_line.setText(
            self.tr("%n more error(s) since, each written to the log.", "", self.later)
        )
        self.later_line.show()

    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(self.report.text)
        self.copy_button.setText(self.tr("Copied"))

    def _quit(self) -> None:
        self.accept()
        app = application()
        for window in app.topLevelWidgets():
            if window is not self and window.isWindow() and window.isVisible():
                window.close()  # as the close button would: layouts and drafts saved
        app.quit()


class CrashReporter(QObject):
    """`sys.excepthook` and `threading.excepthook` of the desktop: each exception is
    logged with its traceback and reported in a CrashDialog on the GUI thread."""

    _arrived = Signal(object)  # CrashReport, from any thread

    def __init__(
        self,
        context: Callable[[], Mapping[str, str]] | None = None,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self._context = context or dict
        self.dialog: CrashDialog | None = None
        self.reports: list[CrashReport] = []
        self._previous: tuple | None = None
        self._inside = threading.local()  # an error while reporting one is not reported again
        self._arrived.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def install(self) -> None:
        if self._previous is None:
            self._previous = (sys.excepthook, threading.excepthook)
            sys.excepthook = self.on_exception
            threading.excepthook = self.on_thread_exception

    def uninstall(self) -> None:
        if self._previous is not None:
            sys.excepthook, threading.excepthook = self._previous
            self._previous = None

    def on_exception(
        self,
        exc_type: type[BaseException],
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.report(exc_type, exc, tb, threading.current_thread().name)

    def on_thread_exception(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        thread = args.thread.name if args.thread is not None else "?"
        self.report(args.exc_type, args.exc_value, args.exc_traceback, thread)

    def report(
        self,
        exc_type: type[BaseException],
        exc: BaseException | None,
        tb: TracebackType | None,
        thread: str,
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt) or getattr(self._inside, "active", False):
            traceback.print_exception(exc_type, exc, tb)  # as Python would
            return
        self._inside.active = True
        try:
            report = build_report(exc_type, exc, tb, thread=thread, context=self._context())
            log.critical(
                "unexpected error in thread %s: %s",
                thread,
                report.summary,
                exc_info=(exc_type, exc, tb) if exc is not None else None,
            )
            self._arrived.emit(report)
        # the crash handler: whatever went wrong while reporting, the terminal has it
        except Exception:  # noqa: BLE001
            traceback.print_exception(exc_type, exc, tb)  # as Python would
        finally:
            self._inside.active = False

    @Slot(object)
    def _show(self, report: CrashReport) -> None:
        self.reports.append(report)
        if self.dialog is not None and isValid(self.dialog) and self.dialog.isVisible():
            self.dialog.add_later(report)
            return
        self.dialog = CrashDialog(report, QApplication.activeWindow())
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog.destroyed.connect(self._forget_dialog)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()

    @Slot()
    def _forget_dialog(self) -> None:
        self.dialog = None


def desktop_context(runtime) -> dict[str, str]:
    """What a report of the desktop says about its setting: Qt, data center, store."""
    import PySide6
    from PySide6.QtCore import qVersion

    context = {"qt": f"PySide6 {PySide6.__version__}, Qt {qVersion()}"}
    app = QGuiApplication.instance()
    if isinstance(app, QGuiApplication):
        context["platform"] = app.platformName()
    if runtime is not None:
        context["data center"] = runtime.datacenter_label or "?"
        context["store"] = runtime.store.url_for_display
    return context
