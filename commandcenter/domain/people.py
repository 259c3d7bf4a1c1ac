"""Who sits at the desk: the signed-in person, the roles they may take, and the part of
the city they see (their scope). A person with a county sees and acts on that county's
points, cameras, alerts, statistics, inspections and meetings only; the city sees all."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from commandcenter.domain.geography import COUNTY_BY_CODE, county_code
from commandcenter.domain.roles import ROLES


@dataclass(frozen=True, slots=True)
class Scope:
    """The part of the city a desk sees: one county (its adcode) or, with None, all."""

    county: str | None = None

    @property
    def city(self) -> bool:
        """Whether the scope is the whole city."""
        return self.county is None

    def covers_org(self, org_code: str | None) -> bool:
        """Whether an organisation (a point's org_code, a statistics row's) is in scope."""
        if self.county is None:
            return True
        return bool(org_code) and county_code(org_code or "") == self.county

    def covers_county(self, code: str | None) -> bool:
        """Whether a county code (a filter's choice, a figure's key) is in scope."""
        return self.county is None or code == self.county

    def counties(self, all_codes: Iterable[str]) -> list[str]:
        """The county codes among `all_codes` this scope covers, in their order."""
        return [c for c in all_codes if self.covers_county(c)]


CITY = Scope(None)


@dataclass(frozen=True, slots=True)
class Person:
    """A person signed in: their user name (the directory's uid or the local account),
    the name shown and audited, the roles they may take, their county (None: the city),
    the roster's personId when known, and where the sign-in came from."""

    user_name: str
    name: str
    roles: tuple[str, ...]
    county: str | None = None
    person_id: str | None = None
    source: str = "local"  # "ldap", "local", "demo" (the embedded default)

    def __post_init__(self) -> None:
        unknown = [r for r in self.roles if r not in ROLES]
        if unknown:
            raise ValueError(f"unknown role(s) {', '.join(unknown)} for {self.user_name}")
        if self.county is not None and self.county not in COUNTY_BY_CODE:
            raise ValueError(f"unknown county {self.county!r} for {self.user_name}")

    @property
    def scope(self) -> Scope:
        """What the person sees: their county, or the city."""
        return Scope(self.county)

    @property
    def audit_name(self) -> str:
        """How the audit log names the person: the name and the user name, e.g.
        `王敏 (wangmin)`, so two people with one name stay apart."""
        if self.name and self.name != self.user_name:
            return f"{self.name} ({self.user_name})"
        return self.user_name


# The embedded default: no directory, the simulated data center. A demo duty officer
# signs in by himself, so that a newcomer's first start shows a working city.
DEMO_PERSON = Person(
    user_name="demo",
    name="演示值班员",
    roles=ROLES,
    county=None,
    person_id=None,
    source="demo",
)


class SignInRefused(Exception):
    """A sign-in that did not succeed, in words for the person at the desk (never a
    password, never the directory's internals beyond one line)."""

    def __init__(self, reason: str, *, locked: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.locked = locked
