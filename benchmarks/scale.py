"""Province scale on one shared PostgreSQL store: a data center of about 30,000
service points whose clock runs `--speed` times as fast, one collector process
(`commandcenter collect`) polling it into PostgreSQL, and `--desks` desk processes
reading the shared store as the alert list and the feed lamps do, told of changes by
LISTEN/NOTIFY.

    .venv/bin/python benchmarks/scale.py [--desks 8] [--alerts 40] [--minutes 10] [--speed 144]

The desks here are headless: each is a process with its own store connection that,
on every change notice of the alerts, reads what the alert list reads (every open
alert and the 500 latest closed, through the window's own snapshot of them, which
reads only the alerts the notice names) and notes when each new alert appears, and reads the
feeds' poll history once a second as a window's lamps do. (Eight full
windows with their map and wall do not fit beside the rest on a two-core machine.)

Figures:
- change to desk: from an alert made in the data center to its row read at each desk
  (p50, p95, max; the alerts feed polls every second), and the spread between the
  first and the last desk per alert;
- the feeds' status as each desk reads it once a second for its lamps (p50, p95);
- the collector's CPU while the city changes, in % of one core;
- PostgreSQL's growth per day of the city's data (`pg_database_size`), after the
  first full sync;
- a change notice: from a write through one store connection to its notice heard by
  another (LISTEN/NOTIFY; p50, p95, max);
- failover: a second collector stands by from the start; after the measurement the
  leader is killed, and the standby's first poll of the alerts is timed from the kill,
  also in alerts poll intervals (target: within two).

Ends with one line of JSON holding every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from support import REPO, percentile, start_datacenter, tree_cpu_seconds  # beside this script

ALERTS_INTERVAL_S = 1.0
FAST = (
    f"[feeds.intervals]\nalerts = {ALERTS_INTERVAL_S:g}\nservice_points = 5\ndashboard = 5\n"
    "cameras = 30\nstats_hour = 10\n"
)


def notice_latencies(pg_url: str, samples: int = 30) -> list[float]:
    """Seconds from a write through one store to its notice heard through another."""
    from datetime import UTC, datetime

    from commandcenter.store import Store
    from tests.test_store import alert

    writer, reader = Store(pg_url), Store(pg_url)
    heard: dict[str, float] = {}
    arrived = threading.Event()

    def hear(event) -> None:
        if event.kind == "alerts" and event.elsewhere:
            for key in event.keys or ():
                heard[key] = time.monotonic()
            arrived.set()

    reader.subscribe(hear)
    listener = reader.listen_for_changes()
    if not listener.connected.wait(30):
        raise SystemExit("the store's listener did not connect")
    took = []
    try:
        for n in range(samples):
            alert_id = f"AL-NOTICE-{n}"
            now = datetime.now(UTC)
            arrived.clear()
            written = time.monotonic()
            writer.upsert_alerts([alert(alert_id=alert_id, at=now, occurred_at=now)])
            deadline = written + 10
            while alert_id not in heard and time.monotonic() < deadline:
                arrived.wait(0.5)
                arrived.clear()
            if alert_id not in heard:
                raise SystemExit(f"the notice of {alert_id} was not heard within 10 s")
            took.append(heard[alert_id] - written)
    finally:
        writer.close()
        reader.close()
    return took


def failover(leader: subprocess.Popen, standby: subprocess.Popen, scalar) -> float:
    """Kill the leading collector; seconds until the standby's first poll of the alerts
    (one that started after the kill, as the poll itself records)."""
    import signal
    from datetime import UTC, datetime

    if standby.poll() is not None:
        raise SystemExit("the standby collector exited")
    killed_at = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")  # stored naive UTC
    killed = time.monotonic()
    leader.send_signal(signal.SIGKILL)
    leader.wait(10)
    while time.monotonic() - killed < 60:
        if scalar(
            f"SELECT count(*) FROM feed_health WHERE feed = 'alerts' AND started_at > '{killed_at}'"
        ):
            return time.monotonic() - killed
        time.sleep(0.02)
    raise SystemExit("the standby did not poll within a minute of the leader's end")


def desk(url: str) -> None:
    """One desk: hear the changes, read the alert list, say when each alert appears;
    and, as a window on a shared store does, read the feeds' status once a second."""
    from commandcenter.feeds.catalog import DEFAULT_INTERVALS
    from commandcenter.feeds.mirrors import StoredFeeds
    from commandcenter.store import Store
    from commandcenter.store.snapshots import AlertSnapshot

    store = Store(url)
    alert_list = AlertSnapshot(store)
    listener = store.listen_for_changes()
    wake = threading.Event()
    store.subscribe(lambda event: event.kind == "alerts" and wake.set())
    known: set[str] = set()
    first = True
    while not listener.connected.wait(0.1):
        pass
    saying = threading.Lock()  # two threads write lines to the pipe

    def say(message: dict) -> None:
        with saying:
            print(json.dumps(message), flush=True)

    say({"ready": True})

    def read_feed_status() -> None:
        feeds, took = StoredFeeds(store, DEFAULT_INTERVALS), []
        while True:
            started = time.perf_counter()
            feeds.apply(feeds.read())
            took.append(time.perf_counter() - started)
            if len(took) == 10:
                say({"feed_status_s": took})
                took = []
            time.sleep(max(0.0, 1.0 - (time.perf_counter() - started)))

    threading.Thread(target=read_feed_status, daemon=True).start()
    while True:
        wake.wait(5)
        wake.clear()
        alerts = alert_list.shown()
        now = time.time()
        fresh = [a.alert_id for a in alerts if a.alert_id not in known]
        known.update(fresh)
        if not first and fresh:
            say({"seen": fresh, "t": now})
        first = False


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--desks", type=int, default=8)
    parser.add_argument("--alerts", type=int, default=40)
    parser.add_argument(
        "--minutes", type=float, default=10.0, help="how long the city's growth is measured"
    )
    parser.add_argument(
        "--speed", type=float, default=144.0, help="the data center's clock, times real time"
    )
    parser.add_argument("--desk", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.desk:
        desk(args.desk)
        return

    sys.path.insert(0, str(REPO))
    import sqlalchemy as sa

    from commandcenter.simulator.control import SimulatorControl
    from tests.postgres import PostgresServer

    sk = secrets.token_urlsafe(24)
    root = Path(tempfile.mkdtemp(prefix="commandcenter-scale-"))
    postgres = PostgresServer(root / "cluster").start()
    processes: list[subprocess.Popen] = []
    try:
        pg_url = postgres.new_database()
        dc, url = start_datacenter("province", sk, "--speed", str(args.speed), frozen=False)
        processes.append(dc)
        (root / "fast.toml").write_text(FAST, encoding="utf-8")
        env = {**os.environ, "COMMANDCENTER_SK": sk, "XDG_CONFIG_HOME": str(root / "cfg")}
        collector = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "commandcenter",
                "collect",
                "--config",
                str(root / "fast.toml"),
                "--db",
                pg_url,
                "--datacenter",
                url,
                "--ak",
                "bench",
            ],
            cwd=REPO,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        processes.append(collector)
        engine = sa.create_engine(pg_url)
        standby: subprocess.Popen | None = None  # started once the first leads

        def scalar(sql: str):
            with engine.connect() as conn:
                return conn.execute(sa.text(sql)).scalar()

        started = time.monotonic()
        print("first sync of the province…", flush=True)
        while True:
            time.sleep(2)
            try:
                points = scalar("SELECT count(*) FROM service_points")
                # the week of alerts is read a few pages a poll; a poll that leaves nothing behind
                # reads fewer than a page's worth (the city keeps raising new ones meanwhile)
                caught_up = scalar(
                    "SELECT count(*) FROM feed_health WHERE feed = 'alerts' AND up "
                    "AND records_in < 1000"
                )
            except sa.exc.SQLAlchemyError:
                continue  # the collector is still creating the tables
            if points > 25_000 and caught_up >= 3:
                break
            if time.monotonic() - started > 900:
                raise SystemExit("the first sync did not finish within 15 minutes")
        sync_s = time.monotonic() - started
        print(f"synced {points:,} points in {sync_s:.0f} s", flush=True)
        standby = subprocess.Popen(
            collector.args, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        processes.append(standby)

        desks = []
        seen: dict[str, list[float]] = {}
        feed_status_reads: list[float] = []  # seconds, every desk's once-a-second read
        lock = threading.Lock()

        measuring = threading.Event()  # feed-status reads count from here on

        def read(proc: subprocess.Popen) -> None:
            for line in proc.stdout:
                message = json.loads(line)
                if "seen" in message:
                    with lock:
                        for alert_id in message["seen"]:
                            seen.setdefault(alert_id, []).append(message["t"])
                elif "feed_status_s" in message and measuring.is_set():
                    with lock:
                        feed_status_reads.extend(message["feed_status_s"])

        for _ in range(args.desks):
            proc = subprocess.Popen(
                [sys.executable, __file__, "--desk", pg_url],
                cwd=REPO,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
            )
            processes.append(proc)
            assert json.loads(proc.stdout.readline()).get("ready")
            threading.Thread(target=read, args=(proc,), daemon=True).start()
            desks.append(proc)

        measuring.set()
        size_start = scalar("SELECT pg_database_size(current_database())")
        cpu_start, wall_start = tree_cpu_seconds(collector.pid), time.monotonic()
        control = SimulatorControl(url, "bench", sk)
        rng = random.Random(5)
        point_ids = [
            r[0]
            for r in engine.connect().execute(
                sa.text("SELECT point_id FROM service_points LIMIT 500")
            )
        ]
        created: dict[str, float] = {}
        gap = args.minutes * 60 / max(1, args.alerts)
        for _ in range(args.alerts):
            time.sleep(rng.uniform(0.5, 1.5) * gap)
            raised = control.inject_alert(type="sos", severity=2, point_id=rng.choice(point_ids))
            created[raised["alertId"]] = time.time()
        time.sleep(5)  # the last alert's polls and reads
        wall_s = time.monotonic() - wall_start
        cpu_s = tree_cpu_seconds(collector.pid) - cpu_start
        size_end = scalar("SELECT pg_database_size(current_database())")
        control.close()
        notices = notice_latencies(pg_url)
        failover_s = failover(collector, standby, scalar)
        engine.dispose()

        latencies, spreads, missing = [], [], 0
        with lock:
            for alert_id, at in created.items():
                times = seen.get(alert_id, [])
                missing += args.desks - len(times)
                latencies += [t - at for t in times]
                if len(times) == args.desks:
                    spreads.append(max(times) - min(times))
        city_days = wall_s * args.speed / 86400
        figures = {
            "points": points,
            "desks": args.desks,
            "alerts": args.alerts,
            "first_sync_s": round(sync_s, 1),
            "change_to_desk_p50_s": round(statistics.median(latencies), 3),
            "change_to_desk_p95_s": round(percentile(latencies, 95), 3),
            "change_to_desk_max_s": round(max(latencies), 3),
            "desk_spread_p95_s": round(percentile(spreads, 95), 3) if spreads else None,
            "desk_spread_max_s": round(max(spreads), 3) if spreads else None,
            "desk_readings_missing": missing,
            "feed_status_read_p50_ms": round(1000 * statistics.median(feed_status_reads), 1),
            "feed_status_read_p95_ms": round(1000 * percentile(feed_status_reads, 95), 1),
            "feed_status_reads": len(feed_status_reads),
            "collector_cpu_pct": round(100 * cpu_s / wall_s, 1),
            "measured_s": round(wall_s, 1),
            "city_days": round(city_days, 3),
            "postgres_mb_after_sync": round(size_start / 2**20, 1),
            "postgres_growth_mb": round((size_end - size_start) / 2**20, 1),
            "postgres_mb_per_day": round((size_end - size_start) / 2**20 / city_days, 1)
            if city_days
            else None,
            "notice_p50_s": round(statistics.median(notices), 3),
            "notice_p95_s": round(percentile(notices, 95), 3),
            "notice_max_s": round(max(notices), 3),
            "failover_s": round(failover_s, 2),
            "failover_poll_intervals": round(failover_s / ALERTS_INTERVAL_S, 2),
        }
        print(
            f"{args.desks} desks, {args.alerts} alerts: change to desk p50 {figures['change_to_desk_p50_s']} s, "
            f"p95 {figures['change_to_desk_p95_s']} s, max {figures['change_to_desk_max_s']} s; "
            f"desks within {figures['desk_spread_p95_s']} s of each other (p95; "
            f"max {figures['desk_spread_max_s']} s); "
            f"{missing} readings missing",
            flush=True,
        )
        print(
            f"feed status read by every desk once a second: p50 {figures['feed_status_read_p50_ms']} ms, "
            f"p95 {figures['feed_status_read_p95_ms']} ms ({len(feed_status_reads)} reads)",
            flush=True,
        )
        print(
            f"collector CPU {figures['collector_cpu_pct']} % of a core over {wall_s:.0f} s; PostgreSQL "
            f"{figures['postgres_mb_after_sync']} MB after the first sync, +{figures['postgres_growth_mb']} MB over "
            f"{city_days:.2f} days of the city = {figures['postgres_mb_per_day']} MB a day",
            flush=True,
        )
        print(
            f"a change notice heard by another connection: p50 {figures['notice_p50_s']} s, "
            f"p95 {figures['notice_p95_s']} s, max {figures['notice_max_s']} s; the standby "
            f"polled {figures['failover_s']} s after the leader was killed "
            f"({figures['failover_poll_intervals']} poll intervals)",
            flush=True,
        )
        print(json.dumps(figures))
    finally:
        for proc in reversed(processes):
            proc.terminate()
        for proc in processes:
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
        postgres.stop()
        import shutil

        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
