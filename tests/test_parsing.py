"""Validation of the data center's records: what is kept, what is rejected and why."""

from __future__ import annotations

import json
import math
import re
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from commandcenter.domain import coords
from commandcenter.feeds.fields import SHORTENED, TEXT_LIMITS, RecordError, parse_iso_time
from commandcenter.feeds.parsing import (
    FEEDS,
    format_iso_time,
    parse_alert,
    parse_camera,
    parse_case_stat,
    parse_dashboard_summary,
    parse_inspection,
    parse_meeting,
    parse_org,
    parse_service_point,
    record_id_of,
)
from commandcenter.feeds.passes import (
    MAX_RECORD_DEPTH,
    PassValidator,
    nesting_deeper_than,
    parse_inspection_templates,
)

T = "2026-11-24T09:30:00+08:00"


def point(**changes):
    raw = {
        "pointId": "SP-320508-0001",
        "name": "姑苏区公共法律服务中心",
        "type": "legal_service_center",
        "level": "county",
        "orgCode": "320508",
        "address": "苏州市姑苏区",
        "lng": 120.6192,
        "lat": 31.3114,
        "coordSys": "GCJ02",
        "phone": "0512-65220000",
        "status": "online",
        "staffOnDuty": 3,
        "openHours": "08:30-17:30",
        "cameraIds": ["CAM-1"],
        "updatedAt": T,
        "deleted": False,
        "someNewField": {"x": 1},
    }
    raw.update(changes)
    return raw


def camera(**changes):
    return {
        "cameraId": "CAM-1",
        "pointId": "SP-1",
        "name": "大厅",
        "online": True,
        "ptz": False,
        "hasSubStream": True,
        "updatedAt": T,
        **changes,
    }


def stat_row(**changes):
    return {
        "bucket": "2026-11-24T09:00:00+08:00",
        "orgCode": "320508",
        "category": "mediation",
        "received": 5,
        "closed": 3,
        "pending": 9,
        "revision": 2,
        **changes,
    }


def alert(**changes):
    return {
        "alertId": "AL-1",
        "type": "correction_geofence",
        "severity": 1,
        "pointId": "SP-1",
        "lng": 120.6,
        "lat": 31.3,
        "coordSys": "GCJ02",
        "occurredAt": T,
        "title": "越界",
        "detail": "d",
        "status": "new",
        "ackBy": None,
        "ackAt": None,
        "updatedAt": T,
        **changes,
    }


def template(template_id="T1", **changes):
    return {
        "templateId": template_id,
        "name": "督查",
        "version": 1,
        "items": [
            {
                "itemId": "I1",
                "text": "在岗",
                "kind": "pass_fail",
                "maxScore": None,
                "required": True,
            },
            {"itemId": "I2", "text": "评分", "kind": "score", "maxScore": 10, "required": False},
        ],
        **changes,
    }


def inspection(**changes):
    return {
        "inspectionId": "INS-1",
        "pointId": "SP-1",
        "templateId": "T1",
        "templateVersion": 1,
        "inspector": "王科长",
        "startedAt": "2026-11-24T09:00:00+08:00",
        "finishedAt": T,
        "results": [
            {"itemId": "I1", "passed": True, "score": None, "text": None},
            {"itemId": "I2", "passed": None, "score": 8, "text": "良好"},
        ],
        "findings": "台账齐全",
        "rectificationDue": "2026-12-01",
        "snapshots": [{"cameraId": "CAM-1", "capturedAt": T, "jpegBase64": "..."}],
        "updatedAt": T,
        **changes,
    }


def reason_of(parse, raw):
    with pytest.raises(RecordError) as info:
        parse(raw)
    assert info.value.reason == str(info.value)
    return info.value.reason


# -- service points ------------------------------------------------------------------


def test_a_valid_point_is_kept_and_normalised_to_wgs84():
    p = parse_service_point(point())
    assert (p.point_id, p.name, p.org_code, p.coord_sys) == (
        "SP-320508-0001",
        "姑苏区公共法律服务中心",
        "320508",
        "GCJ02",
    )
    assert (p.lng, p.lat) == (120.6192, 31.3114)
    assert (p.lng_wgs84, p.lat_wgs84) == coords.gcj02_to_wgs84(120.6192, 31.3114)
    assert p.staff_on_duty == 3 and p.camera_ids == ("CAM-1",) and not p.deleted
    assert p.updated_at == datetime(2026, 11, 24, 1, 30, tzinfo=UTC)


