"""Scrubbing secrets out of text that leaves the process: log files and crash reports.

What counts as a secret: every value held in a `Secret` or `remember`ed (the SK, a
database password, a map key), the values of environment variables whose names say
they are secret (…_SK, …SECRET…, …PASSWORD…, …TOKEN…, …KEY), the user-info part of
URLs (`postgresql://cc:pw@db` keeps neither name nor password), and the value after
a name such as `password=`, `"sk": ` or `Authorization: Bearer`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping

from commandcenter.domain.secret import MIN_REMEMBERED, known_secrets

MASK = "***"

_SECRET_WORDS = ("SECRET", "PASSWORD", "PASSWD", "TOKEN")
_SECRET_PARTS = {"SK", "KEY", "APIKEY", "CREDENTIALS"}  # not PWD: the working folder

_URL_USERINFO = re.compile(r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.\-]*://)[^/\s@?#'\"]+@")
_NAMED_VALUE = re.compile(
    r"(?ix)"
    r"(?P<name>\b(?:sk|secret(?:[_-]?key)?|client[_-]?secret|password|passwd|pwd|"
    r"(?:access[_-]?|refresh[_-]?)?token|api[_-]?key|tianditu[_-]?key|app[_-]?secret)\b)"
    r"(?P<sep>[\"']?\s*[:=]\s*)"
    r"(?P<quote>[\"']?)"
    r"(?P<value>[^\s\"',;&)}\]]+)"
)
_BEARER = re.compile(r"(?i)\b(?P<scheme>bearer|basic)\s+[A-Za-z0-9._~+/=*\-]{8,}")


def secret_environment(environ: Mapping[str, str] | None = None) -> set[str]:
    """The values of environment variables whose names say they hold a secret."""
    env = os.environ if environ is None else environ
    found = set()
    for name, value in env.items():
        if len(value) < MIN_REMEMBERED:
            continue
        upper = name.upper()
        parts = set(re.split(r"[^A-Z0-9]+", upper))
        if parts & _SECRET_PARTS or any(word in upper for word in _SECRET_WORDS):
            found.add(value)
    return found


def scrub(
    text: str,
    *,
    secrets: Iterable[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> str:
    """`text` with every secret replaced by ***. `secrets`: more values to hide."""
    values = set(known_secrets()) | secret_environment(environ)
    values.update(s for s in secrets or () if s and len(s) >= MIN_REMEMBERED)
    # longest first: a secret that contains another is hidden whole
    for value in sorted(values, key=len, reverse=True):
        if value in text:
            text = text.replace(value, MASK)
    text = _URL_USERINFO.sub(lambda m: f"{m['scheme']}{MASK}@", text)
    text = _NAMED_VALUE.sub(lambda m: f"{m['name']}{m['sep']}{m['quote']}{MASK}", text)
    return _BEARER.sub(lambda m: f"{m['scheme']} {MASK}", text)
