"""Hostile but contract-shaped JSON: parsers keep the good, reject the bad, never crash.

Each record of the contract is taken in a valid form, then some of its fields are
replaced by arbitrary JSON (huge strings and numbers, NaN, NUL and lone-surrogate
text, nested junk, near-miss times) or removed. Every parser must either return a
record or raise RecordError with a reason; no other exception may escape.
"""

from __future__ import annotations

import json
from functools import partial

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commandcenter.feeds.fields import SHORTENED, RecordError, parse_iso_time
from commandcenter.feeds.parsing import (
    parse_alert,
    parse_camera,
    parse_case_stat,
    parse_dashboard_summary,
    parse_inspection,
    parse_meeting,
    parse_org,
    parse_service_point,
)
from commandcenter.feeds.passes import PassValidator, bounded, parse_inspection_templates
from tests.test_parsing import alert, camera, inspection, point, stat_row, summary, template

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Strings a data center (or a broken proxy) can really send: what json.loads yields.
NASTY_TEXT = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\ud800",
    "苏州\udfff",
    "null",
    "NaN",
    "120.5",
    "true",
    "3",
    "2026-11-24T09:30:00",
    "2026-11-24T09:30:00+08:00",
    "2026-11-24T09:30:00Z",
    "9999-12-31T23:59:59-12:00",
    "0001-01-01T00:00:00+14:00",
    "2026-11-24T09:30:00.9999999+08:00",
    "2026-02-29T00:00:00+08:00",
    "20261124T093000+0800",
    "2026-11-24T09:30:00+08:00:00",
    "GCJ02",
    "WGS84",
    "score",
    "pass_fail",
    "x" * 100_000,
]
NASTY_NUMBERS = [
    0,
    -1,
    1,
    5,
    -0.0,
    3.0,
    2.5,
    1e308,
    -1e308,
    float("nan"),
    float("inf"),
    float("-inf"),
    2**53,
    2**53 + 1,
    2**63,
    10**400,
    -(10**400),
]
NASTY_VALUES = [None, True, False, [], {}, [None], {"": None}, [[[]]], *NASTY_NUMBERS, *NASTY_TEXT]
nasty_text = st.sampled_from(NASTY_TEXT)
huge_text = st.builds(
    lambda ch, n: ch * n, st.sampled_from(["x", "苏", "\x00", "9"]), st.integers(0, 20_000)
)
numbers = (
    st.integers(min_value=-(10**400), max_value=10**400)
    | st.integers(min_value=-5, max_value=200)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from(NASTY_NUMBERS)
)
scalars = st.none() | st.booleans() | numbers | st.text(max_size=40) | nasty_text | huge_text
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=8) | nasty_text, children, max_size=4)
    ),
    max_leaves=10,
)


def hostile(valid: dict):
    """The valid record with some fields replaced by arbitrary JSON or removed."""
    keys = sorted(valid)

    @st.composite
    def build(draw):
        raw = json.loads(json.dumps(valid))  # a fresh deep copy, as the wire would give
        for key in draw(st.lists(st.sampled_from(keys), min_size=1, max_size=4, unique=True)):
            if draw(st.booleans()):
                raw[key] = draw(json_values)
            else:
                del raw[key]
        return raw

    return build()


PARSERS = {
    "service_point": (parse_service_point, point()),
    "camera": (parse_camera, camera()),
    "org": (
        parse_org,
        {
            "orgCode": "320508",
            "name": "姑苏区",
            "level": "county",
            "parentCode": "320500",
            "adcode": "320508",
            "updatedAt": "2026-11-24T09:30:00+08:00",
        },
    ),
    "case_stat_hour": (partial(parse_case_stat, granularity="hour"), stat_row()),
    "case_stat_day": (
        partial(parse_case_stat, granularity="day"),
        stat_row(bucket="2026-11-24T00:00:00+08:00"),
    ),
    "alert": (parse_alert, alert()),
    "dashboard_summary": (parse_dashboard_summary, summary()),
    "inspection": (parse_inspection, inspection()),
    "meeting": (
        parse_meeting,
        {
            "meetingId": "MT-1",
            "title": "调度会",
            "status": "live",
            "mixUrl": "rtsp://127.0.0.1/mix",
            "hostPointId": "SP-1",
            "startAt": None,
            "participants": [{"pointId": "SP-1", "state": "joined"}],
        },
    ),
}


