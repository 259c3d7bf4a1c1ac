"""The history of inspections as a table: by point and inspector, with rectifications due,
overdue and closed."""

from __future__ import annotations

from datetime import date

from commandcenter.domain import bureau_time
from commandcenter.domain.geography import county_code
from commandcenter.domain.inspection import (
    rectification_state,
)
from commandcenter.ui.widgets import i18n
from commandcenter.ui.widgets.i18n import tr
from commandcenter.ui.widgets.tables import Column

OVERDUE = "#f85149"
DUE_TODAY = "#d29922"
DONE = "#3fb950"


def columns(points: dict, closed: dict, today: date) -> list[Column]:

    def due(inspection) -> str:
        state = rectification_state(
            inspection.rectification_due, inspection.inspection_id in closed, today
        )
        if state is None:
            return ""
        words = {
            "closed": tr("closed"),
            "overdue": tr("overdue"),
            "due_today": tr("due today"),
            "due": "",
        }
        return f"{inspection.rectification_due.isoformat()} {words[state]}".strip()

    def due_colour(inspection):
        state = rectification_state(
            inspection.rectification_due, inspection.inspection_id in closed, today
        )
        return {"overdue": OVERDUE, "due_today": DUE_TODAY, "closed": DONE}.get(state or "")

    def score(inspection) -> int | None:
        scores = [r.score for r in inspection.results if r.score is not None]
        return sum(scores) if scores else None

    def failed(inspection) -> int:
        return sum(1 for r in inspection.results if r.passed is False)

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
        Column(tr("Score"), score, sort_key=score),
        Column(
            tr("Failed items"),
            failed,
            sort_key=failed,
            colour=lambda i: OVERDUE if failed(i) else None,
        ),
        Column(tr("Rectify by"), due, colour=due_colour),
        Column(tr("Findings"), lambda i: i.findings.replace("\n", " ")),
    ]
