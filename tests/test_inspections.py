"""Inspections performed at the desk: the checks, and the road to the data center
through the outbox under faults (a real simulated data center over HTTP)."""

from __future__ import annotations

import base64
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from commandcenter.domain.inspection import (
    NOTE,
    PICTURE,
    Draft,
    Evidence,
    ItemAnswer,
    Plan,
    answered_as,
    check,
    choose_points,
    payload,
)
from commandcenter.domain.records import InspectionTemplate, TemplateItem
from commandcenter.feeds.outbox import OutboxSender

TEMPLATE = InspectionTemplate(
    "TPL-1",
    "窗口服务",
    3,
    (
        TemplateItem("staffed", "窗口有人值守", "pass_fail", None, True),
        TemplateItem("signage", "标识规范", "score", 10, True),
        TemplateItem("remark", "其他情况", "text", None, False),
    ),
)
NOW = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)


def _draft(**kw) -> Draft:
    return Draft(
        kw.pop("draft_id", "D-1"), kw.pop("point_id", "SP-1"), "TPL-1", 3, "督查员甲", NOW, **kw
    )


def test_a_finished_inspection_needs_its_required_items_within_their_bounds():
    problems = check(_draft(), TEMPLATE, today=NOW.date())
    assert [p.where for p in problems] == ["staffed", "signage"]
    assert "“窗口有人值守” is required" in problems[0].message
    draft = _draft(answers={"staffed": ItemAnswer(passed=False), "signage": ItemAnswer(score=11)})
    problems = check(draft, TEMPLATE, today=NOW.date())
    assert [(p.where, p.message) for p in problems] == [
        ("signage", "“标识规范”: the score must be from 0 to 10"),
        ("findings", "items failed: say what was found"),
    ]
    draft = _draft(
        answers={"staffed": ItemAnswer(passed=False), "signage": ItemAnswer(score=7)},
        findings="窗口无人",
        rectification_due=date(2026, 11, 1),
    )
    assert [p.where for p in check(draft, TEMPLATE, today=NOW.date())] == ["rectification_due"]
    stale = _draft(answers={"staffed": ItemAnswer(passed=True), "signage": ItemAnswer(score=7)})
    newer = InspectionTemplate("TPL-1", "窗口服务", 4, TEMPLATE.items)
    assert [p.where for p in check(stale, newer)] == ["template"]


def test_the_body_follows_the_contract():
    draft = _draft(
        answers={
            "staffed": ItemAnswer(passed=True, score=3),
            "signage": ItemAnswer(score=8),
            "remark": ItemAnswer(text="  "),
        },
        findings="",
        rectification_due=None,
    )
    body = payload(
        draft,
        TEMPLATE,
        [Evidence("CAM-1", NOW, b"\xff\xd8jpeg")],
        finished_at=NOW + timedelta(minutes=5),
        encode=lambda b: base64.b64encode(b).decode(),
    )
    assert body["results"] == [
        {"itemId": "staffed", "passed": True, "score": None, "text": None},
        {"itemId": "signage", "passed": None, "score": 8, "text": None},
        {"itemId": "remark", "passed": None, "score": None, "text": "  "},
    ]
    assert body["snapshots"] == [
        {"cameraId": "CAM-1", "capturedAt": NOW.isoformat(), "jpegBase64": "/9hqcGVn"}
    ]
    assert (body["templateVersion"], body["rectificationDue"], body["finishedAt"]) == (
        3,
        None,
        "2026-11-24T09:35:00+00:00",
    )


def test_items_of_a_kind_the_contract_does_not_list_are_answered_with_a_note_or_a_snapshot():
    assert [answered_as(k) for k in ("pass_fail", "score", "text")] == [
        "pass_fail",
        "score",
        "text",
    ]
    assert [answered_as(k) for k in ("photo", "site_photos", "Picture", "snapshot", "IMG")] == [
        PICTURE
    ] * 5
    assert [answered_as(k) for k in ("signature", "topic", "checkbox", "number")] == [NOTE] * 4
    template = InspectionTemplate(
        "TPL-2",
        "新版督查",
        1,
        (
            *TEMPLATE.items,
            TemplateItem("scene", "现场照片", "photo", None, True),
            TemplateItem("sign", "负责人签字", "signature", None, False),
        ),
    )
    draft = Draft("D-2", "SP-1", "TPL-2", 1, "督查员甲", NOW).with_answer(
        "staffed", ItemAnswer(passed=True)
    )
    draft = draft.with_answer("signage", ItemAnswer(score=9))
    # a required item of a new kind must be answered like any other
    assert [p.where for p in check(draft, template)] == ["scene"]
    draft = draft.with_answer("scene", ItemAnswer(text="截图 CAM-1 09:31:02"))
    assert check(draft, template) == []
    body = payload(draft, template, [], finished_at=NOW, encode=lambda b: "")
    assert body["results"][3:] == [
        {"itemId": "scene", "passed": None, "score": None, "text": "截图 CAM-1 09:31:02"},
        {"itemId": "sign", "passed": None, "score": None, "text": None},
    ]


