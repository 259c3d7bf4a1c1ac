"""The store: what the feeds learned and what the client's commands need.

Written from feed worker threads, read from others: every method opens its own
connection, so any thread may call any method. Writes report what actually
changed, and listeners hear of a change only after it is committed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import operator
import os
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import platformdirs
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from commandcenter.domain.alert_handling import AlertAction, Handling, handling
from commandcenter.domain.audit_chain import GENESIS, Head, entry_hash, key_id
from commandcenter.domain.audit_chain import verify as verify_chain
from commandcenter.domain.inspection import Draft, Evidence, ItemAnswer, Plan, Presence, RollCall
from commandcenter.domain.listeners import Listeners
from commandcenter.domain.records import (
    Alert,
    Camera,
    CaseStat,
    DashboardSummary,
    FeedHealthSample,
    FeedState,
    Inspection,
    InspectionResult,
    InspectionTemplate,
    Meeting,
    Org,
    Participant,
    Rejection,
    ServicePoint,
    TemplateItem,
)
from commandcenter.local.files import owner_only_file, owner_only_folder
from commandcenter.store import schema as t
from commandcenter.store.audit_seal import AuditCheck, AuditSeal
from commandcenter.store.shared import server_connect_args

log = logging.getLogger(__name__)

AUDIT_CHAIN_LOCK = 0x61756469  # "audi": writers of the audit log take turns on a shared store
# the triggers that keep the audit log append-only (migration 0005)
AUDIT_GUARDS_SQLITE = ("audit_log_no_update", "audit_log_no_delete")
AUDIT_GUARDS_POSTGRESQL = "audit_log_append_only"

HEALTH_SAMPLES_KEPT = 2000
SUMMARY_HISTORY = timedelta(days=7)
_BATCH = 500


def _identity(url: sa.engine.URL) -> str:
    """The store as one string, to file its audit head under: the database file's full
    path, or the server's address and database (never a password)."""
    if url.get_backend_name() == "sqlite":
        database = url.database or ":memory:"
        if database != ":memory:" and not database.startswith("file:"):
            database = str(Path(database).expanduser().resolve())
        return f"sqlite:{database}"
    host = url.host or "localhost"
    return f"{url.get_backend_name()}://{url.username or ''}@{host}:{url.port or ''}/{url.database}"


def default_database_url() -> str:
    folder = Path(platformdirs.user_data_dir("commandcenter"))
    return f"sqlite:///{folder / 'commandcenter.db'}"


@dataclass(frozen=True, slots=True)
class ChangeEvent:
    kind: str
    keys: frozenset[str] | None = None
    # written by another process (announced here), not through this Store object
    elsewhere: bool = False


@dataclass(frozen=True, slots=True)
class QuarantineEntry:
    id: int
    feed: str
    record_id: str | None
    reason: str
    raw: Any
    first_seen: datetime
    last_seen: datetime
    times_seen: int


@dataclass(frozen=True, slots=True)
class AuditEntry:
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


@dataclass(frozen=True, slots=True)
class OutboxEntry:
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


def _now() -> datetime:
    return datetime.now(UTC)


def _chunks(items: Sequence, size: int = _BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


# -- row conversions ------------------------------------------------------------


def _org_row(o: Org) -> dict:
    return {
        "org_code": o.org_code,
        "name": o.name,
        "level": o.level,
        "parent_code": o.parent_code,
        "adcode": o.adcode,
        "updated_at": o.updated_at,
        "deleted": o.deleted,
    }


def _org(r) -> Org:
    return Org(r.org_code, r.name, r.level, r.parent_code, r.adcode, r.updated_at, r.deleted)


def _point_row(p: ServicePoint) -> dict:
    return {
        "point_id": p.point_id,
        "name": p.name,
        "type": p.type,
        "level": p.level,
        "org_code": p.org_code,
        "address": p.address,
        "lng": p.lng,
        "lat": p.lat,
        "coord_sys": p.coord_sys,
        "lng_wgs84": p.lng_wgs84,
        "lat_wgs84": p.lat_wgs84,
        "phone": p.phone,
        "status": p.status,
        "staff_on_duty": p.staff_on_duty,
        "open_hours": p.open_hours,
        "camera_ids": list(p.camera_ids),
        "updated_at": p.updated_at,
        "deleted": p.deleted,
    }


def _point(r) -> ServicePoint:
    return ServicePoint(
        r.point_id,
        r.name,
        r.type,
        r.level,
        r.org_code,
        r.address,
        r.lng,
        r.lat,
        r.coord_sys,
        r.lng_wgs84,
        r.lat_wgs84,
        r.phone,
        r.status,
        r.staff_on_duty,
        r.open_hours,
        tuple(r.camera_ids or ()),
        r.updated_at,
        r.deleted,
    )


def _camera_row(c: Camera) -> dict:
    return {
        "camera_id": c.camera_id,
        "point_id": c.point_id,
        "name": c.name,
        "online": c.online,
        "ptz": c.ptz,
        "has_sub_stream": c.has_sub_stream,
        "updated_at": c.updated_at,
        "deleted": c.deleted,
    }


def _camera(r) -> Camera:
    return Camera(
        r.camera_id, r.point_id, r.name, r.online, r.ptz, r.has_sub_stream, r.updated_at, r.deleted
    )


def _alert_row(a: Alert) -> dict:
    return {
        "alert_id": a.alert_id,
        "type": a.type,
        "severity": a.severity,
        "point_id": a.point_id,
        "lng": a.lng,
        "lat": a.lat,
        "coord_sys": a.coord_sys,
        "lng_wgs84": a.lng_wgs84,
        "lat_wgs84": a.lat_wgs84,
        "occurred_at": a.occurred_at,
        "title": a.title,
        "detail": a.detail,
        "status": a.status,
        "ack_by": a.ack_by,
        "ack_at": a.ack_at,
        "updated_at": a.updated_at,
    }


def _alert(r) -> Alert:
    return Alert(
        r.alert_id,
        r.type,
        r.severity,
        r.point_id,
        r.lng,
        r.lat,
        r.coord_sys,
        r.lng_wgs84,
        r.lat_wgs84,
        r.occurred_at,
        r.title,
        r.detail,
        r.status,
        r.ack_by,
        r.ack_at,
        r.updated_at,
    )


def _inspection_row(i: Inspection) -> dict:
    return {
        "inspection_id": i.inspection_id,
        "point_id": i.point_id,
        "template_id": i.template_id,
        "template_version": i.template_version,
        "inspector": i.inspector,
        "started_at": i.started_at,
        "finished_at": i.finished_at,
        "results": [
            {"itemId": r.item_id, "passed": r.passed, "score": r.score, "text": r.text}
            for r in i.results
        ],
        "findings": i.findings,
        "rectification_due": i.rectification_due,
        "snapshot_count": i.snapshot_count,
        "updated_at": i.updated_at,
        "deleted": i.deleted,
    }


def _inspection(r) -> Inspection:
    results = tuple(
        InspectionResult(x["itemId"], x["passed"], x["score"], x["text"]) for x in r.results or ()
    )
    return Inspection(
        r.inspection_id,
        r.point_id,
        r.template_id,
        r.template_version,
        r.inspector,
        r.started_at,
        r.finished_at,
        results,
        r.findings,
        r.rectification_due,
        r.snapshot_count,
        r.updated_at,
        r.deleted,
    )


def _same(existing, row: dict) -> bool:
    return all(getattr(existing, k) == v for k, v in row.items())


def _raw_text(raw: Any) -> str:
    try:
        return json.dumps(raw, ensure_ascii=False, sort_keys=True, allow_nan=False)
    except (TypeError, ValueError):
        return json.dumps({"unserialisable": repr(raw)[:2000]}, ensure_ascii=False)


def store_failure(exc: BaseException) -> str | None:
    """One line on what the database said, when `exc` is the database failing (a full
    disk, a server gone or restarting, a lock held too long); None for anything else.
    The statement and its values are left out: they can be long and hold people's data."""
    if isinstance(exc, sa.exc.DBAPIError):
        said = str(exc.orig if exc.orig is not None else exc).strip().splitlines()
        return (said[0] if said else type(exc.orig).__name__)[:200]
    if isinstance(exc, sa.exc.SQLAlchemyError):
        return type(exc).__name__
    return None


class StoreError(Exception):
    """The store cannot be opened as configured; the message says why, in one line."""


class StoreOutdated(StoreError):
    """Opened read-only, the store's schema is older than this version's."""


# PostgreSQL through psycopg2, whichever driver SQLAlchemy would choose for a bare
# postgresql:// (psycopg2 up to 2.0, psycopg 3 from 2.1)
POSTGRESQL_DRIVER = "psycopg2"
# the package to install for a driver that is missing
DRIVER_PACKAGES = {"psycopg2": "psycopg2-binary", "psycopg": "psycopg[binary]"}


def store_url(url: str) -> sa.engine.URL:
    """The URL as given, with a bare postgresql:// (or postgres://) naming our driver.
    StoreError for what is not a database URL at all."""
    try:
        parsed = sa.engine.make_url(url)
    except sa.exc.ArgumentError:
        raise StoreError(
            "the store's URL is not a database URL (e.g. sqlite:////path/to/commandcenter.db "
            "or postgresql://user@host/database)"
        ) from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername=f"postgresql+{POSTGRESQL_DRIVER}")
    return parsed


