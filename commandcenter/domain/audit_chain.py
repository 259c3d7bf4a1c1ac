"""The audit log as a keyed hash chain: each entry's hash is an HMAC, under a key kept
outside the store, of its content and the hash of the entry before it. Changing,
removing or inserting an entry anywhere but at the very end breaks the chain, and
whoever can write the store but does not hold the key cannot compute a chain that
fits again. The newest entry (its id, hash and the number of entries up to it) is
also recorded outside the store (`Head`): removing entries from the end, or all of
them, shows against it.

Entries written before the chain was keyed carry no key id and a plain SHA-256
hash. They are accepted only as the chain's beginning: the first keyed entry covers
the last of them, so they cannot be changed without breaking it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64  # the "previous hash" of the first entry
KEY_ID_CHARS = 16


def key_id(key: bytes) -> str:
    """Names a key without revealing it: stored with each entry it chained."""
    return hmac.new(key, b"commandcenter audit key", hashlib.sha256).hexdigest()[:KEY_ID_CHARS]


def entry_hash(
    previous: str,
    *,
    key: bytes | None,
    at: datetime,
    user: str,
    role: str,
    action: str,
    target: str | None,
    detail: dict | None,
) -> str:
    """HMAC-SHA256 under `key`; `key=None` is the unkeyed SHA-256 of entries written
    before the chain was keyed."""
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
    message = f"{previous}\n{content}".encode()
    if key is None:
        return hashlib.sha256(message).hexdigest()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def hash_of(entry: Any, previous: str, key: bytes | None) -> str:
    """`entry_hash` of a stored entry (anything with at, user, role, action, target and
    detail)."""
    return entry_hash(
        previous,
        key=key,
        at=entry.at,
        user=entry.user,
        role=entry.role,
        action=entry.action,
        target=entry.target,
        detail=entry.detail,
    )


@dataclass(frozen=True)
class Head:
    """The newest entry as recorded outside the store: how many entries there were up
    to it, its id and its hash."""

    entries: int
    last_id: int
    hash: str


@dataclass(frozen=True)
class ChainCheck:
    """The outcome of verifying the audit chain, with the first problem found."""

    entries: int
    problem: str | None = None  # the first sign of tampering, and where
    entry_id: int | None = None
    unkeyed: int = 0  # entries at the start chained before the chain was keyed
    unkeyed_held: bool = False  # … and a keyed entry after them holds them in place
    # key id -> entries chained with a key not held here (another desk's): not checked
    foreign: dict[str, int] = field(default_factory=dict)
    last: Head | None = None  # the newest entry, as a head to record

    @property
    def intact(self) -> bool:
        """Nothing found wrong (entries under a key not held here were not checked)."""
        return self.problem is None

    @property
    def verified(self) -> bool:
        """Intact, and every keyed entry checked."""
        return self.intact and not self.foreign


def verify(entries: Iterable, keys: Mapping[str, bytes], head: Head | None = None) -> ChainCheck:
    """`entries` in id order, each with id, at, user, role, action, target, detail,
    prev_hash, hash and key_id; `keys` by key id; `head` as recorded outside the store."""
    previous = GENESIS
    count = unkeyed = 0
    keyed = False
    foreign: Counter = Counter()
    head_seen = False
    last: Head | None = None

    def broken(entry_id: int, problem: str) -> ChainCheck:
        return ChainCheck(
            count, problem, entry_id, unkeyed, keyed and unkeyed > 0, dict(foreign), last
        )

    for e in entries:
        count += 1
        if e.prev_hash != previous:
            return broken(
                e.id,
                f"entry {e.id} does not follow the entry before it: an entry was removed, "
                "inserted or changed before it",
            )
        if e.key_id is None:
            if keyed:
                return broken(
                    e.id,
                    f"entry {e.id} is chained without a key after keyed entries: "
                    "the chain was rewritten from there",
                )
            unkeyed += 1
            key = None
        else:
            keyed = True
            key = keys.get(e.key_id)
        if key is None and e.key_id is not None:
            foreign[e.key_id] += 1
        else:
            if not hmac.compare_digest(e.hash or "", hash_of(e, previous, key)):
                return broken(
                    e.id, f"entry {e.id} was changed after it was written ({e.action} by {e.user})"
                )
        if head is not None and e.id == head.last_id:
            head_seen = True
            if e.hash != head.hash or count != head.entries:
                return broken(
                    e.id,
                    f"entry {e.id} is not the entry recorded outside the store as number "
                    f"{head.entries}: the log was rewritten up to it",
                )
        previous = e.hash
        last = Head(count, e.id, e.hash)
    if head is not None and not head_seen:
        if count == 0:
            return broken(
                head.last_id,
                f"the audit log is empty, but {head.entries} entries were recorded outside "
                f"the store (the last one entry {head.last_id}): every entry was removed",
            )
        if count < head.entries:
            return broken(
                head.last_id,
                f"the audit log ends after {count} entries, but {head.entries} were recorded "
                f"outside the store (the last one entry {head.last_id}): entries were "
                "removed from its end",
            )
        return broken(
            head.last_id,
            f"entry {head.last_id}, recorded outside the store as number {head.entries}, "
            "is gone: the log was rewritten",
        )
    return ChainCheck(count, None, None, unkeyed, keyed and unkeyed > 0, dict(foreign), last)
