"""Video tiles against the simulated data center's real MJPEG streams over loopback,
decoded by FFmpeg (PyAV) into the tiles; and the Qt-free choices behind them."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import random
import socket
import threading
from concurrent.futures import Future

import pytest

from commandcenter.domain.backoff import Retries
from commandcenter.domain.video import RECONNECT_BACKOFF, Tier, TierPolicy, TileState
from commandcenter.feeds.cameras import CameraCallFailed, DirectCameraCommands, PreviewUrl


def test_the_tier_follows_the_tile_size_with_hysteresis():
    policy = TierPolicy(main_above_px=540, sub_below_px=400, crowded_tiles=9)
    assert policy.choose(None, 300, 4) is Tier.SUB
    assert policy.choose(None, 600, 4) is Tier.MAIN
    # between the thresholds a tile keeps what it has: no flapping while a dock is dragged
    assert policy.choose(Tier.MAIN, 450, 4) is Tier.MAIN
    assert policy.choose(Tier.SUB, 450, 4) is Tier.SUB
    assert policy.choose(Tier.MAIN, 399, 4) is Tier.SUB
    # crowded walls stay on sub; single view and a camera without sub stream use main
    assert policy.choose(Tier.MAIN, 450, 16) is Tier.SUB
    assert policy.choose(None, 200, 1) is Tier.MAIN
    assert policy.choose(None, 200, 16, focused=True) is Tier.MAIN
    assert policy.choose(None, 200, 16, has_sub_stream=False) is Tier.MAIN


def test_a_tile_reconnects_after_1_2_4_s_up_to_30_s_each_within_20_percent():
    retries = Retries(RECONNECT_BACKOFF, rng=random.Random(1))
    delays = [retries.next_delay() for _ in range(7)]
    for delay, base in zip(delays, [1, 2, 4, 8, 16, 30, 30], strict=True):
        assert base * 0.8 <= delay <= base * 1.2
    retries.reset()
    assert 0.8 <= retries.next_delay() <= 1.2


def _camera(world, *, online=True, ptz=None):
    from commandcenter.domain.records import Camera
    from commandcenter.domain.timefmt import parse_iso_time

    for c in world.cameras():
        if c.get("deleted") or c["online"] != online or (ptz is not None and c["ptz"] != ptz):
            continue
        return Camera(
            c["cameraId"],
            c["pointId"],
            c["name"],
            c["online"],
            c["ptz"],
            c["hasSubStream"],
            parse_iso_time(c["updatedAt"]),
        )
    raise LookupError("no such camera in the world")


def test_preview_urls_and_their_refusals(video_datacenter, camera_commands):
    world = video_datacenter.world
    online = _camera(world)
    preview = camera_commands.preview_url(online.camera_id, "sub", "mjpeg").result(10)
    assert preview.url.startswith(video_datacenter.url) and preview.expires_at is not None

    def kind_of(future: Future) -> str:
        with pytest.raises(CameraCallFailed) as failed:
            future.result(10)
        return failed.value.kind

    assert (
        kind_of(camera_commands.preview_url(_camera(world, online=False).camera_id, "sub", "mjpeg"))
        == "offline"
    )
    assert kind_of(camera_commands.preview_url("CAM-NOPE", "sub", "mjpeg")) == "unknown"
    # this data center offers no RTSP: 415, and the tile moves on to the next protocol
    assert kind_of(camera_commands.preview_url(online.camera_id, "sub", "rtsp")) == "not_offered"
    assert kind_of(camera_commands.ptz(_camera(world, ptz=False).camera_id, "left", 50)) == "no_ptz"
    assert camera_commands.ptz(_camera(world, ptz=True).camera_id, "zoom_in", 30).result(10) is None


def _tile(qtbot, commands, camera, **kw):
    pytest.importorskip("av")
    from commandcenter.ui.video.tile import VideoTile

    tile = VideoTile(1, commands, **kw)
    tile.resize(480, 270)
    qtbot.addWidget(tile)
    tile.show()
    tile.assign(camera)
    tile.set_active(True)
    return tile


def test_a_tile_goes_live_then_recovers_by_itself_when_the_datacenter_comes_back(
    qtbot, video_datacenter, camera_commands
):
    camera = _camera(video_datacenter.world)
    tile = _tile(qtbot, camera_commands, camera)
    qtbot.waitUntil(lambda: tile.state is TileState.LIVE and tile.frames > 20, timeout=15_000)
    assert tile.protocol == "mjpeg"  # after rtsp was refused with 415
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    QTest.keyClick(tile, Qt.Key.Key_I)  # details on demand: resolution, bitrate, tier
    qtbot.waitUntil(
        lambda: "kbit/s" in tile.state_text() and not tile.state_text().endswith(" 0 kbit/s · sub"),
        timeout=5_000,
    )
    assert "640×360" in tile.state_text() or "1280×720" in tile.state_text()
    assert tile.frame_size.width() > 0 and tile.fps > 0  # how many: benchmarks/tile_pacing.py
    seen: list[TileState] = []
    tile.state_changed.connect(seen.append)
    video_datacenter.faults.update(down=True)  # connections dropped, new ones refused
    qtbot.waitUntil(lambda: tile.state in (TileState.ERROR, TileState.STALLED), timeout=15_000)
    assert (
        tile._retry.isActive() or tile.state is TileState.STALLED
    )  # and it says when it tries again
    video_datacenter.faults.update(down=False)
    frames = tile.frames
    qtbot.waitUntil(
        lambda: tile.state is TileState.LIVE and tile.frames > frames + 10, timeout=40_000
    )
    assert TileState.CONNECTING in seen


def test_a_snapshot_is_a_full_size_jpeg_named_and_tagged_with_camera_and_time(
    qtbot, tmp_path, video_datacenter, camera_commands
):
    from PySide6.QtGui import QImageReader

    camera = _camera(video_datacenter.world)
    tile = _tile(qtbot, camera_commands, camera)
    assert tile.snapshot(tmp_path) is None  # nothing to take yet
    qtbot.waitUntil(lambda: tile.state is TileState.LIVE and tile.frames > 3, timeout=15_000)
    path = tile.snapshot(tmp_path / "evidence")
    assert path.name.startswith(camera.camera_id + "_") and path.suffix == ".jpg"
    reader = QImageReader(str(path))
    assert reader.text("CameraId") == camera.camera_id
    assert reader.text("CapturedAt").startswith(path.name.split("_")[1][:4])  # the year, as named
    image = reader.read()
    assert (image.width(), image.height()) == (tile.frame_size.width(), tile.frame_size.height())
    tile.close_stream()


HOSTILE_IDS = [
    "../../../../x",
    "/etc/cron.d/x",
    "C:\\Windows\\x",
    "..",
    ".hidden",
    "CON",
    "nul.txt",
    "a\x00b\nc",
    "相机:1|2*?",
    "x" * 300,
]


def test_a_snapshot_of_a_camera_with_a_hostile_id_stays_in_its_folder(
    qtbot, tmp_path, video_datacenter, camera_commands
):
    """Camera ids are the data center's text: each of these, as a real picture's
    snapshot, is written inside the snapshot folder, under a distinct name, and tagged
    with the id as it is."""
    from PySide6.QtGui import QImageReader

    from commandcenter.domain.filenames import name_part

    camera = _camera(video_datacenter.world)
    tile = _tile(qtbot, camera_commands, camera)
    qtbot.waitUntil(lambda: tile.state is TileState.LIVE and tile.frames > 3, timeout=15_000)
    folder = tmp_path / "snapshots"
    for camera_id in HOSTILE_IDS:
        tile.camera = dataclasses.replace(camera, camera_id=camera_id)
        path = tile.snapshot(folder)
        assert path.resolve().parent == folder.resolve() and path.is_file(), camera_id
        assert path.name.startswith(name_part(camera_id) + "_")
        if camera_id.isprintable():
            assert QImageReader(str(path)).text("CameraId") == camera_id
    assert len({name_part(camera_id) for camera_id in HOSTILE_IDS}) == len(HOSTILE_IDS)
    assert len(list(folder.iterdir())) == len(HOSTILE_IDS)
    assert list(tmp_path.iterdir()) == [folder]  # nothing beside it
    tile.camera = camera
    tile.close_stream()


def test_an_offline_camera_says_so_and_holds_no_stream(qtbot, video_datacenter, camera_commands):
    world = video_datacenter.world
    # the store says offline: no request at all
    tile = _tile(qtbot, camera_commands, _camera(world, online=False))
    assert tile.state is TileState.OFFLINE and not tile.connected
    # the store still thinks it online, the data center answers 409
    stale = dataclasses.replace(_camera(world, online=False), online=True)
    other = _tile(qtbot, camera_commands, stale)
    qtbot.waitUntil(lambda: other.state is TileState.OFFLINE, timeout=10_000)
    assert not other.connected and other._retry.isActive()
    from commandcenter.ui.video.tile import tile_time

    assert other.dead_since is not None  # the data center's 409 is a dead stream at once
    assert other.state_text() == f"Video offline since {tile_time(other.dead_since)}"


class _FixedUrl:
    """Camera commands that hand out one URL, to point a tile at a broken stream."""

    def __init__(self, url: str):
        self.url = url
        self.asked = 0

    def preview_url(self, camera_id, stream_type, protocol):
        self.asked += 1
        future: Future = Future()
        future.set_result(PreviewUrl(self.url, None))
        return future

    def ptz(self, camera_id, action, speed):
        raise NotImplementedError


def _garbage_server():
    """Answers every connection with an HTTP 200 and bytes that are no video."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return  # closed by the test
            with conn, contextlib.suppress(OSError):  # the player gave up on it first
                conn.sendall(
                    b"HTTP/1.0 200 OK\r\nContent-Type: video/mp4\r\n\r\n" + bytes(range(256)) * 400
                )

    threading.Thread(target=serve, daemon=True).start()
    return listener, stop


