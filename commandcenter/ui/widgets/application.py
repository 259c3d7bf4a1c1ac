"""The running application, as the widgets see it."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication


def application() -> QApplication:
    """The QApplication every widget lives in."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    return app