def test_a_wgs84_point_keeps_its_numbers():
    p = parse_service_point(point(coordSys="WGS84"))
    assert (p.lng_wgs84, p.lat_wgs84) == (120.6192, 31.3114)


def test_unknown_enum_values_are_kept_raw():
    p = parse_service_point(point(status="decommissioning", type="law_library", level="province"))
    assert (p.status, p.type, p.level) == ("decommissioning", "law_library", "province")


def test_unknown_fields_are_ignored():
    assert parse_service_point(
        point(futureField=[1, 2], nested={"a": None})
    ) == parse_service_point(point())


def test_unknown_coordinate_system_keeps_the_point_unplaced():
    p = parse_service_point(point(coordSys="BD09"))
    assert p.coord_sys == "BD09" and p.lng_wgs84 is None and p.lat_wgs84 is None


def test_optional_fields_may_be_absent_or_null():
    raw = point(staffOnDuty=None, phone=None, cameraIds=None)
    del raw["address"], raw["openHours"]
    p = parse_service_point(raw)
    assert p.staff_on_duty is None and p.phone == "" and p.address == "" and p.camera_ids == ()


def test_an_integral_float_is_an_integer():
    # JSON has one number type: 3.0 and 3 are the same number
    assert parse_service_point(point(staffOnDuty=3.0)).staff_on_duty == 3


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"lat": 123.4}, "lat 123.4 out of range [-90, 90]"),
        ({"lng": -180.5}, "lng -180.5 out of range [-180, 180]"),
        ({"lng": "120.5"}, "lng must be a number, got str '120.5'"),
        ({"lat": True}, "lat must be a number, got bool True"),
        ({"lng": math.nan}, "lng must be a finite number, got nan"),
        ({"lat": math.inf}, "lat must be a finite number, got inf"),
        ({"lng": 10**400}, "lng must be a finite number, got 1000000000"),
        ({"lat": None}, "missing lat (it is null)"),
        ({"staffOnDuty": "three"}, "staffOnDuty must be an integer, got str 'three'"),
        ({"staffOnDuty": True}, "staffOnDuty must be an integer, got bool True"),
        ({"staffOnDuty": 2.5}, "staffOnDuty must be an integer, got float 2.5"),
        ({"staffOnDuty": -3}, "staffOnDuty must be ≥ 0, got -3"),
        ({"staffOnDuty": 2**60}, "staffOnDuty must be ≤ 9007199254740991, got 1152921504606846976"),
        ({"pointId": None}, "missing pointId (it is null)"),
        ({"pointId": ""}, "pointId is empty"),
        ({"pointId": 17}, "pointId must be a string, got int 17"),
        ({"name": "  "}, "name is empty"),
        ({"name": 12345}, "name must be a string, got int 12345"),
        ({"name": "姑苏\x00区"}, "name contains a NUL character: '姑苏\\x00区'"),
        (
            {"address": "\ud800苏州"},
            "address is not valid Unicode (a lone surrogate): '\\ud800苏州'",
        ),
        ({"phone": 51265220000}, "phone must be a string or null, got int 51265220000"),
        ({"updatedAt": "yesterday"}, "updatedAt is not an ISO 8601 time with offset: 'yesterday'"),
        (
            {"updatedAt": "2026-11-24T09:30:00"},
            "updatedAt has no UTC offset: '2026-11-24T09:30:00'",
        ),
        (
            {"updatedAt": "2026-13-45T25:61:00+08:00"},
            "updatedAt is not a valid time (month must be in 1..12): '2026-13-45T25:61:00+08:00'",
        ),
        (
            {"updatedAt": 1764000000},
            "updatedAt must be an ISO 8601 time string, got int 1764000000",
        ),
        ({"cameraIds": "CAM-1"}, "cameraIds must be a JSON array, got str 'CAM-1'"),
        ({"cameraIds": ["CAM-1", 2]}, "cameraIds[1] must be a camera id string, got int 2"),
        ({"coordSys": None}, "missing coordSys (it is null)"),
        ({"deleted": "false"}, "deleted must be true or false, got str 'false'"),
    ],
)
def test_contract_violations_name_the_field_and_value(changes, reason):
    assert reason_of(parse_service_point, point(**changes)).startswith(reason)


def test_a_missing_field_is_named():
    raw = point()
    del raw["pointId"]
    assert reason_of(parse_service_point, raw) == "missing pointId"
    raw = point()
    del raw["status"]
    assert reason_of(parse_service_point, raw) == "missing status"