def expect_record_or_reason(parse, raw) -> None:
    # either outcome is right, so no pytest.raises: a record, or a reason that says why not
    try:
        parse(raw)
    except RecordError as exc:
        assert exc.reason.strip()  # noqa: PT017
        assert len(exc.reason) < 400  # noqa: PT017 - bad values are quoted truncated, never whole


def test_the_valid_forms_are_valid():
    for parse, valid in PARSERS.values():
        parse(valid)
    assert len(parse_inspection_templates([template()])[0]) == 1


@pytest.mark.parametrize("record", PARSERS)
def test_every_field_survives_every_nasty_value(record):
    """Exhaustive where random sampling would be thin: each field, each nasty value."""
    parse, valid = PARSERS[record]
    for key in valid:
        for value in NASTY_VALUES:
            expect_record_or_reason(parse, {**valid, key: value})
        expect_record_or_reason(parse, {k: v for k, v in valid.items() if k != key})


@pytest.mark.parametrize("record", PARSERS)
@settings(FUZZ, max_examples=80)
@given(data=st.data())
def test_every_parser_survives_hostile_fields(record, data):
    parse, valid = PARSERS[record]
    expect_record_or_reason(parse, data.draw(hostile(valid)))


@settings(FUZZ, max_examples=100)
@given(hostile(template()), hostile(template()["items"][1]))
def test_templates_survive_hostile_fields(raw_template, raw_item):
    for document in ([raw_template], [template(items=[raw_item])], raw_template):
        templates, rejections = parse_inspection_templates(document)
        assert all(r.reason.strip() for r in rejections)
        assert len(templates) + len([r for r in rejections if not r.stored]) == (
            len(document) if isinstance(document, list) else 1
        )


@FUZZ
@given(json_values)
def test_every_parser_survives_any_json(raw):
    for parse, _valid in PARSERS.values():
        expect_record_or_reason(parse, raw)
    parse_inspection_templates(raw)


@FUZZ
@given(st.text(max_size=40) | nasty_text | st.from_regex(r"\A[0-9T:+\-Z. ]{18,30}\Z"))
def test_time_parser_never_raises_anything_else(text):
    try:
        parsed = parse_iso_time(text, "updatedAt")
    except RecordError as exc:
        assert exc.reason.startswith("updatedAt ")  # noqa: PT017 - a time, or a reason
    else:
        assert parsed.utcoffset() is not None


@FUZZ
@given(st.lists(hostile(point()), max_size=8), st.integers(min_value=1, max_value=5), st.randoms())
def test_a_mixed_page_keeps_every_good_record(bad, good_count, rng):
    good = [point(pointId=f"SP-GOOD-{n}") for n in range(good_count)]
    # give each hostile record its own id when it has a string id, so that only
    # the hostility (never a duplicate) can reject it
    bad = [
        {**raw, "pointId": f"SP-BAD-{n}"} if isinstance(raw.get("pointId"), str) else raw
        for n, raw in enumerate(bad)
    ]
    page = good + bad
    rng.shuffle(page)
    records, rejections = PassValidator(
        "service_points", parse_service_point, lambda p: p.point_id
    ).page(page)
    kept = {r.point_id for r in records}
    assert {g["pointId"] for g in good} <= kept
    rejected = [r for r in rejections if not r.stored]
    assert len(records) + len(rejected) == len(page)
    assert all(r.reason.strip() and r.feed == "service_points" for r in rejections)
    # the quarantine keeps each bad record (bounded), and a note for each stored shortened
    assert all(any(r.raw == bounded(item) for item in bad) for r in rejections)
    assert all(r.reason.startswith(SHORTENED) for r in rejections if r.stored)
