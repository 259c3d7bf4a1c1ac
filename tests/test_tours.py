"""Wall tours: the player's timing rules, saved tours read defensively, and a tour
driving the real wall (steps shown, held while the operator works, the wall given back)."""

from __future__ import annotations

import json
import time

import pytest

from commandcenter.domain.tours import Tour, TourInvalid, TourPlayer, TourStep, parse_tour

LAYOUTS = {"1", "4", "9", "16", "1+5"}


def _tour(*dwells: int) -> Tour:
    return Tour(
        "夜班巡查",
        tuple(TourStep(d, layout="4", pins={0: f"cam{n}"}) for n, d in enumerate(dwells)),
    )


def test_each_step_keeps_its_own_dwell_and_the_tour_wraps_around():
    player = TourPlayer(_tour(10, 5), now=0.0)
    assert player.tick(9.9) is None and player.index == 0
    assert player.tick(10.0) == 1
    assert player.seconds_left(12.0) == pytest.approx(3.0)
    assert player.tick(15.0) == 0  # back to the first step


def test_the_operator_touching_the_wall_holds_the_step_and_it_gets_a_full_dwell_after():
    player = TourPlayer(_tour(10, 10), now=0.0, pause_after_interaction_s=30)
    player.interacted(8.0)
    assert player.seconds_left(9.0) is None
    assert player.tick(20.0) is None and player.tick(37.9) is None  # 30 s after the last touch
    assert player.tick(38.0) is None  # left alone again: the dwell starts over
    assert player.tick(47.9) is None and player.tick(48.0) == 1


def test_pause_holds_until_resumed_and_next_previous_work_meanwhile():
    player = TourPlayer(_tour(5, 5, 5), now=0.0)
    player.pause()
    assert player.tick(100.0) is None and player.seconds_left(100.0) is None
    assert player.next(100.0) == 1 and player.previous(101.0) == 0 and player.previous(102.0) == 2
    assert player.paused
    player.resume(200.0)
    assert player.tick(204.9) is None and player.tick(205.0) == 0


def test_a_saved_tour_reads_back_and_a_damaged_one_names_its_fault():
    tour = Tour(
        "t",
        (TourStep(15, wall="夜班 · 吴中区"), TourStep(7, layout="1+5", pins={0: "c1", 3: "c9"})),
    )
    assert parse_tour("t", tour.to_json(), LAYOUTS) == tour
    bad = {
        "{oops": "not JSON",
        json.dumps({"steps": []}): "no steps",
        json.dumps({"steps": [{"wall": "w", "dwell": 1}]}): "step 1: dwell",
        json.dumps({"steps": [{"wall": "w"}, {"layout": "7x7"}]}): "step 2: unknown layout '7x7'",
        json.dumps({"steps": [{"layout": "4", "pins": {"a": "c"}}]}): "step 1: pin 'a'",
        json.dumps({"steps": [{"wall": ""}]}): "step 1: wall",
    }
    for raw, fault in bad.items():
        with pytest.raises(TourInvalid, match=fault.replace("(", r"\(")):
            parse_tour("t", raw, LAYOUTS)


@pytest.fixture
def settings(tmp_path):
    from PySide6.QtCore import QSettings

    return QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)


def test_a_tour_drives_the_wall_is_held_by_a_click_and_gives_the_wall_back(
    qtbot, wall, store, settings
):
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    wall.console.settings = settings
    qtbot.waitUntil(lambda: len(wall._contents) > 12, timeout=10_000)
    cameras = [c.camera.camera_id for c in wall._contents]
    wall.set_layout("1+5")
    wall.pin_points(0, [wall._contents[0].camera.point_id])
    wall.save_named("白班")
    wall.set_layout("9")  # the wall before the tour: 9 tiles, the operator's pin on tile 1
    before = wall.wall_state()
    controls = wall.tours
    controls.save(
        Tour(
            "巡查",
            (
                TourStep(5, layout="4", pins={n: cameras[8 + n] for n in range(4)}),
                TourStep(5, wall="白班"),
                TourStep(5, wall="已删除"),
            ),
        )
    )
    assert controls.names() == ["巡查"] and controls.choice.currentText() == "巡查"

    audited = {e.id for e in store.audit_log()}
    assert controls.start("巡查")
    assert wall.current_layout.name == "4"
    assert [t.camera.camera_id for t in wall.tiles[:4]] == cameras[8:12]
    assert "巡查 · " in controls.status.text()
    controls.next_step()
    assert wall.current_layout.name == "1+5" and wall.tiles[0].pinned
    controls.next_step()  # a saved wall deleted since: said, and the tour goes on
    assert "已删除" in controls.status.text()
    wall.activateWindow()
    wall.tiles[0].setFocus()
    qtbot.waitUntil(lambda: wall.tiles[0].hasFocus(), timeout=5_000)
    QTest.keyClick(wall.tiles[0], Qt.Key.Key_PageDown)  # the keyboard moves on too
    assert controls.player.index == 0 and wall.current_layout.name == "4"

    # a click on a tile holds the step; the status says so
    QTest.mouseClick(
        wall.tiles[1], Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(20, 20)
    )
    assert controls.player.seconds_left(time.monotonic()) is None
    controls._tick()
    assert controls.status.text().endswith(controls.tr("held while you work on the wall"))

    controls.stop()
    assert wall.wall_state() == before and controls.player is None
    kinds = [e.action for e in store.audit_log() if e.id not in audited]
    assert "wall.tour.start" in kinds and "wall.tour.stop" in kinds


def test_a_tour_steps_by_itself_after_its_dwell(qtbot, wall, settings):
    wall.console.settings = settings
    qtbot.waitUntil(lambda: len(wall._contents) > 4, timeout=10_000)
    cameras = [c.camera.camera_id for c in wall._contents]
    wall.tours.save(
        Tour(
            "快",
            (
                TourStep(3, layout="1", pins={0: cameras[0]}),
                TourStep(3, layout="4", pins={0: cameras[1]}),
            ),
        )
    )
    assert wall.tours.start("快")
    assert wall.current_layout.name == "1"
    qtbot.waitUntil(lambda: wall.current_layout.name == "4", timeout=6_000)
    assert wall.tiles[0].camera.camera_id == cameras[1]
    wall.tours.stop()


def test_a_damaged_saved_tour_is_refused_by_name(wall, settings):
    wall.console.settings = settings
    settings.setValue("wall/tours/坏的", json.dumps({"steps": [{"layout": "4", "dwell": 0}]}))
    wall.tours.refresh_names()
    assert not wall.tours.start("坏的")
    assert "坏的" in wall.tours.status.text() and "dwell" in wall.tours.status.text()
    assert wall.tours.player is None
