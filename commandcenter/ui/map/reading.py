"""What the map shows, read off the GUI thread: the page's rows of the service points
and their worst open alerts, made for the points a change names or, when the keys are
not known or are most of the map, for every point."""

from __future__ import annotations

import json
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from commandcenter.domain.case_figures import bureau_midnight
from commandcenter.domain.geography import county_code
from commandcenter.domain.map_analysis import case_heat, cases_by_county, county_figures_today
from commandcenter.map.page import to_base
from commandcenter.store import ChangeEvent

# A change of more than this share of the points on the map is read whole: a keyed
# read would make most of the rows anyway.
KEYED_MAX_SHARE = 0.5


def marker_row(point, base) -> list | None:
    """The page's row of a point, in the base layer's system: [id, lat, lng, type, level,
    county, status, name]; None when its coordinate system is one we do not know."""
    position = to_base(point.lng, point.lat, point.coord_sys, base)
    if position is None:
        return None
    lng, lat = position
    return [
        point.point_id,
        round(lat, 6),
        round(lng, 6),
        point.type,
        point.level,
        county_code(point.org_code),
        point.status,
        point.name,
    ]


class PointRows(NamedTuple):
    """The points part of a read."""

    rows: dict[str, list]
    points: dict
    unplaced_ids: frozenset[str]
    names: list[str]
    changed: frozenset[str] | None  # the points whose rows changed; None: read whole


@dataclass
class MapState:
    """What the worker read: the rows for the page, in the base layer's system.

    A state read by keys shares what did not change with the state before it (`since`)
    and names in `changed` the points whose rows differ from that one's; a state read
    whole has `changed` None. Neither is modified once handed to the GUI thread.
    """

    rows: dict[str, list]  # point id -> [id, lat, lng, type, level, county, status, name]
    alerts: list[list]  # [point id, lat, lng, severity, title] of the worst open alert per point
    points: dict = field(default_factory=dict)  # point id -> ServicePoint
    open_alerts: dict = field(default_factory=dict)  # point id -> [Alert]
    by_status: Counter = field(default_factory=Counter)
    unplaced_ids: frozenset[str] = frozenset()  # points in a coordinate system we do not know
    names: list[str] = field(default_factory=list)  # the placed points' names, sorted
    county_stats: dict[str, dict[str, float]] = field(
        default_factory=dict
    )  # adcode -> indicator -> value
    case_heat: list[list] = field(default_factory=list)  # [lat, lng, weight] for the heat of cases
    case_heat_spec: tuple[str, int] | None = None  # (category, hours) it was read for
    serial: int = 0
    since: int | None = None  # the serial of the state `changed` counts from
    changed: frozenset[str] | None = None  # point ids whose rows changed since; None: any
    # those rows and removals as the page's update takes them (JSON), made by the reader
    page_update: str | None = None

    @property
    def unplaced(self) -> int:
        return len(self.unplaced_ids)


