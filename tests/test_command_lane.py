"""The panels give their commands off the GUI thread (ui/widgets/commands.py over the
services): the window goes on answering while one is written, the buttons that gave it
are back as they were afterwards, and a failure is told in the panel and the status bar
in the operator's words, with nothing of the command kept."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from tests.test_store import alert


@pytest.fixture
def alerts_panel(qtbot, store):
    from commandcenter.ui.alerts.panel import AlertsPanel
    from commandcenter.ui.widgets.panel import Console
    from commandcenter.ui.workers.bridge import BackgroundReader, StoreBridge

    console = Console(store, StoreBridge(store), BackgroundReader(), operator="值班员甲")
    store.upsert_alerts([alert(alert_id="AL-7", title="紧急求助")])
    panel = AlertsPanel(console)
    qtbot.addWidget(panel)
    panel.resize(1200, 700)
    panel.show()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=10_000)
    panel.table.selectRow(0)
    qtbot.waitUntil(lambda: panel.detail.alert is not None)
    yield panel
    console.lane.wait(5_000)
    console.reader.close(5_000)
    console.alert_reader.close(5_000)
    console.snapshots.close()


def test_acknowledging_is_written_off_the_gui_thread_while_the_window_answers(
    qtbot, alerts_panel, store, monkeypatch
):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QInputDialog

    panel = alerts_panel
    commands = panel.console.commands.alerts
    acknowledge = commands.acknowledge
    started, release = threading.Event(), threading.Event()
    ran_on: list[threading.Thread] = []

    def slow(*args, **kw):  # the shared store far away on the network
        ran_on.append(threading.current_thread())
        started.set()
        release.wait(10)
        return acknowledge(*args, **kw)

    monkeypatch.setattr(commands, "acknowledge", slow)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("已电话联系", True))
    panel.acknowledge_selected()
    qtbot.waitUntil(started.is_set)
    # the command waits in its worker; the GUI thread goes on: a timer fires, and the
    # buttons that gave the command wait for it
    ticks = QTimer()
    ticks.setSingleShot(True)
    with qtbot.waitSignal(ticks.timeout, timeout=2_000):
        ticks.start(10)
    assert not panel.acknowledge.isEnabled() and not panel.detail.ack_button.isEnabled()
    release.set()
    qtbot.waitUntil(lambda: [e.action for e in store.audit_log()] == ["alert.acknowledge"])
    assert ran_on and ran_on[0] is not threading.main_thread()
    [command] = store.commands()
    assert command.payload == {"alertId": "AL-7", "ackBy": "值班员甲", "note": "已电话联系"}
    qtbot.waitUntil(panel.acknowledge.isEnabled)  # given back
    assert panel.detail.close_button.isEnabled() and panel.command_notice.isHidden()


def test_a_command_the_store_refuses_is_told_in_the_panel_and_keeps_nothing(
    qtbot, alerts_panel, store, monkeypatch
):
    from PySide6.QtWidgets import QInputDialog

    panel = alerts_panel
    told: list[str] = []
    panel.console.lane.failed.connect(told.append)

    def refuse(**_kw):
        raise sa.exc.OperationalError("INSERT INTO audit_log", {}, Exception("disk I/O error"))

    monkeypatch.setattr(store, "append_audit", refuse)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("误报", True))
    assert panel.detail.close_button.isEnabled()
    panel.close_alert(panel.detail.alert)
    qtbot.waitUntil(lambda: not panel.command_notice.isHidden(), timeout=5_000)
    text = panel.command_notice.text()
    assert "Closing the alert" in text and "nothing of it was kept" in text
    assert "disk I/O error" in text and told == [text]
    # nothing half-done: no command for the data center, nothing on the timeline but
    # that the operator has seen it
    assert store.commands() == []
    assert [a.action for a in store.alert_actions("AL-7")] == ["seen"]
    assert store.audit_log() == []
    # the buttons are as they were, and the next command clears the notice
    assert panel.detail.close_button.isEnabled() and panel.acknowledge.isEnabled()
    monkeypatch.undo()
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: ("已派员", True))
    panel.comment_alert(panel.detail.alert)
    qtbot.waitUntil(panel.command_notice.isHidden, timeout=5_000)
    assert [e.action for e in store.audit_log()] == ["alert.comment"]


def test_a_submission_that_fails_leaves_the_draft_open_to_submit_again(qtbot, store, monkeypatch):
    from commandcenter.domain.inspection import Draft
    from commandcenter.domain.records import InspectionTemplate, TemplateItem
    from commandcenter.ui.supervision.draft_saver import DraftSaver
    from commandcenter.ui.supervision.inspection_view import InspectionView
    from commandcenter.ui.widgets.panel import Console
    from commandcenter.ui.workers.bridge import BackgroundReader, StoreBridge
    from tests.test_store import sp

    console = Console(
        store, StoreBridge(store), BackgroundReader(), operator="督查员乙", role="supervisor"
    )
    saver = DraftSaver(console.commands.inspections.save_draft)
    view = InspectionView(console, saver)
    qtbot.addWidget(view)
    template = InspectionTemplate(
        "TPL-1", "窗口服务", 1, (TemplateItem("remark", "其他情况", "text", None, False),)
    )
    view.open_point(sp(), template, [], [])
    view.show()
    assert isinstance(view.draft, Draft) and view.finish_button.isEnabled()
    submit = console.commands.inspections.submit

    def refuse(*_args, **_kw):
        raise sa.exc.OperationalError("INSERT INTO outbox", {}, Exception("server closed"))

    monkeypatch.setattr(console.commands.inspections, "submit", refuse)
    assert view.finish()
    assert not view.finish_button.isEnabled()  # shown as submitted while it is written
    qtbot.waitUntil(lambda: "server closed" in view.problems.text(), timeout=5_000)
    assert view.draft.state == "open" and view.finish_button.isEnabled()
    assert store.commands() == []
    monkeypatch.setattr(console.commands.inspections, "submit", submit)
    assert view.finish()
    qtbot.waitUntil(lambda: [c.kind for c in store.commands()] == ["inspection_submit"])
    qtbot.waitUntil(lambda: view.draft.state == "submitted" and not view.problems.text())
    saver.close()
    console.lane.wait(5_000)
    console.reader.close(5_000)
    console.snapshots.close()
