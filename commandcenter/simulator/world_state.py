"""What the parts of the simulated world share: the state World sets up, which its parts
(network, cases, alerts, inspections, meetings) read and change, and what one part asks
of another. Declarations only: World assigns every one of them."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from commandcenter.simulator.places import CountyArea
from commandcenter.simulator.storage import Collection, CursorLog


class WorldState:
    """The world's state, as each of its parts sees it."""

    seed: int
    scale: str
    dirty: bool
    clock: Callable[[], datetime]
    history_days: int
    lock: threading.RLock
    stream_base_url: str
    dirty_records: list[tuple[str, str | None, str]]
    random_alerts: bool
    started_at: datetime
    counties: list[CountyArea]
    _rng: random.Random
    _now: datetime
    _county_by_code: dict[str, CountyArea]
    _orgs: Collection
    _points: Collection
    _point_ids: list[str]
    _cameras: Collection
    _inspections: Collection
    _stats: dict[str, CursorLog]
    _alerts_log: CursorLog
    _alerts: dict[str, dict]
    _transitions: list[tuple[datetime, int, str, str]]  # (due, n, alertId, status)
    _meetings: dict[str, dict]
    _hour_rows: dict[tuple[str, str, str], dict]  # (bucketIso, county, category)
    _day_rows: dict[tuple[str, str, str], dict]
    _pending: dict[tuple[str, str], int]
    _last_minute: datetime | None
    _alert_seq: int
    _meeting_seq: int
    _inspection_seq: int
    _spikes: dict[tuple[str, str, str], float]
    _summary_cache: tuple[str, dict] | None

    if TYPE_CHECKING:
        # one part's work that another asks for

        def _alert_rate_per_min(self) -> float: ...

        def _new_alert(
            self,
            rng: random.Random,
            at: datetime,
            *,
            type_: str | None = None,
            severity: int | None = None,
            point_id: str | None = None,
            title: str | None = None,
        ) -> dict: ...

        def _run_transitions(self, now: datetime) -> None: ...

        def _scale_factor(self) -> float: ...
