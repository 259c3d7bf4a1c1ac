"""The duty log of a day (值班日志) and a shift handover (交接班记录) as PDFs in Chinese
(ui/widgets/pdf.py: A4, a CJK font whose text copies as it reads), and the day's log as
a spreadsheet (exports/spreadsheets.py: no cell is ever a formula)."""

from __future__ import annotations

import html
from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFont, QTextDocument

from commandcenter.domain import bureau_time
from commandcenter.domain.duty import (
    HANDOVER_STATE_NAMES,
    ITEM_KIND_NAMES,
    KIND_NAMES,
    DutyEntry,
    Handover,
    ItemKind,
    Kind,
    shift_name,
)
from commandcenter.domain.geography import CITY_NAME, county_name
from commandcenter.domain.people import Scope
from commandcenter.exports.spreadsheets import Table, write_xlsx
from commandcenter.store import Store
from commandcenter.ui.widgets.pdf import (
    check_writable,
    prepare_report_fonts,
    report_family,
    write_pdf,
)
from commandcenter.ui.workers.jobs import JobSteps, OnGui, Progress, run_inline

ZH = "zh_CN"
LOG_TITLE = "值班日志"
HANDOVER_TITLE = "交接班记录"
SHIFT_HOURS = {"day": "08:30–17:30", "night": "17:30–次日08:30"}
ITEM_STATES = {
    "new": "新告警，未确认",
    "acknowledged": "已确认",
    "assigned": "已指派",
    "overdue": "已逾期",
    "due_today": "今日到期",
    "due": "未到期",
    "undated": "未定期限",
    "scheduled": "已预约",
    "live": "进行中",
    "down": "中断",
}


def due_text(due: str | None) -> str:
    """An item's due date as it came, or its due time in bureau time."""
    if not due:
        return ""
    if "T" not in due:
        return due
    try:
        return bureau_time.bureau_text(datetime.fromisoformat(due), "%Y-%m-%d %H:%M")
    except ValueError:  # shown as it came
        return due


def desk_name(scope: Scope) -> str:
    """The desk the log is kept at, in words: the city's or a county's command center."""
    place = CITY_NAME if scope.city else county_name(scope.county, ZH)
    return f"{place}司法局指挥中心"


def _esc(text: str | None) -> str:
    return html.escape(text or "").replace("\n", "<br>")


def _time(moment) -> str:
    return bureau_time.bureau_text(moment, "%H:%M")


def entry_words(entry: DutyEntry, corrected_by: dict[int, int]) -> str:
    """An entry's text as the log shows it: a correction names the entry it corrects,
    a corrected entry names its correction."""
    text = entry.text
    if entry.corrects is not None:
        text = f"【更正第 {entry.corrects} 条】{text}"
    if entry.id in corrected_by:
        text = f"{text}（已更正，见第 {corrected_by[entry.id]} 条）"
    return text


def corrections(entries: list[DutyEntry]) -> dict[int, int]:
    """entry id -> the id of its newest correction."""
    out: dict[int, int] = {}
    for e in sorted(entries, key=lambda e: e.id):
        if e.corrects is not None:
            out[e.corrects] = e.id
    return out


