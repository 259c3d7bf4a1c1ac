"""The daily report (日报): today's figures as a PDF in Chinese, whatever language the
console speaks, for the bureau's leaders and the file.

Page 1: the KPIs of every category (today so far, against yesterday and the usual),
the live numbers of the hotline, community correction and service points, the
day's sentence per category and the unusual hours flagged today. Page 2: today's
cases per hour stacked by category, and the counties ranked, in total and per
10,000 residents. Laid out as HTML in a QTextDocument and printed by QPdfWriter,
which embeds the CJK font the text is set in.
"""

from __future__ import annotations

import html
import logging
import subprocess
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import platformdirs
import pyqtgraph as pg
from PySide6.QtCore import QMarginsF, QSizeF, QUrl
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from commandcenter.domain import anomaly, contract
from commandcenter.domain.case_figures import WEEKS_COMPARED, bureau_midnight, kpi
from commandcenter.domain.geography import county_name
from commandcenter.domain.timefmt import CHINA_STANDARD_TIME
from commandcenter.ui.panel import Console
from commandcenter.ui.statistics import (
    RankingChart,
    StatsSpec,
    TrendChart,
    compute_trend,
    describe_day,
)

log = logging.getLogger(__name__)

ZH = "zh_CN"
CHART_SIZE = (1400, 560)
REPORT_FONT = "Noto Sans CJK SC"
MAX_SPIKES = 8


def report_family() -> str:
    """The family the report is set in: Noto Sans CJK SC, less its radicals.

    The CJK fonts draw 日 and the Kangxi radical ⽇ with one glyph, and Qt's PDF
    writer names each glyph by the lowest character that uses it. Text copied from the
    report (or searched in it) would then read ⽇报 and ⼈⺠调解: the same look, other
    characters. A copy of the font without the radicals (kept in the user's cache, made
    once in about a second with fontTools) gives every glyph its ideograph back.
    """
    global _family
    if _family is None:
        _family = _register_report_font() or REPORT_FONT
    return _family


_family: str | None = None
UNIFIED_FAMILY = "CommandCenter Report CJK"
_RADICALS = range(0x2E80, 0x2FE0)  # CJK Radicals Supplement and Kangxi Radicals


def _register_report_font() -> str | None:
    from PySide6.QtGui import QFontDatabase

    folder = Path(platformdirs.user_cache_dir("commandcenter")) / "fonts"
    registered = None
    for weight in ("regular", "bold"):
        target = folder / f"report-cjk-{weight}.otf"
        try:
            if not target.is_file():
                _unify(_system_font_file(weight), target, weight)
        except (OSError, ValueError, ImportError) as exc:
            log.warning("the daily report uses %s as it is (text copied from it may read radicals): %s",
                        REPORT_FONT, exc)
            return None
        if QFontDatabase.addApplicationFont(str(target)) >= 0:
            registered = UNIFIED_FAMILY
    return registered


def _system_font_file(weight: str) -> tuple[str, int]:
    pattern = f"{REPORT_FONT}:{weight}"
    try:
        found = subprocess.run(["fc-match", "-f", "%{file}\t%{index}\t%{family}", pattern], capture_output=True,
                               text=True, timeout=10, check=True).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        raise OSError(f"fc-match cannot find {pattern}: {exc}") from None
    file, index, families = (found.split("\t") + ["", ""])[:3]
    if REPORT_FONT not in families.split(","):
        raise ValueError(f"{pattern} is not installed (fc-match offers {families or file})")
    return file, int(index or 0)


def _unify(source: tuple[str, int], target: Path, weight: str) -> None:
    from fontTools.ttLib import TTFont

    file, index = source
    # lazy, no recalculated boxes: only the cmap and names change, the glyphs are copied as they are
    with TTFont(file, fontNumber=index, lazy=True, recalcBBoxes=False, recalcTimestamp=False) as font:
        for table in font["cmap"].tables:
            for code in [c for c in table.cmap if c in _RADICALS]:
                del table.cmap[code]
        style = "Bold" if weight == "bold" else "Regular"
        names = {1: UNIFIED_FAMILY, 2: style, 4: f"{UNIFIED_FAMILY} {style}",
                 6: f"{UNIFIED_FAMILY.replace(' ', '')}-{style}", 16: UNIFIED_FAMILY, 17: style}
        for record in font["name"].names:
            if record.nameID in names:
                record.string = names[record.nameID]
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".partial")
        font.save(str(partial))
    partial.replace(target)  # never a half-written font for the next report


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


