"""The report of one inspection performed at this desk (督查报告): the point, the
checklist with each answer, the findings, the rectification asked for, and the
snapshots taken as evidence; a PDF in Chinese (ui/widgets/pdf.py)."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QFont, QImage, QTextDocument

from commandcenter.domain import bureau_time, contract
from commandcenter.domain.geography import county_code, county_name
from commandcenter.domain.inspection import answered_as
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


def build_inspection_report(
    console: Console, draft_id: str, family: str | None = None
) -> QTextDocument:
    """The document: any thread, once the font's `family` is registered (else here)."""
    store = console.store
    draft = store.draft(draft_id)
    if draft is None:
        raise LookupError(f"no inspection {draft_id} was performed at this desk")
    point = store.service_point(draft.point_id)
    template = next(
        (t for t in store.inspection_templates() if t.template_id == draft.template_id), None
    )
    evidence = store.evidence(draft_id)
    doc = QTextDocument()
    doc.setDefaultFont(QFont(family or report_family(), 10))
    rows = []
    for item in template.items if template else ():
        answer = draft.answer(item.item_id)
        how = answered_as(item.kind)
        if how == "pass_fail":
            shown = {True: "合格", False: "<b style='color:#c00'>不合格</b>", None: "—"}[
                answer.passed
            ]
        elif how == "score":
            shown = (
                "—"
                if answer.score is None
                else f"{answer.score} / {item.max_score if item.max_score else 100}"
            )
        else:
            shown = html.escape(answer.text or "—")
        rows.append(
            f"<tr><td>{html.escape(item.text)}{' *' if item.required else ''}"
            f"{'' if how == item.kind else f'〔{html.escape(item.kind)}〕'}</td><td>{shown}</td></tr>"
        )
    for n, (_id, e) in enumerate(evidence):
        image = QImage()
        image.loadFromData(e.jpeg, "JPEG")
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(f"evidence:{n}"), image)
    pictures = "".join(
        f"<td align=center><img src='evidence:{n}' width=480><br><small>{html.escape(e.camera_id)}<br>"
        f"{_when(e.captured_at)}</small></td>" + ("</tr><tr>" if n % 2 else "")
        for n, (_id, e) in enumerate(evidence)
    )
    place = (
        (
            f"{html.escape(point.name)}（{html.escape(contract.label(contract.POINT_TYPE_LABELS, point.type, ZH))}，"
            f"{html.escape(county_name(county_code(point.org_code), ZH))}）<br>{html.escape(point.address)}"
        )
        if point
        else html.escape(draft.point_id)
    )
    state = STATES.get(draft.state, draft.state)
    if draft.state == "failed":
        state += f"：{html.escape(draft.error or '')}"
    doc.setHtml(f"""
<h1 align=center>远程督查报告</h1>
<table width=100% cellpadding=3>
<tr><td width=18%>督查点位</td><td>{place}</td></tr>
<tr><td>督查模板</td><td>{html.escape(template.name if template else draft.template_id)}（第 {draft.template_version} 版）</td></tr>
<tr><td>督查人</td><td>{html.escape(draft.inspector)}</td></tr>
<tr><td>开始 / 完成</td><td>{_when(draft.started_at)} / {_when(draft.finished_at)}</td></tr>
<tr><td>状态</td><td>{state}</td></tr>
<tr><td>登记编号</td><td>{html.escape(draft.inspection_id or "—")}</td></tr>
</table>
<h3>检查项目</h3>
<table border=1 cellspacing=0 cellpadding=4 width=100%>
<tr><th width=70%>项目（* 为必查项）</th><th>结果</th></tr>
{"".join(rows)}
</table>
<h3>发现问题</h3>
<p>{html.escape(draft.findings).replace(chr(10), "<br>") or "无"}</p>
<h3>整改要求</h3>
<p>{f"请于 {draft.rectification_due:%Y年%m月%d日} 前完成整改" if draft.rectification_due else "无需整改"}</p>
<h3>现场截图（{len(evidence)} 张）</h3>
<table width=100% cellpadding=4><tr>{pictures or "<td>无</td>"}</tr></table>
""")
    return doc


TITLE = "远程督查报告"


def inspection_report_job(path: Path, console: Console, draft_id: str) -> JobSteps[Path]:
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
    doc = build_inspection_report(console, draft_id, family)
    yield Progress(QCoreApplication.translate("InspectionReport", "Writing the PDF"), 2, steps)
    try:
        return write_pdf(path, doc, title=TITLE)
    finally:
        del doc  # deleted here, on the thread that made it


def write_inspection_report(path: Path, console: Console, draft_id: str) -> Path:
    """The report on this thread. OSError names the file when it cannot be written;
    LookupError an unknown inspection."""
    return run_inline(inspection_report_job(path, console, draft_id))
