"""Where the Qt-free layers meet the GUI thread.

The store tells its listeners about changes on whatever thread wrote; the bridge
turns that into a Qt signal delivered on the GUI thread, coalesced so that a burst
of feed writes causes one refresh. Reads of the store run in the thread pool and
hand their result back by a queued signal: the GUI thread only paints and reacts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot
from shiboken6 import isValid

from commandcenter.store import ChangeEvent, Store

log = logging.getLogger(__name__)


class StoreBridge(QObject):
    """Emits `changed(kind)` on the GUI thread, at most once per `coalesce_ms` a kind."""

    changed = Signal(str)
    _raw = Signal(str)

    def __init__(self, store: Store, coalesce_ms: int = 250, parent: QObject | None = None):
        super().__init__(parent)
        self.store = store
        self._pending: set[str] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(coalesce_ms)
        self._timer.timeout.connect(self._flush)
        # queued: the store calls us on a feed thread
        self._raw.connect(self._note)
        self._unsubscribe = store.subscribe(self._on_store_change)

    def _on_store_change(self, event: ChangeEvent) -> None:
        self._raw.emit(event.kind)

    @Slot(str)
    def _note(self, kind: str) -> None:
        self._pending.add(kind)
        if not self._timer.isActive():
            self._timer.start()

    @Slot()
    def _flush(self) -> None:
        kinds, self._pending = self._pending, set()
        for kind in sorted(kinds):
            self.changed.emit(kind)

    def close(self) -> None:
        self._unsubscribe()


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(str)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay):
        super().__init__()
        self._work = work
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._work()
        except Exception as exc:  # reported to the panel, never lost in a thread
            log.exception("a background read failed")
            self._deliver(self._relay.failed, f"{type(exc).__name__}: {exc}")
            return
        self._deliver(self._relay.done, result)

    def _deliver(self, signal, value) -> None:
        if isValid(self._relay):  # the panel may have closed while we read
            signal.emit(value)


class BackgroundReader(QObject):
    """Runs store reads in the pool, one at a time per name. Asked again while a read
    runs, it runs once more when that one ends (with the newest request), so a burst
    of changes costs two reads, not one per change, and no result is ever older than
    the last request."""

    def __init__(self, pool: QThreadPool | None = None, parent: QObject | None = None):
        super().__init__(parent)
        if pool is None:
            # one reader at a time: the GUI thread competes for the interpreter with
            # every Python thread, and the feeds already run several
            pool = QThreadPool(self)
            pool.setMaxThreadCount(1)
        self._pool = pool
        self._running: set[str] = set()
        self._queued: dict[str, tuple] = {}
        self._relays: set[_Relay] = set()

    def read(self, name: str, work: Callable[[], Any], on_done: Callable[[Any], None],
             on_error: Callable[[str], None] | None = None) -> None:
        if name in self._running:
            self._queued[name] = (work, on_done, on_error)
            return
        self._running.add(name)
        relay = _Relay(self)  # lives in the GUI thread: its signals arrive there

        def finish() -> None:
            self._relays.discard(relay)
            self._running.discard(name)
            queued = self._queued.pop(name, None)
            if queued is not None and isValid(self):
                self.read(name, *queued)

        def finished(result: Any) -> None:
            if isValid(self) and name not in self._queued:
                on_done(result)
            finish()

        def failed(message: str) -> None:
            if on_error is not None and isValid(self) and name not in self._queued:
                on_error(message)
            finish()

        relay.done.connect(finished)
        relay.failed.connect(failed)
        self._relays.add(relay)
        self._pool.start(_Job(work, relay))

    def busy(self) -> bool:
        return bool(self._running)

    def wait(self, msecs: int = 10_000) -> bool:
        return self._pool.waitForDone(msecs)
