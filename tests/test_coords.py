"""GCJ-02 ↔ WGS-84 against values published with well-known open implementations."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commandcenter.domain.coords import (
    distance_m,
    from_wgs84,
    gcj02_to_wgs84,
    out_of_china,
    to_wgs84,
    wgs84_to_gcj02,
)

# (WGS-84 lng, lat) → (GCJ-02 lng, lat) as published by two implementations of the
# standard transform; ours must reproduce them (to well under a metre).
EXACT_REFERENCE = [
    # googollee/eviltransform, go/transform_test.go and python/test.py (`tests`/`TESTS`)
    pytest.param(
        (121.5272106, 31.1774276),
        (121.531541859215, 31.17530398364597),
        id="eviltransform-shanghai",
    ),
    pytest.param(
        (113.912316, 22.543847),
        (113.9171764808363, 22.540796131694766),
        id="eviltransform-shenzhen",
    ),
    pytest.param(
        (116.377817, 39.911954), (116.38404722455657, 39.91334545536069), id="eviltransform-beijing"
    ),
    # wandergis/coordtransform, README.md ("wgs84togcj02: [116.41024449916938, 39.91640428150164]")
    pytest.param(
        (116.404, 39.915), (116.41024449916938, 39.91640428150164), id="coordtransform-beijing"
    ),
]

# hujiulong/gcoord, test/fixtures/china-cities.json: city centres with both coordinates
# given to 7 decimals. Its GCJ-02 column sits about 0.7 m from the standard transform
# throughout (gcoord's own tests only ask for 4 decimals), so these hold to < 1 m.
CITY_REFERENCE = [
    pytest.param((120.5811071, 31.3011601), (120.5852941, 31.298983), id="gcoord-suzhou-gusu"),
    pytest.param((121.4691633, 31.2323443), (121.4737061, 31.2304194), id="gcoord-shanghai"),
    pytest.param((120.3073106, 31.493068), (120.3119179, 31.4911751), id="gcoord-wuxi"),
    pytest.param((118.7916827, 32.0623216), (118.7968802, 32.0602574), id="gcoord-nanjing"),
    pytest.param((92.0499619, 31.4784436), (92.0512438, 31.4762063), id="gcoord-nagqu"),
    pytest.param((123.4253306, 41.8032629), (123.4314787, 41.8057023), id="gcoord-shenyang"),
]

# Landmarks across Suzhou's county-level units, in GCJ-02 as AutoNavi shows them.
SUZHOU_LANDMARKS_GCJ02 = [
    pytest.param((120.6292, 31.3233), id="zhuozhengyuan-gusu"),
    pytest.param((120.5846, 31.3372), id="tiger-hill-huqiu"),
    pytest.param((120.7186, 31.3226), id="jinji-lake-sip"),
    pytest.param((120.6312, 31.2585), id="wuzhong"),
    pytest.param((120.6421, 31.3688), id="xiangcheng"),
    pytest.param((120.6455, 31.1386), id="wujiang"),
    pytest.param((120.7527, 31.6541), id="changshu"),
    pytest.param((120.5535, 31.8757), id="zhangjiagang"),
    pytest.param((120.9810, 31.3851), id="kunshan"),
    pytest.param((121.1306, 31.4577), id="taicang"),
]


@pytest.mark.parametrize(("wgs", "gcj"), EXACT_REFERENCE)
def test_forward_reproduces_published_values(wgs, gcj):
    got = wgs84_to_gcj02(*wgs)
    assert distance_m(*got, *gcj) < 1.0
    # the same constants and formula: agreement to float rounding, not just a metre
    assert distance_m(*got, *gcj) < 0.001


@pytest.mark.parametrize(("wgs", "gcj"), CITY_REFERENCE)
def test_forward_matches_city_fixture_within_a_metre(wgs, gcj):
    assert distance_m(*wgs84_to_gcj02(*wgs), *gcj) < 1.0


@pytest.mark.parametrize(("wgs", "gcj"), EXACT_REFERENCE + CITY_REFERENCE)
def test_inverse_recovers_the_published_wgs84_point(wgs, gcj):
    got = gcj02_to_wgs84(*gcj)
    assert distance_m(*got, *wgs) < 1.0
    # and the forward image of the answer is back on the input within the tolerance
    assert distance_m(*wgs84_to_gcj02(*got), *gcj) <= 0.01


@pytest.mark.parametrize("gcj", SUZHOU_LANDMARKS_GCJ02)
def test_suzhou_landmarks_round_trip(gcj):
    wgs = gcj02_to_wgs84(*gcj)
    assert distance_m(*wgs84_to_gcj02(*wgs), *gcj) < 0.01
    # around Suzhou the offset is a few hundred metres, south-west to north-east
    assert 300 < distance_m(*wgs, *gcj) < 700
    assert wgs[0] < gcj[0] and wgs[1] > gcj[1]


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=74.0, max_value=135.0), st.floats(min_value=4.0, max_value=53.5))
def test_inverse_round_trips_anywhere_in_china(lng, lat):
    wgs = gcj02_to_wgs84(lng, lat)
    assert distance_m(*wgs84_to_gcj02(*wgs), lng, lat) <= 0.01
    # the offset is a few hundred metres: never kilometres, never zero
    assert 1 < distance_m(*wgs, lng, lat) < 2_000


def test_tolerance_is_honoured_in_metres():
    gcj = (120.6292, 31.3233)
    coarse = gcj02_to_wgs84(*gcj, tolerance_m=5.0, max_iter=20)
    fine = gcj02_to_wgs84(*gcj, tolerance_m=1e-4, max_iter=20)
    assert distance_m(*wgs84_to_gcj02(*coarse), *gcj) <= 5.0
    assert distance_m(*wgs84_to_gcj02(*fine), *gcj) <= 1e-4
    # a single step is the common one-shot approximation: within metres, not centimetres
    one_step = gcj02_to_wgs84(*gcj, tolerance_m=1e-4, max_iter=1)
    assert 0.01 < distance_m(*one_step, *fine) < 10


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"tolerance_m": 0.0}, "tolerance_m must be a positive number of metres"),
        ({"tolerance_m": math.nan}, "tolerance_m must be a positive number of metres"),
        ({"max_iter": 0}, "max_iter must be at least 1"),
    ],
)
def test_inverse_refuses_meaningless_settings(kwargs, message):
    with pytest.raises(ValueError, match=message):
        gcj02_to_wgs84(120.6, 31.3, **kwargs)


@pytest.mark.parametrize(
    "point", [(2.3522, 48.8566), (-74.006, 40.7128), (139.6917, 35.6895), (151.2093, -33.8688)]
)
def test_outside_china_nothing_moves(point):
    assert out_of_china(*point)
    assert wgs84_to_gcj02(*point) == point
    assert gcj02_to_wgs84(*point) == point
    assert to_wgs84(*point, "GCJ02") == point


def test_china_box():
    assert not out_of_china(120.6, 31.3)
    assert not out_of_china(87.6, 43.8)  # Ürümqi
    assert out_of_china(math.nan, 31.3)


def test_by_coordinate_system():
    assert to_wgs84(120.6, 31.3, "WGS84") == (120.6, 31.3)
    assert from_wgs84(120.6, 31.3, "WGS84") == (120.6, 31.3)
    assert to_wgs84(120.6, 31.3, "BD09") is None
    assert from_wgs84(120.6, 31.3, "BD09") is None
    gcj = from_wgs84(120.6, 31.3, "GCJ02")
    assert gcj == wgs84_to_gcj02(120.6, 31.3)
    assert distance_m(*to_wgs84(*gcj, "GCJ02"), 120.6, 31.3) < 0.01


def test_distance_is_the_great_circle():
    assert distance_m(120.6, 31.3, 120.6, 31.3) == 0.0
    # one degree of latitude on the mean sphere
    assert distance_m(120.0, 31.0, 120.0, 32.0) == pytest.approx(111_195, rel=1e-4)
    # antipodes: half the circumference, no domain error from rounding
    assert distance_m(0.0, 0.0, 180.0, 0.0) == pytest.approx(math.pi * 6371008.8)
