"""GCJ-02 ↔ WGS-84.

Points arrive in GCJ-02 (collected on AutoNavi maps) or WGS-84 (contract §3.3);
every base layer is drawn in one of the two. The forward transform is the
published one (Krasovsky ellipsoid); the inverse has no closed form, so it is
iterated until the forward transform of the answer lands on the input.
"""

from __future__ import annotations

import math
from functools import lru_cache

_A = 6378245.0  # Krasovsky 1940 semi-major axis
_EE = 0.00669342162296594323  # its eccentricity squared
_EARTH_RADIUS_M = 6371008.8


def out_of_china(lng: float, lat: float) -> bool:
    """GCJ-02 applies only inside this box; outside it equals WGS-84."""
    return not (73.66 < lng < 135.05 and 3.86 < lat < 53.55)


def _delta(lng: float, lat: float) -> tuple[float, float]:
    x, y = lng - 105.0, lat - 35.0
    d_lat = (
        -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
        + (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
        + (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
        + (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    )
    d_lng = (
        300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
        + (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
        + (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
        + (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    )
    rad_lat = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad_lat) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    d_lng = (d_lng * 180.0) / (_A / sqrt_magic * math.cos(rad_lat) * math.pi)
    return d_lng, d_lat


def wgs84_to_gcj02(lng: float, lat: float) -> tuple[float, float]:
    if out_of_china(lng, lat):
        return lng, lat
    d_lng, d_lat = _delta(lng, lat)
    return lng + d_lng, lat + d_lat


# 1e-7 degrees is about a centimetre: far below what any map shows.
_TOLERANCE_DEG = 1e-7


@lru_cache(maxsize=131072)
def gcj02_to_wgs84(lng: float, lat: float, *, max_iter: int = 20) -> tuple[float, float]:
    """Fixed-point iteration: the offset varies slowly, so each step shrinks the
    error by orders of magnitude; two or three steps reach millimetres. Cached:
    the same station's coordinates come again with every alert and update."""
    if out_of_china(lng, lat):
        return lng, lat
    w_lng, w_lat = lng, lat
    for _ in range(max_iter):
        g_lng, g_lat = wgs84_to_gcj02(w_lng, w_lat)
        err_lng, err_lat = g_lng - lng, g_lat - lat
        w_lng -= err_lng
        w_lat -= err_lat
        if abs(err_lng) < _TOLERANCE_DEG and abs(err_lat) < _TOLERANCE_DEG:
            break
    return w_lng, w_lat


def to_wgs84(lng: float, lat: float, coord_sys: str) -> tuple[float, float] | None:
    if coord_sys == "WGS84":
        return lng, lat
    if coord_sys == "GCJ02":
        return gcj02_to_wgs84(lng, lat)
    return None


def from_wgs84(lng: float, lat: float, coord_sys: str) -> tuple[float, float] | None:
    if coord_sys == "WGS84":
        return lng, lat
    if coord_sys == "GCJ02":
        return wgs84_to_gcj02(lng, lat)
    return None


def distance_m(lng1: float, lat1: float, lng2: float, lat2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lng2 - lng1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))
