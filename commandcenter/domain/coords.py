"""GCJ-02 ↔ WGS-84.

Points arrive in GCJ-02 (collected on AutoNavi maps) or WGS-84 (contract §3.3);
every base layer is drawn in one of the two. The forward transform is the
published one (Krasovsky 1940 ellipsoid, the constants every open implementation
uses); the inverse has no closed form, so it is iterated until the forward
transform of the answer lands on the input.
"""

from __future__ import annotations

import math
from functools import lru_cache

_A = 6378245.0  # Krasovsky 1940 semi-major axis (m)
_EE = 0.00669342162296594323  # its first eccentricity squared
_EARTH_RADIUS_M = 6371008.8  # IUGG mean radius, for haversine distances
_METRES_PER_DEGREE = math.pi * _EARTH_RADIUS_M / 180.0

# The rectangle in which the offset applies, as coordtransform and most
# implementations draw it; outside it GCJ-02 and WGS-84 are the same numbers.
_CHINA_LNG = (73.66, 135.05)
_CHINA_LAT = (3.86, 53.55)


def out_of_china(lng: float, lat: float) -> bool:
    """True where GCJ-02 equals WGS-84 (also for NaN: nothing to shift)."""
    return not (_CHINA_LNG[0] < lng < _CHINA_LNG[1] and _CHINA_LAT[0] < lat < _CHINA_LAT[1])


_PI = math.pi
_TWO_THIRDS = 2.0 / 3.0
_sin, _cos, _sqrt = math.sin, math.cos, math.sqrt  # bound once: this runs ~100,000 times a sync


def _offset(lng: float, lat: float) -> tuple[float, float]:
    """The GCJ-02 offset (degrees of longitude, latitude) at a WGS-84 point."""
    x, y = lng - 105.0, lat - 35.0
    xp, yp = x * _PI, y * _PI
    shared = (20.0 * _sin(6.0 * xp) + 20.0 * _sin(2.0 * xp)) * _TWO_THIRDS
    d_lat = (
        -100.0
        + 2.0 * x
        + 3.0 * y
        + 0.2 * y * y
        + 0.1 * x * y
        + 0.2 * _sqrt(abs(x))
        + shared
        + (20.0 * _sin(yp) + 40.0 * _sin(yp / 3.0)) * _TWO_THIRDS
        + (160.0 * _sin(yp / 12.0) + 320.0 * _sin(yp / 30.0)) * _TWO_THIRDS
    )
    d_lng = (
        300.0
        + x
        + 2.0 * y
        + 0.1 * x * x
        + 0.1 * x * y
        + 0.1 * _sqrt(abs(x))
        + shared
        + (20.0 * _sin(xp) + 40.0 * _sin(xp / 3.0)) * _TWO_THIRDS
        + (150.0 * _sin(xp / 12.0) + 300.0 * _sin(xp / 30.0)) * _TWO_THIRDS
    )
    rad_lat = lat / 180.0 * _PI
    sin_lat = _sin(rad_lat)
    magic = 1.0 - _EE * sin_lat * sin_lat
    sqrt_magic = _sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrt_magic) * _PI)
    d_lng = (d_lng * 180.0) / (_A / sqrt_magic * _cos(rad_lat) * _PI)
    return d_lng, d_lat


def wgs84_to_gcj02(lng: float, lat: float) -> tuple[float, float]:
    """A WGS-84 position in GCJ-02, as Chinese maps draw it."""
    if out_of_china(lng, lat):
        return lng, lat
    d_lng, d_lat = _offset(lng, lat)
    return lng + d_lng, lat + d_lat


def gcj02_to_wgs84(
    lng: float, lat: float, *, tolerance_m: float = 0.01, max_iter: int = 20
) -> tuple[float, float]:
    """The WGS-84 point whose GCJ-02 image is within `tolerance_m` of (lng, lat).

    After `max_iter` steps the best estimate so far is returned; in practice two
    or three steps reach the default centimetre.
    """
    if not tolerance_m > 0:
        raise ValueError(f"tolerance_m must be a positive number of metres, got {tolerance_m!r}")
    if max_iter < 1:
        raise ValueError(f"max_iter must be at least 1, got {max_iter!r}")
    if out_of_china(lng, lat):
        return lng, lat
    return _gcj02_to_wgs84(lng, lat, tolerance_m, max_iter)


# Cached: a province re-reads its 30,000 points on every full pass and alerts
# repeat their station's coordinates, while each miss costs several forward steps.
@lru_cache(maxsize=65536)
def _gcj02_to_wgs84(
    lng: float, lat: float, tolerance_m: float, max_iter: int
) -> tuple[float, float]:
    # Fixed-point iteration w ← w − (gcj(w) − target). The offset changes by a
    # few metres per kilometre, so each step shrinks the error about a
    # thousandfold: plain iteration converges as fast as Newton would here.
    # The residual is measured in metres on the local tangent plane, so that the
    # tolerance means the same on the ground in Hainan and in Heilongjiang.
    metres_per_lng = _METRES_PER_DEGREE * math.cos(math.radians(lat))
    tolerance_sq = tolerance_m * tolerance_m
    w_lng, w_lat = lng, lat
    for _ in range(max_iter):
        d_lng, d_lat = _offset(w_lng, w_lat)
        err_lng = w_lng + d_lng - lng
        err_lat = w_lat + d_lat - lat
        if (err_lng * metres_per_lng) ** 2 + (err_lat * _METRES_PER_DEGREE) ** 2 <= tolerance_sq:
            break
        w_lng -= err_lng
        w_lat -= err_lat
    return w_lng, w_lat


def to_wgs84(lng: float, lat: float, coord_sys: str) -> tuple[float, float] | None:
    """WGS-84 of a point given in `coord_sys` (a contract wire value); None if unknown."""
    if coord_sys == "GCJ02":
        return gcj02_to_wgs84(lng, lat)
    if coord_sys == "WGS84":
        return lng, lat
    return None


def from_wgs84(lng: float, lat: float, coord_sys: str) -> tuple[float, float] | None:
    """A WGS-84 point expressed in `coord_sys` (e.g. the base map's); None if unknown."""
    if coord_sys == "GCJ02":
        return wgs84_to_gcj02(lng, lat)
    if coord_sys == "WGS84":
        return lng, lat
    return None


def distance_m(lng1: float, lat1: float, lng2: float, lat2: float) -> float:
    """Great-circle distance in metres (haversine on the mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lng2 - lng1) / 2) ** 2
    )
    return 2 * _EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))
