"""What the wall's tiles say and which cameras hold its front: titles that name the
camera's place once, the alert frame of urgent alerts only, dead cameras behind live
ones, and a frozen picture that looks frozen and says since when. Against the
simulated data center over loopback and GStreamer's RTSP server."""

from __future__ import annotations

import dataclasses
import datetime

import pytest

from commandcenter.domain.video import TileState
from commandcenter.feeds.cameras import DirectCameraCommands, PreviewUrl

STATION = "七都镇司法所"


@pytest.mark.parametrize(
    ("camera", "station", "place"),
    [
        ("七都镇司法所 · 服务大厅", STATION, "服务大厅"),
        ("七都镇司法所服务大厅", STATION, "服务大厅"),
        ("七都镇司法所-服务大厅", STATION, "服务大厅"),
        ("吴江区七都镇司法所 服务大厅", STATION, "服务大厅"),
        ("服务大厅（七都镇司法所）", STATION, "服务大厅"),
        ("七都镇司法所七都镇司法所 大门", STATION, "大门"),
        ("七都镇司法所", STATION, ""),  # named after the station and nothing else
        ("服务大厅", STATION, "服务大厅"),  # the station is not in the name
        ("七都镇司法所 · 大厅", "七都镇司法所\u200b", "大厅"),  # a zero width in the station's name
        ("\uff31\uff29\uff24\uff35 Gate 1", "qidu", "Gate 1"),  # full-width QIDU, and case
        ("Qidutown gate", "Qidu", "Qidutown gate"),  # not cut out of a word
        ("所长室", "所", "所长室"),  # one character would cut words apart
        ("\u202e服务\n大厅\x00", STATION, "服务 大厅"),  # a bidi override, a newline, a NUL
        ("<b>大厅</b>", "<b>", "大厅</b>"),  # markup is text like any other
        ("", STATION, ""),
        ("大门", None, "大门"),
        ("大门", "   ", "大门"),
    ],
)
def test_a_camera_is_named_by_its_place_without_its_stations_name(camera, station, place):
    from commandcenter.domain.camera_places import camera_place

    assert camera_place(camera, station) == place


def test_names_from_outside_are_one_line_of_visible_characters():
    from commandcenter.domain.camera_places import one_line

    assert one_line("a\tb\r\n\u2028c\u202e\u200bd  ") == "a b cd"
    assert one_line(None) == ""


def test_dead_cameras_go_behind_the_next_live_one_and_never_hold_the_first_tile():
    from commandcenter.domain.wall_layouts import live_first, place_ranked

    # a dead camera goes behind a live one of its own station, or of the next
    assert list(live_first("abcd", {"a"})) == list("bacd")
    assert list(live_first("abcd", {"a", "b"})) == list("cabd")
    assert list(live_first("abc", {"a", "b", "c"})) == list("abc")  # none live: order kept
    # a plain grid keeps cameras on their tiles, except a dead one on the first tile
    assert place_ranked(list("abcd"), list("bacd"), dead={"a"}) == list("bacd")
    assert place_ranked(list("abcd"), list("bcad"), dead={"c"}) == list("abcd")
    assert place_ranked(list("abcd"), list("bacd")) == list("abcd")  # no dead camera: kept


def _tile(qtbot, commands, camera, point=None, alert=None, *, size=(480, 270), tiles=9):
    pytest.importorskip("av")
    from commandcenter.ui.video.tile import VideoTile

    tile = VideoTile(1, commands)
    tile.resize(*size)
    qtbot.addWidget(tile)
    tile.show()
    tile.set_layout_context(tiles)
    tile.assign(camera, point, alert)
    tile.set_active(True)
    return tile


def _records(world, online=True):
    """A camera of the world (online or not) and its service point, as the store has them."""
    from tests.test_video import _camera

    camera = _camera(world, online=online)
    return camera, _point(camera.point_id, world.service_point(camera.point_id)["name"])


