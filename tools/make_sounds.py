"""Writes the alert sounds into commandcenter/data/sounds (run once; the WAV files are kept in
the repository): our own tones, so that nothing with a licence of its own is shipped.

    python tools/make_sounds.py
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 22050
OUT = Path(__file__).resolve().parents[1] / "commandcenter" / "data" / "sounds"


def tones(parts: list[tuple[float, float, float]]) -> bytes:
    """(frequency Hz or 0 for silence, seconds, loudness 0..1) → 16-bit mono samples,
    each tone faded in and out over 10 ms so that it does not click."""
    frames = []
    for frequency, seconds, loudness in parts:
        n = int(RATE * seconds)
        fade = int(RATE * 0.01)
        for i in range(n):
            envelope = min(1.0, i / fade, (n - i) / fade) if frequency else 0.0
            frames.append(
                int(32767 * loudness * envelope * math.sin(2 * math.pi * frequency * i / RATE))
            )
    return struct.pack(f"<{len(frames)}h", *frames)


def write(name: str, samples: bytes) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with wave.open(str(OUT / name), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(samples)


if __name__ == "__main__":
    # a new urgent alert: two falling tones
    write("alert.wav", tones([(880, 0.18, 0.5), (0, 0.06, 0), (660, 0.28, 0.5)]))
    # an unacknowledged critical alert past its time: three rising tones, louder, twice
    write(
        "alert-escalated.wav",
        tones(
            [
                (880, 0.12, 0.9),
                (0, 0.04, 0),
                (1100, 0.12, 0.9),
                (0, 0.04, 0),
                (1320, 0.2, 0.9),
                (0, 0.25, 0),
            ]
            * 2
        ),
    )
    print(f"written to {OUT}")