def test_long_values_are_truncated_in_the_reason():
    reason = reason_of(parse_service_point, point(staffOnDuty="x" * 100_000))
    assert reason.startswith("staffOnDuty must be an integer, got str 'xxx") and reason.endswith(
        "…"
    )
    assert len(reason) < 120
    reason = reason_of(parse_service_point, point(pointId="SP-" + "9" * 500))
    assert reason.startswith("pointId is longer than 128 characters: 'SP-999") and len(reason) < 120


def test_a_record_that_is_not_an_object_is_rejected():
    assert (
        reason_of(parse_service_point, ["SP-1"])
        == "a service point must be a JSON object, got list ['SP-1']"
    )
    assert reason_of(parse_camera, None) == "a camera must be a JSON object, got null"


def test_rejection_carries_the_record_id_when_there_is_one():
    with pytest.raises(RecordError) as info:
        parse_service_point(point(lat=99))
    assert info.value.record_id == "SP-320508-0001"
    with pytest.raises(RecordError) as info:
        parse_service_point(point(pointId=5))
    assert info.value.record_id is None


def test_tombstones_need_only_the_id_and_updated_at():
    p = parse_service_point(
        {"pointId": "SP-1", "deleted": True, "updatedAt": "2026-11-24T09:30:00Z"}
    )
    assert (
        p.deleted
        and p.point_id == "SP-1"
        and p.updated_at == datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
    )
    c = parse_camera({"cameraId": "CAM-1", "deleted": True, "updatedAt": T})
    assert c.deleted and c.camera_id == "CAM-1"
    assert parse_org({"orgCode": "320508", "deleted": True}).deleted
    assert parse_inspection({"inspectionId": "INS-1", "deleted": True, "updatedAt": T}).deleted
    assert (
        reason_of(parse_service_point, {"pointId": "SP-1", "deleted": True}) == "missing updatedAt"
    )


# -- times -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-24T09:30:00+08:00", datetime(2026, 11, 24, 1, 30, tzinfo=UTC)),
        ("2026-11-24T01:30:00Z", datetime(2026, 11, 24, 1, 30, tzinfo=UTC)),
        ("2026-11-23T20:30:00-05:00", datetime(2026, 11, 24, 1, 30, tzinfo=UTC)),
        ("2026-11-24T01:30:00-00:00", datetime(2026, 11, 24, 1, 30, tzinfo=UTC)),
        ("2026-11-24T09:30:00.250+08:00", datetime(2026, 11, 24, 1, 30, 0, 250_000, tzinfo=UTC)),
        ("2026-11-24T07:00:00+05:30", datetime(2026, 11, 24, 1, 30, tzinfo=UTC)),
    ],
)
def test_times_with_an_offset_are_accepted(text, expected):
    parsed = parse_iso_time(text, "t")
    assert parsed == expected and parsed.utcoffset() is not None


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("2026-11-24T09:30:00", "has no UTC offset"),
        ("2026-11-24", "is not an ISO 8601 time with offset"),
        ("24/11/2026 09:30", "is not an ISO 8601 time with offset"),
        # forms datetime.fromisoformat takes on Python 3.11 but the contract does not send
        ("20261124T093000+0800", "is not an ISO 8601 time with offset"),
        ("2026-W48-2T09:30:00+08:00", "is not an ISO 8601 time with offset"),
        ("2026-11-24X09:30:00+08:00", "is not an ISO 8601 time with offset"),
        ("2026-11-24 09:30:00+08:00", "is not an ISO 8601 time with offset"),
        ("2026-11-24T09:30+08:00", "is not an ISO 8601 time with offset"),
        ("2026-11-24T09:30:00+0800", "is not an ISO 8601 time with offset"),
        ("2026-11-24T09:30:00+08", "is not an ISO 8601 time with offset"),
        ("2026-11-24T09:30:00.+08:00", "is not an ISO 8601 time with offset"),
        ("2026-11-24T09:30:00,5+08:00", "is not an ISO 8601 time with offset"),
        ("2026-11-24T09:30:00+08:00:30", "is not an ISO 8601 time with offset"),
        (" 2026-11-24T09:30:00+08:00", "is not an ISO 8601 time with offset"),
        # full-width digits: what an input method types, refused on purpose
        ("２０２６-11-24T09:30:00+08:00", "is not an ISO 8601 time with offset"),  # noqa: RUF001
        ("2026-11-24T24:00:00+08:00", "is not a valid time (hour must be in 0..23)"),
        ("2026-02-30T09:30:00+08:00", "is not a valid time (day is out of range for month)"),
        ("9999-12-31T23:59:59-08:00", "is out of the representable range of times"),
        ("0001-01-01T00:00:00+08:00", "is out of the representable range of times"),
    ],
)
def test_times_outside_the_contract_are_rejected_with_the_problem(text, problem):
    with pytest.raises(RecordError) as info:
        parse_iso_time(text, "occurredAt")
    assert info.value.reason == f"occurredAt {problem}: {text!r}"