def _point(point_id: str, name: str):
    from commandcenter.domain.records import ServicePoint

    return ServicePoint(
        point_id, name, "judicial_office", "town", "320509", "", 120.5, 31.0, "wgs84",
        120.5, 31.0, "", "open", 2, "08:30-17:30", (), _now(),
    )  # fmt: skip


def _alert(point_id: str, severity: int):
    from commandcenter.domain.records import Alert

    now = datetime.datetime.now(datetime.UTC)
    return Alert(
        f"ALM-{point_id}-{severity}",
        "equipment_fault",
        severity,
        point_id,
        None,
        None,
        None,
        None,
        None,
        now,
        "门禁故障",
        "",
        "new",
        None,
        None,
        now,
    )


def test_a_tile_title_names_the_station_once_and_shortens_on_crowded_walls(qtbot):
    from commandcenter.domain.records import Camera

    camera = Camera("CAM-1", "SP-1", "七都镇司法所 · 服务大厅", False, False, True, _now())
    point = _point("SP-1", STATION)
    tile = _tile(qtbot, None, camera, point, tiles=9)
    assert tile.title() == "七都镇司法所 · 服务大厅"
    assert tile.toolTip() == "七都镇司法所 · 服务大厅"
    for crowded in (25, 36):
        tile.set_layout_context(crowded)
        assert tile.title() == "服务大厅"  # with the tile's number before it
        assert tile.toolTip() == "七都镇司法所 · 服务大厅"  # the whole name on hover
    tile.set_layout_context(1)  # single view
    assert tile.title() == "七都镇司法所 · 服务大厅"
    # a hostile name: shown as text, one line, and the tooltip takes it for no markup
    hostile = dataclasses.replace(camera, name="七都镇司法所<img src=x>\n\u202e大厅")
    tile.assign(hostile, point)
    assert tile.title() == "七都镇司法所 · <img src=x> 大厅"
    assert "&lt;img" in tile.toolTip() and "<img" not in tile.toolTip()


def _now():
    return datetime.datetime.now(datetime.UTC)


