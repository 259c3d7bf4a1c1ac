"""`users`: the local accounts people sign in with when the bureau's directory is not
used. Each change is written to the audit log under the machine's own user."""

from __future__ import annotations

import argparse
import getpass
import json
import sys

from commandcenter.cli.common import EXIT_OK, CommandError, open_for
from commandcenter.domain.roles import ROLES

USER_NAME_MAX = 128


def add_parser(sub, common: argparse.ArgumentParser) -> None:
    """The `users` command and its actions."""
    # the common options go with each action: a parser between would reset them
    users = sub.add_parser("users", help="add, change and list the local sign-in accounts")
    actions = users.add_subparsers(dest="users_action", metavar="ACTION", required=True)

    add = actions.add_parser("add", parents=[common], help="add a local account")
    add.add_argument("user", help="the user name typed at sign-in")
    add.add_argument("--name", required=True, help="the person's name, as shown and audited")
    add.add_argument(
        "--role",
        dest="roles",
        action="append",
        choices=ROLES,
        required=True,
        help="a role the person may take (repeat for more)",
    )
    add.add_argument("--county", help="the county's adcode, e.g. 320506 (default: the city)")
    add.add_argument("--person-id", help="the person's personId in the duty roster")
    add.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )

    passwd = actions.add_parser("passwd", parents=[common], help="set an account's password")
    passwd.add_argument("user")
    passwd.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    for action, words in (
        ("disable", "stop an account signing in"),
        ("enable", "let a disabled account sign in again"),
        ("unlock", "lift a lock-out after failed sign-ins"),
    ):
        actions.add_parser(action, parents=[common], help=words).add_argument("user")
    listing = actions.add_parser("list", parents=[common], help="list the local accounts")
    listing.add_argument("--json", action="store_true", help="JSON instead of a table")


def _new_password(args: argparse.Namespace, user: str) -> str:
    """The new password: a line of standard input, or asked twice at the terminal."""
    from commandcenter.domain.passwords import WeakPassword, check_strength

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        if not sys.stdin.isatty():
            raise CommandError(
                "no terminal to ask for the password on: give it on standard input with "
                "--password-stdin"
            )
        password = getpass.getpass(f"New password for {user}: ")
        if getpass.getpass("The same again: ") != password:
            raise CommandError("the two passwords differ; nothing was changed")
    try:
        check_strength(password)
    except WeakPassword as exc:
        raise CommandError(f"{exc}; nothing was changed") from None
    return password


def _check_user_name(user: str) -> str:
    if not user.strip() or user != user.strip():
        raise CommandError(f"{user!r} is not a user name (empty, or spaces around it)")
    if len(user) > USER_NAME_MAX or any(not c.isprintable() for c in user):
        raise CommandError(
            f"a user name is at most {USER_NAME_MAX} printable characters: {user[:40]!r}"
        )
    return user


def cmd_users(args: argparse.Namespace) -> int:
    from commandcenter.domain.geography import COUNTY_BY_CODE
    from commandcenter.domain.passwords import hash_password
    from commandcenter.local.host import signed_in_person
    from commandcenter.services.command import CommandFailed, Operator, audit, transaction
    from commandcenter.store.accounts import AccountExists, NoSuchAccount

    action = args.users_action
    if action == "list":
        return _list(args)
    user = _check_user_name(args.user)
    if action == "add":
        if args.county is not None and args.county not in COUNTY_BY_CODE:
            raise CommandError(
                f"--county {args.county!r} is not a county of the city "
                f"(counties: {', '.join(COUNTY_BY_CODE)})"
            )
        if not args.name.strip():
            raise CommandError("--name is empty")
    password_hash = (
        hash_password(_new_password(args, user)) if action in ("add", "passwd") else None
    )
    by = Operator(signed_in_person() or "administrator", "")
    runtime = open_for(args, with_feeds=False)
    store = runtime.store
    try:
        with transaction(store, f"account.{action}") as work:
            detail: dict = {"by": "commandcenter users"}
            if action == "add":
                assert password_hash is not None
                roles = tuple(dict.fromkeys(args.roles))
                store.add_local_account(
                    user,
                    name=args.name.strip(),
                    roles=roles,
                    county=args.county,
                    person_id=args.person_id,
                    password_hash=password_hash,
                    work=work,
                )
                detail.update(
                    name=args.name.strip(),
                    roles=list(roles),
                    county=args.county,
                    person_id=args.person_id,
                )
            elif action == "passwd":
                assert password_hash is not None
                store.set_local_password(user, password_hash, work=work)
            elif action in ("disable", "enable"):
                store.set_local_account_disabled(user, action == "disable", work=work)
            else:
                store.unlock_local_account(user, work=work)
            audit(store, work, by, f"account.{action}", user, detail)
    except (AccountExists, NoSuchAccount) as exc:
        raise CommandError(str(exc)) from None
    except CommandFailed as exc:
        raise CommandError(f"the store refused it: {exc.reason}") from None
    finally:
        runtime.close()
    done = {
        "add": "added",
        "passwd": "password changed",
        "disable": "disabled",
        "enable": "enabled",
        "unlock": "unlocked",
    }[action]
    print(f"local account {user}: {done}")
    return EXIT_OK


def _list(args: argparse.Namespace) -> int:
    from commandcenter.domain import bureau_time
    from commandcenter.store.rows import utc_now

    runtime = open_for(args, with_feeds=False, read_only=True)
    try:
        accounts = runtime.store.local_accounts()
    finally:
        runtime.close()
    now = utc_now()

    def state(account) -> str:
        if account.disabled:
            return "disabled"
        if account.locked(now):
            return f"locked until {bureau_time.bureau_text(account.locked_until, '%Y-%m-%d %H:%M')}"
        return "active"

    if args.json:
        rows = [
            {
                "user": a.user_name,
                "name": a.name,
                "roles": list(a.roles),
                "county": a.county,
                "person_id": a.person_id,
                "disabled": a.disabled,
                "failed_attempts": a.failed_attempts,
                "locked_until": bureau_time.iso(a.locked_until) if a.locked(now) else None,
                "state": state(a),
            }
            for a in accounts
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return EXIT_OK
    if not accounts:
        print("no local accounts")
        return EXIT_OK
    table = [("USER", "NAME", "ROLES", "COUNTY", "PERSON ID", "FAILED", "STATE")] + [
        (
            a.user_name,
            a.name,
            ",".join(a.roles),
            a.county or "city",
            a.person_id or "",
            str(a.failed_attempts),
            state(a),
        )
        for a in accounts
    ]
    widths = [max(_width(row[i]) for row in table) for i in range(len(table[0]))]
    for row in table:
        print(
            "  ".join(
                cell + " " * (w - _width(cell)) for cell, w in zip(row, widths, strict=True)
            ).rstrip()
        )
    return EXIT_OK


def _width(text: str) -> int:
    """Columns a text takes in a terminal: CJK characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
