"""The duty log and the shift handovers: entries appended, never changed (the table's
triggers refuse UPDATE and DELETE); a handover answered once."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from commandcenter.domain.duty import (
    CLIENT,
    CLIENT_NAME,
    DutyEntry,
    Handover,
    HandoverItem,
    HandoverState,
    Kind,
    alert_event_key,
    alert_event_text,
    feed_event_text,
    shift_of,
)
from commandcenter.domain.people import Scope
from commandcenter.store import schema as t
from commandcenter.store.changes import ChangeNotices
from commandcenter.store.engine import UnitOfWork
from commandcenter.store.rows import utc_now

DEFAULT_LIMIT = 1000


def _entry(r: sa.Row[Any]) -> DutyEntry:
    return DutyEntry(
        r.id,
        r.at,
        r.shift_date,
        r.shift_id,
        r.author,
        r.author_name,
        r.kind,
        r.text,
        r.county,
        r.corrects,
    )


def _handover(r: sa.Row[Any]) -> Handover:
    return Handover(
        r.id,
        r.created_at,
        r.shift_date,
        r.shift_id,
        r.county,
        r.outgoing,
        r.outgoing_name,
        tuple(HandoverItem.from_json(i) for i in (r.items or ())),
        r.notes,
        r.state,
        r.incoming,
        r.incoming_name,
        r.answered_at,
        r.objections,
    )


def scope_clause(scope: Scope | None) -> sa.ColumnElement[bool] | None:
    """Which entries a desk of that scope sees (domain/duty.py): a county's own and the
    client's city-wide ones; the city all."""
    if scope is None or scope.city:
        return None
    c = t.duty_log.c
    return sa.or_(c.county == scope.county, sa.and_(c.county.is_(None), c.author == CLIENT))


