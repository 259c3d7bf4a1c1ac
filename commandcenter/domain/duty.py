"""The duty log (值班日志) and the shift handover (交接班).

The log is kept per shift: the bureau's usual shifts change at 08:30 (day) and 17:30
(night), Beijing time, and a shift belongs to the bureau date on which it starts, so at
03:00 the night shift on duty is yesterday's (contract 4.2). A roster's shift, when the
desk knows it, takes the place of the usual one.

Entries are never changed: a correction is a new entry naming the one it corrects. The
client writes entries of its own for notable events (a critical alert, a feed down or
back), author `CLIENT`, each event once however many desks see it (its `event` key).

Which entries a desk sees: a county desk sees the entries written in its county (its
officers', and the client's on alerts of its points) and the client's city-wide ones
(county NULL: the feeds); the city desk sees every entry. A city officer's own entries
are the city's, not the counties'.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum

from commandcenter.domain import bureau_time

DAY_START = time(8, 30)
NIGHT_START = time(17, 30)
DAY, NIGHT = "day", "night"  # the usual shifts' ids, when no roster says otherwise
SHIFT_NAMES: dict[str, str] = {DAY: "白班", NIGHT: "夜班"}
CLIENT = "client"  # the author of the entries the client writes by itself
CLIENT_NAME = "系统"
MAX_TEXT_CHARS = 4000
CRITICAL_SEVERITY = 1  # alerts of this severity are logged as they arrive and are handled


class Kind(StrEnum):
    """What a duty-log entry records."""

    ENTRY = "entry"  # written by an officer
    CORRECTION = "correction"  # an officer's correction of an earlier entry
    ALERT = "alert"  # a critical alert arrived, was acknowledged, was closed
    FEED = "feed"  # a feed went down, or came back
    HANDOVER = "handover"  # handed over, accepted, objected to
    SIGN_IN = "sign_in"  # a shift change at the desk


KIND_NAMES: dict[str, str] = {
    Kind.ENTRY: "记录",
    Kind.CORRECTION: "更正",
    Kind.ALERT: "告警",
    Kind.FEED: "数据接口",
    Kind.HANDOVER: "交接班",
    Kind.SIGN_IN: "签到",
}


@dataclass(frozen=True, slots=True)
class DutyEntry:
    """One line of the duty log, as it was written."""

    id: int
    at: datetime
    shift_date: str  # ISO date: the bureau day its shift began
    shift_id: str | None  # "day", "night", or the roster's shiftId
    author: str  # the person's user name; CLIENT for the client's own entries
    author_name: str
    kind: str
    text: str
    county: str | None = None  # the desk's county; None: the city
    corrects: int | None = None  # the id of the entry this one corrects


def shift_of(at: datetime, roster: tuple[str, datetime] | None = None) -> tuple[str, str]:
    """The shift an instant falls in: (its bureau date, ISO; its id). `roster`: the
    roster's shift on duty then (its shiftId and start), which takes the usual shifts'
    place; its date is the bureau date it starts on."""
    if roster is not None:
        shift_id, start = roster
        return bureau_time.at_bureau(start).date().isoformat(), shift_id
    local = bureau_time.at_bureau(at)
    wall = local.time().replace(tzinfo=None)
    if DAY_START <= wall < NIGHT_START:
        return local.date().isoformat(), DAY
    if wall >= NIGHT_START:
        return local.date().isoformat(), NIGHT
    return (local.date() - timedelta(days=1)).isoformat(), NIGHT


def shift_name(shift_id: str | None) -> str:
    """How a shift is called in the log: 白班, 夜班, or the roster's id."""
    if shift_id is None:
        return "—"
    return SHIFT_NAMES.get(shift_id, shift_id)


def check_text(text: str, what: str = "the entry") -> str:
    """The text of an entry, stripped; ValueError naming the problem when it is empty or
    too long."""
    clean = (text or "").strip()
    if not clean:
        raise ValueError(f"{what} is empty: write what happened")
    if len(clean) > MAX_TEXT_CHARS:
        raise ValueError(f"{what} has {len(clean)} characters, at most {MAX_TEXT_CHARS} are kept")
    return clean


# -- events the client logs by itself ------------------------------------------------------


def alert_event_key(alert_id: str, what: str) -> str:
    """The key that makes an alert's event logged once: what is arrived, acknowledged or
    closed."""
    return f"alert:{alert_id}:{what}"


ALERT_EVENT_WORDS = {"arrived": "到达", "acknowledged": "已确认", "closed": "已关闭"}


def alert_event_text(title: str, alert_id: str, what: str, by: str | None = None) -> str:
    """The log's words for an event of a critical alert."""
    words = ALERT_EVENT_WORDS.get(what, what)
    who = f"（{by}）" if by else ""
    return f"严重告警{words}{who}：{title}〔{alert_id}〕"


def feed_event_text(feed_label: str, up: bool, error: str | None = None) -> str:
    """The log's words for a feed that went down or came back."""
    if up:
        return f"数据接口恢复：{feed_label}"
    reason = f"（{error[:200]}）" if error else ""
    return f"数据接口中断：{feed_label}{reason}"


# -- the handover --------------------------------------------------------------------------


class ItemKind(StrEnum):
    """What an open matter handed over is."""

    ALERT = "alert"
    INSPECTION = "inspection"  # a rectification due and not closed
    MEETING = "meeting"  # scheduled or running
    FEED = "feed"  # not healthy


ITEM_KIND_NAMES: dict[str, str] = {
    ItemKind.ALERT: "未关闭告警",
    ItemKind.INSPECTION: "待整改督查",
    ItemKind.MEETING: "会议",
    ItemKind.FEED: "异常数据接口",
}


class HandoverState(StrEnum):
    """Where a handover is: open until the incoming officer answers."""

    OPEN = "open"
    ACCEPTED = "accepted"
    OBJECTED = "objected"


HANDOVER_STATE_NAMES: dict[str, str] = {
    HandoverState.OPEN: "待接班",
    HandoverState.ACCEPTED: "已接班",
    HandoverState.OBJECTED: "有异议",
}


@dataclass(frozen=True, slots=True)
class HandoverItem:
    """One open matter handed over: what it is, its id, title and state, the last note
    on it, and when it is due (ISO date or time; None: no date)."""

    kind: str
    ref: str
    title: str
    state: str
    last_note: str = ""
    due: str | None = None

    def as_json(self) -> dict:
        """The item as the store keeps it."""
        return {
            "kind": self.kind,
            "ref": self.ref,
            "title": self.title,
            "state": self.state,
            "last_note": self.last_note,
            "due": self.due,
        }

    @classmethod
    def from_json(cls, data: dict) -> HandoverItem:
        """An item as the store kept it."""
        return cls(
            str(data.get("kind", "")),
            str(data.get("ref", "")),
            str(data.get("title", "")),
            str(data.get("state", "")),
            str(data.get("last_note") or ""),
            data.get("due"),
        )


@dataclass(frozen=True, slots=True)
class Handover:
    """A shift handed over: when, by whom, the open matters and notes, and the incoming
    officer's answer (once)."""

    id: int | None
    created_at: datetime
    shift_date: str
    shift_id: str | None
    county: str | None
    outgoing: str
    outgoing_name: str
    items: tuple[HandoverItem, ...] = ()
    notes: str = ""
    state: str = HandoverState.OPEN
    incoming: str | None = None
    incoming_name: str | None = None
    answered_at: datetime | None = None
    objections: str = ""

    def items_of(self, kind: str) -> list[HandoverItem]:
        """The items of one kind, in their order."""
        return [i for i in self.items if i.kind == kind]
