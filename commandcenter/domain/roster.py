"""The duty roster (值班表): who is on duty, for which organisation, when (contract 4.2).

The city and each county keep their own roster. A shift belongs to the bureau day on
which it starts, so a night shift that began yesterday at 17:30 is still on duty at
03:00 today: whoever asks who is on duty now reads yesterday's roster as well as
today's (`roster_dates`). A data center without the roster (interface v1) leaves the
desk to enter its own shifts, marked "local".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from commandcenter.domain import bureau_time
from commandcenter.domain.geography import CITY_CODE
from commandcenter.domain.people import Person, Scope

DATACENTER = "datacenter"
LOCAL = "local"
SOURCES = (DATACENTER, LOCAL)

# The longest a shift may run: a roster with a longer one is wrong, not generous.
LONGEST_SHIFT = timedelta(hours=48)
NAME_CHARS = 200
PHONE_CHARS = 64
MAX_OFFICERS = 20


@dataclass(frozen=True, slots=True)
class RosterPerson:
    """A person on the roster: the data center's personId (None for one entered at a
    desk), the name and a phone number ("" when none is known)."""

    person_id: str | None
    name: str
    phone: str = ""


@dataclass(frozen=True, slots=True)
class Shift:
    """One shift of one organisation's roster: the leader on duty (值班领导) and the
    officers (值班员), from the data center or entered at a desk (`source`)."""

    shift_id: str
    org_code: str
    date: date  # the bureau day whose roster lists it: the day it starts
    start: datetime
    end: datetime
    leader: RosterPerson | None
    officers: tuple[RosterPerson, ...]
    source: str = DATACENTER

    @property
    def local(self) -> bool:
        """Whether the shift was entered at a desk rather than sent by the data center."""
        return self.source == LOCAL

    def covers(self, moment: datetime) -> bool:
        """Whether the shift is on duty at `moment`: [start, end)."""
        return self.start <= moment < self.end

    @property
    def people(self) -> tuple[RosterPerson, ...]:
        """The leader (when there is one) and the officers."""
        return ((self.leader,) if self.leader is not None else ()) + self.officers


def roster_dates(now: datetime) -> tuple[date, date]:
    """Yesterday and today on the bureau's calendar: the rosters that can hold the shift
    on duty at `now` (a night shift belongs to the day it started)."""
    today = bureau_time.at_bureau(now).date()
    return today - timedelta(days=1), today


def shift_on_duty(shifts: Iterable[Shift], org_code: str, now: datetime) -> Shift | None:
    """The organisation's shift on duty at `now`; None when no shift covers it. Where
    shifts overlap, the data center's comes before one entered at a desk, and the one
    that began last before one that began earlier (a handover's overlap)."""
    covering = [s for s in shifts if s.org_code == org_code and s.covers(now)]
    if not covering:
        return None
    return max(covering, key=lambda s: (s.source == DATACENTER, s.start))


def on_roster(person: Person, shift: Shift) -> bool:
    """Whether the person is the shift's leader or one of its officers: by the roster's
    personId when the person has one, else by the exact name (a desk's local account
    knows no personId)."""
    if person.person_id:
        return any(p.person_id == person.person_id for p in shift.people)
    name = person.name.strip()
    return bool(name) and any(p.name.strip() == name for p in shift.people)


def desk_org(scope: Scope) -> str:
    """The organisation whose roster is the desk's own: its county's, or the city's."""
    return scope.county if scope.county is not None else CITY_CODE


def rosters_seen(scope: Scope) -> tuple[str, ...] | None:
    """The organisations whose rosters a desk sees: a county desk its county's and the
    city's; None for the city desk, which sees every roster."""
    if scope.county is None:
        return None
    return (scope.county, CITY_CODE)


class InvalidShift(ValueError):
    """A shift entered at a desk that cannot be kept; the message names what is wrong."""


def local_shift(
    shift_id: str,
    org_code: str,
    day: date,
    start: time,
    end: time,
    leader: RosterPerson | None,
    officers: Sequence[RosterPerson],
) -> Shift:
    """A shift entered at a desk, on the bureau's wall clock: an end at or before the
    start is on the next day (a night shift, 17:30 to 08:30). InvalidShift names what
    is missing or too long."""
    people = ([leader] if leader is not None else []) + list(officers)
    if not people:
        raise InvalidShift("a shift needs a leader on duty or at least one officer")
    if len(officers) > MAX_OFFICERS:
        raise InvalidShift(f"at most {MAX_OFFICERS} officers on one shift")
    for person in people:
        if not person.name.strip():
            raise InvalidShift("every person on the shift needs a name")
        if len(person.name) > NAME_CHARS:
            raise InvalidShift(f"a name has at most {NAME_CHARS} characters")
        if len(person.phone) > PHONE_CHARS:
            raise InvalidShift(f"a phone number has at most {PHONE_CHARS} characters")
        if "\x00" in person.name or "\x00" in person.phone:
            raise InvalidShift("a name or phone number contains a NUL character")
    begins = bureau_time.from_wall_time(day, start)
    ends = bureau_time.from_wall_time(day + timedelta(days=1) if end <= start else day, end)
    return Shift(
        shift_id=shift_id,
        org_code=org_code,
        date=day,
        start=begins,
        end=ends,
        leader=leader,
        officers=tuple(officers),
        source=LOCAL,
    )


def officers_from_lines(text: str) -> list[RosterPerson]:
    """Officers as a desk types them, one a line: the name, then the phone number when
    there is one ("李强 13912345678"); blank lines are skipped."""
    officers = []
    for line in text.splitlines():
        words = line.split()
        if not words:
            continue
        phone = ""
        if len(words) > 1 and _looks_like_phone(words[-1]):
            phone = words.pop()
        officers.append(RosterPerson(None, " ".join(words), phone))
    return officers


def _looks_like_phone(word: str) -> bool:
    digits = sum(c.isdigit() for c in word)
    return digits >= 3 and all(c.isdigit() or c in "+-()" for c in word)
