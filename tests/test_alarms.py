"""Alarms first: the alert list's order and severity badges, an alert chosen in the list
shown on the map and the wall, the banner on the wall in wall mode, Ctrl+Shift+W from
anywhere, and the map opening on the banner's alert. A real console over a simulated
data center on loopback, with the real map page."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

pytest.importorskip("PySide6.QtWidgets")

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QInputDialog

from tests.test_ui import chinese, console, console_factory  # noqa: F401 - fixtures


def _points_with_cameras(server, n: int) -> list[dict]:
    return [p for p in server.world.service_points() if p["cameraIds"] and not p.get("deleted")][:n]


def _inject(server, *alerts: tuple[int, str]) -> list[dict]:
    """(severity, point id) alerts, a minute apart in this order."""
    made = []
    for severity, point_id in alerts:
        server.world.clock.advance(minutes=1)
        with server.world.lock:
            server.world.advance()
            made.append(server.world.inject_alert(type="sos", severity=severity, point_id=point_id))
    return made


def test_the_list_puts_the_most_severe_first_then_the_newest_whatever_the_arrival_order(
    console,  # noqa: F811
    qtbot,
):
    window, server, runner = console
    panel = window.panels["alerts"]
    points = _points_with_cameras(server, 5)
    # arriving oldest first: a normal one, a critical one, an urgent one, a newer critical one
    made = _inject(
        server,
        (3, points[0]["pointId"]),
        (1, points[1]["pointId"]),
        (2, points[2]["pointId"]),
        (1, points[3]["pointId"]),
    )
    runner.run_once()
    ids = {a["alertId"] for a in made}
    qtbot.waitUntil(lambda: ids <= {a.alert_id for a in panel.model.shown_records()})
    shown = panel.model.shown_records()
    assert [(a.severity, -a.occurred_at.timestamp()) for a in shown] == sorted(
        (a.severity, -a.occurred_at.timestamp()) for a in shown
    )
    ours = [a.alert_id for a in shown if a.alert_id in ids]
    assert ours == [made[3]["alertId"], made[1]["alertId"], made[2]["alertId"], made[0]["alertId"]]
    # the severity is written, number and word, on its colour: not told by colour alone
    model = panel.model
    row = model.row_of(made[1]["alertId"])
    cell = model.index(row, 0)
    assert model.data(cell) == "1 特急"
    assert model.data(cell, Qt.ItemDataRole.BackgroundRole).color() == QColor("#ff4d4f")
    assert model.data(cell, Qt.ItemDataRole.FontRole).bold()
    assert model.data(model.index(model.row_of(made[2]["alertId"]), 0)) == "2 紧急"


def test_an_alert_chosen_by_click_arrow_key_or_enter_shows_on_the_map_and_the_wall(
    console,  # noqa: F811
    qtbot,
):
    window, server, runner = console
    panel, wall, map_panel = window.panels["alerts"], window.panels["wall"], window.panels["map"]
    points = _points_with_cameras(server, 3)
    made = _inject(server, *((2, p["pointId"]) for p in points))
    runner.run_once()
    ids = [a["alertId"] for a in made]
    qtbot.waitUntil(lambda: all(panel.model.row_of(i) is not None for i in ids))
    qtbot.waitUntil(lambda: map_panel.ready and bool(map_panel.pushed), timeout=30_000)
    cameras = {p["pointId"]: p["cameraIds"] for p in points}

    def shows(alert) -> bool:
        return (
            map_panel.card.isVisible()
            and map_panel.card.point.point_id == alert.point_id
            and wall.pins.get(0) in cameras[alert.point_id]
        )

    # one click on a row
    row = panel.model.row_of(ids[0])
    with qtbot.waitSignal(panel.alert_activated, timeout=5_000) as chosen:
        QTest.mouseClick(
            panel.table.viewport(),
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
            panel.table.visualRect(panel.model.index(row, 2)).center(),
        )
    assert chosen.args[0].alert_id == ids[0]
    qtbot.waitUntil(lambda: shows(chosen.args[0]), timeout=10_000)
    # the arrow key to the next row
    window.activateWindow()
    panel.table.setFocus()
    qtbot.waitUntil(panel.table.hasFocus, timeout=5_000)
    with qtbot.waitSignal(panel.alert_activated, timeout=5_000) as chosen:
        QTest.keyClick(panel.table, Qt.Key.Key_Down)
    assert chosen.args[0].alert_id == panel.model.id_at(row + 1)
    if chosen.args[0].point_id in cameras:
        qtbot.waitUntil(lambda: shows(chosen.args[0]), timeout=10_000)
    # Enter on a row
    panel.table.selectRow(panel.model.row_of(ids[2]))
    with qtbot.waitSignal(panel.alert_activated, timeout=1_000) as chosen:
        QTest.keyClick(panel.table, Qt.Key.Key_Return)
    assert chosen.args[0].alert_id == ids[2]
    qtbot.waitUntil(lambda: shows(chosen.args[0]), timeout=10_000)
    assert panel.table.hasFocus(), QApplication.focusWidget()  # the operator goes on in the list


def test_wall_mode_on_one_screen_keeps_the_banner_with_acknowledge_and_mute(
    console,  # noqa: F811
    qtbot,
    store,
    monkeypatch,
):
    from commandcenter.ui.alerts.announcer import AlertBanner
    from commandcenter.ui.shell.wall_mode import screen_key

    window, server, runner = console
    assert len(QGuiApplication.screens()) == 1
    window.wall.start({screen_key(QGuiApplication.primaryScreen()): "wall"})
    [wall_window] = window.wall.windows.values()
    banner = wall_window.findChild(AlertBanner)
    assert banner is not None and banner.isVisible()
    assert banner.geometry().top() == 0 and banner.width() == wall_window.width()
    [raised] = _inject(server, (1, _points_with_cameras(server, 1)[0]["pointId"]))
    runner.run_once()
    qtbot.waitUntil(
        lambda: banner.alert is not None and banner.alert.alert_id == raised["alertId"],
        timeout=10_000,
    )
    assert "1 特急" in banner.text.text() and banner.ack.text() == "确认…"
    # in the severity's colour, as above the window
    assert banner.grab().toImage().pixelColor(3, 3) == QColor("#ff4d4f")
    asked_over = []

    def answer(parent, *_args, **_kw):
        asked_over.append(parent)
        return "已派员处置", True

    monkeypatch.setattr(QInputDialog, "getText", answer)
    banner.ack.click()
    assert asked_over == [wall_window]  # the question stands in front of the wall
    qtbot.waitUntil(
        lambda: any(
            c.payload.get("alertId") == raised["alertId"] for c in store.commands(state="pending")
        )
    )
    assert banner.mute_button.text() == "静音"
    banner.mute_button.menu().actions()[0].trigger()  # 5 minutes
    assert window.announcer.announcer.muted(datetime.now(UTC))
    qtbot.waitUntil(lambda: "静音至" in banner.state.text(), timeout=10_000)
    window.wall.stop()
    qtbot.waitUntil(lambda: len(window.announcer.banners) == 1)  # the wall's went with it


def test_ctrl_shift_w_toggles_wall_mode_wherever_the_focus_is(console, qtbot):  # noqa: F811
    window, _server, _runner = console
    map_panel, alerts = window.panels["map"], window.panels["alerts"]
    qtbot.waitUntil(lambda: map_panel.ready, timeout=30_000)

    def press_in(widget) -> None:
        widget.window().activateWindow()
        widget.setFocus()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is widget, timeout=5_000)
        QTest.keyClick(
            widget,
            Qt.Key.Key_W,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )

    about = window.show_about()  # a window of its own, not modal
    for where in (map_panel.search, map_panel.view.focusProxy(), alerts.table, about):
        assert not window.wall.active
        press_in(where)
        qtbot.waitUntil(lambda: window.wall.active, timeout=5_000)
        [wall_window] = window.wall.windows.values()
        inside = wall_window.focusWidget() or wall_window.widget
        press_in(inside)  # and from the wall screen itself, off again
        qtbot.waitUntil(lambda: not window.wall.active, timeout=5_000)
    about.close()
    # Qt keeps the modifiers of the last key event as the keyboard's state: let Ctrl and
    # Shift go, or the next selection in this process counts as Ctrl-clicked
    QTest.keyRelease(window, Qt.Key.Key_Shift)


def test_the_console_opens_with_the_map_on_the_alert_the_banner_shows(
    console_factory,  # noqa: F811
    qtbot,
):
    make, server, runner, _client = console_factory
    first, second = _points_with_cameras(server, 2)
    older, newer = _inject(server, (1, first["pointId"]), (1, second["pointId"]))
    runner.run_once()
    window = make()
    banner, map_panel = window.alert_banner, window.panels["map"]
    qtbot.waitUntil(lambda: banner.alert is not None, timeout=10_000)
    shown = banner.alert
    assert shown.alert_id in (older["alertId"], newer["alertId"])
    qtbot.waitUntil(
        lambda: map_panel.card.isVisible() and map_panel.card.point.point_id == shown.point_id,
        timeout=30_000,
    )
    wall = window.panels["wall"]
    cameras = {p["pointId"]: p["cameraIds"] for p in (first, second)}
    qtbot.waitUntil(lambda: wall.pins.get(0) in cameras[shown.point_id], timeout=10_000)
    # and the page itself centres on it
    from tests.test_map import js, settle

    settle(qtbot, map_panel)
    row = map_panel.pushed[shown.point_id]
    centre = js(qtbot, map_panel, "ccmap.centre()")
    assert abs(centre[0] - row[1]) < 1e-3 and abs(centre[1] - row[2]) < 1e-3, (centre, row)
