"""The statistics' charts (pyqtgraph): the trend over time with its spikes, and the
counties' ranking; and a chart written as SVG."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import numpy as np
import pyqtgraph as pg
import pyqtgraph.exporters  # binds pg.exporters, which the module uses
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QGraphicsView,
)

from commandcenter.domain import bureau_time
from commandcenter.ui.statistics.trend import Trend, category_name
from commandcenter.ui.widgets import i18n
from commandcenter.ui.widgets.i18n import tr

# a tick's text by the spacing of its level: days as month-day and months as year-month in
# either language (pyqtgraph's own are English: "Sat 28", "Nov")
_TICK_PATTERNS = (
    (365 * 86400, "%Y"),
    (28 * 86400, "%Y-%m"),
    (86400, "%m-%d"),
    (60, "%H:%M"),
    (1, "%H:%M:%S"),
)


class BureauDateAxis(pg.DateAxisItem):
    """Dates on the bureau's clock (domain/bureau_time.py), not the workstation's.

    pyqtgraph places its ticks by a fixed `utcOffset` (seconds west of UTC) or else by
    the machine's zone; here the offset is the bureau's in the middle of the range shown,
    and day ticks are put on the bureau's midnight, so that a range over a change of
    daylight saving time keeps its days at 00:00."""

    def tickValues(self, minVal, maxVal, size):  # noqa: N802 - pyqtgraph's name
        middle = (minVal + maxVal) / 2
        self.utcOffset = -bureau_time.offset_s(_clamped(middle))
        levels = super().tickValues(minVal, maxVal, size)
        return [
            (spacing, [_midnight_near(v) for v in ticks] if spacing >= 86400 else ticks)
            for spacing, ticks in levels
        ]

    def tickStrings(self, values, scale, spacing):  # noqa: N802 - pyqtgraph's name
        pattern = next((p for least, p in _TICK_PATTERNS if spacing >= least), "%H:%M:%S")
        return [bureau_time.bureau_text(_clamped(v), pattern) for v in values]


def _clamped(t: float) -> float:
    """Epoch seconds that datetime can hold (a view panned far away asks for any)."""
    return min(max(t, 0.0), 253_402_214_400.0)  # 1970 to 9999-12-31


def _midnight_near(t: float) -> float:
    """The bureau's midnight nearest to `t`: where a day's tick belongs."""
    local = bureau_time.at_bureau(_clamped(t) + 12 * 3600)
    return bureau_time.from_wall_time(local.date(), time(0)).timestamp()


class CountAxis(pg.AxisItem):
    """An axis of counts: ticks on whole numbers only (never 2.5 cases), written out
    in full (no SI prefix: 12000, not 12k)."""

    def __init__(self, orientation: str, **kwargs):
        super().__init__(orientation, **kwargs)
        self.enableAutoSIPrefix(False)
        self.whole = True  # False: a rate (per 10,000 residents), with its fractions

    def tickSpacing(self, minVal, maxVal, size):  # noqa: N802 - pyqtgraph's name
        if not self.whole:
            return super().tickSpacing(minVal, maxVal, size)
        levels = [
            (spacing, offset)
            for spacing, offset in super().tickSpacing(minVal, maxVal, size)
            if spacing >= 1 and float(spacing).is_integer()
        ]
        return levels or [(1.0, 0.0)]


class LegendBelow(pg.LegendItem):
    """The legend in the plot's own layout, under the date axis: never over the curves
    it names, however high they rise."""

    def updateSize(self):  # noqa: N802 - pyqtgraph's name
        # as tall as its rows with their spacing and margins; the plot's layout places it
        height = self.layout.effectiveSizeHint(Qt.SizeHint.PreferredSize).height()
        self.setMinimumHeight(height)
        self.setMaximumHeight(height)
        self.updateGeometry()


class TrendChart(pg.PlotWidget):
    """Hourly curves on a date axis, stacked or not, with the unusual hours marked and
    a crosshair that reads out every curve at the hour under the mouse."""

    def __init__(self, parent=None):
        super().__init__(
            parent,
            axisItems={
                "bottom": BureauDateAxis(),
                "left": CountAxis("left"),
                "right": CountAxis("right"),
            },
        )
        self.showGrid(x=True, y=True, alpha=0.2)
        self.legend = LegendBelow(colCount=2)
        self.plotItem.layout.addItem(self.legend, 4, 1)
        self.plotItem.legend = self.legend  # named curves enter it as they are plotted
        shade = pg.mkColor(pg.getConfigOption("background"))
        shade.setAlpha(210)
        self.legend.setBrush(pg.mkBrush(shade))  # readable over the bands it lies on
        self.setMouseEnabled(x=True, y=False)
        self.curves: dict[str, pg.PlotDataItem] = {}
        self._layout: tuple = ()
        self.trend: Trend | None = None
        # unusual hours: a red mark on the top curve, the counties and scores on hover
        self.spike_marks = pg.ScatterPlotItem(
            size=14,
            symbol="t1",
            pen=pg.mkPen("#ffffff", width=1),
            brush=pg.mkBrush("#f85149"),
            hoverable=True,
            tip=None,
        )
        self.spike_marks.setZValue(20)
        self.spike_marks.sigHovered.connect(self._spike_hovered)
        self.addItem(self.spike_marks)
        self.crosshair = pg.InfiniteLine(
            angle=90, movable=False, pen=pg.mkPen("#8b949e", style=Qt.PenStyle.DashLine)
        )
        self.readout = pg.TextItem(anchor=(0, 0), color="#e6edf3", fill=pg.mkBrush(13, 17, 23, 210))
        for item in (self.crosshair, self.readout):
            item.setZValue(30)
            item.hide()
            self.addItem(item, ignoreBounds=True)
        self.hover_text = ""
        self.scene().sigMouseMoved.connect(self._mouse_moved)
        # levels (the backlog) on a right-hand axis of their own: hundreds pending would
        # flatten tens received per hour
        self.right_box = pg.ViewBox()
        self.scene().addItem(self.right_box)
        self.getAxis("right").linkToView(self.right_box)
        self.right_box.setXLink(self.plotItem)
        self.plotItem.vb.sigResized.connect(self._follow_main_box)
        self._on_right: set[str] = set()

    def _follow_main_box(self) -> None:
        self.right_box.setGeometry(self.plotItem.vb.sceneBoundingRect())
        self.right_box.linkedViewChanged(self.plotItem.vb, self.right_box.XAxis)

    def show_trend(self, trend: Trend) -> None:
        layout = (trend.stacked, tuple(s.key for s in trend.series))
        if layout != self._layout:
            self._rebuild(trend)
        total = np.zeros(len(trend.hours))
        for s in trend.series:
            values = s.values
            if trend.stacked:
                total = total + values  # NaN where the store holds nothing: a gap in every band
                values = total
            self.curves[s.key].setData(trend.hours, values, connect="finite")
        self.trend = trend
        top = (
            total if trend.stacked else trend.series[0].values if trend.series else total
        )  # where marks sit
        at = {t: float(top[n]) for n, t in enumerate(trend.hours.tolist())}
        by_bucket: dict[float, list] = {}
        for spike in trend.spikes:
            by_bucket.setdefault(self._bucket_of(spike.bucket.timestamp()), []).append(spike)
        self.spike_marks.setData(
            [
                {"pos": (t, at.get(t, 0.0)), "data": spikes}
                for t, spikes in by_bucket.items()
                if np.isfinite(at.get(t, 0.0))
            ]
        )
        if layout != self._layout:
            self._layout = layout
            self.enableAutoRange()
            self.right_box.enableAutoRange()

    def _bucket_of(self, t: float) -> float:
        """The start of the bucket (hour or day) of the trend shown that holds `t`."""
        hours = self.trend.hours if self.trend is not None else np.zeros(0)
        n = int(np.searchsorted(hours, t, side="right")) - 1
        return float(hours[n]) if 0 <= n < len(hours) else t

    def _rebuild(self, trend: Trend) -> None:
        for key, curve in self.curves.items():
            (self.right_box if key in self._on_right else self.plotItem).removeItem(curve)
        self.legend.clear()
        # one row for the flows, ten counties in two rows, not five
        self.legend.setColumnCount(max(1, min(5, len(trend.series))))
        self.curves = {}
        self._on_right = {s.key for s in trend.series if s.right}
        if self._on_right:
            self.showAxis("right")
        else:
            self.hideAxis("right")
        for n, s in enumerate(trend.series):
            colour = pg.mkColor(s.colour)
            if s.right:
                curve = pg.PlotDataItem(pen=pg.mkPen(colour, width=2, style=Qt.PenStyle.DashLine))
                self.right_box.addItem(curve)
                self.legend.addItem(curve, s.label)
            elif trend.stacked:
                # each band fills down to 0 and hides the ones below it drawn behind: opaque
                # (the bands' colours stay their own) and not antialiased, as blending ten
                # overlapping fills cost most of a redraw (55 → 20 ms at 30 days); a band's
                # straight edges lose nothing visible
                curve = self.plot(
                    name=s.label,
                    pen=pg.mkPen(colour, width=1),
                    fillLevel=0,
                    brush=colour,
                    antialias=False,
                )
                curve.setZValue(-n)
            else:
                curve = self.plot(name=s.label, pen=pg.mkPen(colour, width=2))
            curve.setClipToView(True)
            curve.setDownsampling(auto=True, method="peak")
            self.curves[s.key] = curve

    def _mouse_moved(self, position) -> None:
        trend = self.trend
        box = self.plotItem.vb
        if trend is None or not len(trend.hours) or not box.sceneBoundingRect().contains(position):
            self.crosshair.hide()
            self.readout.hide()
            return
        x = box.mapSceneToView(position).x()
        n = int(np.abs(trend.hours - x).argmin())  # the point nearest the mouse
        self.read_out(n)

    def read_out(self, n: int) -> None:
        """Show every curve's value at hour n of the trend beside a vertical line."""
        trend = self.trend
        if trend is None:
            return
        hour = float(trend.hours[n])
        lines = [bureau_time.bureau_text(hour, "%Y-%m-%d" if trend.per_day else "%Y-%m-%d %H:%M")]
        lines += [f"{s.label}: {count_text(s.values[n])}" for s in trend.series]
        if trend.stacked:
            lines.append(
                self.tr("total") + f": {count_text(sum(s.values[n] for s in trend.series))}"
            )
        self.hover_text = "\n".join(lines)
        self.readout.setText(self.hover_text)
        (left, right), (_bottom, top) = self.plotItem.vb.viewRange()
        self.crosshair.setPos(hour)
        self.readout.setPos(
            hour if hour < (left + right) / 2 else hour - (right - left) * 0.18, top
        )
        self.crosshair.show()
        self.readout.show()

    def _spike_hovered(self, _item, points, _event) -> None:
        from PySide6.QtGui import QCursor
        from PySide6.QtWidgets import QToolTip

        if len(points) == 0:
            QToolTip.hideText()
            return
        QToolTip.showText(QCursor.pos(), "\n".join(describe_spike(s) for s in points[0].data()))


