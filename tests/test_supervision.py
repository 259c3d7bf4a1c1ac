"""Remote supervision with the keyboard against the simulated data center: a plan,
the inspection with live video and evidence, the upload confirmed once, the
reports; roll-calls; a draft brought back after the client was killed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest


@pytest.fixture
def supervision(qtbot, store, video_datacenter, client_factory, camera_commands):
    from commandcenter.feeds.catalog import build_feeds
    from commandcenter.feeds.coordinator import FeedCoordinator
    from commandcenter.feeds.runner import FeedRunner
    from commandcenter.ui.supervision.panel import SupervisionPanel
    from commandcenter.ui.widgets.panel import Console
    from commandcenter.ui.workers.bridge import BackgroundReader, StoreBridge

    client = client_factory(video_datacenter.url, retries=0)
    runner = FeedRunner(FeedCoordinator(f, store) for f in build_feeds(client, store, {}))
    runner.run_once()
    console = Console(
        store,
        StoreBridge(store),
        BackgroundReader(),
        cameras=camera_commands,
        operator="督查员甲",
        role="supervisor",
    )
    panel = SupervisionPanel(console)
    qtbot.addWidget(panel)
    panel.resize(1500, 900)
    panel.show()
    panel.activateWindow()  # the keyboard shortcuts go to the active window
    qtbot.waitActive(panel)
    qtbot.waitUntil(
        lambda: panel.data is not None and panel.template_choice.count() > 0, timeout=10_000
    )
    yield panel, client, runner
    panel.close_drafts()
    console.reader.close(5_000)
    console.snapshots.close()


def type_chinese(widget, text: str) -> None:
    """Chinese arrives from the input method as committed text (QTest's key clicks are ASCII)."""
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    for ch in text:
        commit = QInputMethodEvent()
        commit.setCommitString(ch)
        QApplication.sendEvent(widget, commit)


def _plan(qtbot, panel, county="320506", kind="judicial_office", n=2):
    from commandcenter.domain.inspection import Plan, choose_points

    points = choose_points(
        panel.console.snapshots.points.active(), counties=[county], types=[kind]
    )[:n]
    plan = panel.add_plan(
        Plan("P-test", "吴中区司法所督查", tuple(points), 0, "督查员甲", datetime.now(UTC))
    )
    # kept off the GUI thread, then chosen
    qtbot.waitUntil(lambda: panel.plan is not None and panel.plan.plan_id == "P-test")
    return plan


def test_an_inspection_from_plan_to_the_data_centers_confirmation_by_keyboard(
    qtbot, supervision, store, video_datacenter, tmp_path
):
    from PySide6.QtCore import Qt

    from commandcenter.feeds.outbox import OutboxSender
    from commandcenter.ui.supervision.checklist import ItemRow

    panel, client, runner = supervision
    panel.template_choice.setCurrentIndex(
        panel.template_choice.findData("TPL-SFS-REMOTE")
    )  # the offices' checklist
    plan = _plan(qtbot, panel)
    view = panel.view
    qtbot.waitUntil(lambda: view.isEnabled() and view.point is not None, timeout=10_000)
    assert (
        view.point.point_id == plan.point_ids[0] and view.template.template_id == "TPL-SFS-REMOTE"
    )
    assert view.tiles[0].camera is not None  # the point's cameras, live
    # finishing too early: each missing item named, the first one focused
    view.finish_button.click()
    assert "“窗口工作人员在岗在位、着装规范” is required" in view.problems.text()
    assert "the score must be" not in view.problems.text()
    assert view.rows[0].label.styleSheet() and view.draft.state == "open"
    # the checklist by keyboard: P passes, F fails, scores typed, Tab onwards
    for row in view.rows:
        row.widget.setFocus()
        qtbot.waitUntil(row.widget.hasFocus)
        if row.item.kind == "score":  # it selects its "—" just after it has the focus
            qtbot.waitUntil(row.widget.lineEdit().hasSelectedText)
        if row.item.kind == "pass_fail":
            qtbot.keyClick(row.widget, Qt.Key.Key_F if row.item.item_id == "I03" else Qt.Key.Key_P)
        elif row.item.kind == "score":
            qtbot.keyClicks(row.widget, "8")  # "—" is replaced by what is typed
        else:
            type_chinese(row.widget, "走廊灯不亮")
    assert [r.answer().passed for r in view.rows if r.item.kind == "pass_fail"] == [
        True,
        True,
        False,
        True,
    ]
    view.findings.setFocus()
    type_chinese(view.findings, "办事流程未上墙")
    view.needs_rectification.setChecked(True)
    view.due.setDate(view.due.date().addDays(14))
    # a snapshot of the live picture as evidence (F9), kept with the draft
    qtbot.waitUntil(lambda: view.tiles[0].frames > 0, timeout=20_000)
    qtbot.keyClick(view.findings, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: view.evidence_list.count() == 1)
    qtbot.waitUntil(
        lambda: (
            store.draft(view.draft.draft_id) is not None
            and store.draft(view.draft.draft_id).findings == "办事流程未上墙"
        ),
        timeout=5_000,
    )
    draft_id = view.draft.draft_id
    qtbot.keyClick(view.findings, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert view.draft.state == "submitted" and view.problems.text() == "", view.problems.text()
    assert isinstance(view.rows[0], ItemRow) and not view.rows[0].widget.isEnabled()
    qtbot.waitUntil(lambda: store.draft(draft_id).state == "submitted")

    # the outbox sends it; the data center confirms; the view says so
    before = len(video_datacenter.world.inspections(plan.point_ids[0]))
    assert OutboxSender(client, store).send_due() == 1
    sent = store.draft(draft_id)
    assert sent.state == "sent" and sent.inspection_id.startswith("INS-")
    records = [
        r
        for r in video_datacenter.world.inspections(plan.point_ids[0])
        if r["inspectionId"] == sent.inspection_id
    ]
    assert (
        len(records) == 1
        and len(video_datacenter.world.inspections(plan.point_ids[0])) == before + 1
    )
    assert len(records[0]["snapshots"]) == 1 and records[0]["findings"] == "办事流程未上墙"
    assert records[0]["rectificationDue"] == (bureau_today() + timedelta(days=14)).isoformat()
    qtbot.waitUntil(lambda: sent.inspection_id in view.state.text(), timeout=10_000)
    assert any(e.action == "inspection.submit" for e in store.audit_log())

    # on to the next point by keyboard; the plan remembers where it is
    qtbot.keyClick(view.findings, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: view.point.point_id == plan.point_ids[1], timeout=5_000)
    qtbot.waitUntil(lambda: [p.position for p in store.plans() if p.plan_id == plan.plan_id] == [1])

    # the report of the inspection, and a period summary
    import pypdf

    from commandcenter.ui.supervision.inspection_report import write_inspection_report

    pdf = write_inspection_report(tmp_path / "督查报告.pdf", panel.console, draft_id)
    reader = pypdf.PdfReader(pdf)
    text = "".join(page.extract_text() for page in reader.pages).replace("\t", " ")
    for words in (
        "远程督查报告",
        "窗口工作人员在岗在位",
        "不合格",
        "办事流程未上墙",
        "现场截图（1 张）",
        "登记编号\nINS-",
        f"{bureau_today() + timedelta(days=14):%Y年%m月%d日}",
    ):
        assert words in text, words
    assert sum(len(page.images) for page in reader.pages) == 1
    runner.run_once()  # the inspection comes back in the data center's list
    qtbot.waitUntil(
        lambda: any(
            i.inspection_id == sent.inspection_id
            for i in (panel.data.inspections if panel.data else [])
        ),
        timeout=10_000,
    )
    files = panel.export_summary(
        tmp_path / "summary", bureau_today() - timedelta(days=40), bureau_today()
    )
    from openpyxl import load_workbook

    book = load_workbook(next(p for p in files if p.suffix == ".xlsx"))
    assert [s.title for s in book.worksheets] == [
        panel.tr("by county"),
        panel.tr("by item"),
        panel.tr("by inspector"),
        panel.tr("findings"),
    ]
    inspectors = {row[0]: row for row in book.worksheets[2].iter_rows(min_row=2, values_only=True)}
    mine = [i for i in panel.data.inspections if i.inspector == "督查员甲"]
    checked = sum(1 for i in mine for r in i.results if r.passed is not None)
    assert inspectors["督查员甲"][2] == checked and inspectors["督查员甲"][3] == checked - 1


def test_a_roll_call_takes_one_key_a_station_and_is_saved_as_it_goes(qtbot, supervision, store):
    from PySide6.QtCore import Qt

    from commandcenter.domain.inspection import Presence

    panel, _client, _runner = supervision
    plan = _plan(qtbot, panel, kind="service_station", n=4)
    panel.start_roll_call()
    view = panel.roll_call
    assert panel.tabs.currentWidget() is panel.roll_call_tab and view.progress.text() == "1 / 4"
    for key in (Qt.Key.Key_1, Qt.Key.Key_A, Qt.Key.Key_S, Qt.Key.Key_3):
        qtbot.keyClick(view, key)
    qtbot.waitUntil(lambda: [r.finished_at is not None for r in store.roll_calls()] == [True])
    [saved] = store.roll_calls()
    assert saved.results == {
        plan.point_ids[0]: Presence.PRESENT,
        plan.point_ids[1]: Presence.ABSENT,
        plan.point_ids[3]: Presence.NO_PICTURE,
    }
    assert saved.finished_at is not None and "1 unanswered" in view.title.text().replace("，", ", ")


def test_a_template_with_items_of_a_new_kind_is_kept_and_answered_with_a_snapshot_or_a_note(
    qtbot, supervision, store, video_datacenter
):
    """A data center newer than the contract offers a "photo" item and a "signature"
    item: the template is kept, each item shows its kind as sent, the photo is answered
    with a snapshot of the live picture, the signature with a note, and the data center
    receives both."""
    from PySide6.QtCore import Qt

    from commandcenter.feeds.outbox import OutboxSender

    panel, client, runner = supervision
    world = video_datacenter.world

    def item(n, text, kind, **more):
        return {"itemId": f"N{n}", "text": text, "kind": kind, "required": True, **more}

    with world.lock:
        world.add_template(
            {
                "templateId": "TPL-NEW-KINDS",
                "name": "司法所新版督查",
                "version": 1,
                "items": [
                    item(1, "窗口工作人员在岗", "pass_fail", maxScore=None),
                    item(2, "现场照片", "photo"),
                    item(3, "负责人签字确认", "signature"),
                ],
            }
        )
    runner.run_once()
    qtbot.waitUntil(lambda: panel.template_choice.findData("TPL-NEW-KINDS") >= 0, timeout=10_000)
    assert not [r for r in store.rejections() if r.feed == "inspection_templates"]
    panel.template_choice.setCurrentIndex(panel.template_choice.findData("TPL-NEW-KINDS"))
    plan = _plan(qtbot, panel, n=1)
    view = panel.view
    qtbot.waitUntil(lambda: view.point is not None, timeout=10_000)
    assert view.template.template_id == "TPL-NEW-KINDS"
    passed, photo, signature = view.rows
    assert "〔photo〕" in photo.label.text() and "〔signature〕" in signature.label.text()
    assert photo.snapshot_button is not None and signature.snapshot_button is None
    # finishing without them names the items of the new kinds as required too
    qtbot.keyClick(passed.editor, Qt.Key.Key_P)
    view.finish_button.click()
    assert "“现场照片” is required" in view.problems.text()
    assert "“负责人签字确认” is required" in view.problems.text()
    # the photo: a snapshot of the live picture, named in the item's answer
    qtbot.waitUntil(lambda: view.tiles[0].frames > 0, timeout=20_000)
    photo.snapshot_button.click()
    camera_id = view.tiles[0].camera.camera_id
    qtbot.waitUntil(lambda: view.evidence_list.count() == 1)
    assert camera_id in photo.answer().text
    signature.editor.setFocus()
    type_chinese(signature.editor, "所长已签字")
    assert view.finish(), view.problems.text()
    qtbot.waitUntil(  # written off the GUI thread
        lambda: getattr(store.draft(view.draft.draft_id), "state", None) == "submitted"
    )
    assert OutboxSender(client, store).send_due() == 1
    [record] = [
        r for r in world.inspections(plan.point_ids[0]) if r["templateId"] == "TPL-NEW-KINDS"
    ]
    answers = {r["itemId"]: r for r in record["results"]}
    assert answers["N1"]["passed"] is True
    assert camera_id in answers["N2"]["text"] and answers["N3"]["text"] == "所长已签字"
    assert [s["cameraId"] for s in record["snapshots"]] == [camera_id]


HELPER = Path(__file__).with_name("typing_inspector.py")


def test_a_draft_comes_back_after_the_client_is_killed_in_the_middle_of_typing(
    tmp_path, store, city_world_factory
):
    """A real client process types findings a character at a time and is killed (SIGKILL)
    mid-word; started again, the draft holds all but at most the last second's typing."""
    from commandcenter.feeds.parsing import parse_inspection_template, parse_service_point

    world = city_world_factory()
    point = next(
        parse_service_point(p) for p in world.service_points() if p["type"] == "judicial_office"
    )
    template = parse_inspection_template(world.inspection_templates()[0])
    store.upsert_service_points([point])
    store.replace_inspection_templates([template])
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    proc = subprocess.Popen(
        [sys.executable, str(HELPER), store.url, point.point_id],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    typed: list[tuple[float, str]] = []  # (time, findings so far) as the helper reports each key
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            event = json.loads(line)
            typed.append((time.monotonic(), event["findings"]))
            if len(typed) >= 60:  # well into the typing
                break
        assert len(typed) >= 60, "the helper did not type"
        killed_at = time.monotonic()
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    from commandcenter.store import Store

    again = Store(store.url)  # started again
    try:
        [draft] = again.drafts(state="open")
    finally:
        again.close()
    secure = [
        text for at, text in typed if at <= killed_at - 1.0
    ]  # everything typed a second before the kill
    assert secure, "the typing started less than a second before the kill"
    assert draft.findings.startswith(secure[-1]) and typed[-1][1].startswith(draft.findings)
    assert draft.answer(template.items[0].item_id).passed is True  # the item answered before typing


def test_the_desktop_sends_an_inspection_through_its_collector_process_once(
    qtbot, tmp_path, monkeypatch, sk, video_datacenter
):
    """As `commandcenter` runs: the window writes the finished inspection to the outbox, the
    collector process sends it; the data center holds it once, and it comes back in its list."""
    from PySide6.QtCore import QSettings

    from commandcenter.collector.parent import CollectorProcess
    from commandcenter.config import Config
    from commandcenter.runtime import Runtime
    from commandcenter.store import Store
    from commandcenter.ui.shell.window import MainWindow
    from tests.conftest import AK

    monkeypatch.setenv("COMMANDCENTER_SK", sk)
    db = f"sqlite:///{tmp_path / 'desk.db'}"
    store = Store(db)
    config = Config(datacenter_url=video_datacenter.url, ak=AK, db_url=db, operator="督查员丙")
    collector = CollectorProcess(config, store)
    runtime = Runtime(config=config, store=store, runner=collector, cameras=collector)
    window = MainWindow(
        runtime,
        settings=QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat),
        role="supervisor",
    )
    qtbot.addWidget(window)
    window.show()
    runtime.start()
    try:
        panel = window.panels["supervision"]
        window.docks["supervision"].show()
        window.docks["supervision"].raise_()
        qtbot.waitUntil(
            lambda: (
                panel.data is not None
                and bool(panel.data.templates)
                and bool(window.console.snapshots.points.active())
            ),
            timeout=60_000,
        )
        office = next(
            p
            for p in window.console.snapshots.points.active()
            if p.type == "judicial_office" and p.camera_ids
        )
        panel.inspect_now(office.point_id)  # as the map's card does
        view = panel.view
        qtbot.waitUntil(
            lambda: view.point is not None and view.point.point_id == office.point_id,
            timeout=10_000,
        )
        for row in view.rows:
            if row.item.kind == "pass_fail":
                row.widget.setCurrentIndex(1)
            elif row.item.kind == "score":
                row.widget.setValue(row.item.max_score or 5)
        qtbot.waitUntil(lambda: view.tiles[0].frames > 0, timeout=30_000)
        assert view.take_snapshot(view.tiles[0]) and view.finish(), view.problems.text()
        draft_id = view.draft.draft_id
        # the submission is written off the GUI thread: the draft may not be stored yet
        qtbot.waitUntil(
            lambda: getattr(store.draft(draft_id), "state", None) == "sent", timeout=30_000
        )
        sent = store.draft(draft_id)
        held = [
            r
            for r in video_datacenter.world.inspections(office.point_id)
            if r["inspectionId"] == sent.inspection_id
        ]
        assert (
            len(held) == 1 and len(held[0]["snapshots"]) == 1 and held[0]["inspector"] == "督查员丙"
        )
        qtbot.waitUntil(lambda: sent.inspection_id in view.state.text(), timeout=30_000)
        qtbot.waitUntil(
            lambda: [i.inspection_id for i in store.inspections()].count(sent.inspection_id) == 1,
            timeout=60_000,
        )  # polled back by the collector's inspections feed
    finally:
        window.close()
        runtime.close()


def bureau_today() -> date:
    """The bureau's date, which the client dates rectifications by: from 16:00 UTC it is
    already tomorrow in Shanghai, and the machine's date.today() is a day behind."""
    from commandcenter.domain import bureau_time

    return bureau_time.now().date()


def _cell(panel, record_id: str, title: str) -> str:
    """What the history shows of a record under a column's title."""
    from PySide6.QtCore import Qt

    model = panel.model
    row = model.row_of(record_id)
    assert row is not None, f"{record_id} is not in the history"
    titles = [
        model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        for c in range(model.columnCount())
    ]
    return str(model.data(model.index(row, titles.index(title))) or "")


def _pdf_text(path) -> str:
    import pypdf

    reader = pypdf.PdfReader(path)
    return "".join(page.extract_text() for page in reader.pages).replace("\t", " ")


def test_a_finding_without_a_rectification_date_is_a_finding_everywhere(
    qtbot, supervision, store, video_datacenter, tmp_path
):
    """An item judged 不合格 with no rectification date set: the report, the history and
    the summary say 不合格, give the score and ask for the rectification (no date)."""
    from openpyxl import load_workbook

    from commandcenter.domain.inspection import ItemAnswer
    from commandcenter.feeds.outbox import OutboxSender
    from commandcenter.ui.supervision.inspection_report import write_inspection_report
    from commandcenter.ui.widgets.i18n import tr

    panel, client, runner = supervision
    plan = _plan(qtbot, panel, n=1)
    view = panel.view
    qtbot.waitUntil(lambda: view.point is not None, timeout=10_000)
    assert view.template.template_id == "TPL-SFS-REMOTE"
    for row in view.rows:
        if row.item.kind == "pass_fail":
            row.show_answer(ItemAnswer(passed=row.item.item_id != "I03"))
        elif row.item.kind == "score":
            row.show_answer(ItemAnswer(score=8))
    view.findings.setPlainText("办事流程未上墙")
    assert not view.needs_rectification.isChecked()
    assert view.finish(), view.problems.text()
    draft_id = view.draft.draft_id
    qtbot.waitUntil(lambda: getattr(store.draft(draft_id), "state", None) == "submitted")
    assert OutboxSender(client, store).send_due() == 1
    sent = store.draft(draft_id)
    [record] = [
        r
        for r in video_datacenter.world.inspections(plan.point_ids[0])
        if r["inspectionId"] == sent.inspection_id
    ]
    assert record["rectificationDue"] is None and record["findings"] == "办事流程未上墙"

    # the report: 不合格, the score, and a rectification asked for, not "无需整改"
    text = _pdf_text(write_inspection_report(tmp_path / "report.pdf", panel.console, draft_id))
    for words in ("督查结论", "不合格", "服务指南、办事流程上墙公开", "得分 16 / 20", "整改要求"):
        assert words in text, words
    assert "未定期限" in text and "无需整改" not in text

    # the history: the data center's record of it, failed, scored, rectification undated
    runner.run_once()
    panel.reload(urgent=True)
    qtbot.waitUntil(
        lambda: (
            panel.data is not None
            and any(i.inspection_id == sent.inspection_id for i in panel.data.inspections)
        ),
        timeout=10_000,
    )
    assert _cell(panel, sent.inspection_id, tr("Result")).startswith("不合格")
    assert _cell(panel, sent.inspection_id, tr("Score")) == "16 / 20"
    assert _cell(panel, sent.inspection_id, tr("Rectify by")) == tr("no date set")
    panel.show_which.setCurrentIndex(panel.show_which.findData("undated"))
    assert panel.model.row_of(sent.inspection_id) is not None
    panel.show_which.setCurrentIndex(panel.show_which.findData("due"))  # open rectifications
    assert panel.model.row_of(sent.inspection_id) is not None

    # the summary: a sheet of findings, this one with its score and its rectification
    files = panel.export_summary(
        tmp_path / "summary", bureau_today() - timedelta(days=1), bureau_today()
    )
    book = load_workbook(next(p for p in files if p.suffix == ".xlsx"))
    sheet = book[tr("findings")]
    point_name = panel.data.points[plan.point_ids[0]].name
    [mine] = [
        row
        for row in sheet.iter_rows(min_row=2, values_only=True)
        if row[0] == point_name and row[3] == "督查员甲"
    ]
    assert mine[4] == "不合格" and mine[5] == "服务指南、办事流程上墙公开"
    assert mine[6] == "16 / 20" and mine[7] == "办事流程未上墙" and mine[8] == tr("no date set")
    assert any(p.name.endswith("-findings.csv") for p in files)


def test_an_inspection_starts_with_the_checklist_of_the_points_type(qtbot, supervision):
    """Whatever checklist was shown before, each kind of point opens with its own."""
    from commandcenter.domain.inspection import Plan, choose_points

    panel, _client, _runner = supervision
    panel.template_choice.setCurrentIndex(panel.template_choice.findData("TPL-CORRECTION-ROLLCALL"))
    expected = {
        "judicial_office": "TPL-SFS-REMOTE",
        "service_station": "TPL-STATION-PATROL",
        "mediation_studio": "TPL-MEDIATION-STUDIO",
        "notary_office": "TPL-NOTARY-WINDOW",
    }
    active = panel.console.snapshots.points.active()
    points = tuple(choose_points(active, types=[kind])[0] for kind in expected)
    panel.add_plan(Plan("P-kinds", "各类点位督查", points, 0, "督查员甲", datetime.now(UTC)))
    qtbot.waitUntil(lambda: panel.plan is not None and panel.plan.plan_id == "P-kinds")
    view = panel.view
    for n, (kind, template_id) in enumerate(expected.items()):
        panel.go_to(n)
        qtbot.waitUntil(lambda n=n: view.point is not None and view.point.point_id == points[n])
        assert view.point.type == kind
        assert view.template.template_id == template_id, kind
        assert panel.template_choice.currentData() == template_id


def test_the_roll_call_starts_from_its_own_tab(qtbot, supervision, store):
    from PySide6.QtCore import Qt

    from commandcenter.domain.inspection import Presence

    panel, _client, _runner = supervision
    tab = panel.tabs.indexOf(panel.roll_call_tab)
    panel.tabs.setCurrentIndex(tab)
    # nothing to call yet: the tab says how to begin
    assert not panel.roll_call_start.isEnabled()
    assert "plan" in panel.roll_call.title.text()
    stations = _plan(qtbot, panel, kind="service_station", n=3)
    qtbot.waitUntil(lambda: panel.roll_call_plan.findData(stations.plan_id) >= 0)
    panel.tabs.setCurrentIndex(tab)
    panel.roll_call_plan.setCurrentIndex(panel.roll_call_plan.findData(stations.plan_id))
    assert panel.roll_call_start.isEnabled()
    panel.roll_call_start.click()
    view = panel.roll_call
    assert panel.tabs.currentIndex() == tab and view.progress.text() == "1 / 3"
    assert view.roll_call.point_ids == stations.point_ids
    for key in (Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_1):
        qtbot.keyClick(view, key)
    qtbot.waitUntil(lambda: [r.finished_at is not None for r in store.roll_calls()] == [True])
    assert store.roll_calls()[0].results[stations.point_ids[1]] is Presence.ABSENT
    # and again from the tab by its shortcut
    qtbot.keyClick(
        view, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert view.progress.text() == "1 / 3" and view.roll_call.finished_at is None
    for key in (Qt.Key.Key_1, Qt.Key.Key_1, Qt.Key.Key_1):
        qtbot.keyClick(view, key)
    qtbot.waitUntil(lambda: [r.finished_at is not None for r in store.roll_calls()] == [True, True])


def test_the_report_is_written_from_wherever_an_inspection_is_selected(
    qtbot, supervision, tmp_path, monkeypatch
):
    """The history's list (the data center's inspections), the inspection on the inspect
    tab: each gives its own report."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    panel, _client, _runner = supervision
    said: list[str] = []
    for box in ("information", "warning"):
        monkeypatch.setattr(QMessageBox, box, lambda *args: said.append(args[2]))
    paths = iter(tmp_path / f"report-{n}.pdf" for n in range(3))
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *_args: (str(next(paths)), "PDF (*.pdf)")
    )

    def written(button) -> str:
        before = set(tmp_path.glob("report-*.pdf"))
        button.click()
        assert not said, said
        qtbot.waitUntil(
            lambda: bool(said or set(tmp_path.glob("report-*.pdf")) - before), timeout=20_000
        )
        assert not said, said
        [path] = set(tmp_path.glob("report-*.pdf")) - before
        qtbot.waitUntil(lambda: button.isEnabled(), timeout=20_000)
        return _pdf_text(path)

    # a row of the history, an inspection made elsewhere and listed by the data center
    panel.tabs.setCurrentIndex(2)
    failed = next(i for i in panel.data.inspections if any(r.passed is False for r in i.results))
    index = panel.model.index(panel.model.row_of(failed.inspection_id), 0)
    panel.table.scrollTo(index)
    qtbot.mouseClick(
        panel.table.viewport(),
        Qt.MouseButton.LeftButton,
        pos=panel.table.visualRect(index).center(),
    )
    text = written(panel.report_button)
    assert "登记编号\nINS" in text and failed.inspector in text and failed.findings in text
    assert panel.data.points[failed.point_id].name in text and "不合格" in text

    # the inspection open on the inspect tab
    plan = _plan(qtbot, panel, n=1)
    panel.tabs.setCurrentIndex(0)
    qtbot.waitUntil(lambda: panel.view.point is not None, timeout=10_000)
    text = written(panel.inspection_report_button)
    assert panel.data.points[plan.point_ids[0]].name in text and "草稿（未提交）" in text
