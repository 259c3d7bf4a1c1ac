"""Statistics: hourly trends of the case categories over a chosen span, stacked by
county or by category, and the counties ranked by what they received today.

The figures come from the console's `CaseHistory`, which reads only what changed
since its last read; a poll therefore costs a few array sums in a worker and new
data for the curves already drawn, never a full reload. A late revision of an hour
(contract 3.7) is a changed row like any other: its bucket is redrawn in place.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pyqtgraph as pg
import pyqtgraph.exporters  # noqa: F401 - pg.exporters
from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QWidget,
)

from commandcenter.domain import anomaly, contract
from commandcenter.domain.case_figures import (
    CLOSED,
    PENDING,
    RECEIVED,
    CaseFigures,
    bureau_midnight,
    epoch_hour,
)
from commandcenter.domain.contract import Term
from commandcenter.domain.filenames import name_part
from commandcenter.domain.geography import county_code, county_name
from commandcenter.exports import spreadsheets
from commandcenter.ui.widgets import i18n
from commandcenter.ui.widgets.i18n import tr
from commandcenter.ui.widgets.panel import Console, Panel
from commandcenter.ui.widgets.progress import run_job
from commandcenter.ui.widgets.text import plain_label
from commandcenter.ui.workers.jobs import JobSteps, OnGui, Progress, run_inline

RANGES = (("24h", 24), ("7d", 24 * 7), ("30d", 24 * 30))
CUSTOM = "custom"
MAX_CUSTOM_DAYS = 366
VIEWS = ("flow", "county", "category")
FLOW_COLOURS = {"received": "#58a6ff", "closed": "#3fb950", "pending": "#d29922"}
PALETTE = (
    "#58a6ff",
    "#3fb950",
    "#d29922",
    "#f778ba",
    "#a371f7",
    "#39c5cf",
    "#ff7b72",
    "#e3b341",
    "#8b949e",
    "#56d364",
    "#79c0ff",
    "#ffa657",
)


@dataclass(frozen=True)
class StatsSpec:
    """What the operator asked to see."""

    category: str | None = contract.CaseCategory.MEDIATION.value  # None: all categories
    range_key: str = "24h"
    custom: tuple[datetime, datetime] | None = None  # the span when range_key is CUSTOM
    view: str = "flow"  # received/closed/backlog, stacked by county, stacked by category
    county: str | None = None  # None: the whole city
    per_10k: bool = False  # the ranking per 10,000 residents

    def span(self, now: datetime) -> tuple[datetime, datetime]:
        """[start, end) on whole hours; a preset ends with the hour under way."""
        if self.range_key == CUSTOM and self.custom is not None:
            return self.custom
        hours = dict(RANGES)[self.range_key]
        end = datetime.fromtimestamp((epoch_hour(now) + 1) * 3600, UTC)
        return end - timedelta(hours=hours), end


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    colour: str
    values: np.ndarray  # one per hour of the trend
    right: bool = False  # on the right-hand axis: a level (the backlog) beside the flows


@dataclass(frozen=True)
class Trend:
    spec: StatsSpec
    hours: np.ndarray  # epoch seconds of each hour
    series: tuple[Series, ...]
    stacked: bool
    ranking: tuple[tuple[str, float], ...]  # (county, value) in ascending order: the bars bottom up
    received_today: int  # of the chosen categories and county
    spikes: tuple = ()  # domain.anomaly.Anomaly in the span
    day: anomaly.DayComparison | None = None
    drawn_for: tuple = field(
        default=(), compare=False
    )  # (spec, history version, hour): what the data is of


def category_name(category: str | None) -> str:
    return i18n.term(contract.CASE_CATEGORY_LABELS, category) if category else tr("All categories")


def compute_trend(
    figures: CaseFigures, spec: StatsSpec, now: datetime, population: dict[str, float]
) -> Trend:
    """Everything the charts draw, as arrays. Runs in a worker."""
    start, end = spec.span(now)
    lo, hi = figures.index(start), figures.index(end - timedelta(microseconds=1)) + 1
    categories = [spec.category] if spec.category else None
    county_orgs = (
        [o for o in figures.orgs if county_code(o) == spec.county] if spec.county else None
    )
    stacked = spec.view != "flow"
    if spec.view == "county":
        per_org = figures.by_org(RECEIVED, lo, hi, categories=categories)
        by_county: dict[str, np.ndarray] = {}
        for n, org in enumerate(figures.orgs):
            code = county_code(org)
            if spec.county in (None, code):
                by_county[code] = by_county.get(code, 0) + per_org[n]
        ordered = sorted(
            by_county, key=lambda c: -float(by_county[c].sum())
        )  # the largest at the bottom
        series = tuple(
            Series(code, i18n.place(code), PALETTE[n % len(PALETTE)], by_county[code])
            for n, code in enumerate(ordered)
        )
    elif spec.view == "category":
        per_category = figures.by_category(RECEIVED, lo, hi, orgs=county_orgs)
        wanted = [n for n, c in enumerate(figures.categories) if spec.category in (None, c)]
        wanted.sort(key=lambda n: -float(per_category[n].sum()))
        series = tuple(
            Series(
                figures.categories[n],
                category_name(figures.categories[n]),
                PALETTE[n % len(PALETTE)],
                per_category[n],
            )
            for n in wanted
        )
    else:
        series = tuple(
            Series(
                key,
                label,
                FLOW_COLOURS[key],
                figures.series(measure, lo, hi, categories=categories, orgs=county_orgs),
                right=measure == PENDING,
            )
            for key, label, measure in (
                ("received", tr("received"), RECEIVED),
                ("closed", tr("closed"), CLOSED),
                ("pending", tr("backlog (right axis)"), PENDING),
            )
        )
    # the ranking: today, every county, whatever county is chosen (it is how one is chosen)
    midnight, hour_now = figures.index(bureau_midnight(now)), figures.index(now) + 1
    today = figures.by_org(RECEIVED, midnight, hour_now, categories=categories).sum(axis=1)
    per_county: dict[str, float] = {}
    for n, org in enumerate(figures.orgs):
        per_county[county_code(org)] = per_county.get(county_code(org), 0.0) + float(today[n])
    received_today = int(sum(v for c, v in per_county.items() if spec.county in (None, c)))
    if spec.per_10k:
        per_county = {c: v / population[c] for c, v in per_county.items() if population.get(c)}
    ranking = tuple(sorted(per_county.items(), key=lambda item: (item[1], item[0])))
    spikes = []
    for category in categories or figures.categories:
        spikes += [
            s
            for s in anomaly.find_spikes(figures, category, start, now)
            if spec.county in (None, county_code(s.org_code))
        ]
    day = anomaly.compare_with_last_week(figures, categories, now, orgs=county_orgs)
    return Trend(
        spec,
        figures.epoch_seconds(lo, hi),
        series,
        stacked,
        ranking,
        received_today,
        tuple(sorted(spikes, key=lambda s: (s.bucket, s.org_code))),
        day,
    )


class DateAxis(pg.DateAxisItem):
    """pyqtgraph's date axis names days and months in English ("Sat 28", "Nov"):
    here days are month-day and months year-month, in either language."""

    def tickStrings(self, values, scale, spacing):  # noqa: N802 - pyqtgraph's name
        strings = super().tickStrings(values, scale, spacing)
        out = []
        for value, text in zip(values, strings, strict=True):
            local = datetime.fromtimestamp(value)
            if any(ch.isalpha() for ch in text):
                text = local.strftime("%m-%d" if spacing < 28 * 86400 else "%Y-%m")
            out.append(text)
        return out


class TrendChart(pg.PlotWidget):
    """Hourly curves on a date axis, stacked or not, with the unusual hours marked and
    a crosshair that reads out every curve at the hour under the mouse."""

    def __init__(self, parent=None):
        super().__init__(parent, axisItems={"bottom": DateAxis()})
        self.showGrid(x=True, y=True, alpha=0.2)
        self.legend = self.addLegend(offset=(10, 5), colCount=2)
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
                total = total + values
                values = total
            self.curves[s.key].setData(trend.hours, values)
        self.trend = trend
        top = (
            total if trend.stacked else trend.series[0].values if trend.series else total
        )  # where marks sit
        at = {t: float(top[n]) for n, t in enumerate(trend.hours.tolist())}
        by_hour: dict[float, list] = {}
        for spike in trend.spikes:
            by_hour.setdefault(spike.bucket.timestamp(), []).append(spike)
        self.spike_marks.setData(
            [{"pos": (t, at.get(t, 0.0)), "data": spikes} for t, spikes in by_hour.items()]
        )
        if layout != self._layout:
            self._layout = layout
            self.enableAutoRange()
            self.right_box.enableAutoRange()

    def _rebuild(self, trend: Trend) -> None:
        for key, curve in self.curves.items():
            (self.right_box if key in self._on_right else self.plotItem).removeItem(curve)
        self.legend.clear()
        self.legend.setColumnCount(
            5 if len(trend.series) > 4 else 2
        )  # ten counties in two rows, not five
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
        n = int(np.clip(np.searchsorted(trend.hours, x - 1800), 0, len(trend.hours) - 1))
        self.read_out(n)

    def read_out(self, n: int) -> None:
        """Show every curve's value at hour n of the trend beside a vertical line."""
        trend = self.trend
        hour = float(trend.hours[n])
        lines = [f"{datetime.fromtimestamp(hour).astimezone():%Y-%m-%d %H:00}"]
        lines += [f"{s.label}: {int(s.values[n]):,}" for s in trend.series]
        if trend.stacked:
            lines.append(self.tr("total") + f": {int(sum(s.values[n] for s in trend.series)):,}")
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