def test_times_are_formatted_as_the_contract_writes_them():
    assert (
        format_iso_time(parse_iso_time("2026-11-24T01:30:00Z", "t")) == "2026-11-24T09:30:00+08:00"
    )
    assert (
        format_iso_time(datetime(2026, 11, 24, 1, 30, 15, 999_999, tzinfo=UTC))
        == "2026-11-24T09:30:15+08:00"
    )
    cet = timezone(timedelta(hours=1))
    stamp = datetime(2026, 11, 24, 2, 30, tzinfo=cet)
    assert parse_iso_time(format_iso_time(stamp), "t") == stamp
    with pytest.raises(
        ValueError, match="naive datetime 2026-11-24T09:30:00: a time on the wire needs an offset"
    ):
        format_iso_time(datetime(2026, 11, 24, 9, 30))


# -- cameras, orgs, statistics -----------------------------------------------------------


def test_camera():
    cam = parse_camera(camera())
    assert (cam.camera_id, cam.point_id, cam.online, cam.ptz, cam.has_sub_stream) == (
        "CAM-1",
        "SP-1",
        True,
        False,
        True,
    )
    bare = camera()
    del bare["ptz"], bare["hasSubStream"]
    assert not parse_camera(bare).ptz and not parse_camera(bare).has_sub_stream
    assert (
        reason_of(parse_camera, camera(online="yes"))
        == "online must be true or false, got str 'yes'"
    )
    assert reason_of(parse_camera, camera(online=None)) == "missing online (it is null)"
    assert reason_of(parse_camera, camera(pointId=None)) == "missing pointId (it is null)"


def test_org():
    org = parse_org(
        {
            "orgCode": "320508",
            "name": "姑苏区",
            "level": "county",
            "parentCode": "320500",
            "adcode": "320508",
        }
    )
    assert (org.org_code, org.name, org.level, org.parent_code) == (
        "320508",
        "姑苏区",
        "county",
        "320500",
    )
    city = parse_org({"orgCode": "320500", "name": "苏州市", "level": "city", "parentCode": None})
    assert city.parent_code is None and city.adcode is None
    assert (
        reason_of(parse_org, {"orgCode": "320508", "name": 12345, "level": "county"})
        == "name must be a string, got int 12345"
    )


def test_case_stat():
    row = parse_case_stat(stat_row(), "hour")
    assert (
        row.org_code,
        row.category,
        row.granularity,
        row.received,
        row.closed,
        row.pending,
        row.revision,
    ) == ("320508", "mediation", "hour", 5, 3, 9, 2)
    assert row.bucket == datetime(2026, 11, 24, 1, tzinfo=UTC)
    assert parse_case_stat(stat_row(category="arbitration"), "hour").category == "arbitration"
    assert parse_case_stat(stat_row(bucket="2026-11-24T00:00:00+08:00"), "day").granularity == "day"


@pytest.mark.parametrize(
    ("changes", "granularity", "reason"),
    [
        ({"received": -3}, "hour", "received must be ≥ 0, got -3"),
        ({"pending": "12"}, "hour", "pending must be an integer, got str '12'"),
        ({"revision": None}, "hour", "missing revision (it is null)"),
        (
            {"bucket": "2026-11-24T09:30:00+08:00"},
            "hour",
            "bucket '2026-11-24T09:30:00+08:00' is not the start of an hour",
        ),
        (
            {"bucket": "2026-11-24T09:00:00+08:00"},
            "day",
            "bucket '2026-11-24T09:00:00+08:00' is not the start of a day",
        ),
        (
            {"bucket": "yesterday"},
            "hour",
            "bucket is not an ISO 8601 time with offset: 'yesterday'",
        ),
    ],
)
def test_case_stat_violations(changes, granularity, reason):
    with pytest.raises(RecordError) as info:
        parse_case_stat(stat_row(**changes), granularity)
    assert info.value.reason == reason
    assert info.value.record_id == record_id_of(f"stats_{granularity}", stat_row(**changes))


