"""The service-point network the world is built on: the city's (or province's) organisations,
service points of every kind in each county, and their cameras."""

from __future__ import annotations

from datetime import timedelta

from commandcenter.domain.coords import gcj02_to_wgs84
from commandcenter.domain.geography import CITY_CENTER_GCJ02, CITY_CODE, CITY_NAME
from commandcenter.simulator.places import (
    STUDIO_BRANDS,
    CountyArea,
    person_name,
    town_names,
    village_name,
)
from commandcenter.simulator.storage import (
    iso,
    stable_rng,
)
from commandcenter.simulator.world_state import WorldState

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


class ServiceNetwork(WorldState):
    """Builds the world's organisations, service points and cameras (part of World)."""

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
            prng = stable_rng(self.seed, point_id)
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
            crng = stable_rng(self.seed, county.code)
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
            crng = stable_rng(self.seed, "studio", studios_left)
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
            crng = stable_rng(self.seed, "notary", notary_left)
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
            crng = stable_rng(self.seed, "forensic", forensic_left)
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
