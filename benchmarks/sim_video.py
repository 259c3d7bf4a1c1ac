"""What the simulated cameras cost: 36 sub streams (640×360 MJPEG at 25 fps) served
at once by the simulated data center, read by a separate process.

    python benchmarks/sim_video.py [--streams 36] [--seconds 20]

Target: the data center spends under a third of one core on them.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import statistics
import time

import psutil
import requests

TARGET_CORES = 1 / 3


def read_stream(url: str, seconds: float, out: mp.Queue) -> None:
    """Count whole JPEG parts received for `seconds` (in the reader process)."""
    frames = 0
    started = None
    with requests.get(url, stream=True, timeout=10) as response:
        buffer = b""
        for chunk in response.iter_content(65536):
            if started is None:
                started = time.monotonic()
            buffer += chunk
            while True:
                head = buffer.find(b"Content-Length: ")
                if head < 0:
                    break
                end = buffer.find(b"\r\n\r\n", head)
                if end < 0:
                    break
                length = int(buffer[head + 16 : end])
                if len(buffer) < end + 4 + length:
                    break
                frames += 1
                buffer = buffer[end + 4 + length :]
            if time.monotonic() - started >= seconds:
                break
    out.put(frames / (time.monotonic() - started))


def reader(urls: list[str], seconds: float, out: mp.Queue) -> None:
    import threading

    threads = [threading.Thread(target=read_stream, args=(u, seconds, out)) for u in urls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--streams", type=int, default=36)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()

    from commandcenter.feeds.client import DataCenterClient
    from commandcenter.simulator.embedded import start_embedded

    datacenter = start_embedded()
    try:
        with DataCenterClient(datacenter.url, datacenter.ak, datacenter.sk) as client:
            cameras = [
                c for c in datacenter.world.cameras() if c.get("online") and c.get("hasSubStream")
            ]
            urls = [
                client.post(
                    f"/cameras/{c['cameraId']}/preview-url",
                    {"streamType": "sub", "protocol": "mjpeg"},
                ).data["url"]
                for c in cameras[: args.streams]
            ]
        me = psutil.Process()
        out: mp.Queue = mp.Queue()
        proc = mp.Process(target=reader, args=(urls, args.seconds, out))
        # warm the scene loops so the measurement is the steady state
        for c in cameras[: args.streams]:
            datacenter.server.video.frame(c["cameraId"], c["name"], "sub")
        before, t0 = me.cpu_times(), time.monotonic()
        proc.start()
        fps = [out.get(timeout=args.seconds + 60) for _ in urls]
        proc.join(30)
        after, wall = me.cpu_times(), time.monotonic() - t0
        cores = ((after.user + after.system) - (before.user + before.system)) / wall
        rss_mb = me.memory_info().rss / 2**20
    finally:
        datacenter.stop()
    figures = {
        "streams": len(fps),
        "fps_median": round(statistics.median(fps), 2),
        "fps_min": round(min(fps), 2),
        "server_cpu_cores": round(cores, 3),
        "server_rss_mb": round(rss_mb, 1),
        "target_server_cpu_cores": round(TARGET_CORES, 3),
        "ratio_to_target": round(cores / TARGET_CORES, 3),
    }
    print(
        f"{len(fps)} sub streams for {args.seconds:g} s: {figures['fps_median']} fps median, "
        f"{figures['fps_min']} fps min"
    )
    print(
        f"simulated data center: {cores:.3f} cores (target < {TARGET_CORES:.3f}), RSS {rss_mb:.0f} MB"
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
