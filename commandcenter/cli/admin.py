"""Administration: `export` what the store holds, `audit verify`, `credentials set|forget`,
and `--diagnostics` for a support call."""

from __future__ import annotations

import argparse
import getpass
import sys

from commandcenter.cli.common import (
    EXIT_OK,
    EXIT_TAMPERED,
    EXIT_UNVERIFIED,
    CommandError,
    config_of,
    open_for,
)
from commandcenter.config import Config, ConfigError


def cmd_diagnostics(args: argparse.Namespace) -> int:
    from commandcenter import diagnostics

    problem = None
    try:
        config = config_of(args)
    except ConfigError as exc:  # support needs the rest all the more
        config, problem = Config(), str(exc)
    print(diagnostics.report_text(diagnostics.gather(config, config_problem=problem)))
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from commandcenter.exports import records as export

    runtime = open_for(args, with_feeds=False, read_only=True)
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
    runtime = open_for(args, with_feeds=False, read_only=True)
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


def cmd_credentials(args: argparse.Namespace) -> int:
    from commandcenter.domain.secret import Secret
    from commandcenter.local.credentials import default_sk_file, forget_sk, store_sk

    config = config_of(args)
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
    if forget_sk(config.ak):
        removed.append("the OS keyring")
    print(
        f"SK for {config.ak} removed from {', '.join(removed)}" if removed else "no stored SK found"
    )
    return EXIT_OK
