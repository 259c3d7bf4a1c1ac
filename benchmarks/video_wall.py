"""The video wall at 36 tiles: what it delivers and what it costs, against FFmpeg's floor.

36 tiles (6×6) of 640×360@25 H.264 over RTSP (TCP), from the simulator's cameras served
by GStreamer's RTSP server (two shared encodes, its CPU reported on its own); the data
center runs in its own process. The wall plays for `--seconds`; then, in the same run,
the floor: FFmpeg (PyAV, one thread per stream) decodes the same 36 streams and drops
the frames. Then double-click to the first main-stream frame (10 times), and the wall
with its panel hidden.

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python benchmarks/video_wall.py [--seconds 30]

Targets on this 2-core machine: every tile ≥ 24 fps; client CPU / floor CPU ≤ 1.5;
RSS ≤ 1 GB; double-click to first main-stream frame ≤ 1 s (median of 10); hidden
wall ≤ 2 % of a core.
"""

from __future__ import annotations

import argparse
import json
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time

from support import (  # beside this script
    cpu_seconds,
    rss_mb,
    start_datacenter,
    tree_cpu_seconds,
    wait_for,
)

TILES = 36
TARGET_FPS = 24.0
TARGET_CPU_RATIO = 1.5
TARGET_RSS_MB = 1024.0
TARGET_DOUBLE_CLICK_S = 1.0
TARGET_HIDDEN_CORE = 0.02


def decode_floor(urls: list[str], seconds: float) -> None:
    """Child mode: decode every stream for `seconds` and drop the frames; prints JSON."""
    import av

    counts = [0] * len(urls)
    stop = threading.Event()
    errors: list[str] = []

    def run(n: int, url: str) -> None:
        try:
            # FFmpeg's socket timeout: PyAV's own `timeout` takes the interpreter lock on every read
            with av.open(
                url, options={"rtsp_transport": "tcp", "timeout": "10000000"}
            ) as container:
                stream = container.streams.video[0]
                stream.codec_context.thread_count = 1
                for _frame in container.decode(stream):
                    counts[n] += 1
                    if stop.is_set():
                        return
        except Exception as exc:  # noqa: BLE001 - reported, the benchmark says which stream
            errors.append(f"{url}: {exc}")

    threads = [threading.Thread(target=run, args=(n, u), daemon=True) for n, u in enumerate(urls)]
    for t in threads:
        t.start()
    time.sleep(3)  # connected and past the first key frame
    start_counts, start_cpu, started = list(counts), cpu_seconds(), time.monotonic()
    time.sleep(seconds)
    elapsed, cpu = time.monotonic() - started, cpu_seconds() - start_cpu
    fps = [(counts[n] - start_counts[n]) / elapsed for n in range(len(urls))]
    stop.set()
    print(json.dumps({"cpu_cores": cpu / elapsed, "fps": fps, "errors": errors}), flush=True)