class Store:
    def __init__(
        self,
        url: str | None = None,
        *,
        audit_seal: AuditSeal | None = None,
        read_only: bool = False,
    ):
        """`read_only`: never write, not even a schema upgrade (an export or a check of
        a store on read-only media, or one that is not ours to change)."""
        given = url or default_database_url()
        parsed = store_url(given)
        self.url = parsed.render_as_string(hide_password=False)
        self.url_for_display = parsed.render_as_string(hide_password=True)
        self.dialect = parsed.get_backend_name()
        self.audit_seal = audit_seal or AuditSeal()
        self.identity = _identity(parsed)
        self.read_only = read_only
        self.file = _sqlite_file(parsed)
        if self.file is not None and read_only and not self.file.is_file():
            raise StoreError(f"there is no store at {self.file}")
        if self.file is not None and not read_only:
            # the audit log, alerts' handling, inspections: the owner's alone
            owner_only_folder(self.file.parent)
            owner_only_file(self.file)
        try:
            self.engine: Engine = sa.create_engine(self.url, **self._engine_options())
        except ModuleNotFoundError as exc:
            package = DRIVER_PACKAGES.get(exc.name or "", exc.name)
            shown = sa.engine.make_url(given).render_as_string(hide_password=True)
            raise StoreError(
                f"the store {shown} needs the Python package {package} "
                f"(its database driver), which is not installed: pip install '{package}'"
            ) from None
        except sa.exc.NoSuchModuleError:
            raise StoreError(
                f"the store {self.url_for_display}: SQLAlchemy knows no database "
                f"{parsed.drivername!r} (use sqlite:// or postgresql://)"
            ) from None
        if self.dialect == "sqlite":
            sa.event.listen(
                self.engine, "connect", _sqlite_read_pragmas if read_only else _sqlite_pragmas
            )
        self._listeners: Listeners[ChangeEvent] = Listeners("the store")
        self._health_writes = 0
        self._upsert_cache: dict = {}
        # SQLite has one writer at a time; left to itself a second writer sleeps in
        # SQLite's busy handler (up to 100 ms a round). A lock here hands over at once.
        self._write_lock = threading.Lock() if self.dialect == "sqlite" else None
        # On a shared (PostgreSQL) store every change is announced to the other
        # processes, marked with this origin so that the process that made it ignores it.
        self.origin = uuid.uuid4().hex[:12]
        self.shared = self.dialect == "postgresql"
        self._change_listener = None
        from commandcenter.store.migrate import revisions, upgrade_to_head

        if not read_only:
            upgrade_to_head(self.engine)
            return
        try:
            current, head = revisions(self.engine)
        except sa.exc.DBAPIError as exc:
            raise StoreError(
                f"the store {self.url_for_display} cannot be read: {store_failure(exc)}"
            ) from None
        if current != head:
            raise StoreOutdated(
                f"the store {self.url_for_display} has schema {current or 'none'}, not this "
                f"version's {head}: opened read-only it cannot be upgraded"
            )

    @contextmanager
    def _begin(self) -> Iterator[Connection]:
        if self._write_lock is None:
            with self.engine.begin() as conn:
                yield conn
            return
        with self._write_lock, self.engine.begin() as conn:
            yield conn

    def _engine_options(self) -> dict:
        if self.dialect == "sqlite":
            if self.read_only and self.file is not None:
                uri = _read_only_uri(self.file)
                return {
                    "creator": lambda: sqlite3.connect(
                        uri, uri=True, timeout=30, check_same_thread=False
                    )
                }
            return {"connect_args": {"timeout": 30, "check_same_thread": False}}
        connect_args = server_connect_args(sa.engine.make_url(self.url))
        if self.read_only:
            connect_args["options"] = "-c default_transaction_read_only=on"
        return {
            "pool_pre_ping": True,
            "pool_size": 8,
            "max_overflow": 8,
            "connect_args": connect_args,
        }

    @property
    def write_overlap(self) -> timedelta:
        """How much earlier than the latest `changed_at` a reader has seen a transaction
        still open then may stamp its rows. SQLite writes one at a time, stamped inside
        the write lock; PostgreSQL's writers overlap for as long as a transaction lasts."""
        return timedelta(seconds=1) if self.dialect == "sqlite" else timedelta(seconds=30)

    def __repr__(self) -> str:
        return f"Store({self.url_for_display!r})"

    def close(self) -> None:
        if self._change_listener is not None:
            self._change_listener.stop()
            self._change_listener = None
        self.engine.dispose()

    # -- listeners -------------------------------------------------------------

    def subscribe(
        self, listener: Callable[[ChangeEvent], None], *, first: bool = False
    ) -> Callable[[], None]:
        """`first`: before the listeners there already (see Listeners.add)."""
        return self._listeners.add(listener, first=first)

    def announce(self, kind: str, keys: Iterable[str] | None = None) -> None:
        """Tell this store's listeners of a change another process made to the database."""
        self._emit(kind, keys, elsewhere=True)

    def listen_for_changes(self):
        """On a shared store: hear the changes other processes make (PostgreSQL LISTEN)
        and tell this store's listeners. Returns the listener (None on SQLite)."""
        if not self.shared:
            return None
        if self._change_listener is None:
            from commandcenter.store.shared import ChangeListener

            self._change_listener = ChangeListener(self.engine, self.origin, self.announce)
            self._change_listener.start()
        return self._change_listener

    def _emit(
        self, kind: str, keys: Iterable[str] | None = None, *, elsewhere: bool = False
    ) -> None:
        event = ChangeEvent(kind, frozenset(keys) if keys is not None else None, elsewhere)
        if self.shared and not elsewhere:
            self._notify((kind, event.keys))
        self._listeners.tell(event)

    def announce_everything(self) -> None:
        """On a shared store: tell the other processes that every kind of data may have
        changed. A collector that takes the lead does: the one before it may have died
        between a write's commit and its notice, and a change nobody hears of is read
        only when the next change of its kind comes."""
        if self.shared:
            from commandcenter.store.shared import CHANGE_KINDS

            self._notify(*((kind, None) for kind in CHANGE_KINDS))

    def _notify(self, *changes: tuple[str, frozenset | None]) -> None:
        from commandcenter.store.shared import CHANNEL, notify_payload

        try:
            with self.engine.begin() as conn:
                for kind, keys in changes:
                    conn.execute(
                        sa.text("SELECT pg_notify(:channel, :payload)"),
                        {"channel": CHANNEL, "payload": notify_payload(self.origin, kind, keys)},
                    )
        except (
            sa.exc.SQLAlchemyError
        ) as exc:  # written, but the others hear of it at their next read
            log.warning(
                "could not announce a change of %s to the other workstations: %s",
                ", ".join(kind for kind, _ in changes),
                " ".join(str(exc).split())[:200],
            )

    # -- upsert machinery ---------------------------------------------------------

    def _insert(self, table: sa.Table):
        if self.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        return insert(table)

    def _upsert_rows(
        self,
        conn: Connection,
        table: sa.Table,
        rows: list[dict],
        *,
        where=None,
        plain: bool = False,
    ) -> int:
        """Insert rows, or update them where their primary key exists (unless plain).
        Returns the driver's count of changed rows."""
        if not rows:
            return 0
        columns = tuple(rows[0])
        sql, order, convert = self._compiled_upsert(table, columns, where, plain=plain)
        converters = dict(convert)
        names = order if order is not None else list(columns)
        pick = operator.itemgetter(*names)
        converted = [(i, converters[c]) for i, c in enumerate(names) if converters[c] is not None]
        params: list = []
        for row in rows:
            values = list(pick(row)) if len(names) > 1 else [pick(row)]
            for i, convert_value in converted:
                if values[i] is not None:
                    values[i] = convert_value(values[i])
            params.append(
                tuple(values) if order is not None else dict(zip(names, values, strict=True))
            )
        # Straight to the driver: a full sync writes a few hundred thousand rows,
        # and SQLAlchemy's per-parameter processing would be most of its cost.
        return conn.exec_driver_sql(sql, params).rowcount

    def _compiled_upsert(
        self, table: sa.Table, columns: tuple[str, ...], where, *, plain: bool = False
    ):
        key = (table.name, columns, str(where) if where is not None else None, plain)
        cached = self._upsert_cache.get(key)
        if cached is not None:
            return cached
        stmt = self._insert(table)
        if not plain:
            keys = [c.name for c in table.primary_key.columns]
            update = {c: stmt.excluded[c] for c in columns if c not in keys}
            stmt = stmt.on_conflict_do_update(index_elements=keys, set_=update, where=where)
        compiled = stmt.compile(dialect=self.engine.dialect, column_keys=list(columns))
        order = list(compiled.positiontup) if compiled.positional else None
        convert = [(c, _driver_converter(table.c[c].type, self.dialect)) for c in columns]
        self._upsert_cache[key] = (compiled.string, order, convert)
        return self._upsert_cache[key]

    def _upsert_by_key(self, table: sa.Table, key: str, rows: list[dict], kind: str) -> set[str]:
        changed: set[str] = set()
        column = table.c[key]
        with self._begin() as conn:
            for batch in _chunks(rows):
                # the last occurrence of a key in a batch wins
                latest = {row[key]: row for row in batch}
                existing = {
                    r._mapping[key]: r
                    for r in conn.execute(sa.select(table).where(column.in_(list(latest))))
                }
                to_write = [
                    row
                    for k, row in latest.items()
                    if k not in existing or not _same(existing[k], row)
                ]
                self._upsert_rows(conn, table, to_write)
                changed.update(row[key] for row in to_write)
        if changed:
            self._emit(kind, changed)
        return changed

    # -- writes from feeds -------------------------------------------------------

    def upsert_orgs(self, orgs: Iterable[Org]) -> set[str]:
        return self._upsert_by_key(t.orgs, "org_code", [_org_row(o) for o in orgs], "orgs")

    def upsert_service_points(self, points: Iterable[ServicePoint]) -> set[str]:
        rows = []
        for p in points:
            rows.append(_point_row(p))
        return self._upsert_by_key(
            t.service_points,
            "point_id",
            self._keep_tombstoned(t.service_points, "point_id", rows),
            "service_points",
        )

    def upsert_cameras(self, cameras: Iterable[Camera]) -> set[str]:
        return self._upsert_by_key(
            t.cameras,
            "camera_id",
            self._keep_tombstoned(t.cameras, "camera_id", [_camera_row(c) for c in cameras]),
            "cameras",
        )

    def _keep_tombstoned(self, table: sa.Table, key: str, rows: list[dict]) -> list[dict]:
        """A tombstone carries only id and time: keep the last known fields and
        flag the row deleted, so history (and exports of deletions) stay readable."""
        tombstones = [r for r in rows if r["deleted"]]
        if not tombstones:
            return rows
        with self.engine.connect() as conn:
            known = {
                r._mapping[key]: r._mapping
                for r in conn.execute(
                    sa.select(table).where(table.c[key].in_([r[key] for r in tombstones]))
                )
            }
        merged = []
        for row in rows:
            if row["deleted"]:
                if row[key] not in known:
                    continue  # never seen: nothing to delete
                row = {**dict(known[row[key]]), "deleted": True, "updated_at": row["updated_at"]}
            merged.append(row)
        return merged

    def mark_absent_deleted(self, kind: str, present: set[str]) -> set[str]:
        """After a complete listing: whatever we hold that it no longer has is gone."""
        table, key = {
            "service_points": (t.service_points, "point_id"),
            "cameras": (t.cameras, "camera_id"),
            "orgs": (t.orgs, "org_code"),
        }[kind]
        with self._begin() as conn:
            held = {r[0] for r in conn.execute(sa.select(table.c[key]).where(~table.c.deleted))}
            gone = sorted(held - present)
            for batch in _chunks(gone):
                conn.execute(sa.update(table).where(table.c[key].in_(batch)).values(deleted=True))
        if gone:
            self._emit(kind, gone)
        return set(gone)

    def upsert_case_stats(self, rows: Iterable[CaseStat]) -> int:
        # Within one call the highest revision of a key wins, as on the server.
        latest: dict[tuple, CaseStat] = {}
        for s in rows:
            k = (s.granularity, s.bucket, s.org_code, s.category)
            if k not in latest or s.revision > latest[k].revision:
                latest[k] = s
        if not latest:
            return 0
        # A higher revision wins; lower or equal ones are ignored by the WHERE of
        # the upsert itself, so concurrent writers cannot undo a newer revision.
        guard = t.case_stats.c.revision < sa.literal_column("excluded.revision")
        applied = 0
        with self._begin() as conn:
            changed_at = _now()  # inside the write lock: SQLite commits in this order
            for batch in _chunks(list(latest.values()), 2000):
                rows = [
                    {
                        "granularity": s.granularity,
                        "bucket": s.bucket,
                        "org_code": s.org_code,
                        "category": s.category,
                        "received": s.received,
                        "closed": s.closed,
                        "pending": s.pending,
                        "revision": s.revision,
                        "changed_at": changed_at,
                    }
                    for s in batch
                ]
                if self.dialect == "sqlite":
                    # SQLite sums the rows an executemany changed: no need to read first.
                    applied += self._upsert_rows(conn, t.case_stats, rows, where=guard)
                else:
                    applied += self._upsert_newer_stats(conn, rows, guard)
        if applied:
            self._emit(
                "case_stats",
                {f"{s.granularity}|{s.org_code}|{s.category}" for s in latest.values()},
            )
        return applied

    def _upsert_newer_stats(self, conn: Connection, rows: list[dict], guard) -> int:
        c = t.case_stats.c
        buckets = [r["bucket"] for r in rows]
        existing = {
            (r.granularity, r.bucket, r.org_code, r.category): r.revision
            for r in conn.execute(
                sa.select(c.granularity, c.bucket, c.org_code, c.category, c.revision).where(
                    c.bucket.between(min(buckets), max(buckets))
                )
            )
        }
        newer = [
            r
            for r in rows
            if existing.get(
                (r["granularity"], r["bucket"].astimezone(UTC), r["org_code"], r["category"]), -1
            )
            < r["revision"]
        ]
        self._upsert_rows(conn, t.case_stats, newer, where=guard)
        return len(newer)

    def save_dashboard_summary(self, summary: DashboardSummary) -> bool:
        content = {
            "today": summary.today,
            "hotline": summary.hotline,
            "correction": summary.correction,
            "points": summary.points,
        }
        as_of = summary.as_of.astimezone(UTC)
        s = t.dashboard_summaries
        with self._begin() as conn:
            latest = conn.execute(sa.select(s).order_by(s.c.as_of.desc()).limit(1)).first()
            if latest is not None:
                if as_of < latest.as_of:
                    return False  # an older summary arriving late
                same = all(getattr(latest, k) == v for k, v in content.items())
                if same and as_of == latest.as_of:
                    return False
                if as_of == latest.as_of:
                    conn.execute(sa.update(s).where(s.c.id == latest.id).values(**content))
                else:
                    conn.execute(sa.insert(s).values(as_of=as_of, **content))
            else:
                conn.execute(sa.insert(s).values(as_of=as_of, **content))
            conn.execute(sa.delete(s).where(s.c.as_of < as_of - SUMMARY_HISTORY))
        self._emit("dashboard")
        return True

    def upsert_alerts(self, alerts: Iterable[Alert]) -> set[str]:
        incoming = [_alert_row(a) for a in alerts]
        if not incoming:
            return set()
        changed: set[str] = set()
        recorded_at = _now()
        # Compared in the driver's terms (what the database holds), read without
        # SQLAlchemy's row processing: a first sync reads hundreds of thousands.
        stamp = _driver_converter(t.alerts.c.updated_at.type, self.dialect)
        mark = "?" if self.engine.dialect.paramstyle == "qmark" else "%s"
        with self._begin() as conn:
            for batch in _chunks(incoming):
                ids = list({row["alert_id"] for row in batch})
                current = {
                    r[0]: (r[1], r[2], r[3], r[4])
                    for r in conn.exec_driver_sql(
                        "SELECT alert_id, status, ack_by, ack_at, updated_at FROM alerts "
                        f"WHERE alert_id IN ({', '.join([mark] * len(ids))})",
                        tuple(ids),
                    )
                }
                history = []
                dirty: dict[str, dict] = {}
                # In order: the same alert can come several times in one page.
                for row in batch:
                    alert_id = row["alert_id"]
                    state = (
                        row["status"],
                        row["ack_by"],
                        stamp(row["ack_at"]) if row["ack_at"] is not None else None,
                        stamp(row["updated_at"]),
                    )
                    known = current.get(alert_id)
                    if known is not None:
                        if state[3] < known[3]:
                            continue  # an older state arriving late
                        if state == known:
                            continue  # a re-send
                    if known is None or state[:3] != known[:3]:
                        history.append(
                            {
                                "alert_id": alert_id,
                                "status": row["status"],
                                "ack_by": row["ack_by"],
                                "ack_at": row["ack_at"],
                                "updated_at": row["updated_at"],
                                "recorded_at": recorded_at,
                            }
                        )
                    current[alert_id] = state
                    dirty[alert_id] = row
                self._upsert_rows(conn, t.alerts, list(dirty.values()))
                self._upsert_rows(conn, t.alert_history, history, plain=True)
                changed.update(dirty)
        if changed:
            self._emit("alerts", changed)
        return changed

    def replace_inspection_templates(self, templates: Iterable[InspectionTemplate]) -> bool:
        rows = [
            {
                "template_id": tpl.template_id,
                "name": tpl.name,
                "version": tpl.version,
                "items": [
                    {
                        "itemId": i.item_id,
                        "text": i.text,
                        "kind": i.kind,
                        "maxScore": i.max_score,
                        "required": i.required,
                    }
                    for i in tpl.items
                ],
            }
            for tpl in templates
        ]
        with self._begin() as conn:
            existing = {
                r.template_id: dict(r._mapping)
                for r in conn.execute(sa.select(t.inspection_templates))
            }
            wanted = {r["template_id"]: r for r in rows}
            if existing == wanted:
                return False
            conn.execute(sa.delete(t.inspection_templates))
            if rows:
                conn.execute(sa.insert(t.inspection_templates), rows)
        self._emit("inspection_templates", wanted)
        return True

    def upsert_inspections(self, inspections: Iterable[Inspection]) -> set[str]:
        return self._upsert_by_key(
            t.inspections, "inspection_id", [_inspection_row(i) for i in inspections], "inspections"
        )

    def upsert_meeting(self, meeting: Meeting) -> bool:
        row = {
            "meeting_id": meeting.meeting_id,
            "title": meeting.title,
            "status": meeting.status,
            "mix_url": meeting.mix_url,
            "host_point_id": meeting.host_point_id,
            "start_at": meeting.start_at,
            "participants": [
                {"pointId": p.point_id, "state": p.state} for p in meeting.participants
            ],
        }
        return bool(self._upsert_by_key(t.meetings, "meeting_id", [row], "meetings"))

    def add_rejections(self, rejections: Iterable[Rejection]) -> int:
        now = _now()
        added = 0
        with self._begin() as conn:
            for r in rejections:
                raw = _raw_text(r.raw)
                fingerprint = hashlib.sha256(
                    "\x1f".join([r.feed, r.record_id or "", r.reason, raw]).encode("utf-8")
                ).hexdigest()
                seen = r.received_at or now
                updated = conn.execute(
                    sa.update(t.quarantine)
                    .where(t.quarantine.c.fingerprint == fingerprint)
                    .values(last_seen=seen, times_seen=t.quarantine.c.times_seen + 1)
                ).rowcount
                if not updated:
                    conn.execute(
                        sa.insert(t.quarantine).values(
                            fingerprint=fingerprint,
                            feed=r.feed,
                            record_id=r.record_id,
                            reason=r.reason,
                            raw=raw,
                            first_seen=seen,
                            last_seen=seen,
                            times_seen=1,
                        )
                    )
                    added += 1
        if added:
            self._emit("quarantine")
        return added

    def record_feed_health(self, sample: FeedHealthSample) -> None:
        with self._begin() as conn:
            conn.execute(
                sa.insert(t.feed_health).values(
                    feed=sample.feed,
                    started_at=sample.started_at,
                    duration_s=sample.duration_s,
                    up=sample.up,
                    records_in=sample.records_in,
                    records_rejected=sample.records_rejected,
                    error=sample.error,
                    not_modified=sample.not_modified,
                )
            )
            self._health_writes += 1
            if self._health_writes % 100 == 0:
                cutoff = conn.execute(
                    sa.select(t.feed_health.c.id)
                    .where(t.feed_health.c.feed == sample.feed)
                    .order_by(t.feed_health.c.id.desc())
                    .offset(HEALTH_SAMPLES_KEPT)
                    .limit(1)
                ).scalar()
                if cutoff is not None:
                    conn.execute(
                        sa.delete(t.feed_health).where(
                            t.feed_health.c.feed == sample.feed, t.feed_health.c.id <= cutoff
                        )
                    )
        self._emit("feed_health", {sample.feed})

    def load_feed_state(self, feed: str) -> FeedState:
        with self.engine.connect() as conn:
            r = conn.execute(sa.select(t.feed_state).where(t.feed_state.c.feed == feed)).first()
        if r is None:
            return FeedState(feed)
        return FeedState(feed, r.cursor, r.etag, r.watermark, r.last_full_sync, dict(r.extra or {}))

    def save_feed_state(self, state: FeedState) -> None:
        with self._begin() as conn:
            self._upsert_rows(
                conn,
                t.feed_state,
                [
                    {
                        "feed": state.feed,
                        "cursor": state.cursor,
                        "etag": state.etag,
                        "watermark": state.watermark,
                        "last_full_sync": state.last_full_sync,
                        "extra": state.extra or {},
                    }
                ],
            )

    def reset_feed_state(self, feed: str | None = None) -> None:
        with self._begin() as conn:
            stmt = sa.delete(t.feed_state)
            if feed is not None:
                stmt = stmt.where(t.feed_state.c.feed == feed)
            conn.execute(stmt)

    def append_audit(
        self, *, user: str, role: str, action: str, target: str | None, detail: dict | None = None
    ) -> int:
        """Append to the hash-chained audit log. Writers take turns (an advisory lock on
        a shared store, the write lock on SQLite), so that two never chain to the same
        entry."""
        content = dict(at=_now(), user=user, role=role, action=action, target=target, detail=detail)
        key = self.audit_seal.key()
        with self._begin() as conn:
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
            entry_id = conn.execute(
                sa.insert(t.audit_log).values(
                    **content, prev_hash=previous, hash=digest, key_id=key_id(key)
                )
            ).inserted_primary_key[0]
            entries = conn.execute(sa.select(sa.func.count()).select_from(t.audit_log)).scalar()
        try:
            self.audit_seal.record_head(self.identity, Head(entries, entry_id, digest))
        except OSError as exc:
            # the entry is kept; only the guard against cutting the log short is behind
            log.error(
                "the audit log's head could not be recorded in %s (%s)",
                self.audit_seal.head_file(self.identity),
                exc.strerror or exc,
            )
        self._emit("audit", {str(entry_id)})
        return entry_id

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

    # -- outbox ------------------------------------------------------------------------

    def enqueue_command(
        self, *, kind: str, payload: dict, idempotency_key: str, target: str | None = None
    ) -> int:
        now = _now()
        with self._begin() as conn:
            existing = conn.execute(
                sa.select(t.outbox.c.id).where(t.outbox.c.idempotency_key == idempotency_key)
            ).scalar()
            if existing is not None:
                return existing
            entry_id = conn.execute(
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
            ).inserted_primary_key[0]
        self._emit("outbox", {str(entry_id)})
        return entry_id

    def due_commands(self, now: datetime, limit: int = 20) -> list[OutboxEntry]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(t.outbox)
                .where(t.outbox.c.state == "pending", t.outbox.c.next_attempt_at <= now)
                .order_by(t.outbox.c.id)
                .limit(limit)
            ).all()
        return [OutboxEntry(**r._mapping) for r in rows]

    def mark_command_sent(self, entry_id: int, result: dict) -> None:
        with self._begin() as conn:
            conn.execute(
                sa.update(t.outbox)
                .where(t.outbox.c.id == entry_id)
                .values(
                    state="sent",
                    sent_at=_now(),
                    result=result,
                    attempts=t.outbox.c.attempts + 1,
                    last_error=None,
                )
            )
        self._emit("outbox", {str(entry_id)})

    def mark_command_failed(
        self, entry_id: int, *, error: str, next_attempt_at: datetime | None
    ) -> None:
        values: dict[str, Any] = {"last_error": error, "attempts": t.outbox.c.attempts + 1}
        if next_attempt_at is None:
            values["state"] = "failed"
        else:
            values["next_attempt_at"] = next_attempt_at
        with self._begin() as conn:
            conn.execute(sa.update(t.outbox).where(t.outbox.c.id == entry_id).values(**values))
        self._emit("outbox", {str(entry_id)})

    def commands(self, state: str | None = None, *, target: str | None = None) -> list[OutboxEntry]:
        stmt = sa.select(t.outbox).order_by(t.outbox.c.id)
        if state is not None:
            stmt = stmt.where(t.outbox.c.state == state)
        if target is not None:
            stmt = stmt.where(t.outbox.c.target == target)
        with self.engine.connect() as conn:
            return [OutboxEntry(**r._mapping) for r in conn.execute(stmt)]

    # -- alerts handled here ------------------------------------------------------------

    def record_alert_action(self, action: AlertAction, *, once: bool = False) -> bool:
        """Keep what an operator did with an alert. `once`: not again if this actor has
        already done it (an alert is seen once per operator). True if written."""
        a = t.alert_actions
        with self._begin() as conn:
            if (
                once
                and conn.execute(
                    sa.select(a.c.id)
                    .where(
                        a.c.alert_id == action.alert_id,
                        a.c.action == str(action.action),
                        a.c.actor == action.actor,
                    )
                    .limit(1)
                ).first()
                is not None
            ):
                return False
            conn.execute(
                sa.insert(a).values(
                    alert_id=action.alert_id,
                    action=str(action.action),
                    actor=action.actor,
                    at=action.at,
                    text=action.text,
                )
            )
        self._emit("alert_actions", {action.alert_id})
        return True

    def alert_actions(self, alert_id: str) -> list[AlertAction]:
        a = t.alert_actions
        return [
            AlertAction(r.alert_id, r.action, r.actor, r.at, r.text)
            for r in self._all(sa.select(a).where(a.c.alert_id == alert_id).order_by(a.c.id))
        ]

    def alert_handling(self, alert_ids: Iterable[str]) -> dict[str, Handling]:
        """alert id -> how the command center has handled it, for the alerts asked."""
        a = t.alert_actions
        rows = sorted(self._some(sa.select(a), a.c.alert_id, alert_ids), key=lambda r: r.id)
        return handling(AlertAction(r.alert_id, r.action, r.actor, r.at, r.text) for r in rows)

    # -- meeting groups ---------------------------------------------------------------

    def save_meeting_group(self, name: str, point_ids: Sequence[str], *, created_by: str) -> None:
        with self._begin() as conn:
            self._upsert_rows(
                conn,
                t.meeting_groups,
                [
                    {
                        "name": name,
                        "point_ids": list(point_ids),
                        "created_by": created_by,
                        "created_at": _now(),
                    }
                ],
            )
        self._emit("meeting_groups", {name})

    def delete_meeting_group(self, name: str) -> None:
        with self._begin() as conn:
            conn.execute(sa.delete(t.meeting_groups).where(t.meeting_groups.c.name == name))
        self._emit("meeting_groups", {name})

    def meeting_groups(self) -> dict[str, tuple[str, ...]]:
        g = t.meeting_groups
        return {r.name: tuple(r.point_ids) for r in self._all(sa.select(g).order_by(g.c.name))}

    # -- remote supervision performed here ----------------------------------------------

    def save_draft(self, draft: Draft) -> None:
        """Insert or replace an inspection draft (as it is typed: a few times a second)."""
        row = {
            "draft_id": draft.draft_id,
            "point_id": draft.point_id,
            "plan_id": draft.plan_id,
            "inspector": draft.inspector,
            "state": draft.state,
            "content": _draft_content(draft),
            "updated_at": _now(),
        }
        with self._begin() as conn:
            self._upsert_rows(conn, t.inspection_drafts, [row])
        self._emit("inspection_drafts", {draft.draft_id})

    def drafts(self, *, state: str | None = None, point_id: str | None = None) -> list[Draft]:
        c = t.inspection_drafts.c
        stmt = sa.select(t.inspection_drafts).order_by(c.updated_at)
        if state is not None:
            stmt = stmt.where(c.state == state)
        if point_id is not None:
            stmt = stmt.where(c.point_id == point_id)
        return [_draft(r) for r in self._all(stmt)]

    def draft(self, draft_id: str) -> Draft | None:
        rows = self._all(
            sa.select(t.inspection_drafts).where(t.inspection_drafts.c.draft_id == draft_id)
        )
        return _draft(rows[0]) if rows else None

    def add_evidence(self, draft_id: str, evidence: Evidence) -> int:
        with self._begin() as conn:
            evidence_id = conn.execute(
                sa.insert(t.inspection_evidence).values(
                    draft_id=draft_id,
                    camera_id=evidence.camera_id,
                    captured_at=evidence.captured_at,
                    jpeg=evidence.jpeg,
                )
            ).inserted_primary_key[0]
        self._emit("inspection_drafts", {draft_id})
        return evidence_id

    def remove_evidence(self, evidence_id: int) -> None:
        e = t.inspection_evidence
        with self._begin() as conn:
            draft_id = conn.execute(sa.select(e.c.draft_id).where(e.c.id == evidence_id)).scalar()
            conn.execute(sa.delete(e).where(e.c.id == evidence_id))
        if draft_id is not None:
            self._emit("inspection_drafts", {draft_id})

    def evidence(self, draft_id: str) -> list[tuple[int, Evidence]]:
        e = t.inspection_evidence
        rows = self._all(sa.select(e).where(e.c.draft_id == draft_id).order_by(e.c.id))
        return [(r.id, Evidence(r.camera_id, r.captured_at, r.jpeg)) for r in rows]

    def submit_inspection(self, draft: Draft, payload: dict) -> int:
        """The finished draft and its command for the data center, in one transaction:
        either both are stored or neither. The draft's id is the idempotency key, so the
        same inspection sent twice is created once."""
        now = _now()
        row = {
            "draft_id": draft.draft_id,
            "point_id": draft.point_id,
            "plan_id": draft.plan_id,
            "inspector": draft.inspector,
            "state": "submitted",
            "content": _draft_content(draft),
            "updated_at": now,
        }
        with self._begin() as conn:
            self._upsert_rows(conn, t.inspection_drafts, [row])
            existing = conn.execute(
                sa.select(t.outbox.c.id).where(t.outbox.c.idempotency_key == draft.draft_id)
            ).scalar()
            entry_id = (
                existing
                if existing is not None
                else conn.execute(
                    sa.insert(t.outbox).values(
                        kind="inspection_submit",
                        idempotency_key=draft.draft_id,
                        target=draft.draft_id,
                        payload=payload,
                        state="pending",
                        attempts=0,
                        next_attempt_at=now,
                        created_at=now,
                    )
                ).inserted_primary_key[0]
            )
        self._emit("inspection_drafts", {draft.draft_id})
        self._emit("outbox", {str(entry_id)})
        return entry_id

    def record_inspection_outcome(
        self, draft_id: str, *, inspection_id: str | None = None, error: str | None = None
    ) -> None:
        """The data center confirmed the inspection (its id), or refused it (its reason)."""
        draft = self.draft(draft_id)
        if draft is None:
            return
        if inspection_id is not None:
            draft = replace(draft, state="sent", inspection_id=inspection_id, error=None)
        else:
            draft = replace(draft, state="failed", error=error)
        self.save_draft(draft)

    def save_plan(self, plan: Plan) -> None:
        row = {
            "plan_id": plan.plan_id,
            "name": plan.name,
            "point_ids": list(plan.point_ids),
            "position": plan.position,
            "created_by": plan.created_by,
            "created_at": plan.created_at or _now(),
        }
        with self._begin() as conn:
            self._upsert_rows(conn, t.inspection_plans, [row])
        self._emit("inspection_plans", {plan.plan_id})

    def plans(self) -> list[Plan]:
        p = t.inspection_plans
        return [
            Plan(r.plan_id, r.name, tuple(r.point_ids), r.position, r.created_by, r.created_at)
            for r in self._all(sa.select(p).order_by(p.c.created_at.desc()))
        ]

    def save_roll_call(self, roll_call: RollCall) -> None:
        row = {
            "roll_call_id": roll_call.roll_call_id,
            "inspector": roll_call.inspector,
            "started_at": roll_call.started_at,
            "finished_at": roll_call.finished_at,
            "point_ids": list(roll_call.point_ids),
            "results": {k: str(v) for k, v in roll_call.results.items()},
        }
        with self._begin() as conn:
            self._upsert_rows(conn, t.roll_calls, [row])
        self._emit("roll_calls", {roll_call.roll_call_id})

    def roll_calls(self) -> list[RollCall]:
        r_ = t.roll_calls
        return [
            RollCall(
                r.roll_call_id,
                r.inspector,
                r.started_at,
                tuple(r.point_ids),
                {k: Presence(v) for k, v in r.results.items()},
                r.finished_at,
            )
            for r in self._all(sa.select(r_).order_by(r_.c.started_at.desc()))
        ]

    def close_rectification(self, inspection_id: str, *, closed_by: str, note: str) -> None:
        with self._begin() as conn:
            self._upsert_rows(
                conn,
                t.rectification_closures,
                [
                    {
                        "inspection_id": inspection_id,
                        "closed_by": closed_by,
                        "closed_at": _now(),
                        "note": note,
                    }
                ],
            )
        self._emit("inspections", {inspection_id})

    def closed_rectifications(self) -> dict[str, tuple[str, datetime, str]]:
        """inspection id -> (closed by, when, note)."""
        return {
            r.inspection_id: (r.closed_by, r.closed_at, r.note)
            for r in self._all(sa.select(t.rectification_closures))
        }

    # -- reads ---------------------------------------------------------------------------

    def _all(self, stmt) -> list:
        with self.engine.connect() as conn:
            return conn.execute(stmt).all()

    def _some(self, stmt, column, keys: Iterable[str]) -> list:
        """`stmt` restricted to the given keys, asked in batches the drivers accept."""
        with self.engine.connect() as conn:
            return [
                row
                for batch in _chunks(sorted(set(keys)))
                for row in conn.execute(stmt.where(column.in_(batch)))
            ]

    def orgs(self) -> list[Org]:
        return [
            _org(r)
            for r in self._all(
                sa.select(t.orgs).where(~t.orgs.c.deleted).order_by(t.orgs.c.org_code)
            )
        ]

    def service_points(
        self,
        *,
        include_deleted: bool = False,
        org_code: str | None = None,
        type: str | None = None,
        status: str | None = None,
        point_ids: Iterable[str] | None = None,
    ) -> list[ServicePoint]:
        stmt = sa.select(t.service_points).order_by(t.service_points.c.point_id)
        if not include_deleted:
            stmt = stmt.where(~t.service_points.c.deleted)
        for column, value in (("org_code", org_code), ("type", type), ("status", status)):
            if value is not None:
                stmt = stmt.where(t.service_points.c[column] == value)
        if point_ids is not None:
            return [_point(r) for r in self._some(stmt, t.service_points.c.point_id, point_ids)]
        return [_point(r) for r in self._all(stmt)]

    def service_point(self, point_id: str) -> ServicePoint | None:
        rows = self._all(sa.select(t.service_points).where(t.service_points.c.point_id == point_id))
        return _point(rows[0]) if rows else None

    def cameras(
        self,
        *,
        point_id: str | None = None,
        include_deleted: bool = False,
        camera_ids: Iterable[str] | None = None,
    ) -> list[Camera]:
        stmt = sa.select(t.cameras).order_by(t.cameras.c.camera_id)
        if not include_deleted:
            stmt = stmt.where(~t.cameras.c.deleted)
        if point_id is not None:
            stmt = stmt.where(t.cameras.c.point_id == point_id)
        if camera_ids is not None:
            return [_camera(r) for r in self._some(stmt, t.cameras.c.camera_id, camera_ids)]
        return [_camera(r) for r in self._all(stmt)]

    def case_stats(
        self,
        *,
        granularity: str = "hour",
        since: datetime | None = None,
        until: datetime | None = None,
        org_code: str | None = None,
        category: str | None = None,
    ) -> list[CaseStat]:
        c = t.case_stats.c
        stmt = (
            sa.select(t.case_stats)
            .where(c.granularity == granularity)
            .order_by(c.bucket, c.org_code, c.category)
        )
        if since is not None:
            stmt = stmt.where(c.bucket >= since)
        if until is not None:
            stmt = stmt.where(c.bucket < until)
        if org_code is not None:
            stmt = stmt.where(c.org_code == org_code)
        if category is not None:
            stmt = stmt.where(c.category == category)
        return [
            CaseStat(
                r.bucket,
                r.org_code,
                r.category,
                r.granularity,
                r.received,
                r.closed,
                r.pending,
                r.revision,
            )
            for r in self._all(stmt)
        ]

    def case_stats_changed(
        self,
        *,
        granularity: str = "hour",
        since: datetime | None = None,
        buckets_from: datetime | None = None,
        buckets_until: datetime | None = None,
    ) -> tuple[list[tuple], datetime | None]:
        """The rows written at or after `since` (all rows when None) with buckets in
        [`buckets_from`, `buckets_until`), as plain tuples (bucket as epoch seconds,
        org_code, category, received, closed, pending), and the latest write time
        among them (None: no rows). For a reader that keeps the history in memory: it
        passes the latest time it has seen, less a margin for transactions still open then;
        reading a row twice is harmless. Plain tuples because a first read is 170,000
        rows, and making objects of them took three times as long as reading them."""
        c = t.case_stats.c
        where = [c.granularity == granularity]
        if since is not None:
            where.append(c.changed_at >= since)
        if buckets_from is not None:
            where.append(c.bucket >= buckets_from)
        if buckets_until is not None:
            where.append(c.bucket < buckets_until)
        if self.dialect == "sqlite":
            epoch = sa.cast(sa.func.strftime("%s", c.bucket), sa.Integer)
        else:
            epoch = sa.cast(sa.extract("epoch", c.bucket), sa.BigInteger)
        with self.engine.connect() as conn:
            # the latest write first: a row written between the two reads is newer and
            # is read again next time
            latest = conn.execute(sa.select(sa.func.max(c.changed_at)).where(*where)).scalar()
            rows = conn.execute(
                sa.select(epoch, c.org_code, c.category, c.received, c.closed, c.pending).where(
                    *where
                )
            ).all()
        return rows, latest

    def dashboard_summaries(self, *, since: datetime) -> list[DashboardSummary]:
        """The summaries from `since` on, oldest first (a week is kept): the live numbers' recent course."""
        s = t.dashboard_summaries
        return [
            DashboardSummary(r.as_of, r.today, r.hotline, r.correction, r.points)
            for r in self._all(sa.select(s).where(s.c.as_of >= since).order_by(s.c.as_of))
        ]

    def latest_dashboard_summary(self) -> DashboardSummary | None:
        rows = self._all(
            sa.select(t.dashboard_summaries).order_by(t.dashboard_summaries.c.as_of.desc()).limit(1)
        )
        if not rows:
            return None
        r = rows[0]
        return DashboardSummary(r.as_of, r.today, r.hotline, r.correction, r.points)

    def alerts(
        self,
        *,
        status: str | None = None,
        open_only: bool = False,
        since: datetime | None = None,
        limit: int | None = None,
        alert_ids: Iterable[str] | None = None,
    ) -> list[Alert]:
        """Newest first. `open_only`: every alert not closed, however old. `alert_ids`:
        only these, in no particular order (so no `limit` with them)."""
        if alert_ids is not None and limit is not None:
            raise ValueError("alerts(): a limit with alert_ids would keep arbitrary ones")
        stmt = sa.select(t.alerts).order_by(t.alerts.c.occurred_at.desc(), t.alerts.c.alert_id)
        if status is not None:
            stmt = stmt.where(t.alerts.c.status == status)
        if open_only:
            stmt = stmt.where(t.alerts.c.status != "closed")
        if since is not None:
            stmt = stmt.where(t.alerts.c.occurred_at >= since)
        if alert_ids is not None:
            return [_alert(r) for r in self._some(stmt, t.alerts.c.alert_id, alert_ids)]
        if limit is not None:
            stmt = stmt.limit(limit)
        return [_alert(r) for r in self._all(stmt)]

    def alert_history(self, alert_id: str) -> list[dict]:
        rows = self._all(
            sa.select(t.alert_history)
            .where(t.alert_history.c.alert_id == alert_id)
            .order_by(t.alert_history.c.id)
        )
        return [dict(r._mapping) for r in rows]

    def inspection_templates(self) -> list[InspectionTemplate]:
        return [
            InspectionTemplate(
                r.template_id,
                r.name,
                r.version,
                tuple(
                    TemplateItem(i["itemId"], i["text"], i["kind"], i["maxScore"], i["required"])
                    for i in r.items
                ),
            )
            for r in self._all(
                sa.select(t.inspection_templates).order_by(t.inspection_templates.c.template_id)
            )
        ]

    def inspections(self, *, point_id: str | None = None) -> list[Inspection]:
        stmt = (
            sa.select(t.inspections)
            .where(~t.inspections.c.deleted)
            .order_by(t.inspections.c.updated_at.desc())
        )
        if point_id is not None:
            stmt = stmt.where(t.inspections.c.point_id == point_id)
        return [_inspection(r) for r in self._all(stmt)]

    def meetings(self) -> list[Meeting]:
        return [
            Meeting(
                r.meeting_id,
                r.title,
                r.status,
                r.mix_url,
                r.host_point_id,
                r.start_at,
                tuple(Participant(p["pointId"], p["state"]) for p in r.participants),
            )
            for r in self._all(sa.select(t.meetings).order_by(t.meetings.c.meeting_id))
        ]

    def rejections(
        self, *, feed: str | None = None, limit: int | None = None
    ) -> list[QuarantineEntry]:
        stmt = sa.select(t.quarantine).order_by(t.quarantine.c.last_seen.desc(), t.quarantine.c.id)
        if feed is not None:
            stmt = stmt.where(t.quarantine.c.feed == feed)
        if limit is not None:
            stmt = stmt.limit(limit)
        return [
            QuarantineEntry(
                r.id,
                r.feed,
                r.record_id,
                r.reason,
                json.loads(r.raw),
                r.first_seen,
                r.last_seen,
                r.times_seen,
            )
            for r in self._all(stmt)
        ]

    def feed_health(self, feed: str | None = None, *, limit: int = 100) -> list[FeedHealthSample]:
        stmt = sa.select(t.feed_health).order_by(t.feed_health.c.id.desc()).limit(limit)
        if feed is not None:
            stmt = stmt.where(t.feed_health.c.feed == feed)
        return [_health_sample(r) for r in self._all(stmt)]

    def feed_poll_history(
        self, feeds: Iterable[str], per_feed: int
    ) -> dict[str, tuple[list[FeedHealthSample], FeedHealthSample | None]]:
        """For each feed: its newest `per_feed` polls, newest first, and its newest
        successful poll (which may be older than all of those). Asked feed by feed along
        the (feed, started_at) index: a desk asks every second, of thousands of polls."""
        h = t.feed_health
        history: dict[str, tuple[list[FeedHealthSample], FeedHealthSample | None]] = {}
        with self.engine.connect() as conn:
            for feed in feeds:
                newest_first = sa.select(h).where(h.c.feed == feed).order_by(h.c.started_at.desc())
                recent = [_health_sample(r) for r in conn.execute(newest_first.limit(per_feed))]
                success = next((s for s in recent if s.up), None)
                if success is None and recent:
                    row = conn.execute(newest_first.where(h.c.up).limit(1)).first()
                    success = _health_sample(row) if row is not None else None
                history[feed] = (recent, success)
        return history

    def last_success(self, feed: str) -> datetime | None:
        with self.engine.connect() as conn:
            return conn.execute(
                sa.select(sa.func.max(t.feed_health.c.started_at)).where(
                    t.feed_health.c.feed == feed, t.feed_health.c.up
                )
            ).scalar()

    def audit_log(self, *, limit: int = 500) -> list[AuditEntry]:
        rows = self._all(sa.select(t.audit_log).order_by(t.audit_log.c.id.desc()).limit(limit))
        return [AuditEntry(**r._mapping) for r in rows]

    def counts(self) -> dict[str, int]:
        tables = {
            "orgs": (t.orgs, ~t.orgs.c.deleted),
            "service_points": (t.service_points, ~t.service_points.c.deleted),
            "cameras": (t.cameras, ~t.cameras.c.deleted),
            "case_stats": (t.case_stats, None),
            "alerts": (t.alerts, None),
            "inspection_templates": (t.inspection_templates, None),
            "inspections": (t.inspections, ~t.inspections.c.deleted),
            "meetings": (t.meetings, None),
            "quarantine": (t.quarantine, None),
            "outbox": (t.outbox, None),
            "audit_log": (t.audit_log, None),
        }
        out = {}
        with self.engine.connect() as conn:
            for name, (table, where) in tables.items():
                stmt = sa.select(sa.func.count()).select_from(table)
                if where is not None:
                    stmt = stmt.where(where)
                out[name] = conn.execute(stmt).scalar_one()
        return out


