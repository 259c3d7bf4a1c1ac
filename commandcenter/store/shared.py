"""Several workstations on one PostgreSQL store.

- **Changes:** every write a process makes is announced on a PostgreSQL channel
  (`NOTIFY`); each desk LISTENs and tells its own listeners (panels, the bridge), so
  a desk that polls nothing learns of a change within moments of its commit.
- **One collector:** collectors elect a leader with a session-level advisory lock;
  only the leader polls the data center and sends the outbox. The lock dies with
  the leader's connection — a killed process, a lost network — and a standby
  asking again takes over.

Both hold a connection of their own outside the pool (a LISTEN and an advisory lock
belong to one session), and both survive the server restarting: they connect
again, and the listener then announces every kind of change, since notifications
sent while it was away are lost.
"""

from __future__ import annotations

import contextlib
import json
import logging
import select
import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, cast

import sqlalchemy as sa

if TYPE_CHECKING:
    from psycopg2.extensions import connection as PgConnection

log = logging.getLogger(__name__)

CHANNEL = "commandcenter_changes"
# NOTIFY payloads are limited to 8000 bytes; past this many keys a change is announced
# without them ("something of this kind changed"), which every listener handles.
MAX_KEYS = 100
# The kinds of change the store announces: after a reconnection all are announced.
CHANGE_KINDS = (
    "orgs",
    "service_points",
    "cameras",
    "case_stats",
    "dashboard",
    "alerts",
    "alert_actions",
    "inspection_templates",
    "inspections",
    "meetings",
    "meeting_groups",
    "outbox",
    "audit",
    "feed_health",
    "quarantine",
    "inspection_drafts",
    "inspection_plans",
    "roll_calls",
    "duty_log",
    "handovers",
    "duty_roster",
)
COLLECTOR_LOCK = 0x636F6C6C  # "coll": the advisory lock key of the collector's leadership


def notify_payload(origin: str, kind: str, keys: Iterable[str] | None) -> str:
    """The NOTIFY payload of a change: its origin, kind and keys (none past the limit)."""
    listed = sorted(keys) if keys is not None else None
    if listed is not None and len(listed) > MAX_KEYS:
        listed = None
    payload = json.dumps({"o": origin, "k": kind, "keys": listed}, ensure_ascii=False)
    if len(payload.encode()) > 7900:
        payload = json.dumps({"o": origin, "k": kind, "keys": None})
    return payload


# A shared store's server out of reach must not hold a desk (or the collector's lead)
# for the operating system's minutes: give up connecting after seconds, and notice a
# connection whose server went silent (the change listener waits on one) by keepalives.
SERVER_CONNECT_ARGS = {
    "connect_timeout": 5,
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 5,
    "keepalives_count": 3,
}


def server_connect_args(url: sa.engine.URL) -> dict:
    """The settings above, except those the store's URL sets itself."""
    return {key: value for key, value in SERVER_CONNECT_ARGS.items() if key not in url.query}


def _server_errors(engine: sa.Engine) -> tuple[type[Exception], ...]:
    """What the driver raises when the server is out of reach, gone or refuses: its DBAPI
    errors, and the socket's own."""
    return (engine.dialect.loaded_dbapi.Error, OSError)


def _session(engine: sa.Engine) -> PgConnection:
    """A DBAPI connection of its own, outside the pool (whose connections are shared
    and reset), in autocommit."""
    cargs, cparams = engine.dialect.create_connect_args(engine.url)
    # a shared store is PostgreSQL, whose driver here is psycopg2 (engine.store_url)
    connection = cast(
        "PgConnection",
        engine.dialect.connect(*cargs, **{**cparams, **server_connect_args(engine.url)}),
    )
    connection.autocommit = True
    return connection