@pytest.mark.parametrize("broken", ["garbage", "wrong_url"])
def test_a_broken_stream_is_an_error_with_a_reason_and_is_retried(qtbot, video_datacenter, broken):
    if broken == "garbage":
        listener, stop = _garbage_server()
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/stream"
    else:
        with socket.create_server(("127.0.0.1", 0)) as s:
            port = s.getsockname()[1]  # closed again: nothing listens there
        url = f"http://127.0.0.1:{port}/nothing"
    commands = _FixedUrl(url)
    tile = _tile(qtbot, commands, _camera(video_datacenter.world))
    try:
        qtbot.waitUntil(lambda: tile.state is TileState.ERROR, timeout=20_000)
        assert tile.reason and tile._retry.isActive()
        qtbot.waitUntil(
            lambda: commands.asked >= 2, timeout=20_000
        )  # tried again, with a fresh URL
    finally:
        tile.close_stream()
        if broken == "garbage":
            stop.set()
            listener.close()


def _live(panel):
    return [
        t
        for t in panel.tiles[: panel.current_layout.size]
        if t.state is TileState.LIVE and t.frames > 5
    ]


def test_the_wall_plays_only_while_it_is_seen(qtbot, wall):
    wall.set_layout("4")
    qtbot.waitUntil(lambda: len(_live(wall)) >= 3, timeout=20_000)
    assert all(t.tier is Tier.SUB for t in _live(wall)) or wall.tiles[0].height() >= 540
    wall.hide()
    assert all(not t.active and not t.connected for t in wall.tiles)
    wall.show()
    qtbot.waitUntil(lambda: len(_live(wall)) >= 3, timeout=20_000)
    wall.showMinimized()
    qtbot.waitUntil(lambda: all(not t.connected for t in wall.tiles), timeout=5_000)
    wall.showNormal()
    qtbot.waitUntil(lambda: len(_live(wall)) >= 3, timeout=20_000)