class DutyRecords(ChangeNotices):
    """The duty log and the handovers of the desks."""

    def append_duty_entry(
        self,
        *,
        author: str,
        author_name: str,
        kind: str,
        text: str,
        county: str | None = None,
        corrects: int | None = None,
        at: datetime | None = None,
        shift: tuple[str, str] | None = None,
        event: str | None = None,
        work: UnitOfWork | None = None,
    ) -> int | None:
        """Append an entry; its id. `shift`: (shift date, shift id), else the usual shift
        of `at`. `event`: the client's event it records; when that one is logged already
        nothing is written and None comes back."""
        at = at or utc_now()
        shift_date, shift_id = shift or shift_of(at)
        values = {
            "at": at,
            "shift_date": shift_date,
            "shift_id": shift_id,
            "author": author,
            "author_name": author_name,
            "kind": str(kind),
            "text": text,
            "county": county,
            "corrects": corrects,
            "event": event,
        }
        stmt = self._insert(t.duty_log).values(**values)
        if event is not None:
            # several writers may see one event (two desks, a collector taking the lead):
            # the unique key keeps the first, whichever commits first
            stmt = stmt.on_conflict_do_nothing(index_elements=["event"])
        with self._writing(work) as conn:
            result = conn.execute(stmt.returning(t.duty_log.c.id))
            row = result.first()
        if row is None:
            return None
        self._changed(work, "duty_log", {str(row[0])})
        return int(row[0])

    def duty_entries(
        self,
        *,
        shift_date: str | None = None,
        shift_id: str | None = None,
        author: str | None = None,
        scope: Scope | None = None,
        kind: str | None = None,
        limit: int | None = DEFAULT_LIMIT,
        work: UnitOfWork | None = None,
    ) -> list[DutyEntry]:
        """Entries, newest first, filtered by each of the given: the day (ISO date of the
        shift), the shift, the author's user name, what a desk of `scope` sees, the kind."""
        c = t.duty_log.c
        stmt = sa.select(t.duty_log).order_by(c.at.desc(), c.id.desc())
        if shift_date is not None:
            stmt = stmt.where(c.shift_date == shift_date)
        if shift_id is not None:
            stmt = stmt.where(c.shift_id == shift_id)
        if author is not None:
            stmt = stmt.where(c.author == author)
        if kind is not None:
            stmt = stmt.where(c.kind == str(kind))
        if (clause := scope_clause(scope)) is not None:
            stmt = stmt.where(clause)
        if limit is not None:
            stmt = stmt.limit(limit)
        return [_entry(r) for r in self._read(stmt, work)]

    def duty_entry(self, entry_id: int, *, work: UnitOfWork | None = None) -> DutyEntry | None:
        """One entry; None when there is none with that id."""
        rows = self._read(sa.select(t.duty_log).where(t.duty_log.c.id == entry_id), work)
        return _entry(rows[0]) if rows else None

    def last_alert_notes(self, alert_ids: Iterable[str]) -> dict[str, str]:
        """alert id -> the last words an officer wrote on it (a note, a comment, an
        assignment), for the alerts asked that have any."""
        a = t.alert_actions
        rows = sorted(
            self._some(sa.select(a).where(a.c.text != ""), a.c.alert_id, alert_ids),
            key=lambda r: r.id,
        )
        return {r.alert_id: r.text for r in rows}

    # -- the client's own entries -------------------------------------------------------

    def log_alert_event(
        self,
        alert_id: str,
        title: str,
        what: str,
        *,
        county: str | None,
        by: str | None = None,
        at: datetime | None = None,
        work: UnitOfWork | None = None,
    ) -> int | None:
        """Log that a critical alert arrived, was acknowledged or closed (`what`), once
        per alert and event; None when it was logged before."""
        return self.append_duty_entry(
            author=CLIENT,
            author_name=CLIENT_NAME,
            kind=Kind.ALERT,
            text=alert_event_text(title, alert_id, what, by),
            county=county,
            at=at,
            event=alert_event_key(alert_id, what),
            work=work,
        )

    def log_feed_event(
        self,
        feed: str,
        label: str,
        up: bool,
        *,
        error: str | None = None,
        at: datetime | None = None,
    ) -> int | None:
        """Log a feed's change of health: down when the log last had it up (or never
        had it), up when it last had it down; nothing otherwise. Its key numbers the
        feed's changes, so two writers that see the same change log it once."""
        with self._begin() as conn:
            last = conn.execute(
                sa.select(t.duty_log.c.event)
                .where(
                    t.duty_log.c.kind == str(Kind.FEED),
                    t.duty_log.c.event.like(f"feed:{feed}:%"),
                )
                .order_by(t.duty_log.c.id.desc())
                .limit(1)
            ).scalar()
        # feed:<name>:<number>:<up|down>; none yet: as if it had been up
        number, was_up = 0, True
        if last is not None:
            _prefix, count, state = last.rsplit(":", 2)
            number, was_up = int(count), state == "up"
        if up == was_up:
            return None
        return self.append_duty_entry(
            author=CLIENT,
            author_name=CLIENT_NAME,
            kind=Kind.FEED,
            text=feed_event_text(label, up, error),
            at=at,
            event=f"feed:{feed}:{number + 1}:{'up' if up else 'down'}",
        )

    # -- handovers ----------------------------------------------------------------------

    def save_handover(self, handover: Handover, *, work: UnitOfWork | None = None) -> int:
        """Keep a new handover (open); its id."""
        with self._writing(work) as conn:
            row = conn.execute(
                sa.insert(t.handovers)
                .values(
                    created_at=handover.created_at,
                    shift_date=handover.shift_date,
                    shift_id=handover.shift_id,
                    county=handover.county,
                    outgoing=handover.outgoing,
                    outgoing_name=handover.outgoing_name,
                    items=[i.as_json() for i in handover.items],
                    notes=handover.notes,
                    state=str(handover.state),
                    incoming=None,
                    incoming_name=None,
                    answered_at=None,
                    objections="",
                )
                .returning(t.handovers.c.id)
            ).first()
        assert row is not None
        self._changed(work, "handovers", {str(row[0])})
        return int(row[0])

    def handover(self, handover_id: int, *, work: UnitOfWork | None = None) -> Handover | None:
        """One handover; None when there is none with that id."""
        rows = self._read(sa.select(t.handovers).where(t.handovers.c.id == handover_id), work)
        return _handover(rows[0]) if rows else None

    def handovers(
        self,
        *,
        scope: Scope | None = None,
        state: str | None = None,
        shift_date: str | None = None,
        limit: int = 100,
    ) -> list[Handover]:
        """Handovers, newest first: of a desk's scope (its county's exactly; the city's
        for the city), in a state, of a day."""
        c = t.handovers.c
        stmt = sa.select(t.handovers).order_by(c.created_at.desc(), c.id.desc()).limit(limit)
        if scope is not None:
            stmt = stmt.where(c.county.is_(None) if scope.city else c.county == scope.county)
        if state is not None:
            stmt = stmt.where(c.state == str(state))
        if shift_date is not None:
            stmt = stmt.where(c.shift_date == shift_date)
        return [_handover(r) for r in self._all(stmt)]

    def pending_handovers(self, scope: Scope) -> list[Handover]:
        """The handovers of the desk's scope nobody has answered yet, newest first."""
        return self.handovers(scope=scope, state=HandoverState.OPEN)

    def answer_handover(
        self,
        handover_id: int,
        *,
        state: str,
        incoming: str,
        incoming_name: str,
        objections: str = "",
        at: datetime | None = None,
        work: UnitOfWork | None = None,
    ) -> bool:
        """The incoming officer's answer (accepted, or objected with `objections`). False,
        writing nothing, when the handover was answered already: an answer is given once."""
        c = t.handovers.c
        with self._writing(work) as conn:
            done = conn.execute(
                sa.update(t.handovers)
                .where(c.id == handover_id, c.state == str(HandoverState.OPEN))
                .values(
                    state=str(state),
                    incoming=incoming,
                    incoming_name=incoming_name,
                    answered_at=at or utc_now(),
                    objections=objections,
                )
            ).rowcount
        if done:
            self._changed(work, "handovers", {str(handover_id)})
        return bool(done)
