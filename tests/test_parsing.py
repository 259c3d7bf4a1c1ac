"""Validation of the data center's records: what is kept, what is rejected and why."""

from __future__ import annotations

import math

import pytest

from commandcenter.feeds.parsing import (
    PassValidator,
    RecordError,
    format_iso_time,
    parse_alert,
    parse_camera,
    parse_case_stat,
    parse_dashboard_summary,
    parse_inspection_templates,
    parse_iso_time,
    parse_org,
    parse_service_point,
)


def point(**changes):
    raw = {
        "pointId": "SP-320508-0001", "name": "姑苏区公共法律服务中心", "type": "legal_service_center",
        "level": "county", "orgCode": "320508", "address": "苏州市姑苏区", "lng": 120.6192,
        "lat": 31.3114, "coordSys": "GCJ02", "phone": "0512-65220000", "status": "online",
        "staffOnDuty": 3, "openHours": "08:30-17:30", "cameraIds": ["CAM-1"],
        "updatedAt": "2026-11-24T09:30:00+08:00", "deleted": False, "someNewField": {"x": 1},
    }
    raw.update(changes)
    return raw


def test_a_valid_point_is_kept_and_normalised_to_wgs84():
    p = parse_service_point(point())
    assert p.point_id == "SP-320508-0001" and p.coord_sys == "GCJ02"
    assert p.lng == 120.6192 and p.lng_wgs84 != p.lng
    assert abs(p.lng_wgs84 - 120.6192) < 0.01


def test_unknown_enum_values_are_kept_raw():
    p = parse_service_point(point(status="decommissioning", type="law_library"))
    assert p.status == "decommissioning" and p.type == "law_library"


def test_unknown_coordinate_system_keeps_the_point_unplaced():
    p = parse_service_point(point(coordSys="BD09"))
    assert p.lng_wgs84 is None and p.lat_wgs84 is None


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"lat": 123.4}, "lat 123.4 out of range [-90, 90]"),
        ({"lng": "120.5"}, "lng must be a number, got str '120.5'"),
        ({"lng": math.nan}, "lng must be a finite number"),
        ({"staffOnDuty": "three"}, "staffOnDuty must be an integer, got str 'three'"),
        ({"staffOnDuty": True}, "staffOnDuty must be an integer, got bool True"),
        ({"staffOnDuty": -3}, "staffOnDuty must be ≥ 0, got -3"),
        ({"pointId": None}, "missing pointId"),
        ({"updatedAt": "yesterday"}, "updatedAt is not an ISO 8601 time with offset: 'yesterday'"),
        ({"updatedAt": "2026-13-45T25:61:00+08:00"}, "updatedAt is not an ISO 8601 time"),
        ({"updatedAt": "2026-11-24T09:30:00"}, "updatedAt has no UTC offset"),
        ({"cameraIds": "CAM-1"}, "cameraIds must be a list of strings"),
    ],
)
def test_contract_violations_name_the_field_and_value(changes, reason):
    with pytest.raises(RecordError) as info:
        parse_service_point(point(**changes))
    assert reason in info.value.reason


def test_rejection_carries_the_record_id_when_there_is_one():
    with pytest.raises(RecordError) as info:
        parse_service_point(point(lat=99))
    assert info.value.record_id == "SP-320508-0001"


def test_tombstone_needs_only_id_and_time():
    p = parse_service_point({"pointId": "SP-1", "deleted": True, "updatedAt": "2026-11-24T09:30:00Z"})
    assert p.deleted


def test_duplicates_in_a_pass_keep_the_first():
    validator = PassValidator("service_points", parse_service_point, lambda p: p.point_id)
    first, rejected = validator.page([point(), point(name="重复")])
    assert [p.name for p in first] == ["姑苏区公共法律服务中心"]
    assert rejected[0].reason == "duplicate pointId SP-320508-0001 in the same pass"
    again, rejected = validator.page([point(name="下一页")])  # next page, same pass
    assert again == [] and rejected


