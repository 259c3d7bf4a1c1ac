"""Video meetings: launch, change the participants, end, and the saved groups of
participants. The commands go through the outbox under an idempotency key, so a retried
launch never makes two meetings; each is audited in the same transaction."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from commandcenter.domain import meetings
from commandcenter.services.command import Operator, audit, require_in_scope, transaction
from commandcenter.store import Store


class MeetingCommands:
    """The operator's commands on meetings, each in one transaction of the store."""

    def __init__(self, store: Store):
        self.store = store

    def launch(
        self,
        title: str,
        host_point_id: str | None,
        participants: Sequence[str],
        start_at: datetime | None,
        by: Operator,
    ) -> str:
        """Launch now (`start_at` None) or at a time; returns the command's idempotency
        key, which every retry sends. ValueError for no participants or too many."""
        payload = meetings.launch_body(title, host_point_id, participants, start_at)
        key = uuid.uuid4().hex
        points = [p for p in (host_point_id, *participants) if p]
        require_in_scope(self.store, by, "meeting.launch", point_ids=points)
        with transaction(self.store, "meeting.launch") as work:
            self.store.enqueue_command(
                kind="meeting_launch", payload=payload, idempotency_key=key, target=title, work=work
            )
            audit(
                self.store,
                work,
                by,
                "meeting.launch",
                title,
                {
                    "participants": len(participants),
                    "startAt": payload["startAt"],
                    "idempotencyKey": key,
                },
            )
        return key

    def change_participants(
        self, meeting_id: str, *, add: Sequence[str], remove: Sequence[str], by: Operator
    ) -> None:
        """Invite `add` and remove `remove` from a running meeting."""
        add, remove = list(add), list(remove)
        require_in_scope(self.store, by, "meeting.participants", point_ids=add)
        self._on_meeting(
            "meeting_participants",
            {"meetingId": meeting_id, "add": add, "remove": remove},
            by,
            "meeting.participants",
            {"add": add, "remove": remove},
        )

    def end(self, meeting_id: str, by: Operator) -> None:
        """End the meeting for every participant."""
        meeting = next((m for m in self.store.meetings() if m.meeting_id == meeting_id), None)
        if meeting is not None:
            points = [meeting.host_point_id or "", *(p.point_id for p in meeting.participants)]
            require_in_scope(self.store, by, "meeting.end", point_ids=points)
        self._on_meeting(
            "meeting_end",
            {"meetingId": meeting_id},
            by,
            "meeting.end",
            {"at": datetime.now(UTC).isoformat(timespec="seconds")},
        )

    def _on_meeting(
        self, kind: str, payload: dict[str, Any], by: Operator, action: str, detail: dict[str, Any]
    ) -> None:
        """A command on a running meeting, under a key of its own, and its audit entry."""
        meeting_id = payload["meetingId"]
        with transaction(self.store, action) as work:
            self.store.enqueue_command(
                kind=kind,
                payload=payload,
                idempotency_key=uuid.uuid4().hex,
                target=meeting_id,
                work=work,
            )
            audit(self.store, work, by, action, meeting_id, detail)

    def save_group(self, name: str, point_ids: Sequence[str], by: Operator) -> None:
        """Keep the list under `name` (replacing a group of that name)."""
        with transaction(self.store, "meeting.group.save") as work:
            self.store.save_meeting_group(name, point_ids, created_by=by.name, work=work)
            audit(
                self.store, work, by, "meeting.group.save", name, {"participants": len(point_ids)}
            )

    def delete_group(self, name: str, by: Operator) -> None:
        """Forget the saved group `name`."""
        with transaction(self.store, "meeting.group.delete") as work:
            self.store.delete_meeting_group(name, work=work)
            audit(self.store, work, by, "meeting.group.delete", name)
