"""Is the GUI thread ever blocked? The console runs while a full sync is in
progress; a 10 ms timer on the GUI thread records how late each tick fires.

    xvfb-run -a .venv/bin/python benchmarks/ui_stalls.py [--scale province] [--seconds 40]

Targets: stall p99 < 50 ms, max < 200 ms. (Start-up: benchmarks/startup.py.)
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time

TARGET_P99_MS = 50.0
TARGET_MAX_MS = 200.0
PROBE_MS = 10


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", choices=["city", "province"], default="province")
    parser.add_argument("--seconds", type=float, default=40.0)
    args = parser.parse_args()

    from PySide6.QtCore import QElapsedTimer, QSettings, QTimer

    from commandcenter.app import make_application
    from commandcenter.config import Config
    from commandcenter.runtime import open_desktop_runtime
    from commandcenter.ui.shell.window import MainWindow

    app = make_application(Config(), language="zh_CN", theme="dark")
    with tempfile.TemporaryDirectory() as tmp:
        # as the desktop runs: the embedded data center and the feeds in the collector process
        runtime = open_desktop_runtime(
            Config(db_url=f"sqlite:///{tmp}/stalls.db"), embedded_scale=args.scale
        )
        settings = QSettings(f"{tmp}/ui.ini", QSettings.Format.IniFormat)
        gaps: list[float] = []
        clock = QElapsedTimer()
        window = MainWindow(runtime, settings=settings)
        window.show()
        last = [0.0]

        def tick() -> None:
            now = clock.nsecsElapsed() / 1e6
            if last[0]:
                gaps.append(max(0.0, now - last[0] - PROBE_MS))
            last[0] = now

        probe = QTimer()
        probe.setInterval(PROBE_MS)
        probe.timeout.connect(tick)
        clock.start()
        probe.start()
        runtime.runner.start()  # the full sync runs while we watch the GUI thread
        started = time.monotonic()
        sync_done_at = None
        end = QTimer()
        end.setSingleShot(True)

        def check_sync() -> None:
            nonlocal sync_done_at
            if sync_done_at is None and all(
                c.status.last_update_success for c in runtime.runner.coordinators.values()
            ):
                sync_done_at = time.monotonic() - started

        watcher = QTimer()
        watcher.timeout.connect(check_sync)
        watcher.start(200)
        end.timeout.connect(app.quit)
        end.start(int(args.seconds * 1000))
        app.exec()
        probe.stop()
        window.close()
        points = runtime.store.counts()["service_points"]
        runtime.close()

    gaps.sort()
    p99 = gaps[int(len(gaps) * 0.99)] if gaps else 0.0
    worst = gaps[-1] if gaps else 0.0
    figures = {
        "scale": args.scale,
        "probe_ticks": len(gaps),
        "full_sync_s": round(sync_done_at, 2) if sync_done_at else None,
        "stall_p99_ms": round(p99, 1),
        "stall_max_ms": round(worst, 1),
        "stall_p99_ratio_to_target": round(p99 / TARGET_P99_MS, 3),
        "stall_max_ratio_to_target": round(worst / TARGET_MAX_MS, 3),
        "points": points,
    }
    print(
        f"{args.scale}: full sync {figures['full_sync_s']} s while the console ran; "
        f"GUI stalls p99 {p99:.1f} ms (target < {TARGET_P99_MS:g}), max {worst:.1f} ms (target < {TARGET_MAX_MS:g})"
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
