"""`commandcenter sync --once`: one pass of every feed into the store, then a JSON summary."""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from datetime import UTC, datetime

from commandcenter.cli.common import (
    EXIT_CONFIG,
    EXIT_FEEDS_FAILED,
    EXIT_OK,
    open_for,
)
from commandcenter.domain.backoff import Backoff


def cmd_sync(args: argparse.Namespace) -> int:
    t0 = time.monotonic()  # the time limit counts opening the store and the data center too
    started = datetime.now(UTC)
    runtime = open_for(args, with_feeds=True)
    try:
        outcome = sync_once(runtime, timeout_s=args.timeout - (time.monotonic() - t0))
        summary = sync_summary(
            runtime, outcome, started, time.monotonic() - t0, timeout_s=args.timeout
        )
    finally:
        runtime.close()
    json.dump(summary, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    sys.stdout.flush()
    if summary["ok"]:
        return EXIT_OK
    print(f"commandcenter: {summary['problem']}", file=sys.stderr)
    return EXIT_CONFIG if summary.get("credentialsRefused") else EXIT_FEEDS_FAILED


# A feed still polling this long after the time limit (stuck where no timeout
# reaches, such as a name lookup) is left behind: the summary is due.
SYNC_OVERRUN_S = 3.0
# Between rounds of the feeds that failed: 0.5 s, 1 s, 2 s … at most 5 s.
ROUND_BACKOFF = Backoff(first_s=0.5, cap_s=5.0)


def sync_once(runtime, *, timeout_s: float) -> dict[str, dict]:
    """Poll every feed until each has had one successful poll or time runs out.

    `timeout_s` is a deadline for the whole run: no request or retry starts after it
    and one in flight is cut off there. Failed feeds are polled again, honouring
    Retry-After and backing off a little, unless retrying cannot help: refused
    credentials or a data center that cannot be connected to stop every feed (the
    client gives up), a 4xx stops its own feed."""
    from commandcenter.feeds.errors import DataCenterError, worth_retrying

    def retry_may_help(failure: Exception | None) -> bool:
        # anything but the data center (the local store failing, a bug) may pass next round
        return not isinstance(failure, DataCenterError) or worth_retrying(failure)

    runner = runtime.runner
    client = runtime.client
    deadline = time.monotonic() + timeout_s
    if client is not None:
        client.give_up_by(deadline)
    attempts: dict[str, int] = {name: 0 for name in runner.coordinators}
    durations: dict[str, float] = {name: 0.0 for name in runner.coordinators}
    pending = list(runner.coordinators.values())
    left_running: set[str] = set()
    rounds = 0
    while pending:
        left_running = _poll_round(pending, attempts, durations, deadline + SYNC_OVERRUN_S)
        pending = [
            c
            for c in pending
            if not c.status.last_update_success
            and c.name not in left_running
            and retry_may_help(c.last_failure)
        ]
        if not pending or left_running or (client is not None and client.gave_up):
            break
        rounds += 1
        wait = ROUND_BACKOFF.delay(rounds)
        # the feeds' own schedules are for polling forever; only a Retry-After holds here
        held_until = [c.not_before for c in pending]
        if client is not None:
            held_until.append(client.gate.until)
        wait = max([wait] + [until - time.monotonic() for until in held_until])
        if time.monotonic() + wait >= deadline:
            break
        runtime.stop_event.wait(wait)
    return {
        name: {
            "attempts": attempts[name],
            "duration_s": round(durations[name], 3),
            "still_running": name in left_running,
        }
        for name in runner.coordinators
    }


def _poll_round(coordinators, attempts, durations, give_up_at: float) -> set[str]:
    """Poll each coordinator once, three at a time; returns the names of those still
    polling at `give_up_at`. Daemon threads: one stuck past every timeout must not
    keep the process from printing its summary and ending."""
    work = list(coordinators)
    lock = threading.Lock()
    running: set[str] = set()

    def worker() -> None:
        while True:
            with lock:
                if not work:
                    return
                coordinator = work.pop(0)
                running.add(coordinator.name)
            t = time.monotonic()
            try:
                coordinator.refresh()
            finally:
                with lock:
                    durations[coordinator.name] += time.monotonic() - t
                    attempts[coordinator.name] += 1
                    running.discard(coordinator.name)

    threads = [
        threading.Thread(target=worker, name=f"sync-{n}", daemon=True)
        for n in range(min(3, len(work)))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(0.0, give_up_at - time.monotonic()))
    with lock:
        work.clear()  # nothing more starts
        return set(running)


def sync_summary(
    runtime,
    outcome: dict[str, dict],
    started: datetime,
    wall_s: float,
    *,
    timeout_s: float | None = None,
) -> dict:
    from commandcenter.feeds.errors import AuthError
    from commandcenter.feeds.fields import SHORTENED
    from commandcenter.store.engine import store_failure

    store = runtime.store
    store_problem: str | None = None

    def read(what, default):
        nonlocal store_problem
        try:
            return what()
        except Exception as exc:
            problem = store_failure(exc)
            if problem is None:
                raise
            store_problem = store_problem or f"the local store could not be read: {problem}"
            return default

    feeds = {}
    all_ok = True
    for name, coordinator in runtime.runner.coordinators.items():
        status = coordinator.status
        running = outcome[name]["still_running"]
        ok = bool(status.last_update_success) and not running
        all_ok &= ok
        quarantined = [
            {"recordId": q.record_id, "reason": q.reason}
            for q in read(lambda n=name: store.rejections(feed=n), [])
            if q.last_seen >= started
        ]
        rejected = [q for q in quarantined if not q["reason"].startswith(SHORTENED)]
        shortened = [q for q in quarantined if q["reason"].startswith(SHORTENED)]
        samples = [
            s
            for s in read(lambda n=name: store.feed_health(n, limit=1000), [])
            if s.started_at >= started
        ]
        error = status.last_error
        if running:
            error = "still polling when the time limit ran out; left behind"
        feeds[name] = {
            "ok": ok,
            "attempts": outcome[name]["attempts"],
            "records": sum(s.records_in for s in samples if s.up),
            "rejected": len(rejected),
            "rejections": rejected,
            "shortened": shortened,
            "durationSeconds": outcome[name]["duration_s"],
            "error": None if ok else error,
        }
    stored = read(store.counts, None)
    gave_up = runtime.client.gave_up if runtime.client is not None else None
    summary = {
        "ok": all_ok and store_problem is None,
        "datacenter": runtime.datacenter_label,
        "store": store.url_for_display,
        "wallSeconds": round(wall_s, 3),
        "feeds": feeds,
        "stored": stored,
        "problem": None,
    }
    if not summary["ok"]:
        timed_out = runtime.client is not None and runtime.client.time_limit_passed
        summary["problem"] = _sync_problem(
            feeds, gave_up, store_problem, timeout_s if timed_out else None
        )
        if isinstance(gave_up, AuthError):
            summary["credentialsRefused"] = True
    return summary


def _sync_problem(
    feeds: dict, gave_up, store_problem: str | None, ran_out_after: float | None
) -> str:
    """Why the sync failed, in one line."""
    if gave_up is not None:
        return str(gave_up)
    failed = [feed["error"] for feed in feeds.values() if not feed["ok"]]
    if not failed:
        return store_problem or "the sync failed"
    counted = f"{len(failed)} of {len(feeds)} feeds not synced"
    if ran_out_after is not None:
        return f"the time limit of {ran_out_after:g} s ran out with {counted} ({failed[0]})"
    return f"{counted} ({failed[0]})"
