"""Read-side caches of the records most views need: every service point, every camera,
the alerts in view.

A province has 30,000 service points. The directory, the map, the wall, the alert
list and the meeting composer all need them; reading and converting them once per
view and per change kept a reader thread busy all through a full sync, and on a
desktop every busy Python thread delays the GUI thread. A snapshot reads everything
once, then only the records the store reports as changed.

The open alerts are wanted by four views at every change of an alert (the list, the
map, the wall, the announcer): read each time by each, they were most of the
window's reading.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

from commandcenter.domain.people import CITY, Scope
from commandcenter.domain.records import Alert
from commandcenter.store.changes import ChangeEvent
from commandcenter.store.scope import alert_in_scope, point_in_scope
from commandcenter.store.store import Store

R = TypeVar("R")

# Closed alerts kept in view for reference; open ones are always all there. The alert
# list is read again on every new alert, at once: 2,000 closed rows made that read
# take 120–180 ms of the time from the data center to the screen, 500 a third of it.
CLOSED_KEPT = 500


class _Changes:
    """Which records of one kind changed since they were last read, from the store's
    change events (everything, at first and when an event names no records)."""

    def __init__(self, store: Store, kind: str):
        self.kind = kind
        self._lock = threading.Lock()
        self._keys: set[str] = set()
        self._everything = True
        # First: a view hears of a change (on another thread) and reads the snapshot; the
        # snapshot must know of the change by then, or it serves the records from before
        # and nothing tells the view to read again until the next change of the kind.
        self._unsubscribe = store.subscribe(self._on_change, first=True)

    def close(self) -> None:
        self._unsubscribe()

    def _on_change(self, event: ChangeEvent) -> None:
        if event.kind != self.kind:
            return
        with self._lock:
            if event.keys is None:
                self._everything = True
            else:
                self._keys.update(event.keys)

    def everything(self) -> None:
        with self._lock:
            self._everything = True

    @contextmanager
    def reading(self) -> Iterator[tuple[bool, set[str]]]:
        """(everything changed, the keys that changed) for a read of them, forgotten here
        unless the read fails: then they are read again next time, so no change is lost."""
        with self._lock:
            everything, keys = self._everything, self._keys
            self._everything, self._keys = False, set()
        try:
            yield everything, keys
        except BaseException:
            with self._lock:
                self._everything |= everything
                self._keys |= keys
            raise


class Snapshot(Generic[R]):
    """The current records of one kind, by key, kept up to date from change events.

    `by_key()` returns a dict that is never modified afterwards (a change makes a new
    one), so a caller may keep it and hand it to another thread.
    """

    def __init__(
        self,
        store: Store,
        kind: str,
        *,
        read_all: Callable[[], list[R]],
        read_some: Callable[[Iterable[str]], list[R]],
        key: Callable[[R], Hashable],
    ):
        self.kind = kind
        self._read_all = read_all
        self._read_some = read_some
        self._key = key
        self._lock = threading.Lock()  # one refresh at a time
        self._changes = _Changes(store, kind)
        self._records: dict[Any, R] = {}
        self._active: list[R] | None = None
        self._active_of: dict | None = None  # the records `_active` was made from

    def close(self) -> None:
        """Stop following the store's changes."""
        self._changes.close()

    def invalidate(self) -> None:
        """Read everything again next time (another process changed the store)."""
        self._changes.everything()

    def by_key(self) -> dict[Any, R]:
        """All records, deleted ones included. Reads the store when something changed."""
        with self._lock:
            with self._changes.reading() as (everything, dirty):
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
                self._active = [
                    records[k] for k in sorted(records) if not getattr(records[k], "deleted", False)
                ]
                self._active_of = records
            return self._active


class AlertSnapshot:
    """The alerts a desktop shows, kept up to date from change events: every alert not
    closed, however old, and the `closed_kept` newest closed ones, each newest first.

    An alert that has not changed stays the same object from one read to the next, so
    a view can tell in an instant which of its rows must be built again. The lists
    returned are never modified afterwards.
    """

    def __init__(self, store: Store, *, closed_kept: int = CLOSED_KEPT):
        self._store = store
        self.closed_kept = closed_kept
        self._lock = threading.Lock()  # one refresh at a time
        self._changes = _Changes(store, "alerts")
        self._open: dict[str, Alert] = {}
        self._closed: dict[str, Alert] = {}
        self._lists: tuple[list[Alert], list[Alert]] = ([], [])

    def close(self) -> None:
        """Stop following the store's changes."""
        self._changes.close()

    def invalidate(self) -> None:
        """Read everything again at the next use."""
        self._changes.everything()

    def open(self) -> list[Alert]:
        """Every alert not closed, newest first. Reads the store when something changed."""
        return self._read()[0]

    def shown(self) -> list[Alert]:
        """The open alerts, then the newest closed ones."""
        open_, closed = self._read()
        return open_ + closed

    def lists(self) -> tuple[list[Alert], list[Alert]]:
        """(the open alerts, the newest closed ones), both newest first."""
        return self._read()

    def _read(self) -> tuple[list[Alert], list[Alert]]:
        with self._lock:
            store = self._store
            with self._changes.reading() as (everything, dirty):
                if everything:
                    self._open = {a.alert_id: a for a in store.alerts(open_only=True)}
                    self._closed = {
                        a.alert_id: a for a in store.alerts(status="closed", limit=self.closed_kept)
                    }
                elif dirty:
                    found = {a.alert_id: a for a in store.alerts(alert_ids=dirty)}
                    for alert_id in dirty:
                        self._open.pop(alert_id, None)
                        self._closed.pop(alert_id, None)
                        alert = found.get(alert_id)
                        if alert is not None:
                            (self._closed if alert.status == "closed" else self._open)[alert_id] = (
                                alert
                            )
                else:
                    return self._lists
            closed = _newest_first(self._closed.values())[: self.closed_kept]
            self._closed = {a.alert_id: a for a in closed}
            self._lists = (_newest_first(self._open.values()), closed)
            return self._lists


