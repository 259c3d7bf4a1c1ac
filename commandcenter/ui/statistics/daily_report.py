"""The daily report (日报): today's figures as a PDF in Chinese, whatever language the
console speaks, for the bureau's leaders and the file.

Page 1: the KPIs of every category (today so far, against yesterday and the usual),
the live numbers of the hotline, community correction and service points, the
day's sentence per category and the unusual hours flagged today. Page 2: today's
cases per hour stacked by category, and the counties ranked, in total and per
10,000 residents. Written by `ui/widgets/pdf.py`.
"""

from __future__ import annotations

import functools
import html
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QFont, QImage, QTextDocument

from commandcenter.domain import anomaly, bureau_time, contract
from commandcenter.domain.case_figures import WEEKS_COMPARED, bureau_midnight, kpi
from commandcenter.domain.geography import county_name
from commandcenter.ui.statistics.charts import RankingChart, TrendChart
from commandcenter.ui.statistics.trend import StatsSpec, Trend, compute_trend, describe_day
from commandcenter.ui.widgets.panel import Console
from commandcenter.ui.widgets.pdf import (
    check_writable,
    prepare_report_fonts,
    report_family,
    write_pdf,
)
from commandcenter.ui.workers.jobs import JobSteps, OnGui, Progress, run_inline

ZH = "zh_CN"
CHART_SIZE = (1400, 560)
MAX_SPIKES = 8


def _category(category: str) -> str:
    return contract.label(contract.CASE_CATEGORY_LABELS, category, ZH)


def _change(pct: float | None) -> str:
    return "—" if pct is None else f"{'+' if pct >= 0 else '−'}{abs(pct):.0f}%"


def _printed(chart):
    """The chart in black on white, as printed (before anything is drawn: the legend's
    labels take the colour when they are made)."""
    chart.setBackground("w")
    for axis in ("left", "bottom"):
        chart.getAxis(axis).setTextPen("k")
        chart.getAxis(axis).setPen("k")
    legend = chart.plotItem.legend
    if legend is not None:
        legend.setLabelTextColor("k")
        legend.setBrush(pg.mkBrush(255, 255, 255, 220))
    return chart


def _chart_image(chart, size=CHART_SIZE):
    chart.resize(*size)
    return chart.grab().toImage()


@dataclass(frozen=True)
class ReportFigures:
    """What the report says, read from the store and computed, off the GUI thread."""

    now: datetime
    rows: list[str]
    sentences: list[str]
    live: str
    unusual: str
    trend: Trend  # today by category, for the stacked chart and the county ranking
    per_10k: Trend  # the counties per 10,000 residents
    place: str = ""  # a county desk's county (its report is the county's); "": the city


def read_figures(console: Console, now: datetime | None = None) -> ReportFigures:
    """The store read and the figures computed: any thread."""
    now = now or datetime.now(UTC)
    history = console.case_history
    history.refresh()
    figures = history.figures(
        since=bureau_midnight(now) - timedelta(weeks=WEEKS_COMPARED + 1, days=1)
    )
    # the data center's summary is the city's: a county desk's report has its own figures only
    scope = console.scope
    summary = console.store.latest_dashboard_summary() if scope.city else None
    rows = []
    sentences = []
    spikes = []
    for category in contract.CaseCategory:
        k = kpi(figures, category.value, now)
        rows.append(
            f"<tr><td>{html.escape(_category(category.value))}</td><td align=right><b>{k.today:,}</b></td>"
            f"<td align=right>{_change(k.vs_yesterday_pct)}</td><td align=right>{_change(k.vs_usual_pct)}</td>"
            f"<td align=right>{k.closed_today:,}</td><td align=right>{k.backlog:,}</td></tr>"
        )
        day = anomaly.compare_with_last_week(figures, [category.value], now)
        sentences.append(describe_day(_category(category.value), day, ZH))
        spikes += anomaly.find_spikes(figures, category.value, bureau_midnight(now), now)
    live = ""
    if summary is not None:
        h, c, p = summary.hotline, summary.correction, summary.points
        total = sum(p.values()) or 1
        live = (
            f"<h3>实时情况（截至 {bureau_time.bureau_text(summary.as_of, '%H:%M')}）</h3><ul>"
            f"<li>12348热线：坐席在线 {h.get('agentsOnline', 0)} 人，排队 {h.get('callsWaiting', 0)} 个，"
            f"平均等待 {float(h.get('avgWaitSeconds', 0)):.0f} 秒</li>"
            f"<li>社区矫正：在册社区矫正对象 {c.get('underCorrection', 0):,} 人，电子监管 "
            f"{c.get('electronicMonitoring', 0):,} 人，未处理告警 {c.get('alertsOpen', 0)} 条</li>"
            f"<li>服务点：在线 {p.get('online', 0):,} 个（{p.get('online', 0) / total:.1%}），离线 "
            f"{p.get('offline', 0):,} 个，告警 {p.get('alarm', 0):,} 个</li></ul>"
        )
    # the most unusual first, at most MAX_SPIKES: the page is read, not searched
    listed = sorted(spikes, key=lambda s: -s.z)[:MAX_SPIKES]
    unusual = (
        "".join(
            f"<li>{bureau_time.bureau_text(s.bucket, '%H:%M')} {html.escape(county_name(s.org_code, ZH))} "
            f"{html.escape(_category(s.category))}：受理 {s.received} 件，通常 {s.usual:g} 件（z = {s.z:g}）</li>"
            for s in listed
        )
        or "<li>无</li>"
    )
    if len(spikes) > len(listed):
        unusual += f"<li>另有 {len(spikes) - len(listed)} 个异常时段，见统计面板</li>"
    trend = compute_trend(
        figures, StatsSpec(category=None, view="category"), now, console.population_10k
    )
    trend = replace(trend, series=tuple(replace(s, label=_category(s.key)) for s in trend.series))
    per_10k = compute_trend(
        figures, StatsSpec(category=None, per_10k=True), now, console.population_10k
    )
    place = "" if scope.city else county_name(scope.county, ZH)
    return ReportFigures(now, rows, sentences, live, unusual, trend, per_10k, place)


