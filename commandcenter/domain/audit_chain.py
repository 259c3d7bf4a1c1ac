"""The audit log as a hash chain: each entry's hash covers its content and the hash
of the entry before it, so that changing, removing or inserting an entry anywhere
but at the very end breaks every hash after it, and `commandcenter audit verify`
names the first entry that no longer fits."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

GENESIS = "0" * 64  # the "previous hash" of the first entry


def entry_hash(
    previous: str,
    *,
    at: datetime,
    user: str,
    role: str,
    action: str,
    target: str | None,
    detail: dict | None,
) -> str:
    content = json.dumps(
        {
            "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
            "user": user,
            "role": role,
            "action": action,
            "target": target,
            "detail": detail,
        },
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(f"{previous}\n{content}".encode()).hexdigest()


@dataclass(frozen=True)
class ChainCheck:
    entries: int
    problem: str | None = None  # the first entry that does not fit, and how
    entry_id: int | None = None

    @property
    def intact(self) -> bool:
        return self.problem is None


def verify(entries: Iterable) -> ChainCheck:
    """`entries` in id order, each with id, at, user, role, action, target, detail,
    prev_hash and hash."""
    previous = GENESIS
    count = 0
    for e in entries:
        count += 1
        if e.prev_hash != previous:
            return ChainCheck(
                count,
                f"entry {e.id} does not follow the entry before it: an entry was removed, "
                "inserted or changed before it",
                e.id,
            )
        expected = entry_hash(
            previous,
            at=e.at,
            user=e.user,
            role=e.role,
            action=e.action,
            target=e.target,
            detail=e.detail,
        )
        if e.hash != expected:
            return ChainCheck(
                count,
                f"entry {e.id} was changed after it was written ({e.action} by {e.user})",
                e.id,
            )
        previous = e.hash
    return ChainCheck(count)