def test_single_view_takes_the_main_stream_and_goes_back(qtbot, wall):
    wall.set_layout("9")
    qtbot.waitUntil(lambda: len(_live(wall)) >= 6, timeout=30_000)
    tile = _live(wall)[0]
    assert tile.tier is Tier.SUB and tile.frame_size.width() == 640
    wall.toggle_single(tile)
    assert [t for t in wall.tiles if t.active] == [tile]
    qtbot.waitUntil(
        lambda: tile.tier is Tier.MAIN and tile.frame_size.width() == 1280, timeout=15_000
    )
    wall.toggle_single(tile)
    qtbot.waitUntil(
        lambda: tile.tier is Tier.SUB and tile.frame_size.width() == 640, timeout=15_000
    )
    assert sum(t.active for t in wall.tiles) == 9


def test_layouts_with_one_large_tile():
    from commandcenter.ui.video.wall import LAYOUT_BY_NAME

    assert LAYOUT_BY_NAME["1+5"].size == 6 and LAYOUT_BY_NAME["1+5"].cells[0] == (0, 0, 2, 2)
    assert LAYOUT_BY_NAME["1+7"].size == 8 and LAYOUT_BY_NAME["1+7"].cells[0] == (0, 0, 3, 3)
    assert [LAYOUT_BY_NAME[str(n * n)].size for n in range(1, 7)] == [1, 4, 9, 16, 25, 36]


