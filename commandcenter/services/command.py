"""What every operator command shares: who gives it, its one transaction, its audit entry,
and how it fails."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from commandcenter.store import Store, store_failure
from commandcenter.store.engine import UnitOfWork


@dataclass(frozen=True, slots=True)
class Operator:
    """Who gives a command: the name the audit log keeps and the workstation's role."""

    name: str
    role: str


class CommandFailed(Exception):
    """The store refused or lost a command; nothing of it was kept. `reason` is the
    database's own words in one line."""

    def __init__(self, action: str, reason: str):
        super().__init__(f"{action}: {reason}")
        self.action = action
        self.reason = reason


@contextmanager
def transaction(store: Store, action: str) -> Iterator[UnitOfWork]:
    """The command's one transaction. A failure of the database becomes CommandFailed
    naming the command; anything else (a fault in our own code) goes on as it is."""
    try:
        with store.unit_of_work() as work:
            yield work
    except Exception as exc:
        reason = store_failure(exc)
        if reason is None:
            raise
        raise CommandFailed(action, reason) from exc


def audit(
    store: Store,
    work: UnitOfWork,
    by: Operator,
    action: str,
    target: str | None,
    detail: dict[str, Any] | None = None,
) -> int:
    """The command's audit entry, chained inside its transaction."""
    return store.append_audit(
        user=by.name, role=by.role, action=action, target=target, detail=detail or {}, work=work
    )
