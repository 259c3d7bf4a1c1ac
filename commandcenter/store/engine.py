"""Where the store lives and how it is opened: the database URL, the engine and its
options, SQLite's pragmas, transactions, and the rows written straight to the driver."""

from __future__ import annotations

import logging
import operator
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import platformdirs
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from commandcenter.local.files import owner_only_file, owner_only_folder
from commandcenter.store.audit_seal import AuditSeal
from commandcenter.store.rows import Converter, chunks, driver_converter
from commandcenter.store.shared import server_connect_args

log = logging.getLogger(__name__)

# an upsert compiled for a table and its columns: the SQL, the order of its positional
# parameters (None: named), and each column's conversion for the driver
_Upsert = tuple[str, list[str] | None, list[tuple[str, Converter | None]]]

# PostgreSQL through psycopg2, whichever driver SQLAlchemy would choose for a bare
# postgresql:// (psycopg2 up to 2.0, psycopg 3 from 2.1)
POSTGRESQL_DRIVER = "psycopg2"


# the package to install for a driver that is missing
DRIVER_PACKAGES = {"psycopg2": "psycopg2-binary", "psycopg": "psycopg[binary]"}


def identity_of(url: sa.engine.URL) -> str:
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
    """The default store: SQLite in the user's data folder."""
    folder = Path(platformdirs.user_data_dir("commandcenter"))
    return f"sqlite:///{folder / 'commandcenter.db'}"


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


class UnitOfWork:
    """One transaction across the store's parts: each write method of the outbox, the
    audit log, the desk's data and the alerts takes it as `work` and writes on its
    connection. What must follow the commit (the change notices, the audit log's head
    recorded outside the store) waits for it, and a rollback drops it."""

    def __init__(self, conn: Connection):
        self.conn = conn
        self._after_commit: list[Callable[[], None]] = []

    def after_commit(self, call: Callable[[], None]) -> None:
        """Run `call` once the transaction is committed; never if it is rolled back."""
        self._after_commit.append(call)

    def committed(self) -> None:
        """The transaction was committed: run what waited for it, in order."""
        calls, self._after_commit = self._after_commit, []
        for call in calls:
            call()


class StoreError(Exception):
    """The store cannot be opened as configured; the message says why, in one line."""


class StoreOutdated(StoreError):
    """Opened read-only, the store's schema is older than this version's."""


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


class StoreEngine:
    """The database behind the store: its URL, its engine and connection options,
    transactions (one writer at a time on SQLite), and rows written straight to the driver.
    Every part of the store builds on it."""

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
        self.identity = identity_of(parsed)
        self.read_only = read_only
        self.file = sqlite_file(parsed)
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
                self.engine, "connect", sqlite_read_pragmas if read_only else sqlite_pragmas
            )
        self._upsert_cache: dict[tuple[str, tuple[str, ...], str | None, bool], _Upsert] = {}
        # SQLite has one writer at a time; left to itself a second writer sleeps in
        # SQLite's busy handler (up to 100 ms a round). A lock here hands over at once.
        self._write_lock = threading.Lock() if self.dialect == "sqlite" else None
        # one store for several processes and desks, which hear of each other's changes
        self.shared = self.dialect == "postgresql"
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

    @contextmanager
    def unit_of_work(self) -> Iterator[UnitOfWork]:
        """One transaction for several parts of the store (an operator's command: its
        intent in the outbox, the record's change, the audit entry): all of it is
        committed, or none of it when the block raises."""
        with self._begin() as conn:
            work = UnitOfWork(conn)
            yield work
        work.committed()

    @contextmanager
    def _writing(self, work: UnitOfWork | None) -> Iterator[Connection]:
        """The connection to write on: the unit of work's, or a transaction of its own."""
        if work is not None:
            yield work.conn
            return
        with self._begin() as conn:
            yield conn

    def _engine_options(self) -> dict:
        if self.dialect == "sqlite":
            if self.read_only and self.file is not None:
                uri = read_only_uri(self.file)
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
        """Close the engine's connections."""
        self.engine.dispose()

    # -- rows to the driver -------------------------------------------------------

    def _insert(self, table: sa.Table) -> postgresql.Insert | sqlite.Insert:
        if self.dialect == "postgresql":
            return postgresql.insert(table)
        return sqlite.insert(table)

    def _upsert_rows(
        self,
        conn: Connection,
        table: sa.Table,
        rows: list[dict],
        *,
        where: sa.ColumnElement[bool] | None = None,
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
        converted = [(i, f) for i, c in enumerate(names) if (f := converters[c]) is not None]
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
        self,
        table: sa.Table,
        columns: tuple[str, ...],
        where: sa.ColumnElement[bool] | None,
        *,
        plain: bool = False,
    ) -> _Upsert:
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
        order = (
            list(compiled.positiontup)
            if compiled.positional and compiled.positiontup is not None
            else None
        )
        convert = [(c, driver_converter(table.c[c].type, self.dialect)) for c in columns]
        self._upsert_cache[key] = (compiled.string, order, convert)
        return self._upsert_cache[key]

    # -- reads ---------------------------------------------------------------------

    def _all(self, stmt: sa.Executable) -> Sequence[sa.Row[Any]]:
        with self.engine.connect() as conn:
            return conn.execute(stmt).all()

    def _read(self, stmt: sa.Select[Any], work: UnitOfWork | None) -> list[sa.Row[Any]]:
        """`stmt`'s rows, as the unit of work sees them (its own writes too) when given."""
        if work is not None:
            return list(work.conn.execute(stmt).all())
        return list(self._all(stmt))

    def _some(
        self, stmt: sa.Select[Any], column: sa.ColumnElement[Any], keys: Iterable[str]
    ) -> list[sa.Row[Any]]:
        """`stmt` restricted to the given keys, asked in batches the drivers accept."""
        with self.engine.connect() as conn:
            return [
                row
                for batch in chunks(sorted(set(keys)))
                for row in conn.execute(stmt.where(column.in_(batch)))
            ]


def sqlite_file(url: sa.engine.URL) -> Path | None:
    """The database file of a SQLite store (None: in memory, or not SQLite)."""
    database = url.database
    if url.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    if database.startswith("file:"):
        return None  # a URI of the caller's own: opened as given
    return Path(database).expanduser()


def read_only_uri(file: Path) -> str:
    """How SQLite opens `file` without writing. Where it can keep its shared memory
    beside the file (or finds a write-ahead log there to read), read-only; on read-only
    media, as immutable (nobody can change it there)."""
    wal = file.with_name(file.name + "-wal")
    writable_folder = os.access(file.parent, os.W_OK)
    mode = "mode=ro" if writable_folder or wal.exists() else "immutable=1"
    return f"file:{quote(str(file.resolve()))}?{mode}"


def sqlite_read_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    """Let a read-only SQLite connection wait for a writer instead of failing."""
    dbapi_connection.execute("PRAGMA busy_timeout=30000")


def sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    """Set up a SQLite connection for the client: WAL, its sync level and waits."""
    cursor = dbapi_connection.cursor()
    # WAL lets readers (the UI) go on while a feed writes; NORMAL is durable
    # enough for data that the next poll would bring again.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
