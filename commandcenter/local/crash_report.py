"""The report of an unexpected exception, for support: what, where, which versions,
and the last lines of the log, with every secret scrubbed out (redaction.py)."""

from __future__ import annotations

import platform
import sys
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType

from commandcenter import __version__
from commandcenter.local import logs
from commandcenter.local.redaction import scrub

LOG_LINES = 40
SUMMARY_CHARS = 300


@dataclass(frozen=True)
class CrashReport:
    summary: str  # the exception in one line, e.g. "ValueError: bad tile"
    where: str  # the innermost frame of our own code (else the innermost): file, line, function
    thread: str
    text: str  # the whole report, scrubbed


def _where(tb: TracebackType | None) -> str:
    frames = traceback.extract_tb(tb)
    if not frames:
        return "?"
    ours = [f for f in frames if "commandcenter" in f.filename.replace("\\", "/")]
    frame = (ours or frames)[-1]
    parts = Path(frame.filename).parts
    short = (
        "/".join(parts[parts.index("commandcenter") :])
        if "commandcenter" in parts
        else frame.filename
    )
    return f"{short}:{frame.lineno} ({frame.name})"


def build_report(
    exc_type: type[BaseException],
    exc: BaseException | None,
    tb: TracebackType | None,
    *,
    thread: str,
    context: Mapping[str, str] | None = None,
    log_file: Path | None = None,
    now: datetime | None = None,
) -> CrashReport:
    """The report of one exception; every part of it scrubbed."""
    message = str(exc).strip().splitlines()[0] if exc is not None and str(exc).strip() else ""
    summary = scrub(f"{exc_type.__name__}: {message}" if message else exc_type.__name__)
    if len(summary) > SUMMARY_CHARS:
        summary = summary[: SUMMARY_CHARS - 1] + "…"
    log_file = log_file or logs.current_log_file()
    header = {
        "time": f"{(now or datetime.now().astimezone()):%Y-%m-%d %H:%M:%S %z}",
        "version": f"commandcenter {__version__}",
        "python": f"{platform.python_version()} ({sys.executable})",
        "system": platform.platform(),
        **(context or {}),
        "thread": thread,
        "log file": str(log_file) if log_file else "none",
    }
    width = max(len(k) for k in header) + 2
    lines = ["commandcenter crash report (错误报告)", ""]
    lines += [f"{key + ':':<{width}}{value}" for key, value in header.items()]
    lines += ["", *"".join(traceback.format_exception(exc_type, exc, tb)).rstrip().splitlines()]
    tail = logs.last_lines(log_file, LOG_LINES)
    if tail:
        lines += ["", f"last {len(tail)} lines of the log:", *tail]
    return CrashReport(
        summary=summary,
        where=scrub(_where(tb)),
        thread=thread,
        text=scrub("\n".join(lines)) + "\n",
    )
