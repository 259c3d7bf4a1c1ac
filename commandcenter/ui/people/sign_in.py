"""Signing in at the desk: the form (user name, password, and the role when the person
has several), the dialog the client starts with, and the screen that covers the desk
when it locks.

The form remembers the last user name (and each person's last role) in the desk's
settings, never the password. Checking the password may take a directory's round trip:
it runs on a thread of its own, so the window keeps painting and the wall keeps playing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from commandcenter.domain import bureau_time
from commandcenter.domain.people import Person, SignInRefused
from commandcenter.ui.widgets.text import plain_label

log = logging.getLogger(__name__)

# user name, password -> the person, or SignInRefused
Authenticate = Callable[[str, str], Person]

LAST_USER = "signin/last_user"


def last_role_key(user_name: str) -> str:
    """Where the desk keeps the role a person last chose (slashes would nest groups)."""
    return "signin/role/" + user_name.replace("/", "-")


class _Answer(QObject):
    """Carries the sign-in thread's answer to the GUI thread."""

    arrived = Signal(object, str)  # Person or None, the refusal


class SignInForm(QWidget):
    """User name, password, then the role: `signed_in(person, role)` when the person is
    who they say and has chosen what they work as."""

    signed_in = Signal(object, str)
    refused = Signal(str, str)  # user name typed, reason

    def __init__(
        self,
        authenticate: Authenticate,
        settings: QSettings,
        role_name: Callable[[str], str],
        *,
        user_name: str | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("signInForm")
        self._authenticate = authenticate
        self._settings = settings
        self._role_name = role_name
        self._person: Person | None = None
        self._answer = _Answer(self)
        self._answer.arrived.connect(self._answered)

        self.user = QLineEdit()
        self.user.setObjectName("signInUser")
        self.user.setMaxLength(128)
        self.user.setText(
            user_name if user_name is not None else str(settings.value(LAST_USER, ""))
        )
        self.password = QLineEdit()
        self.password.setObjectName("signInPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setMaxLength(256)
        self.role = QComboBox()
        self.role.setObjectName("signInRole")
        self.message = plain_label()  # quotes the directory's words
        self.message.setObjectName("signInMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #e5534b;")
        self.message.hide()
        self.button = QPushButton()
        self.button.setObjectName("signInButton")
        self.button.setDefault(True)
        self.button.setAutoDefault(True)
        self.button.clicked.connect(self.submit)
        self.user.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self.submit)

        form = QFormLayout()
        self.user_label = QLabel()
        self.user_label.setBuddy(self.user)
        self.password_label = QLabel()
        self.password_label.setBuddy(self.password)
        self.role_label = QLabel()
        self.role_label.setBuddy(self.role)
        form.addRow(self.user_label, self.user)
        form.addRow(self.password_label, self.password)
        form.addRow(self.role_label, self.role)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.message)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.button)
        layout.addLayout(row)
        self._show_role(False)
        self.retranslate()
        self.role.installEventFilter(self)

    def retranslate(self) -> None:
        """Its words in the interface's language."""
        self.user_label.setText(self.tr("&User name"))
        self.password_label.setText(self.tr("&Password"))
        self.role_label.setText(self.tr("&Work as"))
        self.button.setText(self.tr("Continue") if self._person else self.tr("Sign in"))
        self.user.setPlaceholderText(self.tr("your user name"))

    def focus(self) -> None:
        """The keyboard where the person types next: the password when the name is known."""
        (self.password if self.user.text() else self.user).setFocus()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        # Enter on the role list goes on, as it does on the password
        if (
            watched is self.role
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and not self.role.view().isVisible()
        ):
            self.submit()
            return True
        return super().eventFilter(watched, event)

    def submit(self) -> None:
        """Check the password (on a thread), or, once checked, go on in the chosen role."""
        if self._person is not None:
            self._finish(self._person, str(self.role.currentData()))
            return
        user, password = self.user.text().strip(), self.password.text()
        if not user:
            self._say(self.tr("Type your user name."))
            self.user.setFocus()
            return
        if not password:
            self._say(self.tr("Type your password."))
            self.password.setFocus()
            return
        self._busy(True)
        answer, authenticate = self._answer, self._authenticate

        def check() -> None:
            try:
                person: Person | None = authenticate(user, password)
                reason = ""
            except SignInRefused as refusal:
                person, reason = None, refusal.reason
            except Exception:  # a fault of ours: logged, and the form ready again
                log.exception("signing in %s failed", user)
                person = None
                reason = QCoreApplication.translate(
                    "SignInForm", "The sign-in failed unexpectedly; the log says why."
                )
            answer.arrived.emit(person, reason)

        threading.Thread(target=check, name="sign-in", daemon=True).start()

    def _answered(self, person: Person | None, reason: str) -> None:
        self._busy(False)
        self.password.clear()
        if person is None:
            self._say(reason)
            self.refused.emit(self.user.text().strip(), reason)
            self.password.setFocus()
            return
        self._settings.setValue(LAST_USER, person.user_name)
        if len(person.roles) == 1:
            self._finish(person, person.roles[0])
            return
        # several roles: the person chooses, the last one they chose offered first
        self._person = person
        self.role.clear()
        for role in person.roles:
            self.role.addItem(self._role_name(role), role)
        last = self._settings.value(last_role_key(person.user_name))
        self.role.setCurrentIndex(max(0, self.role.findData(last)))
        self._show_role(True)
        self.message.hide()
        self.retranslate()
        self.role.setFocus()

    def _finish(self, person: Person, role: str) -> None:
        self._settings.setValue(last_role_key(person.user_name), role)
        self.reset()
        self.signed_in.emit(person, role)

    def reset(self, user_name: str | None = None) -> None:
        """Back to the start: the name kept (or the one given), no password, no role."""
        self._person = None
        if user_name is not None:
            self.user.setText(user_name)
        self.password.clear()
        self.message.hide()
        self._show_role(False)
        self.retranslate()

    def _show_role(self, shown: bool) -> None:
        self.role.setVisible(shown)
        self.role_label.setVisible(shown)
        self.user.setEnabled(not shown)
        self.password.setEnabled(not shown)

    def _busy(self, busy: bool) -> None:
        self.button.setEnabled(not busy)
        self.user.setEnabled(not busy)
        self.password.setEnabled(not busy)
        if busy:
            self.message.setText(self.tr("Checking…"))
            self.message.setStyleSheet("")
            self.message.show()

    def _say(self, text: str) -> None:
        self.message.setStyleSheet("color: #e5534b;")
        self.message.setText(text)
        self.message.show()


