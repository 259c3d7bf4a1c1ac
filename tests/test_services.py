"""Operator commands (commandcenter.services), each test on SQLite and on a real
PostgreSQL server: what each command keeps (its command for the data center, the
record's change, its audit entry), and that a failure in the middle of one keeps none
of it, leaves the audit chain whole and its recorded head where it was, and tells no
listener of a change."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from commandcenter.domain.alert_handling import Action
from commandcenter.domain.anomaly import LOCAL_ALERT_PREFIX
from commandcenter.domain.inspection import Draft, Evidence, ItemAnswer, Plan, Presence, RollCall
from commandcenter.domain.records import InspectionTemplate, TemplateItem
from commandcenter.domain.secret import Secret
from commandcenter.services import (
    AlertCommands,
    CommandFailed,
    InspectionCommands,
    MeetingCommands,
    Operator,
)
from commandcenter.store import ChangeEvent, Store
from commandcenter.store import schema as t
from commandcenter.store.audit_seal import AuditSeal
from tests.test_store import alert

T0 = datetime(2026, 11, 24, 1, 30, tzinfo=UTC)
DUTY = Operator("值班员甲", "duty_officer")
SUPERVISOR = Operator("督查员乙", "supervisor")
TEMPLATE = InspectionTemplate(
    "TPL-1",
    "窗口服务",
    3,
    (
        TemplateItem("staffed", "窗口有人值守", "pass_fail", None, True),
        TemplateItem("remark", "其他情况", "text", None, False),
    ),
)
# every table an operator's command writes
WRITTEN = (
    t.duty_log,
    t.alerts,
    t.alert_history,
    t.alert_actions,
    t.outbox,
    t.audit_log,
    t.inspection_drafts,
    t.inspection_evidence,
    t.inspection_plans,
    t.roll_calls,
    t.rectification_closures,
    t.meeting_groups,
)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    seal = AuditSeal(lambda create: Secret("k" * 64), heads_folder=tmp_path / "heads")
    if request.param == "sqlite":
        s = Store(f"sqlite:///{tmp_path / 'store.db'}", audit_seal=seal)
    else:
        s = Store(request.getfixturevalue("pg_url"), audit_seal=seal)
    # a log already under way: the commands' entries chain onto it
    s.append_audit(user="值班员甲", role="duty_officer", action="role.switch", target="x")
    yield s
    s.close()


@pytest.fixture
def heard(store) -> list[ChangeEvent]:
    events: list[ChangeEvent] = []
    unsubscribe = store.subscribe(events.append)
    yield events
    unsubscribe()


def draft(**kw) -> Draft:
    return Draft("D-1", "SP-1", "TPL-1", 3, SUPERVISOR.name, T0, **kw)


def audit_actions(store: Store) -> list[tuple[str, str | None, dict | None]]:
    return [(e.action, e.target, e.detail) for e in sorted(store.audit_log(), key=lambda e: e.id)][
        1:
    ]


def everything(store: Store) -> dict[str, list[tuple]]:
    """Every row of every table a command writes, in order."""
    with store.engine.connect() as conn:
        return {
            table.name: [
                tuple(r) for r in conn.execute(sa.select(table).order_by(*table.primary_key))
            ]
            for table in WRITTEN
        }


def assert_chain_whole(store: Store, entries: int) -> None:
    check = store.verify_audit()
    assert check.verified, check.chain
    assert check.chain.entries == entries
    assert check.head is not None and check.head.entries == entries


# -- what each command keeps ----------------------------------------------------------------


def test_acknowledging_queues_the_command_notes_the_action_and_audits_it(store, heard):
    AlertCommands(store).acknowledge(alert(), "已电话联系", DUTY)
    (command,) = store.commands()
    assert (command.kind, command.target, command.payload) == (
        "alert_ack",
        "AL-1",
        {"alertId": "AL-1", "ackBy": "值班员甲", "note": "已电话联系"},
    )
    (action,) = store.alert_actions("AL-1")
    assert (action.action, action.actor, action.text) == (
        Action.ACKNOWLEDGE,
        "值班员甲",
        "已电话联系",
    )
    assert audit_actions(store) == [("alert.acknowledge", "AL-1", {"note": "已电话联系"})]
    assert_chain_whole(store, 2)
    # a critical alert's acknowledgement is a line of the duty log, in the same transaction
    (logged,) = store.duty_entries()
    assert (logged.kind, logged.author) == ("alert", "client") and "AL-1" in logged.text
    assert {e.kind for e in heard} == {"outbox", "alert_actions", "audit", "duty_log"}


def test_an_alert_raised_here_is_acknowledged_here_only(store):
    local = alert(alert_id=f"{LOCAL_ALERT_PREFIX}SPIKE-320506-mediation-2026112409")
    store.upsert_alerts([local])
    AlertCommands(store).acknowledge(local, "已核实", DUTY)
    assert store.commands() == []
    (kept,) = [a for a in store.alerts() if a.alert_id == local.alert_id]
    assert (kept.status, kept.ack_by) == ("acked", "值班员甲")
    assert [a.action for a in store.alert_actions(local.alert_id)] == [Action.ACKNOWLEDGE]
    assert [a for a, _t, _d in audit_actions(store)] == ["alert.acknowledge"]


def test_assigning_and_commenting_are_kept_on_the_timeline_and_audited(store):
    commands = AlertCommands(store)
    commands.assign("AL-1", "值班员丙", DUTY)
    commands.comment("AL-1", "现场已派人", DUTY)
    assert [(a.action, a.text) for a in store.alert_actions("AL-1")] == [
        (Action.ASSIGN, "值班员丙"),
        (Action.COMMENT, "现场已派人"),
    ]
    assert audit_actions(store) == [
        ("alert.assign", "AL-1", {"assignee": "值班员丙"}),
        ("alert.comment", "AL-1", {"text": "现场已派人"}),
    ]
    assert store.commands() == []
    assert_chain_whole(store, 3)


def test_closing_a_new_alert_acknowledges_it_with_the_same_note_in_one_go(store):
    AlertCommands(store).close(alert(), "误报", DUTY)
    (command,) = store.commands()
    assert command.kind == "alert_ack" and command.payload["note"] == "误报"
    assert [(a.action, a.text) for a in store.alert_actions("AL-1")] == [
        (Action.ACKNOWLEDGE, "误报"),
        (Action.CLOSE, "误报"),
    ]
    assert audit_actions(store) == [
        ("alert.acknowledge", "AL-1", {"note": "误报"}),
        ("alert.close", "AL-1", {"note": "误报"}),
    ]
    assert_chain_whole(store, 3)


def test_closing_an_acknowledged_alert_only_closes_it(store):
    AlertCommands(store).close(alert(status="acked"), "已处理完毕", DUTY)
    assert store.commands() == []
    assert [a.action for a in store.alert_actions("AL-1")] == [Action.CLOSE]
    assert [a for a, _t, _d in audit_actions(store)] == ["alert.close"]


def test_meeting_commands_go_to_the_outbox_under_a_key_and_are_audited(store):
    commands = MeetingCommands(store)
    start = T0 + timedelta(hours=2)
    key = commands.launch("吴中区调度会", "SP-0", ["SP-1", "SP-2", "SP-1"], start, SUPERVISOR)
    commands.change_participants("MT-1", add=["SP-3"], remove=["SP-2"], by=SUPERVISOR)
    commands.end("MT-1", SUPERVISOR)
    launch, change, end = store.commands()
    assert (launch.kind, launch.idempotency_key, launch.target) == (
        "meeting_launch",
        key,
        "吴中区调度会",
    )
    assert launch.payload == {
        "title": "吴中区调度会",
        "hostPointId": "SP-0",
        "participants": ["SP-1", "SP-2"],
        "startAt": "2026-11-24T11:30:00+08:00",
    }
    assert change.payload == {"meetingId": "MT-1", "add": ["SP-3"], "remove": ["SP-2"]}
    assert (end.kind, end.payload) == ("meeting_end", {"meetingId": "MT-1"})
    logged = audit_actions(store)
    assert logged[0] == (
        "meeting.launch",
        "吴中区调度会",
        {"participants": 3, "startAt": launch.payload["startAt"], "idempotencyKey": key},
    )
    assert logged[1] == ("meeting.participants", "MT-1", {"add": ["SP-3"], "remove": ["SP-2"]})
    assert logged[2][:2] == ("meeting.end", "MT-1") and "at" in logged[2][2]
    assert_chain_whole(store, 4)


def test_a_meeting_without_participants_is_refused_before_anything_is_kept(store):
    with pytest.raises(ValueError, match="at least one participant"):
        MeetingCommands(store).launch("空会", "SP-0", [], None, SUPERVISOR)
    assert store.commands() == [] and audit_actions(store) == []


def test_meeting_groups_are_saved_and_deleted_with_their_audit(store):
    commands = MeetingCommands(store)
    commands.save_group("吴中区全部司法所", ["SP-1", "SP-2"], SUPERVISOR)
    assert store.meeting_groups() == {"吴中区全部司法所": ("SP-1", "SP-2")}
    commands.delete_group("吴中区全部司法所", SUPERVISOR)
    assert store.meeting_groups() == {}
    assert audit_actions(store) == [
        ("meeting.group.save", "吴中区全部司法所", {"participants": 2}),
        ("meeting.group.delete", "吴中区全部司法所", {}),
    ]


def test_plans_and_roll_calls_are_kept_and_their_start_and_finish_audited(store):
    commands = InspectionCommands(store)
    plan = Plan("PL-1", "十一月督查", ("SP-1", "SP-2"), created_by=SUPERVISOR.name, created_at=T0)
    commands.save_plan(plan, SUPERVISOR)
    commands.move_in_plan(plan.moved(1))
    assert [p.position for p in store.plans()] == [1]
    roll_call = RollCall("RC-1", SUPERVISOR.name, T0, ("SP-1", "SP-2"))
    commands.start_roll_call(roll_call, SUPERVISOR)
    answered = replace(roll_call, results={"SP-1": Presence.PRESENT})
    commands.answer_roll_call(answered)
    (kept,) = store.roll_calls()
    assert kept.results == {"SP-1": Presence.PRESENT} and kept.finished_at is None
    finished = replace(answered, finished_at=T0 + timedelta(minutes=3))
    commands.finish_roll_call(finished, SUPERVISOR)
    assert store.roll_calls()[0].finished_at == finished.finished_at
    assert audit_actions(store) == [
        ("inspection.plan", "PL-1", {"name": "十一月督查", "points": 2}),
        ("rollcall.start", "RC-1", {"points": 2}),
        ("rollcall.finish", "RC-1", {"present": 1, "absent": 0, "no_picture": 0}),
    ]
    assert_chain_whole(store, 4)


def test_evidence_keeps_its_draft_first_and_the_submission_carries_it(store):
    commands = InspectionCommands(store)
    open_draft = draft(answers={"staffed": ItemAnswer(passed=True)})
    evidence_id = commands.save_evidence(
        open_draft, Evidence("CAM-1", T0, b"\xff\xd8jpeg"), SUPERVISOR
    )
    assert store.draft("D-1") is not None
    assert [i for i, _e in store.evidence("D-1")] == [evidence_id]
    finished = T0 + timedelta(minutes=20)
    submitted = commands.submit(open_draft, TEMPLATE, finished, SUPERVISOR)
    assert (submitted.state, submitted.finished_at) == ("submitted", finished)
    assert store.draft("D-1").state == "submitted"
    (command,) = store.commands()
    assert (command.kind, command.idempotency_key) == ("inspection_submit", "D-1")
    assert [e["cameraId"] for e in command.payload["snapshots"]] == ["CAM-1"]
    assert audit_actions(store) == [
        ("inspection.snapshot", "SP-1", {"camera": "CAM-1"}),
        ("inspection.submit", "SP-1", {"draft": "D-1", "template": "TPL-1"}),
    ]
    commands.remove_evidence(evidence_id)
    assert store.evidence("D-1") == []


def test_a_draft_is_saved_as_typed_without_an_audit_entry(store):
    InspectionCommands(store).save_draft(draft(findings="窗口整洁"))
    assert store.draft("D-1").findings == "窗口整洁"
    assert audit_actions(store) == []


def test_rectifications_close_together(store):
    InspectionCommands(store).close_rectifications(["IN-1", "IN-2"], "已整改", SUPERVISOR)
    assert set(store.closed_rectifications()) == {"IN-1", "IN-2"}
    assert [(a, t_) for a, t_, _d in audit_actions(store)] == [
        ("rectification.close", "IN-1"),
        ("rectification.close", "IN-2"),
    ]


# -- a failure in the middle keeps nothing ---------------------------------------------------

DRAFT_WITH_EVIDENCE = "draft with evidence"

COMMANDS: dict[str, Callable[[Store], object]] = {
    "acknowledge": lambda s: AlertCommands(s).acknowledge(alert(), "已电话联系", DUTY),
    "acknowledge a local alert": lambda s: AlertCommands(s).acknowledge(
        alert(alert_id=f"{LOCAL_ALERT_PREFIX}SPIKE-1"), "已核实", DUTY
    ),
    "assign": lambda s: AlertCommands(s).assign("AL-1", "值班员丙", DUTY),
    "comment": lambda s: AlertCommands(s).comment("AL-1", "现场已派人", DUTY),
    "close a new alert": lambda s: AlertCommands(s).close(alert(), "误报", DUTY),
    "launch a meeting": lambda s: MeetingCommands(s).launch(
        "调度会", "SP-0", ["SP-1"], None, SUPERVISOR
    ),
    "change participants": lambda s: MeetingCommands(s).change_participants(
        "MT-1", add=["SP-2"], remove=[], by=SUPERVISOR
    ),
    "end a meeting": lambda s: MeetingCommands(s).end("MT-1", SUPERVISOR),
    "save a plan": lambda s: InspectionCommands(s).save_plan(
        Plan("PL-1", "十一月督查", ("SP-1",), created_at=T0), SUPERVISOR
    ),
    "start a roll call": lambda s: InspectionCommands(s).start_roll_call(
        RollCall("RC-1", SUPERVISOR.name, T0, ("SP-1",)), SUPERVISOR
    ),
    "finish a roll call": lambda s: InspectionCommands(s).finish_roll_call(
        RollCall("RC-1", SUPERVISOR.name, T0, ("SP-1",), {"SP-1": Presence.ABSENT}, T0),
        SUPERVISOR,
    ),
    "save evidence": lambda s: InspectionCommands(s).save_evidence(
        draft(), Evidence("CAM-1", T0, b"jpeg"), SUPERVISOR
    ),
    "submit an inspection": lambda s: InspectionCommands(s).submit(
        draft(answers={"staffed": ItemAnswer(passed=True)}), TEMPLATE, T0, SUPERVISOR
    ),
    "close rectifications": lambda s: InspectionCommands(s).close_rectifications(
        ["IN-1", "IN-2"], "已整改", SUPERVISOR
    ),
}


def database_fault() -> sa.exc.OperationalError:
    return sa.exc.OperationalError("INSERT INTO audit_log", {}, Exception("disk I/O error"))


def fail_before_the_audit(store: Store, monkeypatch) -> None:
    def refuse(**_kw):
        raise database_fault()

    monkeypatch.setattr(store, "append_audit", refuse)


def fail_after_the_audit(store: Store, monkeypatch) -> None:
    """The entry chained and written in the transaction, then the transaction fails."""
    append = store.append_audit

    def append_then_fail(**kw):
        append(**kw)
        raise database_fault()

    monkeypatch.setattr(store, "append_audit", append_then_fail)


@pytest.mark.parametrize("fault", [fail_before_the_audit, fail_after_the_audit])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_command_failing_in_the_middle_keeps_nothing(store, heard, monkeypatch, command, fault):
    # what the commands find already there: a local alert, an open draft with evidence
    store.upsert_alerts([alert(alert_id=f"{LOCAL_ALERT_PREFIX}SPIKE-1")])
    store.save_draft(draft())
    store.add_evidence("D-1", Evidence("CAM-0", T0, b"jpeg"))
    before = everything(store)
    head = store.audit_seal.read_head(store.identity)
    heard.clear()
    fault(store, monkeypatch)

    with pytest.raises(CommandFailed, match="disk I/O error") as failed:
        COMMANDS[command](store)

    assert "disk I/O error" in failed.value.reason
    assert everything(store) == before
    assert heard == []  # nobody was told of a change that was not kept
    assert store.audit_seal.read_head(store.identity) == head
    monkeypatch.undo()
    assert_chain_whole(store, 1)
    # and the next command chains onto the entry before the failed one
    COMMANDS[command](store)
    assert_chain_whole(store, len(store.audit_log()))


def test_a_fault_of_our_own_goes_on_as_it_is_and_keeps_nothing(store, monkeypatch):
    before = everything(store)

    def broken(*_args, **_kw):
        raise RuntimeError("a bug, not the database")

    monkeypatch.setattr(store, "record_alert_action", broken)
    with pytest.raises(RuntimeError, match="a bug"):
        AlertCommands(store).acknowledge(alert(), "已电话联系", DUTY)
    assert everything(store) == before


# -- the unit of work ------------------------------------------------------------------------


def test_listeners_hear_of_a_unit_of_works_changes_only_once_it_is_committed(store, heard):
    heard.clear()
    with store.unit_of_work() as work:
        store.enqueue_command(kind="alert_ack", payload={}, idempotency_key="k1", work=work)
        store.append_audit(user="甲", role="duty_officer", action="a", target=None, work=work)
        assert heard == []
        assert store.commands() == []  # not visible outside before the commit
    assert {e.kind for e in heard} == {"outbox", "audit"}
    assert len(store.commands()) == 1


def test_entries_of_a_rolled_back_unit_of_work_leave_no_gap_in_the_chain(store):
    head = store.audit_seal.read_head(store.identity)

    def three_entries_then_a_fault() -> None:
        with store.unit_of_work() as work:
            for n in range(3):
                store.append_audit(user="甲", role="r", action=f"a{n}", target=None, work=work)
            raise ZeroDivisionError("the command stops after its audit entries")

    with pytest.raises(ZeroDivisionError):
        three_entries_then_a_fault()
    assert store.audit_seal.read_head(store.identity) == head
    store.append_audit(user="甲", role="r", action="after", target=None)
    assert_chain_whole(store, 2)


def test_commands_from_many_threads_at_once_form_one_chain(store):
    import threading

    commands = AlertCommands(store)

    def handle(n: int) -> None:
        for k in range(4):
            commands.comment(f"AL-{n}", f"第{k}条", DUTY)

    threads = [threading.Thread(target=handle, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert_chain_whole(store, 17)
    assert sum(len(store.alert_actions(f"AL-{n}")) for n in range(4)) == 16


def test_rectification_due_dates_survive_the_submission(store):
    due = date(2026, 12, 1)
    InspectionCommands(store).submit(
        draft(answers={"staffed": ItemAnswer(passed=False)}, rectification_due=due),
        TEMPLATE,
        T0,
        SUPERVISOR,
    )
    assert store.draft("D-1").rectification_due == due
