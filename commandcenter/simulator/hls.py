"""HLS streams of the simulated cameras: a live playlist of one-second H.264 segments.

The scene's two-second motion loop (video.py) is encoded once per scene and tier with
x264 (PyAV's FFmpeg), two segments of 25 frames, each starting with a key frame. The
live stream is those two segments repeated: segment n is loop segment n % 2 muxed into
MPEG-TS with its timestamps moved to n seconds, so a player sees one continuous live
stream whose playlist slides with the clock. Muxing a segment only copies packets; the
last few are cached.
"""

from __future__ import annotations

import io
import threading
import time
import zlib
from collections import OrderedDict
from fractions import Fraction

from commandcenter.simulator.video import LOOP_FRAMES, MAIN_SIZE, SCENES, SUB_SIZE, draw_scene

FPS = 25
SEGMENT_FRAMES = 25  # one second
LOOP_SEGMENTS = LOOP_FRAMES // SEGMENT_FRAMES
PLAYLIST_SEGMENTS = 4
CONTENT_TYPE_PLAYLIST = "application/vnd.apple.mpegurl"
CONTENT_TYPE_SEGMENT = "video/mp2t"


class HlsVideo:
    def __init__(self, *, clock=time.time, cache_size: int = 32):
        self._clock = clock
        self._epoch = int(clock())  # segment numbers count from here: MPEG-TS times wrap at 26 h
        self._encoded: dict[
            tuple[int, str], tuple[object, list[list]]
        ] = {}  # (scene, tier) -> (codec context, packets per segment)
        self._encode_lock = threading.Lock()
        self._segments: OrderedDict[tuple[int, str, int], bytes] = OrderedDict()
        self._segments_lock = threading.Lock()
        self._cache_size = cache_size

    @staticmethod
    def scene_of(stream_key: str) -> int:
        return zlib.crc32(stream_key.encode()) % SCENES  # the same scene as the camera's MJPEG

    def live_index(self) -> int:
        """The newest complete segment's number: one per second of the clock."""
        return int(self._clock()) - self._epoch + PLAYLIST_SEGMENTS

    def playlist(self, stream_key: str, segment_url) -> str:
        """The live playlist: the last few segments; `segment_url(n)` names segment n."""
        last = self.live_index()
        first = last - PLAYLIST_SEGMENTS + 1
        lines = [
            "#EXTM3U",
            "#EXT-X-VERSION:3",
            "#EXT-X-TARGETDURATION:1",
            f"#EXT-X-MEDIA-SEQUENCE:{first}",
        ]
        for n in range(first, last + 1):
            lines += [f"#EXTINF:{SEGMENT_FRAMES / FPS:.3f},", segment_url(n)]
        return "\n".join(lines) + "\n"

    def segment(self, stream_key: str, tier: str, n: int) -> bytes | None:
        """Segment n as MPEG-TS; None if it is not in the live window."""
        last = self.live_index()
        if not last - 2 * PLAYLIST_SEGMENTS < n <= last:
            return None
        scene = self.scene_of(stream_key)
        key = (scene, tier, n)
        with self._segments_lock:
            data = self._segments.get(key)
        if data is None:
            data = self._mux(scene, tier, n)
            with self._segments_lock:
                self._segments[key] = data
                while len(self._segments) > self._cache_size:
                    self._segments.popitem(last=False)
        return data

    def _loop_packets(self, scene: int, tier: str):
        import av

        with self._encode_lock:
            done = self._encoded.get((scene, tier))
            if done is not None:
                return done
            width, height = MAIN_SIZE if tier == "main" else SUB_SIZE
            encoder = av.CodecContext.create("libx264", "w")
            encoder.width, encoder.height, encoder.pix_fmt = width, height, "yuv420p"
            encoder.time_base = Fraction(1, FPS)
            encoder.framerate = Fraction(FPS, 1)
            encoder.gop_size = SEGMENT_FRAMES
            encoder.options = {
                "preset": "ultrafast",
                "tune": "zerolatency",
                "bf": "0",
                "x264-params": f"keyint={SEGMENT_FRAMES}:min-keyint={SEGMENT_FRAMES}:scenecut=0",
            }
            packets: list = []
            for n in range(LOOP_FRAMES):
                frame = av.VideoFrame.from_image(draw_scene(scene, (width, height), n)).reformat(
                    format="yuv420p"
                )
                frame.pts = n
                packets.extend(encoder.encode(frame))
            packets.extend(encoder.encode(None))
            per_segment = [
                [p for p in packets if p.pts // SEGMENT_FRAMES == s] for s in range(LOOP_SEGMENTS)
            ]
            self._encoded[(scene, tier)] = (encoder, per_segment)
            return self._encoded[(scene, tier)]

    def _mux(self, scene: int, tier: str, n: int) -> bytes:
        import av

        encoder, per_segment = self._loop_packets(scene, tier)
        out = io.BytesIO()
        with av.open(out, "w", format="mpegts") as container:
            stream = container.add_stream("h264", rate=FPS)
            stream.width, stream.height = encoder.width, encoder.height
            stream.time_base = Fraction(1, 90_000)
            if encoder.extradata:
                stream.codec_context.extradata = encoder.extradata
            shift = (
                n * SEGMENT_FRAMES - (n % LOOP_SEGMENTS) * SEGMENT_FRAMES
            )  # loop frames -> live frames
            for packet in per_segment[n % LOOP_SEGMENTS]:
                copy = av.Packet(bytes(packet))
                copy.pts = (packet.pts + shift) * 90_000 // FPS
                copy.dts = (packet.dts + shift) * 90_000 // FPS
                copy.time_base = stream.time_base
                copy.is_keyframe = packet.is_keyframe
                copy.stream = stream
                container.mux(copy)
        return out.getvalue()
