"""Situation map: every service point on the county boundaries, coloured by its live
status, with the points of open alerts ringed. Drawn natively with pyqtgraph from
the store and the shipped boundaries (GCJ-02, the system of the boundary data), so
it needs no network and no web engine; hover names a point, double-click opens it.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QCursor, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QHBoxLayout, QLabel, QToolTip

from commandcenter.domain import contract, coords
from commandcenter.domain.contract import CoordSys
from commandcenter.resources import resource_path
from commandcenter.ui import i18n
from commandcenter.ui.panel import Console, Panel
from commandcenter.ui.style import SEVERITY_COLOURS, STATUS_COLOURS

BOUNDARIES = resource_path("geo", "suzhou_counties.geojson")
UNKNOWN_STATUS_COLOUR = "#a371f7"
STACKING = [STATUS_COLOURS[s] for s in ("online", "offline", "maintenance", "alarm")]


POINT_PX = 6  # diameter of a service point on screen
PICK_PX = 8  # how near the pointer must be to name a point


@dataclass(frozen=True)
class MapData:
    points: list  # ServicePoints with a known position
    xy: np.ndarray  # (n, 2) GCJ-02 lng/lat
    colours: list[str]
    alert_xy: np.ndarray
    alert_colours: list[str]
    unplaced: int  # points whose coordinate system is unknown
    by_status: Counter
    by_colour: dict[str, QPolygonF]  # the points of each status colour, ready to paint


def _polygon(xy: np.ndarray) -> QPolygonF:
    """Built in the worker: a QPolygonF is a value, not a QObject."""
    polygon = pg.functions.create_qpolygonf(len(xy))
    pg.functions.ndarray_from_qpolygonf(polygon)[:] = xy
    return polygon


class PointLayer(pg.GraphicsObject):
    """Points of one colour, drawn in one QPainter call.

    pyqtgraph's ScatterPlotItem keeps Python objects per point: giving it a
    province's 30,000 points costs the GUI thread 100-200 ms on every update. Here
    the worker builds the QPolygonF and painting is a single C++ call with a
    cosmetic round pen (the size is in screen pixels whatever the zoom)."""

    def __init__(self, colour: str):
        super().__init__()
        self._pen = QPen(QColor(colour))
        self._pen.setWidthF(POINT_PX)
        self._pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        self._pen.setCosmetic(True)
        self._points = QPolygonF()
        self._bounds = QRectF()
        # repaints for anything else (a ring, a label, a tooltip) reuse the last picture
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def set_points(self, points: QPolygonF) -> None:
        self.prepareGeometryChange()
        self._points = points
        self._bounds = points.boundingRect()
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt's name
        # a little wider than the points' centres: their dots reach beyond them
        margin = max(self._bounds.width(), self._bounds.height(), 0.01) * 0.01
        return self._bounds.adjusted(-margin, -margin, margin, margin)

    def paint(self, painter, *_args) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(self._pen)
        painter.drawPoints(self._points)


def _gcj02(point) -> tuple[float, float] | None:
    if point.coord_sys == CoordSys.GCJ02:
        return point.lng, point.lat
    if point.lng_wgs84 is None or point.lat_wgs84 is None:
        return None
    return coords.wgs84_to_gcj02(point.lng_wgs84, point.lat_wgs84)


def load_boundaries() -> list[tuple[str, str, list[np.ndarray]]]:
    """(adcode, name, rings) of each county, GCJ-02."""
    data = json.loads(BOUNDARIES.read_text(encoding="utf-8"))
    counties = []
    for feature in data["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        rings = [np.asarray(polygon[0], dtype=float) for polygon in polygons]
        counties.append((feature["properties"]["adcode"], feature["properties"]["name"], rings))
    return counties


class SituationMapPanel(Panel):
    reload_on = ("service_points", "alerts")
    feeds = ("service_points", "alerts")
    point_activated = Signal(object)

    def __init__(self, console: Console, parent=None):
        super().__init__(console, parent)
        self.setObjectName("map")
        self.plot = pg.PlotWidget()
        self.plot.setAspectLocked(True, ratio=1 / np.cos(np.radians(31.3)))
        self.plot.hideAxis("left")
        self.plot.hideAxis("bottom")
        self.plot.setMenuEnabled(False)
        counties = load_boundaries()
        for code, _name, rings in counties:
            for ring in rings:
                self.plot.plot(ring[:, 0], ring[:, 1], pen=pg.mkPen("#3d4b5c", width=1.5))
            biggest = max(rings, key=len)
            label = pg.TextItem(i18n.place(code), color="#8b949e", anchor=(0.5, 0.5))
            label.setPos(float(biggest[:, 0].mean()), float(biggest[:, 1].mean()))
            label.setZValue(2)  # names stay readable over the points
            self.plot.addItem(label)
        # a transparent brush, not None: PySide 6.12 mis-counts references to None
        # passed down to QBrush here and the interpreter aborts at exit
        self.alert_rings = pg.ScatterPlotItem(size=16, brush=pg.mkBrush(0, 0, 0, 0), pxMode=True)
        # the view fits the counties once; recomputing the bounds of 30,000 points on
        # every paint would cost the GUI thread more than the painting
        if counties:
            every = np.vstack([ring for _c, _n, rings in counties for ring in rings])
            self.plot.setRange(xRange=(every[:, 0].min(), every[:, 0].max()),
                               yRange=(every[:, 1].min(), every[:, 1].max()), padding=0.02)
        self.plot.getViewBox().disableAutoRange()
        # one layer per status colour (see PointLayer)
        self.layers: dict[str, PointLayer] = {}
        self._xy = np.zeros((0, 2))
        self.plot.addItem(self.alert_rings)
        self.plot.scene().sigMouseMoved.connect(self._hovered)
        self.plot.scene().sigMouseClicked.connect(self._clicked)
        self.legend = QLabel()
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        bar = QHBoxLayout()
        bar.addWidget(self.legend, 1)
        self.body.addLayout(bar)
        self.body.addWidget(self.plot, 1)
        self._points: list = []
        self.reload()

    def read(self) -> MapData:
        store = self.console.store
        points, xy, colours, by_status, unplaced = [], [], [], Counter(), 0
        for point in self.console.snapshots.points.active():
            position = _gcj02(point)
            if position is None:
                unplaced += 1
                continue
            points.append(point)
            xy.append(position)
            colours.append(STATUS_COLOURS.get(point.status, UNKNOWN_STATUS_COLOUR))
            by_status[point.status] += 1
        placed = {p.point_id: xy[n] for n, p in enumerate(points)}
        alert_xy, alert_colours = [], []
        worst: dict[str, int] = {}
        for alert in store.alerts(open_only=True):
            if alert.point_id in placed:
                worst[alert.point_id] = min(alert.severity, worst.get(alert.point_id, 9))
        for point_id, severity in worst.items():
            alert_xy.append(placed[point_id])
            alert_colours.append(SEVERITY_COLOURS.get(severity, "#f85149"))
        by_colour: dict[str, list[int]] = {}
        for n, colour in enumerate(colours):
            by_colour.setdefault(colour, []).append(n)
        every = np.asarray(xy, dtype=float).reshape(-1, 2)
        return MapData(points, every, colours,
                       np.asarray(alert_xy, dtype=float).reshape(-1, 2), alert_colours, unplaced, by_status,
                       {c: _polygon(every[np.asarray(i, dtype=int)]) for c, i in by_colour.items()})

    def _layer(self, colour: str) -> PointLayer:
        layer = self.layers.get(colour)
        if layer is None:
            layer = PointLayer(colour)
            # the rarer and more urgent a status, the higher its points lie
            layer.setZValue(STACKING.index(colour) * 0.1 if colour in STACKING else 0.05)
            self.plot.addItem(layer)
            self.alert_rings.setZValue(1)
            self.layers[colour] = layer
        return layer

    def show_data(self, data: MapData) -> None:
        self._points = data.points
        self._xy = data.xy
        for colour, polygon in data.by_colour.items():
            self._layer(colour).set_points(polygon)
        for colour, layer in self.layers.items():
            if colour not in data.by_colour:
                layer.set_points(QPolygonF())
        pens = {c: pg.mkPen(c, width=2.5) for c in set(data.alert_colours)}
        self.alert_rings.setData(pos=data.alert_xy, pen=[pens[c] for c in data.alert_colours])
        parts = [
            f"<span style='color:{STATUS_COLOURS.get(status, UNKNOWN_STATUS_COLOUR)}'>●</span> "
            f"{i18n.term(contract.POINT_STATUS_LABELS, status)} {count:,}"
            for status, count in sorted(data.by_status.items())
        ]
        parts.append("◯ " + self.tr("open alerts at %1 points").replace("%1", f"{len(data.alert_xy):,}"))
        if data.unplaced:
            parts.append(self.tr("%1 points not placed (unknown coordinate system)")
                         .replace("%1", f"{data.unplaced:,}"))
        self.legend.setText(" &nbsp; ".join(parts))

    def point_near(self, scene_pos) -> int | None:
        """Index of the point under the pointer (within PICK_PX screen pixels), if any."""
        if not len(self._xy):
            return None
        view = self.plot.getViewBox()
        if not view.sceneBoundingRect().contains(scene_pos):
            return None
        here = view.mapSceneToView(scene_pos)
        # a view pixel's size in data units, per axis (the aspect is locked, not 1:1)
        px, py = view.viewPixelSize()
        dx = (self._xy[:, 0] - here.x()) / px
        dy = (self._xy[:, 1] - here.y()) / py
        distance = dx * dx + dy * dy
        nearest = int(np.argmin(distance))
        return nearest if distance[nearest] <= PICK_PX * PICK_PX else None

    def tip(self, index: int) -> str:
        point = self._points[index]
        return (f"{point.name}\n{i18n.term(contract.POINT_TYPE_LABELS, point.type)} · "
                f"{i18n.term(contract.POINT_STATUS_LABELS, point.status)}\n{point.address}")

    def _hovered(self, scene_pos) -> None:
        index = self.point_near(scene_pos)
        if index is None:
            QToolTip.hideText()
            return
        QToolTip.showText(QCursor.pos(), self.tip(index), self.plot)

    def _clicked(self, event) -> None:
        index = self.point_near(event.scenePos())
        if index is not None:
            self.point_activated.emit(self._points[index])
