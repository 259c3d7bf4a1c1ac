"""Long work of the operator's (an export, a report) off the GUI thread, in steps.

A job is a generator made on the GUI thread and run in a worker. It yields
`Progress` to say which step it is at, and `OnGui(call)` for the little that must
run on the GUI thread (drawing a chart widget into an image): the worker waits for
that call's result and goes on with it. Cancelling stops the job at its next step:
the generator is closed there, so its `finally` blocks remove what it half wrote.

One small relay per job lives on the GUI thread; the worker posts results, errors,
progress and GUI calls to it through the application's post office (`post`), which
delivers them only while the relay still exists. `run_inline` runs the same generator on the calling thread, for
scripts and tests that want the result at once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Generator
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal, Slot
from shiboken6 import isValid

from commandcenter.ui.workers.post import open_office, post_to_gui

log = logging.getLogger(__name__)

R = TypeVar("R")


@dataclass(frozen=True)
class Progress:
    """The step a job is at: `done` of `total` steps finished, `text` saying what now."""

    text: str
    done: int
    total: int


@dataclass(frozen=True)
class OnGui:
    """Yielded by a job: run `call` on the GUI thread; the yield returns its result."""

    call: Callable[[], Any]


JobSteps = Generator["Progress | OnGui", Any, R]


class Cancelled(Exception):
    """The job was cancelled, or the application is closing."""


def one_step(call: Callable[[], R]) -> JobSteps[R]:
    """A job of a single step: `call` in the worker, its result the job's."""
    return call()
    yield  # a generator: the worker runs the call, not the caller


def run_inline(steps: JobSteps[R]) -> R:
    """Run a job to its end on this thread (which must be the GUI thread when the job
    draws): its GUI calls are made here, its progress is ignored."""
    value: Any = None
    thrown: Exception | None = None
    while True:
        try:
            item = steps.throw(thrown) if thrown is not None else steps.send(value)
        except StopIteration as stop:
            return stop.value
        value, thrown = None, None
        if isinstance(item, OnGui):
            try:
                value = item.call()
            # any error of the GUI call is the job's to handle, as in the worker
            except Exception as exc:  # noqa: BLE001
                thrown = exc


class _Relay(QObject):
    """Lives on the GUI thread: the worker's signals arrive there."""

    progressed = Signal(object)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    gui_call = Signal(object, object)  # (call, Future)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.gui_call.connect(self._call)

    @Slot(object, object)
    def _call(self, call: Callable[[], Any], future: Future) -> None:
        if not future.set_running_or_notify_cancel():
            return
        try:
            future.set_result(call())
        # any error of the call is handed to the job, which may handle it
        except Exception as exc:  # noqa: BLE001
            future.set_exception(exc)


class _Worker(QRunnable):
    def __init__(self, job: Job, steps: JobSteps):
        super().__init__()
        self.setAutoDelete(True)
        self._job = job
        self._relay = job._relay
        self._steps: JobSteps | None = steps
        self._cancel = job._cancel
        self._abandoned = job._abandoned

    def run(self) -> None:
        steps, value, thrown = self._steps, None, None
        if steps is None:  # run once only
            return
        try:
            while True:
                if self._cancel.is_set():
                    steps.close()  # its finally blocks remove what it half wrote
                    self._emit(self._relay.cancelled)
                    return
                try:
                    item = steps.throw(thrown) if thrown is not None else steps.send(value)
                except StopIteration as stop:
                    self._emit(self._relay.succeeded, stop.value)
                    return
                value, thrown = None, None
                if isinstance(item, Progress):
                    self._emit(self._relay.progressed, item)
                elif isinstance(item, OnGui):
                    try:
                        value = self._on_gui(item.call)
                    except Cancelled:
                        steps.close()
                        self._emit(self._relay.cancelled)
                        return
                    # thrown into the job where it waits for the answer
                    except Exception as exc:  # noqa: BLE001
                        thrown = exc
        except Cancelled:
            self._emit(self._relay.cancelled)
        # the thread boundary: reported to whoever started the job, never lost in a thread
        except Exception as exc:  # noqa: BLE001
            log.warning("%s failed: %s: %s", self._job.name, type(exc).__name__, exc)
            self._emit(self._relay.failed, exc)
        finally:
            self._steps = None  # the generator goes here, not on another thread

    def _on_gui(self, call: Callable[[], Any]) -> Any:
        future: Future = Future()
        if self._abandoned.is_set():
            raise Cancelled()
        self._emit(self._relay.gui_call, call, future)
        while True:
            try:
                return future.result(timeout=0.1)
            except FutureTimeout:
                if self._abandoned.is_set() or not isValid(self._relay):  # nobody will answer
                    future.cancel()
                    raise Cancelled() from None

    def _emit(self, signal, *args) -> None:
        """Emit on the relay, on the GUI thread, if it still exists there."""
        post_to_gui(self._relay, signal.emit, *args)


class Job(QObject):
    """One job: `start()` it, hear `progressed` / `succeeded` / `failed` / `cancelled`
    (then `ended`), `cancel()` it. Signals arrive on the GUI thread."""

    progressed = Signal(object)  # Progress
    succeeded = Signal(object)  # the generator's return value
    failed = Signal(object)  # the exception
    cancelled = Signal()
    ended = Signal()

    def __init__(
        self,
        steps: JobSteps,
        *,
        name: str = "a job",
        pool: QThreadPool | None = None,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.name = name
        self._steps: JobSteps | None = steps
        self._pool = pool or QThreadPool.globalInstance()
        self._cancel = threading.Event()
        self._abandoned = threading.Event()
        self._running = False
        self.outcome: str | None = None  # succeeded, failed, cancelled
        self.result: Any = None
        self.error: BaseException | None = None
        self.last_progress: Progress | None = None
        open_office()
        self._relay = _Relay(self)
        self._relay.progressed.connect(self._progressed)
        self._relay.succeeded.connect(self._succeeded)
        self._relay.failed.connect(self._failed)
        self._relay.cancelled.connect(self._cancelled)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.abandon)
        # deleted with its panel while it runs: the worker must not wait for it
        cancel, abandoned = self._cancel, self._abandoned

        def let_go() -> None:
            cancel.set()
            abandoned.set()

        self.destroyed.connect(let_go)

    @property
    def running(self) -> bool:
        return self._running

    @property
    def cancelling(self) -> bool:
        return self._running and self._cancel.is_set()

    def start(self) -> None:
        if self._steps is None:
            raise RuntimeError("a job runs once")
        steps, self._steps = self._steps, None
        self._running = True
        self._pool.start(_Worker(self, steps))

    def cancel(self) -> None:
        """Stop at the next step; `cancelled` comes once it has."""
        self._cancel.set()

    @Slot()
    def abandon(self) -> None:
        """The application is closing: stop, and stop waiting for the GUI thread."""
        self._cancel.set()
        self._abandoned.set()

    @Slot(object)
    def _progressed(self, progress: Progress) -> None:
        self.last_progress = progress
        self.progressed.emit(progress)

    @Slot(object)
    def _succeeded(self, result: Any) -> None:
        self.result = result
        self._end("succeeded", self.succeeded, result)

    @Slot(object)
    def _failed(self, error: BaseException) -> None:
        self.error = error
        self._end("failed", self.failed, error)

    @Slot()
    def _cancelled(self) -> None:
        self._end("cancelled", self.cancelled)

    def _end(self, outcome: str, signal, *args) -> None:
        self._running = False
        self.outcome = outcome
        signal.emit(*args)
        self.ended.emit()