def build_report(console: Console, now: datetime | None = None) -> QTextDocument:
    now = now or datetime.now(UTC)
    local = now.astimezone(CHINA_STANDARD_TIME)
    history = console.case_history
    history.refresh()
    figures = history.figures(since=bureau_midnight(now) - timedelta(weeks=WEEKS_COMPARED + 1, days=1))
    summary = console.store.latest_dashboard_summary()
    doc = QTextDocument()
    doc.setDefaultFont(QFont(report_family(), 10))

    rows = []
    sentences = []
    spikes = []
    for category in contract.CaseCategory:
        k = kpi(figures, category.value, now)
        rows.append(f"<tr><td>{_category(category.value)}</td><td align=right><b>{k.today:,}</b></td>"
                    f"<td align=right>{_change(k.vs_yesterday_pct)}</td><td align=right>{_change(k.vs_usual_pct)}</td>"
                    f"<td align=right>{k.closed_today:,}</td><td align=right>{k.backlog:,}</td></tr>")
        day = anomaly.compare_with_last_week(figures, [category.value], now)
        sentences.append(describe_day(_category(category.value), day, ZH))
        spikes += anomaly.find_spikes(figures, category.value, bureau_midnight(now), now)
    live = ""
    if summary is not None:
        h, c, p = summary.hotline, summary.correction, summary.points
        total = sum(p.values()) or 1
        live = (f"<h3>实时情况（截至 {summary.as_of.astimezone(CHINA_STANDARD_TIME):%H:%M}）</h3><ul>"
                f"<li>12348热线：坐席在线 {h.get('agentsOnline', 0)} 人，排队 {h.get('callsWaiting', 0)} 个，"
                f"平均等待 {float(h.get('avgWaitSeconds', 0)):.0f} 秒</li>"
                f"<li>社区矫正：在册社区矫正对象 {c.get('underCorrection', 0):,} 人，电子监管 "
                f"{c.get('electronicMonitoring', 0):,} 人，未处理告警 {c.get('alertsOpen', 0)} 条</li>"
                f"<li>服务点：在线 {p.get('online', 0):,} 个（{p.get('online', 0) / total:.1%}），离线 "
                f"{p.get('offline', 0):,} 个，告警 {p.get('alarm', 0):,} 个</li></ul>")
    # the most unusual first, at most MAX_SPIKES: the page is read, not searched
    listed = sorted(spikes, key=lambda s: -s.z)[:MAX_SPIKES]
    unusual = ("".join(f"<li>{s.bucket.astimezone(CHINA_STANDARD_TIME):%H:00} {county_name(s.org_code, ZH)} "
                       f"{_category(s.category)}：受理 {s.received} 件，通常 {s.usual:g} 件（z = {s.z:g}）</li>"
                       for s in listed) or "<li>无</li>")
    if len(spikes) > len(listed):
        unusual += f"<li>另有 {len(spikes) - len(listed)} 个异常时段，见统计面板</li>"

    # page 2: the charts, drawn by the statistics panel's own chart classes
    trend = compute_trend(figures, StatsSpec(category=None, view="category"), now, console.population_10k)
    trend = replace(trend, series=tuple(replace(s, label=_category(s.key)) for s in trend.series))
    trend_chart = _printed(TrendChart())
    trend_chart.show_trend(trend)
    trend_chart.setTitle("近24小时各类案件受理量（按小时，分类堆叠）", color="k")
    doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl("chart:trend"), _chart_image(trend_chart))
    names = lambda code: county_name(code, ZH)  # noqa: E731 - the charts take a naming function
    ranking_chart = _printed(RankingChart())
    ranking_chart.show_ranking(trend.ranking, None, per_10k=False, name=names)
    ranking_chart.setTitle("今日各县级市（区）受理量（全部类别）", color="k")
    doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl("chart:counties"),
                    _chart_image(ranking_chart, (680, 460)))
    per_10k = compute_trend(figures, StatsSpec(category=None, per_10k=True), now, console.population_10k)
    ranking_chart.show_ranking(per_10k.ranking, None, per_10k=True, name=names)
    ranking_chart.setTitle("今日每万常住人口受理量", color="k")
    doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl("chart:per10k"),
                    _chart_image(ranking_chart, (680, 460)))
    for chart in (trend_chart, ranking_chart):
        chart.deleteLater()

    doc.setHtml(f"""
<h1 align=center>公共法律服务日报</h1>
<p align=center>{local:%Y年%m月%d日} · 截至 {local:%H:%M}（北京时间）· 数据来源：本地数据中心</p>
<h3>今日概要</h3>
<ul>{''.join(f'<li>{html.escape(s)}</li>' for s in sentences)}</ul>
<h3>各类业务指标</h3>
<table border=1 cellspacing=0 cellpadding=4 width=100%>
<tr><th>类别</th><th>今日受理</th><th>较昨日同期</th><th>较近{WEEKS_COMPARED}周同日均值</th><th>今日办结</th><th>积案</th></tr>
{''.join(rows)}
</table>
<p><small>“较近{WEEKS_COMPARED}周同日均值”：与此前各周同一星期几、同一时刻前的受理量平均值相比；本地库尚未存满的周不计入，
均无数据时记为“—”。</small></p>
{live}
<h3>异常时段（今日）</h3>
<ul>{unusual}</ul>
<p><small>判定规则：某区县某小时受理量与此前各周同一星期几的同一小时相比，稳健 z 分数
0.6745·(x − 中位数)/MAD ≥ 3.5（MAD 至少取 1 及 0.6745·√中位数，即同等件数随机波动的幅度），且比中位数多至少 5 件。</small></p>
<div style="page-break-before: always"><h3>图表</h3></div>
<p><img src="chart:trend" width=1000></p>
<table width=100%><tr><td><img src="chart:counties" width=490></td><td><img src="chart:per10k" width=490></td></tr></table>
<p><small>生成时间：{datetime.now(CHINA_STANDARD_TIME):%Y-%m-%d %H:%M:%S}</small></p>
""")
    return doc


def write_daily_report(path: Path, console: Console, now: datetime | None = None) -> Path:
    """Write the report; OSError names the file when it cannot be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.open("wb").close()  # QPdfWriter says nothing when it cannot write: try first
    except OSError as exc:
        raise OSError(f"cannot write {path}: {exc.strerror}") from None
    doc = build_report(console, now)
    writer = QPdfWriter(str(path))
    writer.setTitle("公共法律服务日报")
    writer.setCreator("commandcenter")
    writer.setResolution(150)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter))
    rect = writer.pageLayout().paintRectPixels(writer.resolution())
    doc.setPageSize(QSizeF(rect.width(), rect.height()))
    doc.print_(writer)
    del writer  # closes the file
    if not path.is_file() or path.stat().st_size == 0:
        raise OSError(f"the daily report {path} was not written")
    return path
