"""Hostile but contract-shaped JSON: parsers keep the good, reject the bad, never crash."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commandcenter.feeds.parsing import (
    PassValidator,
    RecordError,
    parse_alert,
    parse_camera,
    parse_case_stat,
    parse_dashboard_summary,
    parse_inspection_templates,
    parse_org,
    parse_service_point,
)
from tests.test_parsing import point

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=300),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)

POINT_KEYS = list(point())


@st.composite
def hostile_points(draw):
    raw = point()
    for key in draw(st.lists(st.sampled_from(POINT_KEYS), max_size=5, unique=True)):
        if draw(st.booleans()):
            raw[key] = draw(json_values)
        else:
            raw.pop(key, None)
    return raw


FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(hostile_points())
def test_service_point_parser_never_raises_anything_else(raw):
    try:
        parse_service_point(raw)
    except RecordError as exc:
        assert exc.reason


@FUZZ
@given(json_values)
def test_every_parser_survives_any_json(raw):
    for parse in (parse_service_point, parse_camera, parse_org, parse_alert, parse_dashboard_summary,
                  lambda r: parse_case_stat(r, "hour")):
        try:
            parse(raw)
        except RecordError as exc:
            assert exc.reason
    records, rejections = parse_inspection_templates(raw)
    assert all(r.reason for r in rejections)


@FUZZ
@given(st.lists(hostile_points(), max_size=8), st.integers(min_value=1, max_value=5))
def test_a_mixed_page_keeps_every_good_record(hostile, good_count):
    good = [point(pointId=f"SP-GOOD-{n}") for n in range(good_count)]
    hostile = [{**h, "pointId": f"SP-BAD-{n}"} if isinstance(h.get("pointId"), str) else h
               for n, h in enumerate(hostile)]
    page = good + hostile
    records, rejections = PassValidator("service_points", parse_service_point, lambda p: p.point_id).page(page)
    kept = {r.point_id for r in records}
    assert {g["pointId"] for g in good} <= kept
    assert len(records) + len(rejections) == len(page)
    assert all(r.reason for r in rejections)
