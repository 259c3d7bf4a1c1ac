"""`commandcenter datacenter`: the simulated data center on its own."""

from __future__ import annotations

import argparse
import sys
import threading

from commandcenter.cli.common import (
    EXIT_OK,
    CommandError,
    until_interrupted,
)
from commandcenter.config import ConfigError


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
            contract=args.contract,
        )
    except OSError as exc:
        raise CommandError(
            f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}"
        ) from None
    points = len(server.world.service_points())
    print(
        f"simulated data center on {server.url} (AK {ak}; interfaces v{args.contract}; "
        f"{points} service points"
        f"{', dirty records mixed in' if args.dirty else ''}); Ctrl-C stops it",
        file=sys.stderr,
        flush=True,
    )
    try:
        until_interrupted(threading.Event())
    finally:
        server.stop()
    print("simulated data center stopped", file=sys.stderr, flush=True)
    return EXIT_OK
