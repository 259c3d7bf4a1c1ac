"""A value that must never be printed: the data center's SK, a password, a key.

Every Secret made in this process is remembered (as are values `remember`ed, secrets
that arrive as plain text, such as a password inside a database URL), so that text
leaving the process (a log line, a crash report) can be scrubbed of them wherever
they turn up, even in a traceback's local variables or an exception's message.
"""

from __future__ import annotations

import threading
from typing import NoReturn

# shorter values would be scrubbed out of ordinary words
MIN_REMEMBERED = 4

_remembered: set[str] = set()
_lock = threading.Lock()


def remember(value: str | None) -> None:
    """Count `value` as a secret from now on (ignored when empty or very short)."""
    if isinstance(value, str) and len(value) >= MIN_REMEMBERED:
        with _lock:
            _remembered.add(value)


def known_secrets() -> frozenset[str]:
    """Every secret value this process has seen."""
    with _lock:
        return frozenset(_remembered)


class Secret:
    """A secret that never shows in a repr, a log line or a pickle."""

    __slots__ = ("_value",)

    def __init__(self, value: str):
        if not isinstance(value, str) or not value:
            raise ValueError("a secret must be a non-empty string")
        self._value = value
        remember(value)

    def reveal(self) -> str:
        """The secret's plain text, for the one place that needs it."""
        return self._value

    def __repr__(self) -> str:
        return "Secret(***)"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __reduce__(self) -> NoReturn:
        # Pickling would carry the value into crash dumps and caches.
        raise TypeError("a Secret cannot be pickled")
