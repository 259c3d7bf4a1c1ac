"""Statistics: hourly trends of the case categories over a chosen span, stacked by
county or by category, and the counties ranked by what they received today.

The figures come from the console's `CaseHistory`, which reads only what changed
since its last read; a poll therefore costs a few array sums in a worker and new
data for the curves already drawn, never a full reload. A late revision of an hour
(contract 3.7) is a changed row like any other: its bucket is redrawn in place.
"""

from __future__ import annotations

import functools
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pyqtgraph as pg
import pyqtgraph.exporters  # binds pg.exporters, which the module uses
from PySide6.QtCore import Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QLabel,
    QPushButton,
    QSplitter,
)

from commandcenter.domain import anomaly, bureau_time, contract
from commandcenter.domain.case_figures import (
    epoch_hour,
)
from commandcenter.domain.filenames import name_part
from commandcenter.exports import spreadsheets
from commandcenter.ui.statistics.charts import RankingChart, TrendChart, write_svg
from commandcenter.ui.statistics.trend import (
    CUSTOM,
    StatsSpec,
    Trend,
    category_name,
    compute_trend,
    describe_day,
)
from commandcenter.ui.widgets import i18n
from commandcenter.ui.widgets.date_range import CustomRangeDialog
from commandcenter.ui.widgets.flow import FlowLayout
from commandcenter.ui.widgets.panel import Console, Panel
from commandcenter.ui.widgets.progress import run_job
from commandcenter.ui.widgets.text import escape, plain_label
from commandcenter.ui.workers.jobs import JobSteps, OnGui, Progress, run_inline


class StatisticsPanel(Panel):
    reload_on = ("case_stats",)
    feeds = ("stats_hour",)
    county_chosen = Signal(str)  # "" for the whole city: the map follows

    def __init__(self, console: Console, parent=None):
        super().__init__(console, parent)
        self.setObjectName("statistics")
        self.spec = StatsSpec(county=console.scope.county)
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
        self._fill_counties()
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
        bar = FlowLayout()
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
        lines = FlowLayout()
        lines.addWidget(self.day_line, 1)
        lines.addWidget(self.summary)

        self.trend = TrendChart()
        self.ranking = RankingChart()
        self.ranking.county_clicked.connect(self.choose_county)
        # the rule in words an operator reads at a glance; the formula for analysts on hover
        self.rule = QLabel(
            self.tr(
                "▲ unusual hour: a county received far more cases than it usually does at that "
                "hour, compared with the same hour of the same weekday in the past four weeks (or "
                "of the past days while fewer than three weeks are stored), and at least 5 more. "
                "Hover for the exact rule."
            )
        )
        # rich text: Qt wraps it to the screen, where plain text runs off its edge
        formula = self.tr(
            "▲ unusual hour: a county's cases received far above the same hour of the same weekday in the "
            "previous weeks (or of the previous days while fewer than three weeks are stored): robust z-score "
            "0.6745·(x − median)/MAD ≥ 3.5 (the MAD at least 1 and at least 0.6745·√median, what chance alone gives "
            "counts of that size) and at least 5 cases above the median; the hour under way counts at its rate so "
            "far"
        )
        self.rule.setToolTip(f"<p>{escape(formula)}</p>")
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

    def _fill_counties(self) -> None:
        """The counties to choose from: all and the whole city, or a county desk's own."""
        scope = self.console.scope
        self.county.blockSignals(True)
        self.county.clear()
        if scope.city:
            self.county.addItem(self.tr("Whole city"), None)
            for code in sorted(self.console.population_10k) or []:
                self.county.addItem(i18n.place(code), code)
        else:
            self.county.addItem(i18n.place(scope.county), scope.county)
        self.county.setEnabled(scope.city)
        self.county.blockSignals(False)

    def apply_scope(self) -> None:
        """A county desk's trends are its county's; the city's start from the whole city."""
        self._fill_counties()
        self.spec = replace(self.spec, county=self.console.scope.county)
        self._drawn_for = ()
        super().apply_scope()

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
        if not self.console.scope.city:
            return  # a county desk shows its county only
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
        if spec.per_day(datetime.now(UTC)):
            view = {
                "flow": self.tr("per day"),
                "county": self.tr("received per day, by county"),
                "category": self.tr("received per day, by category"),
            }[spec.view]
        else:
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
        # a bucket the store holds no figures of is an empty cell, not 0
        hourly = spreadsheets.Table(
            self.tr("daily") if trend.per_day else self.tr("hourly"),
            [
                self.tr("day") if trend.per_day else self.tr("hour"),
                *(s.label for s in trend.series),
            ],
            [
                [
                    bureau_time.bureau_text(
                        float(start), "%Y-%m-%d" if trend.per_day else "%Y-%m-%d %H:%M"
                    ),
                    *(int(v) if np.isfinite(v := s.values[n]) else None for s in trend.series),
                ]
                for n, start in enumerate(trend.hours)
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
        is taken now; the files are written in steps (ui/workers/jobs.py), and a job cancelled
        or failed midway removes the files it wrote."""
        stamp = f"{bureau_time.now():%Y%m%d-%H%M}"
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
                    image = yield OnGui(functools.partial(png, plot))
                    written.append(_save_image(image, base.with_suffix(".png")))
                    done += 1
                    yield Progress(says["svg"].replace("%1", f"{base.name}.svg"), done, steps)
                    yield OnGui(functools.partial(write_svg, plot, base.with_suffix(".svg"), label))
                    written.append(base.with_suffix(".svg"))
                    done += 1
                buckets = "daily" if self._trend is not None and self._trend.per_day else "hourly"
                for table, name in zip(tables, (buckets, "counties"), strict=True):
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

        stamp = f"{bureau_time.now():%Y%m%d}"
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
