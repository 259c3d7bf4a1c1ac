"""The outbox: commands for the data center, kept until they are sent (or refused),
each under an idempotency key."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from commandcenter.store import schema as t
from commandcenter.store.changes import ChangeNotices
from commandcenter.store.engine import UnitOfWork
from commandcenter.store.rows import (
    inserted_id,
    utc_now,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """A command waiting in the outbox, or sent, or failed, with its attempts."""

    id: int
    kind: str
    idempotency_key: str
    target: str | None
    payload: dict
    state: str  # pending | sent | failed
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None
    result: dict | None


class Outbox(ChangeNotices):
    """Commands queued for the data center and their outcome."""

    def enqueue_command(
        self,
        *,
        kind: str,
        payload: dict,
        idempotency_key: str,
        target: str | None = None,
        work: UnitOfWork | None = None,
    ) -> int:
        """Queue a command (once per idempotency key); within `work`, as part of it."""
        now = utc_now()
        with self._writing(work) as conn:
            existing = conn.execute(
                sa.select(t.outbox.c.id).where(t.outbox.c.idempotency_key == idempotency_key)
            ).scalar()
            if existing is not None:
                return existing
            entry_id = inserted_id(
                conn.execute(
                    sa.insert(t.outbox).values(
                        kind=kind,
                        idempotency_key=idempotency_key,
                        target=target,
                        payload=payload,
                        state="pending",
                        attempts=0,
                        next_attempt_at=now,
                        created_at=now,
                    )
                )
            )
        self._changed(work, "outbox", {str(entry_id)})
        return entry_id

    def due_commands(self, now: datetime, limit: int = 20) -> list[OutboxEntry]:
        """The commands due for sending at `now`, oldest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(t.outbox)
                .where(t.outbox.c.state == "pending", t.outbox.c.next_attempt_at <= now)
                .order_by(t.outbox.c.id)
                .limit(limit)
            ).all()
        return [OutboxEntry(**r._mapping) for r in rows]

    def mark_command_sent(self, entry_id: int, result: dict) -> None:
        """Mark a command sent, with the data center's answer."""
        with self._begin() as conn:
            conn.execute(
                sa.update(t.outbox)
                .where(t.outbox.c.id == entry_id)
                .values(
                    state="sent",
                    sent_at=utc_now(),
                    result=result,
                    attempts=t.outbox.c.attempts + 1,
                    last_error=None,
                )
            )
        self._emit("outbox", {str(entry_id)})

    def mark_command_failed(
        self, entry_id: int, *, error: str, next_attempt_at: datetime | None
    ) -> None:
        """Mark an attempt failed: retried at `next_attempt_at`, or given up without one."""
        values: dict[str, Any] = {"last_error": error, "attempts": t.outbox.c.attempts + 1}
        if next_attempt_at is None:
            values["state"] = "failed"
        else:
            values["next_attempt_at"] = next_attempt_at
        with self._begin() as conn:
            conn.execute(sa.update(t.outbox).where(t.outbox.c.id == entry_id).values(**values))
        self._emit("outbox", {str(entry_id)})

    def commands(self, state: str | None = None, *, target: str | None = None) -> list[OutboxEntry]:
        """The outbox's commands, filtered by state and target when given."""
        stmt = sa.select(t.outbox).order_by(t.outbox.c.id)
        if state is not None:
            stmt = stmt.where(t.outbox.c.state == state)
        if target is not None:
            stmt = stmt.where(t.outbox.c.target == target)
        with self.engine.connect() as conn:
            return [OutboxEntry(**r._mapping) for r in conn.execute(stmt)]
