"""Signing in at a desk: the bureau's directory when one is configured, else the local
accounts kept in the store (and, with `[directory] fallback_local`, the local accounts
while the directory cannot be reached).

Every sign-in, failure and lock-out goes into the audit log under the user name typed;
a password never goes into a log line, an error or an audit entry. A refusal never says
whether it was the user name or the password that was wrong.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from commandcenter.config import Config
from commandcenter.domain import bureau_time
from commandcenter.domain.passwords import spend_as_long_as_a_check, verify_password
from commandcenter.domain.people import Person, SignInRefused
from commandcenter.services.directory import (
    NO_ROLE,
    WRONG_CREDENTIALS,
    Directory,
    DirectoryUnreachable,
)
from commandcenter.store import Store, store_failure
from commandcenter.store.accounts import LocalAccount
from commandcenter.store.engine import UnitOfWork
from commandcenter.store.rows import utc_now

log = logging.getLogger(__name__)

SIGN_IN = "person.sign_in"
SIGN_IN_FAILED = "person.sign_in_failed"
LOCKED_OUT = "person.locked_out"
# a password asked again at the desk: the lock screen, a shift change
AUDITED_AS = (SIGN_IN, "screen.unlock", "person.shift_change")
# a user name as typed, in the audit log: long enough for any real one
USER_NAME_KEPT = 128


class SignIn:
    """Who may take the desk. Cheap to build (the directory is asked only on a sign-in);
    `sign_in` blocks for the directory's round trips or a password hash, so the desk
    calls it off the GUI thread."""

    def __init__(self, config: Config, store: Store, *, clock: Callable[[], datetime] = utc_now):
        self.store = store
        self.clock = clock
        self.directory = Directory(config) if config.directory_url else None
        self.fallback_local = config.directory_fallback_local
        self.max_failed = config.accounts_max_failed
        self.lock_for = timedelta(minutes=config.accounts_lock_minutes)

    @property
    def directory_configured(self) -> bool:
        """Whether people sign in against the bureau's directory."""
        return self.directory is not None

    def needs_sign_in(self) -> bool:
        """Whether someone must sign in: False only with no directory and no local
        account (the embedded default, where the demo person takes the desk)."""
        return self.directory is not None or self.store.has_local_accounts()

    def sign_in(self, user_name: str, password: str, *, audit_as: str = SIGN_IN) -> Person:
        """The person who signed in; SignInRefused with the reason in words (`.locked`
        when the account is locked out). The store's failure is a refusal too.

        `audit_as`: what the success is audited as, when it is not a sign-in but a
        password asked again: "screen.unlock", "person.shift_change" (refusals and
        lock-outs are audited as always)."""
        if audit_as not in AUDITED_AS:
            raise ValueError(f"audit_as must be one of {', '.join(AUDITED_AS)}, not {audit_as!r}")
        typed = user_name.strip()[:USER_NAME_KEPT]
        try:
            return self._sign_in(typed, password, audit_as)
        except SignInRefused:
            raise
        except Exception as exc:
            reason = store_failure(exc)
            if reason is None:
                raise
            raise SignInRefused(f"the store cannot be used: {reason}") from None

    def _sign_in(self, user_name: str, password: str, audit_as: str) -> Person:
        if self.directory is not None:
            try:
                person = self.directory.authenticate(user_name, password)
            except DirectoryUnreachable as exc:
                self._failed(user_name, "ldap", exc.reason)
                log.warning("sign-in: %s", exc.reason)
                if not self.fallback_local:
                    raise
                log.warning("sign-in: trying the local accounts while the directory is away")
            except SignInRefused as exc:
                self._failed(user_name, "ldap", exc.reason)
                raise
            else:
                return self._signed_in(user_name, person, audit_as)
        return self._signed_in(user_name, self._local(user_name, password), audit_as)

    def _local(self, user_name: str, password: str) -> Person:
        account = self.store.local_account(user_name) if user_name else None
        if account is None or not password:
            spend_as_long_as_a_check(password)
            self._failed(
                user_name, "local", "unknown user name" if password else "no password given"
            )
            raise SignInRefused(WRONG_CREDENTIALS if password else "no password given")
        now = self.clock()
        if account.locked(now):
            reason = self._locked_reason(account.locked_until, account.failed_attempts)
            self._failed(user_name, "local", "locked out")
            raise SignInRefused(reason, locked=True)
        if not verify_password(password, account.password_hash):
            return self._wrong_password(account, now)
        if account.disabled:
            # said only to whoever knows the password: it tells the account exists
            self._failed(user_name, "local", "account disabled")
            raise SignInRefused("account disabled")
        try:
            person = Person(
                user_name=account.user_name,
                name=account.name,
                roles=account.roles,
                county=account.county,
                person_id=account.person_id,
                source="local",
            )
        except ValueError as exc:  # written by another version, or by hand
            self._failed(user_name, "local", str(exc))
            raise SignInRefused(f"this account cannot be used here: {exc}") from None
        if not person.roles:
            self._failed(user_name, "local", NO_ROLE)
            raise SignInRefused(NO_ROLE)
        self.store.record_sign_in_success(account.user_name)
        return person

    def _wrong_password(self, account: LocalAccount, now: datetime) -> Person:
        with self.store.unit_of_work() as work:
            attempt = self.store.record_failed_sign_in(
                account.user_name,
                max_failed=self.max_failed,
                lock_for=self.lock_for,
                at=now,
                work=work,
            )
            self._failed(
                account.user_name,
                "local",
                "wrong password",
                work=work,
                failures=attempt.failures,
            )
            if attempt.locked_until is not None:
                self.store.append_audit(
                    user=account.user_name,
                    role="",
                    action=LOCKED_OUT,
                    target=account.user_name,
                    detail={
                        "failures": attempt.failures,
                        "until": bureau_time.iso(attempt.locked_until),
                    },
                    work=work,
                )
        if attempt.locked_until is not None:
            raise SignInRefused(
                self._locked_reason(attempt.locked_until, attempt.failures), locked=True
            )
        raise SignInRefused(WRONG_CREDENTIALS)

    @staticmethod
    def _locked_reason(until: datetime | None, failures: int) -> str:
        return (
            f"account locked until {bureau_time.bureau_text(until, '%H:%M')} after "
            f"{failures} failed attempts"
        )

    def _failed(
        self,
        user_name: str,
        source: str,
        why: str,
        *,
        work: UnitOfWork | None = None,
        **more: object,
    ) -> None:
        self.store.append_audit(
            user=user_name,
            role="",
            action=SIGN_IN_FAILED,
            target=user_name or None,
            detail={"source": source, "reason": why, **more},
            work=work,
        )

    def _signed_in(self, user_name: str, person: Person, audit_as: str) -> Person:
        self.store.append_audit(
            user=user_name,
            role=person.roles[0] if person.roles else "",
            action=audit_as,
            target=person.user_name,
            detail={
                "name": person.name,
                "source": person.source,
                "roles": list(person.roles),
                "county": person.county,
            },
        )
        log.info("%s signed in (%s)", person.user_name, person.source)
        return person
