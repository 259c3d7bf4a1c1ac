"""MJPEG streams of the simulated cameras: 25 fps, visible motion, a live clock.

Encoding 25 JPEGs a second per camera would cost the simulator a core for a few
streams. Instead a short motion loop is encoded once per scene and tier, with a
restart marker after every row of MCUs; each second only a thin strip (clock and
camera title) is encoded, and its rows replace the top rows of each loop frame.
Rows between restart markers are independent in baseline JPEG, and all images
share quantisation and Huffman tables (same quality, no optimisation), so the
spliced frame is a valid JPEG.
"""

from __future__ import annotations

import io
import threading
import time
import zlib
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

MAIN_SIZE = (1280, 720)
SUB_SIZE = (640, 360)
CST = timezone(timedelta(hours=8))
MCU = 16  # 4:2:0 subsampling: a row of MCUs is 16 pixels high
QUALITY = 70
LOOP_FRAMES = 50
SCENES = 6
_FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)


@lru_cache(maxsize=8)
def _font(size: int):
    for candidate in _FONT_CANDIDATES:
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size), True
    return ImageFont.load_default(size=size), False


def _encode(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(
        buffer,
        "JPEG",
        quality=QUALITY,
        subsampling=2,
        optimize=False,
        progressive=False,
        restart_marker_rows=1,
    )
    return buffer.getvalue()


def _split(jpeg: bytes) -> tuple[bytes, list[bytes]]:
    """Header up to the start of the scan, and the entropy-coded rows between RSTs."""
    sos = jpeg.index(b"\xff\xda")
    length = int.from_bytes(jpeg[sos + 2 : sos + 4], "big")
    header_end = sos + 2 + length
    scan = jpeg[header_end : jpeg.rindex(b"\xff\xd9")]
    rows: list[bytes] = []
    start = 0
    i = 0
    while True:
        i = scan.find(b"\xff", i)
        if i < 0 or i + 1 >= len(scan):
            break
        marker = scan[i + 1]
        if 0xD0 <= marker <= 0xD7:
            rows.append(scan[start:i])
            start = i + 2
        i += 2 if marker != 0xFF else 1
    rows.append(scan[start:])
    return jpeg[:header_end], rows


def _join(header: bytes, rows: list[bytes]) -> bytes:
    out = [header]
    for n, row in enumerate(rows):
        out.append(row)
        if n < len(rows) - 1:
            out.append(bytes((0xFF, 0xD0 + n % 8)))
    out.append(b"\xff\xd9")
    return b"".join(out)


def draw_scene(scene: int, size: tuple[int, int], n: int) -> Image.Image:
    """Frame n of a scene's motion loop (also the HLS streams' pictures)."""
    w, h = size
    hue = [(52, 74, 94), (70, 62, 80), (48, 80, 70), (84, 70, 56), (60, 66, 90), (76, 80, 60)][
        scene % 6
    ]
    image = Image.new("RGB", size, hue)
    d = ImageDraw.Draw(image)
    floor_y = int(h * 0.62)
    d.rectangle([0, floor_y, w, h], fill=tuple(c + 30 for c in hue))
    # a service counter and windows
    d.rectangle([int(w * 0.08), int(h * 0.45), int(w * 0.6), int(h * 0.66)], fill=(150, 120, 90))
    for k in range(3):
        x = int(w * (0.65 + k * 0.11))
        d.rectangle([x, int(h * 0.2), x + int(w * 0.08), int(h * 0.42)], fill=(170, 190, 210))
    # a person walking across, and a visitor standing at the counter
    t = n / LOOP_FRAMES
    px = int(w * (0.1 + 0.8 * (t if t < 0.5 else 1 - t) * 2 * 0.5 + 0.0))
    py = int(h * 0.5)
    r = max(6, h // 24)
    d.ellipse([px - r, py - 3 * r, px + r, py - r], fill=(230, 200, 170))
    d.rectangle([px - r, py - r, px + r, py + 3 * r], fill=(40, 90, 160))
    # a sweeping indicator so motion is obvious in any still pair
    sweep = int((w - 40) * ((n * 2) % LOOP_FRAMES) / LOOP_FRAMES)
    d.rectangle([sweep, h - 12, sweep + 40, h - 4], fill=(240, 200, 40))
    return image


class _Loop:
    """The encoded motion frames of one scene and tier."""

    def __init__(self, scene: int, size: tuple[int, int], strip_rows: int):
        self.size = size
        self.strip_rows = strip_rows
        self.frames = [_split(_encode(draw_scene(scene, size, n))) for n in range(LOOP_FRAMES)]


class MjpegVideo:
    def __init__(
        self, *, fps: int = 25, clock: Callable[[], datetime] | None = None, cache_size: int = 256
    ):
        self.fps = fps
        self.boundary = "ccframe"
        self.content_type = f"multipart/x-mixed-replace; boundary={self.boundary}"
        self._clock = clock or (lambda: datetime.now(CST))
        self._loops: dict[tuple[int, str], _Loop] = {}
        self._loops_lock = threading.Lock()
        self._strips: OrderedDict[tuple[str, str, str], list[bytes]] = OrderedDict()
        self._strips_lock = threading.Lock()
        self._cache_size = cache_size

    def _loop(self, stream_key: str, tier: str) -> _Loop:
        scene = zlib.crc32(stream_key.encode()) % SCENES
        key = (scene, tier)
        with self._loops_lock:
            loop = self._loops.get(key)
            if loop is None:
                size = MAIN_SIZE if tier == "main" else SUB_SIZE
                loop = _Loop(scene, size, strip_rows=3 if tier == "main" else 2)
                self._loops[key] = loop
            return loop

    def _strip(
        self, loop: _Loop, stream_key: str, title: str, tier: str, at: datetime
    ) -> list[bytes]:
        stamp = at.astimezone(CST).strftime("%Y-%m-%d %H:%M:%S")
        key = (stream_key, tier, stamp)
        with self._strips_lock:
            rows = self._strips.get(key)
            if rows is not None:
                return rows
        w = loop.size[0]
        h = loop.strip_rows * MCU
        image = Image.new("RGB", (w, h), (12, 16, 24))
        d = ImageDraw.Draw(image)
        font, cjk = _font(int(h * 0.6))
        label = title if cjk else stream_key
        d.text((8, h * 0.15), stamp, fill=(255, 255, 255), font=font)
        d.text((int(w * 0.42), h * 0.15), label, fill=(255, 230, 120), font=font)
        _, rows = _split(_encode(image))
        rows = rows[: loop.strip_rows]
        with self._strips_lock:
            self._strips[key] = rows
            while len(self._strips) > self._cache_size:
                self._strips.popitem(last=False)
        return rows

    def frame(
        self,
        stream_key: str,
        title: str,
        tier: str,
        at: datetime | None = None,
        index: int | None = None,
    ) -> bytes:
        at = at or self._clock()
        loop = self._loop(stream_key, tier)
        if index is None:
            index = int(at.timestamp() * self.fps) % LOOP_FRAMES
        header, rows = loop.frames[index % LOOP_FRAMES]
        strip = self._strip(loop, stream_key, title, tier, at)
        return _join(header, strip + rows[len(strip) :])

    def part(self, jpeg: bytes) -> bytes:
        return (
            f"--{self.boundary}\r\nContent-Type: image/jpeg\r\nContent-Length: {len(jpeg)}\r\n\r\n".encode()
            + jpeg
            + b"\r\n"
        )

    def stream(
        self,
        stream_key: str,
        title: str,
        tier: str,
        write: Callable[[bytes], None],
        stop: threading.Event,
        *,
        max_frames: int | None = None,
    ) -> int:
        period = 1.0 / self.fps
        start = time.monotonic()
        sent = 0
        while not stop.is_set() and (max_frames is None or sent < max_frames):
            try:
                write(self.part(self.frame(stream_key, title, tier, index=sent)))
            except OSError:
                break  # the viewer went away
            sent += 1
            delay = start + sent * period - time.monotonic()
            if delay > 0 and stop.wait(delay):
                break
        return sent
