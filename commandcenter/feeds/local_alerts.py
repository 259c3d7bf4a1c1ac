"""Alerts the client raises itself, where the feeds run: unusual hours of the case
statistics, and rectifications falling due.

They must reach the duty officer whether or not anybody has the statistics or the
supervision open, so they are judged beside the feeds (in the collector process, or
wherever `Runtime.start()` runs them), not in a panel: each time the data they
depend on is stored, and every few minutes for the passing of time. Each alert's id
depends only on what it is about, so judging again never raises it twice, and an
acknowledged one stays acknowledged. Local alerts are never sent to the data center.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from commandcenter.domain import anomaly, contract
from commandcenter.domain.geography import county_name
from commandcenter.domain.inspection import RECTIFICATION_ALERT_TYPE, rectification_state
from commandcenter.domain.records import Alert
from commandcenter.domain.timefmt import CHINA_STANDARD_TIME
from commandcenter.store import ChangeEvent, Store
from commandcenter.store.case_history import CaseHistory

log = logging.getLogger(__name__)

SETTLE_S = 0.5  # a poll writes in a few batches: judge once they are all in
RAISE_WITHIN = timedelta(hours=24)  # older unusual hours are marked on the chart, not raised
RECTIFICATION_SEVERITY = 3


class LocalAlertWatch:
    """Judges again when a kind of data it depends on changes, and every `every_s`."""

    kinds: tuple[str, ...] = ()
    every_s = 300.0

    def __init__(self, store: Store, *, clock: Callable[[], datetime] | None = None):
        self.store = store
        self._clock = clock or (lambda: datetime.now(UTC))
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._unsubscribe: Callable[[], None] | None = None

    def check(self) -> list[Alert]:
        """Write and return the alerts not raised before."""
        raise NotImplementedError

    def _raise(self, alerts: list[Alert], since: datetime) -> list[Alert]:
        if not alerts:
            return []
        known = {a.alert_id for a in self.store.alerts(since=since)}
        fresh = [a for a in alerts if a.alert_id not in known]
        if fresh:
            self.store.upsert_alerts(fresh)  # the store tells the alert list and the map
            log.info("%s raised %d alerts", type(self).__name__, len(fresh))
        return fresh

    def start(self) -> None:
        """Start judging: now, and at each change of the kinds watched."""
        self._stop.clear()  # started again when a collector takes the lead again
        self._unsubscribe = self.store.subscribe(self._on_change)
        self._thread = threading.Thread(target=self._run, name=type(self).__name__, daemon=True)
        self._thread.start()
        self._wake.set()  # judge what is stored already

    def stop(self, timeout: float = 5.0) -> None:
        """Stop judging and wait for the thread."""
        if self._unsubscribe is not None:
            self._unsubscribe()
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _on_change(self, event: ChangeEvent) -> None:
        if event.kind in self.kinds:
            self._wake.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.every_s)
            if self._stop.wait(SETTLE_S):
                return
            self._wake.clear()
            try:
                self.check()
            except Exception:  # a bad moment of the store must not end the watch for the day
                log.exception("%s could not judge", type(self).__name__)


def spike_alert(spike: anomaly.Anomaly) -> Alert:
    """The alert for an unusual hour, worded like the data center's own (in Chinese)."""
    category = contract.label(contract.CASE_CATEGORY_LABELS, spike.category, "zh_CN")
    against = "前几周同一星期几" if spike.compared_with == "weeks" else "前几天"
    return Alert(
        anomaly.spike_alert_id(spike),
        anomaly.SPIKE_ALERT_TYPE,
        anomaly.SPIKE_SEVERITY,
        None,
        None,
        None,
        None,
        None,
        None,
        spike.bucket,
        f"{county_name(spike.org_code, 'zh_CN')} {category}异常 · {spike.received} 件（通常 {spike.usual:g}）",
        f"z = {spike.z:g}；与{against}的同一小时比较",
        "new",
        None,
        None,
        spike.bucket,
    )


class SpikeWatch(LocalAlertWatch):
    """Each time new hourly figures are stored, the hours of the last day are judged again."""

    kinds = ("case_stats",)

    def __init__(self, store: Store, *, clock: Callable[[], datetime] | None = None):
        super().__init__(store, clock=clock)
        # the last day, and the four weeks and a day its hours are compared with
        self.history = CaseHistory(
            store,
            days=(RAISE_WITHIN + timedelta(weeks=anomaly.WEEKS, days=1)).days + 1,
            clock=self._clock,
        )

    def check(self) -> list[Alert]:
        """Raise an alert for each unusual hour of the last day not raised before."""
        now = self._clock()
        self.history.refresh()
        since = now - RAISE_WITHIN
        figures = self.history.figures(since=since - timedelta(weeks=anomaly.WEEKS, hours=1))
        spikes = [
            s
            for category in figures.categories
            for s in anomaly.find_spikes(figures, category, since, now)
        ]
        if not spikes:
            return []
        return self._raise([spike_alert(s) for s in spikes], min(s.bucket for s in spikes))


class RectificationReminders(LocalAlertWatch):
    """On the day a rectification falls due, and once it is overdue, a reminder each
    (until it is closed). The bureau's day: China Standard Time."""

    kinds = ("inspections",)

    def check(self) -> list[Alert]:
        """Raise today's reminders of rectifications due today or overdue."""
        now = self._clock()
        today = now.astimezone(CHINA_STANDARD_TIME).date()
        closed = self.store.closed_rectifications()
        points = {p.point_id: p for p in self.store.service_points(include_deleted=True)}
        alerts = []
        for inspection in self.store.inspections():
            state = rectification_state(
                inspection.rectification_due, inspection.inspection_id in closed, today
            )
            due = inspection.rectification_due
            if due is None or state not in ("due_today", "overdue"):
                continue
            point = points.get(inspection.point_id)
            name = point.name if point else inspection.point_id
            words = "今日到期" if state == "due_today" else f"已逾期（{due:%m月%d日}到期）"
            alerts.append(
                Alert(
                    f"{anomaly.LOCAL_ALERT_PREFIX}RECTIFY-{inspection.inspection_id}-{state}",
                    RECTIFICATION_ALERT_TYPE,
                    RECTIFICATION_SEVERITY,
                    inspection.point_id,
                    point.lng if point else None,
                    point.lat if point else None,
                    point.coord_sys if point else None,
                    point.lng_wgs84 if point else None,
                    point.lat_wgs84 if point else None,
                    _day_start(due),
                    f"{name} 整改{words}",
                    f"督查 {inspection.inspection_id}（{inspection.inspector}）：{inspection.findings[:120]}",
                    "new",
                    None,
                    None,
                    now,
                )
            )
        return self._raise(alerts, now - timedelta(days=400))


def _day_start(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=CHINA_STANDARD_TIME)
