"""What every operator command shares: who gives it, its one transaction, its audit entry,
and how it fails."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from commandcenter.domain.geography import county_name
from commandcenter.domain.people import CITY, Scope
from commandcenter.domain.records import Alert
from commandcenter.store import Store, store_failure
from commandcenter.store.engine import UnitOfWork
from commandcenter.store.scope import alert_in_scope


@dataclass(frozen=True, slots=True)
class Operator:
    """Who gives a command: the name the audit log keeps, the workstation's role, and
    the part of the city the person may act on (their county, or the city)."""

    name: str
    role: str
    scope: Scope = CITY


class CommandFailed(Exception):
    """The store refused or lost a command; nothing of it was kept. `reason` is the
    database's own words in one line."""

    def __init__(self, action: str, reason: str):
        super().__init__(f"{action}: {reason}")
        self.action = action
        self.reason = reason


class OutOfScope(CommandFailed):
    """A command on points, alerts or meetings outside the county of the person who
    gave it: refused before anything is written."""


def require_in_scope(
    store: Store,
    by: Operator,
    action: str,
    *,
    point_ids: Iterable[str] = (),
    alert: Alert | None = None,
    alert_id: str | None = None,
) -> None:
    """Refuse (OutOfScope) a command that touches a point or an alert outside `by`'s
    scope. The panels offer only what is in scope; this is the check behind them, for
    a shortcut, a stale selection or a second window."""
    scope = by.scope
    if scope.city:
        return
    ids = [i for i in point_ids if i]
    if alert is None and alert_id is not None:
        found = store.alerts(alert_ids=[alert_id])
        if not found:  # a county desk acts on alerts it can tell are its county's
            raise OutOfScope(action, f"no alert {alert_id} in this store")
        alert = found[0]
    if alert is not None and alert.point_id:
        ids.append(alert.point_id)
    points = {p.point_id: p for p in store.service_points(point_ids=ids)} if ids else {}
    outside = [i for i in ids if i not in points or not scope.covers_org(points[i].org_code)]
    if alert is not None and not alert_in_scope(alert, points, scope):
        outside.append(alert.alert_id)
    if outside:
        raise OutOfScope(
            action,
            f"outside {county_name(scope.county)} (the county of {by.name}): "
            + ", ".join(sorted(set(outside))[:5]),
        )


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
