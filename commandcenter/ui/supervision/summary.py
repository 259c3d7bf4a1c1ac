"""The inspections' summary: pass rates by county, by item and by inspector over a period,
written as CSV files and a workbook."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from commandcenter.domain import bureau_time
from commandcenter.domain.geography import county_code
from commandcenter.domain.inspection import (
    pass_rates,
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
    items = {item.item_id: item.text for t in data.templates for item in t.items}
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
    by_item = pass_rates(chosen, lambda _i, r: r.item_id)
    by_inspector = pass_rates(chosen, lambda i, _r: i.inspector)
    return [
        spreadsheets.Table(tr("by county"), [tr("county"), *header], rows(by_county, i18n.place)),
        spreadsheets.Table(
            tr("by item"),
            [tr("item"), *header],
            rows(by_item, lambda k: items.get(k, k)),
        ),
        spreadsheets.Table(tr("by inspector"), [tr("inspector"), *header], rows(by_inspector, str)),
    ]


def summary_job(
    read: Callable[[], object], console: Console, directory: Path, since: date, until: date
) -> JobSteps[list[Path]]:
    """Pass rates of [since, until] as three CSV files and one workbook, in steps
    (workers/jobs.py), from what `read` gives (SupervisionData); a job cancelled or failed
    midway removes what it wrote."""
    base = f"inspections-{since:%Y%m%d}-{until:%Y%m%d}"
    title = tr("Inspections %1 to %2").replace("%1", str(since)).replace("%2", str(until))
    says = {
        "read": tr("Counting the inspections"),
        "csv": tr("Table %1"),
        "xlsx": tr("Workbook %1"),
    }
    names = ("counties", "items", "inspectors")
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
