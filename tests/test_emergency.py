"""Emergency command as `commandcenter` runs it: the window with its collector process
against a simulated data center over HTTP. A critical alert is announced, found on the
map, its cameras put on the wall, and acknowledged from the banner; a meeting with a
county's judicial offices is launched, followed and ended."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6.QtWidgets")


@pytest.fixture
def desk(qtbot, tmp_path, monkeypatch, sk, video_datacenter):
    from PySide6.QtCore import QSettings

    from commandcenter.config import Config
    from commandcenter.feeds.catalog import DEFAULT_INTERVALS
    from commandcenter.runtime import open_desktop_runtime
    from commandcenter.ui.shell.window import MainWindow
    from tests.conftest import AK

    monkeypatch.setenv("COMMANDCENTER_SK", sk)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    config = Config(
        datacenter_url=video_datacenter.url,
        ak=AK,
        db_url=f"sqlite:///{tmp_path / 'desk.db'}",
        operator="值班员甲",
        intervals={**DEFAULT_INTERVALS, "alerts": 1.0},
        alarm_wall_layout="1+5",
    )
    runtime = open_desktop_runtime(
        config
    )  # as `commandcenter` does: the feeds in a collector process
    store = runtime.store
    window = MainWindow(
        runtime,
        settings=QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat),
        role="duty_officer",
    )
    qtbot.addWidget(window)
    window.show()
    runtime.start()
    qtbot.waitUntil(lambda: bool(window.console.snapshots.points.active()), timeout=60_000)
    yield window, store, video_datacenter
    window.close()
    runtime.close()


def test_a_critical_alert_sounds_is_on_the_map_and_the_wall_and_its_acknowledgement_is_audited_and_sent(
    desk, qtbot, monkeypatch
):
    from PySide6.QtWidgets import QInputDialog

    window, store, server = desk
    with (
        server.world.lock
    ):  # a critical alert of the city's own, newer than ours, would rightly take the map
        server.world.random_alerts = False
    sounds = []
    window.announcer.played.connect(sounds.append)
    map_panel = window.panels["map"]
    qtbot.waitUntil(lambda: map_panel.ready, timeout=60_000)
    found = []
    original_find = map_panel.find
    monkeypatch.setattr(map_panel, "find", lambda text: found.append(text) or original_find(text))
    point = next(
        p
        for p in server.world.service_points()
        if p["type"] == "judicial_office" and p["cameraIds"]
    )
    with server.world.lock:
        raised = server.world.inject_alert(type="sos", severity=1, point_id=point["pointId"])
    banner = window.alert_banner
    qtbot.waitUntil(
        lambda: banner.alert is not None and banner.alert.alert_id == raised["alertId"],
        timeout=30_000,
    )
    assert "alert" in sounds  # played, or shown with "no audio output" where the machine has none
    # found on the map once it holds the points (at once if it does already)
    qtbot.waitUntil(lambda: point["pointId"] in found, timeout=30_000)
    assert found.count(point["pointId"]) == 1
    wall = window.panels["wall"]
    assert wall.current_layout.name == "1+5"  # the alarm layout of the configuration
    qtbot.waitUntil(lambda: wall.pins.get(0) in point["cameraIds"], timeout=10_000)
    qtbot.waitUntil(lambda: wall.tiles[0].frames > 0, timeout=30_000)

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("已派员处置", True))
    banner.ack.click()
    qtbot.waitUntil(  # written off the GUI thread
        lambda: any(
            e.action == "alert.acknowledge" and e.target == raised["alertId"]
            for e in store.audit_log()
        )
    )
    # sent by the collector; the data center's acknowledged state comes back through the feed
    qtbot.waitUntil(
        lambda: server.world.alert(raised["alertId"])["status"] == "acked", timeout=30_000
    )
    qtbot.waitUntil(
        lambda: banner.alert is None or banner.alert.alert_id != raised["alertId"], timeout=30_000
    )
    assert server.world.alert(raised["alertId"])["ackBy"] == "值班员甲"


def test_a_meeting_with_a_countys_judicial_offices_is_launched_followed_and_ended_through_the_collector(
    desk, qtbot, monkeypatch
):
    from PySide6.QtWidgets import QMessageBox

    window, store, server = desk
    window.docks["meetings"].show()
    window.docks["meetings"].raise_()
    panel = window.panels["meetings"]
    qtbot.waitUntil(lambda: len(panel._points) > 0, timeout=30_000)
    panel.county.setCurrentIndex(panel.county.findData("320506"))
    panel.type.setCurrentIndex(panel.type.findData("judicial_office"))
    panel.add_group.click()
    invited = panel.chosen_ids()
    panel.launch.click()
    qtbot.waitUntil(lambda: panel.meetings.rowCount() == 1, timeout=30_000)
    [meeting] = store.meetings()
    assert sorted(p.point_id for p in meeting.participants) == sorted(invited)
    panel.table.selectRow(0)
    # followed: the states change in the data center over seconds and reach the panel
    qtbot.waitUntil(lambda: "已入会" in panel.states.text(), timeout=30_000)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    panel.end.click()
    qtbot.waitUntil(lambda: store.meetings()[0].status == "ended", timeout=30_000)
    assert server.world.get_meeting(meeting.meeting_id)["status"] == "ended"
    assert len(server.world._meetings) == 1
