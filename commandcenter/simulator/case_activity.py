"""The bureau's case statistics: the expected volume of each category by county and hour,
the history the world starts with, and each hour's rows as the day goes on."""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta

from commandcenter.simulator.errors import InvalidRequest
from commandcenter.simulator.storage import (
    CST,
    iso,
    stable_rng,
)
from commandcenter.simulator.world_state import WorldState

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
OFFICE_HOURS = [
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


HOTLINE_HOURS = [
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


class CaseActivity(WorldState):
    """Case statistics by hour and day, and their spikes (part of World)."""

    def _county_share(self, code: str) -> float:
        county = self._county_by_code[code]
        total = sum(c.population_10k for c in self.counties)
        return (
            county.population_10k / total * (1 if self.scale == "city" else len(self.counties) / 10)
        )

    def _expected(self, bucket: datetime, county: str, category: str) -> float:
        local = bucket.astimezone(CST)
        profile = HOTLINE_HOURS if category == "hotline_12348" else OFFICE_HOURS
        weight = profile[local.hour] / sum(profile)
        factor = WEEKEND_FACTOR.get(category, WEEKEND_DEFAULT) if local.weekday() >= 5 else 1.0
        return DAILY_VOLUME[category] * self._county_share(county) * weight * factor

    def _hour_row(
        self, bucket: datetime, county: str, category: str, fraction: float = 1.0
    ) -> dict:
        rng = stable_rng(self.seed, bucket.isoformat(), county, category)
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
