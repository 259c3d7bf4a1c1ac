"""Which alerts the duty officer must be told of, and how loudly: severity 1–2 alerts
not yet acknowledged are announced (sound and banner) once each; a severity-1 alert
still unacknowledged after `escalate_after_s` escalates (louder, repeated, the banner
flashing) until someone acknowledges it. Muting silences the sound for a while,
never the banner, and says until when.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from commandcenter.domain.records import Alert


@dataclass(frozen=True)
class AlertingPolicy:
    """When alerts are announced and when an unacknowledged one escalates."""

    announce_up_to: int = 2  # severities 1..this are announced
    escalate_after_s: float = 120.0  # an unacknowledged severity-1 alert escalates after this long
    repeat_s: float = 30.0  # an escalated alert sounds again this often


@dataclass(frozen=True)
class Decision:
    """What the announcer does this round: announce, escalate, sound, show on the banner."""

    announce: tuple[Alert, ...] = ()  # alerts to announce now (each once)
    escalated: tuple[Alert, ...] = ()  # severity-1 alerts past their time, not acknowledged
    sound: str | None = None  # "alert" | "escalated" | None
    banner: Alert | None = None  # the most urgent unacknowledged alert
    # the alert whose place the map and the wall show this round: at start (and at the
    # first alerts after it) the banner's, so that the console opens on one alert; later
    # the newest critical alert announced
    focus: Alert | None = None


@dataclass
class Announcer:
    """Fed the open alerts on every change (and on a timer); says what to do."""

    policy: AlertingPolicy = field(default_factory=AlertingPolicy)
    announced: set[str] = field(default_factory=set)
    first_seen: dict[str, datetime] = field(default_factory=dict)
    last_escalation_sound: datetime | None = None
    muted_until: datetime | None = None
    shown_first: bool = False  # the first alert to tell of was put on the map and the wall

    def muted(self, now: datetime) -> bool:
        """Whether the sound is muted at `now`."""
        return self.muted_until is not None and now < self.muted_until

    def mute(self, now: datetime, minutes: float) -> datetime:
        """Mute the sound for `minutes` from `now`; returns until when."""
        self.muted_until = now + timedelta(minutes=minutes)
        return self.muted_until

    def unmute(self) -> None:
        """Let the sound be heard again."""
        self.muted_until = None

    def pending(self, alerts: Iterable) -> list:
        """The alerts to be told of, the most urgent first: by severity, then the one
        waiting longest."""
        return sorted(
            (a for a in alerts if a.status == "new" and a.severity <= self.policy.announce_up_to),
            key=lambda a: (a.severity, a.occurred_at),
        )

    def decide(self, alerts: Iterable, now: datetime) -> Decision:
        """This round's decision over the open alerts, each announced once."""
        pending = self.pending(alerts)
        ids = {a.alert_id for a in pending}
        for gone in set(self.first_seen) - ids:  # acknowledged or closed: forgotten
            del self.first_seen[gone]
        for alert in pending:
            self.first_seen.setdefault(alert.alert_id, now)
        fresh = tuple(a for a in pending if a.alert_id not in self.announced)
        self.announced |= {a.alert_id for a in fresh}
        self.announced &= ids | {a.alert_id for a in fresh}
        escalated = tuple(
            a
            for a in pending
            if a.severity == 1
            and (now - self.first_seen[a.alert_id]).total_seconds() >= self.policy.escalate_after_s
        )
        sound = None
        if escalated and (
            self.last_escalation_sound is None
            or (now - self.last_escalation_sound).total_seconds() >= self.policy.repeat_s
        ):
            sound = "escalated"
        elif fresh:
            sound = "alert"
        if sound == "escalated":
            self.last_escalation_sound = now
        if self.muted(now):
            sound = None
        banner = pending[0] if pending else None
        focus = None
        if banner is not None and not self.shown_first:
            focus = banner
            self.shown_first = True
        elif critical := [a for a in fresh if a.severity == 1]:
            # one place a round: after a backlog, flying through hundreds would show none
            focus = max(critical, key=lambda a: a.occurred_at)
        return Decision(fresh, escalated, sound, banner, focus)
