"""What a desk with a scope (domain.people.Scope) sees of the records: a point by its
organisation's county, a camera and an alert by their point's, an alert without a point
by where it happened (inside which county's boundary).

Filtering happens where the views read (the snapshots), so that every view, search and
export made from them shows the same part of the city.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from functools import cache
from typing import Any

from shapely import prepared
from shapely.geometry import Point, shape

from commandcenter import resources
from commandcenter.domain.geography import CITY_CODE, county_code
from commandcenter.domain.people import Scope
from commandcenter.domain.records import Alert


@cache
def _county_areas() -> list[tuple[str, object]]:
    """The counties' boundaries (GCJ-02, as shipped), prepared for point-in-area tests."""
    data = json.loads(resources.read_text("geo", "suzhou_counties.geojson"))
    return [
        (f["properties"]["adcode"], prepared.prep(shape(f["geometry"]))) for f in data["features"]
    ]


_areas_lock = threading.Lock()


def county_at(lng_gcj02: float, lat_gcj02: float) -> str | None:
    """The county (adcode) whose boundary holds the place, or None outside them all."""
    with _areas_lock:  # made once; shapely's prepared geometries are read-only after
        areas = _county_areas()
    where = Point(lng_gcj02, lat_gcj02)
    for code, area in areas:
        if area.contains(where):  # type: ignore[attr-defined]
            return code
    return None


def point_in_scope(point: Any, scope: Scope) -> bool:
    """A service point (anything with `org_code`) in the scope."""
    return scope.covers_org(point.org_code)


def alert_county(alert: Alert, point: Any | None) -> str:
    """The county an alert belongs to, for records kept by county (the duty log): its
    point's, else the one where it happened, else the city's code (the city sees it,
    no county does)."""
    if point is not None:
        return county_code(point.org_code)
    if alert.lng is not None and alert.lat is not None:
        gcj02 = (alert.coord_sys or "GCJ02").upper() == "GCJ02"
        lng, lat = (alert.lng, alert.lat) if gcj02 else (alert.lng_wgs84, alert.lat_wgs84)
        if lng is not None and lat is not None:
            return county_at(lng, lat) or CITY_CODE
    return CITY_CODE


def alert_in_scope(alert: Alert, points: Mapping[str, object], scope: Scope) -> bool:
    """An alert in the scope: by its point's county; with no known point, by where it
    happened; with neither, only the city sees it (alert_county)."""
    if scope.city:
        return True
    point = points.get(alert.point_id) if alert.point_id else None
    return alert_county(alert, point) == scope.county
