"""One video tile per protocol the simulated data center offers beside RTSP: MJPEG, and
HLS (segments of H.264, the tile paced by the pictures' timestamps). For each, over
`--seconds` once the tile is live: the frames per second it shows, as it counts them
itself and as counted here, and the largest gap between two pictures shown, which tells
an even 25 fps from a second's burst and then a freeze.

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python benchmarks/tile_pacing.py [--seconds 10]

Targets: HLS 18–32 fps with no gap over 0.3 s; MJPEG over 5 fps.
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
import time

from support import REPO  # beside this script

sys.path.insert(0, str(REPO))

TARGETS = {"hls": {"fps_min": 18, "fps_max": 32, "gap_max_s": 0.3}, "mjpeg": {"fps_min": 5}}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()

    from commandcenter.app import make_application
    from commandcenter.config import Config

    app = make_application(Config(), language="zh_CN", theme="dark")
    from support import wait_for

    from commandcenter.domain.secret import Secret
    from commandcenter.domain.video import TileState
    from commandcenter.feeds.cameras import DirectCameraCommands
    from commandcenter.feeds.client import DataCenterClient
    from commandcenter.simulator.hls import HlsVideo
    from commandcenter.simulator.server import DataCenterServer
    from commandcenter.simulator.video import MjpegVideo
    from commandcenter.simulator.world import World
    from commandcenter.ui.video.tile import VideoTile
    from tests.test_video import _camera_by_id

    sk = secrets.token_urlsafe(24)
    world = World(seed=7, scale="city")
    datacenter = DataCenterServer(
        world,
        host="127.0.0.1",
        port=0,
        credentials={"bench": sk},
        video=MjpegVideo(),
        hls=HlsVideo(),
    )
    datacenter.start()
    commands = DirectCameraCommands(DataCenterClient(datacenter.url, "bench", Secret(sk)))
    online = [
        _camera_by_id(world, c["cameraId"])
        for c in world.cameras()
        if c["online"] and not c.get("deleted")
    ]
    cameras = {
        "hls": next(c for c in online if datacenter.offers_hls(c.camera_id)),
        "mjpeg": next(c for c in online if not datacenter.offers_hls(c.camera_id)),
    }
    figures: dict[str, object] = {"seconds": args.seconds}
    try:
        for protocol, camera in cameras.items():
            tile = VideoTile(1, commands)
            tile.resize(480, 270)
            tile.show()
            tile.assign(camera)
            tile.set_active(True)
            if not wait_for(
                app, lambda tile=tile: tile.state is TileState.LIVE and tile.frames > 30, 60
            ):
                raise SystemExit(f"the {protocol} tile did not go live: {tile.state_text()}")
            if tile.protocol != protocol:
                raise SystemExit(f"the tile played {tile.protocol}, not {protocol}")
            gaps: list[float] = []
            last = [tile.frames, time.monotonic()]
            first_frames, started = tile.frames, time.monotonic()

            def note_gap(tile=tile, gaps=gaps, last=last) -> bool:
                now = time.monotonic()
                if tile.frames != last[0]:
                    gaps.append(now - last[1])
                    last[:] = [tile.frames, now]
                return False

            wait_for(app, note_gap, args.seconds)
            elapsed = time.monotonic() - started
            figures[f"{protocol}_fps"] = round((tile.frames - first_frames) / elapsed, 1)
            figures[f"{protocol}_fps_tile"] = round(tile.fps, 1)
            figures[f"{protocol}_gap_max_s"] = round(max(gaps), 3) if gaps else None
            print(
                f"{protocol}: {figures[f'{protocol}_fps']} fps shown "
                f"(the tile says {figures[f'{protocol}_fps_tile']}), largest gap "
                f"{figures[f'{protocol}_gap_max_s']} s; targets {TARGETS[protocol]}",
                flush=True,
            )
            tile.close_stream()
            tile.deleteLater()
    finally:
        commands.close()
        datacenter.stop()
    figures["targets"] = TARGETS
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