def build_duty_log(
    entries: list[DutyEntry], day: date, scope: Scope, family: str | None = None
) -> QTextDocument:
    """The day's log (`entries` oldest first) as a document: any thread, once the font's
    `family` is registered (else here)."""
    doc = QTextDocument()
    doc.setDefaultFont(QFont(family or report_family(), 10))
    corrected = corrections(entries)
    shifts: dict[str | None, list[DutyEntry]] = {}
    for e in entries:
        shifts.setdefault(e.shift_id, []).append(e)
    # the day shift, then the night shift that begins the same day, then a roster's others
    order = sorted(shifts, key=lambda s: ({"day": 0, "night": 1}.get(s or "", 2), s or ""))
    sections = []
    for shift_id in order:
        rows = "".join(
            f"<tr><td align=center>{e.id}</td><td align=center>{_time(e.at)}</td>"
            f"<td>{_esc(e.author_name)}</td><td>{_esc(KIND_NAMES.get(e.kind, e.kind))}</td>"
            f"<td>{_esc(entry_words(e, corrected))}</td></tr>"
            for e in shifts[shift_id]
        )
        hours = SHIFT_HOURS.get(shift_id or "", "")
        sections.append(
            f"<h3>{_esc(shift_name(shift_id))}{f'（{hours}）' if hours else ''}"
            f"　共 {len(shifts[shift_id])} 条</h3>"
            "<table border=1 cellspacing=0 cellpadding=4 width=100%>"
            "<tr><th width=7%>序号</th><th width=9%>时间</th><th width=14%>记录人</th>"
            f"<th width=10%>类别</th><th>内容</th></tr>{rows}</table>"
        )
    people = sorted({e.author_name for e in entries if e.kind not in (Kind.ALERT, Kind.FEED)})
    doc.setHtml(f"""
<h1 align=center>{LOG_TITLE}</h1>
<table width=100% cellpadding=3>
<tr><td width=18%>单位</td><td>{_esc(desk_name(scope))}</td></tr>
<tr><td>日期</td><td>{day:%Y年%m月%d日}（班次按开始日期计，北京时间）</td></tr>
<tr><td>值班人员</td><td>{_esc("、".join(people)) or "—"}</td></tr>
<tr><td>记录条数</td><td>{len(entries)}</td></tr>
</table>
{"".join(sections) or "<p>当日无值班记录。</p>"}
<p><small>本日志由指挥中心客户端生成；记录保存后不可修改，更正以新记录方式登记。
生成时间：{bureau_time.bureau_text(bureau_time.now(), "%Y-%m-%d %H:%M")}</small></p>
""")
    return doc


def build_handover(handover: Handover, family: str | None = None) -> QTextDocument:
    """A handover as a document (交接班记录)."""
    doc = QTextDocument()
    doc.setDefaultFont(QFont(family or report_family(), 10))
    sections = []
    for kind in ItemKind:
        items = handover.items_of(kind)
        rows = "".join(
            f"<tr><td>{_esc(i.ref)}</td><td>{_esc(i.title)}</td>"
            f"<td>{_esc(ITEM_STATES.get(i.state, i.state))}</td><td>{_esc(due_text(i.due) or '—')}</td>"
            f"<td>{_esc(i.last_note) or '—'}</td></tr>"
            for i in items
        )
        sections.append(
            f"<h3>{ITEM_KIND_NAMES[kind]}（{len(items)} 项）</h3>"
            + (
                "<table border=1 cellspacing=0 cellpadding=4 width=100%>"
                "<tr><th width=16%>编号</th><th>事项</th><th width=12%>状态</th>"
                f"<th width=12%>期限</th><th width=24%>最新说明</th></tr>{rows}</table>"
                if items
                else "<p>无</p>"
            )
        )
    answer = _esc(HANDOVER_STATE_NAMES.get(handover.state, handover.state))
    incoming = (
        f"{_esc(handover.incoming_name or handover.incoming)}，"
        f"{bureau_time.bureau_text(handover.answered_at, '%Y-%m-%d %H:%M')}"
        if handover.incoming
        else "—"
    )
    scope = Scope(handover.county)
    doc.setHtml(f"""
<h1 align=center>{HANDOVER_TITLE}</h1>
<table width=100% cellpadding=3>
<tr><td width=18%>单位</td><td>{_esc(desk_name(scope))}</td></tr>
<tr><td>交接单号</td><td>{handover.id or "—"}</td></tr>
<tr><td>班次</td><td>{_esc(handover.shift_date)} {_esc(shift_name(handover.shift_id))}</td></tr>
<tr><td>交班人</td><td>{_esc(handover.outgoing_name)}</td></tr>
<tr><td>交班时间</td><td>{bureau_time.bureau_text(handover.created_at, "%Y-%m-%d %H:%M")}（北京时间）</td></tr>
<tr><td>接班人</td><td>{incoming}</td></tr>
<tr><td>状态</td><td>{answer}</td></tr>
</table>
<h3>交班说明</h3><p>{_esc(handover.notes) or "无"}</p>
{"".join(sections)}
<h3>接班意见</h3><p>{_esc(handover.objections) or ("无异议" if handover.incoming else "—")}</p>
""")
    return doc


