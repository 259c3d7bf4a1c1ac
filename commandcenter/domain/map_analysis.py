"""What the map's analysis layers show, computed from records and case figures: indicators
per county for a choropleth and its classes, and the heat of open alerts or of a case
category's cases at the points that handle them.

A point is a row of the map: [id, lat, lng, type, level, county, status, name]; a heat
entry is [lat, lng, weight], weights between 0 and 1.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta

from commandcenter.domain import contract
from commandcenter.domain.case_figures import RECEIVED, CaseFigures
from commandcenter.domain.geography import county_code

P = contract.PointType
# Which kinds of point handle a case category: the heat of its cases lies there.
HANDLED_BY: dict[str, set[contract.PointType]] = {
    contract.CaseCategory.HOTLINE_12348: {P.HOTLINE_12348, P.LEGAL_SERVICE_CENTER},
    contract.CaseCategory.LEGAL_AID: {P.LEGAL_SERVICE_CENTER, P.JUDICIAL_OFFICE},
    contract.CaseCategory.MEDIATION: {P.MEDIATION_CENTER, P.MEDIATION_STUDIO, P.JUDICIAL_OFFICE},
    contract.CaseCategory.NOTARY: {P.NOTARY_OFFICE},
    contract.CaseCategory.FORENSIC: {P.FORENSIC_INSTITUTION},
    contract.CaseCategory.COMMUNITY_CORRECTION: {P.COMMUNITY_CORRECTION_CENTER, P.JUDICIAL_OFFICE},
    contract.CaseCategory.LAW_POPULARIZATION: {
        P.LEGAL_SERVICE_CENTER,
        P.JUDICIAL_OFFICE,
        P.SERVICE_STATION,
    },
    contract.CaseCategory.LEGAL_CONSULTATION: {
        P.LEGAL_SERVICE_CENTER,
        P.JUDICIAL_OFFICE,
        P.SERVICE_STATION,
    },
}
# How hot an open alert makes its place, by severity.
ALERT_HEAT = {1: 1.0, 2: 0.7, 3: 0.45, 4: 0.25}
ALERT_HEAT_OTHER = 0.3


def cases_by_county(figures: CaseFigures, now: datetime, hours: int, category: str) -> Counter[str]:
    """Cases of `category` received in the last `hours`, per county (adcode)."""
    per_org = figures.by_org(
        RECEIVED,
        figures.index(now - timedelta(hours=hours)) + 1,
        figures.index(now) + 1,
        categories=[category],
    ).sum(axis=1)
    by_county: Counter[str] = Counter()
    for org, received in zip(figures.orgs, per_org.tolist(), strict=True):
        by_county[county_code(org)] += received
    return by_county


def case_heat(
    by_county: Mapping[str, float], rows: Iterable[Sequence], category: str
) -> list[list]:
    """Heat at the points that handle a category: each county's cases shared among its
    points of those types (the data center counts cases per county, not per point),
    weights relative to the largest."""
    types = HANDLED_BY.get(category)
    handlers: dict[str, list[Sequence]] = {}
    everyone: dict[str, list[Sequence]] = {}
    for row in rows:
        everyone.setdefault(row[5], []).append(row)
        if types is None or row[3] in types:
            handlers.setdefault(row[5], []).append(row)
    heat = []
    for county, total in by_county.items():
        # no such point there: the whole county
        points = handlers.get(county) or everyone.get(county, [])
        for row in points:
            heat.append([row[1], row[2], total / len(points)])
    top = max((h[2] for h in heat), default=0) or 1
    return [[lat, lng, round(weight / top, 4)] for lat, lng, weight in heat]


def alert_heat(alert_rows: Iterable[Sequence]) -> list[list]:
    """Heat of open alerts from the map's alert rows [point id, lat, lng, severity, title]."""
    return [[a[1], a[2], ALERT_HEAT.get(a[3], ALERT_HEAT_OTHER)] for a in alert_rows]


def county_figures_today(figures: CaseFigures, now: datetime) -> dict[str, dict[str, float]]:
    """Per county today (the bureau's day): cases received (all categories) and the
    backlog (pending cases in the latest hour). `figures` start at the bureau's midnight."""
    received = figures.by_org(RECEIVED, 0, figures.index(now) + 1).sum(axis=1)
    stats: dict[str, dict[str, float]] = {}
    for n, org in enumerate(figures.orgs):
        county = stats.setdefault(county_code(org), {"received": 0.0, "pending": 0.0})
        county["received"] += float(received[n])
        county["pending"] += figures.backlog(now, orgs=[org])
    return stats


def offline_by_county(points: Iterable, counties: Iterable[str]) -> dict[str, float]:
    """How many of the points are offline, in each county (every county named, 0 or more)."""
    values: Counter[str] = Counter()
    for point in points:
        if point.status == "offline":
            values[county_code(point.org_code)] += 1
    return {code: float(values.get(code, 0)) for code in counties}


def class_breaks(values: Mapping[str, float], classes: int) -> tuple[list[float], float]:
    """Equal classes from 0 to the largest value: the upper bounds of all classes but
    the last, and the largest value (1 when there is none)."""
    top = max(values.values(), default=0) or 1
    return [top * k / classes for k in range(1, classes)], top
