"""Handling an alert at the command center: who saw it, who it is assigned to, what
was said about it, who acknowledged and closed it, and when — merged into one
timeline with what the data center reported.

The contract (3.9) knows only acknowledgement; assignment, comments and closing are
the command center's own and kept in its store, so every desk on a shared store sees
them. Closing an alert the data center still has as new acknowledges it there too:
nobody may close what the data center believes nobody has looked at.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from commandcenter.domain.records import Alert


class Action(StrEnum):
    """What an operator did with an alert at this desk."""

    SEEN = "seen"  # an operator opened it
    ACKNOWLEDGE = "acknowledge"  # an operator acknowledged (sent to the data center)
    ASSIGN = "assign"
    COMMENT = "comment"
    CLOSE = "close"


@dataclass(frozen=True, slots=True)
class AlertAction:
    """One operator's action on one alert, as the audit of its handling keeps it."""

    alert_id: str
    action: Action | str
    actor: str
    at: datetime
    text: str = ""


@dataclass(frozen=True, slots=True)
class Handling:
    """The command center's state of an alert beyond the data center's status."""

    assignee: str | None = None
    assigned_at: datetime | None = None
    closed_by: str | None = None
    closed_at: datetime | None = None

    @property
    def closed(self) -> bool:
        """Whether a desk has closed the alert here."""
        return self.closed_by is not None


def handling(actions: Iterable[AlertAction]) -> dict[str, Handling]:
    """alert id -> its handling, from its actions in the order they were taken (seen and
    comments are for the timeline only)."""
    out: dict[str, Handling] = {}
    for a in actions:
        h = out.get(a.alert_id, Handling())
        if a.action == Action.ASSIGN:
            h = replace(h, assignee=a.text or None, assigned_at=a.at)
        elif a.action == Action.CLOSE:
            h = replace(h, closed_by=a.actor, closed_at=a.at)
        out[a.alert_id] = h
    return out


def effective_status(alert: Alert, handled: Handling | None) -> str:
    """The status the command center works with: the data center's, or closed once a
    desk closed it here."""
    if handled is not None and handled.closed and alert.status != "closed":
        return "closed"
    return alert.status


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One line of an alert's timeline: when, what, who, and where it was reported."""

    at: datetime
    event: str  # arrived | acked | closed | reopened | announced | seen | acknowledge | assign | comment | close | refused
    actor: str = ""  # who: an operator, or the data center's ackBy
    text: str = ""
    source: str = "desk"  # "datacenter" for what the data center reported


def timeline(
    alert: Alert,
    history: Iterable[dict],
    actions: Iterable[AlertAction],
    refusals: Iterable[tuple[datetime, str]] = (),
) -> list[TimelineEntry]:
    """Everything that happened to one alert, oldest first.

    `history`: the data center's states of it as stored (`Store.alert_history`), each
    with its status, ack_by, ack_at and updated_at; `refusals`: acknowledgements the
    data center refused (when, why)."""
    entries = [TimelineEntry(alert.occurred_at, "occurred", source="datacenter")]
    previous = None
    for state in history:
        status = state["status"]
        if previous is None:
            # the status it arrived in: an alert first heard of when already acknowledged says so
            entries.append(
                TimelineEntry(state["recorded_at"], "arrived", text=status, source="datacenter")
            )
        if (
            status == "acked"
            and (previous is None or previous["status"] != "acked")
            and state.get("ack_at")
        ):
            entries.append(
                TimelineEntry(
                    state["ack_at"], "acked", state.get("ack_by") or "", source="datacenter"
                )
            )
        elif status == "closed" and (previous is None or previous["status"] != "closed"):
            entries.append(TimelineEntry(state["updated_at"], "closed", source="datacenter"))
        elif status == "new" and previous is not None and previous["status"] != "new":
            entries.append(TimelineEntry(state["updated_at"], "reopened", source="datacenter"))
        previous = state
    entries += [TimelineEntry(a.at, str(a.action), a.actor, a.text) for a in actions]
    entries += [TimelineEntry(at, "refused", text=why) for at, why in refusals]
    return sorted(entries, key=lambda e: e.at)
