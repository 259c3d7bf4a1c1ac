"""Dialogs kept on their screen: Qt centres a dialog over its window, and a window wider
than the screen (docks whose minimum widths add up past a 1366-pixel screen) would put
half of the dialog out of sight."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


def keep_on_screen(widget: QWidget) -> None:
    """Move `widget` (a shown window) so that all of it is on its screen, if it fits."""
    screen = widget.screen()
    if screen is None:
        return
    area = screen.availableGeometry()
    frame = widget.frameGeometry()
    x = min(max(frame.x(), area.x()), area.x() + max(0, area.width() - frame.width()))
    y = min(max(frame.y(), area.y()), area.y() + max(0, area.height() - frame.height()))
    if (x, y) != (frame.x(), frame.y()):
        widget.move(x, y)