def test_plans_choose_points_by_county_type_level_or_a_random_sample(store, city_world_factory):
    from commandcenter.feeds.parsing import parse_service_point

    points = [parse_service_point(p) for p in city_world_factory().service_points()]
    offices = choose_points(points, counties=["320506"], types=["judicial_office"])
    assert offices and all(p.startswith("SP-320506") for p in offices)
    sample = choose_points(points, types=["service_station"], sample=12, seed=5)
    assert len(sample) == 12 and sample == choose_points(
        points, types=["service_station"], sample=12, seed=5
    )
    plan = Plan("P-1", "吴中区司法所", tuple(offices), created_by="督查员甲")
    store.save_plan(plan.moved(2))
    [saved] = store.plans()
    assert saved.current == offices[2] and saved.moved(-5).current == offices[0]


def test_drafts_and_their_evidence_are_kept_in_the_store(store):
    draft = _draft(
        answers={"staffed": ItemAnswer(passed=True)},
        findings="好",
        rectification_due=date(2026, 12, 1),
    )
    store.save_draft(draft)
    evidence_id = store.add_evidence("D-1", Evidence("CAM-1", NOW, b"\xff\xd8x"))
    again = store.draft("D-1")
    assert (again.answers, again.findings, again.rectification_due, again.state) == (
        draft.answers,
        "好",
        date(2026, 12, 1),
        "open",
    )
    assert [e.camera_id for _id, e in store.evidence("D-1")] == ["CAM-1"]
    store.remove_evidence(evidence_id)
    assert store.evidence("D-1") == []


@pytest.fixture
def inspection_setup(store, city_world_factory, datacenter_factory, client_factory):
    from commandcenter.feeds.parsing import parse_inspection_template as parse_template

    world = city_world_factory(fresh=True)
    server = datacenter_factory(world)
    client = client_factory(server.url, retries=0)
    [template] = [parse_template(t) for t in world.inspection_templates()][:1]
    point_id = next(p["pointId"] for p in world.service_points() if p["type"] == "judicial_office")

    def submit(**kw) -> Draft:
        answers = {
            i.item_id: (
                ItemAnswer(passed=True)
                if i.kind == "pass_fail"
                else ItemAnswer(score=i.max_score or 5)
                if i.kind == "score"
                else ItemAnswer(text="正常")
            )
            for i in template.items
        }
        draft = Draft(
            uuid.uuid4().hex,
            point_id,
            template.template_id,
            template.version,
            "督查员甲",
            datetime.now(UTC) - timedelta(minutes=10),
            answers=answers,
        )
        body = payload(
            draft,
            template,
            [Evidence("CAM-x", datetime.now(UTC), b"\xff\xd8\xff\xe0jpeg")],
            finished_at=datetime.now(UTC),
            encode=lambda b: base64.b64encode(b).decode(),
        )
        body.update(kw)
        store.submit_inspection(draft, body)
        return draft

    return world, server, client, submit, point_id


def test_an_answer_lost_after_the_data_center_stored_the_inspection_never_makes_two(
    store, inspection_setup
):
    world, server, client, submit, point_id = inspection_setup
    before = len(world.inspections(point_id))
    draft = submit()
    server.faults.update(lost_answer_rate=1.0)  # stored, then the connection reset
    sender = OutboxSender(client, store)
    assert sender.send_due() == 0
    assert len(world.inspections(point_id)) == before + 1  # the data center has it already
    [pending] = store.commands(state="pending")
    assert pending.attempts == 1 and store.draft(draft.draft_id).state == "submitted"
    server.faults.update(lost_answer_rate=0.0)
    # a restart: a new sender, the same outbox, the retry due
    assert OutboxSender(client, store).send_due(now=datetime.now(UTC) + timedelta(minutes=10)) == 1
    assert len(world.inspections(point_id)) == before + 1  # the same inspection, not a second
    sent = store.draft(draft.draft_id)
    assert (
        sent.state == "sent"
        and sent.inspection_id == world.inspections(point_id)[-1]["inspectionId"]
    )


