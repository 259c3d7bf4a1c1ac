"""The simulated world: realistic for Suzhou, deterministic, alive."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime

import pytest
from shapely.geometry import Point, shape

from commandcenter import resources
from commandcenter.domain.coords import wgs84_to_gcj02
from commandcenter.simulator.errors import InvalidRequest
from commandcenter.simulator.storage import CST
from commandcenter.simulator.world import World
from tests.conftest import ManualClock


@pytest.fixture(scope="module")
def world():
    return World(seed=7)


def test_network_has_every_type_at_city_scale(world):
    points = [p for p in world.service_points() if not p.get("deleted")]
    types = Counter(p["type"] for p in points)
    assert 2100 <= len(points) <= 2400
    assert types["mediation_studio"] == 75
    assert 1900 <= types["service_station"] <= 2100
    assert 90 <= types["judicial_office"] <= 110
    assert types["hotline_12348"] == 1
    assert {
        "legal_service_center",
        "community_correction_center",
        "mediation_center",
        "notary_office",
        "forensic_institution",
    } <= set(types)
    coord_systems = Counter(p["coordSys"] for p in points)
    assert 0.05 < coord_systems["WGS84"] / len(points) < 0.15
    cameras = {c["cameraId"]: c for c in world.cameras()}
    assert all(cid in cameras for p in points for cid in p["cameraIds"])


def test_every_point_lies_in_its_county(world):
    data = json.loads(resources.read_text("geo", "suzhou_counties.geojson"))
    counties = {f["properties"]["adcode"]: shape(f["geometry"]) for f in data["features"]}
    assert len(counties) == 10
    for p in world.service_points():
        county = p["pointId"].split("-")[1]
        if county not in counties:
            continue  # city-level points
        lng, lat = (
            (p["lng"], p["lat"]) if p["coordSys"] == "GCJ02" else wgs84_to_gcj02(p["lng"], p["lat"])
        )
        assert counties[county].buffer(1e-4).contains(Point(lng, lat)), p["pointId"]


def test_same_seed_same_world():
    clock = ManualClock()
    a, b = World(seed=3, clock=clock), World(seed=3, clock=clock)
    assert a.service_points() == b.service_points()
    assert a.cameras() == b.cameras()
    assert a.stats_log("hour").entries_after(0, 100) == b.stats_log("hour").entries_after(0, 100)


def test_hotline_rhythm(world):
    rows = [
        row
        for _, row in world.stats_log("hour").entries_after(0, 10**6)
        if row["category"] == "hotline_12348"
    ]
    by_hour: dict[tuple[bool, int], list[int]] = {}
    for row in rows:
        t = datetime.fromisoformat(row["bucket"]).astimezone(CST)
        by_hour.setdefault((t.weekday() >= 5, t.hour), []).append(row["received"])
    mean = {k: sum(v) / len(v) for k, v in by_hour.items()}
    assert mean[(False, 10)] > 5 * mean[(False, 3)]
    assert mean[(False, 15)] > mean[(False, 12)]
    assert mean[(False, 10)] > mean[(True, 10)]


def test_time_brings_alerts_status_changes_and_revisions():
    clock = ManualClock()
    w = World(seed=5, clock=clock)
    alerts_before = w.alerts_log().last_seq
    stats_before = w.stats_log("hour").last_seq
    points_before = {p["pointId"]: p["status"] for p in w.service_points()}
    clock.advance(minutes=30)
    w.advance()
    assert w.alerts_log().last_seq > alerts_before
    new_rows = [row for _, row in w.stats_log("hour").entries_after(stats_before, 10**6)]
    assert any(row["revision"] > 1 for row in new_rows)
    changed = [p for p in w.service_points() if points_before.get(p["pointId"]) != p.get("status")]
    assert changed
    statuses = Counter(
        row["status"] for _, row in w.alerts_log().entries_after(alerts_before, 10**6)
    )
    assert statuses["new"] and (statuses["acked"] or statuses["closed"])


def test_no_alert_is_reported_before_it_happened():
    clock = ManualClock(datetime(2026, 11, 24, 10, 0, 7, tzinfo=CST))
    w = World(seed=5, clock=clock)
    seen = w.alerts_log().last_seq
    for _ in range(120):  # 40 minutes in steps of 20 s, off the minute
        clock.advance(seconds=20)
        w.advance()
        entries = w.alerts_log().entries_after(seen, 10**6)
        assert all(datetime.fromisoformat(row["occurredAt"]) <= clock.now for _, row in entries), (
            clock.now
        )
        seen = w.alerts_log().last_seq
    assert seen > 0


def test_random_alerts_off_leaves_only_injected_ones_and_offline_stations():
    clock = ManualClock()
    w = World(seed=5, clock=clock)
    w.random_alerts = False
    seen = w.alerts_log().last_seq
    injected = w.inject_alert(type="sos", severity=1)
    clock.advance(minutes=90)
    w.advance()
    new = [row for _, row in w.alerts_log().entries_after(seen, 10**6) if row["status"] == "new"]
    assert injected["alertId"] in {row["alertId"] for row in new}
    assert {row["type"] for row in new if row["alertId"] != injected["alertId"]} <= {
        "device_offline"
    }


def test_dirty_mode_mixes_every_defect_kind():
    w = World(seed=7, dirty=True)
    defects = Counter(d for _, _, d in w.dirty_records)
    assert {
        "coordinates out of range",
        "wrong type",
        "missing id",
        "duplicate id",
        "negative count",
        "unparseable time",
    } <= set(defects)
    ids = [p.get("pointId") for p in w.service_points()]
    duplicates = [i for i, n in Counter(ids).items() if n > 1 and i]
    assert duplicates
    first = ids.index(duplicates[0])
    assert ids[first + 1] == duplicates[0]  # the duplicate comes right after the original
    assert "（重复）" not in w.service_points()[first]["name"]


def test_meeting_participants_ring_then_join():
    clock = ManualClock()
    w = World(seed=5, clock=clock)
    w.advance()
    offices = [p["pointId"] for p in w.service_points() if p["type"] == "judicial_office"][:10]
    meeting = w.create_meeting(
        {"title": "例会", "hostPointId": offices[0], "participants": offices[1:], "startAt": None}
    )
    assert meeting["status"] == "live"
    assert {p["state"] for p in meeting["participants"]} == {"invited"}
    clock.advance(seconds=4)
    w.advance()
    assert {p["state"] for p in w.get_meeting(meeting["meetingId"])["participants"]} != {"invited"}
    clock.advance(seconds=30)
    w.advance()
    states = Counter(p["state"] for p in w.get_meeting(meeting["meetingId"])["participants"])
    assert states["joined"] >= 6
    with pytest.raises(InvalidRequest, match="at most 64"):
        w.update_participants(
            meeting["meetingId"], [p["pointId"] for p in w.service_points()[:80]], []
        )
    assert w.end_meeting(meeting["meetingId"])["status"] == "ended"


def test_inspection_validation_names_the_field(world):
    template = world.inspection_templates()[0]
    with pytest.raises(InvalidRequest) as info:
        world.create_inspection({"pointId": "SP-NOPE", "templateId": template["templateId"]})
    assert info.value.field == "pointId"
