"""`commandcenter` command line: the client, the simulated data center, and the
headless tools for operations scripts (sync, collect, export, credentials)."""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import signal
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from commandcenter import __version__
from commandcenter.config import LOG_LEVELS, ROLES, Config, ConfigError, load_config
from commandcenter.local.credentials import CredentialError
from commandcenter.resources import MissingData

log = logging.getLogger("commandcenter")

EXIT_OK = 0
EXIT_FEEDS_FAILED = 1
EXIT_USAGE = 2
EXIT_CONFIG = 3
EXIT_TAMPERED = 4  # audit verify: the chain is broken
EXIT_UNVERIFIED = 5  # audit verify: entries under a key not held here were not checked


class CommandError(Exception):
    """An expected failure: printed as one line, no traceback."""


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", type=Path, help="TOML configuration file")
    common.add_argument(
        "--datacenter", metavar="URL", help="data center base URL (else the embedded one)"
    )
    common.add_argument("--ak", help="access key (AK) for the data center")
    common.add_argument("--db", metavar="URL", help="SQLAlchemy database URL of the store")
    common.add_argument(
        "--log-level",
        type=str.upper,
        choices=LOG_LEVELS,
        help="what the log file keeps and the terminal shows "
        "(default: [logging] level, else INFO in the file and WARNING on the terminal)",
    )

    # Options of the window; SUPPRESS so that `commandcenter --lang en` and
    # `commandcenter run --lang en` both work without one clobbering the other.
    desktop = argparse.ArgumentParser(add_help=False)
    desktop.add_argument(
        "--scale",
        choices=["city", "province"],
        default=argparse.SUPPRESS,
        help="size of the embedded data center (default city)",
    )
    desktop.add_argument(
        "--lang",
        choices=["zh_CN", "en"],
        default=argparse.SUPPRESS,
        help="interface language (default: configured, else the system's if English, else Chinese)",
    )
    desktop.add_argument("--theme", choices=["dark", "light"], default=argparse.SUPPRESS)
    desktop.add_argument(
        "--role",
        choices=list(ROLES),
        default=argparse.SUPPRESS,
        help="workstation role (default: configured)",
    )
    desktop.add_argument(
        "--no-poll",
        dest="no_poll",
        action="store_true",
        default=argparse.SUPPRESS,
        help="poll nothing: read a shared PostgreSQL store that `commandcenter collect` fills",
    )
    desktop.add_argument(
        "--wall",
        action="store_true",
        default=argparse.SUPPRESS,
        help="put the chosen panels full-screen on the screens of the video wall",
    )
    desktop.add_argument(
        "--new-instance",
        dest="new_instance",
        action="store_true",
        default=argparse.SUPPRESS,
        help="open a window even when one runs for this user and store (default: raise that one)",
    )

    parser = argparse.ArgumentParser(
        prog="commandcenter",
        description="司法行政指挥中心客户端 — command-center client of the justice bureau",
        parents=[common, desktop],
    )
    parser.add_argument("--version", action="version", version=f"commandcenter {__version__}")
    parser.add_argument(
        "--diagnostics",
        action="store_true",
        help="print versions, folders, data center, store, screens and graphics for a "
        "support call (no secrets), then exit",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser("run", parents=[common, desktop], help="start the client (default)")
    run.add_argument(
        "--headless", action="store_true", help="no window: run the feeds and print a status line"
    )
    run.add_argument(
        "--status-every",
        type=float,
        default=10.0,
        metavar="S",
        help="with --headless: seconds between status lines",
    )

    dc = sub.add_parser("datacenter", parents=[common], help="run the simulated data center")
    dc.add_argument("--host", default="127.0.0.1", help="address to bind (default loopback)")
    dc.add_argument("--port", type=int, default=8443)
    dc.add_argument("--seed", type=int, default=20261124)
    dc.add_argument("--scale", choices=["city", "province"], default="city")
    dc.add_argument(
        "--dirty", action="store_true", help="mix contract-violating records into the lists"
    )
    dc.add_argument(
        "--sk-file",
        type=Path,
        help="owner-only file with the SK (else COMMANDCENTER_SK, else datacenter.sk in the "
        "user's data folder, made on first use)",
    )
    dc.add_argument("--rtsp-base-url", help="return RTSP preview URLs under this base")
    dc.add_argument(
        "--speed",
        type=float,
        default=1.0,
        metavar="N",
        help="the world's clock runs N times as fast (a soak: 48 makes a day half an hour)",
    )
    dc.add_argument(
        "--frozen",
        action="store_true",
        help="stop the world's clock at start (benchmarks: nothing changes)",
    )

    sync = sub.add_parser(
        "sync", parents=[common], help="poll every feed, then print a JSON summary"
    )
    sync.add_argument("--once", action="store_true", required=True, help="one pass of every feed")
    sync.add_argument(
        "--timeout",
        type=float,
        default=180.0,
        metavar="S",
        help="give up on feeds still failing after this many seconds",
    )

    collect = sub.add_parser(
        "collect", parents=[common], help="run the feeds continuously into the store"
    )
    # the desktop's own collector: configuration on stdin, events on stdout (collector.py)
    collect.add_argument("--report", action="store_true", help=argparse.SUPPRESS)

    export = sub.add_parser("export", parents=[common], help="export what the store holds")
    from commandcenter.exports.records import EXPORT_KINDS

    export.add_argument("kind", choices=EXPORT_KINDS)
    export.add_argument("--format", choices=["json", "csv"], default="json")
    export.add_argument("--output", "-o", type=Path, help="file to write (default stdout)")
    export.add_argument(
        "--encoding",
        help="character encoding of what is written: CSV defaults to utf-8-sig (UTF-8 with "
        "the byte-order mark Excel needs to read Chinese), JSON to utf-8; e.g. gb18030",
    )

    audit = sub.add_parser("audit", parents=[common], help="check the audit log")
    audit.add_argument(
        "action",
        choices=["verify"],
        help="verify: walk the hash chain, name the first entry broken",
    )

    cred = sub.add_parser(
        "credentials", parents=[common], help="store or remove the data center's SK"
    )
    cred.add_argument("action", choices=["set", "forget"])
    cred.add_argument(
        "--sk-file", type=Path, help="use this owner-only file instead of the OS keyring"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    command = args.command or "run"
    _start_logging(args, command)
    if args.diagnostics:
        return cmd_diagnostics(args)
    handlers = {
        "run": cmd_run,
        "datacenter": cmd_datacenter,
        "sync": cmd_sync,
        "collect": cmd_collect,
        "export": cmd_export,
        "audit": cmd_audit,
        "credentials": cmd_credentials,
    }
    from commandcenter.store import StoreError

    try:
        return handlers[command](args)
    except (ConfigError, CredentialError, StoreError) as exc:
        print(f"commandcenter: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except CommandError as exc:
        print(f"commandcenter: {exc}", file=sys.stderr)
        return EXIT_FEEDS_FAILED
    except MissingData as exc:
        print(f"commandcenter: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 130


def _config(args: argparse.Namespace):
    config = load_config(args.config)
    from commandcenter.config import _check_url

    return config.with_overrides(
        datacenter_url=_check_url(args.datacenter, "--datacenter"),
        ak=args.ak,
        db_url=args.db,
        poll=False if getattr(args, "no_poll", False) else None,
        log_level=args.log_level,
    )


# the desktop, its collector and each tool log to a file of their own: two processes
# rotating one file would lose lines
LOG_FILES = {"run": "commandcenter", "collect": "collector"}
# `sync` says each feed's failure in its summary and why it failed in one closing line:
# the feeds' running warnings go to its log file, not to the terminal a second time
TERMINAL_LEVELS = {"sync": "ERROR"}


def _start_logging(args: argparse.Namespace, command: str) -> None:
    from commandcenter.local import logs

    try:
        config = load_config(args.config)
    except ConfigError:
        config = Config()  # the command itself says what is wrong with the file
    if command == "collect" and getattr(args, "report", False):
        # the desktop's collector: its configuration (and [logging]) arrives on stdin
        config = Config()
    logs.configure(
        LOG_FILES.get(command, command),
        file_level=args.log_level or config.log_level,
        terminal_level=args.log_level or TERMINAL_LEVELS.get(command),
        folder=config.log_folder,
        max_bytes=config.log_max_bytes,
        backups=config.log_backups,
    )


def cmd_diagnostics(args: argparse.Namespace) -> int:
    from commandcenter import diagnostics

    problem = None
    try:
        config = _config(args)
    except ConfigError as exc:  # support needs the rest all the more
        config, problem = Config(), str(exc)
    print(diagnostics.report_text(diagnostics.gather(config, config_problem=problem)))
    return EXIT_OK


def _open(args, *, with_feeds: bool, scale: str = "city", read_only: bool = False):
    from sqlalchemy.exc import SQLAlchemyError

    from commandcenter.runtime import open_runtime

    config = _config(args)
    try:
        return open_runtime(
            config, with_feeds=with_feeds, embedded_scale=scale, read_only=read_only
        )
    except SQLAlchemyError as exc:
        raise CommandError(
            f"the store {config.db_url or '(default)'} cannot be used: {_first_line(exc)}"
        ) from None
    except OSError as exc:
        raise CommandError(f"cannot start: {exc.strerror or exc}") from None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


# -- sync ------------------------------------------------------------------


def cmd_sync(args: argparse.Namespace) -> int:
    t0 = time.monotonic()  # the time limit counts opening the store and the data center too
    started = datetime.now(UTC)
    runtime = _open(args, with_feeds=True)
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


def sync_once(runtime, *, timeout_s: float) -> dict[str, dict]:
    """Poll every feed until each has had one successful poll or time runs out.

    `timeout_s` is a deadline for the whole run: no request or retry starts after it
    and one in flight is cut off there. Failed feeds are polled again, honouring
    Retry-After and backing off a little, unless retrying cannot help: refused
    credentials or a data center that cannot be connected to stop every feed (the
    client gives up), a 4xx stops its own feed."""
    from commandcenter.feeds.client import DataCenterError, worth_retrying

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
        wait = min(5.0, 0.5 * 2 ** (rounds - 1))
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
    from commandcenter.feeds.client import AuthError
    from commandcenter.feeds.parsing import SHORTENED
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


# -- collect / run -----------------------------------------------------------


def _until_interrupted(stop: threading.Event) -> None:
    def on_signal(signum, frame):  # noqa: ARG001
        stop.set()

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        while not stop.wait(0.5):
            pass
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def cmd_collect(args: argparse.Namespace) -> int:
    if args.report:
        from commandcenter.collector.child import serve_desktop_over_stdio

        return serve_desktop_over_stdio()
    runtime = _open(args, with_feeds=True)
    log.warning(
        "collecting from %s into %s", runtime.datacenter_label, runtime.store.url_for_display
    )
    try:
        runtime.start()
        _until_interrupted(runtime.stop_event)
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
                _config(args),
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
    runtime = _open(args, with_feeds=True, scale=getattr(args, "scale", "city"))
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
        _until_interrupted(runtime.stop_event)
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
        f"{now.astimezone().strftime('%H:%M:%S')} 点位 {counts.get('service_points', 0)} "
        f"(在线 {points.get('online', '?')} 离线 {points.get('offline', '?')} 告警 {points.get('alarm', '?')}) "
        f"视频 {counts.get('cameras', 0)} 告警记录 {counts.get('alerts', 0)} "
        f"统计行 {counts.get('case_stats', 0)} 隔离 {counts.get('quarantine', 0)} | "
        + " ".join(lamps)
    )


# -- export ------------------------------------------------------------------


def cmd_export(args: argparse.Namespace) -> int:
    from commandcenter.exports import records as export

    runtime = _open(args, with_feeds=False, read_only=True)
    try:
        data = export.rows(runtime.store, args.kind)
    finally:
        runtime.close()
    text = export.to_json(data) if args.format == "json" else export.to_csv(data)
    encoding = args.encoding or ("utf-8" if args.format == "json" else "utf-8-sig")
    try:
        content = text.encode(encoding)
    except LookupError:
        raise ConfigError(f"--encoding {encoding!r} is not an encoding Python knows") from None
    except UnicodeEncodeError as exc:
        line = text.count("\n", 0, exc.start) + 1
        raise CommandError(
            f"{encoding} cannot hold {text[exc.start : exc.end]!r} (line {line} of the "
            f"{args.format.upper()}); choose --encoding utf-8-sig or gb18030"
        ) from None
    if args.output:
        try:
            args.output.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"cannot write {args.output}: {exc.strerror}") from None
        print(f"{len(data)} {args.kind} written to {args.output}", file=sys.stderr)
    else:
        # bytes, not the console's text encoding: `> points.csv` gets what was asked for
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
    return EXIT_OK


def cmd_audit(args: argparse.Namespace) -> int:
    """`audit verify`: exit 0 when the log is whole, 4 naming what was tampered with,
    5 when entries chained under a key not held here could not be checked."""
    runtime = _open(args, with_feeds=False, read_only=True)
    try:
        check = runtime.store.verify_audit()
    except ValueError as exc:  # a damaged head file
        raise CommandError(str(exc)) from None
    finally:
        runtime.close()
    chain = check.chain
    for line in audit_findings(check):
        print(line)
    if check.tampered:
        problems = ([chain.problem] if chain.problem else []) + (
            [
                "the triggers that keep the audit log append-only are gone: "
                + ", ".join(check.guards_missing)
            ]
            if check.guards_missing
            else []
        )
        for problem in problems:
            print(f"commandcenter: the audit log was tampered with: {problem}", file=sys.stderr)
        return EXIT_TAMPERED
    return EXIT_OK if chain.verified else EXIT_UNVERIFIED


def audit_findings(check) -> list[str]:
    """What `audit verify` found, a line each, beside any sign of tampering."""
    chain = check.chain
    lines = []
    if chain.intact:
        keyed = chain.entries - chain.unkeyed - sum(chain.foreign.values())
        lines.append(
            f"audit log intact: {chain.entries} entries, each chained to the one before"
            + (f"; {keyed} under this account's key {check.key_id}" if keyed else "")
        )
    if chain.unkeyed:
        lines.append(
            f"the first {chain.unkeyed} entries were chained before the chain was keyed "
            "(plain SHA-256: whoever can write the store could recompute them); "
            + (
                "the keyed entry after them holds them in place"
                if chain.unkeyed_held
                else "no keyed entry follows them yet"
            )
        )
    for foreign, entries in sorted(chain.foreign.items()):
        lines.append(
            f"{entries} entries were chained under key {foreign}, which this account does "
            "not hold, and were not checked (desks that verify each other's entries share "
            "one key: COMMANDCENTER_AUDIT_KEY)"
        )
    if check.head is None:
        lines.append(
            f"no head of this store's audit log is recorded outside it ({check.head_file}): "
            "entries removed from its end would not show"
        )
    elif chain.intact:
        lines.append(
            f"its head recorded outside the store matches: entry {check.head.last_id}, "
            f"number {check.head.entries} ({check.head_file})"
        )
    if not check.guards_missing:
        lines.append("the append-only triggers are in place")
    return lines


# -- datacenter ---------------------------------------------------------------


def cmd_datacenter(args: argparse.Namespace) -> int:
    import os
    import secrets

    from commandcenter.domain.secret import Secret
    from commandcenter.local.credentials import (
        ENV_SK,
        default_datacenter_sk_file,
        read_sk_file,
        write_sk_file,
    )
    from commandcenter.simulator.embedded import start_standalone

    if not 0 <= args.port <= 65535:
        raise ConfigError(f"--port must be 0..65535, got {args.port}")
    ak = args.ak or "commandcenter-sim"
    sk = os.environ.get(ENV_SK)
    file = args.sk_file or default_datacenter_sk_file()
    if not sk and file.exists():
        sk = read_sk_file(file)
    if not sk:
        sk = secrets.token_urlsafe(32)
        write_sk_file(file, Secret(sk))
        print(f"new SK for AK {ak!r} written to {file} (mode 600)", file=sys.stderr)
    if not 0 < args.speed <= 10_000:
        raise CommandError(
            f"--speed must be a number above 0 and at most 10000, got {args.speed:g}"
        )
    print(f"building the simulated {args.scale} (seed {args.seed})…", file=sys.stderr, flush=True)
    try:
        server = start_standalone(
            host=args.host,
            port=args.port,
            seed=args.seed,
            scale=args.scale,
            dirty=args.dirty,
            ak=ak,
            sk=sk,
            rtsp_base_url=args.rtsp_base_url,
            frozen=args.frozen,
            speed=args.speed,
        )
    except OSError as exc:
        raise CommandError(
            f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}"
        ) from None
    points = len(server.world.service_points())
    print(
        f"simulated data center on {server.url} (AK {ak}; {points} service points"
        f"{', dirty records mixed in' if args.dirty else ''}); Ctrl-C stops it",
        file=sys.stderr,
        flush=True,
    )
    try:
        _until_interrupted(threading.Event())
    finally:
        server.stop()
    print("simulated data center stopped", file=sys.stderr, flush=True)
    return EXIT_OK


# -- credentials -----------------------------------------------------------------


def cmd_credentials(args: argparse.Namespace) -> int:
    from commandcenter.domain.secret import Secret
    from commandcenter.local.credentials import default_sk_file, store_sk

    config = _config(args)
    if not config.ak:
        raise ConfigError("no access key: give --ak or set [datacenter] ak")
    if args.action == "set":
        value = (
            getpass.getpass(f"SK for access key {config.ak}: ")
            if sys.stdin.isatty()
            else sys.stdin.readline().strip()
        )
        if not value:
            raise CommandError("no SK given")
        where = store_sk(
            config.ak, Secret(value), sk_file=args.sk_file, prefer_keyring=args.sk_file is None
        )
        print(f"SK for {config.ak} stored in {where}")
        return EXIT_OK
    removed = []
    file = args.sk_file or config.sk_file or default_sk_file()
    if file.exists():
        file.unlink()
        removed.append(str(file))
    try:
        import keyring

        keyring.delete_password("commandcenter", config.ak)
        removed.append("the OS keyring")
    except Exception:  # nothing stored there, or no keyring
        pass
    print(
        f"SK for {config.ak} removed from {', '.join(removed)}" if removed else "no stored SK found"
    )
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