def test_a_new_ranking_moves_only_the_cameras_that_gained_or_lost_a_place():
    from commandcenter.domain.wall_layouts import place_ranked

    # an empty wall is filled in rank order
    assert place_ranked([None] * 4, list("abcdef")) == list("abcd")
    # an alert at f's station ranks it first: it takes the tile of d, the one that lost its place
    assert place_ranked(list("abcd"), list("fabcde")) == list("abcf")
    # the alert closes: f goes back down, d comes back where f was
    assert place_ranked(list("abcf"), list("abcdef")) == list("abcd")
    # a camera gone from the ranking (offline, deleted) frees its tile for the next one
    assert place_ranked(list("abcd"), list("acde")) == list("aecd")
    # fewer cameras than tiles: the rest stay empty; a camera shown twice keeps its first tile
    assert place_ranked([*list("aab"), None], list("ab")) == ["a", None, "b", None]
    # with a big first tile, the first-ranked camera is always on it; the one it showed stays on the wall
    assert place_ranked(list("abcd"), list("fabcde"), first_is_big=True) == list("fbca")
    assert place_ranked(list("abcd"), list("cabde"), first_is_big=True) == list("cbad")


def test_an_alert_that_reorders_the_wall_reconnects_only_the_tile_that_changes_camera(qtbot, wall):
    wall.set_layout("4")
    qtbot.waitUntil(lambda: len(wall._contents) > 5, timeout=10_000)
    before = [t.camera.camera_id for t in wall.tiles[:4]]
    kept = [t for t in wall.tiles[:3] if t.camera.online]  # an offline camera holds no connection
    assert kept
    qtbot.waitUntil(lambda: all(t.connected for t in kept), timeout=15_000)
    readers = [t._reader for t in kept]
    assert before == [c.camera.camera_id for c in wall._contents[:4]]  # first filled in wall order
    # the sixth camera ranks first now, as an alert opened at its station would rank it
    contents = list(wall._contents)
    alerting = contents[5]
    wall.show_data([alerting, *contents[:5], *contents[6:]])
    after = [t.camera.camera_id for t in wall.tiles[:4]]
    assert after == [*before[:3], alerting.camera.camera_id]
    assert all(
        t._reader is reader for t, reader in zip(kept, readers, strict=True)
    )  # connections kept
    # the big tile of 1+5 takes the first-ranked camera
    wall.set_layout("1+5")
    assert wall.tiles[0].camera.camera_id == alerting.camera.camera_id


