"""The simulated world behind the data center: Suzhou's (or Jiangsu's) network of
service points, their cameras, the bureau's case statistics, alerts, inspections
and meetings, evolving with a clock.

Deterministic from the seed: the same seed builds the same world, and the same
sequence of clock readings evolves it the same way. Items are kept as
contract-shaped dicts (camelCase, as on the wire) so that the server only pages
and serialises them.
"""

from __future__ import annotations

import math
import random
import threading
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from commandcenter.domain import contract
from commandcenter.simulator.alert_activity import AlertActivity
from commandcenter.simulator.case_activity import DAILY_VOLUME, HOTLINE_HOURS, CaseActivity
from commandcenter.simulator.duty_roster import DutyRosterBook
from commandcenter.simulator.errors import Conflict, InvalidRequest, NotFound
from commandcenter.simulator.inspection_work import InspectionWork
from commandcenter.simulator.meeting_room import MeetingRoom
from commandcenter.simulator.network import ServiceNetwork
from commandcenter.simulator.places import (
    CountyArea,
    load_counties,
)
from commandcenter.simulator.storage import (
    CST,
    RETENTION,
    Collection,
    CursorLog,
    iso,
    real_now,
    stable_rng,
)


class World(
    ServiceNetwork, CaseActivity, AlertActivity, InspectionWork, MeetingRoom, DutyRosterBook
):
    def __init__(
        self,
        *,
        seed: int = 20261124,
        scale: str = "city",
        dirty: bool = False,
        clock: Callable[[], datetime] | None = None,
        history_days: int = 7,
    ):
        if scale not in ("city", "province"):
            raise ValueError(f"scale must be 'city' or 'province', got {scale!r}")
        self.seed = seed
        self.scale = scale
        self.dirty = dirty
        self.clock = clock or real_now
        self.history_days = history_days
        self.lock = threading.RLock()
        self.stream_base_url = "http://127.0.0.1"
        self.dirty_records: list[tuple[str, str | None, str]] = []
        # Off for a drill or a test that must know every alert it sees: only injected
        # alerts and the alerts of stations going offline are raised then.
        self.random_alerts = True
        self._rng = random.Random(seed)
        self.started_at = self.clock().astimezone(CST)
        self._now = self.started_at
        self.counties: list[CountyArea] = load_counties(scale)
        self._county_by_code = {c.code: c for c in self.counties}
        self._orgs = Collection("orgCode")
        self._points = Collection("pointId")
        self._cameras = Collection("cameraId")
        self._inspections = Collection("inspectionId")
        self._stats = {"hour": CursorLog(), "day": CursorLog()}
        self._alerts_log = CursorLog()
        self._alerts: dict[str, dict] = {}
        self._transitions: list[tuple[datetime, int, str, str]] = []  # (due, n, alertId, status)
        self._meetings: dict[str, dict] = {}
        self._hour_rows: dict[tuple[str, str, str], dict] = {}  # (bucketIso, county, category)
        self._day_rows: dict[tuple[str, str, str], dict] = {}
        self._pending: dict[tuple[str, str], int] = {}
        self._last_minute: datetime | None = None
        self._alert_seq = 0
        self._meeting_seq = 0
        self._inspection_seq = 0
        self._spikes: dict[tuple[str, str, str], float] = {}
        self._summary_cache: tuple[str, dict] | None = None
        self._roster_added: dict[str, list[object]] = {}
        self._roster_removed: set[str] = set()
        self._build_network()
        self._build_templates()
        self._build_history()
        self._build_past_inspections()
        if dirty:
            self._mix_in_dirty_records()

    # ------------------------------------------------------------------ network

    # ---------------------------------------------------------------- templates

    # ----------------------------------------------------------------- statistics

    # ---------------------------------------------------------------------- alerts

    # ------------------------------------------------------------------- evolution

    def advance(self) -> None:
        now = self.clock().astimezone(CST)
        if now <= self._now:
            return
        minute = now.replace(second=0, microsecond=0)
        if self._last_minute is not None and minute > self._last_minute:
            steps = int((minute - self._last_minute).total_seconds() // 60)
            if steps > 24 * 60:  # a long sleep: catch up coarsely, not minute by minute
                self._last_minute = minute - timedelta(minutes=24 * 60)
            while self._last_minute < minute:
                self._last_minute += timedelta(minutes=1)
                self._tick_minute(self._last_minute)
        self._now = now
        self._run_transitions(now)

    def _tick_minute(self, minute: datetime) -> None:
        rng = stable_rng(self.seed, "minute", minute.isoformat())
        # new alerts (Poisson)
        n = 0
        threshold = math.exp(-self._alert_rate_per_min())
        p = rng.random()
        while p > threshold:
            n += 1
            p *= rng.random()
        for _ in range(n):
            # in the minute that has just ended: an alert is never reported before it happened
            if self.random_alerts:
                self._new_alert(rng, minute - timedelta(seconds=rng.uniform(0, 59)))
        # a station or two changes state
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            point = self._points.get(rng.choice(self._point_ids))
            if point is None or point.get("deleted"):
                continue
            new_status = (
                "online"
                if point["status"] != "online"
                else rng.choice(("offline", "offline", "maintenance"))
            )
            self._change_point(point, status=new_status, at=minute)
            if new_status == "offline":
                self._new_alert(rng, minute, type_="device_offline", point_id=point["pointId"])
        # the current hour grows; the hour before is finalised; now and then a late correction
        hour = minute.replace(minute=0)
        fraction = max(0.02, (minute - hour).total_seconds() / 3600)
        if minute.minute == 0:
            previous = hour - timedelta(hours=1)
            for county in self.counties:
                for category in DAILY_VOLUME:
                    row = self._hour_row(previous, county.code, category, 1.0)
                    self._emit_hour(row, previous)
                    self._pending[(county.code, category)] = row["pending"]
        for county in self.counties:
            for category in DAILY_VOLUME:
                self._emit_hour(self._hour_row(hour, county.code, category, fraction), hour)
        if rng.random() < 0.1:
            county_code = rng.choice(self.counties).code
            category = rng.choice(list(DAILY_VOLUME))
            bucket = hour - timedelta(hours=rng.randint(2, 47))
            stored = self._hour_rows.get((iso(bucket), county_code, category))
            if stored is not None:
                corrected = {**stored, "received": stored["received"] + rng.randint(1, 3)}
                self._emit_hour(corrected, bucket)
        self._stats["hour"].trim_before(minute - RETENTION)
        self._stats["day"].trim_before(minute - RETENTION)
        self._alerts_log.trim_before(minute - RETENTION)

    def _change_point(self, point: dict, *, at: datetime, **fields) -> dict:
        changed = {**point, **fields, "updatedAt": iso(at)}
        if fields.get("status") == "offline":
            changed["staffOnDuty"] = 0
        self._points.replace(changed)
        return changed

    # -------------------------------------------------------------------- reading

    def orgs(self) -> Sequence[dict]:
        return self._orgs.items

    def service_points(self) -> Sequence[dict]:
        return self._points.items

    def cameras(self) -> Sequence[dict]:
        return self._cameras.items

    def inspections(self, point_id: str | None = None) -> Sequence[dict]:
        items = self._inspections.items
        return [i for i in items if i["pointId"] == point_id] if point_id else items

    def stats_log(self, granularity: str) -> CursorLog:
        if granularity not in self._stats:
            raise InvalidRequest("granularity", f"must be hour or day, got {granularity!r}")
        return self._stats[granularity]

    def alerts_log(self) -> CursorLog:
        return self._alerts_log

    def camera(self, camera_id: str) -> dict | None:
        return self._cameras.get(camera_id)

    def service_point(self, point_id: str) -> dict | None:
        return self._points.get(point_id)

    def inspection_templates(self) -> list[dict]:
        return self._templates

    def dashboard_summary(self) -> dict:
        now = self._now
        minute = iso(now.replace(second=0, microsecond=0))
        if self._summary_cache and self._summary_cache[0] == minute:
            return self._summary_cache[1]
        day = iso(now.replace(hour=0, minute=0, second=0, microsecond=0))
        today = {c: {"received": 0, "closed": 0, "pending": 0} for c in DAILY_VOLUME}
        for (bucket, _county, category), row in self._day_rows.items():
            if bucket == day:
                today[category]["received"] += row["received"]
                today[category]["closed"] += row["closed"]
                today[category]["pending"] += row["pending"]
        statuses = {"online": 0, "offline": 0, "alarm": 0}
        for p in self._points.items:
            if not p.get("deleted") and p.get("status") in statuses:
                statuses[p["status"]] += 1
        rng = stable_rng(self.seed, "summary", minute)
        hour_weight = HOTLINE_HOURS[now.hour] / max(HOTLINE_HOURS)
        agents = max(2, round(24 * hour_weight * (self._scale_factor())))
        open_correction = sum(
            1
            for a in self._alerts.values()
            if a["status"] != "closed" and a["type"].startswith("correction")
        )
        summary = {
            "asOf": minute,
            "today": today,
            "hotline": {
                "agentsOnline": agents,
                "callsWaiting": max(0, round(rng.gauss(6 * hour_weight, 2))),
                "avgWaitSeconds": round(max(5.0, rng.gauss(35 * hour_weight + 8, 6)), 1),
            },
            "correction": {
                "underCorrection": round(3480 * self._scale_factor()),
                "electronicMonitoring": round(612 * self._scale_factor()),
                "alertsOpen": open_correction,
            },
            "points": statuses,
        }
        self._summary_cache = (minute, summary)
        return summary

    def _scale_factor(self) -> float:
        return 1.0 if self.scale == "city" else len(self.counties) / 10

    # ------------------------------------------------------------------- commands

    # meetings ----------------------------------------------------------------------

    def ptz(self, camera_id: str, action: object, speed: int) -> None:
        camera = self._cameras.get(camera_id)
        if camera is None or camera.get("deleted"):
            raise NotFound(f"unknown cameraId {camera_id}")
        if action not in contract.PtzAction._value2member_map_:
            raise InvalidRequest(
                "action", f"must be one of {', '.join(contract.PtzAction)}, got {action!r}"
            )
        if isinstance(speed, bool) or not isinstance(speed, int) or not 1 <= speed <= 100:
            raise InvalidRequest("speed", f"must be an integer 1..100, got {speed!r}")
        if not camera.get("ptz"):
            raise Conflict("the camera has no PTZ")
        if not camera.get("online"):
            raise Conflict("the camera is offline")

    # ------------------------------------------------------------------- hooks

    def rename_point(self, point_id: str, name: str) -> dict:
        """The point's name changes (to anything: hostile names are tested with it)."""
        point = self._points.get(point_id)
        if point is None or point.get("deleted"):
            raise NotFound(f"unknown pointId {point_id}")
        return self._change_point(point, name=name, at=self._now)

    def set_point_status(self, point_id: str, status: str) -> dict:
        point = self._points.get(point_id)
        if point is None or point.get("deleted"):
            raise NotFound(f"unknown pointId {point_id}")
        return self._change_point(point, status=status, at=self._now)

    def delete_point(self, point_id: str) -> None:
        point = self._points.get(point_id)
        if point is None:
            raise NotFound(f"unknown pointId {point_id}")
        self._points.replace({"pointId": point_id, "deleted": True, "updatedAt": iso(self._now)})
        for camera_id in point.get("cameraIds", []):
            if self._cameras.get(camera_id):
                self._cameras.replace(
                    {"cameraId": camera_id, "deleted": True, "updatedAt": iso(self._now)}
                )

    # ------------------------------------------------------------------- dirty mode

    def _mix_in_dirty_records(self) -> None:
        from commandcenter.simulator.dirty import corrupt_collection, corrupt_log

        for feed, collection, id_field in (
            ("orgs", self._orgs, "orgCode"),
            ("service_points", self._points, "pointId"),
            ("cameras", self._cameras, "cameraId"),
        ):
            items, records = corrupt_collection(feed, collection.items, id_field, self.seed)
            collection.load(items)
            self.dirty_records.extend(records)
        for feed, log in (
            ("stats_hour", self._stats["hour"]),
            ("stats_day", self._stats["day"]),
            ("alerts", self._alerts_log),
        ):
            self.dirty_records.extend(corrupt_log(feed, log, self.seed, self._now))