def _border_colour(tile):
    """The colour of the tile's overlay on its left edge, half-way down (under the border)."""
    image = tile._words.pixmap().toImage()
    return image.pixelColor(3, tile.height() // 2)


def test_only_an_urgent_alert_of_the_tiles_own_station_frames_it(qtbot, video_datacenter):
    from commandcenter.ui.widgets.style import SEVERITY_COLOURS

    camera, point = _records(video_datacenter.world, online=False)  # no stream needed
    for severity, framed in ((1, True), (2, True), (3, False), (4, False)):
        tile = _tile(qtbot, None, camera, point, _alert(point.point_id, severity))
        colour = _border_colour(tile)
        if framed:
            assert colour.name() == SEVERITY_COLOURS[severity].lower()
            assert tile.framing_alert is not None
        else:
            assert colour.alpha() == 0, f"severity {severity} framed the tile"
            assert tile.framing_alert is None
        tile.close()


def test_the_walls_frames_follow_each_tiles_own_station(qtbot, wall):
    from commandcenter.ui.video.wall import arrange

    wall.set_layout("9")
    qtbot.waitUntil(lambda: len(wall._contents) > 20, timeout=10_000)
    cameras = [c.camera for c in wall._contents]
    points = {c.point.point_id: c.point for c in wall._contents if c.point is not None}
    stations = list(dict.fromkeys(c.point_id for c in cameras))
    urgent, notice = stations[5], stations[6]
    wall.show_data(arrange(cameras, points, [_alert(urgent, 2), _alert(notice, 4)]))
    tiles = wall.tiles[:9]
    for t in tiles:
        if t.camera.point_id == urgent:
            assert _border_colour(t).alpha() == 255
        else:
            assert _border_colour(t).alpha() == 0, f"tile {t.number} is framed"
    assert {t.camera.point_id for t in tiles if t.framing_alert is not None} == {urgent}
    # the notice's station is still ranked before the quiet ones, only not framed
    assert any(t.camera.point_id == notice for t in tiles)
    # titles: the station once, then the camera's place (the world names cameras "站 · 室")
    for t in tiles:
        station = points[t.camera.point_id].name
        assert t.full_title().count(station) == 1
        assert t.full_title() == f"{station} · {t.camera.name.split(' · ', 1)[1]}"
    wall.set_layout("25")
    assert all(station not in t.title() for t in wall.tiles[:25] if t.camera)
    assert all(t.toolTip() == t.full_title() for t in wall.tiles[:25] if t.camera)


# -- dead cameras and frozen pictures, on GStreamer's RTSP server ---------------------


class _Refused:
    """The data center's answers, but the streams of some cameras point where the RTSP
    server has nothing (it refuses them): streams that fail every time."""

    def __init__(self, inner):
        self.inner = inner
        self.broken: set[str] = set()

    def preview_url(self, camera_id, stream_type, protocol):
        future = self.inner.preview_url(camera_id, stream_type, protocol)
        if camera_id not in self.broken:
            return future
        from concurrent.futures import Future

        broken: Future = Future()

        def done(f):
            if f.exception() is not None:
                broken.set_exception(f.exception())
            else:
                url = f.result().url.rsplit("/", 1)[0] + "/no-such-stream"
                broken.set_result(PreviewUrl(url, f.result().expires_at))

        future.add_done_callback(done)
        return broken

    def ptz(self, camera_id, action, speed):
        return self.inner.ptz(camera_id, action, speed)


@pytest.fixture
def rtsp_wall(qtbot, store, rtsp_server, city_world_factory, datacenter_factory, client_factory):
    pytest.importorskip("av")
    from commandcenter.feeds.catalog import build_feeds
    from commandcenter.feeds.coordinator import FeedCoordinator
    from commandcenter.feeds.runner import FeedRunner
    from commandcenter.ui.video.wall import WallPanel
    from commandcenter.ui.widgets.panel import Console
    from commandcenter.ui.workers.bridge import BackgroundReader, StoreBridge

    server = datacenter_factory(city_world_factory(fresh=True), rtsp_base_url=rtsp_server.url)
    client = client_factory(server.url, retries=0)
    FeedRunner(FeedCoordinator(f, store) for f in build_feeds(client, store, {})).run_once()
    commands = _Refused(DirectCameraCommands(client_factory(server.url, retries=0)))
    console = Console(store, StoreBridge(store), BackgroundReader(), cameras=commands)
    panel = WallPanel(console)
    panel.resize(1280, 760)
    qtbot.addWidget(panel)
    panel.show()
    panel.refused = commands.broken
    yield panel
    for tile in panel.tiles:
        tile.close_stream()
    console.reader.close(5_000)
    console.snapshots.close()
    commands.inner.close()


def _on_tile(wall, camera_id):
    return next(
        t for t in wall.tiles[: wall.current_layout.size] if t.camera.camera_id == camera_id
    )


@pytest.mark.parametrize("layout", ["4", "1+5"])
def test_a_camera_whose_stream_keeps_failing_leaves_the_first_tile_for_a_live_one(
    qtbot, rtsp_wall, layout
):
    wall = rtsp_wall
    qtbot.waitUntil(lambda: len(wall._contents) > 10, timeout=10_000)
    first = wall._contents[0]
    assert first.camera.online
    wall.hide()  # the tiles let their streams go; shown again, they ask for new URLs
    wall.refused.add(first.camera.camera_id)
    wall.set_layout(layout)
    wall.show()
    assert wall.tiles[0].camera.camera_id == first.camera.camera_id
    # refused three times in a row by the RTSP server: a live camera takes the first tile
    qtbot.waitUntil(
        lambda: (
            wall.tiles[0].camera.camera_id != first.camera.camera_id
            and wall.tiles[0].state is TileState.LIVE
        ),
        timeout=30_000,
    )  # fmt: skip
    moved = _on_tile(wall, first.camera.camera_id)
    assert moved.number > 1 and moved.dead_since is not None
    assert moved.state_text().startswith("Video offline since ")
    # the first tile says why the camera it showed is no longer there
    assert wall.tiles[0].notice is not None
    assert "video offline since" in wall.tiles[0].notice
    assert f"now on tile {moved.number}" in wall.tiles[0].notice
    # the next live camera in the wall's order (its station's or the next's) is in front now
    next_live = next(c.camera for c in wall._contents[1:] if c.camera.online)
    assert wall.tiles[0].camera.camera_id == next_live.camera_id
    # the stream comes back: the camera is live again, ranked where it was
    wall.refused.clear()
    qtbot.waitUntil(lambda: moved.state is TileState.LIVE, timeout=40_000)
    assert moved.dead_since is None and not wall._dead_streams
    if layout == "1+5":  # the big tile shows the first-ranked camera again
        qtbot.waitUntil(
            lambda: wall.tiles[0].camera.camera_id == first.camera.camera_id, timeout=5_000
        )


def test_a_camera_reported_offline_is_ranked_behind_a_live_one(qtbot, rtsp_wall):
    from commandcenter.ui.video.wall import arrange

    wall = rtsp_wall
    wall.set_layout("1+5")
    qtbot.waitUntil(lambda: len(wall._contents) > 10, timeout=10_000)
    cameras = [c.camera for c in wall._contents]
    points = {c.point.point_id: c.point for c in wall._contents if c.point is not None}
    stations: dict[str, list] = {}
    for camera in cameras:
        stations.setdefault(camera.point_id, []).append(camera)
    # an urgent alert ranks first a station whose cameras are all offline …
    dark = next(p for p, cs in stations.items() if not any(c.online for c in cs))
    # … and a lesser one the next station, with live cameras
    lit = next(p for p, cs in stations.items() if all(c.online for c in cs))
    wall.show_data(arrange(cameras, points, [_alert(dark, 1), _alert(lit, 2)]))
    front = wall.tiles[0]
    assert front.camera.online and front.camera.point_id == lit  # a live camera of the next
    dead = [t for t in wall.tiles[:6] if t.camera.point_id == dark]
    assert dead and all(t.number > 1 and t.state is TileState.OFFLINE for t in dead)
    # behind a live camera of its own station, when it has one
    mixed = next(p for p, cs in stations.items() if len({c.online for c in cs}) == 2)
    wall.show_data(arrange(cameras, points, [_alert(mixed, 1)]))
    assert front.camera.online and front.camera.point_id == mixed
    offline = next(c for c in stations[mixed] if not c.online)
    moved = _on_tile(wall, offline.camera_id)
    assert moved.number > 1 and moved.state is TileState.OFFLINE
    from commandcenter.ui.video.tile import tile_time

    assert moved.state_text() == f"Video offline since {tile_time(offline.updated_at)}"
    qtbot.waitUntil(lambda: front.state is TileState.LIVE, timeout=20_000)


def _colourful(image) -> bool:
    """Some pixel of the picture differs between its red, green and blue."""
    step_x, step_y = max(1, image.width() // 16), max(1, image.height() // 9)
    for y in range(0, image.height(), step_y):
        for x in range(0, image.width(), step_x):
            c = image.pixelColor(x, y)
            if max(c.red(), c.green(), c.blue()) - min(c.red(), c.green(), c.blue()) > 30:
                return True
    return False


def test_a_stream_that_stops_leaves_its_last_picture_greyed_with_the_time_it_froze(
    qtbot, rtsp_server, city_world_factory, datacenter_factory, client_factory
):
    server = datacenter_factory(city_world_factory(fresh=True), rtsp_base_url=rtsp_server.url)
    commands = DirectCameraCommands(client_factory(server.url, retries=0))
    camera, point = _records(server.world)
    tile = _tile(qtbot, commands, camera, point)
    try:
        qtbot.waitUntil(lambda: tile.state is TileState.LIVE and tile.frames > 10, timeout=20_000)
        assert _colourful(tile._video.pixmap().toImage())
        rtsp_server.stop()
        stopped = _now()
        qtbot.waitUntil(lambda: tile.state is not TileState.LIVE, timeout=15_000)
        assert tile.picture_shown
        assert not _colourful(tile._video.pixmap().toImage())  # greyed
        assert tile.frozen_at is not None
        assert stopped - datetime.timedelta(seconds=3) <= tile.frozen_at <= stopped
        from commandcenter.ui.video.tile import tile_time

        assert tile.frozen_text() == f"Picture frozen at {tile_time(tile.frozen_at)}"
        # the overlay dims the whole picture, not only the bands
        overlay = tile._words.pixmap().toImage()
        middle = overlay.pixelColor(tile.width() // 4, tile.height() // 3)
        assert middle.alpha() > 0
        # reconnecting keeps the frozen picture and its time until a picture comes again
        qtbot.waitUntil(lambda: tile.state is TileState.ERROR, timeout=20_000)
        assert tile.picture_shown and tile.frozen_text()
    finally:
        tile.close_stream()
        commands.close()


def test_a_camera_that_goes_offline_keeps_its_last_picture_greyed(
    qtbot, video_datacenter, camera_commands
):
    camera, point = _records(video_datacenter.world)
    tile = _tile(qtbot, camera_commands, camera, point)
    qtbot.waitUntil(lambda: tile.state is TileState.LIVE and tile.frames > 5, timeout=15_000)
    went = _now()
    tile.assign(dataclasses.replace(camera, online=False, updated_at=went), point)
    assert tile.state is TileState.OFFLINE and not tile.connected
    assert tile.picture_shown and not _colourful(tile._video.pixmap().toImage())
    assert tile.frozen_at is not None
    from commandcenter.ui.video.tile import tile_time

    assert tile.state_text() == f"Video offline since {tile_time(went)}"
    assert tile.frozen_text().startswith("Picture frozen at ")
    tile.close_stream()


def test_an_alerts_cameras_without_a_picture_go_onto_the_wall_behind_the_first_tile(qtbot, wall):
    """An alert at a station whose cameras are all offline: they go onto the wall from
    the second tile on, and the first keeps a live camera and says where they went."""
    wall.set_layout("1+5")
    qtbot.waitUntil(lambda: len(wall._contents) > 100, timeout=10_000)
    by_point: dict[str, list] = {}
    for c in wall._contents:
        by_point.setdefault(c.camera.point_id, []).append(c.camera)
    dark = next(p for p, cs in by_point.items() if not any(c.online for c in cs))
    wall.pin_points(0, [dark])  # as the window does for a critical alert (first tile 1)
    front, second = wall.tiles[0], wall.tiles[1]
    assert front.camera.online and not front.pinned
    assert second.camera.point_id == dark and second.pinned
    assert second.state is TileState.OFFLINE and second.state_text().startswith(
        "Video offline since"
    )
    assert front.notice is not None and "now on tile 2" in front.notice
    qtbot.waitUntil(lambda: front.state is TileState.LIVE, timeout=20_000)
    # a station with a live camera puts that one on the first tile, its dead ones after it
    mixed = next(
        p
        for p, cs in by_point.items()
        if any(c.online for c in cs) and not all(c.online for c in cs)
    )
    wall.pin_points(0, [mixed])
    assert wall.tiles[0].pinned and wall.tiles[0].camera.online
    assert wall.tiles[0].camera.point_id == mixed


def test_a_failing_stream_is_tried_again_once_the_datacenter_changes_its_camera(qtbot, wall):
    qtbot.waitUntil(lambda: len(wall._contents) > 10, timeout=10_000)
    contents = list(wall._contents)
    camera = contents[0].camera
    since = camera.updated_at + datetime.timedelta(minutes=5)
    wall._dead_streams[camera.camera_id] = since  # as its tiles report after three failures
    wall.show_data(contents)  # a poll that did not change the camera: still dead
    assert camera.camera_id in wall._dead_streams
    assert wall.tiles[0].camera.camera_id != camera.camera_id
    changed = dataclasses.replace(camera, updated_at=since + datetime.timedelta(seconds=1))
    wall.show_data([dataclasses.replace(contents[0], camera=changed), *contents[1:]])
    assert camera.camera_id not in wall._dead_streams  # the record changed: tried again
    assert _on_tile(wall, camera.camera_id).dead_since is None
