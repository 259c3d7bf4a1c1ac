"""GCJ-02 ↔ WGS-84 against published reference values."""

from __future__ import annotations

import pytest

from commandcenter.domain.coords import (
    distance_m,
    from_wgs84,
    gcj02_to_wgs84,
    out_of_china,
    to_wgs84,
    wgs84_to_gcj02,
)

# (WGS-84 lat, lng) → (GCJ-02 lat, lng): the fixture published with eviltransform
# (googollee/eviltransform, e.g. its Haskell and Ruby test files), reproduced by
# many independent implementations.
REFERENCE = [
    ((31.1774276, 121.5272106), (31.17530398364597, 121.531541859215)),  # Shanghai
    ((22.543847, 113.912316), (22.540796131694766, 113.9171764808363)),  # Shenzhen
    ((39.911954, 116.377817), (39.91334545536069, 116.38404722455657)),  # Beijing
]


@pytest.mark.parametrize(("wgs", "gcj"), REFERENCE)
def test_forward_matches_reference_within_a_metre(wgs, gcj):
    lng, lat = wgs84_to_gcj02(wgs[1], wgs[0])
    assert distance_m(lng, lat, gcj[1], gcj[0]) < 1.0


@pytest.mark.parametrize(("wgs", "gcj"), REFERENCE)
def test_inverse_iterates_to_within_a_metre(wgs, gcj):
    lng, lat = gcj02_to_wgs84(gcj[1], gcj[0])
    assert distance_m(lng, lat, wgs[1], wgs[0]) < 1.0
    assert distance_m(lng, lat, wgs[1], wgs[0]) < 0.05  # in practice far below


@pytest.mark.parametrize(
    "gcj",
    [(120.585316, 31.298886), (120.631, 31.317), (120.962, 31.384), (120.746, 31.651), (120.55, 31.08)],
)
def test_suzhou_points_round_trip(gcj):
    w = gcj02_to_wgs84(*gcj)
    back = wgs84_to_gcj02(*w)
    assert distance_m(*back, *gcj) < 0.05
    # the offset around Suzhou is a few hundred metres
    assert 100 < distance_m(*w, *gcj) < 1000


def test_outside_china_nothing_moves():
    assert out_of_china(2.35, 48.85)
    assert wgs84_to_gcj02(2.35, 48.85) == (2.35, 48.85)
    assert gcj02_to_wgs84(2.35, 48.85) == (2.35, 48.85)


def test_by_coordinate_system():
    assert to_wgs84(120.6, 31.3, "WGS84") == (120.6, 31.3)
    assert to_wgs84(120.6, 31.3, "BD09") is None
    gcj = from_wgs84(120.6, 31.3, "GCJ02")
    assert distance_m(*to_wgs84(*gcj, "GCJ02"), 120.6, 31.3) < 0.05
