"""The simulated world behind the data center: Suzhou's (or Jiangsu's) network of
service points, their cameras, the bureau's case statistics, alerts, inspections
and meetings, evolving with a clock.

Deterministic from the seed: the same seed builds the same world, and the same
sequence of clock readings evolves it the same way. Items are kept as
contract-shaped dicts (camelCase, as on the wire) so that the server only pages
and serialises them.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import heapq
import math
import random
import threading
import zlib
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta, timezone

from commandcenter.domain import contract
from commandcenter.domain.coords import gcj02_to_wgs84
from commandcenter.domain.geography import CITY_CENTER_GCJ02, CITY_CODE, CITY_NAME
from commandcenter.simulator.errors import Conflict, InvalidRequest, NotFound
from commandcenter.simulator.places import (
    STUDIO_BRANDS,
    CountyArea,
    load_counties,
    person_name,
    town_names,
    village_name,
)

CST = timezone(timedelta(hours=8))
RETENTION = timedelta(days=contract.CURSOR_RETENTION_DAYS)

# City-wide cases a weekday (received) per category, for Suzhou's 12.9 million people.
DAILY_VOLUME = {
    "hotline_12348": 2600,
    "legal_aid": 160,
    "mediation": 620,
    "notary": 900,
    "forensic": 70,
    "community_correction": 240,
    "law_popularization": 180,
    "legal_consultation": 1400,
}
# Share of a day's cases per hour on a weekday: closed at night, peaks mid-morning
# and mid-afternoon; the hotline answers into the evening.
_OFFICE_HOURS = [
    0,
    0,
    0,
    0,
    0,
    0,
    0.1,
    0.5,
    2.2,
    3.4,
    4.0,
    3.2,
    1.2,
    1.6,
    3.0,
    3.6,
    2.8,
    1.2,
    0.3,
    0.1,
    0,
    0,
    0,
    0,
]
_HOTLINE_HOURS = [
    0.2,
    0.1,
    0.05,
    0.05,
    0.05,
    0.1,
    0.3,
    1.0,
    2.6,
    3.6,
    4.2,
    3.4,
    1.8,
    2.2,
    3.4,
    3.8,
    3.0,
    2.0,
    1.2,
    1.0,
    0.8,
    0.6,
    0.4,
    0.3,
]
WEEKEND_FACTOR = {"hotline_12348": 0.55}
WEEKEND_DEFAULT = 0.3

ALERT_TYPES = [  # type, weight, severities
    ("device_offline", 30, (3, 4)),
    ("correction_geofence", 22, (2, 2, 1)),
    ("correction_checkin_missed", 20, (3, 3, 2)),
    ("dispute_escalation", 13, (2, 3)),
    ("hotline_surge", 6, (2, 3)),
    ("emergency", 6, (1, 2)),
    ("sos", 3, (1,)),
]
CAMERA_ROOMS = [
    "服务大厅",
    "接待窗口",
    "调解室",
    "大门",
    "矫正报到室",
    "值班室",
    "档案室",
    "会议室",
]
OPERATORS = ["值班员 王敏", "值班员 陈杰", "值班员 周静", "值班员 徐涛"]


def _stable_rng(*parts: object) -> random.Random:
    """An RNG seeded from the parts (not from Python's salted hash)."""
    return random.Random(zlib.crc32("\x1f".join(map(str, parts)).encode("utf-8")))


def iso(dt: datetime) -> str:
    return dt.astimezone(CST).isoformat(timespec="seconds")


def parse_iso(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError("no offset")
    return parsed


def real_now() -> datetime:
    return datetime.now(CST)


class CursorLog:
    """Append-only log of a cursor feed; every entry has an increasing seq."""

    def __init__(self):
        self._seqs: list[int] = []
        self._rows: list[dict] = []
        self._stamps: list[datetime] = []  # when each entry's item happened, for retention
        self.first_seq = 1
        self.last_seq = 0

    def append(self, row: dict, stamp: datetime) -> int:
        self.last_seq += 1
        self._seqs.append(self.last_seq)
        self._rows.append(row)
        self._stamps.append(stamp)
        return self.last_seq

    def trim_before(self, cutoff: datetime) -> None:
        n = 0
        while n < len(self._stamps) and self._stamps[n] < cutoff:
            n += 1
        if n:
            del self._seqs[:n], self._rows[:n], self._stamps[:n]
            self.first_seq = self._seqs[0] if self._seqs else self.last_seq + 1

    def entries_after(self, seq: int, limit: int) -> list[tuple[int, dict]]:
        start = bisect.bisect_right(self._seqs, seq)
        return list(
            zip(self._seqs[start : start + limit], self._rows[start : start + limit], strict=True)
        )

    def __len__(self) -> int:
        return len(self._rows)


class _Collection:
    """Items kept sorted by id; changing one replaces its dict (the server may be
    serialising the old one on another thread)."""

    def __init__(self, id_field: str):
        self.id_field = id_field
        self.items: list[dict] = []
        self.index: dict[str, int] = {}

    def load(self, items: list[dict]) -> None:
        # stable: a duplicate id placed after its original stays after it
        self.items = sorted(items, key=lambda i: str(i.get(self.id_field, "")))
        self.index = {}
        for n, item in enumerate(self.items):
            key = item.get(self.id_field)
            if isinstance(key, str) and key not in self.index:
                self.index[key] = n

    def get(self, key: str) -> dict | None:
        n = self.index.get(key)
        return self.items[n] if n is not None else None

    def replace(self, item: dict) -> None:
        n = self.index.get(item[self.id_field])
        if n is None:
            self.items.append(item)
            self.load(self.items)
        else:
            items = list(self.items)
            items[n] = item
            self.items = items


class World:
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
        self._orgs = _Collection("orgCode")
        self._points = _Collection("pointId")
        self._cameras = _Collection("cameraId")
        self._inspections = _Collection("inspectionId")
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
        self._build_network()
        self._build_templates()
        self._build_history()
        self._build_past_inspections()
        if dirty:
            self._mix_in_dirty_records()

    # ------------------------------------------------------------------ network

    def _build_network(self) -> None:
        stamp = self.started_at - timedelta(days=30)
        orgs = [
            {
                "orgCode": CITY_CODE,
                "name": CITY_NAME,
                "level": "city",
                "parentCode": None,
                "adcode": CITY_CODE,
                "updatedAt": iso(stamp),
            }
        ]
        points: list[dict] = []
        cameras: list[dict] = []
        seq: dict[str, int] = {}

        def add_point(
            county: CountyArea | None,
            org_code: str,
            name: str,
            type_: str,
            level: str,
            lnglat: tuple[float, float],
            address: str,
        ) -> dict:
            county_code = county.code if county else CITY_CODE
            seq[county_code] = seq.get(county_code, 0) + 1
            point_id = f"SP-{county_code}-{seq[county_code]:04d}"
            prng = _stable_rng(self.seed, point_id)
            lng, lat = round(lnglat[0], 6), round(lnglat[1], 6)
            coord_sys = "GCJ02"
            if prng.random() < 0.1:  # some stations were surveyed with GPS
                lng, lat = gcj02_to_wgs84(lng, lat)
                lng, lat, coord_sys = round(lng, 6), round(lat, 6), "WGS84"
            n_cameras = {
                "service_station": prng.choice((0, 1, 1, 1, 2)),
                "judicial_office": prng.randint(2, 4),
                "mediation_studio": prng.randint(1, 2),
            }.get(type_, prng.randint(3, 6))
            camera_ids = []
            for n in range(n_cameras):
                camera_id = f"CAM-{point_id[3:]}-{n + 1}"
                camera_ids.append(camera_id)
                cameras.append(
                    {
                        "cameraId": camera_id,
                        "pointId": point_id,
                        "name": f"{name} · {CAMERA_ROOMS[(n + len(name)) % len(CAMERA_ROOMS)]}",
                        "online": prng.random() > 0.04,
                        "ptz": n == 0 and type_ != "service_station" and prng.random() < 0.6,
                        "hasSubStream": prng.random() > 0.05,
                        "updatedAt": iso(stamp),
                        "deleted": False,
                    }
                )
            status = prng.choices(("online", "offline", "maintenance", "alarm"), (93, 4, 2, 1))[0]
            point = {
                "pointId": point_id,
                "name": name,
                "type": type_,
                "level": level,
                "orgCode": org_code,
                "address": address,
                "lng": lng,
                "lat": lat,
                "coordSys": coord_sys,
                "phone": f"0512-6{prng.randint(0, 9999999):07d}",
                "status": status,
                "staffOnDuty": 0
                if status == "offline"
                else prng.randint(1, 3 if level == "village" else 8),
                "openHours": "08:30-17:30" if type_ != "hotline_12348" else "00:00-24:00",
                "cameraIds": camera_ids,
                "updatedAt": iso(stamp - timedelta(minutes=prng.randint(0, 40000))),
                "deleted": False,
            }
            points.append(point)
            return point

        center = CITY_CENTER_GCJ02
        add_point(
            None,
            CITY_CODE,
            "苏州市公共法律服务中心",
            "legal_service_center",
            "city",
            center,
            "苏州市姑苏区三香路1298号",
        )
        add_point(
            None,
            CITY_CODE,
            "12348江苏法网苏州热线中心",
            "hotline_12348",
            "city",
            (center[0] + 0.004, center[1] - 0.003),
            "苏州市姑苏区三香路1300号",
        )
        add_point(
            None,
            CITY_CODE,
            "苏州市社区矫正管理局指挥中心",
            "community_correction_center",
            "city",
            (center[0] - 0.003, center[1] + 0.002),
            "苏州市姑苏区干将西路1588号",
        )
        add_point(
            None,
            CITY_CODE,
            "苏州市社会矛盾纠纷调处化解中心",
            "mediation_center",
            "city",
            (center[0] + 0.002, center[1] + 0.004),
            "苏州市姑苏区三香路1296号",
        )

        total_population = sum(c.population_10k for c in self.counties)
        target_stations = 2000 if self.scale == "city" else 28000
        studios_left = 75 if self.scale == "city" else 75 * len(self.counties) // 10
        notary_left = 12 if self.scale == "city" else len(self.counties) + 10
        forensic_left = 15 if self.scale == "city" else len(self.counties) + 20
        for county_index, county in enumerate(self.counties):
            crng = _stable_rng(self.seed, county.code)
            orgs.append(
                {
                    "orgCode": county.code,
                    "name": county.name,
                    "level": "county",
                    "parentCode": CITY_CODE if county.city == CITY_NAME else county.code[:4] + "00",
                    "adcode": county.code,
                    "updatedAt": iso(stamp),
                }
            )
            seat = county.random_point(crng)
            prefix = county.name if county.city == CITY_NAME else county.city + county.name
            add_point(
                county,
                county.code,
                f"{prefix}公共法律服务中心",
                "legal_service_center",
                "county",
                seat,
                f"{prefix}政务服务中心三楼",
            )
            add_point(
                county,
                county.code,
                f"{prefix}社区矫正中心",
                "community_correction_center",
                "county",
                county.random_point(crng, near=seat, spread=0.01),
                f"{prefix}司法局一楼",
            )
            add_point(
                county,
                county.code,
                f"{prefix}社会矛盾纠纷调处化解中心",
                "mediation_center",
                "county",
                county.random_point(crng, near=seat, spread=0.01),
                f"{prefix}综治中心",
            )
            towns = town_names(county, crng, max(6, round(county.population_10k / 11)))
            stations_here = max(
                len(towns) * 4, round(target_stations * county.population_10k / total_population)
            )
            per_town = [stations_here // len(towns)] * len(towns)
            for n in range(stations_here % len(towns)):
                per_town[n] += 1
            used_villages: set[str] = set()
            for town_index, town in enumerate(towns):
                town_code = f"{county.code}{town_index + 1:03d}"
                town_center = county.random_point(crng)
                orgs.append(
                    {
                        "orgCode": town_code,
                        "name": town,
                        "level": "town",
                        "parentCode": county.code,
                        "adcode": county.code,
                        "updatedAt": iso(stamp),
                    }
                )
                add_point(
                    county,
                    town_code,
                    f"{town}司法所",
                    "judicial_office",
                    "town",
                    town_center,
                    f"{prefix}{town}{crng.choice('人民中兴建设解放文化')}路{crng.randint(1, 399)}号",
                )
                urban = "街道" in town
                for v in range(per_town[town_index]):
                    village = village_name(crng, used_villages, urban)
                    village_code = f"{town_code}{v + 1:03d}"
                    orgs.append(
                        {
                            "orgCode": village_code,
                            "name": village,
                            "level": "village",
                            "parentCode": town_code,
                            "adcode": county.code,
                            "updatedAt": iso(stamp),
                        }
                    )
                    add_point(
                        county,
                        village_code,
                        f"{town}{village}公共法律服务工作室",
                        "service_station",
                        "village",
                        county.random_point(crng, near=town_center, spread=0.025),
                        f"{prefix}{town}{village}党群服务中心",
                    )
                if studios_left > 0 and (town_index * 7 + county_index) % 3 != 2:
                    studios_left -= 1
                    brand = STUDIO_BRANDS[(town_index + county_index) % len(STUDIO_BRANDS)]
                    who = person_name(crng)
                    name = (
                        f"{who}{brand}调解工作室"
                        if crng.random() < 0.5
                        else f"{town}“{brand}”{who}调解工作室"
                    )
                    add_point(
                        county,
                        town_code,
                        name,
                        "mediation_studio",
                        "town",
                        county.random_point(crng, near=town_center, spread=0.01),
                        f"{prefix}{town}综治中心",
                    )
            if notary_left > 0:
                notary_left -= 1
                add_point(
                    county,
                    county.code,
                    f"{prefix}公证处",
                    "notary_office",
                    "county",
                    county.random_point(crng, near=seat, spread=0.015),
                    f"{prefix}公证大厦",
                )
            for n in range(2 if forensic_left > 0 else 0):
                if forensic_left <= 0:
                    break
                forensic_left -= 1
                label = ("司法鉴定所", "法医司法鉴定中心", "物证司法鉴定所")[n % 3]
                add_point(
                    county,
                    county.code,
                    f"{prefix}{crng.choice('正信同济华东明诚公信')}{label}",
                    "forensic_institution",
                    "county",
                    county.random_point(crng, near=seat, spread=0.02),
                    f"{prefix}{crng.randint(1, 99)}号楼",
                )
        # Suzhou's 75 studios: top up where fewer towns took one.
        while studios_left > 0:
            county = self.counties[studios_left % len(self.counties)]
            crng = _stable_rng(self.seed, "studio", studios_left)
            studios_left -= 1
            brand = STUDIO_BRANDS[studios_left % len(STUDIO_BRANDS)]
            add_point(
                county,
                county.code,
                f"{person_name(crng)}{brand}调解工作室",
                "mediation_studio",
                "county",
                county.random_point(crng),
                f"{county.name}人民调解中心",
            )
        while notary_left > 0:
            notary_left -= 1
            county = self.counties[notary_left % len(self.counties)]
            crng = _stable_rng(self.seed, "notary", notary_left)
            add_point(
                county,
                county.code,
                f"苏州市{('苏城', '姑苏', '新区', '园区')[notary_left % 4]}公证处",
                "notary_office",
                "county",
                county.random_point(crng),
                f"{county.name}公证服务中心",
            )
        while forensic_left > 0:
            forensic_left -= 1
            county = self.counties[forensic_left % len(self.counties)]
            crng = _stable_rng(self.seed, "forensic", forensic_left)
            add_point(
                county,
                county.code,
                f"苏州{('大学', '广济医院', '明诚')[forensic_left % 3]}司法鉴定中心",
                "forensic_institution",
                "county",
                county.random_point(crng),
                f"{county.name}",
            )
        self._orgs.load(orgs)
        self._points.load(points)
        self._cameras.load(cameras)
        self._points_by_county: dict[str, list[str]] = {}
        for p in points:
            self._points_by_county.setdefault(p["pointId"].split("-")[1], []).append(p["pointId"])
        self._point_ids = [p["pointId"] for p in points]

    # ---------------------------------------------------------------- templates

    def _build_templates(self) -> None:
        def item(n, text, kind, max_score=None, required=True):
            return {
                "itemId": f"I{n:02d}",
                "text": text,
                "kind": kind,
                "maxScore": max_score,
                "required": required,
            }

        self._templates = [
            {
                "templateId": "TPL-SFS-REMOTE",
                "name": "司法所规范化建设远程督查",
                "version": 3,
                "items": [
                    item(1, "窗口工作人员在岗在位、着装规范", "pass_fail"),
                    item(2, "公共法律服务标识、公示栏规范醒目", "pass_fail"),
                    item(3, "服务指南、办事流程上墙公开", "pass_fail"),
                    item(4, "接待登记台账完整", "score", 10),
                    item(5, "社区矫正报到室设施完好", "pass_fail"),
                    item(6, "环境整洁、秩序良好", "score", 10),
                    item(7, "其他发现", "text", None, False),
                ],
            },
            {
                "templateId": "TPL-STATION-PATROL",
                "name": "村（社区）公共法律服务工作室巡查",
                "version": 2,
                "items": [
                    item(1, "法律顾问按时值班", "pass_fail"),
                    item(2, "12348热线及二维码公示", "pass_fail"),
                    item(3, "法治宣传资料齐全", "score", 5),
                    item(4, "群众满意度", "score", 5),
                    item(5, "备注", "text", None, False),
                ],
            },
            {
                "templateId": "TPL-CORRECTION-ROLLCALL",
                "name": "社区矫正报到视频点验",
                "version": 1,
                "items": [
                    item(1, "矫正对象按时到场", "pass_fail"),
                    item(2, "身份核验一致", "pass_fail"),
                    item(3, "报到情况说明", "text"),
                ],
            },
        ]

    def _build_past_inspections(self, days: int = 30) -> None:
        """Inspections supervisors made over the last month: judicial offices with the
        office template, stations with the patrol one; a few failed items with findings
        and a rectification date, some of which have passed."""
        rng = _stable_rng(self.seed, "past-inspections")
        templates = {t["templateId"]: t for t in self._templates}
        offices = [p for p in self._points.items if p["type"] == "judicial_office"]
        stations = [p for p in self._points.items if p["type"] == "service_station"]
        inspectors = ("王建国", "李慧", "张敏", "陈志强", "周婷")
        findings_by_item = {
            "I01": "窗口人员离岗，未见值班人员",
            "I02": "公示栏信息未更新",
            "I03": "办事流程未上墙",
            "I05": "报到室设备故障",
        }
        per_day = max(2, round(3 * self._scale_factor()))
        for day in range(days, 0, -1):
            for _ in range(per_day):
                office = rng.random() < 0.6
                point = rng.choice(offices if office else stations)
                template = templates["TPL-SFS-REMOTE" if office else "TPL-STATION-PATROL"]
                started = (self._now - timedelta(days=day)).replace(
                    hour=rng.randint(9, 16), minute=rng.randint(0, 59), second=0, microsecond=0
                )
                finished = started + timedelta(minutes=rng.randint(6, 25))
                results, problems = [], []
                for item in template["items"]:
                    if item["kind"] == "pass_fail":
                        passed = rng.random() > 0.12
                        results.append(
                            {
                                "itemId": item["itemId"],
                                "passed": passed,
                                "score": None,
                                "text": None,
                            }
                        )
                        if not passed:
                            problems.append(
                                findings_by_item.get(item["itemId"], item["text"] + "不达标")
                            )
                    elif item["kind"] == "score":
                        score = item["maxScore"] - (rng.randint(1, 3) if rng.random() < 0.3 else 0)
                        results.append(
                            {"itemId": item["itemId"], "passed": None, "score": score, "text": None}
                        )
                    else:
                        results.append(
                            {"itemId": item["itemId"], "passed": None, "score": None, "text": ""}
                        )
                self._inspection_seq += 1
                self._inspections.replace(
                    {
                        "inspectionId": f"INS-{started:%Y%m%d}-{self._inspection_seq:05d}",
                        "pointId": point["pointId"],
                        "templateId": template["templateId"],
                        "templateVersion": template["version"],
                        "inspector": rng.choice(inspectors),
                        "startedAt": iso(started),
                        "finishedAt": iso(finished),
                        "results": results,
                        "findings": "；".join(problems),
                        "rectificationDue": (finished + timedelta(days=14)).date().isoformat()
                        if problems
                        else None,
                        "snapshots": [],
                        "updatedAt": iso(finished),
                        "deleted": False,
                    }
                )

    # ----------------------------------------------------------------- statistics

    def _county_share(self, code: str) -> float:
        county = self._county_by_code[code]
        total = sum(c.population_10k for c in self.counties)
        return (
            county.population_10k / total * (1 if self.scale == "city" else len(self.counties) / 10)
        )

    def _expected(self, bucket: datetime, county: str, category: str) -> float:
        local = bucket.astimezone(CST)
        profile = _HOTLINE_HOURS if category == "hotline_12348" else _OFFICE_HOURS
        weight = profile[local.hour] / sum(profile)
        factor = WEEKEND_FACTOR.get(category, WEEKEND_DEFAULT) if local.weekday() >= 5 else 1.0
        return DAILY_VOLUME[category] * self._county_share(county) * weight * factor

    def _hour_row(
        self, bucket: datetime, county: str, category: str, fraction: float = 1.0
    ) -> dict:
        rng = _stable_rng(self.seed, bucket.isoformat(), county, category)
        expected = self._expected(bucket, county, category) * self._spikes.get(
            (iso(bucket), county, category), 1.0
        )
        received = max(0, round(rng.gauss(expected, math.sqrt(expected) + 0.3) * fraction))
        close_rate = 0.96 if category in ("hotline_12348", "legal_consultation") else 0.8
        key = (county, category)
        backlog = self._pending.get(key, 0)
        # offices work through their backlog too, so it settles instead of growing
        closed = max(
            0,
            round(
                (received * close_rate + backlog * 0.03 * (expected > 0.5))
                * rng.uniform(0.85, 1.05)
            ),
        )
        closed = min(closed, backlog + received)
        pending = max(0, backlog + received - closed)
        return {
            "bucket": iso(bucket),
            "orgCode": county,
            "category": category,
            "received": received,
            "closed": closed,
            "pending": pending,
            "revision": 1,
        }

    def _build_history(self) -> None:
        now = self._now
        current_hour = now.replace(minute=0, second=0, microsecond=0)
        start = current_hour - timedelta(days=self.history_days)
        bucket = start
        while bucket <= current_hour:
            fraction = 1.0 if bucket < current_hour else (now - current_hour).total_seconds() / 3600
            for county in self.counties:
                for category in DAILY_VOLUME:
                    row = self._hour_row(bucket, county.code, category, fraction)
                    if bucket < current_hour:
                        self._pending[(county.code, category)] = row["pending"]
                    self._emit_hour(row, bucket, with_day=False)
            bucket += timedelta(hours=1)
        day = start.astimezone(CST).replace(hour=0)
        while day <= current_hour:
            for county in self.counties:
                for category in DAILY_VOLUME:
                    self._emit_day(day, county.code, category)
            day += timedelta(days=1)
        self._last_minute = now.replace(second=0, microsecond=0)
        # alerts of the last days, mostly closed by now
        t = now - timedelta(days=self.history_days)
        rng = random.Random(self.seed + 1)
        rate = self._alert_rate_per_min()
        while True:
            t += timedelta(minutes=rng.expovariate(rate))
            if t >= now:
                break
            self._new_alert(rng, t)
        self._run_transitions(now)

    def _emit_hour(self, row: dict, bucket: datetime, *, with_day: bool = True) -> None:
        key = (row["bucket"], row["orgCode"], row["category"])
        previous = self._hour_rows.get(key)
        if previous is not None:
            if all(previous[k] == row[k] for k in ("received", "closed", "pending")):
                return
            row = {**row, "revision": previous["revision"] + 1}
        self._hour_rows[key] = row
        self._stats["hour"].append(row, bucket)
        if with_day:
            self._emit_day(bucket.astimezone(CST).replace(hour=0), row["orgCode"], row["category"])

    def _emit_day(self, day: datetime, county: str, category: str) -> None:
        received = closed = 0
        pending = 0
        for h in range(24):
            row = self._hour_rows.get((iso(day + timedelta(hours=h)), county, category))
            if row is not None:
                received += row["received"]
                closed += row["closed"]
                pending = row["pending"]
        key = (iso(day), county, category)
        previous = self._day_rows.get(key)
        revision = previous["revision"] + 1 if previous else 1
        row = {
            "bucket": iso(day),
            "orgCode": county,
            "category": category,
            "received": received,
            "closed": closed,
            "pending": pending,
            "revision": revision,
        }
        if previous and all(previous[k] == row[k] for k in ("received", "closed", "pending")):
            return
        self._day_rows[key] = row
        self._stats["day"].append(row, day)

    # ---------------------------------------------------------------------- alerts

    def _alert_rate_per_min(self) -> float:
        # about one alert every three minutes in the city, more in the province
        return (1 / 3) * len(self._point_ids) / 2200

    def _new_alert(
        self,
        rng: random.Random,
        at: datetime,
        *,
        type_: str | None = None,
        severity: int | None = None,
        point_id: str | None = None,
        title: str | None = None,
    ) -> dict:
        if type_ is None:
            type_, _, severities = rng.choices(ALERT_TYPES, [w for _, w, _ in ALERT_TYPES])[0]
        else:
            severities = next((s for t, _, s in ALERT_TYPES if t == type_), (2,))
        severity = severity or rng.choice(severities)
        point = (
            self._points.get(point_id)
            if point_id
            else self._points.get(rng.choice(self._point_ids))
        )
        if point is None:
            raise NotFound(f"unknown pointId {point_id}")
        self._alert_seq += 1
        alert_id = f"AL-{at.astimezone(CST):%Y%m%d}-{self._alert_seq:06d}"
        lng, lat = point["lng"], point["lat"]
        if type_ in ("correction_geofence", "sos"):
            lng, lat = (
                round(lng + rng.uniform(-0.01, 0.01), 6),
                round(lat + rng.uniform(-0.01, 0.01), 6),
            )
        subject = person_name(rng)[0] + "某"
        generated_title, detail = {
            "correction_geofence": (
                f"社区矫正对象越界 · {point['name']}",
                f"矫正对象{subject}（电子定位）离开活动区域约 {rng.uniform(0.5, 5):.1f} 公里",
            ),
            "correction_checkin_missed": (
                f"社区矫正对象未按时报到 · {point['name']}",
                f"矫正对象{subject}超过规定时间 {rng.randint(1, 48)} 小时未报到",
            ),
            "device_offline": (f"视频设备离线 · {point['name']}", "监控通道连续 5 分钟无心跳"),
            "hotline_surge": ("12348热线来电激增", f"排队来电 {rng.randint(15, 60)} 个，超出阈值"),
            "dispute_escalation": (
                f"矛盾纠纷升级 · {point['name']}",
                f"{rng.choice(['邻里', '劳资', '婚姻家庭', '物业', '土地'])}纠纷有激化风险，当事人 {rng.randint(2, 30)} 人",
            ),
            "emergency": (f"突发事件 · {point['name']}", "现场报告突发情况，请求指挥中心关注"),
            "sos": (f"紧急求助 · {point['name']}", "工作人员触发一键求助"),
        }.get(type_, (f"{type_} · {point['name']}", ""))
        title = title if title is not None else generated_title
        alert = {
            "alertId": alert_id,
            "type": type_,
            "severity": severity,
            "pointId": point["pointId"],
            "lng": lng,
            "lat": lat,
            "coordSys": point["coordSys"],
            "occurredAt": iso(at),
            "title": title,
            "detail": detail,
            "status": "new",
            "ackBy": None,
            "ackAt": None,
            "updatedAt": iso(at),
        }
        self._alerts[alert_id] = alert
        self._alerts_log.append(alert, at)
        # other operators handle it over the following minutes
        ack_after = timedelta(minutes=rng.uniform(2, 15) if severity > 1 else rng.uniform(3, 10))
        heapq.heappush(self._transitions, (at + ack_after, self._alert_seq, alert_id, "acked"))
        heapq.heappush(
            self._transitions,
            (
                at + ack_after + timedelta(minutes=rng.uniform(10, 120)),
                self._alert_seq,
                alert_id,
                "closed",
            ),
        )
        return alert

    def _set_alert_status(
        self, alert_id: str, status: str, at: datetime, operator: str | None = None
    ) -> dict:
        alert = self._alerts[alert_id]
        if alert["status"] == "closed" or alert["status"] == status:
            return alert
        changed = {**alert, "status": status, "updatedAt": iso(at)}
        if status == "acked" or (status == "closed" and alert["ackBy"] is None):
            changed["ackBy"] = operator or OPERATORS[zlib.crc32(alert_id.encode()) % len(OPERATORS)]
            changed["ackAt"] = iso(at)
        self._alerts[alert_id] = changed
        self._alerts_log.append(changed, at)
        return changed

    def _run_transitions(self, now: datetime) -> None:
        while self._transitions and self._transitions[0][0] <= now:
            due, _, alert_id, status = heapq.heappop(self._transitions)
            self._set_alert_status(alert_id, status, due)

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
        rng = _stable_rng(self.seed, "minute", minute.isoformat())
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
            county = rng.choice(self.counties).code
            category = rng.choice(list(DAILY_VOLUME))
            bucket = hour - timedelta(hours=rng.randint(2, 47))
            key = (iso(bucket), county, category)
            row = self._hour_rows.get(key)
            if row is not None:
                corrected = {**row, "received": row["received"] + rng.randint(1, 3)}
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
        rng = _stable_rng(self.seed, "summary", minute)
        hour_weight = _HOTLINE_HOURS[now.hour] / max(_HOTLINE_HOURS)
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

    def alert(self, alert_id: str) -> dict | None:
        """The alert as the data center holds it now."""
        alert = self._alerts.get(alert_id)
        return dict(alert) if alert is not None else None

    def ack_alert(self, alert_id: str, operator: str, note: str) -> dict:
        if alert_id not in self._alerts:
            raise NotFound(f"unknown alertId {alert_id}")
        alert = self._alerts[alert_id]
        if alert["status"] != "new":
            return alert
        return self._set_alert_status(alert_id, "acked", self._now, operator=operator)

    def create_inspection(self, body: dict) -> str:
        record = self._validate_inspection(body)
        self._inspection_seq += 1
        inspection_id = f"INS-{self._now:%Y%m%d}-{self._inspection_seq:05d}"
        record["inspectionId"] = inspection_id
        record["updatedAt"] = iso(self._now)
        record["deleted"] = False
        self._inspections.replace(record)
        return inspection_id

    def _validate_inspection(self, body: object) -> dict:
        if not isinstance(body, dict):
            raise InvalidRequest("body", "must be a JSON object")
        point_id = body.get("pointId")
        if not isinstance(point_id, str) or self._points.get(point_id) is None:
            raise InvalidRequest("pointId", f"unknown service point {point_id!r}")
        template = next(
            (tpl for tpl in self._templates if tpl["templateId"] == body.get("templateId")), None
        )
        if template is None:
            raise InvalidRequest("templateId", f"unknown template {body.get('templateId')!r}")
        if body.get("templateVersion") != template["version"]:
            raise InvalidRequest(
                "templateVersion",
                f"must be {template['version']}, got {body.get('templateVersion')!r}",
            )
        if not isinstance(body.get("inspector"), str) or not body["inspector"].strip():
            raise InvalidRequest("inspector", "must be a non-empty string")
        times = {}
        for field in ("startedAt", "finishedAt"):
            try:
                times[field] = parse_iso(body.get(field))
            except (TypeError, ValueError):
                raise InvalidRequest(
                    field, f"must be an ISO 8601 time with offset, got {body.get(field)!r}"
                ) from None
        if times["finishedAt"] < times["startedAt"]:
            raise InvalidRequest("finishedAt", "is before startedAt")
        results = body.get("results")
        if not isinstance(results, list):
            raise InvalidRequest("results", "must be a list")
        items = {i["itemId"]: i for i in template["items"]}
        given = set()
        for n, result in enumerate(results):
            where = f"results[{n}]"
            if not isinstance(result, dict):
                raise InvalidRequest(where, "must be an object")
            item = items.get(result.get("itemId"))
            if item is None:
                raise InvalidRequest(f"{where}.itemId", f"unknown item {result.get('itemId')!r}")
            given.add(item["itemId"])
            passed, score, text = result.get("passed"), result.get("score"), result.get("text")
            if passed is not None and not isinstance(passed, bool):
                raise InvalidRequest(f"{where}.passed", "must be true, false or null")
            if score is not None and (isinstance(score, bool) or not isinstance(score, int)):
                raise InvalidRequest(f"{where}.score", "must be an integer or null")
            if text is not None and not isinstance(text, str):
                raise InvalidRequest(f"{where}.text", "must be a string or null")
            if item["kind"] == "pass_fail" and item["required"] and passed is None:
                raise InvalidRequest(
                    f"{where}.passed", f"item {item['itemId']} needs a pass or fail"
                )
            if item["kind"] == "score":
                if item["required"] and score is None:
                    raise InvalidRequest(f"{where}.score", f"item {item['itemId']} needs a score")
                if score is not None and not 0 <= score <= item["maxScore"]:
                    raise InvalidRequest(
                        f"{where}.score", f"must be between 0 and {item['maxScore']}, got {score}"
                    )
            if item["kind"] == "text" and item["required"] and not (text or "").strip():
                raise InvalidRequest(f"{where}.text", f"item {item['itemId']} needs a text")
        missing = [i for i in items.values() if i["required"] and i["itemId"] not in given]
        if missing:
            raise InvalidRequest("results", f"required item {missing[0]['itemId']} is missing")
        if not isinstance(body.get("findings", ""), str):
            raise InvalidRequest("findings", "must be a string")
        due = body.get("rectificationDue")
        if due is not None:
            try:
                date.fromisoformat(due)
            except (TypeError, ValueError):
                raise InvalidRequest(
                    "rectificationDue", f"must be a date like 2026-12-01, got {due!r}"
                ) from None
        snapshots = body.get("snapshots") or []
        if not isinstance(snapshots, list):
            raise InvalidRequest("snapshots", "must be a list")
        kept = []
        for n, snap in enumerate(snapshots):
            where = f"snapshots[{n}]"
            if not isinstance(snap, dict) or not isinstance(snap.get("jpegBase64"), str):
                raise InvalidRequest(f"{where}.jpegBase64", "must be a base64 string")
            try:
                data = base64.b64decode(snap["jpegBase64"], validate=True)
            except (binascii.Error, ValueError):
                raise InvalidRequest(f"{where}.jpegBase64", "is not valid base64") from None
            if not data.startswith(b"\xff\xd8"):
                raise InvalidRequest(f"{where}.jpegBase64", "is not a JPEG image")
            kept.append(
                {
                    "cameraId": snap.get("cameraId"),
                    "capturedAt": snap.get("capturedAt"),
                    "bytes": len(data),
                }
            )
        return {
            "pointId": point_id,
            "templateId": template["templateId"],
            "templateVersion": template["version"],
            "inspector": body["inspector"],
            "startedAt": body["startedAt"],
            "finishedAt": body["finishedAt"],
            "results": results,
            "findings": body.get("findings", ""),
            "rectificationDue": due,
            "snapshots": kept,
        }

    # meetings ----------------------------------------------------------------------

    def create_meeting(self, body: dict) -> dict:
        if not isinstance(body, dict):
            raise InvalidRequest("body", "must be a JSON object")
        title = body.get("title")
        if not isinstance(title, str) or not title.strip():
            raise InvalidRequest("title", "must be a non-empty string")
        host = body.get("hostPointId")
        if not isinstance(host, str) or self._points.get(host) is None:
            raise InvalidRequest("hostPointId", f"unknown service point {host!r}")
        participants = self._check_participants(body.get("participants"), "participants")
        if len(participants) > contract.MAX_MEETING_PARTICIPANTS:
            raise InvalidRequest(
                "participants",
                f"at most {contract.MAX_MEETING_PARTICIPANTS} participants, got {len(participants)}",
            )
        start_at = body.get("startAt")
        if start_at is not None:
            try:
                start = parse_iso(start_at)
            except (TypeError, ValueError):
                raise InvalidRequest(
                    "startAt", f"must be an ISO 8601 time or null, got {start_at!r}"
                ) from None
        else:
            start = self._now
        self._meeting_seq += 1
        meeting_id = f"MT-{self._now:%Y%m%d}-{self._meeting_seq:04d}"
        meeting = {
            "meetingId": meeting_id,
            "title": title,
            "hostPointId": host,
            "startAt": iso(start),
            "ended": None,
            "invites": {},
        }
        for point_id in participants:
            meeting["invites"][point_id] = self._invite(meeting_id, point_id, max(start, self._now))
        self._meetings[meeting_id] = meeting
        return self.get_meeting(meeting_id)

    def _check_participants(self, value: object, field: str) -> list[str]:
        if not isinstance(value, list):
            raise InvalidRequest(field, "must be a list of pointIds")
        out = []
        for n, point_id in enumerate(value):
            if not isinstance(point_id, str) or self._points.get(point_id) is None:
                raise InvalidRequest(f"{field}[{n}]", f"unknown service point {point_id!r}")
            if point_id not in out:
                out.append(point_id)
        return out

    def _invite(self, meeting_id: str, point_id: str, at: datetime) -> dict:
        rng = _stable_rng(self.seed, meeting_id, point_id)
        ringing = at + timedelta(seconds=rng.uniform(1, 3))
        answer = ringing + timedelta(seconds=rng.uniform(2, 8))
        declined = rng.random() < 0.08
        leaves = answer + timedelta(seconds=rng.uniform(120, 900)) if rng.random() < 0.1 else None
        return {
            "invited": at,
            "ringing": ringing,
            "answer": answer,
            "declined": declined,
            "leaves": leaves,
            "removed": None,
        }

    def _participant_state(self, invite: dict, now: datetime) -> str:
        if invite["removed"] is not None and now >= invite["removed"]:
            return "left"
        if now < invite["ringing"]:
            return "invited"
        if now < invite["answer"]:
            return "ringing"
        if invite["declined"]:
            return "declined"
        if invite["leaves"] is not None and now >= invite["leaves"]:
            return "left"
        return "joined"

    def get_meeting(self, meeting_id: str) -> dict:
        meeting = self._meetings.get(meeting_id)
        if meeting is None:
            raise NotFound(f"unknown meetingId {meeting_id}")
        now = self._now
        if meeting["ended"] is not None:
            status = "ended"
        elif parse_iso(meeting["startAt"]) > now:
            status = "scheduled"
        else:
            status = "live"
        end = meeting["ended"] or now
        participants = [
            {
                "pointId": pid,
                "state": "left"
                if meeting["ended"] and self._participant_state(inv, end) == "joined"
                else self._participant_state(inv, min(now, end)),
            }
            for pid, inv in meeting["invites"].items()
        ]
        return {
            "meetingId": meeting_id,
            "title": meeting["title"],
            "hostPointId": meeting["hostPointId"],
            "startAt": meeting["startAt"],
            "status": status,
            "mixUrl": f"{self.stream_base_url}{self.mix_stream_path(meeting_id)}",
            "participants": participants,
        }

    def mix_stream_path(self, meeting_id: str) -> str:
        return f"/video/mix/{meeting_id}"

    def update_participants(self, meeting_id: str, add: list[str], remove: list[str]) -> dict:
        meeting = self._meetings.get(meeting_id)
        if meeting is None:
            raise NotFound(f"unknown meetingId {meeting_id}")
        if meeting["ended"] is not None:
            raise Conflict("the meeting has ended")
        add = self._check_participants(add or [], "add")
        remove = self._check_participants(remove or [], "remove")
        active = [p for p, inv in meeting["invites"].items() if inv["removed"] is None]
        after = len(set(active) - set(remove) | set(add))
        if after > contract.MAX_MEETING_PARTICIPANTS:
            raise InvalidRequest(
                "add", f"at most {contract.MAX_MEETING_PARTICIPANTS} participants, would be {after}"
            )
        for point_id in remove:
            if point_id in meeting["invites"]:
                meeting["invites"][point_id]["removed"] = self._now
        for point_id in add:
            invite = meeting["invites"].get(point_id)
            if invite is None or invite["removed"] is not None:
                meeting["invites"][point_id] = self._invite(
                    meeting_id, f"{point_id}@{self._now}", self._now
                )
        return self.get_meeting(meeting_id)

    def end_meeting(self, meeting_id: str) -> dict:
        meeting = self._meetings.get(meeting_id)
        if meeting is None:
            raise NotFound(f"unknown meetingId {meeting_id}")
        if meeting["ended"] is None:
            meeting["ended"] = self._now
        return self.get_meeting(meeting_id)

    def ptz(self, camera_id: str, action: str, speed: int) -> None:
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

    def inject_alert(
        self,
        *,
        type: str = "sos",
        severity: int = 1,
        point_id: str | None = None,
        title: str | None = None,
    ) -> dict:
        """A new alert now; `title` replaces the one made up from its type and place."""
        rng = _stable_rng(self.seed, "inject", self._alert_seq)
        return self._new_alert(
            rng, self._now, type_=type, severity=severity, point_id=point_id, title=title
        )

    def add_template(self, template: dict) -> None:
        """Offer one more inspection template (as given: tests offer kinds of item the
        contract does not list, as a newer data center would)."""
        self._templates = [
            *(t for t in self._templates if t["templateId"] != template["templateId"]),
            template,
        ]

    def rename_point(self, point_id: str, name: str) -> dict:
        """The point's name changes (to anything: hostile names are tested with it)."""
        point = self._points.get(point_id)
        if point is None or point.get("deleted"):
            raise NotFound(f"unknown pointId {point_id}")
        return self._change_point(point, name=name, at=self._now)

    def inject_stat_spike(self, *, org_code: str, category: str, factor: float = 6.0) -> None:
        if org_code not in self._county_by_code:
            raise InvalidRequest("orgCode", f"unknown county {org_code!r}")
        if category not in DAILY_VOLUME:
            raise InvalidRequest("category", f"unknown category {category!r}")
        hour = self._now.replace(minute=0, second=0, microsecond=0)
        self._spikes[(iso(hour), org_code, category)] = factor
        fraction = max(0.02, (self._now - hour).total_seconds() / 3600)
        row = self._hour_row(hour, org_code, category, fraction)
        # a spike is visible even right at the start of an hour
        row["received"] = max(
            row["received"], round(self._expected(hour, org_code, category) * factor) + 5
        )
        self._emit_hour(row, hour)

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
