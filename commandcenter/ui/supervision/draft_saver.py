"""An inspection draft written as it is typed, off the GUI thread: the newest version of
each draft, a moment after the last keystroke."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from commandcenter.domain.inspection import (
    Draft,
)
from commandcenter.services import CommandFailed

log = logging.getLogger(__name__)


class DraftSaver:
    """Saves the newest state of a draft from a thread of its own: typing never waits
    for the disk, and a burst of keys is one write."""

    def __init__(self, save: Callable[[Draft], None]):
        """`save`: keeps a draft (the inspection commands' save_draft)."""
        self._write = save
        self._pending: Draft | None = None
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._stop = False
        self._thread = threading.Thread(target=self._run, name="draft-saver", daemon=True)
        self._thread.start()

    def save(self, draft: Draft) -> None:
        with self._lock:
            self._pending = draft
            self._idle.clear()
        self._wake.set()

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until everything handed over is written."""
        return self._idle.wait(timeout)

    def close(self) -> None:
        self.flush()
        self._stop = True
        self._wake.set()
        self._thread.join(5)

    def _run(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            with self._lock:
                draft, self._pending = self._pending, None
            if draft is not None:
                try:
                    self._write(draft)
                except CommandFailed as exc:  # the next change writes the whole draft again
                    log.error("the draft %s could not be saved: %s", draft.draft_id, exc.reason)
                except Exception:  # a fault of ours: its traceback, and the next change tries again
                    log.exception("the draft %s could not be saved", draft.draft_id)
            with self._lock:
                if self._pending is None:
                    self._idle.set()
            if self._stop:
                return
