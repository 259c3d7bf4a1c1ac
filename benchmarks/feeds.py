"""Feed benchmark: a full sync at city and province scale, and an incremental poll
of every feed with nothing changed.

The simulated data center runs in a separate process (`commandcenter datacenter`,
its clock frozen so that "nothing changed" is exact); each sync runs in a fresh
child process so that its CPU time and peak RSS are the client's alone.

    python benchmarks/feeds.py [--scales city,province] [--incremental-polls 20]

Targets on a 2-core machine: province full sync < 15 s wall; incremental poll
of all feeds with nothing changed < 50 ms of client CPU.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import secrets
import subprocess
import sys
import tempfile
import time

from support import REPO, start_datacenter  # beside this script

TARGET_PROVINCE_SYNC_S = 15.0
TARGET_INCREMENTAL_CPU_MS = 50.0


def child(url: str, db: str, polls: int) -> None:
    """Runs in a fresh process: one full sync, then incremental polls."""
    from commandcenter.config import Config
    from commandcenter.runtime import open_runtime

    config = Config(datacenter_url=url, ak="bench", db_url=db)
    runtime = open_runtime(config)
    coordinators = list(runtime.runner.coordinators.values())

    def cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    t0, c0 = time.perf_counter(), cpu()
    runtime.runner.run_once(parallel=True)
    full_wall, full_cpu = time.perf_counter() - t0, cpu() - c0
    failed = [c.name for c in coordinators if not c.status.last_update_success]
    counts = runtime.store.counts()
    rows = sum(
        s.records_in for c in coordinators for s in runtime.store.feed_health(c.name, limit=1)
    )
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    durations = {
        c.name: round(runtime.store.feed_health(c.name, limit=1)[0].duration_s, 2)
        for c in coordinators
    }

    incremental_cpu, incremental_wall, changed = [], [], 0
    for _ in range(polls):
        t0, c0 = time.perf_counter(), cpu()
        runtime.runner.run_once(parallel=False)
        incremental_wall.append(time.perf_counter() - t0)
        incremental_cpu.append(cpu() - c0)
        changed += sum(c.status.last_result.changed for c in coordinators if c.status.last_result)
    runtime.close()
    incremental_cpu.sort()
    incremental_wall.sort()
    print(
        json.dumps(
            {
                "full_wall_s": full_wall,
                "full_cpu_s": full_cpu,
                "peak_rss_mb": peak_rss_mb,
                "rows": rows,
                "failed_feeds": failed,
                "feed_durations_s": durations,
                "stored": counts,
                "incremental_cpu_ms_median": 1000 * incremental_cpu[len(incremental_cpu) // 2],
                "incremental_wall_ms_median": 1000 * incremental_wall[len(incremental_wall) // 2],
                "incremental_changed": changed,
            }
        )
    )


def measure(scale: str, polls: int) -> dict:
    sk = secrets.token_urlsafe(24)
    proc, url = start_datacenter(scale, sk)
    import psutil

    server = psutil.Process(proc.pid)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            before = server.cpu_times()
            db = f"sqlite:///{tmp}/bench.db"
            out = subprocess.run(
                [sys.executable, __file__, "--child", url, db, str(polls)],
                cwd=REPO,
                env={**os.environ, "COMMANDCENTER_SK": sk},
                capture_output=True,
                text=True,
                check=False,
            )
            after = server.cpu_times()
            if out.returncode != 0:
                raise SystemExit(f"sync child failed:\n{out.stderr[-3000:]}")
            result = json.loads(out.stdout.strip().splitlines()[-1])
            # the data center's CPU over the whole child run (full sync and polls)
            result["datacenter_cpu_s"] = (after.user + after.system) - (before.user + before.system)
            return result
    finally:
        proc.terminate()
        proc.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scales", default="city,province")
    parser.add_argument("--incremental-polls", type=int, default=20)
    parser.add_argument("--child", nargs=3, metavar=("URL", "DB", "POLLS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        url, db, polls = args.child
        child(url, db, int(polls))
        return

    figures: dict[str, float | int | list] = {}
    for scale in args.scales.split(","):
        r = measure(scale, args.incremental_polls)
        print(f"\n== {scale} ==")
        print(
            f"full sync: {r['full_wall_s']:.2f} s wall, {r['full_cpu_s']:.2f} s client CPU, "
            f"peak RSS {r['peak_rss_mb']:.0f} MB, {r['rows']} records "
            f"({r['rows'] / r['full_wall_s']:.0f} rows/s)"
        )
        print(f"stored: {r['stored']}")
        print(f"seconds per feed (they run three at a time): {r['feed_durations_s']}")
        print(f"simulated data center CPU during the run: {r['datacenter_cpu_s']:.2f} s")
        if r["failed_feeds"]:
            print(f"FAILED feeds: {r['failed_feeds']}")
        print(
            f"incremental poll of all feeds, nothing changed: "
            f"{r['incremental_cpu_ms_median']:.1f} ms client CPU (median), "
            f"{r['incremental_wall_ms_median']:.1f} ms wall, {r['incremental_changed']} changes seen"
        )
        figures[f"{scale}_full_sync_wall_s"] = round(r["full_wall_s"], 3)
        figures[f"{scale}_full_sync_cpu_s"] = round(r["full_cpu_s"], 3)
        figures[f"{scale}_peak_rss_mb"] = round(r["peak_rss_mb"], 1)
        figures[f"{scale}_rows"] = r["rows"]
        figures[f"{scale}_rows_per_s"] = round(r["rows"] / r["full_wall_s"])
        figures[f"{scale}_incremental_poll_cpu_ms"] = round(r["incremental_cpu_ms_median"], 2)
        figures[f"{scale}_incremental_poll_wall_ms"] = round(r["incremental_wall_ms_median"], 2)
        figures[f"{scale}_failed_feeds"] = r["failed_feeds"]
        figures[f"{scale}_datacenter_cpu_s"] = round(r["datacenter_cpu_s"], 3)
    if "province_full_sync_wall_s" in figures:
        figures["province_full_sync_target_s"] = TARGET_PROVINCE_SYNC_S
        figures["province_full_sync_ratio_to_target"] = round(
            figures["province_full_sync_wall_s"] / TARGET_PROVINCE_SYNC_S, 3
        )
        figures["incremental_poll_cpu_target_ms"] = TARGET_INCREMENTAL_CPU_MS
        figures["incremental_poll_ratio_to_target"] = round(
            figures["province_incremental_poll_cpu_ms"] / TARGET_INCREMENTAL_CPU_MS, 3
        )
    print()
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
