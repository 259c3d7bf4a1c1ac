"""Overview: a stat tile per indicator, as Grafana's stat panels show them.

A case category's tile: cases received today so far; against the same time
yesterday and against the average of the same weekday over the last four weeks (as
far as the store holds them); closed and backlog; a sparkline of the last 24 hours;
a colour when a threshold is crossed. The live tiles (12348 hotline, community
correction, service points) show the dashboard summary's numbers with a sparkline of
their last two hours. A click on a category's tile opens its trend.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from commandcenter.domain import bureau_time, contract, thresholds
from commandcenter.domain.case_figures import WEEKS_COMPARED, Kpi, kpi
from commandcenter.domain.records import DashboardSummary
from commandcenter.domain.thresholds import Level
from commandcenter.ui.widgets import i18n
from commandcenter.ui.widgets.panel import Console, Panel
from commandcenter.ui.widgets.style import LEVEL_COLOURS

STALE_AFTER_S = 180  # the summary changes about once a minute (contract §3.8)
LIVE_SPAN = timedelta(hours=2)  # the live tiles' sparklines
WARN = "#d29922"
LIVE_TILES = ("hotline", "correction", "points")


class Sparkline(QWidget):
    """A small line of recent values, the latest marked; no axes (the tile says what it is)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.values = np.zeros(0)
        self.colour = QColor("#58a6ff")
        self.setMinimumSize(90, 28)

    def set_values(self, values, colour: str | None = None) -> None:
        self.values = np.asarray(values, dtype=float)
        self.colour = QColor(colour or "#58a6ff")
        self.update()

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt's name
        values = self.values
        if values.size < 2:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h = self.width() - 4, self.height() - 4
        low, high = float(values.min()), float(values.max())
        span = (high - low) or 1.0
        points = [
            QPointF(2 + w * n / (values.size - 1), 2 + h * (1 - (v - low) / span))
            for n, v in enumerate(values)
        ]
        fill = QColor(self.colour)
        fill.setAlpha(50)
        area = QPolygonF([QPointF(points[0].x(), 2 + h), *points, QPointF(points[-1].x(), 2 + h)])
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawPolygon(area)
        painter.setPen(QPen(self.colour, 1.5))
        painter.drawPolyline(QPolygonF(points))
        painter.setBrush(self.colour)
        painter.drawEllipse(points[-1], 2.5, 2.5)
        painter.end()


class Tile(QFrame):
    clicked = Signal()

    def __init__(self, title: str, parent=None):
        super().__init__(parent)
        self.setObjectName("kpiTile")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel(title)
        self.title.setObjectName("kpiTitle")
        self.value = QLabel("—")
        self.value.setObjectName("kpiValue")
        self.compare = QLabel("")  # against yesterday and the usual
        self.compare.setObjectName("kpiCompare")
        self.detail = QLabel("")
        self.detail.setObjectName("kpiDetail")
        self.detail.setWordWrap(True)
        self.spark = Sparkline()
        self.level = Level.OK
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.spark)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.value)
        layout.addWidget(self.compare)
        layout.addWidget(self.detail)

    def show_value(
        self,
        value: str,
        detail: str = "",
        *,
        level: Level = Level.OK,
        compare: str = "",
        spark=None,
        why: str = "",
        measured: str = "value",
    ) -> None:
        """`measured`: which line holds the figure the level is of ("value" or "detail"):
        that line takes the level's colour, the border too."""
        self.value.setText(value)
        self.detail.setText(detail)
        self.compare.setText(compare)
        self.compare.setVisible(bool(compare))
        self.level = level
        colour = LEVEL_COLOURS[level]
        self.value.setStyleSheet(f"color: {colour};" if colour and measured == "value" else "")
        self.detail.setStyleSheet(f"color: {colour};" if colour and measured == "detail" else "")
        self.setStyleSheet(f"QFrame#kpiTile {{ border: 2px solid {colour}; }}" if colour else "")
        self.setToolTip(why)
        if spark is not None:
            self.spark.set_values(spark, colour)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mouseReleaseEvent(event)