def test_a_page_that_is_not_a_list_is_one_rejection():
    records, rejected = PassValidator("cameras", parse_camera, None).page({"oops": 1})
    assert records == [] and "JSON array" in rejected[0].reason


def test_camera_org_stat_alert():
    cam = parse_camera({"cameraId": "CAM-1", "pointId": "SP-1", "name": "大厅", "online": True,
                        "ptz": False, "hasSubStream": True, "updatedAt": "2026-11-24T09:30:00+08:00"})
    assert cam.online and not cam.ptz
    with pytest.raises(RecordError, match="online must be true or false"):
        parse_camera({"cameraId": "C", "pointId": "S", "name": "n", "online": "yes",
                      "updatedAt": "2026-11-24T09:30:00+08:00"})
    assert parse_org({"orgCode": "320508", "name": "姑苏区", "level": "county",
                      "parentCode": "320500", "adcode": "320508"}).name == "姑苏区"
    row = {"bucket": "2026-11-24T09:00:00+08:00", "orgCode": "320508", "category": "mediation",
           "received": 5, "closed": 3, "pending": 9, "revision": 2}
    assert parse_case_stat(row, "hour").revision == 2
    with pytest.raises(RecordError) as info:
        parse_case_stat({**row, "received": -3}, "hour")
    assert info.value.record_id == "2026-11-24T09:00:00+08:00|320508|mediation"
    alert = {"alertId": "AL-1", "type": "new_kind", "severity": 1, "pointId": None, "lng": 120.6,
             "lat": 31.3, "coordSys": "GCJ02", "occurredAt": "2026-11-24T09:30:00+08:00",
             "title": "t", "detail": "d", "status": "new", "ackBy": None, "ackAt": None,
             "updatedAt": "2026-11-24T09:30:00+08:00"}
    assert parse_alert(alert).type == "new_kind"
    with pytest.raises(RecordError, match="severity must be ≤ 4"):
        parse_alert({**alert, "severity": 9})
    with pytest.raises(RecordError, match="needs a pointId or coordinates"):
        parse_alert({**alert, "lng": None, "lat": None})


def test_summary_and_templates():
    summary = parse_dashboard_summary({
        "asOf": "2026-11-24T09:30:00+08:00",
        "today": {"mediation": {"received": 5, "closed": 4, "pending": 1}},
        "hotline": {"agentsOnline": 12, "callsWaiting": 3, "avgWaitSeconds": 31.5},
        "correction": {"underCorrection": 3480, "electronicMonitoring": 600, "alertsOpen": 2},
        "points": {"online": 2100, "offline": 80, "alarm": 20},
    })
    assert summary.hotline["avgWaitSeconds"] == 31.5
    with pytest.raises(RecordError, match="hotline.callsWaiting must be ≥ 0"):
        parse_dashboard_summary({"asOf": "2026-11-24T09:30:00+08:00", "today": {},
                                 "hotline": {"callsWaiting": -1}})
    templates, rejected = parse_inspection_templates([
        {"templateId": "T1", "name": "督查", "version": 1, "items": [
            {"itemId": "I1", "text": "在岗", "kind": "pass_fail", "maxScore": None, "required": True},
            {"itemId": "I2", "text": "评分", "kind": "score", "maxScore": 10, "required": False}]},
        {"templateId": "T2", "name": "坏模板", "version": 1, "items": [
            {"itemId": "I1", "text": "评分", "kind": "score", "maxScore": None, "required": True}]},
    ])
    assert [t.template_id for t in templates] == ["T1"]
    assert "items[0]: missing maxScore" in rejected[0].reason


def test_times_round_trip_in_china_standard_time():
    t = parse_iso_time("2026-11-24T01:30:00Z", "t")
    assert format_iso_time(t) == "2026-11-24T09:30:00+08:00"