def test_case_stat_key_names_a_missing_part():
    raw = stat_row()
    del raw["orgCode"]
    with pytest.raises(RecordError) as info:
        parse_case_stat(raw, "hour")
    assert info.value.reason == "missing orgCode"
    assert info.value.record_id == "2026-11-24T09:00:00+08:00|None|mediation"


def test_case_stat_granularity_is_a_programming_choice():
    with pytest.raises(ValueError, match="granularity must be one of"):
        parse_case_stat(stat_row(), "week")


# -- dashboard ---------------------------------------------------------------------------


def summary(**changes):
    return {
        "asOf": T,
        "today": {
            "mediation": {"received": 5, "closed": 4, "pending": 1},
            "arbitration": {"received": 1, "closed": 0, "pending": 1},
        },
        "hotline": {"agentsOnline": 12, "callsWaiting": 3, "avgWaitSeconds": 31.5},
        "correction": {"underCorrection": 3480, "electronicMonitoring": 600, "alertsOpen": 2},
        "points": {"online": 2100, "offline": 80, "alarm": 20},
        **changes,
    }


def test_dashboard_summary():
    s = parse_dashboard_summary(summary())
    assert s.today["mediation"] == {"received": 5, "closed": 4, "pending": 1}
    assert "arbitration" in s.today  # an unknown category is kept
    assert s.hotline == {"agentsOnline": 12, "callsWaiting": 3, "avgWaitSeconds": 31.5}
    assert s.points["alarm"] == 20 and s.correction["underCorrection"] == 3480
    partial = parse_dashboard_summary({"asOf": T, "today": {}})
    assert partial.hotline == {} and partial.points == {}


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"hotline": {"callsWaiting": -1}}, "hotline.callsWaiting must be ≥ 0, got -1"),
        ({"hotline": {"avgWaitSeconds": -0.5}}, "hotline.avgWaitSeconds must be ≥ 0, got -0.5"),
        (
            {"hotline": {"avgWaitSeconds": "31"}},
            "hotline.avgWaitSeconds must be a number, got str '31'",
        ),
        (
            {"today": {"mediation": {"received": 1.5}}},
            "today.mediation.received must be an integer, got float 1.5",
        ),
        (
            {"today": {"mediation": [1, 2, 3]}},
            "today.mediation must be a JSON object, got list [1, 2, 3]",
        ),
        ({"today": None}, "missing today (it is null)"),
        ({"points": None}, "points must be a JSON object, got null"),
        ({"asOf": "now"}, "asOf is not an ISO 8601 time with offset: 'now'"),
    ],
)
def test_dashboard_summary_violations(changes, reason):
    assert reason_of(parse_dashboard_summary, summary(**changes)) == reason


# -- alerts ------------------------------------------------------------------------------


def test_alert_is_kept_with_an_unknown_type_and_status():
    a = parse_alert(alert(type="drone_sighting", status="escalated"))
    assert (a.type, a.status, a.severity) == ("drone_sighting", "escalated", 1)
    assert (a.lng_wgs84, a.lat_wgs84) == coords.gcj02_to_wgs84(120.6, 31.3)
    assert a.ack_by is None and a.ack_at is None


