"""Start-up time of the desktop client over a city-scale store.

    xvfb-run -a .venv/bin/python benchmarks/startup.py [--starts 5]

A store is filled once by a full sync of the embedded data center at city scale.
Then the client is started that many times, each a fresh process doing what
`commandcenter` does (translations, theme, the embedded data center, the store, the
window); a start is timed from before the process is spawned to the moment the
window is shown with the directory, the alerts and the overview populated from the
store. Target: median < 3 s.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_S = 3.0
REPO = Path(__file__).resolve().parents[1]

CHILD = r"""
import sys, time
from PySide6.QtCore import QSettings, QTimer
from commandcenter.app import make_application
from commandcenter.config import Config
from commandcenter.runtime import open_desktop_runtime
from commandcenter.ui.shell.window import MainWindow

db, settings_file = sys.argv[1], sys.argv[2]
app = make_application(Config(), language="zh_CN", theme="dark")
runtime = open_desktop_runtime(Config(db_url=db))
points = runtime.store.counts()["service_points"]
window = MainWindow(runtime, settings=QSettings(settings_file, QSettings.Format.IniFormat))
runtime.start()
window.show()

def populated():
    p = window.panels
    return (window.isVisible() and p["directory"].model.rowCount() == points
            and p["alerts"].model.rowCount() > 0 and p["overview"].tiles["points"].value.text() != "—")

def check():
    if populated():
        print(f"POPULATED {time.time():.6f}", flush=True)
        window.close()
        app.quit()

timer = QTimer()
timer.timeout.connect(check)
timer.start(5)
QTimer.singleShot(30000, app.quit)
app.exec()
runtime.close()
"""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--starts", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{tmp}/startup.db"
        fill = subprocess.run(
            [sys.executable, "-m", "commandcenter", "sync", "--once", "--db", db],
            capture_output=True,
            text=True,
            cwd=REPO,
        )
        if fill.returncode != 0:
            sys.exit(f"could not fill the store: {fill.stderr.strip()}")
        times = []
        for n in range(args.starts):
            t0 = time.time()
            done = subprocess.run(
                [sys.executable, "-c", CHILD, db, f"{tmp}/ui-{n}.ini"],
                capture_output=True,
                text=True,
                cwd=REPO,
                env={**os.environ, "QT_LOGGING_RULES": "*.debug=false"},
            )
            line = next(
                (ln for ln in done.stdout.splitlines() if ln.startswith("POPULATED ")), None
            )
            if line is None:
                sys.exit(f"start {n + 1} never populated the window: {done.stderr.strip()[-400:]}")
            times.append(float(line.split()[1]) - t0)
            print(f"start {n + 1}: {times[-1]:.2f} s")
    median = statistics.median(times)
    figures = {
        "starts": len(times),
        "startup_median_s": round(median, 3),
        "startup_min_s": round(min(times), 3),
        "startup_max_s": round(max(times), 3),
        "startup_ratio_to_target": round(median / TARGET_S, 3),
    }
    print(
        f"window shown and populated from a city-scale store: median {median:.2f} s of {len(times)} starts "
        f"(target < {TARGET_S:g} s)"
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
