"""One timer of the GUI thread that puts the pictures the stream readers left on screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

if TYPE_CHECKING:
    from commandcenter.ui.video.tile import VideoTile

PUMP_INTERVAL_MS = 8  # well under a frame's 40 ms, so a picture waits little and is rarely replaced


class FramePump(QObject):
    """Puts the pictures the readers left in their tiles' slots on screen, all of them
    on one timer of the GUI thread. A queued signal per picture instead wakes the GUI
    thread and hands the interpreter lock over for every one of them, which at 36 tiles
    and 25 fps costs more than drawing them; and pictures taken together are painted
    and sent to the screen in one pass."""

    def __init__(self) -> None:
        super().__init__()
        self._tiles: set[VideoTile] = set()
        self._timer = QTimer(self)
        self._timer.setInterval(PUMP_INTERVAL_MS)
        self._timer.timeout.connect(self._pump)

    def add(self, tile: VideoTile) -> None:
        self._tiles.add(tile)
        if not self._timer.isActive():
            self._timer.start()

    def discard(self, tile: VideoTile) -> None:
        self._tiles.discard(tile)
        if not self._tiles:
            self._timer.stop()

    def _pump(self) -> None:
        for tile in list(self._tiles):
            try:
                tile._take_picture()
            except RuntimeError:  # the tile's widget was deleted while it played
                self.discard(tile)


_pump: FramePump | None = None


def frame_pump() -> FramePump:
    global _pump
    if _pump is None:
        _pump = FramePump()
    return _pump