def test_alert_needs_a_point_or_coordinates():
    by_point = parse_alert(alert(lng=None, lat=None, coordSys=None))
    assert by_point.point_id == "SP-1" and by_point.lng is None and by_point.lng_wgs84 is None
    by_place = parse_alert(alert(pointId=None, coordSys="WGS84"))
    assert by_place.point_id is None and (by_place.lng_wgs84, by_place.lat_wgs84) == (120.6, 31.3)
    unplaced = parse_alert(alert(coordSys="CGCS2000"))
    assert unplaced.coord_sys == "CGCS2000" and unplaced.lng_wgs84 is None
    acked = parse_alert(alert(status="acked", ackBy="值班员", ackAt="2026-11-24T09:35:00+08:00"))
    assert acked.ack_by == "值班员" and acked.ack_at == datetime(2026, 11, 24, 1, 35, tzinfo=UTC)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        (
            {"pointId": None, "lng": None, "lat": None},
            "an alert needs a pointId or coordinates, and has neither",
        ),
        ({"lat": None}, "lng and lat must both be given or both be null"),
        ({"lng": 200.5}, "lng 200.5 out of range [-180, 180]"),
        ({"coordSys": None}, "missing coordSys (it is null)"),
        (
            {"severity": 9},
            "severity 9 is not 1 (critical) to 4 (info), so the alert cannot be ranked",
        ),
        (
            {"severity": 0},
            "severity 0 is not 1 (critical) to 4 (info), so the alert cannot be ranked",
        ),
        ({"severity": "high"}, "severity must be an integer, got str 'high'"),
        ({"ackAt": "soon"}, "ackAt is not an ISO 8601 time with offset: 'soon'"),
        ({"ackBy": 7}, "ackBy must be a string or null, got int 7"),
        ({"occurredAt": None}, "missing occurredAt (it is null)"),
    ],
)
def test_alert_violations(changes, reason):
    with pytest.raises(RecordError) as info:
        parse_alert(alert(**changes))
    assert info.value.reason == reason and info.value.record_id == "AL-1"


# -- inspection templates, inspections, meetings ------------------------------------------------


def test_inspection_templates_keep_the_good_and_say_why_the_others_went():
    # a kind the contract does not list is kept as sent (unknown enum values are kept)
    new_kind = template(
        "T3",
        items=[
            *template()["items"],
            {"itemId": "I3", "text": "拍照", "kind": "photo", "required": True},
        ],
    )
    no_max = template(
        "T2", items=[{"itemId": "I1", "text": "评分", "kind": "score", "maxScore": None}]
    )
    twice = template("T4", items=[template()["items"][0], template()["items"][0]])
    no_kind = template("T6", items=[{"itemId": "I1", "text": "拍照", "kind": ""}])
    templates, rejected = parse_inspection_templates(
        [template(), no_max, new_kind, twice, template("T5", items=[]), template(), no_kind, "T7"]
    )
    assert [t.template_id for t in templates] == ["T1", "T3"]
    assert templates[0].items[1].max_score == 10 and templates[0].items[0].required
    assert [(i.item_id, i.kind) for i in templates[1].items] == [
        ("I1", "pass_fail"),
        ("I2", "score"),
        ("I3", "photo"),
    ]
    assert [(r.record_id, r.reason) for r in rejected] == [
        ("T2", "items[0]: missing maxScore (it is null)"),
        ("T4", "items[1]: duplicate itemId I1"),
        ("T5", "items must be a non-empty JSON array"),
        ("T1", "duplicate templateId T1 in the same pass"),
        ("T6", "items[0]: kind is empty"),
        (None, "an inspection template must be a JSON object, got str 'T7'"),
    ]
    assert all(r.feed == "inspection_templates" for r in rejected)


def test_inspection_templates_document_must_be_a_list():
    templates, rejected = parse_inspection_templates({"list": []})
    assert templates == [] and len(rejected) == 1
    assert rejected[0].reason == "the list of items must be a JSON array, got object"


def test_inspection():
    i = parse_inspection(inspection(extra={"k": "v"}))
    assert (i.inspection_id, i.point_id, i.template_version, i.inspector) == (
        "INS-1",
        "SP-1",
        1,
        "王科长",
    )
    assert i.results[0].passed is True and i.results[1].score == 8 and i.results[1].text == "良好"
    assert i.rectification_due == date(2026, 12, 1) and i.snapshot_count == 1
    assert parse_inspection(inspection(rectificationDue=None, snapshots=None)).snapshot_count == 0


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        (
            {"results": [{"itemId": "I1", "passed": "yes"}]},
            "results[0]: passed must be true, false or null, got str 'yes'",
        ),
        ({"results": {"I1": True}}, "results must be a JSON array, got object {'I1': True}"),
        ({"results": [{"itemId": "I1", "score": -1}]}, "results[0]: score must be ≥ 0, got -1"),
        (
            {"rectificationDue": "20261201"},
            "rectificationDue must be a date like 2026-12-01 or null, got str '20261201'",
        ),
        (
            {"rectificationDue": "2026-02-30"},
            "rectificationDue must be a date like 2026-12-01 or null, got str '2026-02-30'",
        ),
        (
            {"startedAt": "2026-11-24T10:00:00+08:00"},
            "finishedAt '2026-11-24T09:30:00+08:00' is before startedAt '2026-11-24T10:00:00+08:00'",
        ),
        ({"inspector": ""}, "inspector is empty"),
    ],
)
def test_inspection_violations(changes, reason):
    with pytest.raises(RecordError) as info:
        parse_inspection(inspection(**changes))
    assert info.value.reason == reason and info.value.record_id == "INS-1"