class ChangeListener:
    """LISTENs on the store's channel and calls `announce(kind, keys)` for every change
    made by another process (another desk, the collector)."""

    def __init__(
        self,
        engine: sa.Engine,
        origin: str,
        announce: Callable[[str, list | None], None],
        *,
        reconnect_s: float = 1.0,
    ):
        self._engine = engine
        self._server_errors = _server_errors(engine)
        self._origin = origin
        self._announce = announce
        self._reconnect_s = reconnect_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.connected = threading.Event()
        self.reconnections = 0

    def start(self) -> None:
        """Start listening in a thread of its own."""
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="store-listen", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop listening and wait for the thread."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        first = True
        while not self._stop.is_set():
            try:
                connection = _session(self._engine)
            except self._server_errors as exc:  # the server is down or restarting: try again
                log.warning(
                    "the shared store cannot be reached for change notices: %s", _one_line(exc)
                )
                self._stop.wait(self._reconnect_s)
                continue
            try:
                with connection.cursor() as cursor:
                    cursor.execute(f"LISTEN {CHANNEL}")
                self.connected.set()
                if not first:
                    # notices sent while the connection was down are lost: everything may have changed
                    self.reconnections += 1
                    log.info("change notices from the shared store again")
                    for kind in CHANGE_KINDS:
                        self._announce(kind, None)
                first = False
                self._listen(connection)
            # the listening thread outlives any failure, a listener's own included: it
            # logs it and connects again
            except Exception as exc:  # noqa: BLE001
                if not self._stop.is_set():
                    log.warning(
                        "change notices from the shared store interrupted: %s", _one_line(exc)
                    )
            finally:
                self.connected.clear()
                with contextlib.suppress(*self._server_errors):  # gone with the server
                    connection.close()
            self._stop.wait(self._reconnect_s)

    def _listen(self, connection: PgConnection) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([connection], [], [], 0.5)
            if not ready:
                continue
            connection.poll()
            while connection.notifies:
                notice = connection.notifies.pop(0)
                try:
                    message = json.loads(notice.payload)
                    if message.get("o") == self._origin:
                        continue  # this process's own change: its listeners heard it already
                    self._announce(str(message["k"]), message.get("keys"))
                except (ValueError, KeyError, TypeError):
                    log.warning(
                        "an unreadable change notice on %s: %.200s", CHANNEL, notice.payload
                    )


class Leadership:
    """Whether this collector is the one that polls: it holds the advisory lock.

    `acquire()` tries once; `holds()` checks the session that holds it is still alive
    (a restarted server has dropped the lock, and another collector may hold it now).
    """

    def __init__(self, engine: sa.Engine, key: int = COLLECTOR_LOCK):
        self._engine = engine
        self._server_errors = _server_errors(engine)
        self._key = key
        self._connection: PgConnection | None = None
        self._leading = False
        self.shared = engine.dialect.name == "postgresql"

    def acquire(self) -> bool:
        """Try once to lead; True when this collector leads."""
        if not self.shared:
            return True  # SQLite: one machine, one store, one collector
        if self._leading:
            return self.holds()
        try:
            if self._connection is None:  # kept between attempts: a standby asks twice a second
                self._connection = _session(self._engine)
            with self._connection.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", (self._key,))
                answer = cursor.fetchone()
                self._leading = answer is not None and bool(answer[0])
        except self._server_errors as exc:
            log.warning(
                "the shared store cannot be reached to elect the collector: %s", _one_line(exc)
            )
            self.release()
            return False
        return self._leading

    def holds(self) -> bool:
        """Whether this collector still holds the lead."""
        if not self.shared:
            return True
        if self._connection is None or not self._leading:
            return False
        try:
            with self._connection.cursor() as cursor:
                cursor.execute(
                    "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = %s "
                    "AND pid = pg_backend_pid() AND granted",
                    (self._key & 0xFFFFFFFF,),
                )
                held = cursor.fetchone() is not None
        except self._server_errors:
            held = False
        if not held:
            self.release()
        return held

    def release(self) -> None:
        """Give up the lead and close its session."""
        leading, self._leading = self._leading, False
        connection, self._connection = self._connection, None
        if connection is None:
            return
        # a session that is gone took its lock with it
        with contextlib.suppress(*self._server_errors):
            if leading:  # at once: the server ends a closed session's backend, and frees its lock, a moment later
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", (self._key,))
        with contextlib.suppress(*self._server_errors):
            connection.close()


def wait_for_leadership(leadership: Leadership, stop: threading.Event, interval_s: float) -> bool:
    """Ask every `interval_s` until this collector leads (True) or `stop` is set (False)."""
    said = False
    while not stop.is_set():
        if leadership.acquire():
            return True
        if not said:
            log.warning("another collector polls the data center; standing by")
            said = True
        stop.wait(interval_s)
    return False


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300] or type(exc).__name__
