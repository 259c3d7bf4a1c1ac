"""The simulated duty roster (值班表, contract 4.2): for every day, the city's and each
county's two shifts, 08:30–17:30 and 17:30–08:30 the next morning, each with a leader
on duty (值班领导) and two or three officers (值班员), deterministic from the world's seed
and the date.

Person ids are predictable, for tests and demonstrations: every organisation has a
staff of ROSTER_STAFF people, `P-<orgCode>-1` to `P-<orgCode>-12`; the first
LEADERS of them (`-1` to `-3`) lead shifts, the others (`-4` to `-12`) serve as
officers. Which of them serve on a given shift changes from day to day. Shift ids are
`DS-<orgCode>-<YYYYMMDD>-D` (day) and `-N` (night).
"""

from __future__ import annotations

import copy
from datetime import date, datetime, time, timedelta

from commandcenter.domain.geography import CITY_CODE
from commandcenter.simulator.places import person_name
from commandcenter.simulator.storage import CST, iso, stable_rng
from commandcenter.simulator.world_state import WorldState

ROSTER_STAFF = 12
LEADERS = 3
# (suffix, start, end): a shift whose end is not after its start ends the next day
SHIFTS = (("D", time(8, 30), time(17, 30)), ("N", time(17, 30), time(8, 30)))
_PHONE_PREFIXES = ("133", "135", "137", "138", "139", "150", "151", "158", "186", "189")


def roster_person_id(org_code: str, n: int) -> str:
    """The personId of an organisation's n-th person on duty (1-based)."""
    return f"P-{org_code}-{n}"


class DutyRosterBook(WorldState):
    """The organisations' duty rosters (part of World), and hooks that change what is
    served: a raw shift added to a day (anything: hostile shifts are tested with it),
    a shift removed."""

    _roster_added: dict[str, list[object]]
    _roster_removed: set[str]

    def _roster_orgs(self) -> list[str]:
        return [CITY_CODE, *(c.code for c in self.counties)]

    def roster_person(self, org_code: str, n: int) -> dict:
        """The organisation's n-th person on duty as the roster lists them."""
        rng = stable_rng(self.seed, "roster-person", org_code, n)
        name = person_name(rng)
        phone = rng.choice(_PHONE_PREFIXES) + f"{rng.randint(0, 99_999_999):08d}"
        return {"personId": roster_person_id(org_code, n), "name": name, "phone": phone}

    def duty_roster(self, day: date | None = None, org_code: str | None = None) -> dict:
        """`GET /duty-roster`: the day's shifts (today's in China Standard Time when no day
        is given) of one organisation or, with none, of every one."""
        day = day or self._now.astimezone(CST).date()
        orgs = self._roster_orgs()
        if org_code is not None:
            orgs = [o for o in orgs if o == org_code]
        shifts: list[object] = []
        for org in orgs:
            for suffix, start, end in SHIFTS:
                shift = self._shift(org, day, suffix, start, end)
                if shift["shiftId"] not in self._roster_removed:
                    shifts.append(shift)
        for raw in self._roster_added.get(day.isoformat(), []):
            if org_code is None or (isinstance(raw, dict) and raw.get("orgCode") == org_code):
                shifts.append(copy.deepcopy(raw))
        return {"date": day.isoformat(), "shifts": shifts}

    def _shift(self, org: str, day: date, suffix: str, start: time, end: time) -> dict:
        rng = stable_rng(self.seed, "roster", org, day.isoformat(), suffix)
        leader = rng.randint(1, LEADERS)
        officers = rng.sample(range(LEADERS + 1, ROSTER_STAFF + 1), rng.choice((2, 2, 3)))
        begins = datetime.combine(day, start, CST)
        ends = datetime.combine(day + timedelta(days=1) if end <= start else day, end, CST)
        return {
            "shiftId": f"DS-{org}-{day:%Y%m%d}-{suffix}",
            "orgCode": org,
            "start": iso(begins),
            "end": iso(ends),
            "leader": self.roster_person(org, leader),
            "officers": [self.roster_person(org, n) for n in sorted(officers)],
        }

    # -- hooks ------------------------------------------------------------------------

    def add_roster_shift(self, day: date, raw: object) -> None:
        """Serve `raw` (as it is, valid or not) among the shifts of `day`."""
        self._roster_added.setdefault(day.isoformat(), []).append(raw)

    def remove_roster_shift(self, shift_id: str) -> None:
        """Stop serving a shift, as when a roster is corrected upstream."""
        self._roster_removed.add(shift_id)