@dataclass(frozen=True)
class OverviewData:
    summary: DashboardSummary | None
    recent: list[DashboardSummary]  # the live numbers over LIVE_SPAN, oldest first
    kpis: dict[str, Kpi]
    history_from: datetime | None  # the earliest hour the store holds


class OverviewPanel(Panel):
    reload_on = ("dashboard", "case_stats")
    feeds = ("dashboard", "stats_hour")
    category_chosen = Signal(str)

    def __init__(self, console: Console, parent=None):
        super().__init__(console, parent)
        self.setObjectName("overview")
        self.as_of = QLabel(self.tr("Waiting for the data center's dashboard summary…"))
        self.as_of.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.grid = grid = QGridLayout()
        self._columns = 0
        self.tiles: dict[str, Tile] = {}
        names = [
            ("hotline", self.tr("12348 hotline now")),
            ("correction", self.tr("Community correction now")),
            ("points", self.tr("Service points online")),
        ]
        names += [
            (c.value, i18n.term(contract.CASE_CATEGORY_LABELS, c)) for c in contract.CaseCategory
        ]
        for key, title in names:
            tile = Tile(title)
            if key not in LIVE_TILES:
                tile.setCursor(Qt.CursorShape.PointingHandCursor)
                tile.clicked.connect(lambda key=key: self.category_chosen.emit(key))
            self.tiles[key] = tile
        self._arrange(4)
        tiles = QWidget()
        column = QVBoxLayout(tiles)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(grid)
        column.addStretch(1)
        scroll = QScrollArea()  # a short dock scrolls instead of squeezing its neighbours
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(tiles)
        self.body.addWidget(self.as_of)
        self.body.addWidget(scroll, 1)
        self.reload()

    def _arrange(self, columns: int) -> None:
        """As many tiles a row as the width allows: two in a side column, more on a wall."""
        if columns == self._columns:
            return
        self._columns = columns
        for n, tile in enumerate(self.tiles.values()):
            self.grid.removeWidget(tile)
            self.grid.addWidget(tile, n // columns, n % columns)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self._arrange(max(1, min(6, (event.size().width() - 24) // 250)))
        super().resizeEvent(event)

    def read(self) -> OverviewData:
        now = datetime.now(UTC)
        store = self.console.store
        history = self.console.case_history
        history.refresh()
        figures = history.figures(since=now - timedelta(weeks=WEEKS_COMPARED, days=1))
        kpis = {c.value: kpi(figures, c.value, now) for c in contract.CaseCategory}
        held = np.flatnonzero(figures.stored.any(axis=0))
        history_from = (
            datetime.fromtimestamp((figures.first_hour + int(held[0])) * 3600, UTC)
            if held.size
            else None
        )
        # the data center's summary is the city's: a county desk shows its own figures only
        city = self.console.scope.city
        return OverviewData(
            store.latest_dashboard_summary() if city else None,
            store.dashboard_summaries(since=now - LIVE_SPAN) if city else [],
            kpis,
            history_from,
        )

    def show_data(self, data: OverviewData) -> None:
        for category, figures in data.kpis.items():
            self._show_category(category, figures, data.history_from)
        summary = data.summary
        if summary is None:
            if not self.console.scope.city:
                self.as_of.setText(
                    self.tr(
                        "The data center's summary covers the whole city; this desk shows %1's case figures only."
                    ).replace("%1", i18n.place(self.console.scope.county))
                )
            return
        age = (datetime.now(UTC) - summary.as_of).total_seconds()
        stale = age > STALE_AFTER_S
        text = (
            self.tr("As of %1 (%2)")
            .replace("%1", bureau_time.bureau_text(summary.as_of, "%Y-%m-%d %H:%M"))
            .replace("%2", i18n.age(age))
        )
        if stale:
            text += " · " + self.tr("behind: see feed health")
        self.as_of.setText(text)
        self.as_of.setStyleSheet(f"color: {WARN};" if stale else "")
        self._show_live(summary, data.recent)

    def _show_category(self, category: str, k: Kpi, history_from: datetime | None) -> None:
        limits = self.console.thresholds
        surge = k.vs_usual_pct if k.vs_usual_pct is not None else k.vs_yesterday_pct
        surge_level = thresholds.level(
            surge, thresholds.for_category(limits, category, "surge_pct")
        )
        backlog_level = thresholds.level(
            k.backlog, thresholds.for_category(limits, category, "backlog")
        )
        level = max(surge_level, backlog_level, key=list(Level).index)
        parts = [self._change(self.tr("vs yesterday"), k.vs_yesterday_pct, k.yesterday)]
        parts.append(self._change(self.tr("vs usual"), k.vs_usual_pct, k.usual))
        why = [
            self.tr(
                "Received since midnight, against the same time yesterday and the average of the same "
                "weekday over the last %1 weeks held (%2 of %3)"
            )
            .replace("%1", str(WEEKS_COMPARED))
            .replace("%2", str(k.weeks))
            .replace("%3", str(WEEKS_COMPARED))
        ]
        if k.usual is None and history_from is not None:
            why.append(
                self.tr("The store holds figures from %1 on").replace(
                    "%1", bureau_time.bureau_text(history_from, "%Y-%m-%d %H:%M")
                )
            )
        if level is not Level.OK:
            why.append(
                self.tr("Threshold crossed: %1").replace(
                    "%1",
                    self.tr("backlog")
                    if backlog_level is level
                    else self.tr("received above usual"),
                )
            )
        self.tiles[category].show_value(
            f"{k.today:,}",
            self.tr("closed %1 · backlog %2")
            .replace("%1", f"{k.closed_today:,}")
            .replace("%2", f"{k.backlog:,}"),
            level=level,
            compare=" · ".join(parts),
            spark=k.spark,
            why="\n".join(why),
        )

    def _change(self, against: str, pct: float | None, base: float | None) -> str:
        if pct is None:
            return f"{against} —" if base is None else f"{against} ({base:,.0f})"
        return f"{against} {'+' if pct >= 0 else '−'}{abs(pct):.0f}%"

    def _show_live(self, summary: DashboardSummary, recent: list[DashboardSummary]) -> None:
        limits = self.console.thresholds
        recent = recent or [summary]
        hotline = summary.hotline
        waiting = int(hotline.get("callsWaiting", 0))
        wait_s = float(hotline.get("avgWaitSeconds", 0))
        level = max(
            thresholds.level(waiting, limits.get("hotline_waiting")),
            thresholds.level(wait_s, limits.get("hotline_wait_s")),
            key=list(Level).index,
        )
        self.tiles["hotline"].show_value(
            self.tr("%1 waiting").replace("%1", str(waiting)),
            self.tr("agents online %1 · average wait %2 s")
            .replace("%1", str(hotline.get("agentsOnline", 0)))
            .replace("%2", f"{wait_s:.0f}"),
            level=level,
            spark=[s.hotline.get("callsWaiting", 0) for s in recent],
            why=self.tr("Calls waiting now; the line: the last two hours"),
        )
        correction = summary.correction
        open_alerts = int(correction.get("alertsOpen", 0))
        self.tiles["correction"].show_value(
            f"{correction.get('underCorrection', 0):,}",
            self.tr("under correction · electronic monitoring %1 · open alerts %2")
            .replace("%1", f"{correction.get('electronicMonitoring', 0):,}")
            .replace("%2", str(open_alerts)),
            level=thresholds.level(open_alerts, limits.get("correction_alerts_open")),
            measured="detail",
            spark=[s.correction.get("alertsOpen", 0) for s in recent],
            why=self.tr("People under correction; the line: open alerts over the last two hours"),
        )
        points = summary.points
        total = sum(points.values()) or 1
        online = points.get("online", 0)
        offline_pct = 100.0 * points.get("offline", 0) / total
        self.tiles["points"].show_value(
            f"{online:,}",
            self.tr("offline %1 · alarm %2 · %3 online")
            .replace("%1", f"{points.get('offline', 0):,}")
            .replace("%2", f"{points.get('alarm', 0):,}")
            .replace("%3", f"{online / total:.1%}"),
            level=thresholds.level(offline_pct, limits.get("points_offline_pct")),
            measured="detail",
            spark=[s.points.get("offline", 0) for s in recent],
            why=self.tr("Service points online; the line: points offline over the last two hours"),
        )