def test_meeting():
    m = parse_meeting(
        {
            "meetingId": "MT-1",
            "status": "live",
            "mixUrl": "rtsp://127.0.0.1/mix",
            "participants": [
                {"pointId": "SP-1", "state": "joined"},
                {"pointId": "SP-2", "state": "on_hold"},
            ],
        }
    )
    assert m.status == "live" and m.title == "" and m.start_at is None
    assert [(p.point_id, p.state) for p in m.participants] == [
        ("SP-1", "joined"),
        ("SP-2", "on_hold"),
    ]
    with pytest.raises(RecordError) as info:
        parse_meeting(
            {"meetingId": "MT-1", "status": "live", "participants": [{"state": "joined"}]}
        )
    assert (
        info.value.reason == "participants[0]: missing pointId" and info.value.record_id == "MT-1"
    )


# -- passes ------------------------------------------------------------------------------


def test_duplicates_in_a_pass_keep_the_first_across_pages():
    clock = lambda: datetime(2026, 11, 24, 1, 30, tzinfo=UTC)  # noqa: E731
    validator = PassValidator(
        "service_points", parse_service_point, lambda p: p.point_id, clock=clock
    )
    first, rejected = validator.page([point(), point(name="重复")])
    assert [p.name for p in first] == ["姑苏区公共法律服务中心"]
    assert len(rejected) == 1
    assert rejected[0].reason == "duplicate pointId SP-320508-0001 in the same pass"
    assert rejected[0].record_id == "SP-320508-0001" and rejected[0].raw["name"] == "重复"
    assert rejected[0].received_at == clock() and rejected[0].feed == "service_points"
    again, rejected = validator.page(
        [point(name="下一页"), point(pointId="SP-2")]
    )  # next page, same pass
    assert [p.point_id for p in again] == ["SP-2"] and rejected[0].raw["name"] == "下一页"
    # a new pass starts afresh
    fresh = PassValidator("service_points", parse_service_point, lambda p: p.point_id)
    assert len(fresh.page([point()])[0]) == 1


def test_without_a_key_repeats_are_kept():
    validator = PassValidator("alerts", parse_alert, None)
    records, rejected = validator.page([alert(), alert(status="acked")])
    assert [a.status for a in records] == ["new", "acked"] and rejected == []


def test_a_mixed_page_keeps_the_good_and_rejects_the_bad():
    page = [
        point(pointId="SP-A"),
        point(pointId="SP-B", lat=123.4),
        "junk",
        point(pointId="SP-C"),
        point(pointId="SP-D", updatedAt="yesterday"),
    ]
    records, rejected = PassValidator(
        "service_points", parse_service_point, lambda p: p.point_id
    ).page(page)
    assert [p.point_id for p in records] == ["SP-A", "SP-C"]
    assert [(r.record_id, r.reason) for r in rejected] == [
        ("SP-B", "lat 123.4 out of range [-90, 90]"),
        (None, "a service point must be a JSON object, got str 'junk'"),
        ("SP-D", "updatedAt is not an ISO 8601 time with offset: 'yesterday'"),
    ]
    assert rejected[1].raw == "junk"


def test_a_page_that_is_not_a_list_is_one_rejection():
    records, rejected = PassValidator("cameras", parse_camera, None).page({"oops": 1})
    assert records == [] and len(rejected) == 1
    assert rejected[0].reason == "the list of items must be a JSON array, got object"
    assert rejected[0].raw == {"oops": 1}


@pytest.mark.parametrize(
    ("feed", "raw", "expected"),
    [
        ("orgs", {"orgCode": "320508"}, "320508"),
        ("service_points", point(), "SP-320508-0001"),
        ("cameras", camera(), "CAM-1"),
        ("alerts", alert(), "AL-1"),
        ("inspection_templates", template(), "T1"),
        ("inspections", inspection(), "INS-1"),
        ("meetings", {"meetingId": "MT-1"}, "MT-1"),
        ("stats_hour", stat_row(), "2026-11-24T09:00:00+08:00|320508|mediation"),
        ("stats_day", stat_row(), "2026-11-24T09:00:00+08:00|320508|mediation"),
        ("dashboard", summary(), None),
        ("service_points", point(pointId=42), None),
        ("service_points", "junk", None),
        ("stats_hour", {"received": 1}, None),
    ],
)
def test_record_id_of(feed, raw, expected):
    assert feed in FEEDS
    assert record_id_of(feed, raw) == expected