class MapReading:
    """The map panel's reading: the keys of the changes noted on the GUI thread, the
    state read from them on the reader's thread. Mixed into the panel, whose console,
    base layer and analysis choices it reads."""

    console: Any
    base: Any
    _heat_spec: tuple[str, int] | None
    _county_stats_wanted: bool

    def _start_reading(self) -> None:
        # What changed since the last read, noted on the GUI thread and taken by the
        # reader's thread: the points' ids (None: unknown, read them all) and whether any
        # alert did. The reader's own last state is what the next read counts from.
        self._changes_lock = threading.Lock()
        self._changed_points: set[str] | None = None
        self._alerts_changed = True
        self._read_state: MapState | None = None
        self._serial = 0

    def note_change(self, event: ChangeEvent) -> None:
        """Keep the keys of a change for the next read (on the GUI thread)."""
        if event.kind == "service_points":
            with self._changes_lock:
                if event.keys is None:
                    self._changed_points = None
                elif self._changed_points is not None:
                    self._changed_points |= event.keys
        elif event.kind == "alerts":
            with self._changes_lock:
                self._alerts_changed = True

    def read_everything(self) -> None:
        """Read every point at the next read, as if all had changed."""
        self.note_change(ChangeEvent("service_points"))

    def read(self) -> MapState:
        with self._changes_lock:
            points_changed, self._changed_points = self._changed_points, set()
            alerts_changed, self._alerts_changed = self._alerts_changed, False
        try:
            state = self._read(points_changed, alerts_changed)
        except BaseException:
            with self._changes_lock:  # read again next time: no change is lost
                if points_changed is None:
                    self._changed_points = None
                elif self._changed_points is not None:
                    self._changed_points |= points_changed
                self._alerts_changed |= alerts_changed
            raise
        self._read_state = state
        return state

    def _read(self, points_changed: set[str] | None, alerts_changed: bool) -> MapState:
        previous = self._read_state
        self._serial += 1
        if (
            previous is None
            or points_changed is None
            or len(points_changed) > KEYED_MAX_SHARE * len(previous.rows)
        ):
            read, since = self._read_all_points(), None
        else:
            read, since = self._read_points(previous, points_changed), previous.serial
        rows, points, changed = read.rows, read.points, read.changed
        page_update = None
        if changed:
            change = {
                "upsert": [rows[point_id] for point_id in changed if point_id in rows],
                "remove": [point_id for point_id in changed if point_id not in rows],
            }
            page_update = json.dumps(change, ensure_ascii=False)
        if changed is None or previous is None or points_changed is None:
            by_status = Counter(p.status for p in points.values())
        else:  # the keyed path: a previous state and the keys read against it
            by_status = Counter(previous.by_status)
            for point_id in points_changed:
                if (old := previous.points.get(point_id)) is not None:
                    by_status[old.status] -= 1
                if (new := points.get(point_id)) is not None:
                    by_status[new.status] += 1
            by_status = +by_status  # a status no point has any more is gone, as in a full count
        if (
            alerts_changed
            or changed is None
            or previous is None
            or any(point_id in previous.open_alerts for point_id in changed)
        ):
            open_alerts, alert_rows = self._read_alerts(rows, points)
        else:  # neither the alerts nor the points they are drawn at changed
            open_alerts, alert_rows = previous.open_alerts, previous.alerts
        heat_spec = self._heat_spec
        # today's case figures only while a county layer shows them: a read runs on every change
        county_stats = self._county_stats_today() if self._county_stats_wanted else {}
        return MapState(
            rows,
            alert_rows,
            points=points,
            open_alerts=open_alerts,
            by_status=by_status,
            unplaced_ids=read.unplaced_ids,
            names=read.names,
            county_stats=county_stats,
            case_heat=self._case_heat(heat_spec, rows) if heat_spec else [],
            case_heat_spec=heat_spec,
            serial=self._serial,
            since=since,
            changed=changed,
            page_update=page_update,
        )

    def _read_all_points(self) -> PointRows:
        """Rows for every point not deleted, in id order."""
        base = self.base
        rows, points, unplaced = {}, {}, set()
        for point in self.console.snapshots.points.active():
            row = marker_row(point, base)
            if row is None:
                unplaced.add(point.point_id)
                continue
            rows[point.point_id] = row
            points[point.point_id] = point
        names = sorted({p.name for p in points.values()})
        return PointRows(rows, points, frozenset(unplaced), names, None)

    def _read_points(self, previous: MapState, point_ids: set[str]) -> PointRows:
        """Rows for these points only, over the previous state's (shared when none changed)."""
        if not point_ids:
            return PointRows(
                previous.rows, previous.points, previous.unplaced_ids, previous.names, frozenset()
            )
        base = self.base
        records = self.console.snapshots.points.by_key()
        rows, points = dict(previous.rows), dict(previous.points)
        unplaced = set(previous.unplaced_ids)
        changed, names_changed = set(), False
        for point_id in point_ids:
            point = records.get(point_id)
            old = points.pop(point_id, None)
            unplaced.discard(point_id)
            row = None if point is None or point.deleted else marker_row(point, base)
            if point is None or row is None:
                if point is not None and not point.deleted:
                    unplaced.add(point_id)
                if rows.pop(point_id, None) is not None:
                    changed.add(point_id)
                names_changed |= old is not None
                continue
            points[point_id] = point
            if rows.get(point_id) != row:
                rows[point_id] = row
                changed.add(point_id)
            names_changed |= old is None or old.name != point.name
        names = sorted({p.name for p in points.values()}) if names_changed else previous.names
        return PointRows(rows, points, frozenset(unplaced), names, frozenset(changed))

    def _read_alerts(self, rows: dict[str, list], points: dict) -> tuple[dict, list[list]]:
        """The open alerts by point, and the row of each placed point's worst one."""
        open_alerts: dict[str, list] = {}
        for alert in self.console.snapshots.alerts.open():
            if alert.point_id:
                open_alerts.setdefault(alert.point_id, []).append(alert)
        alert_rows = []
        for point_id, alerts in open_alerts.items():
            row = rows.get(point_id)
            if row is None:
                continue
            worst = min(alerts, key=lambda a: a.severity)
            alert_rows.append(
                [
                    point_id,
                    row[1],
                    row[2],
                    worst.severity,
                    f"{points[point_id].name} · {worst.title}",
                ]
            )
        alert_rows.sort()
        return open_alerts, alert_rows

    def _case_heat(self, spec: tuple[str, int], rows: dict[str, list]) -> list[list]:
        """The heat of a category's cases over the window (domain/map_analysis.py)."""
        category, hours = spec
        now = datetime.now(UTC)
        history = self.console.case_history
        history.refresh()
        figures = history.figures(since=now - timedelta(hours=hours))
        return case_heat(cases_by_county(figures, now, hours, category), rows.values(), category)

    def _county_stats_today(self) -> dict[str, dict[str, float]]:
        """Per county today: cases received and the backlog (domain/map_analysis.py)."""
        now = datetime.now(UTC)
        history = self.console.case_history
        history.refresh()
        return county_figures_today(history.figures(since=bureau_midnight(now)), now)