def _draft_content(draft: Draft) -> dict:
    return {
        "templateId": draft.template_id,
        "templateVersion": draft.template_version,
        "startedAt": draft.started_at.isoformat(),
        "answers": {
            k: {"passed": a.passed, "score": a.score, "text": a.text}
            for k, a in draft.answers.items()
        },
        "findings": draft.findings,
        "rectificationDue": draft.rectification_due.isoformat()
        if draft.rectification_due
        else None,
        "finishedAt": draft.finished_at.isoformat() if draft.finished_at else None,
        "inspectionId": draft.inspection_id,
        "error": draft.error,
    }


def _draft(r) -> Draft:
    c = r.content
    return Draft(
        r.draft_id,
        r.point_id,
        c["templateId"],
        c["templateVersion"],
        r.inspector,
        datetime.fromisoformat(c["startedAt"]),
        {
            k: ItemAnswer(a.get("passed"), a.get("score"), a.get("text"))
            for k, a in c.get("answers", {}).items()
        },
        c.get("findings", ""),
        date.fromisoformat(c["rectificationDue"]) if c.get("rectificationDue") else None,
        r.plan_id,
        r.state,
        c.get("inspectionId"),
        c.get("error"),
        datetime.fromisoformat(c["finishedAt"]) if c.get("finishedAt") else None,
        r.updated_at,
    )


