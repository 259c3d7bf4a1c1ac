"""The inspections' summary: pass rates by county, by item and by inspector over a period,
and every finding (an inspection with items judged 不合格, whether a rectification date
was set or not), written as CSV files and a workbook."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from commandcenter.domain import bureau_time
from commandcenter.domain.geography import county_code
from commandcenter.domain.inspection import (
    VERDICT_LABELS,
    pass_rates,
    verdict,
)
from commandcenter.exports import spreadsheets
from commandcenter.ui.widgets import i18n
from commandcenter.ui.widgets.i18n import tr
from commandcenter.ui.widgets.panel import Console
from commandcenter.ui.workers.jobs import JobSteps, Progress


def summary_tables(data, since: date, until: date) -> list[spreadsheets.Table]:
    """Pass rates of the pass/fail items in [since, until] of what the panel read
    (SupervisionData): by county, by item, by inspector."""
    chosen = [
        i
        for i in data.inspections
        if i.finished_at and since <= bureau_time.at_bureau(i.finished_at).date() <= until
    ]
    # item ids are a template's own (I03 of one checklist is not I03 of another)
    items = {
        f"{t.template_id}/{item.item_id}": f"{t.name} · {item.text}"
        for t in data.templates
        for item in t.items
    }
    header = [
        tr("inspections"),
        tr("items checked"),
        tr("passed"),
        tr("pass rate"),
    ]

    def rows(rates, name):
        return [
            [
                name(r.key),
                r.inspections,
                r.checked,
                r.passed,
                f"{r.rate:.1%}" if r.rate is not None else "",
            ]
            for r in rates
        ]

    by_county = pass_rates(
        chosen, lambda i, _r: county_code(getattr(data.points.get(i.point_id), "org_code", ""))
    )
    by_item = pass_rates(chosen, lambda i, r: f"{i.template_id}/{r.item_id}")
    by_inspector = pass_rates(chosen, lambda i, _r: i.inspector)
    return [
        spreadsheets.Table(tr("by county"), [tr("county"), *header], rows(by_county, i18n.place)),
        spreadsheets.Table(
            tr("by item"),
            [tr("item"), *header],
            rows(by_item, lambda k: items.get(k, k)),
        ),
        spreadsheets.Table(tr("by inspector"), [tr("inspector"), *header], rows(by_inspector, str)),
        findings_table(data, chosen),
    ]


def findings_table(data, chosen) -> spreadsheets.Table:
    """One row for each inspection with items judged 不合格: its score and the
    rectification asked for, dated or not."""
    templates = {t.template_id: t for t in data.templates}
    rows = []
    for inspection in sorted(chosen, key=lambda i: i.finished_at):
        found = verdict(
            inspection.results,
            inspection.findings,
            inspection.rectification_due,
            templates.get(inspection.template_id),
        )
        if found.passed:
            continue
        template = templates.get(inspection.template_id)
        items = {item.item_id: item.text for item in template.items} if template else {}
        point = data.points.get(inspection.point_id)
        score = "" if found.score is None else str(found.score)
        if found.score is not None and found.top:
            score += f" / {found.top}"
        rows.append(
            [
                getattr(point, "name", inspection.point_id),
                i18n.place(county_code(getattr(point, "org_code", ""))),
                bureau_time.bureau_text(inspection.finished_at, "%Y-%m-%d %H:%M"),
                inspection.inspector,
                i18n.term(VERDICT_LABELS, False),
                "；".join(items.get(i, i) for i in found.failed),
                score,
                found.findings,
                inspection.rectification_due.isoformat()
                if inspection.rectification_due
                else tr("no date set"),
            ]
        )
    return spreadsheets.Table(
        tr("findings"),
        [
            tr("service point"),
            tr("county"),
            tr("finished"),
            tr("inspector"),
            tr("result"),
            tr("items failed"),
            tr("score"),
            tr("rectification required"),
            tr("rectify by"),
        ],
        rows,
    )


def summary_job(
    read: Callable[[], object], console: Console, directory: Path, since: date, until: date
) -> JobSteps[list[Path]]:
    """Pass rates and findings of [since, until] as four CSV files and one workbook, in steps
    (workers/jobs.py), from what `read` gives (SupervisionData); a job cancelled or failed
    midway removes what it wrote."""
    base = f"inspections-{since:%Y%m%d}-{until:%Y%m%d}"
    title = tr("Inspections %1 to %2").replace("%1", str(since)).replace("%2", str(until))
    says = {
        "read": tr("Counting the inspections"),
        "csv": tr("Table %1"),
        "xlsx": tr("Workbook %1"),
    }
    names = ("counties", "items", "inspectors", "findings")
    steps = 2 + len(names)

    def work() -> JobSteps[list[Path]]:
        written: list[Path] = []
        try:
            yield Progress(says["read"], 0, steps)
            tables = summary_tables(read(), since, until)
            directory.mkdir(parents=True, exist_ok=True)
            for n, (table, name) in enumerate(zip(tables, names, strict=True), start=1):
                path = directory / f"{base}-{name}.csv"
                yield Progress(says["csv"].replace("%1", path.name), n, steps)
                written.append(spreadsheets.write_csv(path, table))
            path = directory / f"{base}.xlsx"
            yield Progress(says["xlsx"].replace("%1", path.name), steps - 1, steps)
            written.append(spreadsheets.write_xlsx(path, tables, title=title))
        except BaseException:  # cancelled (GeneratorExit) or failed: no half a summary
            for path in written:
                path.unlink(missing_ok=True)
            raise
        console.audit("inspection.summary", base, {"files": [p.name for p in written]})
        return written

    return work()
