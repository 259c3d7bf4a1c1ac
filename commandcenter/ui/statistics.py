"""Statistics: hourly trends of a case category across the city, and the counties
ranked by what they received today. Sums are computed off the GUI thread; a late
revision of an hour (contract 3.7) arrives as a changed row and is redrawn."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSplitter

from commandcenter.domain import contract
from commandcenter.domain.geography import COUNTIES
from commandcenter.ui import i18n
from commandcenter.ui.panel import Console, Panel

RANGES = {"24h": timedelta(hours=24), "7d": timedelta(days=7)}
SERIES = (("received", "#58a6ff"), ("closed", "#3fb950"), ("pending", "#d29922"))


@dataclass(frozen=True)
class Trend:
    category: str
    hours: np.ndarray  # epoch seconds of each bucket
    received: np.ndarray
    closed: np.ndarray
    pending: np.ndarray
    county_codes: list[str]
    county_received: list[int]  # since local midnight
    total_today: int


def summarise(stats, now: datetime, category: str) -> Trend:
    """Runs in a worker: sum the counties' hourly rows per hour, and today's per county."""
    by_hour: dict[datetime, list[int]] = defaultdict(lambda: [0, 0, 0])
    midnight = now.astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
    county_today: dict[str, int] = defaultdict(int)
    for row in stats:
        sums = by_hour[row.bucket]
        sums[0] += row.received
        sums[1] += row.closed
        sums[2] += row.pending
        if row.bucket >= midnight:
            county_today[row.org_code[:6]] += row.received
    hours = sorted(by_hour)
    ranked = sorted(county_today.items(), key=lambda item: item[1])
    return Trend(
        category,
        np.array([h.timestamp() for h in hours], dtype=float),
        np.array([by_hour[h][0] for h in hours], dtype=float),
        np.array([by_hour[h][1] for h in hours], dtype=float),
        np.array([by_hour[h][2] for h in hours], dtype=float),
        [code for code, _ in ranked],
        [count for _, count in ranked],
        sum(county_today.values()),
    )


class StatisticsPanel(Panel):
    reload_on = ("case_stats",)
    feeds = ("stats_hour",)

    def __init__(self, console: Console, parent=None):
        super().__init__(console, parent)
        self.setObjectName("statistics")
        self.category = QComboBox()
        for category in contract.CaseCategory:
            self.category.addItem(i18n.term(contract.CASE_CATEGORY_LABELS, category), category.value)
        self.category.setCurrentIndex(self.category.findData(contract.CaseCategory.MEDIATION.value))
        self.range = QComboBox()
        self.range.addItem(self.tr("Last 24 hours"), "24h")
        self.range.addItem(self.tr("Last 7 days"), "7d")
        self.summary = QLabel()
        self.summary.setObjectName("statSummary")
        for combo in (self.category, self.range):
            combo.currentIndexChanged.connect(lambda: self.reload(urgent=True))
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Category")))
        bar.addWidget(self.category)
        bar.addWidget(self.range)
        bar.addStretch(1)
        bar.addWidget(self.summary)

        self.trend = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem()})
        self.trend.setTitle(self.tr("Per hour, whole city"))
        self.trend.showGrid(x=True, y=True, alpha=0.2)
        self.trend.addLegend(offset=(10, 5))
        self.trend.setMouseEnabled(x=True, y=False)
        self.curves = {
            name: self.trend.plot(name=self._series_name(name), pen=pg.mkPen(colour, width=2))
            for name, colour in SERIES
        }
        for curve in self.curves.values():
            curve.setClipToView(True)
            curve.setDownsampling(auto=True, method="peak")
        self.ranking = pg.PlotWidget()
        self.ranking.setTitle(self.tr("Received today by county"))
        self.ranking.setMouseEnabled(x=False, y=False)
        self.ranking.getAxis("left").setWidth(120)  # room for the county names
        self.bars = pg.BarGraphItem(x0=0, y=[], height=0.7, width=[], brush="#1f6feb")
        self.ranking.addItem(self.bars)
        splitter = QSplitter()
        splitter.addWidget(self.trend)
        splitter.addWidget(self.ranking)
        splitter.setSizes([700, 350])
        self.body.addLayout(bar)
        self.body.addWidget(splitter, 1)
        self.reload()

    def _series_name(self, name: str) -> str:
        return {"received": self.tr("received"), "closed": self.tr("closed"), "pending": self.tr("pending")}[name]

    def read(self) -> Trend:
        category = self.category.currentData()
        now = datetime.now(UTC)
        since = now - RANGES[self.range.currentData()]
        stats = self.console.store.case_stats(granularity="hour", since=since, category=category)
        return summarise(stats, now, category)

    def show_data(self, trend: Trend) -> None:
        for name, _colour in SERIES:
            self.curves[name].setData(trend.hours, getattr(trend, name))
        self.trend.enableAutoRange()
        counties = {c.code for c in COUNTIES}
        codes = trend.county_codes
        self.bars.setOpts(x0=0, y=np.arange(len(codes)), width=trend.county_received, height=0.7)
        axis = self.ranking.getAxis("left")
        axis.setTicks([[(n, i18n.place(code) if code in counties else code) for n, code in enumerate(codes)]])
        self.ranking.enableAutoRange()
        label = i18n.term(contract.CASE_CATEGORY_LABELS, trend.category)
        self.summary.setText(self.tr("%1 received today: %2").replace("%1", label)
                             .replace("%2", f"{trend.total_today:,}"))
