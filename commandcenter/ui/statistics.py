"""Statistics: hourly trends of a case category across the city, and the counties
ranked by what they received today. Sums are computed off the GUI thread; a late
revision of an hour (contract 3.7) arrives as a changed row and is redrawn."""

from __future__ import annotations

import csv
import dataclasses
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pyqtgraph as pg
import pyqtgraph.exporters  # noqa: F401 - pg.exporters
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
)

from commandcenter.domain import anomaly, contract
from commandcenter.domain.geography import COUNTIES, county_code
from commandcenter.domain.records import Alert
from commandcenter.ui import i18n
from commandcenter.ui.panel import Console, Panel

RANGES = {"24h": timedelta(hours=24), "7d": timedelta(days=7)}
RAISE_WITHIN_H = 24  # unusual hours older than this are marked on the chart, not raised again
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
    spikes: list = field(default_factory=list)  # domain.anomaly.Anomaly in the range shown
    day: object = None  # domain.anomaly.DayComparison: today against a week ago


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
            county_today[county_code(row.org_code)] += row.received
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


def write_svg(widget, path: Path, title: str) -> None:
    """A widget drawn as SVG by Qt itself (pyqtgraph's SVG exporter trips over the
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
        self.day_line = QLabel()  # the day in one sentence
        self.day_line.setObjectName("statDayLine")
        for combo in (self.category, self.range):
            combo.currentIndexChanged.connect(lambda: self.reload(urgent=True))
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Category")))
        bar.addWidget(self.category)
        bar.addWidget(self.range)
        export = QPushButton(self.tr("Export charts…"))
        export.setToolTip(self.tr("Both charts as PNG and SVG, and the hourly figures as CSV"))
        export.clicked.connect(self.export_dialog)
        bar.addWidget(export)
        bar.addStretch(1)
        bar.addWidget(self.day_line)
        bar.addSpacing(16)
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
        # unusual hours: a red mark on the city's curve, the counties and scores on hover
        self.spike_marks = pg.ScatterPlotItem(size=14, symbol="t1", pen=pg.mkPen("#ffffff", width=1),
                                              brush=pg.mkBrush("#f85149"), hoverable=True, tip=None)
        self.spike_marks.setZValue(10)
        self.spike_marks.sigHovered.connect(self._spike_hovered)
        self.trend.addItem(self.spike_marks)
        self.rule = QLabel(self.tr(
            "▲ unusual hour: a county's cases received far above the same hour of the same weekday in the "
            "previous weeks (or of the previous days while fewer than three weeks are stored): robust z-score "
            "0.6745·(x − median)/MAD ≥ 3.5 and at least 5 cases above the median; the hour under way counts at "
            "its rate so far"))
        self.rule.setWordWrap(True)
        self.rule.setObjectName("statRule")
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
        self.body.addWidget(self.rule)
        self.spikes: list = []
        self._trend: Trend | None = None
        self.reload()

    def export(self, directory: Path) -> list[Path]:
        """The trend and the ranking as PNG (twice the screen's pixels, for reports) and
        SVG, and the trend's hourly figures as CSV; the files' names say what and when."""
        directory.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now().astimezone().strftime("%Y%m%d-%H%M")
        category = self.category.currentData()
        written = []
        for name, plot in (("trend", self.trend), ("counties", self.ranking)):
            base = directory / f"statistics-{category}-{name}-{stamp}"
            image = pg.exporters.ImageExporter(plot.plotItem)
            image.parameters()["width"] = max(1200, plot.width() * 2)
            image.export(str(base.with_suffix(".png")))
            write_svg(plot, base.with_suffix(".svg"), self.tr("Statistics"))
            written += [base.with_suffix(".png"), base.with_suffix(".svg")]
        table = directory / f"statistics-{category}-hourly-{stamp}.csv"
        trend = self._trend
        with table.open("w", encoding="utf-8-sig", newline="") as f:  # with a BOM: Excel reads the Chinese
            out = csv.writer(f)
            out.writerow([self.tr("hour"), *(self._series_name(n) for n, _c in SERIES)])
            for n, hour in enumerate(trend.hours if trend else []):
                out.writerow([datetime.fromtimestamp(hour).astimezone().strftime("%Y-%m-%d %H:00"),
                              *(int(getattr(trend, s)[n]) for s, _c in SERIES)])
        written.append(table)
        missing = [p for p in written if not p.is_file() or p.stat().st_size == 0]
        if missing:
            raise OSError(f"the export did not write {', '.join(p.name for p in missing)}")
        self.console.audit("statistics.export", category, {"files": [p.name for p in written]})
        return written

    def export_dialog(self) -> None:
        directory = QFileDialog.getExistingDirectory(self, self.tr("Export charts to"))
        if not directory:
            return
        try:
            written = self.export(Path(directory))
        except OSError as exc:
            QMessageBox.warning(self, self.tr("Export failed"), str(exc))
            return
        self.summary.setText(self.tr("Exported %1 files to %2").replace("%1", str(len(written)))
                             .replace("%2", directory))

    def _spike_hovered(self, _item, points, _event) -> None:
        from PySide6.QtGui import QCursor
        from PySide6.QtWidgets import QToolTip

        if len(points) == 0:
            QToolTip.hideText()
            return
        lines = [self._describe_spike(s) for s in points[0].data()]
        QToolTip.showText(QCursor.pos(), "\n".join(lines))

    def _describe_spike(self, spike) -> str:
        return (self.tr("%1 %2: %3 received, usually %4 (z %5)").replace("%1", f"{spike.bucket.astimezone():%m-%d %H:00}")
                .replace("%2", i18n.place(spike.org_code)).replace("%3", str(spike.received))
                .replace("%4", f"{spike.usual:g}").replace("%5", f"{spike.z:g}"))

    def _series_name(self, name: str) -> str:
        return {"received": self.tr("received"), "closed": self.tr("closed"), "pending": self.tr("pending")}[name]

    def read(self) -> Trend:
        category = self.category.currentData()
        now = datetime.now(UTC)
        since = now - RANGES[self.range.currentData()]
        # the range and, before it, the weeks its hours are compared with
        history = self.console.store.case_stats(granularity="hour", category=category,
                                                since=since - timedelta(weeks=anomaly.WEEKS, hours=1))
        trend = summarise([row for row in history if row.bucket >= since], now, category)
        spikes = anomaly.find_spikes(history, since, now)
        midnight = now.astimezone().replace(hour=0, minute=0, second=0, microsecond=0)  # today as summarise() counts it
        day = anomaly.compare_with_last_week(history, midnight, now)
        self._raise_alerts([s for s in spikes if s.bucket >= now - timedelta(hours=RAISE_WITHIN_H)])
        return dataclasses.replace(trend, spikes=spikes, day=day)

    def _raise_alerts(self, spikes: list) -> None:
        """A local alert per unusual hour (the same id every time: raised once), so the
        alert list shows it as well as the chart."""
        if not spikes:
            return
        label = i18n.term(contract.CASE_CATEGORY_LABELS, spikes[0].category)
        alerts = [Alert(anomaly.spike_alert_id(s), anomaly.SPIKE_ALERT_TYPE, anomaly.SPIKE_SEVERITY, None,
                        None, None, None, None, None, s.bucket,
                        f"{i18n.place(s.org_code)} {label}异常 · {s.received} 件（通常 {s.usual:g}）",
                        f"z = {s.z:g}；与{'前几周同一星期几' if s.compared_with == 'weeks' else '前几天'}的同一小时比较",
                        "new", None, None, s.bucket)
                  for s in spikes]
        store = self.console.store
        known = {a.alert_id for a in store.alerts(since=min(s.bucket for s in spikes))}
        fresh = [a for a in alerts if a.alert_id not in known]  # an acknowledged one stays acknowledged
        if fresh:
            store.upsert_alerts(fresh)  # the store tells the alert list and the map

    def show_data(self, trend: Trend) -> None:
        self._trend = trend
        for name, _colour in SERIES:
            self.curves[name].setData(trend.hours, getattr(trend, name))
        by_hour: dict[float, list] = defaultdict(list)
        for spike in trend.spikes:
            by_hour[spike.bucket.timestamp()].append(spike)
        city = dict(zip(trend.hours.tolist(), trend.received.tolist(), strict=True))
        self.spike_marks.setData([{"pos": (t, city.get(t, 0.0)), "data": spikes} for t, spikes in by_hour.items()])
        self.spikes = trend.spikes
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
        self._last_day = trend.day
        self.day_line.setText(self.describe_day(label, trend.day) if trend.day is not None else "")

    def describe_day(self, label: str, day) -> str:
        """The day in one plain sentence, e.g. 人民调解受理量较上周同期上升 18%，吴中区最高."""
        top = i18n.place(day.top_county) if day.top_county else ""
        change = day.change_pct
        if change is None:
            text = self.tr("%1: %2 received today").replace("%1", label).replace("%2", f"{day.today:,}")
        elif abs(change) < 1:
            text = self.tr("%1 received about as many as at this time last week").replace("%1", label)
        else:
            template = (self.tr("%1 received %2% more than at this time last week") if change > 0
                        else self.tr("%1 received %2% fewer than at this time last week"))
            text = template.replace("%1", label).replace("%2", f"{abs(change):.0f}")
        return text + (self.tr(", most in %1").replace("%1", top) if top else "")
