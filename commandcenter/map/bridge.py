"""The page's ways back to Python: its console messages into our log, and its QWebChannel
object for clicks and readiness."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWebEngineCore import (
    QWebEnginePage,
)

log = logging.getLogger(__name__)


class LoggingPage(QWebEnginePage):
    """The page's own errors go to our log, not to the console unseen."""

    def javaScriptConsoleMessage(self, level, message, line, source) -> None:  # noqa: N802 - Qt's name
        if level == QWebEnginePage.JavaScriptConsoleMessageLevel.ErrorMessageLevel:
            log.error("map page: %s (%s:%d)", message, source, line)
        else:
            log.debug("map page: %s (%s:%d)", message, source, line)


class MapBridge(QObject):
    """The page's way back to Python (QWebChannel object "bridge")."""

    ready = Signal()
    clicked = Signal(str)

    @Slot()
    def pageReady(self) -> None:  # noqa: N802 - called from JavaScript
        self.ready.emit()

    @Slot(str)
    def pointClicked(self, point_id: str) -> None:  # noqa: N802 - called from JavaScript
        self.clicked.emit(point_id)
