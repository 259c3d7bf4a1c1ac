"""Pan, tilt and zoom of a tile's camera: the keys that move it, and a move sent to the
data center with its refusal reported back."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from concurrent.futures import Future

from PySide6.QtCore import Qt

from commandcenter.feeds.cameras import CameraCommands

# PTZ by keyboard on the focused tile: arrows move, +/- zoom, releasing the key stops.
PTZ_KEYS = {
    Qt.Key.Key_Left: "left",
    Qt.Key.Key_Right: "right",
    Qt.Key.Key_Up: "up",
    Qt.Key.Key_Down: "down",
    Qt.Key.Key_Plus: "zoom_in",
    Qt.Key.Key_Equal: "zoom_in",
    Qt.Key.Key_Minus: "zoom_out",
}
PTZ_SPEED = 50
PTZ_WHEEL_STEP_MS = 300  # a wheel notch zooms this long


def send_ptz(
    cameras: CameraCommands, camera_id: str, action: str, refused: Callable[[str], None]
) -> None:
    """Send the move; `refused` hears the data center's reason if it says no (from a
    worker thread: a signal's emit, so that the tile hears it on its own)."""
    future = cameras.ptz(camera_id, action, PTZ_SPEED)

    def done(f: Future) -> None:  # a worker thread
        error = f.exception()
        if error is not None:
            with contextlib.suppress(RuntimeError):  # the tile is gone
                refused(str(getattr(error, "message", error)))

    future.add_done_callback(done)
