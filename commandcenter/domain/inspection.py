"""Remote inspections as the supervisor performs them: plans of points to visit,
drafts filled in item by item, the checks a finished inspection must pass, the body
the data center accepts (contract 3.11), and roll-calls.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum

from commandcenter.domain.contract import PointType, TemplateItemKind, Term
from commandcenter.domain.geography import county_code
from commandcenter.domain.records import (
    Inspection,
    InspectionResult,
    InspectionTemplate,
    ServicePoint,
    TemplateItem,
)

# How an item is answered. The contract's kinds as they say; a kind it does not list
# (a newer data center's) is kept as sent and answered with a note, or with a snapshot
# of the live picture when its name says it wants a picture.
NOTE = "note"
PICTURE = "picture"
_PICTURE_WORDS = (
    "photo",
    "picture",
    "image",
    "snapshot",
    "screenshot",
    "pic",
    "img",
    "jpeg",
    "jpg",
)


def answered_as(kind: str) -> str:
    """pass_fail, score or text for the contract's kinds; PICTURE or NOTE for others."""
    if kind in TemplateItemKind._value2member_map_:
        return kind
    words = [w for w in re.split(r"[^a-z0-9]+", kind.lower()) if w]
    if any(w.startswith(p) for w in words for p in _PICTURE_WORDS):
        return PICTURE
    return NOTE


@dataclass(frozen=True)
class ItemAnswer:
    """The answer to one checklist item: passed, a score or a text."""

    passed: bool | None = None
    score: int | None = None
    text: str | None = None

    def is_empty(self) -> bool:
        """Whether nothing has been answered."""
        return self.passed is None and self.score is None and not (self.text or "").strip()


@dataclass(frozen=True)
class Evidence:
    """A snapshot from the live video, kept with the draft until it is sent."""

    camera_id: str
    captured_at: datetime
    jpeg: bytes


@dataclass(frozen=True)
class Draft:
    """An inspection being performed; saved as it is typed."""

    draft_id: str
    point_id: str
    template_id: str
    template_version: int
    inspector: str
    started_at: datetime
    answers: dict[str, ItemAnswer] = field(default_factory=dict)
    findings: str = ""
    rectification_due: date | None = None
    plan_id: str | None = None
    state: str = "open"  # open → submitted (in the outbox) → sent (the data center has it) | failed
    inspection_id: str | None = None  # the data center's id, once it confirmed
    error: str | None = None  # the data center's reason when it refused
    finished_at: datetime | None = None
    updated_at: datetime | None = None

    def answer(self, item_id: str) -> ItemAnswer:
        """The answer given to an item so far (empty if none)."""
        return self.answers.get(item_id, ItemAnswer())

    def with_answer(self, item_id: str, answer: ItemAnswer) -> Draft:
        """The draft with this item's answer replaced."""
        return replace(self, answers={**self.answers, item_id: answer})


@dataclass(frozen=True)
class Problem:
    """What stops an inspection from being finished, named by its item (or field)."""

    where: str  # an item id, or "findings" / "rectification_due"
    message: str


def check(
    draft: Draft, template: InspectionTemplate, *, today: date | None = None
) -> list[Problem]:
    """Everything wrong with finishing `draft` now, in the template's order."""
    problems = []
    if (draft.template_id, draft.template_version) != (template.template_id, template.version):
        problems.append(
            Problem(
                "template",
                f"the draft was made with {draft.template_id} v{draft.template_version}, "
                f"the data center now has v{template.version}",
            )
        )
    for item in template.items:
        problems += _check_item(item, draft.answer(item.item_id))
    failed = [i for i in template.items if draft.answer(i.item_id).passed is False]
    if failed and not draft.findings.strip():
        problems.append(Problem("findings", "items failed: say what was found"))
    if (
        draft.rectification_due is not None
        and today is not None
        and draft.rectification_due < today
    ):
        problems.append(Problem("rectification_due", "the rectification date is in the past"))
    return problems


def _check_item(item: TemplateItem, answer: ItemAnswer) -> list[Problem]:
    if item.required and answer.is_empty():
        return [Problem(item.item_id, f"“{item.text}” is required")]
    if item.kind == "score" and answer.score is not None:
        top = item.max_score if item.max_score is not None else 100
        if not 0 <= answer.score <= top:
            return [Problem(item.item_id, f"“{item.text}”: the score must be from 0 to {top}")]
    return []


def payload(
    draft: Draft,
    template: InspectionTemplate,
    evidence: Sequence[Evidence],
    *,
    finished_at: datetime,
    encode: Callable[[bytes], str],
) -> dict:
    """The body of POST /inspections (contract 3.11). `encode` turns JPEG bytes into base64 text."""
    results = _results(draft, template)
    return {
        "pointId": draft.point_id,
        "templateId": template.template_id,
        "templateVersion": template.version,
        "inspector": draft.inspector,
        "startedAt": draft.started_at.isoformat(),
        "finishedAt": finished_at.isoformat(),
        "results": results,
        "findings": draft.findings,
        "rectificationDue": draft.rectification_due.isoformat()
        if draft.rectification_due
        else None,
        "snapshots": [
            {
                "cameraId": e.camera_id,
                "capturedAt": e.captured_at.isoformat(),
                "jpegBase64": encode(e.jpeg),
            }
            for e in evidence
        ],
    }


