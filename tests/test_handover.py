"""The shift handover against a store filled from the simulated data center: what is
open in the desk's scope gathered, handed over, answered once by another officer, each
step audited and in the duty log; the review dialog; the handover record as a PDF."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from commandcenter.domain import bureau_time
from commandcenter.domain.duty import HandoverState, ItemKind, Kind
from commandcenter.domain.geography import county_code
from commandcenter.domain.people import CITY, Person, Scope
from commandcenter.services import Operator
from commandcenter.services.duty import DutyCommands, DutyRefused, pending_handover

WUZHONG = "320506"
WANG = Person("wangmin", "王敏", ("duty_officer",), county=WUZHONG)
ZHAO = Person("zhaoqiang", "赵强", ("duty_officer", "supervisor"), county=WUZHONG)
BY_WANG = Operator(WANG.audit_name, "duty_officer", WANG.scope)
BY_ZHAO = Operator(ZHAO.audit_name, "duty_officer", ZHAO.scope)


@pytest.fixture(scope="module")
def synced(tmp_path_factory, city_world_factory):
    """A store filled by syncing the simulated city, with a meeting launched through the
    outbox (the simulator has none running of itself)."""
    from commandcenter.domain.secret import Secret
    from commandcenter.feeds.catalog import build_feeds
    from commandcenter.feeds.client import DataCenterClient
    from commandcenter.feeds.coordinator import FeedCoordinator
    from commandcenter.feeds.outbox import OutboxSender
    from commandcenter.feeds.runner import FeedRunner
    from commandcenter.services.meetings import MeetingCommands
    from commandcenter.simulator.server import DataCenterServer
    from commandcenter.store import Store

    world = city_world_factory(fresh=True)
    server = DataCenterServer(world, host="127.0.0.1", port=0, credentials={"duty": "s" * 24})
    server.start()
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('handover') / 'store.db'}")
    client = DataCenterClient(server.url, "duty", Secret("s" * 24), retries=0)
    try:
        FeedRunner(FeedCoordinator(f, store) for f in build_feeds(client, store, {})).run_once()
        wuzhong = [p for p in store.service_points() if county_code(p.org_code) == WUZHONG]
        MeetingCommands(store).launch(
            "吴中区夜间调度会",
            wuzhong[0].point_id,
            [p.point_id for p in wuzhong[1:3]],
            None,
            BY_WANG,
        )
        OutboxSender(client, store).send_due(datetime.now(UTC) + timedelta(seconds=1))
        yield store
    finally:
        client.close()
        server.stop()
        store.close()


@pytest.fixture
def store(synced):
    """The synced store, its handovers and log as the test leaves them (module-wide):
    each test uses its own county or counts what it added."""
    return synced


def test_the_handover_gathers_what_is_open_in_the_desks_scope(store):
    items = DutyCommands(store).open_handover(BY_WANG, WANG, Scope(WUZHONG), "").items
    kinds = Counter(i.kind for i in items)
    assert kinds[ItemKind.ALERT] > 0 and kinds[ItemKind.INSPECTION] > 0
    assert kinds[ItemKind.MEETING] == 1
    points = {p.point_id: p.org_code for p in store.service_points()}
    # every alert and inspection is of the county's points, none of another county
    alerts = {a.alert_id: a for a in store.alerts(open_only=True)}
    for item in items:
        if item.kind == ItemKind.ALERT:
            assert county_code(points[alerts[item.ref].point_id]) == WUZHONG
            assert item.state in ("new", "acknowledged", "assigned")
        if item.kind == ItemKind.INSPECTION:
            assert item.state in ("overdue", "due_today", "due", "undated")
    # the city sees more than one county; every open alert not closed is there
    city = DutyCommands(store).open_handover(BY_ZHAO, ZHAO, CITY, "").items
    assert sum(i.kind == ItemKind.ALERT for i in city) > kinds[ItemKind.ALERT]
    assert {i.ref for i in city if i.kind == ItemKind.ALERT} == {
        a.alert_id for a in alerts.values() if a.status != "closed"
    }
    # a note on an alert is its last note in the handover
    first = next(i for i in items if i.kind == ItemKind.ALERT)
    from commandcenter.services.alerts import AlertCommands

    AlertCommands(store).comment(first.ref, "已电话联系司法所核实", BY_WANG)
    again = DutyCommands(store).open_handover(BY_WANG, WANG, Scope(WUZHONG), "").items
    assert next(i for i in again if i.ref == first.ref).last_note == "已电话联系司法所核实"


def test_a_handover_is_answered_once_by_another_officer(store):
    commands = DutyCommands(store)
    scope = Scope("320505")  # 虎丘区: its own handovers only
    handover = commands.open_handover(BY_WANG, WANG, scope, "吴中区两起告警待回访")
    assert pending_handover(store, scope).id == handover.id
    assert all(h.county == "320507" for h in store.pending_handovers(Scope("320507")))
    with pytest.raises(DutyRefused, match="another officer must take it"):
        commands.accept_handover(BY_WANG, WANG, handover.id)
    # a desk answers its own part of the city's handovers only
    with pytest.raises(DutyRefused, match="not this desk's"):
        commands.object_to_handover(BY_ZHAO, ZHAO, handover.id, "不是本区的")
    by_zhao_here = Operator(ZHAO.audit_name, "duty_officer", scope)
    with pytest.raises(DutyRefused, match="empty"):
        commands.object_to_handover(by_zhao_here, ZHAO, handover.id, "  ")
    answered = commands.object_to_handover(by_zhao_here, ZHAO, handover.id, "会议室设备未交接")
    assert answered.state == HandoverState.OBJECTED
    assert (answered.incoming, answered.objections) == ("zhaoqiang", "会议室设备未交接")
    with pytest.raises(DutyRefused, match="answered already"):
        commands.accept_handover(Operator("钱七", "duty_officer", scope), None, handover.id)
    assert store.handover(handover.id).objections == "会议室设备未交接"  # unchanged
    assert pending_handover(store, scope) is None

    log = [e for e in store.duty_entries(kind=Kind.HANDOVER, scope=scope) if e.county == "320505"]
    assert [e.author for e in reversed(log)] == ["wangmin", "zhaoqiang"]
    assert "交接单" in log[1].text and "吴中区两起告警待回访" in log[1].text
    assert "会议室设备未交接" in log[0].text
    audited = [(e.action, e.target) for e in store.audit_log() if e.target == str(handover.id)]
    assert ("duty.handover", str(handover.id)) in audited
    assert ("duty.object", str(handover.id)) in audited
    with pytest.raises(DutyRefused, match="no handover 99999"):
        commands.accept_handover(BY_ZHAO, ZHAO, 99999)
    with pytest.raises(DutyRefused, match="conference_operator"):
        commands.open_handover(Operator("会务", "conference_operator"), None, scope, "")


def test_accepting_on_postgresql_and_refusing_a_second_answer(pg_url):
    from commandcenter.store import Store

    store = Store(pg_url)
    try:
        commands = DutyCommands(store)
        handover = commands.open_handover(BY_WANG, WANG, Scope(WUZHONG), "")
        accepted = commands.accept_handover(BY_ZHAO, ZHAO, handover.id)
        assert accepted.state == HandoverState.ACCEPTED and accepted.answered_at is not None
        with pytest.raises(DutyRefused, match="answered already"):
            commands.object_to_handover(BY_ZHAO, ZHAO, handover.id, "晚了")
        actions = [e.action for e in sorted(store.audit_log(), key=lambda e: e.id)]
        assert actions == ["duty.handover", "duty.accept"]
    finally:
        store.close()


@pytest.fixture
def console(qtbot, store):
    from commandcenter.ui.widgets.panel import Console
    from commandcenter.ui.workers.bridge import BackgroundReader, StoreBridge

    c = Console(store, StoreBridge(store), BackgroundReader(), person=ZHAO, role="duty_officer")
    yield c
    c.lane.wait(10_000)
    c.reader.close(5_000)
    c.snapshots.close()


def test_the_outgoing_dialog_hands_over_and_the_incoming_review_accepts(qtbot, console, store):
    from commandcenter.ui.people.handover import HandoverDialog, HandoverReview
    from commandcenter.ui.people.handover import pending_handover as pending_for_sign_in

    scope = Scope(WUZHONG)
    for old in store.pending_handovers(scope):  # earlier tests' handovers, answered
        DutyCommands(store).accept_handover(Operator("钱七", "duty_officer", scope), None, old.id)
    outgoing = type(console)(
        store, console.bridge, console.reader, person=WANG, role="duty_officer"
    )
    dialog = HandoverDialog(outgoing)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.items.rowCount() > 4, timeout=10_000)
    dialog.notes.setPlainText("夜间注意吴中区告警回访")
    dialog.hand_over_button.click()
    qtbot.waitUntil(lambda: dialog.handover is not None, timeout=10_000)
    assert dialog.handover.notes == "夜间注意吴中区告警回访"

    pending = pending_for_sign_in(store, scope)
    assert pending is not None and pending.id == dialog.handover.id
    review = HandoverReview(console, pending)
    qtbot.addWidget(review)
    review.show()
    assert "王敏" in review.header.text() and review.notes.text() == "夜间注意吴中区告警回访"
    assert review.accept_button.isEnabled()
    review.accept_button.click()
    qtbot.waitUntil(lambda: review.handover.state == HandoverState.ACCEPTED, timeout=10_000)
    assert not review.accept_button.isEnabled() and not review.object_button.isEnabled()
    assert store.handover(pending.id).incoming_name == "赵强"


def test_the_handover_record_as_pdf(qtbot, store, tmp_path):
    import pypdf

    from commandcenter.ui.people.duty_report import write_handover_pdf

    handover = DutyCommands(store).open_handover(BY_WANG, WANG, Scope(WUZHONG), "交班说明：无")
    path = write_handover_pdf(tmp_path / "交接班记录.pdf", store, handover.id)
    text = "".join("".join(p.extract_text().split()) for p in pypdf.PdfReader(path).pages)
    assert "交接班记录" in text and "王敏" in text and "未关闭告警" in text
    assert "吴中区夜间调度会" in text
    assert bureau_time.bureau_text(handover.created_at, "%Y-%m-%d") in text
