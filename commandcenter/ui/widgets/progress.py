"""A job's progress where the operator sees it: a dialog that does not block the
console (alerts keep coming, the wall keeps playing), with the step in words, a bar
and Cancel, shown only when the work takes long enough to need one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from commandcenter.ui.widgets.placement import keep_on_screen
from commandcenter.ui.widgets.text import literal
from commandcenter.ui.workers.jobs import Job, JobSteps, Progress

SHOW_AFTER_MS = 400


class JobProgressDialog(QProgressDialog):
    """Follows one job; Cancel asks it to stop at its next step and says so."""

    def __init__(self, job: Job, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("jobProgress")
        self.job = job
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.setLabelText(self.tr("Starting…"))
        self.setCancelButtonText(self.tr("Cancel"))
        self.setMinimumWidth(420)
        self.setAutoClose(False)
        self.setAutoReset(False)
        # shown by our timer, not by QProgressDialog's guess of the time left
        self.setMinimumDuration(2**31 - 1)
        self.setRange(0, 0)
        self.canceled.connect(self._cancel)
        job.progressed.connect(self._progressed)
        job.ended.connect(self._ended)
        self._show_timer = QTimer(self)
        self._show_timer.setSingleShot(True)
        self._show_timer.timeout.connect(self._appear)

    def start(self, show_after_ms: int = SHOW_AFTER_MS) -> None:
        self._show_timer.start(show_after_ms)

    def _appear(self) -> None:
        if self.job.running:
            self.show()
            keep_on_screen(self)
            self.raise_()

    def _progressed(self, progress: Progress) -> None:
        if self.job.cancelling:
            return
        if progress.total > 0:
            self.setRange(0, progress.total)
            self.setValue(progress.done)
        self.setLabelText(
            self.tr("%1 (step %2 of %3)")
            .replace("%1", progress.text)
            .replace("%2", str(min(progress.done + 1, progress.total)))
            .replace("%3", str(progress.total))
        )

    def _cancel(self) -> None:
        self.job.cancel()
        self.setLabelText(self.tr("Cancelling: stopping after the current step…"))
        # QProgressDialog hides itself on Cancel; this one stays until the job has stopped
        self.show()

    def _ended(self) -> None:
        self._show_timer.stop()
        self.close()
        self.deleteLater()


def run_job(
    parent: QWidget,
    title: str,
    steps: JobSteps,
    *,
    on_done: Callable[[Any], None],
    failure: str,
    on_cancelled: Callable[[], None] | None = None,
    button: QWidget | None = None,
) -> Job:
    """Start `steps` in a worker with a progress dialog over `parent`. When it ends,
    on the GUI thread: `on_done(result)`; a warning titled `failure` that says why; or
    `on_cancelled()`. `button` (what started it) is disabled until then."""
    job = Job(steps, name=title, parent=parent)
    job.succeeded.connect(on_done)
    job.failed.connect(lambda exc: QMessageBox.warning(parent, failure, literal(exc)))
    if on_cancelled is not None:
        job.cancelled.connect(on_cancelled)
    if button is not None:
        button.setEnabled(False)
        job.ended.connect(lambda: button.setEnabled(True))
    job.ended.connect(job.deleteLater)
    dialog = JobProgressDialog(job, title, parent)
    dialog.start()
    job.start()
    return job