class SignInDialog(QDialog):
    """The client's first window when people sign in: the bureau's name and the form."""

    def __init__(
        self,
        authenticate: Authenticate,
        settings: QSettings,
        role_name: Callable[[str], str],
        *,
        hint: str = "",
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("signInDialog")
        self.person: Person | None = None
        self.role = ""
        self.heading = QLabel()
        self.heading.setObjectName("signInHeading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.heading.setFont(font)
        self.hint = plain_label(hint)  # may quote the configuration
        self.hint.setWordWrap(True)
        self.hint.setVisible(bool(hint))
        self.form = SignInForm(authenticate, settings, role_name, parent=self)
        self.form.signed_in.connect(self._signed_in)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 20)
        layout.setSpacing(14)
        layout.addWidget(self.heading)
        layout.addWidget(self.hint)
        layout.addWidget(self.form)
        self.setMinimumWidth(380)
        self.retranslate()

    def retranslate(self) -> None:
        """Its words in the interface's language."""
        self.setWindowTitle(self.tr("Sign in — Justice Bureau Command Center"))
        self.heading.setText(self.tr("Justice Bureau Command Center"))
        self.form.retranslate()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        # the first window of the client: in front, the keyboard in it, nothing to click
        super().showEvent(event)
        self.raise_()
        self.activateWindow()
        QTimer.singleShot(0, self.form.focus)

    def _signed_in(self, person: Person, role: str) -> None:
        self.person, self.role = person, role
        self.accept()


class LockScreen(QFrame):
    """Covers the window's controls and data while the desk is locked. The person who
    locked it signs in again to go on; someone else signing in takes the desk over (a
    shift change). The wall's own screens keep playing: they are other windows."""

    unlocked = Signal(object, str)  # the person who signed in, their role

    def __init__(
        self,
        authenticate: Authenticate,
        settings: QSettings,
        role_name: Callable[[str], str],
        parent: QWidget,
        *,
        above: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("lockScreen")
        # left uncovered: the urgent-alert banner, so that an alert is never missed at a
        # locked desk (its buttons are disabled while locked)
        self._above = above
        self.setAutoFillBackground(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.heading = QLabel()
        self.heading.setObjectName("lockHeading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.who = plain_label()  # a person's name from the directory
        self.who.setObjectName("lockWho")
        self.who.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.who.setWordWrap(True)
        self.note = QLabel()
        self.note.setObjectName("lockNote")
        self.note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.note.setWordWrap(True)
        self.form = SignInForm(authenticate, settings, role_name, parent=self)
        self.form.signed_in.connect(self.unlocked)
        box = QFrame()
        box.setObjectName("lockBox")
        box.setMaximumWidth(420)
        inner = QVBoxLayout(box)
        inner.setSpacing(12)
        inner.addWidget(self.heading)
        inner.addWidget(self.who)
        inner.addWidget(self.note)
        inner.addWidget(self.form)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(box, 3)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self._person: Person | None = None
        self._since: datetime | None = None
        self.hide()
        parent.installEventFilter(self)

    def retranslate(self) -> None:
        """Its words in the interface's language."""
        self.heading.setText(self.tr("This desk is locked"))
        self.note.setText(
            self.tr(
                "Sign in to go on. Another person signing in takes over the desk (shift change)."
            )
        )
        if self._person is not None and self._since is not None:
            self.who.setText(
                self.tr("Locked by %1 at %2")
                .replace("%1", self._person.audit_name)
                .replace("%2", bureau_time.bureau_text(self._since, "%H:%M"))
            )
        self.form.retranslate()

    def lock(self, person: Person | None, since: datetime) -> None:
        """Cover the window, the form ready for the person who sat here."""
        self._person, self._since = person, since
        self.form.reset(person.user_name if person is not None else None)
        self.retranslate()
        self._cover()
        self.show()
        self.raise_()
        self.form.focus()

    @property
    def locked(self) -> bool:
        """Whether the lock screen covers the window."""
        return self.isVisible()

    def _cover(self) -> None:
        parent = self.parentWidget()
        if parent is None:
            return
        area = parent.rect()
        above = self._above
        if above is not None and above.isVisible():
            area.setTop(above.geometry().bottom() + 1)
        self.setGeometry(area)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self._cover()
        return super().eventFilter(watched, event)


class LockedCover(QFrame):
    """Covers a screen of the wall that shows data (not the video wall) while the desk
    is locked: the video plays on, figures and lists do not stand open."""

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setObjectName("lockedCover")
        self.setAutoFillBackground(True)
        label = QLabel(self.tr("This desk is locked"))
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = label.font()
        font.setPointSizeF(font.pointSizeF() * 2)
        label.setFont(font)
        QVBoxLayout(self).addWidget(label)
        self.setGeometry(parent.rect())
        self.show()
        self.raise_()
