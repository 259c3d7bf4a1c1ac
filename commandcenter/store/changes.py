"""The store's change events: what changed (a kind and its keys), told to listeners here
and, on a shared store, to the other processes."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from commandcenter.domain.listeners import Listeners
from commandcenter.store.engine import StoreEngine, UnitOfWork

if TYPE_CHECKING:
    from commandcenter.store.shared import ChangeListener

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ChangeEvent:
    """A change to the store: its kind, the keys changed (None: any), and where."""

    kind: str
    keys: frozenset[str] | None = None
    # written by another process (announced here), not through this Store object
    elsewhere: bool = False


class ChangeNotices(StoreEngine):
    """Who hears of the store's changes: listeners in this process, told after each
    commit, and on a shared store the other processes (PostgreSQL NOTIFY), whose changes
    are announced here in turn."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._listeners: Listeners[ChangeEvent] = Listeners("the store")
        # On a shared (PostgreSQL) store every change is announced to the other
        # processes, marked with this origin so that the process that made it ignores it.
        self.origin = uuid.uuid4().hex[:12]
        self._change_listener: ChangeListener | None = None
        super().__init__(*args, **kwargs)

    def close(self) -> None:
        """Stop hearing other processes' changes, then close the engine."""
        if self._change_listener is not None:
            self._change_listener.stop()
            self._change_listener = None
        super().close()

    def subscribe(
        self, listener: Callable[[ChangeEvent], None], *, first: bool = False
    ) -> Callable[[], None]:
        """`first`: before the listeners there already (see Listeners.add)."""
        return self._listeners.add(listener, first=first)

    def announce(self, kind: str, keys: Iterable[str] | None = None) -> None:
        """Tell this store's listeners of a change another process made to the database."""
        self._emit(kind, keys, elsewhere=True)

    def listen_for_changes(self) -> ChangeListener | None:
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

    def _changed(
        self, work: UnitOfWork | None, kind: str, keys: Iterable[str] | None = None
    ) -> None:
        """Tell of a change: now, or when `work` commits (never if it is rolled back)."""
        if work is None:
            self._emit(kind, keys)
        else:
            kept = frozenset(keys) if keys is not None else None
            work.after_commit(lambda: self._emit(kind, kept))

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