def describe_spike(spike) -> str:
    return (
        tr("%1 %2 %3: %4 received, usually %5 (z %6)")
        .replace("%1", f"{spike.bucket.astimezone():%m-%d %H:00}")
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
        super().__init__(parent)
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
        self.getAxis("left").setTicks([[(n, name(code)) for n, code in enumerate(self.codes)]])
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


class CustomRangeDialog(QDialog):
    """A span of whole hours, at most a year."""

    def __init__(self, start: datetime, end: datetime, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Custom range"))
        self.start = QDateTimeEdit(QDateTime(start.astimezone()), calendarPopup=True)
        self.end = QDateTimeEdit(QDateTime(end.astimezone()), calendarPopup=True)
        for edit in (self.start, self.end):
            edit.setDisplayFormat("yyyy-MM-dd HH:00")
        self.problem = QLabel()
        self.problem.setObjectName("formProblem")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("From"), self.start)
        form.addRow(self.tr("Until"), self.end)
        form.addRow(self.problem)
        form.addRow(buttons)

    def span(self) -> tuple[datetime, datetime]:
        def hour(edit: QDateTimeEdit) -> datetime:
            t = edit.dateTime().toPython().astimezone()
            return t.replace(minute=0, second=0, microsecond=0).astimezone(UTC)

        return hour(self.start), hour(self.end)

    def accept(self) -> None:
        start, end = self.span()
        if end <= start:
            self.problem.setText(self.tr("The end must be after the start."))
            return
        if end - start > timedelta(days=MAX_CUSTOM_DAYS):
            self.problem.setText(
                self.tr("At most %1 days at a time.").replace("%1", str(MAX_CUSTOM_DAYS))
            )
            return
        super().accept()


class StatisticsPanel(Panel):
    reload_on = ("case_stats",)
    feeds = ("stats_hour",)
    county_chosen = Signal(str)  # "" for the whole city: the map follows

    def __init__(self, console: Console, parent=None):
        super().__init__(console, parent)
        self.setObjectName("statistics")
        self.spec = StatsSpec()
        self.category = QComboBox()
        self.category.addItem(self.tr("All categories"), None)
        for category in contract.CaseCategory:
            self.category.addItem(
                i18n.term(contract.CASE_CATEGORY_LABELS, category), category.value
            )
        self.category.setCurrentIndex(self.category.findData(self.spec.category))
        self.range = QComboBox()
        for key, label in (
            ("24h", self.tr("Last 24 hours")),
            ("7d", self.tr("Last 7 days")),
            ("30d", self.tr("Last 30 days")),
            (CUSTOM, self.tr("Custom range…")),
        ):
            self.range.addItem(label, key)
        self.view = QComboBox()
        for key, label in (
            ("flow", self.tr("Received, closed, backlog")),
            ("county", self.tr("Stacked by county")),
            ("category", self.tr("Stacked by category")),
        ):
            self.view.addItem(label, key)
        self.county = QComboBox()
        self.county.addItem(self.tr("Whole city"), None)
        for code in sorted(console.population_10k) or []:
            self.county.addItem(i18n.place(code), code)
        self.per_10k = QCheckBox(self.tr("Per 10,000 residents"))
        self.per_10k.setToolTip(self.tr("The county ranking divided by each county's residents"))
        self.per_10k.setEnabled(bool(console.population_10k))
        self.category.currentIndexChanged.connect(
            lambda: self._choose(category=self.category.currentData())
        )
        self.range.activated.connect(self._range_chosen)
        self.view.currentIndexChanged.connect(lambda: self._choose(view=self.view.currentData()))
        self.county.currentIndexChanged.connect(
            lambda: self._choose(county=self.county.currentData())
        )
        self.per_10k.toggled.connect(lambda on: self._choose(per_10k=on))
        export = self.export_button = QPushButton(self.tr("Export…"))
        export.setToolTip(self.tr("Both charts as PNG and SVG, the figures as CSV and XLSX"))
        export.clicked.connect(self.export_dialog)
        report = self.report_button = QPushButton(self.tr("Daily report…"))
        report.setToolTip(
            self.tr("Today's report (日报) as a PDF: the KPIs, the charts and the summary")
        )
        report.clicked.connect(self.report_dialog)
        bar = QHBoxLayout()
        for widget in (
            QLabel(self.tr("Category")),
            self.category,
            self.range,
            self.view,
            self.county,
            self.per_10k,
            export,
            report,
        ):
            bar.addWidget(widget)
        bar.addStretch(1)
        self.summary = plain_label()  # names the files written, and where
        self.summary.setObjectName("statSummary")
        self.day_line = plain_label()  # the day in one sentence
        self.day_line.setObjectName("statDayLine")
        lines = QHBoxLayout()
        lines.addWidget(self.day_line, 1)
        lines.addWidget(self.summary)

        self.trend = TrendChart()
        self.ranking = RankingChart()
        self.ranking.county_clicked.connect(self.choose_county)
        self.rule = QLabel(
            self.tr(
                "▲ unusual hour: a county's cases received far above the same hour of the same weekday in the "
                "previous weeks (or of the previous days while fewer than three weeks are stored): robust z-score "
                "0.6745·(x − median)/MAD ≥ 3.5 (the MAD at least 1 and at least 0.6745·√median, what chance alone gives "
                "counts of that size) and at least 5 cases above the median; the hour under way counts at its rate so "
                "far"
            )
        )
        self.rule.setWordWrap(True)
        self.rule.setObjectName("statRule")
        splitter = QSplitter()
        splitter.addWidget(self.trend)
        splitter.addWidget(self.ranking)
        splitter.setSizes([700, 350])
        self.body.addLayout(bar)
        self.body.addLayout(lines)
        self.body.addWidget(splitter, 1)
        self.body.addWidget(self.rule)
        self._trend: Trend | None = None
        self._drawn_for: tuple = ()
        self.reload()

    @property
    def spikes(self) -> tuple:
        return self._trend.spikes if self._trend else ()

    # -- the operator's choices --------------------------------------------------

    def _choose(self, **changes) -> None:
        spec = replace(self.spec, **changes)
        if spec != self.spec:
            self.spec = spec
            self.reload(urgent=True)

    def _range_chosen(self) -> None:
        key = self.range.currentData()
        if key != CUSTOM:
            self._choose(range_key=key, custom=None)
            return
        start, end = self.spec.span(datetime.now(UTC))
        dialog = CustomRangeDialog(start, end, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._choose(range_key=CUSTOM, custom=dialog.span())
        else:  # back to what is shown
            self.range.setCurrentIndex(self.range.findData(self.spec.range_key))

    def choose_county(self, code: str | None) -> None:
        """Show one county in the trends (the same county again: the whole city)."""
        code = None if code == self.spec.county else code
        if self.county.findData(code) < 0:
            self.county.addItem(i18n.place(code), code)
        self.county.setCurrentIndex(self.county.findData(code))  # -> _choose
        self.county_chosen.emit(code or "")

    # -- reading and drawing ---------------------------------------------------------

    def read(self) -> Trend | None:
        spec = self.spec
        history = self.console.case_history
        version = history.refresh().version
        now = datetime.now(UTC)
        drawn_for = (spec, version, epoch_hour(now))
        if drawn_for == self._drawn_for:
            return None  # nothing new: nothing to redraw
        start, _end = spec.span(now)
        # the span and, before it, the weeks its hours are compared with
        figures = history.figures(since=start - timedelta(weeks=anomaly.WEEKS, hours=1))
        # unusual hours are marked here; the feeds' SpikeWatch raises them as alerts
        trend = compute_trend(figures, spec, now, self.console.population_10k)
        return replace(trend, drawn_for=drawn_for)

    def show_data(self, trend: Trend | None) -> None:
        if trend is None:
            return
        self._trend = trend
        self._drawn_for = trend.drawn_for
        self.trend.show_trend(trend)
        self.trend.setTitle(self._trend_title(trend.spec))
        self.ranking.show_ranking(trend.ranking, trend.spec.county, per_10k=trend.spec.per_10k)
        label = category_name(trend.spec.category)
        place = i18n.place(trend.spec.county) if trend.spec.county else self.tr("Whole city")
        self.summary.setText(
            self.tr("%1, %2: %3 received today")
            .replace("%1", place)
            .replace("%2", label)
            .replace("%3", f"{trend.received_today:,}")
        )
        self.day_line.setText(describe_day(label, trend.day) if trend.day is not None else "")

    def _trend_title(self, spec: StatsSpec) -> str:
        place = i18n.place(spec.county) if spec.county else self.tr("whole city")
        view = {
            "flow": self.tr("per hour"),
            "county": self.tr("received per hour, by county"),
            "category": self.tr("received per hour, by category"),
        }[spec.view]
        return f"{category_name(spec.category)} · {view} · {place}"

    # -- export ---------------------------------------------------------------------

    def tables(self) -> list[spreadsheets.Table]:
        """What the charts show, as tables: the hourly figures and the county ranking."""
        trend = self._trend
        if trend is None:
            return []
        hourly = spreadsheets.Table(
            self.tr("hourly"),
            [self.tr("hour"), *(s.label for s in trend.series)],
            [
                [
                    datetime.fromtimestamp(hour).astimezone().strftime("%Y-%m-%d %H:00"),
                    *(int(s.values[n]) for s in trend.series),
                ]
                for n, hour in enumerate(trend.hours)
            ],
        )
        value = self.tr("per 10,000 residents") if trend.spec.per_10k else self.tr("received today")
        counties = spreadsheets.Table(
            self.tr("counties"),
            [self.tr("county"), self.tr("code"), value],
            [[i18n.place(code), code, round(v, 2)] for code, v in reversed(trend.ranking)],
        )
        return [hourly, counties]

    def export(self, directory: Path) -> list[Path]:
        """The export (`export_job`) at once, on the GUI thread."""
        return run_inline(self.export_job(directory))

    def export_job(self, directory: Path) -> JobSteps[list[Path]]:
        """Both charts as PNG (twice the screen's pixels, for reports) and SVG, and the
        tables as CSV and XLSX; the files' names say what and when. What is shown now
        is taken now; the files are written in steps (ui/jobs.py), and a job cancelled
        or failed midway removes the files it wrote."""
        stamp = datetime.now().astimezone().strftime("%Y%m%d-%H%M")
        what = name_part(self.spec.category or "all")
        title = self._trend_title(self.spec)
        tables = self.tables()
        charts = (("trend", self.trend), ("counties", self.ranking))
        steps = 2 * len(charts) + len(tables) + 1
        label = self.tr("Statistics")
        # the steps' words, translated here on the GUI thread
        says = {
            "png": self.tr("Chart image %1"),
            "svg": self.tr("Chart drawing %1"),
            "csv": self.tr("Table %1"),
            "xlsx": self.tr("Workbook %1"),
        }

        def png(plot) -> QImage:
            image = pg.exporters.ImageExporter(plot.plotItem)
            image.parameters()["width"] = max(1200, plot.width() * 2)
            return image.export(toBytes=True)

        def work() -> JobSteps[list[Path]]:
            written: list[Path] = []
            done = 0
            try:
                directory.mkdir(parents=True, exist_ok=True)
                for name, plot in charts:
                    base = directory / f"statistics-{what}-{name}-{stamp}"
                    yield Progress(says["png"].replace("%1", f"{base.name}.png"), done, steps)
                    image = yield OnGui(lambda plot=plot: png(plot))
                    written.append(_save_image(image, base.with_suffix(".png")))
                    done += 1
                    yield Progress(says["svg"].replace("%1", f"{base.name}.svg"), done, steps)
                    yield OnGui(lambda p=plot, b=base: write_svg(p, b.with_suffix(".svg"), label))
                    written.append(base.with_suffix(".svg"))
                    done += 1
                for table, name in zip(tables, ("hourly", "counties"), strict=True):
                    path = directory / f"statistics-{what}-{name}-{stamp}.csv"
                    yield Progress(says["csv"].replace("%1", path.name), done, steps)
                    written.append(spreadsheets.write_csv(path, table))
                    done += 1
                path = directory / f"statistics-{what}-{stamp}.xlsx"
                yield Progress(says["xlsx"].replace("%1", path.name), done, steps)
                written.append(spreadsheets.write_xlsx(path, tables, title=title))
                missing = [p for p in written if not p.is_file() or p.stat().st_size == 0]
                if missing:
                    raise OSError(f"the export did not write {', '.join(p.name for p in missing)}")
            except BaseException:  # cancelled (GeneratorExit) or failed: no half an export
                for path in written:
                    path.unlink(missing_ok=True)
                raise
            self.console.audit("statistics.export", what, {"files": [p.name for p in written]})
            return written

        return work()

    def export_dialog(self) -> None:
        directory = QFileDialog.getExistingDirectory(self, self.tr("Export charts to"))
        if not directory:
            return

        def done(written: list[Path]) -> None:
            self.summary.setText(
                self.tr("Exported %1 files to %2")
                .replace("%1", str(len(written)))
                .replace("%2", directory)
            )

        self.job = run_job(
            self,
            self.tr("Exporting the statistics"),
            self.export_job(Path(directory)),
            on_done=done,
            failure=self.tr("Export failed"),
            on_cancelled=self._cancelled,
            button=self.export_button,
        )

    def report_dialog(self) -> None:
        from commandcenter.ui.statistics.daily_report import daily_report_job

        stamp = datetime.now().astimezone().strftime("%Y%m%d")
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Save the daily report"), f"日报-{stamp}.pdf", self.tr("PDF (*.pdf)")
        )
        if not path:
            return

        def done(_written: Path) -> None:
            self.console.audit("statistics.daily_report", Path(path).name, {})
            self.summary.setText(self.tr("Daily report written to %1").replace("%1", path))

        self.job = run_job(
            self,
            self.tr("Writing the daily report"),
            daily_report_job(Path(path), self.console),
            on_done=done,
            failure=self.tr("The daily report was not written"),
            on_cancelled=self._cancelled,
            button=self.report_button,
        )

    def _cancelled(self) -> None:
        self.summary.setText(self.tr("Cancelled: no file was written"))


def _save_image(image: QImage, path: Path) -> Path:
    if not image.save(str(path)):
        raise OSError(f"cannot write {path}")
    return path


# the day's sentence, in either language: the daily report is always Chinese
DAY_PHRASES = {
    "today": Term("%1今日受理 %2 件", "%1: %2 received today"),
    "same": Term(
        "%1受理量与上周同期基本持平", "%1 received about as many as at this time last week"
    ),
    "up": Term("%1受理量较上周同期上升 %2%", "%1 received %2% more than at this time last week"),
    "down": Term("%1受理量较上周同期下降 %2%", "%1 received %2% fewer than at this time last week"),
    "top": Term("，%1最高", ", most in %1"),
}


def describe_day(label: str, day: anomaly.DayComparison, language: str | None = None) -> str:
    """The day in one plain sentence, e.g. 人民调解受理量较上周同期上升 18%，吴中区最高."""
    language = language or i18n.language()
    change = day.change_pct
    if change is None:
        text = (
            DAY_PHRASES["today"]
            .in_language(language)
            .replace("%1", label)
            .replace("%2", f"{day.today:,}")
        )
    elif abs(change) < 1:
        text = DAY_PHRASES["same"].in_language(language).replace("%1", label)
    else:
        text = (
            DAY_PHRASES["up" if change > 0 else "down"]
            .in_language(language)
            .replace("%1", label)
            .replace("%2", f"{abs(change):.0f}")
        )
    if day.top_county:
        text += (
            DAY_PHRASES["top"]
            .in_language(language)
            .replace("%1", county_name(day.top_county, language))
        )
    return text


def write_svg(widget: QWidget, path: Path, title: str) -> None:
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
