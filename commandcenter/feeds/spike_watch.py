"""Local alerts for unusual hours of the case statistics, raised where the feeds run.

An unusual hour (domain.anomaly) must reach the duty officer whether or not anybody
has the statistics open, so the check runs beside the feeds (in the collector
process, or wherever `Runtime.start()` runs them), not in a panel: each time new
hourly figures are stored, the hours of the last day are judged again and each
unusual one is written once as a local alert. Its id depends only on the hour,
county and category, so reading the same spike again never raises it twice, and an
acknowledged one stays acknowledged. Local alerts are never sent to the data center.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from commandcenter.domain import anomaly, contract
from commandcenter.domain.geography import county_name
from commandcenter.domain.records import Alert
from commandcenter.store import ChangeEvent, Store
from commandcenter.store.case_history import CaseHistory

log = logging.getLogger(__name__)

RAISE_WITHIN = timedelta(hours=24)  # older unusual hours are marked on the chart, not raised
SETTLE_S = 0.5  # a poll writes in a few batches: judge once they are all in


def spike_alert(spike: anomaly.Anomaly) -> Alert:
    """The alert for an unusual hour, worded like the data center's own (in Chinese)."""
    category = contract.label(contract.CASE_CATEGORY_LABELS, spike.category, "zh_CN")
    against = "前几周同一星期几" if spike.compared_with == "weeks" else "前几天"
    return Alert(anomaly.spike_alert_id(spike), anomaly.SPIKE_ALERT_TYPE, anomaly.SPIKE_SEVERITY, None,
                 None, None, None, None, None, spike.bucket,
                 f"{county_name(spike.org_code, 'zh_CN')} {category}异常 · {spike.received} 件（通常 {spike.usual:g}）",
                 f"z = {spike.z:g}；与{against}的同一小时比较", "new", None, None, spike.bucket)


class SpikeWatch:
    def __init__(self, store: Store, *, clock: Callable[[], datetime] | None = None):
        self.store = store
        self._clock = clock or (lambda: datetime.now(UTC))
        # the last day, and the four weeks and a day its hours are compared with
        self.history = CaseHistory(store, days=(RAISE_WITHIN + timedelta(weeks=anomaly.WEEKS, days=1)).days + 1,
                                   clock=self._clock)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._unsubscribe: Callable[[], None] | None = None

    def check(self) -> list[Alert]:
        """Judge the hours of the last day; write and return the alerts not raised before."""
        now = self._clock()
        self.history.refresh()
        since = now - RAISE_WITHIN
        figures = self.history.figures(since=since - timedelta(weeks=anomaly.WEEKS, hours=1))
        spikes = [s for category in figures.categories for s in anomaly.find_spikes(figures, category, since, now)]
        if not spikes:
            return []
        known = {a.alert_id for a in self.store.alerts(since=min(s.bucket for s in spikes))}
        fresh = [spike_alert(s) for s in spikes if anomaly.spike_alert_id(s) not in known]
        if fresh:
            self.store.upsert_alerts(fresh)  # the store tells the alert list and the map
            log.info("raised %d unusual hours of the case statistics", len(fresh))
        return fresh

    def start(self) -> None:
        self._unsubscribe = self.store.subscribe(self._on_change)
        self._thread = threading.Thread(target=self._run, name="spike-watch", daemon=True)
        self._thread.start()
        self._wake.set()  # judge what is stored already

    def stop(self, timeout: float = 5.0) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _on_change(self, event: ChangeEvent) -> None:
        if event.kind == "case_stats":
            self._wake.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait()
            if self._stop.wait(SETTLE_S):
                return
            self._wake.clear()
            try:
                self.check()
            except Exception:  # a bad moment of the store must not end the watch for the day
                log.exception("could not judge the case statistics for unusual hours")