def test_the_data_center_down_for_a_while_delays_the_inspection_but_sends_it_once(
    store, inspection_setup
):
    world, server, client, submit, point_id = inspection_setup
    before = len(world.inspections(point_id))
    draft = submit()
    server.faults.update(down=True)
    sender = OutboxSender(client, store)
    later = datetime.now(UTC)
    for _attempt in range(3):  # backing off: 2 s, 4 s, 8 s…
        later += timedelta(minutes=10)
        assert sender.send_due(now=later) == 0
    [pending] = store.commands(state="pending")
    assert pending.attempts == 3 and pending.next_attempt_at >= datetime.now(UTC) + timedelta(
        seconds=7
    )
    server.faults.update(down=False)
    assert sender.send_due(now=later + timedelta(minutes=10)) == 1
    assert sender.send_due(now=later + timedelta(minutes=20)) == 0
    assert (
        len(world.inspections(point_id)) == before + 1
        and store.draft(draft.draft_id).state == "sent"
    )


def test_a_refusal_names_the_field_and_stays_failed(store, inspection_setup):
    _world, _server, client, submit, _point_id = inspection_setup
    draft = submit(templateVersion=999)
    OutboxSender(client, store).send_due()
    [failed] = store.commands(state="failed")
    refused = store.draft(draft.draft_id)
    assert (
        refused.state == "failed" and "templateVersion" in refused.error and "422" in refused.error
    )
    assert "templateVersion" in failed.last_error


def test_rectifications_due_today_and_overdue_are_reminded_once_until_closed(store):
    from commandcenter.domain.records import Inspection, InspectionResult
    from commandcenter.domain.timefmt import CHINA_STANDARD_TIME
    from commandcenter.feeds.local_alerts import RectificationReminders

    now = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)  # 09:00 in the bureau's day
    today = now.astimezone(CHINA_STANDARD_TIME).date()

    def inspection(n: int, due: date | None) -> Inspection:
        return Inspection(
            f"INS-{n}",
            f"SP-{n}",
            "TPL-1",
            3,
            "督查员甲",
            now - timedelta(days=20),
            now - timedelta(days=20),
            (InspectionResult("staffed", False, None, None),),
            "窗口无人",
            due,
            0,
            now - timedelta(days=20),
        )

    store.upsert_inspections(
        [
            inspection(1, today),
            inspection(2, today - timedelta(days=3)),
            inspection(3, today + timedelta(days=5)),
            inspection(4, None),
        ]
    )
    reminders = RectificationReminders(store, clock=lambda: now)
    raised = reminders.check()
    assert sorted(a.title for a in raised) == [
        "SP-1 整改今日到期",
        "SP-2 整改已逾期（11月21日到期）",
    ]
    assert all(
        a.alert_id.startswith("LOCAL-RECTIFY-") and a.type == "rectification_due" for a in raised
    )
    assert reminders.check() == []  # judged again: not raised twice
    store.close_rectification("INS-1", closed_by="督查员甲", note="已整改")
    later = RectificationReminders(store, clock=lambda: now + timedelta(days=1))
    assert [
        a.title for a in later.check()
    ] == []  # INS-1 closed; INS-2 was reminded as overdue already


def test_each_kind_of_point_has_the_checklist_named_for_it():
    from commandcenter.domain.inspection import fitting_template
    from commandcenter.domain.records import InspectionTemplate, TemplateItem

    item = (TemplateItem("I01", "在岗", "pass_fail", None, True),)
    templates = [
        InspectionTemplate(t, name, 1, item)
        for t, name in (
            ("A", "社区矫正报到视频点验"),
            ("B", "司法所规范化建设远程督查"),
            ("C", "村（社区）公共法律服务工作室巡查"),
            ("D", "品牌调解工作室规范化督查"),
            ("E", "公证处窗口服务督查"),
            ("F", "Notary office spot check"),
        )
    ]
    chosen = {
        kind: getattr(fitting_template(kind, templates), "template_id", None)
        for kind in (
            "judicial_office",
            "service_station",
            "mediation_studio",
            "notary_office",
            "community_correction_center",
            "hotline_12348",
        )
    }
    assert chosen == {
        "judicial_office": "B",
        "service_station": "C",  # not the correction one for its 社区
        "mediation_studio": "D",  # not the stations' 工作室
        "notary_office": "E",
        "community_correction_center": "A",
        "hotline_12348": None,  # none made for it: the supervisor's choice stands
    }


def test_a_failed_item_without_a_date_still_asks_for_a_rectification():
    from datetime import date

    from commandcenter.domain.inspection import rectification_state, verdict
    from commandcenter.domain.records import InspectionResult

    results = [
        InspectionResult("I01", False, None, None),
        InspectionResult("I02", True, None, None),
        InspectionResult("I03", None, 7, None),
    ]
    found = verdict(results, " 窗口无人 ", None)
    assert not found.passed and found.must_rectify and found.failed == ("I01",)
    assert (found.score, found.top, found.findings) == (7, None, "窗口无人")
    today = date(2026, 12, 7)
    assert rectification_state(None, False, today, failed=True) == "undated"
    assert rectification_state(None, True, today, failed=True) == "closed"
    assert rectification_state(None, False, today) is None