# -- checklists for kinds of point ------------------------------------------------------

# The contract's templates do not say which kind of point they are for; their names do
# (司法所规范化建设远程督查, 村（社区）公共法律服务工作室巡查…). Words of each kind, the
# surest first; a template whose name holds an earlier word fits better.
CHECKLIST_WORDS: dict[str, tuple[str, ...]] = {
    PointType.LEGAL_SERVICE_CENTER: ("公共法律服务中心", "法律服务中心", "legal service center"),
    PointType.JUDICIAL_OFFICE: ("司法所", "judicial office"),
    PointType.SERVICE_STATION: (
        "村（社区）",
        "村(社区)",
        "村/社区",
        "村居",
        "服务站",
        "village",
        "community station",
    ),
    PointType.COMMUNITY_CORRECTION_CENTER: ("社区矫正", "矫正", "correction"),
    PointType.MEDIATION_CENTER: ("矛盾纠纷", "调处", "mediation center"),
    PointType.MEDIATION_STUDIO: ("调解工作室", "调解室", "mediation studio", "调解"),
    PointType.NOTARY_OFFICE: ("公证", "notary"),
    PointType.FORENSIC_INSTITUTION: ("司法鉴定", "鉴定", "forensic"),
    PointType.HOTLINE_12348: ("12348", "热线", "hotline"),
}


def fitting_template(
    point_type: str, templates: Sequence[InspectionTemplate]
) -> InspectionTemplate | None:
    """The checklist made for this kind of point: the template whose name holds the
    surest of the kind's words (the first offered on a tie); None when none does."""
    words = CHECKLIST_WORDS.get(point_type, ())
    best: tuple[int, InspectionTemplate] | None = None
    for template in templates:
        name = template.name.lower()
        rank = next((n for n, word in enumerate(words) if word in name), None)
        if rank is not None and (best is None or rank < best[0]):
            best = (rank, template)
    return best[1] if best else None


# -- findings -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """What an inspection found, whatever was asked of the point: the items judged 不合格,
    the score over the items scored, and the rectification asked for."""

    failed: tuple[str, ...]  # the item ids judged 不合格, in the checklist's order
    score: int | None  # the sum of the scored items; None when none was scored
    top: int | None  # what those items could have scored at most; None when unknown
    findings: str
    due: date | None

    @property
    def passed(self) -> bool:
        """No item judged 不合格."""
        return not self.failed

    @property
    def must_rectify(self) -> bool:
        """A rectification is asked for: an item failed, or a date was set."""
        return bool(self.failed) or self.due is not None


VERDICT_LABELS = {True: Term("合格", "Passed"), False: Term("不合格", "Failed")}


def verdict(
    results: Iterable[InspectionResult],
    findings: str,
    due: date | None,
    template: InspectionTemplate | None = None,
) -> Verdict:
    """The verdict of an inspection's results (as sent, or as the data center lists
    them); with its template, the score's maximum and the checklist's order."""
    results = list(results)
    items = {i.item_id: i for i in template.items} if template else {}
    order = {item_id: n for n, item_id in enumerate(items)}
    failed = sorted(
        (r.item_id for r in results if r.passed is False),
        key=lambda item_id: order.get(item_id, len(order)),
    )
    scored = [r for r in results if r.score is not None]
    tops = [items[r.item_id].max_score if r.item_id in items else None for r in scored]
    return Verdict(
        tuple(failed),
        sum(r.score for r in scored if r.score is not None) if scored else None,
        sum(t for t in tops if t is not None) if scored and None not in tops else None,
        findings.strip(),
        due,
    )


def draft_results(draft: Draft, template: InspectionTemplate) -> list[InspectionResult]:
    """A draft's answers as the results it sends (contract 3.11)."""
    return [
        InspectionResult(r["itemId"], r["passed"], r["score"], r["text"])
        for r in _results(draft, template)
    ]


def _results(draft: Draft, template: InspectionTemplate) -> list[dict]:
    results = []
    for item in template.items:
        answer = draft.answer(item.item_id)
        how = answered_as(item.kind)
        results.append(
            {
                "itemId": item.item_id,
                "passed": answer.passed if how == "pass_fail" else None,
                "score": answer.score if how == "score" else None,
                # a text item's answer, and the note (or the snapshot's reference) of an
                # item of a kind the contract does not list
                "text": (answer.text or None) if how in ("text", NOTE, PICTURE) else None,
            }
        )
    return results


