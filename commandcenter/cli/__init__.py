"""`commandcenter` command line: the client, the simulated data center, and the
headless tools for operations scripts (sync, collect, export, credentials)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from commandcenter import __version__
from commandcenter.cli.admin import cmd_audit, cmd_credentials, cmd_diagnostics, cmd_export
from commandcenter.cli.collect import cmd_collect, cmd_run
from commandcenter.cli.common import EXIT_CONFIG, EXIT_FEEDS_FAILED, CommandError
from commandcenter.cli.datacenter import cmd_datacenter
from commandcenter.cli.sync import cmd_sync
from commandcenter.cli.users import add_parser as add_users_parser
from commandcenter.cli.users import cmd_users
from commandcenter.config import LOG_LEVELS, ROLES, Config, ConfigError, load_config
from commandcenter.local.credentials import CredentialError
from commandcenter.resources import MissingData


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
        "--contract",
        choices=["1.0", "1.1"],
        default="1.1",
        help="the interface contract's version: 1.0 lacks the v1.1 interfaces (duty roster)",
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
    # the desktop's own collector: configuration on stdin, events on stdout (collector/)
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
    add_users_parser(sub, common)
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
        "users": cmd_users,
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


# the desktop, its collector and each tool log to a file of their own: two processes
# rotating one file would lose lines
LOG_FILES = {"run": "commandcenter", "collect": "collector"}


# `sync` says each feed's failure in its summary and why it failed in one closing line:
# the feeds' running warnings go to its log file, not to the terminal a second time
QUIET_ON_TERMINAL = {"sync": ("commandcenter.feeds",)}


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
        terminal_level=args.log_level,
        terminal_quiet=() if args.log_level else QUIET_ON_TERMINAL.get(command, ()),
        folder=config.log_folder,
        max_bytes=config.log_max_bytes,
        backups=config.log_backups,
    )
