"""The audit log: appended to in a keyed hash chain, its head recorded outside the store
(audit_seal), and walked whole to verify it."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from commandcenter.domain.audit_chain import GENESIS, Head, entry_hash, key_id
from commandcenter.domain.audit_chain import verify as verify_chain
from commandcenter.store import schema as t
from commandcenter.store.audit_seal import AuditCheck
from commandcenter.store.changes import ChangeNotices
from commandcenter.store.engine import UnitOfWork
from commandcenter.store.rows import (
    inserted_id,
    utc_now,
)

log = logging.getLogger(__name__)

AUDIT_CHAIN_LOCK = 0x61756469  # "audi": writers of the audit log take turns on a shared store
# the triggers that keep the audit log append-only (migration 0005)
AUDIT_GUARDS_SQLITE = ("audit_log_no_update", "audit_log_no_delete")
AUDIT_GUARDS_POSTGRESQL = "audit_log_append_only"


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One entry of the audit log, with the hashes that chain it."""

    id: int
    at: datetime
    user: str
    role: str
    action: str
    target: str | None
    detail: dict | None
    prev_hash: str | None = None
    hash: str | None = None
    key_id: str | None = None  # of the key that chained it; None: chained before keys


class AuditLog(ChangeNotices):
    """Appends to the audit log and verifies it."""

    def append_audit(
        self,
        *,
        user: str,
        role: str,
        action: str,
        target: str | None,
        detail: dict | None = None,
        work: UnitOfWork | None = None,
    ) -> int:
        """Append to the hash-chained audit log. Writers take turns (an advisory lock on
        a shared store, the write lock on SQLite, held to the end of the transaction), so
        that two never chain to the same entry. Within `work` the entry is part of that
        transaction: the head is recorded outside the store only once it is committed,
        so a rollback leaves the recorded head where it was."""
        content: dict[str, Any] = dict(
            at=utc_now(), user=user, role=role, action=action, target=target, detail=detail
        )
        key = self.audit_seal.key()
        with self._writing(work) as conn:
            if self.shared:
                conn.execute(
                    sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": AUDIT_CHAIN_LOCK}
                )
            previous = (
                conn.execute(
                    sa.select(t.audit_log.c.hash).order_by(t.audit_log.c.id.desc()).limit(1)
                ).scalar()
                or GENESIS
            )
            digest = entry_hash(previous, key=key, **content)
            entry_id = inserted_id(
                conn.execute(
                    sa.insert(t.audit_log).values(
                        **content,
                        prev_hash=previous,
                        hash=digest,
                        key_id=key_id(key) if key is not None else None,
                    )
                )
            )
            entries = conn.execute(sa.select(sa.func.count()).select_from(t.audit_log)).scalar_one()
        head = Head(entries, entry_id, digest)
        if work is None:
            self._record_audit_head(head)
        else:
            work.after_commit(lambda: self._record_audit_head(head))
        self._changed(work, "audit", {str(entry_id)})
        return entry_id

    def _record_audit_head(self, head: Head) -> None:
        try:
            self.audit_seal.record_head(self.identity, head)
        except OSError as exc:
            # the entry is kept; only the guard against cutting the log short is behind
            log.error(
                "the audit log's head could not be recorded in %s (%s)",
                self.audit_seal.head_file(self.identity),
                exc.strerror or exc,
            )

    def verify_audit(self) -> AuditCheck:
        """Walk the whole audit log: its keyed chain, the head recorded outside the
        store, and the triggers that keep the table append-only. Makes no key: entries
        chained with a key not held here are counted, not checked."""
        seal = self.audit_seal
        key = seal.key(create=False)
        keys = {key_id(key): key} if key is not None else {}
        head = seal.read_head(self.identity)
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(t.audit_log).order_by(t.audit_log.c.id)).yield_per(5000)
            chain = verify_chain((AuditEntry(**r._mapping) for r in rows), keys, head)
        return AuditCheck(
            chain,
            seal.head_file(self.identity),
            head,
            self.missing_audit_guards(),
            key_id(key) if key is not None else None,
        )

    def missing_audit_guards(self) -> tuple[str, ...]:
        """The triggers that refuse to change or delete audit entries, by name, that are
        missing (or, on PostgreSQL, disabled)."""
        with self.engine.connect() as conn:
            if self.dialect == "postgresql":
                enabled = set(
                    conn.execute(
                        sa.text(
                            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_log'::regclass "
                            "AND NOT tgisinternal AND tgenabled <> 'D'"
                        )
                    ).scalars()
                )
                wanted: tuple[str, ...] = (AUDIT_GUARDS_POSTGRESQL,)
            else:
                enabled = set(
                    conn.execute(
                        sa.text(
                            "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                            "AND tbl_name = 'audit_log'"
                        )
                    ).scalars()
                )
                wanted = AUDIT_GUARDS_SQLITE
        return tuple(name for name in wanted if name not in enabled)

    def audit_log(self, *, limit: int = 500) -> list[AuditEntry]:
        """The newest entries of the audit log, newest first."""
        rows = self._all(sa.select(t.audit_log).order_by(t.audit_log.c.id.desc()).limit(limit))
        return [AuditEntry(**r._mapping) for r in rows]
