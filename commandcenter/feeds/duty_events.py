"""The duty log's entries the feeds write by themselves: a critical alert that arrived,
or that the data center reports acknowledged or closed, and a feed that went down or
came back. Written on the polling side only (the one leading collector on a shared
store), each event once: the store's event key refuses a second entry for it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from commandcenter.domain.duty import CRITICAL_SEVERITY
from commandcenter.domain.records import Alert, FeedHealthSample
from commandcenter.store import Store
from commandcenter.store.scope import alert_county

# A first sync brings months of alerts: only those of the last day are news for the log.
RECENT = timedelta(hours=24)
STATUS_EVENTS = {"acked": "acknowledged", "closed": "closed"}


DOWN_AFTER_FAILURES = 3


class DutyEvents:
    """The feeds' writer of alerts and recorder of health that log notable events too."""

    def __init__(self, store: Store, labels: dict[str, str] | None = None):
        self.store = store
        self.labels = labels or {}
        self._failures: dict[str, int] = {}  # failed polls in a row, by feed

    def store_alerts(self, alerts: Iterable[Alert]) -> set[str]:
        """Keep the alerts (Store.upsert_alerts) and, in the same transaction, log the
        critical ones' arrival and their acknowledgement or closing; the ids changed."""
        alerts = list(alerts)
        cutoff = datetime.now(UTC) - RECENT
        with self.store.unit_of_work() as work:
            changed = self.store.upsert_alerts(alerts, work=work)
            critical = {
                a.alert_id: a
                for a in alerts
                if a.alert_id in changed
                and a.severity == CRITICAL_SEVERITY
                and a.occurred_at >= cutoff
            }
            if critical:
                points = {
                    p.point_id: p
                    for p in self.store.service_points(
                        point_ids={a.point_id for a in critical.values() if a.point_id}
                    )
                }
                for a in critical.values():
                    point = points.get(a.point_id or "")
                    county = alert_county(a, point)  # an alert without a point: where it was
                    self.store.log_alert_event(
                        a.alert_id, a.title, "arrived", county=county, at=a.occurred_at, work=work
                    )
                    if (what := STATUS_EVENTS.get(a.status)) is not None:
                        self.store.log_alert_event(
                            a.alert_id,
                            a.title,
                            what,
                            county=county,
                            by=a.ack_by if what == "acknowledged" else None,
                            at=a.ack_at if what == "acknowledged" and a.ack_at else a.updated_at,
                            work=work,
                        )
        return changed

    def record_feed_health(self, sample: FeedHealthSample) -> None:
        """Keep the poll's health sample and log the feed's change of health, if any."""
        self.store.record_feed_health(sample)
        # one timeout or 429 is not a feed down: the log (which keeps every line for good)
        # hears of it after DOWN_AFTER_FAILURES failed polls in a row, and of its return
        failures = 0 if sample.up else self._failures.get(sample.feed, 0) + 1
        self._failures[sample.feed] = failures
        if sample.up or failures >= DOWN_AFTER_FAILURES:
            self.store.log_feed_event(
                sample.feed,
                self.labels.get(sample.feed, sample.feed),
                sample.up,
                error=sample.error,
                at=sample.started_at,
            )

    def last_success(self, feed: str) -> datetime | None:
        """When the feed last polled with success, as stored."""
        return self.store.last_success(feed)