def count_text(value: float) -> str:
    """A count as people read it; none where the store holds no figures."""
    return f"{int(value):,}" if np.isfinite(value) else tr("no figures")


def describe_spike(spike) -> str:
    return (
        tr("%1 %2 %3: %4 received, usually %5 (z %6)")
        .replace("%1", bureau_time.bureau_text(spike.bucket, "%m-%d %H:%M"))
        .replace("%2", i18n.place(spike.org_code))
        .replace("%3", category_name(spike.category))
        .replace("%4", str(spike.received))
        .replace("%5", f"{spike.usual:g}")
        .replace("%6", f"{spike.z:g}")
    )


class RankingChart(pg.PlotWidget):
    """Counties as horizontal bars; a click on a bar (or its name) chooses the county."""

    county_clicked = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent, axisItems={"bottom": CountAxis("bottom")})
        self.setMouseEnabled(x=False, y=False)
        self.setMenuEnabled(False)
        self.getAxis("left").setWidth(120)  # room for the county names
        self.bars = pg.BarGraphItem(x0=0, y=[], height=0.7, width=[], brush="#1f6feb")
        self.addItem(self.bars)
        self.codes: list[str] = []
        self.scene().sigMouseClicked.connect(self._clicked)

    def show_ranking(
        self, ranking, selected: str | None, *, per_10k: bool, name=i18n.place
    ) -> None:
        self.codes = [code for code, _value in ranking]
        values = [value for _code, value in ranking]
        brushes = [pg.mkBrush("#f0883e" if code == selected else "#1f6feb") for code in self.codes]
        self.bars.setOpts(
            x0=0, y=np.arange(len(self.codes)), width=values, height=0.7, brushes=brushes
        )
        names = [name(code) for code in self.codes]
        axis = self.getAxis("left")
        axis.setTicks([list(enumerate(names))])
        # wide enough for the longest name: pyqtgraph leaves out a label that does not fit
        metrics = QFontMetrics(axis.style["tickFont"] or axis.font())
        axis.setWidth(max([120, *(metrics.horizontalAdvance(n) + 16 for n in names)]))
        self.getAxis("bottom").whole = not per_10k
        self.setTitle(
            self.tr("Received today per 10,000 residents")
            if per_10k
            else self.tr("Received today by county")
        )
        self.enableAutoRange()

    def _clicked(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        point = self.plotItem.vb.mapSceneToView(event.scenePos())
        n = round(point.y())
        if 0 <= n < len(self.codes) and abs(point.y() - n) <= 0.45:
            self.county_clicked.emit(self.codes[n])


def write_svg(widget: QGraphicsView, path: Path, title: str) -> None:
    """A chart drawn as SVG by Qt itself (pyqtgraph's SVG exporter trips over the
    path data Qt 6 writes)."""
    from PySide6.QtGui import QPainter
    from PySide6.QtSvg import QSvgGenerator

    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(widget.size())
    generator.setViewBox(widget.rect())
    generator.setTitle(title)
    painter = QPainter(generator)
    widget.render(painter)
    painter.end()
