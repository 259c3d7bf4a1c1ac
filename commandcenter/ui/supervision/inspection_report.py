"""The report of one inspection performed at this desk (督查报告): the point, the
checklist with each answer, the findings, the rectification asked for, and the
snapshots taken as evidence; a PDF in Chinese (ui/widgets/pdf.py)."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QFont, QImage, QTextDocument

from commandcenter.domain import bureau_time, contract
from commandcenter.domain.geography import county_code, county_name
from commandcenter.domain.inspection import (
    Draft,
    Evidence,
    Verdict,
    answered_as,
    draft_results,
    verdict,
)
from commandcenter.domain.records import InspectionResult
from commandcenter.ui.widgets.panel import Console
from commandcenter.ui.widgets.pdf import (
    check_writable,
    prepare_report_fonts,
    report_family,
    write_pdf,
)
from commandcenter.ui.workers.jobs import JobSteps, OnGui, Progress, run_inline

ZH = "zh_CN"
STATES = {
    "open": "草稿（未提交）",
    "submitted": "已提交，等待数据中心确认",
    "sent": "数据中心已登记",
    "failed": "数据中心拒收",
}


def _when(t) -> str:
    return bureau_time.bureau_text(t, "%Y-%m-%d %H:%M") if t else "—"


@dataclass(frozen=True)
class _Reported:
    """What a report says of one inspection, performed at this desk (a draft, with its
    snapshots) or listed by the data center."""

    point_id: str
    template_id: str
    template_version: int
    inspector: str
    started_at: datetime | None
    finished_at: datetime | None
    state: str
    inspection_id: str | None
    results: list[InspectionResult]
    findings: str
    due: date | None
    evidence: list[Evidence]
    snapshots_elsewhere: int  # kept by the data center, not at this desk


def _reported(store, key: str, shown: Draft | None = None) -> _Reported:
    """A draft's id, or the data center's inspection id (its draft when it was made here);
    `shown`: the draft as the screen shows it, which may not be saved yet."""
    templates = {t.template_id: t for t in store.inspection_templates()}
    draft = (
        (shown if shown is not None and shown.draft_id == key else None)
        or store.draft(key)
        or next((d for d in store.drafts() if d.inspection_id == key), None)
    )
    if draft is not None:
        template = templates.get(draft.template_id)
        state = STATES.get(draft.state, draft.state)
        if draft.state == "failed":
            state += f"：{draft.error or ''}"
        return _Reported(
            draft.point_id,
            draft.template_id,
            draft.template_version,
            draft.inspector,
            draft.started_at,
            draft.finished_at,
            state,
            draft.inspection_id,
            draft_results(draft, template) if template else [],
            draft.findings,
            draft.rectification_due,
            [e for _id, e in store.evidence(draft.draft_id)],
            0,
        )
    inspection = next((i for i in store.inspections() if i.inspection_id == key), None)
    if inspection is None:
        raise LookupError(f"no inspection {key} is known at this desk")
    return _Reported(
        inspection.point_id,
        inspection.template_id,
        inspection.template_version,
        inspection.inspector,
        inspection.started_at,
        inspection.finished_at,
        STATES["sent"],
        inspection.inspection_id,
        list(inspection.results),
        inspection.findings,
        inspection.rectification_due,
        [],
        inspection.snapshot_count,
    )


def _rectification(found: Verdict, items: dict) -> str:
    """整改要求 in words: what is to be rectified, and by when (a failed item asks for a
    rectification even when no date was set)."""
    if not found.must_rectify:
        return "无需整改"
    what = "；".join(html.escape(items.get(i, i)) for i in found.failed)
    lines = [f"整改事项：{what}" if what else "整改事项：见“发现问题”"]
    if found.due is not None:
        lines.append(f"请于 {found.due:%Y年%m月%d日} 前完成整改")
    else:
        lines.append("整改期限：未定期限，请尽快整改并报告整改情况")
    return "<br>".join(lines)


def build_inspection_report(
    console: Console, draft_id: str, family: str | None = None, draft: Draft | None = None
) -> QTextDocument:
    """The document of an inspection (`draft_id`: a draft's id, or the data center's
    inspection id; `draft`: that draft as shown, saved or not): any thread, once the
    font's `family` is registered (else here)."""
    store = console.store
    shown = _reported(store, draft_id, draft)
    point = store.service_point(shown.point_id)
    template = next(
        (t for t in store.inspection_templates() if t.template_id == shown.template_id), None
    )
    evidence = shown.evidence
    found = verdict(shown.results, shown.findings, shown.due, template)
    doc = QTextDocument()
    doc.setDefaultFont(QFont(family or report_family(), 10))
    items = {i.item_id: i.text for i in template.items} if template else {}
    listed = {r.item_id: r for r in shown.results}
    # (id, text, kind, most, required); results of items the template no longer has (an
    # older version's) are shown as sent, under their ids
    entries: list[tuple[str, str, str | None, int | None, bool]] = [
        (i.item_id, i.text, i.kind, i.max_score, i.required)
        for i in (template.items if template else ())
    ]
    entries += [
        (r.item_id, r.item_id, None, None, False) for r in shown.results if r.item_id not in items
    ]
    rows = []
    for item_id, text, kind, most, required in entries:
        result = listed.get(item_id)
        if result is not None and result.passed is not None:
            shown_result = "合格" if result.passed else "<b style='color:#c00'>不合格</b>"
        elif result is not None and result.score is not None:
            top = (most or 100) if kind is not None else None
            shown_result = f"{result.score} / {top}" if top else str(result.score)
        elif result is not None and result.text:
            shown_result = html.escape(result.text)
        else:
            shown_result = "—"
        other = f"〔{html.escape(kind)}〕" if kind is not None and answered_as(kind) != kind else ""
        rows.append(
            f"<tr><td>{html.escape(text)}{' *' if required else ''}{other}</td>"
            f"<td>{shown_result}</td></tr>"
        )
    for n, e in enumerate(evidence):
        image = QImage()
        image.loadFromData(e.jpeg, "JPEG")
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(f"evidence:{n}"), image)
    pictures = "".join(
        f"<td align=center><img src='evidence:{n}' width=480><br><small>{html.escape(e.camera_id)}<br>"
        f"{_when(e.captured_at)}</small></td>" + ("</tr><tr>" if n % 2 else "")
        for n, e in enumerate(evidence)
    )
    if not pictures and shown.snapshots_elsewhere:
        pictures = f"<td>{shown.snapshots_elsewhere} 张，存于数据中心</td>"
    place = (
        (
            f"{html.escape(point.name)}（{html.escape(contract.label(contract.POINT_TYPE_LABELS, point.type, ZH))}，"
            f"{html.escape(county_name(county_code(point.org_code), ZH))}）<br>{html.escape(point.address)}"
        )
        if point
        else html.escape(shown.point_id)
    )
    conclusion = (
        "<b style='color:#c00'>不合格</b>"
        f"（{len(found.failed)} 项不合格：{'；'.join(html.escape(items.get(i, i)) for i in found.failed)}）"
        if found.failed
        else "合格"
    )
    if found.score is not None:
        conclusion += f"；得分 {found.score}" + (f" / {found.top}" if found.top else "")
    doc.setHtml(f"""
<h1 align=center>远程督查报告</h1>
<table width=100% cellpadding=3>
<tr><td width=18%>督查点位</td><td>{place}</td></tr>
<tr><td>督查模板</td><td>{html.escape(template.name if template else shown.template_id)}（第 {shown.template_version} 版）</td></tr>
<tr><td>督查人</td><td>{html.escape(shown.inspector)}</td></tr>
<tr><td>开始 / 完成</td><td>{_when(shown.started_at)} / {_when(shown.finished_at)}</td></tr>
<tr><td>状态</td><td>{html.escape(shown.state)}</td></tr>
<tr><td>登记编号</td><td>{html.escape(shown.inspection_id or "—")}</td></tr>
<tr><td>督查结论</td><td>{conclusion}</td></tr>
</table>
<h3>检查项目</h3>
<table border=1 cellspacing=0 cellpadding=4 width=100%>
<tr><th width=70%>项目（* 为必查项）</th><th>结果</th></tr>
{"".join(rows)}
</table>
<h3>发现问题</h3>
<p>{html.escape(shown.findings).replace(chr(10), "<br>") or "无"}</p>
<h3>整改要求</h3>
<p>{_rectification(found, items)}</p>
<h3>现场截图（{len(evidence) or shown.snapshots_elsewhere} 张）</h3>
<table width=100% cellpadding=4><tr>{pictures or "<td>无</td>"}</tr></table>
""")
    return doc


TITLE = "远程督查报告"


def inspection_report_job(
    path: Path, console: Console, draft_id: str, draft: Draft | None = None
) -> JobSteps[Path]:
    """The report as a job (ui/workers/jobs.py). OSError names the file when it cannot be
    written, LookupError an unknown inspection; a cancelled job leaves no file."""
    steps = 3
    yield Progress(QCoreApplication.translate("InspectionReport", "Checking the file"), 0, steps)
    check_writable(path)
    prepare_report_fonts()
    family = yield OnGui(report_family)
    yield Progress(
        QCoreApplication.translate("InspectionReport", "Reading the inspection and its snapshots"),
        1,
        steps,
    )
    doc = build_inspection_report(console, draft_id, family, draft)
    yield Progress(QCoreApplication.translate("InspectionReport", "Writing the PDF"), 2, steps)
    try:
        return write_pdf(path, doc, title=TITLE)
    finally:
        del doc  # deleted here, on the thread that made it


def write_inspection_report(path: Path, console: Console, draft_id: str) -> Path:
    """The report on this thread. OSError names the file when it cannot be written;
    LookupError an unknown inspection."""
    return run_inline(inspection_report_job(path, console, draft_id))
