"""How the client sits on the desktop: its icon, and one window per user and store.

A second start for the same user and store does not open a second client on the same
store: it asks the running one to bring its window to the front, then exits. The
first start holds a lock file (Qt's QLockFile, which frees the lock of a process
that died) and listens on a local socket (QLocalServer, owner-only) whose name is
derived from the user and the store; `--new-instance` skips both.
"""

from __future__ import annotations

import getpass
import hashlib
import logging
import os

from PySide6.QtCore import QDir, QLockFile, QObject, QSize, Signal
from PySide6.QtGui import QIcon
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from commandcenter import resources

log = logging.getLogger(__name__)

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)
DESKTOP_FILE = "commandcenter"  # commandcenter.desktop: how Wayland shells find our icon
ACTIVATE = b"activate\n"
ACTIVATED = b"ok\n"
# The running client answers from its event loop, which a start in progress (the window
# being built) holds for some seconds.
ANSWER_WITHIN_MS = 30_000


def application_icon() -> QIcon:
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addFile(
            str(resources.data_file("icons", f"commandcenter-{size}.png")), QSize(size, size)
        )
    return icon


def instance_key(store_url: str | None) -> str:
    """The socket's name: one per user and store, the same in every process."""
    who = f"{getpass.getuser()}\0{store_url or 'default store'}"
    return "commandcenter-" + hashlib.sha256(who.encode("utf-8")).hexdigest()[:16]


class AlreadyRunning(Exception):
    """Another client runs for this user and store; `answered`: it showed its window."""

    def __init__(self, message: str, *, answered: bool):
        super().__init__(message)
        self.answered = answered


class SingleInstance(QObject):
    """The first client's claim. `activation_requested` fires when a later start asks
    for the window."""

    activation_requested = Signal()

    def __init__(self, key: str, lock: QLockFile):
        super().__init__()
        self.key = key
        self._lock = lock
        self._server: QLocalServer | None = None

    @classmethod
    def claim(cls, key: str, *, answer_within_ms: int = ANSWER_WITHIN_MS) -> SingleInstance:
        """Take the claim, or raise AlreadyRunning once the running client was asked to
        show its window."""
        lock = QLockFile(os.path.join(QDir.tempPath(), f"{key}.lock"))
        lock.setStaleLockTime(0)  # stale only when its process is gone, never by age
        if lock.tryLock(0):
            return cls(key, lock)
        if ask_to_activate(key, answer_within_ms):
            raise AlreadyRunning(
                "commandcenter is already running for this user and store: "
                "its window was brought to the front (--new-instance opens another)",
                answered=True,
            )
        raise AlreadyRunning(
            "commandcenter is already running for this user and store but did not answer; "
            "close it, or start with --new-instance to open another window anyway",
            answered=False,
        )

    def listen(self) -> bool:
        """Start answering later starts; needs the QApplication."""
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        QLocalServer.removeServer(self.key)  # a socket left by a client that died
        if not server.listen(self.key):
            log.warning(
                "a second start cannot reach this window (%s): it will open its own",
                server.errorString(),
            )
            return False
        server.newConnection.connect(self._accept)
        self._server = server
        return True

    def _accept(self) -> None:
        while self._server is not None and self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            # it stays the server's child (a few a day), freed when the server closes
            socket.readyRead.connect(lambda s=socket: self._read(s))

    def _read(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            return
        if bytes(socket.readLine().data()) == ACTIVATE:
            self.activation_requested.emit()
            socket.write(ACTIVATED)
            socket.flush()
        socket.disconnectFromServer()

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        self._lock.unlock()


def ask_to_activate(key: str, timeout_ms: int = ANSWER_WITHIN_MS) -> bool:
    """Ask the running client to show its window; True once it said it did. A client
    still starting holds the lock before it listens: keep knocking until it does."""
    import time

    deadline = time.monotonic() + timeout_ms / 1000
    socket = QLocalSocket()
    while True:
        socket.connectToServer(key)
        if socket.waitForConnected(1000):
            break
        socket.abort()
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.2)
    socket.write(ACTIVATE)
    socket.flush()
    answer = b""
    while not answer.endswith(b"\n"):
        left = int((deadline - time.monotonic()) * 1000)
        if left <= 0 or not socket.waitForReadyRead(left):
            break
        answer += bytes(socket.readAll().data())
    socket.abort()
    return answer == ACTIVATED


def bring_to_front(window) -> None:
    """Show the window over the others, restored if it was minimised."""
    from PySide6.QtCore import Qt

    window.setWindowState(
        (window.windowState() & ~Qt.WindowState.WindowMinimized) | Qt.WindowState.WindowActive
    )
    window.show()
    window.raise_()
    window.activateWindow()