# -- plans ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """The points to inspect, in order, and where the supervisor is."""

    plan_id: str
    name: str
    point_ids: tuple[str, ...]
    position: int = 0
    created_by: str = ""
    created_at: datetime | None = None

    @property
    def current(self) -> str | None:
        """The point the plan is at; None when it has none."""
        return self.point_ids[self.position] if 0 <= self.position < len(self.point_ids) else None

    def moved(self, step: int) -> Plan:
        """The plan moved `step` points on, kept within its points."""
        return replace(self, position=max(0, min(len(self.point_ids) - 1, self.position + step)))


def choose_points(
    points: Iterable[ServicePoint],
    *,
    counties: Sequence[str] | None = None,
    types: Sequence[str] | None = None,
    levels: Sequence[str] | None = None,
    sample: int | None = None,
    seed: int | None = None,
) -> list[str]:
    """The ids of the points that match (None: any), ordered by county and name; with
    `sample`, that many of them drawn at random (the draw is kept in the plan)."""
    chosen = [
        p
        for p in points
        if not p.deleted
        and (counties is None or county_code(p.org_code) in counties)
        and (types is None or p.type in types)
        and (levels is None or p.level in levels)
    ]
    chosen.sort(key=lambda p: (county_code(p.org_code), p.name, p.point_id))
    if sample is not None and sample < len(chosen):
        chosen = sorted(
            random.Random(seed).sample(chosen, sample),
            key=lambda p: (county_code(p.org_code), p.name, p.point_id),
        )
    return [p.point_id for p in chosen]


# -- roll-calls -------------------------------------------------------------------------


class Presence(StrEnum):
    """Whether a point answered a roll-call."""

    PRESENT = "present"
    ABSENT = "absent"
    NO_PICTURE = "no_picture"


PRESENCE_LABELS = {
    Presence.PRESENT: Term("在岗", "Present"),
    Presence.ABSENT: Term("不在岗", "Absent"),
    Presence.NO_PICTURE: Term("无图像", "No picture"),
}


@dataclass(frozen=True)
class RollCall:
    """A roll-call of service points over video, and who answered."""

    roll_call_id: str
    inspector: str
    started_at: datetime
    point_ids: tuple[str, ...]
    results: dict[str, Presence] = field(default_factory=dict)
    finished_at: datetime | None = None

    def counts(self) -> dict[Presence, int]:
        """How many points answered each way."""
        return {p: sum(1 for r in self.results.values() if r is p) for p in Presence}


# -- follow-up ----------------------------------------------------------------------------


RECTIFICATION_ALERT_TYPE = (
    "rectification_due"  # a local alert: the day a rectification falls due, or overdue
)
RECTIFICATION_ALERT_LABEL = Term("整改到期", "Rectification due")


def rectification_state(
    due: date | None, closed: bool, today: date, *, failed: bool = False
) -> str | None:
    """None (nothing to rectify), "closed", "overdue", "due_today", "due", or
    "undated": items `failed` and no date was set, which asks for a rectification all
    the same."""
    if due is None and not failed:
        return None
    if closed:
        return "closed"
    if due is None:
        return "undated"
    if due < today:
        return "overdue"
    return "due_today" if due == today else "due"


def inspection_rectification(
    inspection: Inspection, closed: Iterable[str], today: date
) -> str | None:
    """The rectification state of an inspection as the data center lists it, `closed`
    holding the ids of the inspections whose rectification was closed."""
    return rectification_state(
        inspection.rectification_due,
        inspection.inspection_id in closed,
        today,
        failed=any(r.passed is False for r in inspection.results),
    )


# -- period summaries ---------------------------------------------------------------------


@dataclass(frozen=True)
class PassRate:
    """The pass rate of one group of pass/fail items."""

    key: str  # a county code, an item id or an inspector
    inspections: int
    checked: int  # pass/fail items answered
    passed: int

    @property
    def rate(self) -> float | None:
        """The share of checked items that passed; None when none was checked."""
        return self.passed / self.checked if self.checked else None


def pass_rates(
    inspections: Iterable[Inspection],
    by: Callable[[Inspection, InspectionResult], str | None],
) -> list[PassRate]:
    """Pass rates of the pass/fail items, grouped by `by(inspection, result)` (a key,
    or None to leave the result out), largest groups first."""
    groups: dict[str, list] = {}
    for inspection in inspections:
        for result in inspection.results:
            if result.passed is None:
                continue
            key = by(inspection, result)
            if key is None:
                continue
            counts = groups.setdefault(key, [set(), 0, 0])
            counts[0].add(inspection.inspection_id)
            counts[1] += 1
            counts[2] += bool(result.passed)
    rates = [
        PassRate(key, len(ids), checked, passed) for key, (ids, checked, passed) in groups.items()
    ]
    return sorted(rates, key=lambda r: (-r.checked, r.key))
