"""Local accounts: the people who sign in at a desk when the bureau's directory is not
used (or cannot be reached), with their password's hash and their failed attempts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from commandcenter.store import schema as t
from commandcenter.store.changes import ChangeNotices
from commandcenter.store.engine import UnitOfWork
from commandcenter.store.rows import utc_now


class AccountExists(ValueError):
    """A local account of that user name is already kept."""


class NoSuchAccount(LookupError):
    """No local account of that user name."""


@dataclass(frozen=True, slots=True)
class LocalAccount:
    """A local account as the store keeps it (the hash, never a password)."""

    user_name: str
    name: str
    roles: tuple[str, ...]
    county: str | None
    person_id: str | None
    password_hash: str
    disabled: bool
    failed_attempts: int
    locked_until: datetime | None
    created_at: datetime
    updated_at: datetime

    def locked(self, at: datetime) -> bool:
        """Whether the account is locked out at that instant."""
        return self.locked_until is not None and self.locked_until > at


@dataclass(frozen=True, slots=True)
class FailedAttempt:
    """What a failed sign-in did to the account: its failures in a row, and the end of
    the lock-out it started (None: not locked)."""

    failures: int
    locked_until: datetime | None


def _account(row: sa.Row) -> LocalAccount:
    return LocalAccount(
        user_name=row.user_name,
        name=row.name,
        roles=tuple(row.roles or ()),
        county=row.county,
        person_id=row.person_id,
        password_hash=row.password_hash,
        disabled=bool(row.disabled),
        failed_attempts=int(row.failed_attempts),
        locked_until=row.locked_until,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


class LocalAccounts(ChangeNotices):
    """Adds, changes and reads the local accounts."""

    def add_local_account(
        self,
        user_name: str,
        *,
        name: str,
        roles: Sequence[str],
        password_hash: str,
        county: str | None = None,
        person_id: str | None = None,
        work: UnitOfWork | None = None,
    ) -> None:
        """Keep a new account; AccountExists if the user name is taken."""
        a = t.local_accounts
        now = utc_now()
        with self._writing(work) as conn:
            # a unique-key violation would abort a PostgreSQL transaction the caller may
            # still want to use: ask first (the key still guards against a race)
            if conn.execute(sa.select(a.c.user_name).where(a.c.user_name == user_name)).first():
                raise AccountExists(f"a local account {user_name!r} already exists")
            conn.execute(
                sa.insert(a).values(
                    user_name=user_name,
                    name=name,
                    roles=list(roles),
                    county=county,
                    person_id=person_id,
                    password_hash=password_hash,
                    disabled=False,
                    failed_attempts=0,
                    locked_until=None,
                    created_at=now,
                    updated_at=now,
                )
            )
        self._changed(work, "local_accounts", {user_name})

    def _update_account(self, user_name: str, work: UnitOfWork | None, **values: object) -> None:
        a = t.local_accounts
        with self._writing(work) as conn:
            result = conn.execute(
                sa.update(a)
                .where(a.c.user_name == user_name)
                .values(updated_at=utc_now(), **values)
            )
            if result.rowcount == 0:
                raise NoSuchAccount(f"no local account {user_name!r}")
        self._changed(work, "local_accounts", {user_name})

    def set_local_password(
        self, user_name: str, password_hash: str, *, work: UnitOfWork | None = None
    ) -> None:
        """Replace the account's password (and lift any lock-out: a new password is a
        fresh start). NoSuchAccount if there is none."""
        self._update_account(
            user_name, work, password_hash=password_hash, failed_attempts=0, locked_until=None
        )

    def set_local_account_disabled(
        self, user_name: str, disabled: bool, *, work: UnitOfWork | None = None
    ) -> None:
        """Disable the account (nobody signs in with it) or enable it again."""
        self._update_account(user_name, work, disabled=disabled)

    def unlock_local_account(self, user_name: str, *, work: UnitOfWork | None = None) -> None:
        """Lift a lock-out and forget the failed attempts."""
        self._update_account(user_name, work, failed_attempts=0, locked_until=None)

    def record_sign_in_success(self, user_name: str, *, work: UnitOfWork | None = None) -> None:
        """A sign-in succeeded: the failures in a row start again from none."""
        a = t.local_accounts
        with self._writing(work) as conn:
            conn.execute(
                sa.update(a)
                .where(
                    a.c.user_name == user_name,
                    (a.c.failed_attempts != 0) | a.c.locked_until.is_not(None),
                )
                .values(failed_attempts=0, locked_until=None, updated_at=utc_now())
            )
        self._changed(work, "local_accounts", {user_name})

    def record_failed_sign_in(
        self,
        user_name: str,
        *,
        max_failed: int,
        lock_for: timedelta,
        at: datetime | None = None,
        work: UnitOfWork | None = None,
    ) -> FailedAttempt:
        """Count a failed sign-in; the `max_failed`-th in a row locks the account out for
        `lock_for`. After a lock-out has run out, the count starts again. Desks that
        share a store count together: the row is locked while it is counted."""
        a = t.local_accounts
        now = at or utc_now()
        with self._writing(work) as conn:
            row = conn.execute(
                sa.select(a.c.failed_attempts, a.c.locked_until)
                .where(a.c.user_name == user_name)
                .with_for_update()
            ).first()
            if row is None:
                raise NoSuchAccount(f"no local account {user_name!r}")
            expired = row.locked_until is not None and row.locked_until <= now
            failures = (0 if expired else int(row.failed_attempts)) + 1
            locked_until = now + lock_for if failures >= max_failed else None
            if not expired and row.locked_until is not None and locked_until is None:
                locked_until = row.locked_until
            conn.execute(
                sa.update(a)
                .where(a.c.user_name == user_name)
                .values(failed_attempts=failures, locked_until=locked_until, updated_at=now)
            )
        self._changed(work, "local_accounts", {user_name})
        return FailedAttempt(failures, locked_until)

    def local_account(self, user_name: str) -> LocalAccount | None:
        """The account of that user name, or None."""
        a = t.local_accounts
        rows = self._all(sa.select(a).where(a.c.user_name == user_name))
        return _account(rows[0]) if rows else None

    def local_accounts(self) -> list[LocalAccount]:
        """Every local account, by user name."""
        a = t.local_accounts
        return [_account(r) for r in self._all(sa.select(a).order_by(a.c.user_name))]

    def has_local_accounts(self) -> bool:
        """Whether any local account is kept (disabled ones count: someone meant to)."""
        a = t.local_accounts
        return bool(self._all(sa.select(a.c.user_name).limit(1)))
