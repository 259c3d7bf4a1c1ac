"""How the simulated world keeps its items: collections sorted by id, the append-only logs
of the cursor feeds, and time as the wire writes it (China Standard Time)."""

from __future__ import annotations

import bisect
import random
import zlib
from datetime import datetime, timedelta, timezone

from commandcenter.domain import contract

CST = timezone(timedelta(hours=8))
RETENTION = timedelta(days=contract.CURSOR_RETENTION_DAYS)


def stable_rng(*parts: object) -> random.Random:
    """An RNG seeded from the parts (not from Python's salted hash)."""
    return random.Random(zlib.crc32("\x1f".join(map(str, parts)).encode("utf-8")))


def iso(dt: datetime) -> str:
    return dt.astimezone(CST).isoformat(timespec="seconds")


def parse_iso(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError("no offset")
    return parsed


def real_now() -> datetime:
    return datetime.now(CST)


class CursorLog:
    """Append-only log of a cursor feed; every entry has an increasing seq."""

    def __init__(self):
        self._seqs: list[int] = []
        self._rows: list[dict] = []
        self._stamps: list[datetime] = []  # when each entry's item happened, for retention
        self.first_seq = 1
        self.last_seq = 0

    def append(self, row: dict, stamp: datetime) -> int:
        self.last_seq += 1
        self._seqs.append(self.last_seq)
        self._rows.append(row)
        self._stamps.append(stamp)
        return self.last_seq

    def trim_before(self, cutoff: datetime) -> None:
        n = 0
        while n < len(self._stamps) and self._stamps[n] < cutoff:
            n += 1
        if n:
            del self._seqs[:n], self._rows[:n], self._stamps[:n]
            self.first_seq = self._seqs[0] if self._seqs else self.last_seq + 1

    def entries_after(self, seq: int, limit: int) -> list[tuple[int, dict]]:
        start = bisect.bisect_right(self._seqs, seq)
        return list(
            zip(self._seqs[start : start + limit], self._rows[start : start + limit], strict=True)
        )

    def __len__(self) -> int:
        return len(self._rows)


class Collection:
    """Items kept sorted by id; changing one replaces its dict (the server may be
    serialising the old one on another thread)."""

    def __init__(self, id_field: str):
        self.id_field = id_field
        self.items: list[dict] = []
        self.index: dict[str, int] = {}

    def load(self, items: list[dict]) -> None:
        # stable: a duplicate id placed after its original stays after it
        self.items = sorted(items, key=lambda i: str(i.get(self.id_field, "")))
        self.index = {}
        for n, item in enumerate(self.items):
            key = item.get(self.id_field)
            if isinstance(key, str) and key not in self.index:
                self.index[key] = n

    def get(self, key: str) -> dict | None:
        n = self.index.get(key)
        return self.items[n] if n is not None else None

    def replace(self, item: dict) -> None:
        n = self.index.get(item[self.id_field])
        if n is None:
            self.items.append(item)
            self.load(self.items)
        else:
            items = list(self.items)
            items[n] = item
            self.items = items