def day_entries(store: Store, day: date, scope: Scope) -> list[DutyEntry]:
    """The day's entries a desk of the scope sees, oldest first."""
    return list(reversed(store.duty_entries(shift_date=day.isoformat(), scope=scope, limit=None)))


def duty_log_pdf_job(path: Path, store: Store, day: date, scope: Scope) -> JobSteps[Path]:
    """The day's log as a PDF, as a job (ui/workers/jobs.py); OSError names the file when
    it cannot be written, a cancelled job leaves none."""
    steps = 3
    yield Progress(QCoreApplication.translate("DutyReport", "Checking the file"), 0, steps)
    check_writable(path)
    prepare_report_fonts()
    family = yield OnGui(report_family)
    yield Progress(QCoreApplication.translate("DutyReport", "Reading the duty log"), 1, steps)
    doc = build_duty_log(day_entries(store, day, scope), day, scope, family)
    yield Progress(QCoreApplication.translate("DutyReport", "Writing the PDF"), 2, steps)
    try:
        return write_pdf(path, doc, title=f"{LOG_TITLE} {day.isoformat()}")
    finally:
        del doc  # deleted on the thread that made it


def handover_pdf_job(path: Path, store: Store, handover_id: int) -> JobSteps[Path]:
    """A handover as a PDF, as a job; LookupError for an unknown handover."""
    steps = 2
    yield Progress(QCoreApplication.translate("DutyReport", "Checking the file"), 0, steps)
    check_writable(path)
    prepare_report_fonts()
    family = yield OnGui(report_family)
    handover = store.handover(handover_id)
    if handover is None:
        raise LookupError(f"there is no handover {handover_id}")
    doc = build_handover(handover, family)
    yield Progress(QCoreApplication.translate("DutyReport", "Writing the PDF"), 1, steps)
    try:
        return write_pdf(path, doc, title=f"{HANDOVER_TITLE} {handover_id}")
    finally:
        del doc


def duty_log_table(entries: list[DutyEntry]) -> Table:
    """The day's entries as a spreadsheet's table."""
    corrected = corrections(entries)
    return Table(
        LOG_TITLE,
        ["序号", "时间", "班次日期", "班次", "记录人", "账号", "类别", "内容", "更正第几条"],
        [
            [
                e.id,
                bureau_time.bureau_text(e.at, "%Y-%m-%d %H:%M:%S"),
                e.shift_date,
                shift_name(e.shift_id),
                e.author_name,
                e.author,
                KIND_NAMES.get(e.kind, e.kind),
                entry_words(e, corrected),
                e.corrects,
            ]
            for e in entries
        ],
    )


def duty_log_xlsx_job(path: Path, store: Store, day: date, scope: Scope) -> JobSteps[Path]:
    """The day's log as an XLSX workbook, as a job."""
    yield Progress(QCoreApplication.translate("DutyReport", "Reading the duty log"), 0, 2)
    table = duty_log_table(day_entries(store, day, scope))
    yield Progress(QCoreApplication.translate("DutyReport", "Writing the workbook"), 1, 2)
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_xlsx(path, [table], title=f"{LOG_TITLE} {day.isoformat()}")


def write_duty_log_pdf(path: Path, store: Store, day: date, scope: Scope) -> Path:
    """The day's log as a PDF on this thread (the GUI thread: scripts and tests)."""
    return run_inline(duty_log_pdf_job(path, store, day, scope))


def write_handover_pdf(path: Path, store: Store, handover_id: int) -> Path:
    """A handover as a PDF on this thread (the GUI thread: scripts and tests)."""
    return run_inline(handover_pdf_job(path, store, handover_id))