def wait(app, condition, timeout: float) -> bool:
    return wait_for(app, condition, timeout, step_s=0.005)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--decode-floor", nargs="+", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.decode_floor:
        decode_floor(args.decode_floor, args.seconds)
        return

    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    from commandcenter.app import make_application
    from commandcenter.config import Config
    from commandcenter.domain.secret import Secret
    from commandcenter.domain.video import TileState
    from commandcenter.feeds.cameras import CameraCallFailed, DirectCameraCommands
    from commandcenter.feeds.catalog import build_feeds
    from commandcenter.feeds.client import DataCenterClient
    from commandcenter.feeds.coordinator import FeedCoordinator
    from commandcenter.feeds.runner import FeedRunner
    from commandcenter.simulator.rtsp import RtspServer
    from commandcenter.store import Store
    from commandcenter.ui.video.wall import WallPanel, arrange
    from commandcenter.ui.widgets.panel import Console
    from commandcenter.ui.workers.bridge import BackgroundReader, StoreBridge

    sk = secrets.token_urlsafe(24)
    rtsp = RtspServer().start()
    datacenter, url = start_datacenter("city", sk, "--rtsp-base-url", rtsp.url)
    tmp = tempfile.TemporaryDirectory()
    try:
        store = Store(f"sqlite:///{tmp.name}/wall.db")
        client = DataCenterClient(url, "bench", Secret(sk))
        FeedRunner(FeedCoordinator(f, store) for f in build_feeds(client, store, {})).run_once()
        app = make_application(Config(), language="zh_CN", theme="dark")
        commands = DirectCameraCommands(client)
        online = []  # cameras whose stream the data center hands out (the store may lag)
        for camera in (c for c in store.cameras() if c.online and c.has_sub_stream):
            if len(online) == TILES:
                break
            try:
                commands.preview_url(camera.camera_id, "sub", "rtsp").result(10)
            except CameraCallFailed:
                continue
            online.append(camera)
        # the floor first, on a fresh server: FFmpeg alone on the same streams
        urls = [f"{rtsp.url}/{c.camera_id}/sub" for c in online]
        floor_run = subprocess.run(
            [sys.executable, __file__, "--seconds", str(args.seconds), "--decode-floor", *urls],
            capture_output=True,
            text=True,
            timeout=args.seconds + 120,
        )
        try:
            floor = json.loads(floor_run.stdout.strip().splitlines()[-1])
        except (IndexError, ValueError):
            raise SystemExit(f"the decoding floor failed: {floor_run.stderr[-2000:]}") from None
        console = Console(store, StoreBridge(store), BackgroundReader(), cameras=commands)
        wall = WallPanel(console)
        wall.set_layout(str(TILES))
        wall.resize(1920, 1080)
        wall.show()
        points = {p.point_id: p for p in store.service_points()}
        wall.read = lambda: arrange(online, points, [])  # the wall shows these, whatever it reloads
        wait(app, lambda: not console.reader.busy(), 30)  # its first read, from before, has landed
        wall.show_data(wall.read())
        tiles = wall.tiles[:TILES]
        if not wait(
            app, lambda: all(t.state is TileState.LIVE and t.frames > 25 for t in tiles), 90
        ):
            states = [t.state.value for t in tiles]
            raise SystemExit(f"not every tile went live within 90 s: {states}")
        wait(app, lambda: False, 3)  # settle

        # the wall, live
        frames0 = [t.frames for t in tiles]  # pictures put on screen, not only decoded
        cpu0, rtsp_cpu0, t0 = cpu_seconds(), tree_cpu_seconds(rtsp.pid), time.monotonic()
        wait(app, lambda: False, args.seconds)
        elapsed = time.monotonic() - t0
        client_cores = (cpu_seconds() - cpu0) / elapsed
        rtsp_cores = (tree_cpu_seconds(rtsp.pid) - rtsp_cpu0) / elapsed
        fps = [(t.frames - f) / elapsed for t, f in zip(tiles, frames0, strict=True)]
        rss = rss_mb()
        sizes = {(t.frame_size.width(), t.frame_size.height()) for t in tiles}
        tiers = {t.tier.value for t in tiles if t.tier}

        # double-click to the first main-stream frame, and back
        delays = []
        for n in range(10):
            tile = tiles[n]
            QTest.mouseDClick(
                tile,
                Qt.MouseButton.LeftButton,
                Qt.KeyboardModifier.NoModifier,
                QPoint(tile.width() // 2, tile.height() // 2),
            )
            clicked = time.monotonic()
            if wait(app, lambda t=tile: t.frame_size.width() == 1280, 15):
                delays.append(time.monotonic() - clicked)
            QTest.mouseDClick(
                tile,
                Qt.MouseButton.LeftButton,
                Qt.KeyboardModifier.NoModifier,
                QPoint(tile.width() // 2, tile.height() // 2),
            )
            wait(
                app,
                lambda tile=tile: (
                    all(t.state is TileState.LIVE for t in tiles) and tile.frame_size.width() == 640
                ),
                30,
            )

        # hidden: nothing should play
        wall.hide()
        wait(app, lambda: False, 2)
        cpu_h0, th0 = cpu_seconds(), time.monotonic()
        wait(app, lambda: False, 10)
        hidden_cores = (cpu_seconds() - cpu_h0) / (time.monotonic() - th0)
        connections_hidden = sum(1 for t in tiles if t.connected)
        for tile in wall.tiles:
            tile.close_stream()
        console.reader.close(5_000)
        console.snapshots.close()
        commands.close()
        app.processEvents()

        store.close()
    finally:
        datacenter.terminate()
        datacenter.wait(10)
        rtsp.stop()
        tmp.cleanup()

    ratio = client_cores / floor["cpu_cores"] if floor["cpu_cores"] else float("inf")
    double_click = statistics.median(delays) if delays else float("inf")
    figures = {
        "tiles": TILES,
        "seconds": round(elapsed, 1),
        "stream_sizes": sorted(f"{w}x{h}" for w, h in sizes),
        "tiers": sorted(tiers),
        "fps_median": round(statistics.median(fps), 2),
        "fps_min": round(min(fps), 2),
        "client_cpu_cores": round(client_cores, 3),
        "floor_cpu_cores": round(floor["cpu_cores"], 3),
        "floor_fps_min": round(min(floor["fps"]), 2),
        "floor_errors": len(floor["errors"]),
        "cpu_ratio_client_to_floor": round(ratio, 3),
        "rtsp_server_cpu_cores": round(rtsp_cores, 3),
        "rss_mb": round(rss, 1),
        "double_click_to_main_frame_median_s": round(double_click, 3),
        "double_click_to_main_frame_max_s": round(max(delays), 3) if delays else None,
        "double_click_samples": len(delays),
        "hidden_cpu_core_share": round(hidden_cores, 4),
        "hidden_connections": connections_hidden,
        "fps_min_ratio_to_target": round(min(fps) / TARGET_FPS, 3),
        "cpu_ratio_to_target": round(ratio / TARGET_CPU_RATIO, 3),
        "rss_ratio_to_target": round(rss / TARGET_RSS_MB, 3),
        "double_click_ratio_to_target": round(double_click / TARGET_DOUBLE_CLICK_S, 3),
        "hidden_ratio_to_target": round(hidden_cores / TARGET_HIDDEN_CORE, 3),
    }
    print(f"{TILES} tiles {'/'.join(figures['stream_sizes'])} over RTSP for {elapsed:.0f} s")
    print(
        f"  delivered fps per tile: median {figures['fps_median']}, min {figures['fps_min']} (target ≥ {TARGET_FPS})"
    )
    print(
        f"  client CPU {client_cores:.2f} cores; FFmpeg floor {floor['cpu_cores']:.2f} cores "
        f"(floor min fps {figures['floor_fps_min']}); ratio {ratio:.2f} (target ≤ {TARGET_CPU_RATIO})"
    )
    print(f"  RTSP server (not the client) {rtsp_cores:.2f} cores")
    print(f"  RSS {rss:.0f} MB (target ≤ {TARGET_RSS_MB:.0f})")
    print(
        f"  double-click to first main-stream frame: median {double_click:.3f} s of {len(delays)} "
        f"(target ≤ {TARGET_DOUBLE_CLICK_S})"
    )
    print(
        f"  panel hidden: {hidden_cores * 100:.2f} % of a core, {connections_hidden} connections "
        f"(target ≤ {TARGET_HIDDEN_CORE * 100:.0f} %)"
    )
    if floor["errors"]:
        print("  floor errors: " + "; ".join(floor["errors"][:3]))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
