"""Handling an alert: acknowledge (to the data center, contract 3.9, or here only for an
alert this client raised), assign, comment, close. Each one transaction with its audit."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, datetime

from commandcenter.domain.alert_handling import Action, AlertAction
from commandcenter.domain.anomaly import is_local_alert
from commandcenter.domain.duty import CRITICAL_SEVERITY
from commandcenter.domain.records import Alert
from commandcenter.services.command import Operator, audit, require_in_scope, transaction
from commandcenter.store import Store
from commandcenter.store.engine import UnitOfWork
from commandcenter.store.scope import alert_county


class AlertCommands:
    """The operator's commands on alerts, each in one transaction of the store."""

    def __init__(self, store: Store):
        self.store = store

    def acknowledge(self, alert: Alert, note: str, by: Operator) -> None:
        """Acknowledge with a note: the command for the data center in the outbox (an
        alert raised here is acknowledged here only), the action on the alert's
        timeline, the audit entry."""
        require_in_scope(self.store, by, "alert.acknowledge", alert=alert)
        with transaction(self.store, "alert.acknowledge") as work:
            self._acknowledge(work, alert, note, by)

    def assign(self, alert_id: str, assignee: str, by: Operator) -> None:
        """Give the alert to `assignee` to handle."""
        require_in_scope(self.store, by, "alert.assign", alert_id=alert_id)
        with transaction(self.store, "alert.assign") as work:
            self._act(work, alert_id, Action.ASSIGN, assignee, by)
            audit(self.store, work, by, "alert.assign", alert_id, {"assignee": assignee})

    def comment(self, alert_id: str, text: str, by: Operator) -> None:
        """A comment on the alert's timeline."""
        require_in_scope(self.store, by, "alert.comment", alert_id=alert_id)
        with transaction(self.store, "alert.comment") as work:
            self._act(work, alert_id, Action.COMMENT, text, by)
            audit(self.store, work, by, "alert.comment", alert_id, {"text": text})

    def close(self, alert: Alert, note: str, by: Operator) -> None:
        """Close with a note on how it was resolved; an alert still new is acknowledged
        with the same note in the same transaction, so that it does not stay
        unacknowledged at the data center."""
        require_in_scope(self.store, by, "alert.close", alert=alert)
        with transaction(self.store, "alert.close") as work:
            if alert.status == "new":
                self._acknowledge(work, alert, note, by)
            self._act(work, alert.alert_id, Action.CLOSE, note, by)
            self._log_critical(work, alert, "closed", by)
            audit(self.store, work, by, "alert.close", alert.alert_id, {"note": note})

    def _acknowledge(self, work: UnitOfWork, alert: Alert, note: str, by: Operator) -> None:
        now = datetime.now(UTC)
        if is_local_alert(alert.alert_id):
            # raised by this client (an unusual hour in the statistics): the data center
            # has never heard of it
            self.store.upsert_alerts(
                [
                    dataclasses.replace(
                        alert, status="acked", ack_by=by.name, ack_at=now, updated_at=now
                    )
                ],
                work=work,
            )
        else:
            self.store.enqueue_command(
                kind="alert_ack",
                payload={"alertId": alert.alert_id, "ackBy": by.name, "note": note},
                idempotency_key=uuid.uuid4().hex,
                target=alert.alert_id,
                work=work,
            )
        self._act(work, alert.alert_id, Action.ACKNOWLEDGE, note, by, at=now)
        self._log_critical(work, alert, "acknowledged", by)
        audit(self.store, work, by, "alert.acknowledge", alert.alert_id, {"note": note})

    def _log_critical(self, work: UnitOfWork, alert: Alert, what: str, by: Operator) -> None:
        """A critical alert acknowledged or closed goes into the duty log, once (the
        data center's report of the same, read by the feed, finds it there)."""
        if alert.severity != CRITICAL_SEVERITY:
            return
        point = self.store.service_point(alert.point_id) if alert.point_id else None
        self.store.log_alert_event(
            alert.alert_id,
            alert.title,
            what,
            county=alert_county(alert, point),
            by=by.name,
            work=work,
        )

    def _act(
        self,
        work: UnitOfWork,
        alert_id: str,
        action: Action,
        text: str,
        by: Operator,
        *,
        at: datetime | None = None,
    ) -> None:
        self.store.record_alert_action(
            AlertAction(alert_id, action, by.name, at or datetime.now(UTC), text), work=work
        )
