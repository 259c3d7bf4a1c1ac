"""Sends the operators' commands (alert acknowledgements, meeting launches and ends,
finished inspections) from the store's outbox to the data center, and keeps open
meetings up to date.

A command is written to the outbox first, so that a crash or an unreachable data
center loses nothing; each carries an idempotency key, so a retry never creates
twice what the data center already has (contract §1). Transient failures are
retried with capped exponential backoff across restarts; a refusal the data
center means (4xx other than 429) marks the command failed with its reason.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from commandcenter.domain.backoff import Backoff
from commandcenter.feeds.client import DataCenterClient
from commandcenter.feeds.errors import ApiError, AuthError, BadResponse, RetryLater, Unreachable
from commandcenter.feeds.fields import RecordError
from commandcenter.feeds.parsing import parse_meeting
from commandcenter.store import ChangeEvent, Store
from commandcenter.store.outbox import OutboxEntry

log = logging.getLogger(__name__)

# 2 s after the first failure, doubling, at most 5 minutes (kept across restarts)
RETRY_BACKOFF = Backoff(first_s=2.0, cap_s=300.0)


def _alert_ack(entry: OutboxEntry) -> tuple[str, dict]:
    alert_id = entry.payload["alertId"]
    body = {
        "operator": entry.payload.get("ackBy") or "operator",
        "note": entry.payload.get("note", ""),
    }
    return f"/alerts/{quote(alert_id, safe='')}/ack", body


def _meeting_launch(entry: OutboxEntry) -> tuple[str, dict]:
    return "/meetings", entry.payload


def _meeting_end(entry: OutboxEntry) -> tuple[str, dict]:
    return f"/meetings/{quote(entry.payload['meetingId'], safe='')}/end", {}


def _meeting_participants(entry: OutboxEntry) -> tuple[str, dict]:
    body = {
        "add": list(entry.payload.get("add", [])),
        "remove": list(entry.payload.get("remove", [])),
    }
    return f"/meetings/{quote(entry.payload['meetingId'], safe='')}/participants", body


def _inspection_submit(entry: OutboxEntry) -> tuple[str, dict]:
    return "/inspections", entry.payload


# kind → (path, body) of the POST that carries it out
COMMANDS: dict[str, Callable[[OutboxEntry], tuple[str, dict]]] = {
    "alert_ack": _alert_ack,
    "meeting_launch": _meeting_launch,
    "meeting_end": _meeting_end,
    "meeting_participants": _meeting_participants,
    "inspection_submit": _inspection_submit,
}
MEETING_COMMANDS = ("meeting_launch", "meeting_end", "meeting_participants")
# participants' states change over seconds (contract 3.12): the client polls open meetings
MEETING_REFRESH_S = 2.0
# after a command succeeds, the feed that shows its effect is polled at once
FOLLOW_UP_FEED = {"alert_ack": "alerts", "inspection_submit": "inspections"}


class OutboxSender:
    """Sends the outbox's commands to the data center, each once, until it answers."""

    def __init__(
        self,
        client: DataCenterClient,
        store: Store,
        *,
        poll_now: Callable[[str], None] | None = None,
        interval_s: float = 1.0,
    ):
        self._client = client
        self._store = store
        self._poll_now = poll_now
        self._interval_s = interval_s
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._meetings_refreshed = 0.0
        self._unsubscribe: Callable[[], None] | None = None

    def start(self) -> None:
        """Start sending, at once and whenever a command is written."""
        self._stop.clear()

        # a command written by any process (any desk on a shared store) wakes the sender
        def wake(event: ChangeEvent) -> None:
            if event.kind == "outbox":
                self._wake.set()

        self._unsubscribe = self._store.subscribe(wake)
        self._thread = threading.Thread(target=self._loop, name="outbox", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop sending and wait for the thread."""
        self._stop.set()
        self._wake.set()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.send_due()
                if time.monotonic() - self._meetings_refreshed >= MEETING_REFRESH_S:
                    self._meetings_refreshed = time.monotonic()
                    self.refresh_open_meetings()
            except Exception:  # the store itself failed; try again on the next round
                log.exception("the outbox could not be read")
            self._wake.wait(self._interval_s)
            self._wake.clear()

    def send_due(self, now: datetime | None = None) -> int:
        """Send every command that is due; returns how many were sent."""
        sent = 0
        for entry in self._store.due_commands(now or datetime.now(UTC)):
            if self._stop.is_set():
                break
            sent += self._send(entry)
        return sent

    def _send(self, entry: OutboxEntry) -> int:
        build = COMMANDS.get(entry.kind)
        if build is None:
            self._store.mark_command_failed(
                entry.id, error=f"unknown command kind {entry.kind!r}", next_attempt_at=None
            )
            return 0
        path, body = build(entry)
        try:
            response = self._client.post(path, body, idempotency_key=entry.idempotency_key)
        except (Unreachable, BadResponse, RetryLater, AuthError) as exc:
            self._retry_later(entry, exc)
            return 0
        except ApiError as exc:
            if exc.status >= 500:
                self._retry_later(entry, exc)
                return 0
            log.warning("the data center refused %s %s: %s", entry.kind, entry.target, exc)
            self._store.mark_command_failed(entry.id, error=str(exc), next_attempt_at=None)
            if entry.kind == "inspection_submit" and entry.target is not None:
                self._store.record_inspection_outcome(entry.target, error=str(exc))
            return 0
        data = response.data if isinstance(response.data, dict) else {"data": response.data}
        if entry.kind in MEETING_COMMANDS:
            self._store_meeting(data, title=entry.payload.get("title"))
        self._store.mark_command_sent(entry.id, data)
        if entry.kind == "inspection_submit" and entry.target is not None:
            self._store.record_inspection_outcome(
                entry.target, inspection_id=str(data.get("inspectionId", ""))
            )
        follow_up = FOLLOW_UP_FEED.get(entry.kind)
        if follow_up and self._poll_now is not None:
            self._poll_now(follow_up)
        return 1

    def _store_meeting(self, data: dict, *, title: str | None = None) -> None:
        try:
            meeting = parse_meeting(data)
        except RecordError as exc:
            log.warning(
                "the data center answered with a meeting that breaks the contract: %s", exc.reason
            )
            return
        if not meeting.title:
            known = {m.meeting_id: m for m in self._store.meetings()}.get(meeting.meeting_id)
            meeting = replace(
                meeting,
                title=title or (known.title if known else ""),
                host_point_id=meeting.host_point_id or (known.host_point_id if known else None),
            )
        self._store.upsert_meeting(meeting)

    def refresh_open_meetings(self) -> None:
        """Poll each meeting that is not over for its participants' states."""
        for meeting in self._store.meetings():
            if meeting.status == "ended" or self._stop.is_set():
                continue
            try:
                response = self._client.get(f"/meetings/{quote(meeting.meeting_id, safe='')}")
            except (Unreachable, BadResponse, RetryLater, AuthError, ApiError) as exc:
                log.debug("meeting %s not refreshed: %s", meeting.meeting_id, exc)
                continue
            if isinstance(response.data, dict):
                self._store_meeting(response.data, title=meeting.title)

    def _retry_later(self, entry: OutboxEntry, exc: Exception) -> None:
        wait = RETRY_BACKOFF.delay(entry.attempts + 1)  # the attempts before this one
        retry_after = getattr(exc, "retry_after", None)
        if retry_after:
            wait = max(wait, retry_after)
        self._store.mark_command_failed(
            entry.id, error=str(exc), next_attempt_at=datetime.now(UTC) + timedelta(seconds=wait)
        )
