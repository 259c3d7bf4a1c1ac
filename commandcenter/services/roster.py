"""The duty roster entered at a desk: when the data center offers none (interface v1),
the desk keeps its own shifts. Adding and removing one is each one transaction with
its audit entry."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, time

from commandcenter.domain import roles
from commandcenter.domain.geography import county_name
from commandcenter.domain.roster import RosterPerson, Shift, local_shift
from commandcenter.services.command import CommandFailed, Operator, audit, transaction
from commandcenter.store import Store


def _person_detail(person: RosterPerson) -> dict:
    return {"name": person.name, "phone": person.phone}


class RosterRefused(CommandFailed):
    """A local shift the person at the desk may not enter or remove: their role, or an
    organisation outside their county (a county desk keeps its county's roster only)."""


def _check(by: Operator, action: str, org_code: str) -> None:
    if not roles.may(by.role, "roster.local_add"):
        raise RosterRefused(action, f"the role {by.role} may not change the duty roster")
    if not by.scope.city and org_code != by.scope.county:
        raise RosterRefused(
            action,
            f"{org_code} is outside {county_name(by.scope.county)}: a county desk keeps "
            "its own county's roster",
        )


class RosterCommands:
    """The desk's commands on its local roster, each in one transaction of the store."""

    def __init__(self, store: Store):
        self.store = store

    def add_local_shift(
        self,
        org_code: str,
        day: date,
        start: time,
        end: time,
        leader: RosterPerson | None,
        officers: Sequence[RosterPerson],
        by: Operator,
    ) -> Shift:
        """Keep a shift entered at the desk (an end at or before the start is the next
        morning); domain.roster.InvalidShift names what is wrong with one that cannot be
        kept."""
        _check(by, "roster.local_add", org_code)
        shift = local_shift(
            f"L-{uuid.uuid4().hex[:16]}", org_code, day, start, end, leader, officers
        )
        with transaction(self.store, "roster.local_add") as work:
            self.store.add_local_shift(shift, work=work)
            audit(
                self.store,
                work,
                by,
                "roster.local_add",
                shift.shift_id,
                {
                    "orgCode": org_code,
                    "date": day.isoformat(),
                    "start": start.strftime("%H:%M"),
                    "end": end.strftime("%H:%M"),
                    "leader": _person_detail(leader) if leader is not None else None,
                    "officers": [_person_detail(p) for p in officers],
                },
            )
        return shift

    def remove_local_shift(self, shift_id: str, by: Operator) -> bool:
        """Remove a shift entered at a desk; False (and nothing audited) when it is gone."""
        with transaction(self.store, "roster.local_remove") as work:
            removed = self.store.remove_local_shift(shift_id, work=work)
            if removed is None:
                return False
            _check(by, "roster.local_remove", removed.org_code)  # refused: rolled back
            audit(
                self.store,
                work,
                by,
                "roster.local_remove",
                shift_id,
                {
                    "orgCode": removed.org_code,
                    "date": removed.date.isoformat(),
                    "leader": removed.leader.name if removed.leader is not None else None,
                },
            )
        return True
