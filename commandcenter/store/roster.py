"""The duty roster's shifts (table duty_shifts): the data center's, replaced date by date
as it sends them, and those entered at a desk (source "local"); and whether the data
center offers an interface of contract v1.1 at all (kept in its feed's state)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from commandcenter.domain.roster import DATACENTER, LOCAL, RosterPerson, Shift
from commandcenter.domain.timefmt import format_iso_time, parse_iso_time
from commandcenter.store import schema as t
from commandcenter.store.changes import ChangeNotices
from commandcenter.store.engine import UnitOfWork
from commandcenter.store.rows import utc_now

# The change notice of the roster: its shifts, and whether the data center offers it.
ROSTER_CHANGE = "duty_roster"
# Keys of a feed's state (FeedState.extra) about whether its interface is offered.
OFFERED = "offered"
CHECKED_AT = "checked_at"
SERVER_VERSION = "server_version"


@dataclass(frozen=True, slots=True)
class FeatureCheck:
    """When the data center was last asked whether it offers an interface, and the
    version it reported then (None when unknown)."""

    at: datetime
    server_version: str | None


def _person_json(person: RosterPerson | None) -> dict | None:
    if person is None:
        return None
    return {"personId": person.person_id, "name": person.name, "phone": person.phone}


def _person(value: Any) -> RosterPerson | None:
    if not isinstance(value, dict):
        return None
    return RosterPerson(
        value.get("personId"), str(value.get("name") or ""), value.get("phone") or ""
    )


def _shift_row(shift: Shift, now: datetime) -> dict:
    return {
        "source": shift.source,
        "shift_id": shift.shift_id,
        "date": shift.date.isoformat(),
        "org_code": shift.org_code,
        "start": shift.start,
        "end": shift.end,
        "leader": _person_json(shift.leader),
        "officers": [_person_json(p) for p in shift.officers],
        "updated_at": now,
    }


def _shift_from_row(row: Any) -> Shift:
    officers = tuple(p for p in map(_person, row.officers or []) if p is not None)
    return Shift(
        shift_id=row.shift_id,
        org_code=row.org_code,
        date=date.fromisoformat(row.date),
        start=row.start,
        end=row.end,
        leader=_person(row.leader),
        officers=officers,
        source=row.source,
    )


class DutyRoster(ChangeNotices):
    """The roster's shifts, written by the roster feed and the desks, read by the desk."""

    def replace_datacenter_shifts(
        self, day: date, shifts: Sequence[Shift], *, keep: Iterable[str] = ()
    ) -> int:
        """Make the data center's shifts of `day` those given: new and changed ones
        written, the others of that day deleted, except those named in `keep` (shifts
        the data center sent broken this time). Returns how many changed."""
        d = t.duty_shifts
        now = utc_now()
        wanted = {s.shift_id: s for s in shifts}
        kept = set(keep)
        changed: set[str] = set()
        with self._begin() as conn:
            stored = {
                r.shift_id: _shift_from_row(r)
                for r in conn.execute(
                    sa.select(d).where(d.c.source == DATACENTER, d.c.date == day.isoformat())
                )
            }
            gone = [i for i in stored if i not in wanted and i not in kept]
            if gone:
                conn.execute(sa.delete(d).where(d.c.source == DATACENTER, d.c.shift_id.in_(gone)))
                changed.update(gone)
            rows = [
                _shift_row(shift, now)
                for shift_id, shift in wanted.items()
                if stored.get(shift_id) != shift
            ]
            if rows:
                self._upsert_rows(conn, d, rows)
                changed.update(r["shift_id"] for r in rows)
        if changed:
            self._emit(ROSTER_CHANGE, changed)
        return len(changed)

    def add_local_shift(self, shift: Shift, *, work: UnitOfWork | None = None) -> None:
        """Keep a shift entered at a desk."""
        if shift.source != LOCAL:
            raise ValueError(
                f"a shift entered at a desk has source {LOCAL!r}, not {shift.source!r}"
            )
        with self._writing(work) as conn:
            conn.execute(sa.insert(t.duty_shifts).values(_shift_row(shift, utc_now())))
        self._changed(work, ROSTER_CHANGE, {shift.shift_id})

    def remove_local_shift(self, shift_id: str, *, work: UnitOfWork | None = None) -> Shift | None:
        """Remove a shift entered at a desk; returns it (None when there was none)."""
        d = t.duty_shifts
        where = sa.and_(d.c.source == LOCAL, d.c.shift_id == shift_id)
        with self._writing(work) as conn:
            row = conn.execute(sa.select(d).where(where)).first()
            if row is None:
                return None
            conn.execute(sa.delete(d).where(where))
        self._changed(work, ROSTER_CHANGE, {shift_id})
        return _shift_from_row(row)

    def duty_shifts(
        self, dates: Iterable[date], org_codes: Iterable[str] | None = None
    ) -> list[Shift]:
        """The shifts on the rosters of these dates (of these organisations, when
        given), from both sources, by organisation and start."""
        d = t.duty_shifts
        stmt = sa.select(d).where(d.c.date.in_(sorted({day.isoformat() for day in dates})))
        if org_codes is not None:
            stmt = stmt.where(d.c.org_code.in_(sorted(set(org_codes))))
        stmt = stmt.order_by(d.c.org_code, d.c.start, d.c.source, d.c.shift_id)
        return [_shift_from_row(r) for r in self._all(stmt)]

    # -- whether the data center offers an interface ------------------------------------

    def feature_offered(self, feed: str) -> bool | None:
        """Whether the data center offers the interface of this feed (a v1 one lacks the
        v1.1 interfaces): True, False, or None when it has not been asked yet."""
        offered = self._feature_state(feed).get(OFFERED)
        return offered if isinstance(offered, bool) else None

    def feature_checked(self, feed: str) -> FeatureCheck | None:
        """When the data center was last asked whether it offers the interface."""
        extra = self._feature_state(feed)
        at = extra.get(CHECKED_AT)
        if not isinstance(at, str):
            return None
        version = extra.get(SERVER_VERSION)
        return FeatureCheck(parse_iso_time(at), version if isinstance(version, str) else None)

    def set_feature_offered(
        self, feed: str, offered: bool, *, checked_at: datetime, server_version: str | None
    ) -> bool:
        """Record whether the data center offers the feed's interface, as of `checked_at`.
        When that changed, listeners hear a change of the feed's own kind (the roster's:
        "duty_roster"); returns whether it changed."""
        f = t.feed_state
        with self._begin() as conn:
            row = conn.execute(sa.select(f).where(f.c.feed == feed)).first()
            extra = dict(row.extra or {}) if row is not None else {}
            before = extra.get(OFFERED)
            extra.update(
                {
                    OFFERED: offered,
                    CHECKED_AT: format_iso_time(checked_at),
                    SERVER_VERSION: server_version,
                }
            )
            if row is None:
                conn.execute(sa.insert(f).values(feed=feed, extra=extra))
            else:
                conn.execute(sa.update(f).where(f.c.feed == feed).values(extra=extra))
        if before is not offered:
            self._emit(feed)
            return True
        return False

    def _feature_state(self, feed: str) -> dict:
        f = t.feed_state
        with self.engine.connect() as conn:
            extra = conn.execute(sa.select(f.c.extra).where(f.c.feed == feed)).scalar()
        return dict(extra) if isinstance(extra, dict) else {}
