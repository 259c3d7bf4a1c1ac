"""A thread-safe list of callbacks, for the parts that tell others of changes.

Listeners are called outside the lock (a listener may add or remove listeners), and one
that raises is logged and does not keep the news from the others."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")

log = logging.getLogger(__name__)


class Listeners(Generic[T]):
    """The listeners of one kind of news, each told in turn, a failing one logged."""

    def __init__(self, what: str):
        self._what = what  # named in the log when a listener fails
        self._entries: list[tuple[Callable[[T], None], bool]] = []
        self._lock = threading.Lock()

    def add(
        self, listener: Callable[[T], None], *, every: bool = True, first: bool = False
    ) -> Callable[[], None]:
        """Returns the function that removes `listener` again. A listener added with
        `every=False` hears only news (see `tell`); one added `first` hears before those
        there already (a cache that the others read when they hear must know first)."""
        entry = (listener, every)
        with self._lock:
            if first:
                self._entries.insert(0, entry)
            else:
                self._entries.append(entry)

        def remove() -> None:
            with self._lock:
                if entry in self._entries:
                    self._entries.remove(entry)

        return remove

    def tell(self, value: T, *, news: bool = True) -> None:
        """Call the listeners with `value`; when it is not `news`, only those that asked
        for every call."""
        with self._lock:
            listeners = [listener for listener, every in self._entries if news or every]
        for listener in listeners:
            try:
                listener(value)
            except Exception:
                log.exception("a listener of %s failed", self._what)
