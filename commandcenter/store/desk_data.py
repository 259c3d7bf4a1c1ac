"""What the desk itself does: alert actions, meeting groups, inspection drafts and their
evidence, plans, roll calls and closed rectifications."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime

import sqlalchemy as sa

from commandcenter.domain.alert_handling import AlertAction, Handling, handling
from commandcenter.domain.inspection import Draft, Evidence, Plan, Presence, RollCall
from commandcenter.store import schema as t
from commandcenter.store.changes import ChangeNotices
from commandcenter.store.engine import UnitOfWork
from commandcenter.store.rows import (
    draft_content,
    draft_from_row,
    inserted_id,
    utc_now,
)

log = logging.getLogger(__name__)


class DeskData(ChangeNotices):
    """The desk's own records: written by its operators, read by its panels."""

    def record_alert_action(
        self, action: AlertAction, *, once: bool = False, work: UnitOfWork | None = None
    ) -> bool:
        """Keep what an operator did with an alert. `once`: not again if this actor has
        already done it (an alert is seen once per operator). True if written."""
        a = t.alert_actions
        with self._writing(work) as conn:
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
        self._changed(work, "alert_actions", {action.alert_id})
        return True

    def alert_actions(self, alert_id: str) -> list[AlertAction]:
        """Every action taken on an alert at the desks, oldest first."""
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

    def save_meeting_group(
        self,
        name: str,
        point_ids: Sequence[str],
        *,
        created_by: str,
        work: UnitOfWork | None = None,
    ) -> None:
        """Save a named group of meeting participants, replacing one of that name."""
        with self._writing(work) as conn:
            self._upsert_rows(
                conn,
                t.meeting_groups,
                [
                    {
                        "name": name,
                        "point_ids": list(point_ids),
                        "created_by": created_by,
                        "created_at": utc_now(),
                    }
                ],
            )
        self._changed(work, "meeting_groups", {name})

    def delete_meeting_group(self, name: str, *, work: UnitOfWork | None = None) -> None:
        """Delete the named group of meeting participants."""
        with self._writing(work) as conn:
            conn.execute(sa.delete(t.meeting_groups).where(t.meeting_groups.c.name == name))
        self._changed(work, "meeting_groups", {name})

    def meeting_groups(self) -> dict[str, tuple[str, ...]]:
        """The saved groups of meeting participants, by name."""
        g = t.meeting_groups
        return {r.name: tuple(r.point_ids) for r in self._all(sa.select(g).order_by(g.c.name))}

    def save_draft(self, draft: Draft, *, work: UnitOfWork | None = None) -> None:
        """Insert or replace an inspection draft (as it is typed: a few times a second)."""
        row = {
            "draft_id": draft.draft_id,
            "point_id": draft.point_id,
            "plan_id": draft.plan_id,
            "inspector": draft.inspector,
            "state": draft.state,
            "content": draft_content(draft),
            "updated_at": utc_now(),
        }
        with self._writing(work) as conn:
            self._upsert_rows(conn, t.inspection_drafts, [row])
        self._changed(work, "inspection_drafts", {draft.draft_id})

    def drafts(self, *, state: str | None = None, point_id: str | None = None) -> list[Draft]:
        """The inspection drafts, filtered by state and point when given."""
        c = t.inspection_drafts.c
        stmt = sa.select(t.inspection_drafts).order_by(c.updated_at)
        if state is not None:
            stmt = stmt.where(c.state == state)
        if point_id is not None:
            stmt = stmt.where(c.point_id == point_id)
        return [draft_from_row(r) for r in self._all(stmt)]

    def draft(self, draft_id: str, *, work: UnitOfWork | None = None) -> Draft | None:
        """One inspection draft; None when there is none with that id."""
        rows = self._read(
            sa.select(t.inspection_drafts).where(t.inspection_drafts.c.draft_id == draft_id), work
        )
        return draft_from_row(rows[0]) if rows else None

    def add_evidence(
        self, draft_id: str, evidence: Evidence, *, work: UnitOfWork | None = None
    ) -> int:
        """Keep a snapshot as a draft's evidence; returns its id."""
        with self._writing(work) as conn:
            evidence_id = inserted_id(
                conn.execute(
                    sa.insert(t.inspection_evidence).values(
                        draft_id=draft_id,
                        camera_id=evidence.camera_id,
                        captured_at=evidence.captured_at,
                        jpeg=evidence.jpeg,
                    )
                )
            )
        self._changed(work, "inspection_drafts", {draft_id})
        return evidence_id

    def remove_evidence(self, evidence_id: int, *, work: UnitOfWork | None = None) -> None:
        """Remove one piece of evidence."""
        e = t.inspection_evidence
        with self._writing(work) as conn:
            draft_id = conn.execute(sa.select(e.c.draft_id).where(e.c.id == evidence_id)).scalar()
            conn.execute(sa.delete(e).where(e.c.id == evidence_id))
        if draft_id is not None:
            self._changed(work, "inspection_drafts", {draft_id})

    def evidence(
        self, draft_id: str, *, work: UnitOfWork | None = None
    ) -> list[tuple[int, Evidence]]:
        """A draft's evidence with its ids, oldest first."""
        e = t.inspection_evidence
        rows = self._read(sa.select(e).where(e.c.draft_id == draft_id).order_by(e.c.id), work)
        return [(r.id, Evidence(r.camera_id, r.captured_at, r.jpeg)) for r in rows]

    def submit_inspection(
        self, draft: Draft, payload: dict, *, work: UnitOfWork | None = None
    ) -> int:
        """The finished draft and its command for the data center, in one transaction:
        either both are stored or neither. The draft's id is the idempotency key, so the
        same inspection sent twice is created once."""
        now = utc_now()
        row = {
            "draft_id": draft.draft_id,
            "point_id": draft.point_id,
            "plan_id": draft.plan_id,
            "inspector": draft.inspector,
            "state": "submitted",
            "content": draft_content(draft),
            "updated_at": now,
        }
        with self._writing(work) as conn:
            self._upsert_rows(conn, t.inspection_drafts, [row])
            existing = conn.execute(
                sa.select(t.outbox.c.id).where(t.outbox.c.idempotency_key == draft.draft_id)
            ).scalar()
            entry_id = (
                existing
                if existing is not None
                else inserted_id(
                    conn.execute(
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
                    )
                )
            )
        self._changed(work, "inspection_drafts", {draft.draft_id})
        self._changed(work, "outbox", {str(entry_id)})
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

    def save_plan(self, plan: Plan, *, work: UnitOfWork | None = None) -> None:
        """Save an inspection plan and where it is."""
        row = {
            "plan_id": plan.plan_id,
            "name": plan.name,
            "point_ids": list(plan.point_ids),
            "position": plan.position,
            "created_by": plan.created_by,
            "created_at": plan.created_at or utc_now(),
        }
        with self._writing(work) as conn:
            self._upsert_rows(conn, t.inspection_plans, [row])
        self._changed(work, "inspection_plans", {plan.plan_id})

    def plans(self) -> list[Plan]:
        """The saved inspection plans."""
        p = t.inspection_plans
        return [
            Plan(r.plan_id, r.name, tuple(r.point_ids), r.position, r.created_by, r.created_at)
            for r in self._all(sa.select(p).order_by(p.c.created_at.desc()))
        ]

    def save_roll_call(self, roll_call: RollCall, *, work: UnitOfWork | None = None) -> None:
        """Save a roll-call and its answers so far."""
        row = {
            "roll_call_id": roll_call.roll_call_id,
            "inspector": roll_call.inspector,
            "started_at": roll_call.started_at,
            "finished_at": roll_call.finished_at,
            "point_ids": list(roll_call.point_ids),
            "results": {k: str(v) for k, v in roll_call.results.items()},
        }
        with self._writing(work) as conn:
            self._upsert_rows(conn, t.roll_calls, [row])
        self._changed(work, "roll_calls", {roll_call.roll_call_id})

    def roll_calls(self) -> list[RollCall]:
        """The saved roll-calls."""
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

    def close_rectification(
        self,
        inspection_id: str,
        *,
        closed_by: str,
        note: str,
        work: UnitOfWork | None = None,
    ) -> None:
        """Record that an inspection's rectification was closed, by whom and why."""
        with self._writing(work) as conn:
            self._upsert_rows(
                conn,
                t.rectification_closures,
                [
                    {
                        "inspection_id": inspection_id,
                        "closed_by": closed_by,
                        "closed_at": utc_now(),
                        "note": note,
                    }
                ],
            )
        self._changed(work, "inspections", {inspection_id})

    def closed_rectifications(self) -> dict[str, tuple[str, datetime, str]]:
        """inspection id -> (closed by, when, note)."""
        return {
            r.inspection_id: (r.closed_by, r.closed_at, r.note)
            for r in self._all(sa.select(t.rectification_closures))
        }
