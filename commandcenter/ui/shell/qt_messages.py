"""Qt's own messages (a platform plugin's warning, a font not found, a failed
connection) go into the client's log like any other, by category (`qt.qpa.xcb`)."""

from __future__ import annotations

import logging

from PySide6.QtCore import QtMsgType, qInstallMessageHandler

LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}

_previous = None


def _handle(kind: QtMsgType, context, message: str) -> None:
    category = getattr(context, "category", None) or "default"
    if category == "default":
        name = "qt"
    else:  # Qt's categories mostly begin with "qt." already
        name = category if category == "qt" or category.startswith("qt.") else f"qt.{category}"
    logger = logging.getLogger(name)
    level = LEVELS.get(kind, logging.WARNING)
    if logger.isEnabledFor(level):
        where = ""
        if getattr(context, "file", None):
            where = f" ({context.file}:{context.line}, {context.function})"
        logger.log(level, "%s%s", message, where)
    if _previous is not None:  # a handler installed before ours (a test's) still hears it
        _previous(kind, context, message)


def bridge_qt_messages() -> None:
    """Route Qt's messages into `logging`; the handler that was there hears them too."""
    global _previous
    previous = qInstallMessageHandler(_handle)
    if previous is not _handle:
        _previous = previous
