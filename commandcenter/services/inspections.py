"""Remote inspections: plans, roll calls, the draft as it is typed, its evidence, the
submission (the finished draft and its command for the data center, contract 3.11) and
the closing of rectifications. Each one transaction with its audit entry, where the
desk audits it."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from commandcenter.domain.inspection import Draft, Evidence, Plan, RollCall, payload
from commandcenter.domain.records import InspectionTemplate
from commandcenter.services.command import Operator, audit, require_in_scope, transaction
from commandcenter.store import Store


class InspectionCommands:
    """The supervisor's commands on inspections, each in one transaction of the store."""

    def __init__(self, store: Store):
        self.store = store

    # -- plans ------------------------------------------------------------------------------

    def save_plan(self, plan: Plan, by: Operator) -> None:
        """Keep a new plan (or replace one of the same id)."""
        require_in_scope(self.store, by, "inspection.plan", point_ids=plan.point_ids)
        with transaction(self.store, "inspection.plan") as work:
            self.store.save_plan(plan, work=work)
            audit(
                self.store,
                work,
                by,
                "inspection.plan",
                plan.plan_id,
                {"name": plan.name, "points": len(plan.point_ids)},
            )

    def move_in_plan(self, plan: Plan) -> None:
        """Keep where the supervisor is in the plan (a restart comes back there); moving
        through a plan is not audited, the inspections it leads to are."""
        with transaction(self.store, "inspection.plan.position") as work:
            self.store.save_plan(plan, work=work)

    # -- roll calls -------------------------------------------------------------------------

    def start_roll_call(self, roll_call: RollCall, by: Operator) -> None:
        """Keep a roll call as it starts."""
        require_in_scope(self.store, by, "rollcall.start", point_ids=roll_call.point_ids)
        with transaction(self.store, "rollcall.start") as work:
            self.store.save_roll_call(roll_call, work=work)
            audit(
                self.store,
                work,
                by,
                "rollcall.start",
                roll_call.roll_call_id,
                {"points": len(roll_call.point_ids)},
            )

    def answer_roll_call(self, roll_call: RollCall) -> None:
        """Keep the roll call with its newest answer (every answer is saved at once; the
        start and the finish are audited, each answer is not)."""
        with transaction(self.store, "rollcall.answer") as work:
            self.store.save_roll_call(roll_call, work=work)

    def finish_roll_call(self, roll_call: RollCall, by: Operator) -> None:
        """Keep the finished roll call, its counts audited."""
        with transaction(self.store, "rollcall.finish") as work:
            self.store.save_roll_call(roll_call, work=work)
            audit(
                self.store,
                work,
                by,
                "rollcall.finish",
                roll_call.roll_call_id,
                {k.value: v for k, v in roll_call.counts().items()},
            )

    # -- the inspection ---------------------------------------------------------------------

    def save_draft(self, draft: Draft) -> None:
        """Keep the draft as it is typed (a few times a second: not audited)."""
        with transaction(self.store, "inspection.draft") as work:
            self.store.save_draft(draft, work=work)

    def save_evidence(self, draft: Draft, evidence: Evidence, by: Operator) -> int:
        """A snapshot kept as the draft's evidence (the draft kept first if it is not yet);
        returns the evidence's id."""
        with transaction(self.store, "inspection.snapshot") as work:
            if self.store.draft(draft.draft_id, work=work) is None:
                self.store.save_draft(draft, work=work)
            evidence_id = self.store.add_evidence(draft.draft_id, evidence, work=work)
            audit(
                self.store,
                work,
                by,
                "inspection.snapshot",
                draft.point_id,
                {"camera": evidence.camera_id},
            )
        return evidence_id

    def remove_evidence(self, evidence_id: int) -> None:
        """Drop a snapshot from a draft's evidence."""
        with transaction(self.store, "inspection.snapshot.remove") as work:
            self.store.remove_evidence(evidence_id, work=work)

    def submit(
        self, draft: Draft, template: InspectionTemplate, finished_at: datetime, by: Operator
    ) -> Draft:
        """The finished draft, its command for the data center with the evidence kept for
        it, and the audit entry, together. The draft's id is the command's idempotency
        key, so the same inspection submitted twice is created once. Returns the draft
        as submitted."""
        require_in_scope(self.store, by, "inspection.submit", point_ids=[draft.point_id])
        submitted = replace(draft, state="submitted", finished_at=finished_at)
        with transaction(self.store, "inspection.submit") as work:
            body = payload(
                submitted,
                template,
                [e for _id, e in self.store.evidence(draft.draft_id, work=work)],
                finished_at=finished_at,
                encode=lambda b: base64.b64encode(b).decode("ascii"),
            )
            self.store.submit_inspection(submitted, body, work=work)
            audit(
                self.store,
                work,
                by,
                "inspection.submit",
                draft.point_id,
                {"draft": draft.draft_id, "template": draft.template_id},
            )
        return submitted

    # -- follow-up --------------------------------------------------------------------------

    def close_rectifications(self, inspection_ids: Sequence[str], note: str, by: Operator) -> None:
        """Close the rectifications of these inspections with one note, all or none."""
        wanted = set(inspection_ids)
        points = [i.point_id for i in self.store.inspections() if i.inspection_id in wanted]
        require_in_scope(self.store, by, "rectification.close", point_ids=points)
        with transaction(self.store, "rectification.close") as work:
            for inspection_id in inspection_ids:
                self.store.close_rectification(
                    inspection_id, closed_by=by.name, note=note, work=work
                )
                audit(self.store, work, by, "rectification.close", inspection_id, {"note": note})
