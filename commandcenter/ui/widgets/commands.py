"""The operator's commands (commandcenter.services) off the GUI thread: each runs as a
job (workers/jobs.py) on a lane of one worker, so that they are written in the order
they were given (an acknowledgement before the closing that follows it, a roll call's
answers one after another), and comes back as its result or a translated message."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThreadPool, Signal
from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

from commandcenter.services import CommandFailed
from commandcenter.ui.workers.jobs import Job, one_step

log = logging.getLogger(__name__)


def failure_text(what: str, error: BaseException) -> str:
    """What the operator reads when a command failed: which one, that none of it was
    kept, and why (the database's words, or the fault's name)."""
    why = error.reason if isinstance(error, CommandFailed) else f"{type(error).__name__}: {error}"
    return (
        QCoreApplication.translate("CommandLane", "%1 failed, nothing of it was kept: %2")
        .replace("%1", what)
        .replace("%2", why)
    )


class CommandLane(QObject):
    """Runs the operator's commands off the GUI thread, one after another. `failed`
    carries the message of each command that failed (the window shows it in its status
    bar); the caller's `on_failed` shows it where the command was given."""

    failed = Signal(str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # in the order given
        self._jobs: set[Job] = set()

    def run(
        self,
        what: str,
        call: Callable[[], Any],
        *,
        owner: QObject,
        on_done: Callable[[Any], None] | None = None,
        on_failed: Callable[[str], None] | None = None,
        busy: Sequence[QWidget] = (),
    ) -> Job:
        """Run `call` (a command of the services) in the lane. `what` names it for the
        operator ("Acknowledging the alert"); `on_done` gets its result and `on_failed`
        the message, on the GUI thread, while `owner` (the panel) still exists. `busy`:
        the buttons that gave the command, disabled while it runs and given back as
        they were whatever the outcome (before `on_done` or `on_failed` may change them)."""
        job = Job(one_step(call), name=what, pool=self._pool, parent=self)
        self._jobs.add(job)
        enabled = [(widget, widget.isEnabled()) for widget in busy]
        for widget, _was in enabled:
            widget.setEnabled(False)

        def restore() -> None:
            for widget, was in enabled:
                if isValid(widget):
                    widget.setEnabled(was)

        def succeeded(result: Any) -> None:
            restore()
            if on_done is not None and isValid(owner):
                on_done(result)

        def failed(error: BaseException) -> None:
            restore()
            text = failure_text(what, error)
            self.failed.emit(text)
            if on_failed is not None and isValid(owner):
                on_failed(text)

        job.succeeded.connect(succeeded)
        job.failed.connect(failed)
        job.cancelled.connect(restore)
        job.ended.connect(lambda: self._ended(job))
        job.start()
        return job

    def _ended(self, job: Job) -> None:
        self._jobs.discard(job)
        job.deleteLater()

    def busy(self) -> bool:
        return bool(self._jobs)

    def wait(self, msecs: int = 10_000) -> bool:
        """Wait for the commands given to be written (the window closing)."""
        return self._pool.waitForDone(msecs)