CHARTS = ("trend", "counties", "per10k")


def draw_chart(figures: ReportFigures, name: str) -> QImage:
    """One of page 2's charts, drawn by the statistics panel's own chart classes: GUI
    thread, one at a time (the event loop runs between them)."""
    names = lambda code: county_name(code, ZH)  # noqa: E731 - the charts take a naming function
    if name == "trend":
        chart = _printed(TrendChart())
        chart.show_trend(figures.trend)
        chart.setTitle("近24小时各类案件受理量（按小时，分类堆叠）", color="k")
        size = CHART_SIZE
    else:
        per_10k = name == "per10k"
        chart = _printed(RankingChart())
        trend = figures.per_10k if per_10k else figures.trend
        chart.show_ranking(trend.ranking, None, per_10k=per_10k, name=names)
        chart.setTitle(
            "今日每万常住人口受理量" if per_10k else "今日各县级市（区）受理量（全部类别）",
            color="k",
        )
        size = (680, 460)
    try:
        return _chart_image(chart, size)
    finally:
        chart.deleteLater()


def draw_charts(figures: ReportFigures) -> dict[str, QImage]:
    return {name: draw_chart(figures, name) for name in CHARTS}


def compose_report(figures: ReportFigures, charts: dict[str, QImage], family: str) -> QTextDocument:
    """The document, from the figures and the charts' images: any thread."""
    local = bureau_time.at_bureau(figures.now)
    doc = QTextDocument()
    doc.setDefaultFont(QFont(family, 10))
    for name, image in charts.items():
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(f"chart:{name}"), image)
    doc.setHtml(f"""
<h1 align=center>公共法律服务日报{html.escape(" · " + figures.place) if figures.place else ""}</h1>
<p align=center>{local:%Y年%m月%d日} · 截至 {local:%H:%M}（{bureau_time.zone_label(ZH)}）· 数据来源：本地数据中心</p>
<h3>今日概要</h3>
<ul>{"".join(f"<li>{html.escape(s)}</li>" for s in figures.sentences)}</ul>
<h3>各类业务指标</h3>
<table border=1 cellspacing=0 cellpadding=4 width=100%>
<tr><th>类别</th><th>今日受理</th><th>较昨日同期</th><th>较近{WEEKS_COMPARED}周同日均值</th><th>今日办结</th><th>积案</th></tr>
{"".join(figures.rows)}
</table>
<p><small>“较近{WEEKS_COMPARED}周同日均值”：与此前各周同一星期几、同一时刻前的受理量平均值相比；本地库尚未存满的周不计入，
均无数据时记为“—”。</small></p>
{figures.live}
<h3>异常时段（今日）</h3>
<ul>{figures.unusual}</ul>
<p><small>判定规则：某区县某小时受理量与此前各周同一星期几的同一小时相比，稳健 z 分数
0.6745·(x − 中位数)/MAD ≥ 3.5（MAD 至少取 1 及 0.6745·√中位数，即同等件数随机波动的幅度），且比中位数多至少 5 件。</small></p>
<div style="page-break-before: always"><h3>图表</h3></div>
<p><img src="chart:trend" width=1000></p>
<table width=100%><tr><td><img src="chart:counties" width=490></td><td><img src="chart:per10k" width=490></td></tr></table>
<p><small>生成时间：{bureau_time.now():%Y-%m-%d %H:%M:%S}</small></p>
""")
    return doc


def build_report(console: Console, now: datetime | None = None) -> QTextDocument:
    """The whole document at once, on the GUI thread."""
    figures = read_figures(console, now)
    return compose_report(figures, draw_charts(figures), report_family())


TITLE = "公共法律服务日报"


def daily_report_job(path: Path, console: Console, now: datetime | None = None) -> JobSteps[Path]:
    """The report as a job (ui/workers/jobs.py): read, draw, lay out, write. OSError names the
    file when it cannot be written; a cancelled job leaves no file."""
    steps = 5
    yield Progress(QCoreApplication.translate("DailyReport", "Checking the file"), 0, steps)
    check_writable(path)
    yield Progress(QCoreApplication.translate("DailyReport", "Reading today's figures"), 1, steps)
    figures = read_figures(console, now)
    yield Progress(QCoreApplication.translate("DailyReport", "Drawing the charts"), 2, steps)
    charts = {}
    for name in CHARTS:
        charts[name] = yield OnGui(functools.partial(draw_chart, figures, name))
    prepare_report_fonts()  # made here, in the worker, the first time: about a second
    family = yield OnGui(report_family)
    yield Progress(QCoreApplication.translate("DailyReport", "Laying out the pages"), 3, steps)
    doc = compose_report(figures, charts, family)
    yield Progress(QCoreApplication.translate("DailyReport", "Writing the PDF"), 4, steps)
    try:
        return write_pdf(path, doc, title=TITLE)
    finally:
        del doc  # deleted here, on the thread that made it


def write_daily_report(path: Path, console: Console, now: datetime | None = None) -> Path:
    """Write the report on this thread; OSError names the file when it cannot be written."""
    return run_inline(daily_report_job(path, console, now))
