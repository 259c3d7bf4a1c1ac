"""How a worker thread hands something to the GUI thread without touching a Qt object
the GUI thread may delete meanwhile.

A worker that checks `isValid(relay)` and then emits on it races the GUI thread:
between the two the relay's panel can be closed and the relay deleted, and the emit
then runs on freed memory (a crash, or "Slot 'QEventLoop::' not found"). Workers post
instead to one office that lives as long as the application; on the GUI thread, where
deletion happens, the delivery asks whether its receiver is still there.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot
from shiboken6 import isValid


class _PostOffice(QObject):
    posted = Signal(object, object, object)  # (receiver, call, args)

    def __init__(self, parent: QObject | None):
        super().__init__(parent)
        self.posted.connect(self._deliver)

    @Slot(object, object, object)
    def _deliver(self, receiver: QObject, call: Callable[..., Any], args: tuple) -> None:
        if isValid(receiver):
            call(*args)


_office: _PostOffice | None = None
_office_lock = threading.Lock()


def open_office() -> None:
    """Make the application's post office; call on the GUI thread (where it must live)
    before any worker posts."""
    global _office
    with _office_lock:
        if _office is None or not isValid(_office):
            _office = _PostOffice(QCoreApplication.instance())


def post_to_gui(receiver: QObject, call: Callable[..., Any], *args: Any) -> None:
    """Run `call(*args)` on the GUI thread if `receiver` still exists by then."""
    office = _office
    if office is not None and isValid(office):
        office.posted.emit(receiver, call, args)
