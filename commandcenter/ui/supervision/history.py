"""The history of inspections as a table: by point and inspector, with rectifications due,
overdue and closed."""

from __future__ import annotations

from datetime import date

from commandcenter.domain import bureau_time
from commandcenter.domain.geography import county_code
from commandcenter.domain.inspection import (
    VERDICT_LABELS,
    inspection_rectification,
    verdict,
)
from commandcenter.ui.widgets import i18n
from commandcenter.ui.widgets.i18n import tr
from commandcenter.ui.widgets.tables import Column

OVERDUE = "#f85149"
DUE_TODAY = "#d29922"
DONE = "#3fb950"


def columns(points: dict, closed: dict, today: date, templates=()) -> list[Column]:
    by_id = {t.template_id: t for t in templates}

    def judged(inspection):
        return verdict(
            inspection.results,
            inspection.findings,
            inspection.rectification_due,
            by_id.get(inspection.template_id),
        )

    def due(inspection) -> str:
        state = inspection_rectification(inspection, closed, today)
        if state is None:
            return ""
        if inspection.rectification_due is None:
            # failed items ask for a rectification even when no date was set
            return tr("closed") if state == "closed" else tr("no date set")
        words = {
            "closed": tr("closed"),
            "overdue": tr("overdue"),
            "due_today": tr("due today"),
            "due": "",
        }
        return f"{inspection.rectification_due.isoformat()} {words[state]}".strip()

    def due_colour(inspection):
        state = inspection_rectification(inspection, closed, today)
        return {
            "overdue": OVERDUE,
            "due_today": DUE_TODAY,
            "undated": DUE_TODAY,
            "closed": DONE,
        }.get(state or "")

    def score(inspection) -> int | None:
        return judged(inspection).score

    def shown_score(inspection) -> str:
        found = judged(inspection)
        if found.score is None:
            return ""
        return f"{found.score} / {found.top}" if found.top else str(found.score)

    def failed(inspection) -> int:
        return len(judged(inspection).failed)

    def result(inspection) -> str:
        found = judged(inspection)
        shown = i18n.term(VERDICT_LABELS, found.passed)
        return f"{shown} ({len(found.failed)})" if found.failed else shown

    return [
        Column(tr("Service point"), lambda i: getattr(points.get(i.point_id), "name", i.point_id)),
        Column(
            tr("County"),
            lambda i: i18n.place(county_code(getattr(points.get(i.point_id), "org_code", ""))),
        ),
        Column(tr("Inspector"), lambda i: i.inspector),
        Column(
            tr("Finished"),
            lambda i: bureau_time.bureau_text(i.finished_at, "%Y-%m-%d %H:%M"),
            sort_key=lambda i: i.finished_at.timestamp() if i.finished_at else None,
        ),
        Column(
            tr("Result"), result, sort_key=failed, colour=lambda i: OVERDUE if failed(i) else None
        ),
        Column(tr("Score"), shown_score, sort_key=score),
        Column(tr("Rectify by"), due, colour=due_colour),
        Column(tr("Findings"), lambda i: i.findings.replace("\n", " ")),
    ]