@lru_cache(maxsize=16384)
def _sqlite_datetime(value: datetime) -> str:
    # the text form SQLAlchemy's SQLite DateTime reads back
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


@lru_cache(maxsize=16384)
def _naive_utc(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(tzinfo=None)


def _json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _driver_converter(type_: sa.types.TypeEngine, dialect: str):
    """The value the DBAPI driver wants for a column, computed without SQLAlchemy."""
    if isinstance(type_, t.UtcDateTime):

        def check(value: datetime):
            if value.tzinfo is None:
                raise ValueError(
                    f"naive datetime {value.isoformat()}: the store needs times with an offset"
                )
            return _sqlite_datetime(value) if dialect == "sqlite" else _naive_utc(value)

        return check
    if isinstance(type_, sa.JSON):
        return _json_text
    if isinstance(type_, sa.Boolean):
        return int if dialect == "sqlite" else None
    if isinstance(type_, sa.Date):
        return (lambda d: d.isoformat()) if dialect == "sqlite" else None
    return None


def _sqlite_file(url: sa.engine.URL) -> Path | None:
    """The database file of a SQLite store (None: in memory, or not SQLite)."""
    database = url.database
    if url.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    if database.startswith("file:"):
        return None  # a URI of the caller's own: opened as given
    return Path(database).expanduser()


def _read_only_uri(file: Path) -> str:
    """How SQLite opens `file` without writing. Where it can keep its shared memory
    beside the file (or finds a write-ahead log there to read), read-only; on read-only
    media, as immutable (nobody can change it there)."""
    wal = file.with_name(file.name + "-wal")
    writable_folder = os.access(file.parent, os.W_OK)
    mode = "mode=ro" if writable_folder or wal.exists() else "immutable=1"
    return f"file:{quote(str(file.resolve()))}?{mode}"


def _sqlite_read_pragmas(dbapi_connection, _record) -> None:
    dbapi_connection.execute("PRAGMA busy_timeout=30000")


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers (the UI) go on while a feed writes; NORMAL is durable
    # enough for data that the next poll would bring again.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _health_sample(r) -> FeedHealthSample:
    return FeedHealthSample(
        r.feed,
        r.started_at,
        r.duration_s,
        r.up,
        r.records_in,
        r.records_rejected,
        r.error,
        r.not_modified,
    )