def test_live_streams_are_read_without_buffering_and_rtsp_over_tcp():
    from commandcenter.ui.video.decoder import fit, stream_options

    rtsp = stream_options("rtsp://10.1.2.3:554/CAM-1/sub")
    assert rtsp["rtsp_transport"] == "tcp" and rtsp["fflags"] == "nobuffer"
    assert int(rtsp["probesize"]) <= 65536
    assert "rtsp_transport" not in stream_options("http://h/video/CAM-1/sub?token=a1")
    assert fit(1280, 720, 320, 240) == (320, 180)
    assert fit(640, 360, 1920, 1080) == (640, 360)  # never upscaled by the scaler


def test_rtsp_tiles_recover_by_themselves_after_the_rtsp_server_restarts(
    qtbot, rtsp_server, city_world_factory, datacenter_factory, client_factory
):
    from commandcenter.simulator.rtsp import RtspServer

    server = datacenter_factory(city_world_factory(fresh=True), rtsp_base_url=rtsp_server.url)
    commands = DirectCameraCommands(client_factory(server.url, retries=0))
    tile = _tile(qtbot, commands, _camera(server.world))
    try:
        qtbot.waitUntil(lambda: tile.state is TileState.LIVE and tile.frames > 25, timeout=20_000)
        assert tile.protocol == "rtsp" and tile.frame_size.width() in (640, 1280)
        port = rtsp_server.port
        rtsp_server.stop()
        qtbot.waitUntil(lambda: tile.state in (TileState.STALLED, TileState.ERROR), timeout=15_000)
        restarted = RtspServer(port=port).start()
        try:
            frames = tile.frames
            qtbot.waitUntil(
                lambda: tile.state is TileState.LIVE and tile.frames > frames + 25, timeout=60_000
            )
        finally:
            restarted.stop()
    finally:
        tile.close_stream()
        commands.close()


class _Counting:
    """Camera commands that count the PTZ moves they pass on."""

    def __init__(self, inner):
        self.inner = inner
        self.moves: list[tuple[str, str]] = []
        self.results: list[Future] = []

    def preview_url(self, camera_id, stream_type, protocol):
        return self.inner.preview_url(camera_id, stream_type, protocol)

    def ptz(self, camera_id, action, speed):
        self.moves.append((camera_id, action))
        future = self.inner.ptz(camera_id, action, speed)
        self.results.append(future)
        return future


def test_ptz_by_keyboard_and_wheel_on_a_ptz_camera_only(qtbot, video_datacenter, camera_commands):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    commands = _Counting(camera_commands)
    ptz_camera = _camera(video_datacenter.world, ptz=True)
    tile = _tile(qtbot, commands, ptz_camera)
    moved = []
    tile.ptz_moved.connect(lambda camera_id, action: moved.append((camera_id, action)))
    tile.setFocus()
    QTest.keyPress(tile, Qt.Key.Key_Left)
    QTest.keyRelease(tile, Qt.Key.Key_Left)
    QTest.keyClick(tile, Qt.Key.Key_Plus)
    assert [a for _, a in commands.moves] == ["left", "stop", "zoom_in", "stop"]
    assert moved == [
        (ptz_camera.camera_id, "left"),
        (ptz_camera.camera_id, "zoom_in"),
    ]  # audited by the wall
    for future in commands.results:
        assert future.result(10) is None  # the data center took every move
    plain = _tile(qtbot, commands, _camera(video_datacenter.world, ptz=False))
    plain.setFocus()
    QTest.keyClick(plain, Qt.Key.Key_Left)
    assert len(commands.moves) == 4  # a camera without PTZ is not asked
    tile.close_stream()
    plain.close_stream()


