"""Who holds the desk: the lock after the configured idle time (or Ctrl+L), signing in
again to go on, and another person signing in at the lock taking the desk over, which
is a shift change. Each is audited under the person's name; the status bar names who
is signed in, and says so when the embedded default signed the demo officer in.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QDockWidget, QMainWindow, QWidget

from commandcenter.domain.geography import county_name
from commandcenter.domain.people import Person
from commandcenter.ui.operations.audit import role_name
from commandcenter.ui.people.sign_in import Authenticate, LockedCover, LockScreen
from commandcenter.ui.widgets import i18n
from commandcenter.ui.widgets.panel import Console
from commandcenter.ui.widgets.text import plain_label

# What counts as the person working at the desk: the idle clock starts again.
ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)


class DeskSession(QObject):
    """The lock and the person at the desk, for one main window."""

    # the person who took the desk over at the lock, and the one who had it
    shift_changed = Signal(object, object)

    def __init__(
        self,
        window: QMainWindow,
        console: Console,
        authenticate: Authenticate | None,
        *,
        lock_after_minutes: float,
        take_over: Callable[[Person, str], None],
        data_screens: Callable[[], list[QWidget]] = list,
    ):
        super().__init__(window)
        self.window = window
        self.console = console
        self._take_over = take_over
        self._data_screens = data_screens  # the wall's screens that show data, not video
        self._covers: list[LockedCover] = []
        self._disabled: list[QWidget] = []  # behind the lock, to enable again
        self._disabled_actions: list[QAction] = []
        self._hidden: list[QWidget] = []
        # a name from the directory: plain text, as wide as it is (it is short)
        self.person_label = plain_label()
        self.person_label.setObjectName("signedInPerson")
        window.statusBar().insertWidget(0, self.person_label, 0)
        # no way to sign in (a test, a tool's window): no lock either
        self.lock_screen = (
            LockScreen(
                authenticate,
                window_settings(window),
                role_name,
                window,
                above=getattr(window, "alert_bar", None),
            )
            if authenticate is not None
            else None
        )
        if self.lock_screen is not None:
            self.lock_screen.unlocked.connect(self._unlocked)
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.timeout.connect(self.lock)
        self.idle_ms = int(lock_after_minutes * 60_000)
        self._watched: list = []
        if self.lock_screen is not None and self.idle_ms > 0:
            self.watch(window)
            self.idle.start(self.idle_ms)
        self.retranslate()

    def watch(self, window: QWidget) -> None:
        """Count the keys and the mouse in this top-level window (the console, a wall
        screen) as work at the desk. Watched at its QWindow, where every input event of
        the window passes first: an application-wide filter in Python would also be
        called for objects still being made, which PySide cannot wrap."""
        if self.lock_screen is None or self.idle_ms <= 0:
            return
        window.winId()  # the native window and its QWindow, made now if not yet shown
        handle = window.windowHandle()
        if handle is not None and handle not in self._watched:
            handle.installEventFilter(self)
            self._watched.append(handle)
            # a wall screen goes when wall mode ends: forget it then
            handle.destroyed.connect(lambda *_: self._forget(handle))

    def _forget(self, handle) -> None:
        if handle in self._watched:
            self._watched.remove(handle)

    def close(self) -> None:
        """The window closes: stop watching its input."""
        self.idle.stop()
        for handle in self._watched:
            if shiboken6.isValid(handle):
                handle.removeEventFilter(self)
        self._watched.clear()
        if self.lock_screen is not None:
            self.window.removeEventFilter(self.lock_screen)

    # -- the lock ------------------------------------------------------------------------

    @property
    def locked(self) -> bool:
        """Whether the desk is locked now."""
        return self.lock_screen is not None and self.lock_screen.locked

    def lock(self) -> bool:
        """Cover the desk until someone signs in; False when it cannot lock (no sign-in)."""
        if self.lock_screen is None:
            return False
        if not self.locked:
            self.lock_screen.lock(self.console.person, datetime.now(UTC))
            self._disable_behind()
            self._covers = [LockedCover(screen) for screen in self._data_screens()]
            console = self.console
            console.lane.run(  # the desk locks first, whatever the store does
                QCoreApplication.translate("DeskSession", "Auditing the lock"),
                lambda: console.audit("screen.lock", console.operator, {}),
                owner=self,
            )
        return True

    def _disable_behind(self) -> None:
        """What the lock screen covers can take no key, no click, no shortcut: the
        window's bars and docks and every action are disabled; floating docks and
        open dialogs are hidden (they are windows of their own, not covered)."""
        window = self.window
        self._disabled = [
            w
            for w in window.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
            if w is not self.lock_screen and w.isEnabled()
        ]
        self._disabled_actions = [a for a in window.findChildren(QAction) if a.isEnabled()]
        self._hidden = [
            w
            for w in (*window.findChildren(QDockWidget), *window.findChildren(QDialog))
            if w.isVisible() and w.isWindow()
        ]
        for widget in self._disabled:
            widget.setEnabled(False)
        for action in self._disabled_actions:
            action.setEnabled(False)
        for widget in self._hidden:
            widget.hide()

    def _enable_behind(self) -> None:
        for widget in self._disabled:
            if shiboken6.isValid(widget):
                widget.setEnabled(True)
        for action in self._disabled_actions:
            if shiboken6.isValid(action):
                action.setEnabled(True)
        for widget in self._hidden:
            if shiboken6.isValid(widget):
                widget.show()
        self._disabled, self._disabled_actions, self._hidden = [], [], []
        for cover in self._covers:
            if shiboken6.isValid(cover):  # its wall screen may have gone meanwhile
                cover.deleteLater()
        self._covers = []

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() in ACTIVITY and not self.locked:
            self.idle.start(self.idle_ms)
        return False

    def _unlocked(self, person: Person, role: str) -> None:
        previous = self.console.person
        assert self.lock_screen is not None
        # what was disabled comes back first, so that the new person's roles then decide
        # what shows; the lock screen stays over it all until they have the desk
        self._enable_behind()
        # the sign-in service audited it: as an unlock, or as a shift change
        if previous is not None and person.user_name == previous.user_name:
            if role != self.console.role:
                self._take_over(person, role)
            self.lock_screen.hide()
        else:
            self._take_over(person, role)
            self.lock_screen.hide()
            self.shift_changed.emit(person, previous)
        if self.idle_ms > 0:
            self.idle.start(self.idle_ms)
        self.retranslate()

    # -- the status bar ----------------------------------------------------------------

    def retranslate(self) -> None:
        """The person's line in the interface's language; the lock screen's words."""
        person = self.console.person
        if person is None:
            text = self.console.operator
        else:
            where = (
                county_name(person.county, i18n.language())
                if person.county
                else self.tr("the whole city")
            )
            text = (
                self.tr("%1 · %2 · %3")
                .replace("%1", person.name)
                .replace("%2", role_name(self.console.role))
                .replace("%3", where)
            )
        tip = ""
        if person is not None and person.source == "demo":
            text += " " + self.tr("(demo, signed in by itself)")
            tip = self.tr(
                "Signed in by itself: the embedded simulated data center, and no directory "
                "or local accounts. Add accounts with `commandcenter users add`."
            )
        self.person_label.setText(text)
        self.person_label.setToolTip(tip)
        if self.lock_screen is not None:
            self.lock_screen.retranslate()


def window_settings(window: QMainWindow) -> QSettings:
    """The window's settings (MainWindow keeps them as `settings`)."""
    settings = getattr(window, "settings", None)
    return settings if isinstance(settings, QSettings) else QSettings()
