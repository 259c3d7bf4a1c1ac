"""Video meetings: created with their participants, joined over time, changed and ended."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from commandcenter.domain import contract
from commandcenter.simulator.errors import Conflict, InvalidRequest, NotFound
from commandcenter.simulator.storage import (
    iso,
    parse_iso,
    stable_rng,
)
from commandcenter.simulator.world_state import WorldState


class MeetingRoom(WorldState):
    """Video meetings and their participants (part of World)."""

    def create_meeting(self, body: dict) -> dict:
        if not isinstance(body, dict):
            raise InvalidRequest("body", "must be a JSON object")
        title = body.get("title")
        if not isinstance(title, str) or not title.strip():
            raise InvalidRequest("title", "must be a non-empty string")
        host = body.get("hostPointId")
        if not isinstance(host, str) or self._points.get(host) is None:
            raise InvalidRequest("hostPointId", f"unknown service point {host!r}")
        participants = self._check_participants(body.get("participants"), "participants")
        if len(participants) > contract.MAX_MEETING_PARTICIPANTS:
            raise InvalidRequest(
                "participants",
                f"at most {contract.MAX_MEETING_PARTICIPANTS} participants, got {len(participants)}",
            )
        start_at = body.get("startAt")
        if start_at is not None:
            try:
                start = parse_iso(start_at)
            except (TypeError, ValueError):
                raise InvalidRequest(
                    "startAt", f"must be an ISO 8601 time or null, got {start_at!r}"
                ) from None
        else:
            start = self._now
        self._meeting_seq += 1
        meeting_id = f"MT-{self._now:%Y%m%d}-{self._meeting_seq:04d}"
        meeting: dict[str, Any] = {
            "meetingId": meeting_id,
            "title": title,
            "hostPointId": host,
            "startAt": iso(start),
            "ended": None,
            "invites": {},
        }
        for point_id in participants:
            meeting["invites"][point_id] = self._invite(meeting_id, point_id, max(start, self._now))
        self._meetings[meeting_id] = meeting
        return self.get_meeting(meeting_id)

    def _check_participants(self, value: object, field: str) -> list[str]:
        if not isinstance(value, list):
            raise InvalidRequest(field, "must be a list of pointIds")
        out = []
        for n, point_id in enumerate(value):
            if not isinstance(point_id, str) or self._points.get(point_id) is None:
                raise InvalidRequest(f"{field}[{n}]", f"unknown service point {point_id!r}")
            if point_id not in out:
                out.append(point_id)
        return out

    def _invite(self, meeting_id: str, point_id: str, at: datetime) -> dict:
        rng = stable_rng(self.seed, meeting_id, point_id)
        ringing = at + timedelta(seconds=rng.uniform(1, 3))
        answer = ringing + timedelta(seconds=rng.uniform(2, 8))
        declined = rng.random() < 0.08
        leaves = answer + timedelta(seconds=rng.uniform(120, 900)) if rng.random() < 0.1 else None
        return {
            "invited": at,
            "ringing": ringing,
            "answer": answer,
            "declined": declined,
            "leaves": leaves,
            "removed": None,
        }

    def _participant_state(self, invite: dict, now: datetime) -> str:
        if invite["removed"] is not None and now >= invite["removed"]:
            return "left"
        if now < invite["ringing"]:
            return "invited"
        if now < invite["answer"]:
            return "ringing"
        if invite["declined"]:
            return "declined"
        if invite["leaves"] is not None and now >= invite["leaves"]:
            return "left"
        return "joined"

    def get_meeting(self, meeting_id: str) -> dict:
        meeting = self._meetings.get(meeting_id)
        if meeting is None:
            raise NotFound(f"unknown meetingId {meeting_id}")
        now = self._now
        if meeting["ended"] is not None:
            status = "ended"
        elif parse_iso(meeting["startAt"]) > now:
            status = "scheduled"
        else:
            status = "live"
        end = meeting["ended"] or now
        participants = [
            {
                "pointId": pid,
                "state": "left"
                if meeting["ended"] and self._participant_state(inv, end) == "joined"
                else self._participant_state(inv, min(now, end)),
            }
            for pid, inv in meeting["invites"].items()
        ]
        return {
            "meetingId": meeting_id,
            "title": meeting["title"],
            "hostPointId": meeting["hostPointId"],
            "startAt": meeting["startAt"],
            "status": status,
            "mixUrl": f"{self.stream_base_url}{self.mix_stream_path(meeting_id)}",
            "participants": participants,
        }

    def mix_stream_path(self, meeting_id: str) -> str:
        return f"/video/mix/{meeting_id}"

    def update_participants(self, meeting_id: str, add: list[str], remove: list[str]) -> dict:
        meeting = self._meetings.get(meeting_id)
        if meeting is None:
            raise NotFound(f"unknown meetingId {meeting_id}")
        if meeting["ended"] is not None:
            raise Conflict("the meeting has ended")
        add = self._check_participants(add or [], "add")
        remove = self._check_participants(remove or [], "remove")
        active = [p for p, inv in meeting["invites"].items() if inv["removed"] is None]
        after = len(set(active) - set(remove) | set(add))
        if after > contract.MAX_MEETING_PARTICIPANTS:
            raise InvalidRequest(
                "add", f"at most {contract.MAX_MEETING_PARTICIPANTS} participants, would be {after}"
            )
        for point_id in remove:
            if point_id in meeting["invites"]:
                meeting["invites"][point_id]["removed"] = self._now
        for point_id in add:
            invite = meeting["invites"].get(point_id)
            if invite is None or invite["removed"] is not None:
                meeting["invites"][point_id] = self._invite(
                    meeting_id, f"{point_id}@{self._now}", self._now
                )
        return self.get_meeting(meeting_id)

    def end_meeting(self, meeting_id: str) -> dict:
        meeting = self._meetings.get(meeting_id)
        if meeting is None:
            raise NotFound(f"unknown meetingId {meeting_id}")
        if meeting["ended"] is None:
            meeting["ended"] = self._now
        return self.get_meeting(meeting_id)