def test_points_dragged_from_the_directory_stay_on_their_tiles_until_released(qtbot, wall, store):
    from PySide6.QtCore import QPointF, Qt
    from PySide6.QtGui import QDropEvent

    from commandcenter.ui.widgets.tables import POINT_IDS_MIME, Column, RecordTableModel, build_rows

    wall.set_layout("4")
    qtbot.waitUntil(lambda: bool(wall._contents), timeout=10_000)
    by_point: dict[str, list] = {}
    for c in store.cameras():
        if not c.deleted:
            by_point.setdefault(c.point_id, []).append(c)
    point_id = next(
        p for p, cams in by_point.items() if len(cams) >= 2 and all(c.online for c in cams)
    )
    # what a directory row carries when it is dragged
    point = next(p for p in store.service_points() if p.point_id == point_id)
    model = RecordTableModel([Column("名称", lambda p: p.name)])
    model.drag_mime = POINT_IDS_MIME
    model.set_rows(build_rows(model.columns, [point], record_id=lambda p: p.point_id))
    mime = model.mimeData([model.index(0, 0)])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    wall.tiles[2].dropEvent(event)
    placed = {wall.tiles[2].camera.camera_id, wall.tiles[3].camera.camera_id}
    assert placed == {c.camera_id for c in sorted(by_point[point_id], key=lambda c: c.name)[:2]}
    assert wall.tiles[2].pinned and wall.tiles[3].pinned and not wall.tiles[0].pinned
    wall.reload(urgent=True)  # a refresh keeps them where they were put
    qtbot.waitUntil(lambda: not wall.console.reader.busy(), timeout=10_000)
    assert {wall.tiles[2].camera.camera_id, wall.tiles[3].camera.camera_id} == placed
    [entry] = [e for e in store.audit_log() if e.action == "wall.place"]
    assert entry.target == point_id
    wall.release(2)
    assert not wall.tiles[2].pinned and wall.tiles[3].pinned
    # what a point dragged out of the map page carries: text with our prefix
    from PySide6.QtCore import QMimeData

    from commandcenter.ui.widgets.tables import dragged_point_ids

    from_map = QMimeData()
    from_map.setText(f"commandcenter-point:{point_id}")
    assert dragged_point_ids(from_map) == [point_id]
    wall.release(3)
    wall.tiles[0].dropEvent(
        QDropEvent(
            QPointF(10, 10),
            Qt.DropAction.CopyAction,
            from_map,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
    )
    assert wall.tiles[0].pinned and wall.tiles[0].camera.camera_id in placed
    stray = QMimeData()
    stray.setText("https://example.com/not-a-point")
    assert dragged_point_ids(stray) == []


def test_s_on_a_live_tile_saves_a_snapshot_says_so_and_audits_it(qtbot, wall, store, tmp_path):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    wall.snapshot_dir = tmp_path / "evidence"
    wall.set_layout("4")
    qtbot.waitUntil(lambda: len(_live(wall)) >= 1, timeout=20_000)
    tile = _live(wall)[0]
    tile.setFocus()
    QTest.keyClick(tile, Qt.Key.Key_S)
    [saved] = list((tmp_path / "evidence").glob("*.jpg"))
    assert saved.name.startswith(tile.camera.camera_id)
    assert saved.name in tile.state_text()
    [entry] = [e for e in store.audit_log() if e.action == "camera.snapshot"]
    assert entry.target == tile.camera.camera_id


def test_a_named_wall_keeps_its_layout_and_placed_cameras(qtbot, wall, store, tmp_path):
    from PySide6.QtCore import QSettings

    wall.console.settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    wall.set_layout("1+5")
    qtbot.waitUntil(lambda: bool(wall._contents), timeout=10_000)
    point_id = wall._contents[5].camera.point_id
    wall.pin_points(0, [point_id])
    placed = wall.tiles[0].camera.camera_id
    wall.save_named("夜班 · 吴中区")
    wall.set_layout("16")
    wall.release(0)
    assert wall.saved_names() == ["夜班 · 吴中区"] and wall.saved.count() == 1
    assert wall.recall_named("夜班 · 吴中区")
    assert (
        wall.current_layout.name == "1+5"
        and wall.tiles[0].camera.camera_id == placed
        and wall.tiles[0].pinned
    )
    # a hand-edited, broken entry is refused with its name, and the wall stays as it is
    wall.console.settings.setValue("wall/layouts/坏的", "{not json")
    assert not wall.recall_named("坏的")
    assert "坏的" in wall.count.text() and wall.current_layout.name == "1+5"


@pytest.fixture
def hls_datacenter(city_world_factory, datacenter_factory, monkeypatch):
    from commandcenter.simulator import routes
    from commandcenter.simulator.hls import HlsVideo
    from commandcenter.simulator.video import MjpegVideo

    monkeypatch.setattr(routes, "PREVIEW_TTL", datetime.timedelta(seconds=3))  # URLs expire fast
    return datacenter_factory(city_world_factory(fresh=True), video=MjpegVideo(), hls=HlsVideo())


class _Recording:
    """Camera commands that remember every preview URL handed out."""

    def __init__(self, inner):
        self.inner = inner
        self.urls: list[str] = []

    def preview_url(self, camera_id, stream_type, protocol):
        future = self.inner.preview_url(camera_id, stream_type, protocol)
        future.add_done_callback(
            lambda f: f.exception() is None and self.urls.append(f.result().url)
        )
        return future

    def ptz(self, camera_id, action, speed):
        return self.inner.ptz(camera_id, action, speed)


def test_a_camera_that_offers_hls_plays_over_hls(qtbot, hls_datacenter, client_factory):
    import requests

    world = hls_datacenter.world
    camera = next(
        c
        for c in (
            _camera_by_id(world, c["cameraId"])
            for c in world.cameras()
            if c["online"] and not c.get("deleted")
        )
        if hls_datacenter.offers_hls(c.camera_id)
    )
    commands = DirectCameraCommands(client_factory(hls_datacenter.url, retries=0))
    try:
        url = commands.preview_url(camera.camera_id, "sub", "hls").result(10).url
        playlist = requests.get(url, timeout=5)
        assert playlist.headers["Content-Type"] == "application/vnd.apple.mpegurl"
        assert (
            "#EXT-X-MEDIA-SEQUENCE" in playlist.text and "token=" in playlist.text
        )  # segments carry the token
        tile = _tile(qtbot, commands, camera)
        qtbot.waitUntil(lambda: tile.state is TileState.LIVE and tile.frames > 30, timeout=30_000)
        assert (
            tile.protocol == "hls" and tile.frame_size.width() == 1280
        )  # rtsp refused (415); main: one tile
        # it plays on (at an even 25 fps, paced by the pictures' timestamps, not a
        # second's burst then a freeze: benchmarks/tile_pacing.py measures it)
        frames = tile.frames
        qtbot.waitUntil(lambda: tile.frames >= frames + 50, timeout=30_000)
        assert tile.state is TileState.LIVE and tile.fps > 0
        tile.close_stream()
    finally:
        commands.close()


def test_an_expired_url_is_refused_and_a_reconnecting_tile_asks_for_a_new_one(
    qtbot, hls_datacenter, client_factory
):
    import re
    import time

    import requests

    commands = _Recording(DirectCameraCommands(client_factory(hls_datacenter.url, retries=0)))
    world = hls_datacenter.world
    camera = next(
        c
        for c in (
            _camera_by_id(world, c["cameraId"])
            for c in world.cameras()
            if c["online"] and not c.get("deleted")
        )
        if not hls_datacenter.offers_hls(c.camera_id)
    )
    try:
        tile = _tile(qtbot, commands, camera)
        qtbot.waitUntil(lambda: tile.state is TileState.LIVE and tile.frames > 10, timeout=15_000)
        first = commands.urls[-1]
        # past the URL's expiry (3 s, by the server's clock): new connections are refused,
        # the open stream plays on
        expires = int(re.search(r"expires=(\d+)", first).group(1))
        qtbot.waitUntil(lambda: time.time() > expires, timeout=15_000)
        assert requests.get(first, timeout=5, stream=True).status_code == 403
        frames = tile.frames
        qtbot.waitUntil(lambda: tile.frames > frames, timeout=5_000)
        assert tile.state is TileState.LIVE
        hls_datacenter.faults.update(down=True)  # the stream drops
        qtbot.waitUntil(lambda: tile.state is not TileState.LIVE, timeout=15_000)
        hls_datacenter.faults.update(down=False)
        frames = tile.frames
        qtbot.waitUntil(
            lambda: tile.state is TileState.LIVE and tile.frames > frames + 10, timeout=40_000
        )
        assert commands.urls[-1] != first  # a fresh URL, not the expired one
        tile.close_stream()
    finally:
        commands.inner.close()


def _camera_by_id(world, camera_id):
    from commandcenter.domain.records import Camera
    from commandcenter.domain.timefmt import parse_iso_time

    c = world.camera(camera_id)
    return Camera(
        c["cameraId"],
        c["pointId"],
        c["name"],
        c["online"],
        c["ptz"],
        c["hasSubStream"],
        parse_iso_time(c["updatedAt"]),
    )


def test_segmented_streams_are_paced_by_their_timestamps():
    from commandcenter.ui.video.decoder import Pacer, is_hls, stream_options

    assert is_hls("http://dc/video/c/sub/hls/live.m3u8?expires=1&token=x")
    assert stream_options("http://dc/x/live.m3u8?t=1")["live_start_index"] == "-3"
    pacer = Pacer(max_late_s=1.0)
    # a segment arrives in one burst at t=10: its pictures are spread over their 40 ms steps
    assert pacer.delay(100.00, 10.0) == 0.0
    assert pacer.delay(100.04, 10.001) == pytest.approx(0.039)
    assert pacer.delay(100.96, 10.002) == pytest.approx(0.958)
    # more than a second behind: start over rather than play catch-up
    assert pacer.delay(101.0, 12.5) == 0.0 and pacer.delay(101.04, 12.5) == pytest.approx(0.04)
    assert pacer.delay(None, 13.0) == 0.0  # no timestamp: at once


def test_read_ahead_hands_over_packets_and_the_error_that_ended_them():
    from commandcenter.ui.video.decoder import ReadAhead

    def packets():
        yield from (1, 2, 3)
        raise OSError("connection reset")

    ahead = ReadAhead(packets(), threading.Event())
    got = []

    def read_all() -> None:
        for packet in ahead:
            got.append(packet)

    with pytest.raises(OSError, match="connection reset"):
        read_all()
    ahead.close()
    assert got == [1, 2, 3]


def test_cameras_asked_for_before_the_wall_has_read_them_are_placed_when_it_does(
    qtbot, wall, store
):
    """A critical alert can be announced before the wall's first read has landed."""
    from commandcenter.ui.video.wall import WallPanel

    panel = WallPanel(wall.console)
    qtbot.addWidget(panel)
    point = next(p for p in store.service_points() if p.camera_ids and not p.deleted)
    panel.pin_points(0, [point.point_id])  # before anything was read
    assert panel.pins == {}
    panel.show()
    qtbot.waitUntil(lambda: panel.pins.get(0) in point.camera_ids, timeout=15_000)


def test_readers_are_started_off_the_calling_thread_and_one_stopped_first_opens_nothing():
    from commandcenter.ui.video.decoder import StreamReader

    with socket.socket() as s:  # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        url = f"rtsp://127.0.0.1:{s.getsockname()[1]}/none"
    ends: list[str] = []
    reader = StreamReader(url, lambda: (320, 180), lambda *a: None, ends.append)
    reader.start_soon()
    stopped_ends: list[str] = []
    stopped = StreamReader(url, lambda: (320, 180), lambda *a: None, stopped_ends.append)
    stopped.stop()
    stopped.start_soon()
    from tests.conftest import wait_until

    wait_until(
        lambda: ends and stopped.ident and not stopped.is_alive(),
        what="the refusal, and the stopped reader's end",
    )
    assert len(ends) == 1 and ends[0]  # refused, and it says so
    assert stopped.ident is not None and not stopped.is_alive()
    assert stopped_ends == []  # no connection was tried, so nothing broke
