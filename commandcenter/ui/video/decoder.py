"""Decoding one camera stream with FFmpeg (PyAV), in a thread of its own.

Each picture is scaled to the tile and turned into RGB in the same pass (swscale, with
one scaler kept per stream), so the GUI thread only draws an image of the tile's size.
Converting full-size pictures on the GUI thread instead, as QtMultimedia's sink does,
costs more than decoding them on a machine without a GPU, and Qt's shader path for it
(through a software OpenGL) costs ten times more again. FFmpeg decodes, PyAV releases
the interpreter while it does, and the thread holds the connection only while it runs.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import av
from av.video.reformatter import Interpolation, VideoReformatter
from PySide6.QtGui import QImage

log = logging.getLogger(__name__)

# Socket timeout for opening and for every read: a silent stream ends the reader after it.
IO_TIMEOUT_S = 5.0
# Corrupt packets in a row before the stream counts as broken (a few are normal after loss).
MAX_BAD_PACKETS = 50


def stream_options(url: str) -> dict[str, str]:
    """FFmpeg options for a live camera stream: no buffering, a small probe (the default
    reads ~5 MB and seconds of video before the first picture), RTSP over TCP (UDP
    through an intranet's firewalls and NAT loses packets and smears pictures).

    The timeouts are FFmpeg's own socket timeouts (microseconds), not PyAV's `timeout`
    argument: PyAV checks that one in a callback FFmpeg calls on every read, and the
    callback takes the interpreter lock, so 36 streams made thousands of lock handovers
    a second and the wall lost a fifth of its frames to them."""
    micros = str(int(IO_TIMEOUT_S * 1_000_000))
    options = {
        "fflags": "nobuffer",
        "flags": "low_delay",
        "probesize": "65536",
        "analyzeduration": "200000",
        "timeout": micros,
        "rw_timeout": micros,
    }
    if url.lower().startswith("rtsp://"):
        options["rtsp_transport"] = "tcp"
    if is_hls(url):
        options["live_start_index"] = (
            "-3"  # two segments in hand: a late playlist reload does not freeze the tile
        )
    return options


def is_hls(url: str) -> bool:
    return urlsplit(url).path.lower().endswith(".m3u8")


class Pacer:
    """Shows a stream's pictures at their own pace. RTSP and MJPEG arrive as they are
    filmed; HLS arrives a segment at a time, and shown as it arrives a second of video
    would flash by in a burst and then freeze. Pictures wait for their timestamp against
    the clock; a stream that falls more than `max_late_s` behind starts over from now."""

    def __init__(self, max_late_s: float = 1.0):
        self.max_late_s = max_late_s
        self._origin: tuple[float, float] | None = (
            None  # (clock, stream time) of the reference picture
        )

    def delay(self, stream_time: float | None, now: float) -> float:
        """Seconds to wait before showing a picture of this stream time."""
        if stream_time is None:
            return 0.0
        if self._origin is None:
            self._origin = (now, stream_time)
            return 0.0
        due = self._origin[0] + (stream_time - self._origin[1])
        if due < now - self.max_late_s or due > now + self.max_late_s * 5:
            self._origin = (now, stream_time)  # behind, or the timestamps jumped: start over
            return 0.0
        return max(0.0, due - now)


def fit(width: int, height: int, box_w: int, box_h: int) -> tuple[int, int]:
    """The picture's size inside the box, aspect kept; even sizes (swscale's 4:2:0 likes them)."""
    if width <= 0 or height <= 0 or box_w <= 0 or box_h <= 0:
        return max(2, width), max(2, height)
    scale = min(
        box_w / width, box_h / height, 1.0
    )  # never upscale here: the painter does that for free
    return max(2, int(width * scale) // 2 * 2), max(2, int(height * scale) // 2 * 2)


class StreamReader(threading.Thread):
    """`on_picture(image, width, height, frame)` for every decoded picture the screen
    wants (`wants_picture()`: it has taken the previous one), with the stream's width
    and height and `frame` the full-size picture for snapshots; `on_end(reason)` once,
    when the stream cannot be opened, breaks or ends. All three run in this thread."""

    def __init__(
        self,
        url: str,
        box: Callable[[], tuple[int, int]],
        on_picture: Callable[[QImage, int, int, object], None],
        on_end: Callable[[str], None],
        wants_picture: Callable[[], bool] = lambda: True,
    ):
        super().__init__(name="stream", daemon=True)
        self.url = url
        self._box = box
        self._wants_picture = wants_picture
        self._on_picture = on_picture
        self._on_end = on_end
        self._stopping = threading.Event()
        self.bytes_read = 0  # of the stream, for its bitrate (read by the GUI thread)

    def start_soon(self) -> None:
        """Start the thread from another one: `start()` waits until the new thread runs,
        which the GUI thread must not do for each tile a wall reshuffle reconnects."""
        _starter().put(self)

    def stop(self) -> None:
        """Returns at once; the thread ends after the packet it is reading (or the
        socket timeout, on a silent stream) and closes the connection."""
        self._stopping.set()

    def run(self) -> None:
        if self._stopping.is_set():
            return  # stopped before it started: no connection to open
        try:
            container = av.open(self.url, options=stream_options(self.url))
        except (av.FFmpegError, OSError, ValueError) as exc:
            self._end(describe(exc))
            return
        try:
            if not container.streams.video:
                self._end("the stream has no video")
                return
            stream = container.streams.video[0]
            stream.codec_context.thread_count = (
                1  # one thread a tile: 36 tiles share 2 cores evenly
            )
            self._decode(container, stream)
        except (av.FFmpegError, OSError, ValueError) as exc:
            self._end(describe(exc))
        finally:
            container.close()

    def _decode(self, container, stream) -> None:
        scaler = VideoReformatter()
        pacer = Pacer() if is_hls(self.url) else None
        packets = container.demux(stream)
        if pacer is None:
            self._decode_packets(packets, scaler, None)
            return
        # while a picture waits for its time, FFmpeg must go on fetching segments
        ahead = ReadAhead(packets, self._stopping)
        try:
            self._decode_packets(ahead, scaler, pacer)
        finally:
            ahead.close()

    def _decode_packets(self, packets, scaler, pacer) -> None:
        bad = 0
        for packet in packets:
            if self._stopping.is_set():
                return
            if packet.size == 0:
                continue  # FFmpeg's flush packet at the end
            self.bytes_read += packet.size
            try:
                frames = packet.decode()
            except av.InvalidDataError:
                bad += 1
                if bad > MAX_BAD_PACKETS:
                    self._end("the stream sends data that is no video")
                    return
                continue
            bad = 0
            for frame in frames:
                if pacer is not None:
                    wait = pacer.delay(frame.time, time.monotonic())
                    if wait > 0 and self._stopping.wait(wait):
                        return
                if not self._wants_picture():
                    # the screen has not taken the last picture yet: decode (the next
                    # pictures depend on this one) but do not convert what nobody will see
                    continue
                width, height = fit(frame.width, frame.height, *self._box())
                picture = scaler.reformat(
                    frame,
                    width=width,
                    height=height,
                    format="bgra",
                    interpolation=Interpolation.FAST_BILINEAR,
                )
                plane = picture.planes[0]
                # the image is drawn from the plane's own memory (PySide keeps the plane alive)
                image = QImage(plane, width, height, plane.line_size, QImage.Format.Format_RGB32)
                self._on_picture(image, frame.width, frame.height, frame)
        self._end("the stream ended")

    def _end(self, reason: str) -> None:
        if not self._stopping.is_set():
            self._on_end(reason)


_END = object()


_readers_to_start: queue.SimpleQueue[StreamReader] | None = None
_starter_lock = threading.Lock()


def _starter() -> queue.SimpleQueue[StreamReader]:
    """The queue of readers one daemon thread starts, made with its thread on first use."""
    global _readers_to_start
    with _starter_lock:
        if _readers_to_start is None:
            _readers_to_start = queue.SimpleQueue()

            def start_them(waiting: queue.SimpleQueue[StreamReader]) -> None:
                while True:
                    waiting.get().start()

            threading.Thread(
                target=start_them, args=(_readers_to_start,), name="stream-starter", daemon=True
            ).start()
        return _readers_to_start


class ReadAhead:
    """The packets, read by a thread of their own into a queue (compressed packets are
    small: a few seconds of them cost little); its errors come out where they are read.
    `close()` waits for that thread, so the container is never closed under its read."""

    def __init__(self, packets: Iterator, stopping: threading.Event, limit: int = 500):
        self._packets = packets
        self._reader_stopping = stopping
        self._closed = threading.Event()
        self._ahead: queue.Queue = queue.Queue(limit)
        self._thread = threading.Thread(target=self._pump, name="stream-read-ahead", daemon=True)
        self._thread.start()

    def _pump(self) -> None:
        try:
            for packet in self._packets:
                while not self._stopped():
                    try:
                        self._ahead.put(packet, timeout=0.5)
                        break
                    except queue.Full:
                        continue
                if self._stopped():
                    return
            self._ahead.put(_END)
        except BaseException as exc:  # noqa: BLE001 - handed to the reader, which reports it
            self._ahead.put(exc)

    def __iter__(self) -> Iterator:
        while True:
            try:
                item = self._ahead.get(timeout=0.5)
            except queue.Empty:
                if self._stopped():
                    return
                continue
            if item is _END:
                return
            if isinstance(item, BaseException):
                raise item
            yield item

    def _stopped(self) -> bool:
        return self._closed.is_set() or self._reader_stopping.is_set()

    def close(self) -> None:
        self._closed.set()
        self._thread.join()  # at most the socket timeout


def describe(exc: Exception) -> str:
    """FFmpeg's reason, without the URL (it carries the access token)."""
    if isinstance(exc, av.FFmpegError):
        text = exc.strerror or type(exc).__name__
        return text[0].lower() + text[1:] if text else "the stream failed"
    return str(exc) or type(exc).__name__


def picture_at_full_size(frame) -> QImage:
    """A decoded frame as an image at the stream's own size (snapshots)."""
    full = frame.reformat(format="bgra")
    plane = full.planes[0]
    return QImage(
        bytes(plane), full.width, full.height, plane.line_size, QImage.Format.Format_RGB32
    ).copy()
