"""What the commands share: exit codes, the one-line failure, the configuration from the
command line, and the runtime opened for a command."""

from __future__ import annotations

import argparse
import signal
import threading

from commandcenter.config import load_config

EXIT_OK = 0
EXIT_FEEDS_FAILED = 1
EXIT_USAGE = 2
EXIT_CONFIG = 3
EXIT_TAMPERED = 4  # audit verify: the chain is broken
EXIT_UNVERIFIED = 5  # audit verify: entries under a key not held here were not checked


class CommandError(Exception):
    """An expected failure: printed as one line, no traceback."""


def config_of(args: argparse.Namespace):
    config = load_config(args.config)
    from commandcenter.config import _check_url

    return config.with_overrides(
        datacenter_url=_check_url(args.datacenter, "--datacenter"),
        ak=args.ak,
        db_url=args.db,
        poll=False if getattr(args, "no_poll", False) else None,
        log_level=args.log_level,
    )


def open_for(args, *, with_feeds: bool, scale: str = "city", read_only: bool = False):
    from sqlalchemy.exc import SQLAlchemyError

    from commandcenter.runtime import open_runtime

    config = config_of(args)
    try:
        return open_runtime(
            config, with_feeds=with_feeds, embedded_scale=scale, read_only=read_only
        )
    except SQLAlchemyError as exc:
        raise CommandError(
            f"the store {config.db_url or '(default)'} cannot be used: {first_line(exc)}"
        ) from None
    except OSError as exc:
        raise CommandError(f"cannot start: {exc.strerror or exc}") from None


def first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def until_interrupted(stop: threading.Event) -> None:
    def on_signal(signum, frame):
        stop.set()

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        while not stop.wait(0.5):
            pass
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
