"""`commandcenter collect` and `run --headless`: the feeds polled continuously into the store,
and the desktop started by `run`."""

from __future__ import annotations

import argparse
import logging
import sys
import threading
from datetime import UTC, datetime

from commandcenter import __version__
from commandcenter.cli.common import (
    EXIT_CONFIG,
    EXIT_FEEDS_FAILED,
    EXIT_OK,
    config_of,
    open_for,
    until_interrupted,
)
from commandcenter.domain import bureau_time

log = logging.getLogger("commandcenter")


def cmd_collect(args: argparse.Namespace) -> int:
    if args.report:
        from commandcenter.collector.child import serve_desktop_over_stdio

        return serve_desktop_over_stdio()
    runtime = open_for(args, with_feeds=True)
    log.warning(
        "collecting from %s into %s", runtime.datacenter_label, runtime.store.url_for_display
    )
    try:
        runtime.start()
        until_interrupted(runtime.stop_event)
    finally:
        runtime.close()
    return EXIT_OK


def cmd_run(args: argparse.Namespace) -> int:
    """The client: the operator console, or with --headless the feeds and a status
    line (what the store holds and how fresh each feed is)."""
    if not getattr(args, "headless", False):
        from commandcenter.app import NoDisplay, run_desktop
        from commandcenter.ui.shell.desktop import AlreadyRunning

        try:
            return run_desktop(
                config_of(args),
                scale=getattr(args, "scale", "city"),
                language=getattr(args, "lang", None),
                theme=getattr(args, "theme", None),
                wall=getattr(args, "wall", False),
                role=getattr(args, "role", None),
                new_instance=getattr(args, "new_instance", False),
            )
        except NoDisplay as exc:
            print(f"commandcenter: {exc}", file=sys.stderr)
            return EXIT_CONFIG
        except AlreadyRunning as exc:
            print(f"commandcenter: {exc}", file=sys.stderr)
            return EXIT_OK if exc.answered else EXIT_FEEDS_FAILED
    runtime = open_for(args, with_feeds=True, scale=getattr(args, "scale", "city"))
    print(f"commandcenter {__version__}: 数据中心 {runtime.datacenter_label}", flush=True)
    print(f"store: {runtime.store.url_for_display}  (Ctrl-C to stop)", flush=True)
    status_every = getattr(args, "status_every", 10.0)
    printer_stop = threading.Event()

    def print_status() -> None:
        while not printer_stop.wait(status_every):
            print(status_line(runtime), flush=True)

    printer = threading.Thread(target=print_status, name="status-line", daemon=True)
    try:
        runtime.start()
        printer.start()
        until_interrupted(runtime.stop_event)
    finally:
        printer_stop.set()
        runtime.close()
    return EXIT_OK


def status_line(runtime) -> str:
    from commandcenter.domain.freshness import FRESHNESS_LABELS
    from commandcenter.feeds.catalog import FEED_LABELS

    counts = runtime.store.counts()
    now = datetime.now(UTC)
    lamps = []
    for name, coordinator in runtime.runner.coordinators.items():
        reading = coordinator.status.freshness(now)
        lamps.append(f"{FEED_LABELS.get(name, name)}:{FRESHNESS_LABELS[reading.state]}")
    summary = runtime.store.latest_dashboard_summary()
    points = summary.points if summary else {}
    return (
        f"{bureau_time.bureau_text(now, '%H:%M:%S')} 点位 {counts.get('service_points', 0)} "
        f"(在线 {points.get('online', '?')} 离线 {points.get('offline', '?')} 告警 {points.get('alarm', '?')}) "
        f"视频 {counts.get('cameras', 0)} 告警记录 {counts.get('alerts', 0)} "
        f"统计行 {counts.get('case_stats', 0)} 隔离 {counts.get('quarantine', 0)} | "
        + " ".join(lamps)
    )
