"""MJPEG streams: valid JPEGs, motion, a live clock, paced by the frame rate."""

from __future__ import annotations

import io
import threading
from datetime import datetime, timedelta

from PIL import Image, ImageChops

from commandcenter.simulator.storage import CST
from commandcenter.simulator.video import MAIN_SIZE, SUB_SIZE, MjpegVideo


def decode(jpeg: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(jpeg))
    image.load()  # raises on a broken scan
    return image.convert("RGB")


def test_frames_decode_at_main_and_sub_size():
    video = MjpegVideo()
    assert decode(video.frame("CAM-1", "大厅", "main")).size == MAIN_SIZE
    assert decode(video.frame("CAM-1", "大厅", "sub")).size == SUB_SIZE


def test_clock_changes_every_second_and_the_scene_moves():
    video = MjpegVideo()
    t = datetime(2026, 11, 24, 9, 30, 0, tzinfo=CST)
    a = decode(video.frame("CAM-1", "大厅", "sub", at=t, index=0))
    b = decode(video.frame("CAM-1", "大厅", "sub", at=t + timedelta(seconds=1), index=0))
    c = decode(video.frame("CAM-1", "大厅", "sub", at=t, index=5))
    top = (0, 0, SUB_SIZE[0], 32)
    below = (0, 32, SUB_SIZE[0], SUB_SIZE[1])
    assert ImageChops.difference(a.crop(top), b.crop(top)).getbbox() is not None
    assert ImageChops.difference(a.crop(below), c.crop(below)).getbbox() is not None


def test_stream_waits_for_each_frames_moment_and_stops():
    """Paced by the frame rate: after each part the stream waits until the next one is
    due, never longer than a frame's period. The rate it reaches: benchmarks/sim_video.py."""
    from tests.conftest import wait_until

    class NotedStop(threading.Event):
        """The stream's stop signal, noting how long the stream waits on it."""

        def __init__(self):
            super().__init__()
            self.waits: list[float] = []

        def wait(self, timeout=None):
            self.waits.append(timeout)
            return super().wait(timeout)

    video = MjpegVideo()
    chunks: list[bytes] = []
    stop = NotedStop()
    worker = threading.Thread(
        target=video.stream, args=("CAM-1", "大厅", "sub", chunks.append, stop)
    )
    worker.start()
    wait_until(lambda: len(chunks) >= 10 and stop.waits, timeout=30, what="ten parts, paced")
    stop.set()
    worker.join(10)
    assert not worker.is_alive()
    assert stop.waits and all(0 < w <= 1 / video.fps for w in stop.waits)
    for chunk in chunks[:3]:
        head, _, rest = chunk.partition(b"\r\n\r\n")
        assert head.startswith(b"--" + video.boundary.encode())
        length = int(head.split(b"Content-Length: ")[1])
        assert len(rest) == length + 2
        decode(rest[:length])


def test_a_gone_viewer_ends_the_stream_quietly():
    def broken(_chunk: bytes) -> None:
        raise BrokenPipeError

    assert MjpegVideo().stream("CAM-1", "大厅", "sub", broken, threading.Event()) == 0


def test_strip_cache_is_bounded():
    video = MjpegVideo(cache_size=5)
    t = datetime(2026, 11, 24, 9, 30, 0, tzinfo=CST)
    for n in range(20):
        video.frame(f"CAM-{n}", "x", "sub", at=t)
    assert len(video._strips) <= 5
