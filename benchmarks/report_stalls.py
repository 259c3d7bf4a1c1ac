"""The window while a report is written: how long the GUI thread's event loop stalls
when the daily report and the statistics export run as jobs (ui/workers/jobs.py, as the
panel runs them) against the same work done on the GUI thread.

A timer asks the event loop for a tick every 10 ms; a stall is the time between two
ticks. The store holds 36 days of hourly figures for every county and three categories.

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python benchmarks/report_stalls.py [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

TICK_MS = 10


def seed(store) -> None:
    from commandcenter.domain.geography import COUNTIES
    from commandcenter.domain.records import CaseStat

    rng = random.Random(5)
    hour = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    store.upsert_case_stats(
        [
            CaseStat(
                hour - timedelta(hours=h),
                county.code,
                category,
                "hour",
                rng.randint(0, 25),
                rng.randint(0, 25),
                rng.randint(50, 150),
                1,
            )
            for h in range(36 * 24)
            for county in COUNTIES
            for category in ("mediation", "legal_aid", "hotline_12348")
        ]
    )


class Ticks:
    """The gaps between a 10 ms timer's ticks while something runs."""

    def __init__(self):
        from PySide6.QtCore import QTimer

        self.gaps: list[float] = []
        self._last = None
        self.timer = QTimer()
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        if self._last is not None:
            self.gaps.append((now - self._last) * 1000)
        self._last = now

    def start(self) -> None:
        self.gaps, self._last = [], time.perf_counter()
        self.timer.start()

    def stop(self) -> list[float]:
        self.timer.stop()
        return self.gaps


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from PySide6.QtCore import QEventLoop, QTimer

    from commandcenter.config import Config
    from commandcenter.store import Store
    from commandcenter.ui.statistics.daily_report import daily_report_job
    from commandcenter.ui.statistics.panel import StatisticsPanel
    from commandcenter.ui.widgets.panel import Console
    from commandcenter.ui.workers.bridge import BackgroundReader, StoreBridge
    from commandcenter.ui.workers.jobs import Job, run_inline

    app = make_app(Config)
    tmp = Path(tempfile.mkdtemp(prefix="report-stalls-"))
    store = Store(f"sqlite:///{tmp / 'store.db'}")
    seed(store)
    console = Console(store, StoreBridge(store), BackgroundReader())
    panel = StatisticsPanel(console)
    panel.resize(1400, 520)
    panel.show()
    deadline = time.monotonic() + 30
    while panel._trend is None and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    ticks = Ticks()

    def inline(make) -> tuple[float, list[float]]:
        ticks.start()
        app.processEvents()
        t0 = time.perf_counter()
        run_inline(make())
        took = time.perf_counter() - t0
        app.processEvents()  # the tick that waited behind the work
        return took, ticks.stop()

    def as_job(make) -> tuple[float, list[float]]:
        loop = QEventLoop()
        job = Job(make())
        job.ended.connect(loop.quit)
        ticks.start()
        t0 = time.perf_counter()
        job.start()
        QTimer.singleShot(120_000, loop.quit)
        loop.exec()
        took = time.perf_counter() - t0
        assert job.outcome == "succeeded", job.error
        return took, ticks.stop()

    works = {
        "daily_report": lambda n: lambda: daily_report_job(tmp / f"report-{n}.pdf", console),
        "statistics_export": lambda n: lambda: panel.export_job(tmp / f"export-{n}"),
    }
    inline(works["daily_report"]("warm"))  # the report font is made once, the first time
    figures: dict[str, float] = {}
    for name, work in works.items():
        for how, run in (("gui_thread", inline), ("job", as_job)):
            durations, worst = [], []
            for n in range(args.runs):
                took, gaps = run(work(f"{how}-{n}"))
                durations.append(took)
                worst.append(max(gaps, default=took * 1000))
            figures[f"{name}_{how}_s"] = round(statistics.median(durations), 3)
            figures[f"{name}_{how}_longest_stall_ms"] = round(statistics.median(worst), 1)
            print(
                f"{name:18} {how:10}: {statistics.median(durations):6.2f} s, "
                f"longest event-loop stall {statistics.median(worst):7.1f} ms (median of {args.runs})",
                flush=True,
            )
        figures[f"{name}_stall_ratio"] = round(
            figures[f"{name}_gui_thread_longest_stall_ms"]
            / max(1.0, figures[f"{name}_job_longest_stall_ms"]),
            1,
        )
        print(
            f"{name:18} longest stall on the GUI thread / as a job: "
            f"{figures[f'{name}_stall_ratio']}×",
            flush=True,
        )
    console.reader.close(5000)
    console.alert_reader.close(5000)
    console.snapshots.close()
    store.close()
    print(json.dumps(figures))


def make_app(config_type):
    from commandcenter.app import make_application

    return make_application(config_type(), language="zh_CN", theme="dark")


if __name__ == "__main__":
    main()
