"""Read-side caches of the records most views need: every service point, every camera.

A province has 30,000 service points. The directory, the map, the wall, the alert
list and the meeting composer all need them; reading and converting them once per
view and per change kept a reader thread busy all through a full sync, and on a
desktop every busy Python thread delays the GUI thread. A snapshot reads everything
once, then only the records the store reports as changed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterable
from typing import Any, Generic, TypeVar

from commandcenter.store.store import ChangeEvent, Store

R = TypeVar("R")


class Snapshot(Generic[R]):
    """The current records of one kind, by key, kept up to date from change events.

    `by_key()` returns a dict that is never modified afterwards (a change makes a new
    one), so a caller may keep it and hand it to another thread.
    """

    def __init__(self, store: Store, kind: str, *, read_all: Callable[[], list[R]],
                 read_some: Callable[[Iterable[str]], list[R]], key: Callable[[R], Hashable]):
        self.kind = kind
        self._read_all = read_all
        self._read_some = read_some
        self._key = key
        self._lock = threading.Lock()  # one refresh at a time
        self._dirty_lock = threading.Lock()
        self._dirty: set[str] = set()
        self._everything_dirty = True
        self._records: dict[Any, R] = {}
        self._active: list[R] | None = None
        self._active_of: dict | None = None  # the records `_active` was made from
        self._unsubscribe = store.subscribe(self._on_change)

    def close(self) -> None:
        self._unsubscribe()

    def _on_change(self, event: ChangeEvent) -> None:
        if event.kind != self.kind:
            return
        with self._dirty_lock:
            if event.keys is None:
                self._everything_dirty = True
            else:
                self._dirty.update(event.keys)

    def invalidate(self) -> None:
        """Read everything again next time (another process changed the store)."""
        with self._dirty_lock:
            self._everything_dirty = True

    def by_key(self) -> dict[Any, R]:
        """All records, deleted ones included. Reads the store when something changed."""
        with self._lock:
            with self._dirty_lock:
                everything, self._everything_dirty = self._everything_dirty, False
                dirty, self._dirty = self._dirty, set()
            if everything:
                self._records = {self._key(r): r for r in self._read_all()}
            elif dirty:
                records = dict(self._records)
                for record in self._read_some(dirty):
                    records[self._key(record)] = record
                self._records = records
            return self._records

    def active(self) -> list[R]:
        """The records not deleted, in key order."""
        self.by_key()
        with self._lock:
            records = self._records
            if self._active is None or self._active_of is not records:
                self._active = [records[k] for k in sorted(records) if not getattr(records[k], "deleted", False)]
                self._active_of = records
            return self._active


class Snapshots:
    """The snapshots a desktop shares between its views."""

    def __init__(self, store: Store):
        self.points: Snapshot = Snapshot(
            store, "service_points",
            read_all=lambda: store.service_points(include_deleted=True),
            read_some=lambda ids: store.service_points(include_deleted=True, point_ids=ids),
            key=lambda p: p.point_id)
        self.cameras: Snapshot = Snapshot(
            store, "cameras",
            read_all=lambda: store.cameras(include_deleted=True),
            read_some=lambda ids: store.cameras(include_deleted=True, camera_ids=ids),
            key=lambda c: c.camera_id)

    def invalidate(self) -> None:
        self.points.invalidate()
        self.cameras.invalidate()

    def close(self) -> None:
        self.points.close()
        self.cameras.close()
