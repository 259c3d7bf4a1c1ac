"""Log files: one per kind of process, rotated, in the user's log folder, scrubbed of
secrets; warnings and errors also on the terminal.

The desktop writes `commandcenter.log`, its collector process `collector.log`, and
the command-line tools a file of their own each (`sync.log`, …): two processes never
rotate one file. Size and count of the rotated files come from `[logging]`.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
from collections import deque
from pathlib import Path

import platformdirs

from commandcenter.local.redaction import scrub

APP_NAME = "commandcenter"
ENV_LOG_DIR = "COMMANDCENTER_LOG_DIR"
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
DEFAULT_FILE_LEVEL = "INFO"
DEFAULT_TERMINAL_LEVEL = "WARNING"
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_BACKUPS = 5
FORMAT = "%(asctime)s %(levelname)s [%(processName)s %(threadName)s] %(name)s: %(message)s"
TERMINAL_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def default_log_dir(environ: dict[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    if env.get(ENV_LOG_DIR):
        return Path(env[ENV_LOG_DIR]).expanduser()
    return Path(platformdirs.user_log_dir(APP_NAME))


class ScrubbingFormatter(logging.Formatter):
    """Formats as usual, then hides every secret in the line (message, arguments,
    traceback alike): a log file is sent to support and read by others."""

    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record))


class _OurHandler:
    """Marks the handlers this module installed, so that configuring again replaces
    them and leaves others' (pytest's, an embedding program's) alone."""


class _RotatingFile(_OurHandler, logging.handlers.RotatingFileHandler):
    pass


class _Terminal(_OurHandler, logging.StreamHandler):
    pass


class _ErrorsOnlyFrom(logging.Filter):
    """Keeps the warnings of these loggers (and their children) off the terminal; their
    errors still show, and the log file keeps everything."""

    def __init__(self, prefixes: tuple[str, ...]):
        super().__init__()
        self._prefixes = prefixes

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.ERROR:
            return True
        name = record.name
        return not any(name == p or name.startswith(p + ".") for p in self._prefixes)


_current_file: Path | None = None


def configure(
    name: str,
    *,
    file_level: str | None = None,
    terminal_level: str | None = None,
    terminal_quiet: tuple[str, ...] = (),
    folder: Path | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    backups: int = DEFAULT_BACKUPS,
) -> Path | None:
    """Log to `<folder>/<name>.log` at `file_level` (default INFO) and to stderr at
    `terminal_level` (default WARNING). Returns the file, or None when it cannot be
    opened (then said once on stderr, and the terminal still gets the log)."""
    global _current_file
    root = logging.getLogger()
    for ours in [h for h in root.handlers if isinstance(h, _OurHandler)]:
        root.removeHandler(ours)
        ours.close()
    file_level = file_level or DEFAULT_FILE_LEVEL
    terminal_level = terminal_level or DEFAULT_TERMINAL_LEVEL
    terminal = _Terminal(sys.stderr)
    terminal.setLevel(terminal_level)
    if terminal_quiet:
        terminal.addFilter(_ErrorsOnlyFrom(terminal_quiet))
    terminal.setFormatter(ScrubbingFormatter(TERMINAL_FORMAT))
    root.addHandler(terminal)
    levels = [logging.getLevelName(terminal_level)]
    folder = folder or default_log_dir()
    path = folder / f"{name}.log"
    _current_file = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = _RotatingFile(path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8")
    except OSError as exc:
        # the log file is what failed: the terminal is where this can still be read
        print(  # noqa: T201
            f"commandcenter: no log file: {path} cannot be written ({exc.strerror or exc})",
            file=sys.stderr,
        )
    else:
        handler.setLevel(file_level)
        handler.setFormatter(ScrubbingFormatter(FORMAT))
        root.addHandler(handler)
        levels.append(logging.getLevelName(file_level))
        _current_file = path
    root.setLevel(min(levels))
    logging.captureWarnings(True)
    return _current_file


def current_log_file() -> Path | None:
    """The file this process logs to, if any."""
    return _current_file


def last_lines(path: Path | None, count: int = 60) -> list[str]:
    """The last `count` lines of a log file (none if it cannot be read)."""
    if path is None:
        return []
    try:
        with path.open(encoding="utf-8", errors="replace") as f:
            return [line.rstrip("\n") for line in deque(f, maxlen=count)]
    except OSError:
        return []