def test_record_id_of_clips_a_huge_id():
    rid = record_id_of("service_points", point(pointId="S" * 10_000))
    assert len(rid) == 128 and rid.endswith("…")


# -- limits: texts, nesting, what the quarantine keeps ---------------------------------


def test_a_text_beyond_its_limit_is_cut_and_the_record_stored_with_a_note():
    huge_name = "苏州" * 10_000_000  # 20 million characters
    page = [
        point(pointId="SP-A", name=huge_name),
        point(pointId="SP-B"),
        alert(title="紧急" * 500, detail="x" * 1_000_000),
    ]
    points, notes = PassValidator("service_points", parse_service_point, lambda p: p.point_id).page(
        page[:2]
    )
    assert [p.point_id for p in points] == ["SP-A", "SP-B"]
    assert len(points[0].name) == TEXT_LIMITS["name"] == 200
    assert points[0].name.startswith("苏州苏州") and points[0].name.endswith("…")
    [note] = notes
    assert note.stored and note.record_id == "SP-A"
    assert note.reason == SHORTENED + "name had 20,000,000 characters, cut to 200"
    assert len(note.raw["name"]) <= 1001  # the quarantine keeps a bounded copy
    alerts, notes = PassValidator("alerts", parse_alert, None).page(page[2:])
    assert len(alerts[0].title) == 200 and len(alerts[0].detail) == TEXT_LIMITS["detail"]
    assert notes[0].reason == (
        SHORTENED + "title had 1,000 characters, cut to 200; "
        "detail had 1,000,000 characters, cut to 4000"
    )


def test_every_text_limit_is_the_documented_one():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for field, limit in TEXT_LIMITS.items():
        assert re.search(rf"`{field}`[^\n]*\| {limit:,} \|", readme) or re.search(
            rf"\| {limit:,} \|[^\n]*`{field}`", readme
        ), f"{field} ({limit}) is not in the README's table of limits"


def test_identifiers_and_enum_values_too_long_are_never_cut_into_another():
    reason = reason_of(parse_camera, camera(cameraId="CAM-" + "1" * 200))
    assert reason.startswith("cameraId is longer than 128 characters")
    records, notes = PassValidator("cameras", parse_camera, None).page([camera(name="n" * 300)])
    assert records[0].camera_id == "CAM-1" and notes[0].stored
    # an unknown enum value (kept raw, contract §1) of absurd length is kept cut
    records, notes = PassValidator("alerts", parse_alert, None).page([alert(type="t" * 5000)])
    assert len(records[0].type) == 64 and "type had 5,000 characters" in notes[0].reason


def test_a_record_nested_deeper_than_any_of_the_contract_is_rejected_and_kept_bounded():
    deep: object = "bottom"
    for _ in range(5_000):
        deep = {"a": [deep]}
    records, rejected = PassValidator(
        "service_points", parse_service_point, lambda p: p.point_id
    ).page([point(pointId="SP-DEEP", extra=deep), point(pointId="SP-OK")])
    assert [p.point_id for p in records] == ["SP-OK"]
    assert rejected[0].record_id == "SP-DEEP" and not rejected[0].stored
    assert rejected[0].reason.startswith(f"nested more than {MAX_RECORD_DEPTH} levels deep")
    assert not nesting_deeper_than(rejected[0].raw, MAX_RECORD_DEPTH + 1)
    json.dumps(rejected[0].raw)  # what the store writes: no RecursionError
    # the contract's deepest record, an alert with a GeoJSON area, passes
    area = {"type": "Polygon", "coordinates": [[[120.6, 31.3], [120.7, 31.3], [120.6, 31.4]]]}
    assert PassValidator("alerts", parse_alert, None).page([alert(area=area)])[1] == []


def test_a_dashboard_with_a_runaway_category_is_kept_cut():
    from commandcenter.feeds.adapters import single

    raw = summary()
    raw["today"]["c" * 10_000] = {"received": 1, "closed": 0, "pending": 1}
    documents, notes = single(parse_dashboard_summary, "dashboard")(raw)
    assert len(documents) == 1 and notes[0].stored
    assert max(len(category) for category in documents[0].today) == 64
