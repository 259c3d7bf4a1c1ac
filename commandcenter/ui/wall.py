"""Video wall: numbered station tiles in a grid. Each tile names its camera and
service point and shows the camera's state; a tile whose station has an open alert
is framed red with the alert's title. The cameras of alerting stations come first,
the most severe first, so the wall shows where something is happening."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from commandcenter.domain import contract
from commandcenter.ui import i18n
from commandcenter.ui.panel import Console, Panel
from commandcenter.ui.style import SEVERITY_COLOURS

GRID_SIZES = (1, 4, 9, 16, 25, 36)


@dataclass(frozen=True)
class TileContent:
    camera: object
    point: object | None
    alert: object | None  # the most severe open alert of the camera's station


def arrange(cameras, points: dict, alerts) -> list[TileContent]:
    """Runs in a worker: cameras in wall order (alerting stations first)."""
    worst: dict[str, object] = {}
    for alert in alerts:
        if alert.status == "closed" or not alert.point_id:
            continue
        current = worst.get(alert.point_id)
        if current is None or alert.severity < current.severity:
            worst[alert.point_id] = alert
    contents = [TileContent(c, points.get(c.point_id), worst.get(c.point_id)) for c in cameras]
    contents.sort(key=lambda t: (t.alert.severity if t.alert else 9, not t.camera.online,
                                 getattr(t.point, "name", ""), t.camera.name))
    return contents


class StationTile(QFrame):
    def __init__(self, number: int, parent=None):
        super().__init__(parent)
        self.setObjectName("stationTile")
        self.number = QLabel(str(number))
        self.number.setObjectName("tileNumber")
        self.camera = QLabel()
        self.camera.setObjectName("tileCamera")
        self.point = QLabel()
        self.point.setWordWrap(True)
        self.state = QLabel()
        self.state.setObjectName("tileState")
        self.alert = QLabel()
        for label in (self.camera, self.point, self.state, self.alert):
            # long names are clipped by the tile, never widen the wall
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        top = QHBoxLayout()
        top.addWidget(self.number)
        top.addWidget(self.camera, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addStretch(1)
        layout.addWidget(self.point, alignment=Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.state, alignment=Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(1)
        layout.addWidget(self.alert)
        self._content: TileContent | None = None
        self._content_shown = False

    def show_content(self, content: TileContent | None) -> None:
        # a refresh mostly brings the same content: restyling a tile costs a re-polish
        if self._content_shown and content == self._content:
            return
        self._content, self._content_shown = content, True
        if content is None:
            self.camera.setText(self.tr("(empty)"))
            for label in (self.point, self.state, self.alert):
                label.setText("")
            self.setStyleSheet("")
            return
        camera, point, alert = content.camera, content.point, content.alert
        self.camera.setText(camera.name)
        self.point.setText(point.name if point else camera.point_id)
        if camera.online:
            features = [self.tr("PTZ")] if camera.ptz else []
            if camera.has_sub_stream:
                features.append(self.tr("sub stream"))
            self.state.setText(self.tr("Camera online") + (f" · {' · '.join(features)}" if features else ""))
            self.state.setStyleSheet("color: #3fb950;")
        else:
            self.state.setText(self.tr("Camera offline"))
            self.state.setStyleSheet("color: #8b949e;")
        if alert is not None:
            colour = SEVERITY_COLOURS.get(alert.severity, "#f85149")
            self.alert.setText(f"{i18n.term(contract.SEVERITY_LABELS, alert.severity)} · {alert.title}")
            self.alert.setToolTip(alert.title)
            self.alert.setStyleSheet(f"color: {colour}; font-weight: 600;")
            self.setStyleSheet(f"QFrame#stationTile {{ border: 3px solid {colour}; }}")
        else:
            self.alert.setText("")
            self.alert.setToolTip("")
            self.setStyleSheet("")


class WallPanel(Panel):
    reload_on = ("cameras", "alerts", "service_points")
    feeds = ("cameras", "alerts")

    def __init__(self, console: Console, parent=None):
        super().__init__(console, parent)
        self.setObjectName("wall")
        self.grid_size = QComboBox()
        for size in GRID_SIZES:
            self.grid_size.addItem(self.tr("%1 tiles").replace("%1", str(size)), size)
        self.grid_size.setCurrentIndex(GRID_SIZES.index(9))
        self.grid_size.currentIndexChanged.connect(self._relayout)
        self.count = QLabel()
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Layout")))
        bar.addWidget(self.grid_size)
        bar.addStretch(1)
        bar.addWidget(self.count)
        self.canvas = QWidget()
        self.grid = QGridLayout(self.canvas)
        self.grid.setSpacing(4)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.tiles: list[StationTile] = []
        self._contents: list[TileContent] = []
        self.body.addLayout(bar)
        self.body.addWidget(self.canvas, 1)
        self._relayout()
        self.reload()

    def set_grid(self, size: int) -> None:
        self.grid_size.setCurrentIndex(GRID_SIZES.index(size))

    def _relayout(self) -> None:
        size = self.grid_size.currentData()
        side = int(size ** 0.5)
        while len(self.tiles) < size:
            self.tiles.append(StationTile(len(self.tiles) + 1))
        for n, tile in enumerate(self.tiles):
            self.grid.removeWidget(tile)
            if n < size:
                self.grid.addWidget(tile, n // side, n % side)
                tile.show()
            else:
                tile.hide()
        self._fill()

    def read(self):
        store = self.console.store
        snapshots = self.console.snapshots
        return arrange(snapshots.cameras.active(), snapshots.points.by_key(), store.alerts(open_only=True))

    def show_data(self, contents: list[TileContent]) -> None:
        self._contents = contents
        self._fill()

    def _fill(self) -> None:
        size = self.grid_size.currentData()
        for n in range(size):
            self.tiles[n].show_content(self._contents[n] if n < len(self._contents) else None)
        alerting = sum(1 for c in self._contents if c.alert is not None)
        self.count.setText(self.tr("%1 cameras · %2 at stations with open alerts")
                           .replace("%1", f"{len(self._contents):,}").replace("%2", f"{alerting:,}"))
