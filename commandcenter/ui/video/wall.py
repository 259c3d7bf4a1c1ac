"""Video wall: numbered live tiles in a layout. The cameras of alerting stations come
first, the most severe first, so the wall shows where something is happening; a tile
whose own station has an open urgent alert (severity 1–2) is framed in the alert's
colour with its title. A camera without a picture (offline, or its stream keeps
failing) is ranked behind the next live one, so the first tile and the big tile show
a picture whenever any camera has one.

Layouts 1, 4, 9, 16, 25, 36 and 1+5, 1+7 (one large tile with small ones). Double-click
a tile (or Enter) for single view and back. Walls are saved by name, and tours show
walls one after another (tours.py). The wall plays only while it is seen: in a
hidden tab or a minimised window its tiles hold no connection.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from pathlib import Path

import platformdirs
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QPushButton, QWidget

from commandcenter.domain.records import Alert, Camera, ServicePoint
from commandcenter.domain.video import DirectStream
from commandcenter.domain.wall_layouts import (
    LAYOUT_BY_NAME,
    LAYOUTS,
    WallLayout,
    live_first,
    place_ranked,
)
from commandcenter.ui.video.tile import VideoTile, short_title, tile_time
from commandcenter.ui.video.tours import TouchWatcher, TourControls
from commandcenter.ui.widgets.flow import FlowLayout
from commandcenter.ui.widgets.panel import Console, Panel, ask_for_name
from commandcenter.ui.widgets.text import plain_label

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TileContent:
    camera: Camera | DirectStream
    point: ServicePoint | None
    alert: Alert | None  # the most severe open alert of the camera's station


def arrange(
    cameras: Iterable[Camera], points: dict[str, ServicePoint], alerts: Iterable[Alert]
) -> list[TileContent]:
    """Runs in a worker: cameras in wall order (alerting stations first)."""
    worst: dict[str, Alert] = {}
    for alert in alerts:
        if alert.status == "closed" or not alert.point_id:
            continue
        current = worst.get(alert.point_id)
        if current is None or alert.severity < current.severity:
            worst[alert.point_id] = alert
    contents = [TileContent(c, points.get(c.point_id), worst.get(c.point_id)) for c in cameras]
    contents.sort(
        key=lambda t: (
            t.alert.severity if t.alert else 9,
            not t.camera.online,
            getattr(t.point, "name", ""),
            t.camera.name,
        )
    )
    return contents


class WallPanel(Panel):
    reload_on = ("cameras", "alerts", "service_points")
    feeds = ("cameras", "alerts")

    def __init__(self, console: Console, parent=None):
        super().__init__(console, parent)
        self.setObjectName("wall")
        self.layout_choice = QComboBox()
        for layout in LAYOUTS:
            label = (
                self.tr("%1 tiles").replace("%1", layout.name)
                if not layout.big
                else self.tr("%1 (large + small)").replace("%1", layout.name)
            )
            self.layout_choice.addItem(label, layout.name)
        self.layout_choice.setCurrentIndex(self.layout_choice.findData("9"))
        self.layout_choice.currentIndexChanged.connect(self._relayout)
        self.count = plain_label()  # names saved walls
        self.saved = QComboBox()
        self.saved.setToolTip(
            self.tr("Recall a saved wall: its layout and the cameras placed on it")
        )
        self.saved.activated.connect(lambda index: self.recall_named(self.saved.itemText(index)))
        save = QPushButton(self.tr("Save wall…"))
        save.clicked.connect(self.save_named_as)
        bar = FlowLayout()
        bar.addWidget(QLabel(self.tr("Layout")))
        bar.addWidget(self.layout_choice)
        bar.addWidget(self.saved)
        bar.addWidget(save)
        self.tours = TourControls(self)
        self._touch = TouchWatcher(self.tours)
        bar.addWidget(self.tours)
        bar.addStretch(1)
        bar.addWidget(self.count)
        self.canvas = QWidget()
        self.grid = QGridLayout(self.canvas)
        self.grid.setSpacing(3)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.tiles: list[VideoTile] = []
        self._working_protocols: dict[str, str] = {}
        self._dead_streams: dict[str, datetime] = {}  # camera id -> failing since (tile.py)
        # tiles hear of dead and revived streams one by one: the wall is ranked again once
        self._rerank = QTimer(self)
        self._rerank.setSingleShot(True)
        self._rerank.setInterval(0)
        self._rerank.timeout.connect(self._fill)
        self._contents: list[TileContent] = []
        self.single: VideoTile | None = None  # the tile shown alone, if one is
        self.pins: dict[int, str] = {}  # tile index -> camera id the operator put there
        self.streams: dict[str, DirectStream] = {}  # meetings' mixes on the wall, by their id there
        self._pending_pins: tuple[int, list[str]] | None = (
            None  # asked for before the cameras were read
        )
        self.snapshot_dir = Path(platformdirs.user_pictures_dir()) / "commandcenter"
        self.body.addLayout(bar)
        self.body.addWidget(self.canvas, 1)
        QShortcut(
            QKeySequence(Qt.Key.Key_Return),
            self.canvas,
            self._toggle_focused_single,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        QShortcut(
            QKeySequence(Qt.Key.Key_PageDown),
            self,
            self.tours.next_step,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        QShortcut(
            QKeySequence(Qt.Key.Key_PageUp),
            self,
            self.tours.previous_step,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        # a minimised window sends no hide event to its widgets: look now and then
        self._visibility = QTimer(self)
        self._visibility.timeout.connect(self._update_activity)
        self._visibility.start(1000)
        self._relayout()
        self._refresh_saved()
        self.reload()

    # -- layout ------------------------------------------------------------------------

    @property
    def current_layout(self) -> WallLayout:
        return LAYOUT_BY_NAME[self.layout_choice.currentData()]

    def set_layout(self, name: str) -> None:
        self.layout_choice.setCurrentIndex(self.layout_choice.findData(name))

    def set_grid(self, size: int) -> None:
        self.set_layout(str(size))

    def _tile(self, n: int) -> VideoTile:
        while len(self.tiles) <= n:
            tile = VideoTile(
                len(self.tiles) + 1,
                self.console.cameras,
                self.canvas,
                working_protocols=self._working_protocols,
                dead_streams=self._dead_streams,
            )
            tile.liveness_changed.connect(self._rerank.start)
            tile.double_clicked.connect(lambda t=tile: self.toggle_single(t))
            tile.ptz_moved.connect(
                lambda camera_id, action: self.console.audit(
                    "camera.ptz", camera_id, {"action": action}
                )
            )
            index = len(self.tiles)  # this tile's, once appended below
            tile.points_dropped.connect(lambda ids, n=index: self.pin_points(n, ids))
            tile.release_requested.connect(lambda n=index: self.release(n))
            tile.snapshot_requested.connect(lambda t=tile: self.take_snapshot(t))
            tile.installEventFilter(self._touch)
            self.tiles.append(tile)
        return self.tiles[n]

    def _relayout(self) -> None:
        self.single = None
        layout = self.current_layout
        cells = layout.cells
        for tile in self.tiles:
            self.grid.removeWidget(tile)
            tile.hide()
        for n, (row, col, rows, cols) in enumerate(cells):
            tile = self._tile(n)
            self.grid.addWidget(tile, row, col, rows, cols)
            tile.show()
        for r in range(8):
            self.grid.setRowStretch(r, 1 if r < layout.side else 0)
            self.grid.setColumnStretch(r, 1 if r < layout.side else 0)
        self._fill()

    def toggle_single(self, tile: VideoTile) -> None:
        """Single view of one tile (main stream) and back to the layout."""
        if self.single is tile:
            self._relayout()
            return
        self.single = tile
        for other in self.tiles:
            if other is not tile:
                other.hide()
        self.grid.removeWidget(tile)
        self.grid.addWidget(tile, 0, 0, self.current_layout.side, self.current_layout.side)
        tile.show()
        tile.setFocus()
        self._update_activity()

    def _toggle_focused_single(self) -> None:
        focused = next((t for t in self.tiles if t.hasFocus()), None)
        if focused is not None:
            self.toggle_single(focused)

    # -- content -----------------------------------------------------------------------

    def read(self):
        snapshots = self.console.snapshots
        return arrange(
            snapshots.cameras.active(), snapshots.points.by_key(), snapshots.alerts.open()
        )

    def show_data(self, contents: list[TileContent]) -> None:
        self._contents = contents
        self._forget_dead_streams()
        pending, self._pending_pins = self._pending_pins, None
        if pending is not None:
            self.pin_points(*pending)  # asked for before the wall had read these cameras
            return
        self._fill()

    def pin_points(self, first_tile: int, point_ids: list[str]) -> None:
        """Cameras of these service points onto the wall from `first_tile` on (live ones
        first), where they stay until released; the other tiles show the wall's own choice.
        Cameras without a picture do not take the first tile: it keeps a live camera of
        the wall's ranking and says where they went."""
        dead = self._dead_cameras()
        chosen = []  # from the wall's last read, which holds every camera: no store read here
        for point_id in point_ids:
            of_point = sorted(
                (c.camera for c in self._contents if c.camera.point_id == point_id),
                key=lambda c: (c.camera_id in dead, c.name),
            )
            chosen.extend(of_point)
        if not chosen and not self._contents:
            # not read yet (an alert announced before the wall's first read): placed when it lands
            self._pending_pins = (first_tile, list(point_ids))
            return
        size = self.current_layout.size
        kept_from_front = bool(chosen) and first_tile == 0 and chosen[0].camera_id in dead
        if kept_from_front:
            first_tile = 1
            self.pins.pop(0, None)
        for offset, camera in enumerate(chosen[: max(0, size - first_tile)]):
            self.pins[first_tile + offset] = camera.camera_id
        if chosen:
            self.console.audit(
                "wall.place",
                ",".join(point_ids),
                {"tile": first_tile + 1, "cameras": [c.camera_id for c in chosen]},
            )
        self._fill()
        since = self._dead_since(chosen[0]) if kept_from_front else None
        if since is not None:
            self._say_why_it_left(chosen[0], since)

    def show_stream(self, stream: DirectStream, tile_index: int = 0) -> None:
        """A stream that is not a camera (a meeting's mix) onto this tile, placed there."""
        self.streams[stream.camera_id] = stream
        self.pins = {n: c for n, c in self.pins.items() if c != stream.camera_id}
        self.pins[tile_index] = stream.camera_id
        self.console.audit(
            "wall.place",
            stream.camera_id,
            {"tile": tile_index + 1, "url_kind": stream.url.split(":")[0]},
        )
        self._fill()

    def drop_stream(self, stream_id: str) -> None:
        """The stream is over (the meeting ended): its tile goes back to the automatic order."""
        if self.streams.pop(stream_id, None) is not None:
            self.pins = {n: c for n, c in self.pins.items() if c != stream_id}
            self._fill()

    def take_snapshot(self, tile: VideoTile) -> Path | None:
        """The tile's picture as evidence (JPEG with camera and time), said on the tile and audited."""
        try:
            path = tile.snapshot(self.snapshot_dir)
        except OSError as exc:
            tile.show_notice(self.tr("Snapshot failed: %1").replace("%1", str(exc)))
            return None
        if path is None:
            tile.show_notice(self.tr("No picture to take yet"))
            return None
        tile.show_notice(self.tr("Snapshot saved: %1").replace("%1", path.name))
        if tile.camera is not None:
            self.console.audit("camera.snapshot", tile.camera.camera_id, {"file": str(path)})
        return path

    # -- named walls -------------------------------------------------------------------

    def saved_names(self) -> list[str]:
        settings = self.console.settings
        if settings is None:
            return []
        settings.beginGroup("wall/layouts")
        names = sorted(settings.childKeys())
        settings.endGroup()
        return names

    def save_named(self, name: str) -> None:
        """The layout and the cameras placed on it, under a name (e.g. 夜班 · 吴中区)."""
        if self.console.settings is None:
            return
        spec = {
            "layout": self.current_layout.name,
            "pins": {str(n): c for n, c in sorted(self.pins.items())},
        }
        self.console.settings.setValue(f"wall/layouts/{name}", json.dumps(spec, ensure_ascii=False))
        self.console.settings.sync()
        self._refresh_saved()

    def save_named_as(self) -> None:
        name = ask_for_name(self, self.tr("Save wall"), self.tr("Name of the wall:"))
        if name:
            self.save_named(name)

    def _saved_wall(self, name: str) -> tuple[WallLayout, dict[int, str]]:
        """A saved wall's layout and placed cameras; ValueError (or KeyError…) if damaged,
        LookupError if there is no such wall."""
        raw = (
            self.console.settings.value(f"wall/layouts/{name}")
            if self.console.settings is not None
            else None
        )
        if raw is None:
            raise LookupError(name)
        spec = json.loads(str(raw))
        layout = LAYOUT_BY_NAME[spec["layout"]]
        pins = {
            int(n): str(c)
            for n, c in dict(spec.get("pins") or {}).items()
            if 0 <= int(n) < layout.size
        }
        return layout, pins

    def recall_named(self, name: str) -> bool:
        try:
            layout, pins = self._saved_wall(name)
        except LookupError:
            self.count.setText(self.tr("There is no saved wall %1").replace("%1", name))
            return False
        except (ValueError, TypeError, AttributeError) as exc:
            # a settings file edited by hand: say which entry, keep the wall as it is
            log.warning("the saved wall %r cannot be used (%s)", name, exc)
            self.count.setText(
                self.tr("The saved wall %1 is damaged and was not applied").replace("%1", name)
            )
            return False
        self.restore_state(layout.name, pins)
        return True

    # -- tours -------------------------------------------------------------------------

    def layout_names(self) -> set[str]:
        return set(LAYOUT_BY_NAME)

    def wall_state(self) -> tuple[str, dict[int, str]]:
        """The layout and the cameras the operator placed, to give back after a tour."""
        return self.current_layout.name, dict(self.pins)

    def restore_state(self, layout: str, pins: dict[int, str]) -> None:
        self.set_layout(layout)
        self.pins = dict(pins)
        self._fill()

    def shown_cameras(self) -> tuple[str, dict[int, str]]:
        """The layout and the camera on each of its tiles now: a tour step of this wall."""
        layout = self.current_layout
        return layout.name, {
            n: tile.camera.camera_id
            for n, tile in enumerate(self.tiles[: layout.size])
            if tile.camera is not None
        }

    def show_step(self, step) -> str | None:
        """Put a tour step on the wall; the reason if it cannot be shown as saved."""
        if step.wall is None:
            self.restore_state(step.layout, step.pins)
            return None
        try:
            layout, pins = self._saved_wall(step.wall)
        except LookupError:
            return self.tr("the saved wall %1 no longer exists").replace("%1", step.wall)
        except (ValueError, TypeError, AttributeError):
            return self.tr("the saved wall %1 is damaged").replace("%1", step.wall)
        self.restore_state(layout.name, pins)
        return None

    def _refresh_saved(self) -> None:
        self.saved.clear()
        self.saved.addItems(self.saved_names())
        self.saved.setVisible(self.saved.count() > 0)

    def release(self, tile_index: int) -> None:
        if self.pins.pop(tile_index, None) is not None:
            self._fill()

    def _fill(self) -> None:
        size = self.current_layout.size
        by_camera = {c.camera.camera_id: c for c in self._contents}
        by_camera.update(
            (key, TileContent(stream, None, None)) for key, stream in self.streams.items()
        )
        # a placed camera that is gone (deleted) frees its tile
        self.pins = {
            n: camera_id
            for n, camera_id in self.pins.items()
            if camera_id in by_camera or not self._contents
        }
        pinned = set(self.pins.values())
        free = [n for n in range(size) if n not in self.pins]
        showing = [
            camera.camera_id
            if (camera := self.tiles[n].camera) is not None and not self.tiles[n].pinned
            else None
            for n in free
        ]
        dead = self._dead_cameras()
        # only those that can earn a tile, not every camera of the city or province
        ranked = list(
            islice(
                live_first(
                    (
                        c.camera.camera_id
                        for c in self._contents
                        if c.camera.camera_id not in pinned
                    ),
                    dead,
                ),
                len(free),
            )
        )
        front = 0 in free
        first_is_big = bool(self.current_layout.big) and front
        placed = place_ranked(
            showing, ranked, first_is_big=first_is_big, dead=dead if front else ()
        )
        chosen = dict(zip(free, placed, strict=True))
        # the first tile gives a dead camera up for a live one, and will say so
        left_front = self.tiles[0].camera, self.tiles[0].dead_since
        if not front or showing[0] == placed[0]:
            left_front = None, None
        for n in range(size):
            tile = self.tiles[n]
            camera_id = self.pins.get(n)
            key = camera_id if camera_id is not None else chosen[n]
            content = by_camera.get(key) if key is not None else None
            tile.pinned = camera_id is not None and content is not None
            if content is None:
                tile.assign(None)
            else:
                tile.assign(content.camera, content.point, content.alert)
        gone, since = left_front
        if gone is not None and since is not None:
            self._say_why_it_left(gone, since)
        alerting = sum(1 for c in self._contents if c.alert is not None)
        self.count.setText(
            self.tr("%1 cameras · %2 at stations with open alerts")
            .replace("%1", f"{len(self._contents):,}")
            .replace("%2", f"{alerting:,}")
        )
        self._update_activity()

    def _say_why_it_left(self, camera: Camera | DirectStream, since: datetime) -> None:
        """The first tile gave its dead camera up for a live one: it says so, and where
        the camera went."""
        moved_to = next(
            (
                t.number
                for t in self.tiles[: self.current_layout.size]
                if t.camera is not None and t.camera.camera_id == camera.camera_id
            ),
            None,
        )
        text = (
            self.tr("%1: video offline since %2, now on tile %3").replace("%3", str(moved_to))
            if moved_to is not None
            else self.tr("%1: video offline since %2")
        )
        former = short_title(camera, self._point_of(camera))  # the band is short
        self.tiles[0].show_notice(
            text.replace("%2", tile_time(since)).replace("%1", former), seconds=15.0
        )

    def _forget_dead_streams(self) -> None:
        """A failing stream is tried again by the tile that shows it; one that lost its
        tile is given another chance when the data center's record of the camera changes
        after the failures began (back online, say), or when the camera is gone."""
        if not self._dead_streams:
            return
        updated = {
            c.camera.camera_id: c.camera.updated_at
            for c in self._contents
            if isinstance(c.camera, Camera)
        }
        for camera_id, since in list(self._dead_streams.items()):
            at = updated.get(camera_id)
            if at is None or at > since:
                del self._dead_streams[camera_id]

    def _dead_cameras(self) -> set[str]:
        """Cameras without a picture: offline in the data center, or failing (tile.py)."""
        return self._dead_streams.keys() | {
            c.camera.camera_id for c in self._contents if not c.camera.online
        }

    def _dead_since(self, camera: Camera | DirectStream) -> datetime | None:
        if isinstance(camera, Camera) and not camera.online:
            return camera.updated_at
        return self._dead_streams.get(camera.camera_id)

    def _point_of(self, camera: Camera | DirectStream) -> ServicePoint | None:
        return next(
            (c.point for c in self._contents if c.camera.camera_id == camera.camera_id), None
        )

    # -- only what is seen costs --------------------------------------------------------

    def _update_activity(self) -> None:
        window = self.window()
        seen = self.isVisible() and not (window is not None and window.isMinimized())
        layout = self.current_layout
        for n, tile in enumerate(self.tiles):
            on_wall = n < layout.size and (self.single is None or tile is self.single)
            tile.set_layout_context(
                1 if self.single is not None else layout.size,
                focused=tile is self.single or (bool(layout.big) and n == 0),
            )
            tile.set_active(seen and on_wall)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self._update_activity()

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().hideEvent(event)
        self._update_activity()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        for tile in self.tiles:
            tile.close_stream()
        super().closeEvent(event)
