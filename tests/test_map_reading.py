"""The map as an operator reads it, in the real QtWebEngine page over a synced store:
the search field's Enter, the scale, the point flown to kept clear of the card, the
legend folded on a small map, and street level without a base layer (county named,
points named)."""

from __future__ import annotations

import json
import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.test_map import js, map_panel, settle, zoom_to_point  # noqa: F401 - a fixture


def test_enter_in_the_search_field_flies_to_the_first_match_listed(qtbot, map_panel):  # noqa: F811
    names = map_panel._state.names
    # a part of a name that several points share, so that the list of matches opens
    word = next(name[:3] for name in names if sum(name[:3] in other for other in names) >= 2)
    first = next(name for name in names if word.casefold() in name.casefold())
    map_panel.activateWindow()
    map_panel.search.setFocus()
    qtbot.waitUntil(map_panel.search.hasFocus)
    typed = QInputMethodEvent()  # Chinese comes from the input method, committed at once
    typed.setCommitString(word)
    QApplication.sendEvent(map_panel.search, typed)
    qtbot.waitUntil(lambda: map_panel._completer.popup().isVisible(), timeout=5_000)
    with qtbot.waitSignal(map_panel.point_activated, timeout=5_000) as found:
        QTest.keyClick(map_panel._completer.popup(), Qt.Key.Key_Return)
    assert found.args[0].name == first
    assert map_panel.card.isVisible() and map_panel.card.title.text() == first
    assert not map_panel._completer.popup().isVisible()


def test_the_scale_is_metric_only(qtbot, map_panel):  # noqa: F811
    settle(qtbot, map_panel)
    lines = js(qtbot, map_panel, "ccmap.scaleText()")
    assert len(lines) == 1
    assert lines[0].endswith((" m", " km")), lines
    assert not any(unit in lines[0] for unit in ("ft", "mi"))


def test_the_point_flown_to_is_not_hidden_by_the_card_that_opens_beside_the_map(
    qtbot,
    map_panel,  # noqa: F811
):
    state = map_panel._state
    point_id = list(state.rows)[11]
    assert not map_panel.card.isVisible()
    zoom_to_point(qtbot, map_panel, point_id)
    # the point near the right-hand edge, where the card is about to take the room
    width = js(qtbot, map_panel, "window.innerWidth")
    x, _y = js(qtbot, map_panel, f"ccmap.screenPosition({json.dumps(point_id)})")
    # the Leaflet map folium made, by the name it gave it
    leaflet = re.search(
        r"var (map_[0-9a-f]+) = L\.map",
        map_panel.scheme.page.html + "".join(map_panel.scheme.page.scripts.values()),
    ).group(1)
    js(qtbot, map_panel, f"({leaflet}.panBy([{x - (width - 60)}, 0], {{animate: false}}), 1)")
    settle(qtbot, map_panel)
    x, _y = js(qtbot, map_panel, f"ccmap.screenPosition({json.dumps(point_id)})")
    assert x > width - 100  # near the edge before the card opens

    assert map_panel.find(point_id)  # as an alert chosen in the list does
    qtbot.waitUntil(map_panel.card.isVisible, timeout=5_000)
    settle(qtbot, map_panel)
    shown_width = js(qtbot, map_panel, "window.innerWidth")
    assert shown_width < width  # the card took its room from the map
    x, y = js(qtbot, map_panel, f"ccmap.screenPosition({json.dumps(point_id)})")
    height = js(qtbot, map_panel, "window.innerHeight")
    assert 40 <= x <= shown_width - 40 and 40 <= y <= height - 40, (x, y, shown_width)


def test_the_legend_folds_to_its_title_on_a_small_map_and_opens_on_a_large_one(
    qtbot,
    map_panel,  # noqa: F811
):
    """At 1366×768 with a point's card open the map is about 360×150 px, and the open
    legend covered most of it."""
    opened = "document.querySelector('details.cc-legend-all').open"
    settle(qtbot, map_panel)
    assert js(qtbot, map_panel, opened) is True  # 1200×800: room for it
    map_panel.resize(380, 260)
    qtbot.waitUntil(lambda: js(qtbot, map_panel, opened) is False, timeout=10_000)
    legend = js(qtbot, map_panel, "document.querySelector('.cc-legend').offsetHeight")
    assert legend < 40, legend  # its title only
    map_panel.resize(1200, 800)
    qtbot.waitUntil(lambda: js(qtbot, map_panel, opened) is True, timeout=10_000)


@pytest.mark.parametrize("zoom", [12, 17])
def test_street_level_without_a_base_layer_names_the_county_and_the_points(
    qtbot,
    map_panel,  # noqa: F811
    zoom,
):
    state = map_panel._state
    point_id = list(state.rows)[3]
    point = state.points[point_id]
    zoom_to_point(qtbot, map_panel, point_id)
    js(
        qtbot,
        map_panel,
        f"ccmap.flyTo({state.rows[point_id][1]}, {state.rows[point_id][2]}, {zoom})",
    )
    settle(qtbot, map_panel)
    # the county the view lies in is named, though its label is far out of sight
    counties = {f["properties"]["name"] for f in map_panel._boundaries["features"]}
    assert js(qtbot, map_panel, "ccmap.whereText()") in counties
    assert js(qtbot, map_panel, "document.querySelectorAll('.leaflet-overlay-pane path').length")
    names = js(qtbot, map_panel, "ccmap.namesWritten()")
    if zoom >= 15:  # street level: the points in view carry their names
        assert point.name in names
    else:
        assert names == []