def _newest_first(alerts: Iterable[Alert]) -> list[Alert]:
    return sorted(
        alerts, key=lambda a: (-a.occurred_at.timestamp(), a.alert_id)
    )  # as the store orders them


class ScopedSnapshot:
    """A snapshot of points or cameras as a desk with a scope sees it: the same reads,
    the records outside the scope left out. For the city, the snapshot's own dicts and
    lists (so that views keep telling unchanged reads by their identity)."""

    def __init__(
        self,
        snapshot: Snapshot,
        scope_of: Callable[[], Scope],
        keep: Callable[[Any, Scope], bool],
        *,
        depends_on: Snapshot | None = None,
    ):
        self.kind = snapshot.kind
        self._snapshot = snapshot
        self._scope_of = scope_of
        self._keep = keep  # (record, scope) -> in scope
        self._depends_on = depends_on  # cameras are in scope by their points
        self._lock = threading.Lock()
        self._made: tuple | None = None  # (source dict, other dict, scope, by_key, active)

    def close(self) -> None:
        """Stop following the store's changes."""
        self._snapshot.close()

    def invalidate(self) -> None:
        """Read everything again next time."""
        self._snapshot.invalidate()

    def by_key(self) -> dict[Any, Any]:
        """The records in scope, deleted ones included."""
        return self._filtered()[0]

    def active(self) -> list[Any]:
        """The records in scope not deleted, in key order."""
        return self._filtered()[1]

    def _filtered(self) -> tuple[dict, list]:
        scope = self._scope_of()
        if scope.city:
            return self._snapshot.by_key(), self._snapshot.active()
        records = self._snapshot.by_key()
        other = self._depends_on.by_key() if self._depends_on is not None else None
        with self._lock:
            made = self._made
            if made is not None and made[0] is records and made[1] is other and made[2] == scope:
                return made[3], made[4]
        keep = self._keep
        if other is None:
            kept = {k: r for k, r in records.items() if keep(r, scope)}
        else:
            kept = {k: r for k, r in records.items() if keep((r, other), scope)}
        active = [kept[k] for k in sorted(kept) if not getattr(kept[k], "deleted", False)]
        with self._lock:
            self._made = (records, other, scope, kept, active)
        return kept, active


class ScopedAlerts:
    """The alerts a desk with a scope sees (store.scope.alert_in_scope)."""

    def __init__(self, alerts: AlertSnapshot, points: Snapshot, scope_of: Callable[[], Scope]):
        self._alerts = alerts
        self._points = points
        self._scope_of = scope_of
        self._lock = threading.Lock()
        self._made: tuple | None = None

    @property
    def closed_kept(self) -> int:
        """How many closed alerts are kept in view."""
        return self._alerts.closed_kept

    def close(self) -> None:
        """Stop following the store's changes."""
        self._alerts.close()

    def invalidate(self) -> None:
        """Read everything again at the next use."""
        self._alerts.invalidate()

    def open(self) -> list[Alert]:
        """Every alert in scope not closed, newest first."""
        return self._filtered()[0]

    def shown(self) -> list[Alert]:
        """The open alerts in scope, then the newest closed ones."""
        open_, closed = self._filtered()
        return open_ + closed

    def _filtered(self) -> tuple[list[Alert], list[Alert]]:
        lists = self._alerts.lists()
        scope = self._scope_of()
        if scope.city:
            return lists
        points = self._points.by_key()
        with self._lock:
            made = self._made
            if made is not None and made[0] is lists and made[1] is points and made[2] == scope:
                return made[3]
        kept = tuple([a for a in part if alert_in_scope(a, points, scope)] for part in lists)
        result = (kept[0], kept[1])
        with self._lock:
            self._made = (lists, points, scope, result)
        return result


class Snapshots:
    """The snapshots a desktop shares between its views, as the desk's scope (the
    signed-in person's county, or the city) lets it see them."""

    def __init__(self, store: Store, scope_of: Callable[[], Scope] = lambda: CITY):
        self.scope_of = scope_of
        all_points: Snapshot = Snapshot(
            store,
            "service_points",
            read_all=lambda: store.service_points(include_deleted=True),
            read_some=lambda ids: store.service_points(include_deleted=True, point_ids=ids),
            key=lambda p: p.point_id,
        )
        all_cameras: Snapshot = Snapshot(
            store,
            "cameras",
            read_all=lambda: store.cameras(include_deleted=True),
            read_some=lambda ids: store.cameras(include_deleted=True, camera_ids=ids),
            key=lambda c: c.camera_id,
        )
        self.points = ScopedSnapshot(all_points, scope_of, point_in_scope)
        self.cameras = ScopedSnapshot(
            all_cameras,
            scope_of,
            lambda pair, scope: _camera_in_scope(pair[0], pair[1], scope),
            depends_on=all_points,
        )
        self.alerts = ScopedAlerts(AlertSnapshot(store), all_points, scope_of)

    def invalidate(self) -> None:
        """Read everything again at the next use."""
        self.points.invalidate()
        self.cameras.invalidate()
        self.alerts.invalidate()

    def close(self) -> None:
        """Stop following the store's changes."""
        self.points.close()
        self.cameras.close()
        self.alerts.close()


def _camera_in_scope(camera: Any, points: dict, scope: Scope) -> bool:
    point = points.get(camera.point_id)
    return point is not None and point_in_scope(point, scope)
