"""Where the Qt-free layers meet the GUI thread.

The store tells its listeners about changes on whatever thread wrote; the bridge
turns that into a Qt signal delivered on the GUI thread, coalesced so that a burst
of feed writes causes one refresh. Reads of the store run in the thread pool and
hand their result back by a queued signal: the GUI thread only paints and reacts.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot
from shiboken6 import isValid

from commandcenter.store import ChangeEvent, Store
from commandcenter.ui.workers.post import open_office, post_to_gui

log = logging.getLogger(__name__)


class StoreBridge(QObject):
    """Tells the GUI thread of the store's changes: the first change of a kind after a
    quiet spell of that kind at once (an alert must not wait for a window opened by the
    feed health written a moment before), the rest of a burst together at the window's
    end.

    `changes` carries a ChangeEvent with the keys that changed since the kind's last
    event (None: unknown, read everything of the kind), so that a view can read and
    redraw just those records; `changed` follows it with the kind alone.
    """

    changes = Signal(object)  # ChangeEvent(kind, keys)
    changed = Signal(str)
    _raw = Signal(object)

    def __init__(self, store: Store, coalesce_ms: int = 250, parent: QObject | None = None):
        super().__init__(parent)
        self.store = store
        self._pending: dict[str, set[str] | None] = {}  # kind -> keys (None: unknown)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(coalesce_ms)
        self._timer.timeout.connect(self._flush)
        self._coalesce_s = coalesce_ms / 1000
        self._last_emit: dict[str, float] = {}  # kind -> when it was last emitted
        # queued: the store calls us on a feed thread
        self._raw.connect(self._note)
        self._unsubscribe = store.subscribe(self._on_store_change)

    def _on_store_change(self, event: ChangeEvent) -> None:
        self._raw.emit(event)

    @Slot(object)
    def _note(self, event: ChangeEvent) -> None:
        kind = event.kind
        now = time.monotonic()
        if (
            kind not in self._pending
            and now - self._last_emit.get(kind, float("-inf")) >= self._coalesce_s
        ):
            self._last_emit[kind] = now
            self._emit(kind, event.keys)
            return
        if kind in self._pending:
            keys = self._pending[kind]
            if keys is not None:
                if event.keys is None:
                    self._pending[kind] = None
                else:
                    keys.update(event.keys)
        else:
            self._pending[kind] = None if event.keys is None else set(event.keys)
        if not self._timer.isActive():
            self._timer.start()

    @Slot()
    def _flush(self) -> None:
        pending, self._pending = self._pending, {}
        now = time.monotonic()
        for kind in sorted(pending):
            self._last_emit[kind] = now
            self._emit(kind, pending[kind])

    def _emit(self, kind: str, keys) -> None:
        self.changes.emit(ChangeEvent(kind, None if keys is None else frozenset(keys)))
        self.changed.emit(kind)

    def close(self) -> None:
        self._unsubscribe()


class _Relay(QObject):
    done = Signal(object, float)
    failed = Signal(str, float)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay, clock: Callable[[], float]):
        super().__init__()
        self._work = work
        self._relay = relay
        self._clock = clock

    def run(self) -> None:
        started = self._clock()
        try:
            result = self._work()
        except Exception as exc:  # reported to the panel, never lost in a thread
            log.exception("a background read failed")
            self._deliver(
                self._relay.failed, f"{type(exc).__name__}: {exc}", self._clock() - started
            )
            return
        self._deliver(self._relay.done, result, self._clock() - started)

    def _deliver(self, signal, value, seconds: float) -> None:
        # the panel may close while we read: delivered only if the relay is still there
        post_to_gui(self._relay, signal.emit, value, seconds)


class GuiThreadGarbageCollector(QObject):
    """Runs Python's cycle collector on the GUI thread only.

    Left automatic, the collector runs in whichever thread happens to allocate; when a
    reader thread frees a cycle holding a Qt object while the GUI thread deletes
    another, the two wait on each other (Qt's signal lock against the interpreter
    lock) and the window freezes for good. So automatic collection is off, and a timer
    collects the young generations as their thresholds say; the full collection, whose
    cost grows with everything the client holds, at most every `full_every_s`. What
    survives the first full collection is frozen out of the later ones.
    """

    _installed: GuiThreadGarbageCollector | None = None

    def __init__(
        self, interval_ms: int = 200, full_every_s: float = 60.0, parent: QObject | None = None
    ):
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        self.full_every_s = full_every_s
        self._last_full = time.monotonic()
        self._settled = False
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.collect)
        self._timer.start(interval_ms)
        gc.disable()

    @classmethod
    def install(cls) -> GuiThreadGarbageCollector:
        """Idempotent: one collector for the process, owned by the application."""
        if cls._installed is None or not isValid(cls._installed):
            from PySide6.QtCore import QCoreApplication

            cls._installed = cls(parent=QCoreApplication.instance())
        return cls._installed

    @classmethod
    def uninstall(cls) -> None:
        """Give collection back to the interpreter: automatic, and nothing frozen."""
        collector, cls._installed = cls._installed, None
        if collector is not None and isValid(collector):
            collector._timer.stop()
            collector.deleteLater()
        gc.unfreeze()
        gc.enable()

    @Slot()
    def collect(self) -> None:
        young, middle, old = gc.get_count()
        t0, t1, t2 = self.thresholds
        if young <= t0:
            return
        if middle <= t1:
            gc.collect(0)
        elif old <= t2 or time.monotonic() - self._last_full < self.full_every_s:
            gc.collect(1)
        else:
            gc.collect(2)
            self._last_full = time.monotonic()
            if not self._settled:
                # What survives the first minute is mostly the program itself (modules,
                # classes, widgets: ~170,000 objects), which lives as long as the window.
                # Scanned at every full collection it made each one a 150 ms stall.
                gc.freeze()
                self._settled = True


class BackgroundReader(QObject):
    """Runs store reads off the GUI thread, one at a time, and paces them.

    Reads are Python work: while one runs, every Python callback of the GUI thread
    (a paint, a model's data()) first waits for the interpreter. So the reader rests
    after each read, long enough that reading takes at most `max_share` of the time;
    a full sync that changes the store many times a second then costs the GUI thread a
    bounded share instead of all of it. The cost is more than the share: each of the
    hundreds of Python calls in one repaint waits its turn for the interpreter. So the
    share is small; but a rest never passes `max_rest_ms`, so
    that one long read (every point of the city) does not hold the next change back
    for seconds: a point's new status must reach every desk within a second.

    Requests are kept per name: asked again while its read waits or runs, a name is
    read once more afterwards (with the newest request), so a burst of changes costs
    two reads, not one per change, and no result is older than the last request.
    `urgent` requests (an operator's own action) go first and skip the rest;
    unpaced ones (a panel's first read, while it is still empty) skip it too.
    """

    def __init__(
        self,
        pool: QThreadPool | None = None,
        parent: QObject | None = None,
        *,
        max_share: float = 0.08,
        max_rest_ms: int = 500,
        clock: Callable[[], float] = time.perf_counter,
    ):
        super().__init__(parent)
        GuiThreadGarbageCollector.install()
        self._clock = clock  # seconds: how long each read took, for its rest
        if pool is None:
            pool = QThreadPool(self)
            pool.setMaxThreadCount(1)
        self._pool = pool
        self.max_share = max_share
        self.max_rest_ms = max_rest_ms
        self._waiting: dict[str, tuple] = {}  # name -> (work, on_done, on_error), in arrival order
        self._urgent: set[str] = set()
        self._unpaced: set[str] = set()
        self._running: str | None = None
        self._current: tuple | None = None  # (on_done, on_error, paced) of the read that runs
        # One relay for every read (they run one at a time): it lives in the GUI thread, so
        # its signals arrive there. A relay per read, deleted after, could be deleted while
        # the worker thread still let go of its reference to it.
        open_office()
        self._relay = _Relay(self)
        self._relay.done.connect(self._finished)
        self._relay.failed.connect(self._failed)
        self._rest = QTimer(self)
        self._rest.setSingleShot(True)
        self._rest.timeout.connect(self._pump)
        self._closed = False

    def read(
        self,
        name: str,
        work: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[str], None] | None = None,
        *,
        urgent: bool = False,
        paced: bool = True,
    ) -> None:
        if self._closed:
            return
        self._waiting.pop(name, None)
        self._waiting[name] = (work, on_done, on_error)
        if urgent:
            self._urgent.add(name)
        if urgent or not paced:
            self._unpaced.add(name)
        self._pump()

    def _pump(self) -> None:
        if self._running is not None or not self._waiting or self._closed:
            return
        name = next((n for n in self._waiting if n in self._urgent), None) or next(
            (n for n in self._waiting if n in self._unpaced), None
        )
        if name is None:
            if self._rest.isActive():
                return
            name = next(iter(self._waiting))
        self._urgent.discard(name)
        paced = name not in self._unpaced
        self._unpaced.discard(name)
        work, on_done, on_error = self._waiting.pop(name)
        self._running = name
        self._current = (on_done, on_error, paced)
        self._pool.start(_Job(work, self._relay, self._clock))

    def _finished(self, result: Any, seconds: float) -> None:
        assert self._current is not None  # set when the read was started
        on_done, _on_error, paced = self._current
        try:
            if not self._closed:
                on_done(result)
        finally:
            self._finish(seconds, paced)

    def _failed(self, message: str, seconds: float) -> None:
        assert self._current is not None  # set when the read was started
        _on_done, on_error, paced = self._current
        try:
            if on_error is not None and not self._closed:
                on_error(message)
        finally:
            self._finish(seconds, paced)

    def _finish(self, seconds: float, paced: bool) -> None:
        self._running, self._current = None, None
        if self._closed:
            return
        rest_ms = min(self.max_rest_ms, int(seconds * 1000 * (1 - self.max_share) / self.max_share))
        if paced and rest_ms > 0:
            self._rest.start(rest_ms)
        self._pump()

    def busy(self) -> bool:
        return self._running is not None or bool(self._waiting)

    def close(self, msecs: int = 10_000) -> bool:
        """Drop what has not started and wait for the read that has."""
        self._closed = True
        self._waiting.clear()
        self._rest.stop()
        return self._pool.waitForDone(msecs)
