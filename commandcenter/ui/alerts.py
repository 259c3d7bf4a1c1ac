"""Alerts: the live alert list, newest first, with severity colours, filters and
acknowledgement."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QInputDialog, QLabel, QPushButton

from commandcenter.domain import contract
from commandcenter.domain.anomaly import SPIKE_ALERT_LABEL, SPIKE_ALERT_TYPE, is_local_alert
from commandcenter.domain.geography import county_code
from commandcenter.domain.inspection import RECTIFICATION_ALERT_LABEL, RECTIFICATION_ALERT_TYPE
from commandcenter.ui import i18n
from commandcenter.ui.i18n import tr
from commandcenter.ui.panel import Console, Panel
from commandcenter.ui.style import SEVERITY_COLOURS
from commandcenter.ui.tables import Column, RecordTable, RecordTableModel, build_rows

# the contract's alert types, and the one this client raises itself
ALERT_TYPES = {**contract.ALERT_TYPE_LABELS, SPIKE_ALERT_TYPE: SPIKE_ALERT_LABEL,
               RECTIFICATION_ALERT_TYPE: RECTIFICATION_ALERT_LABEL}

# Closed alerts kept in the list for reference; open ones are always all there. The
# list is read again on every new alert, at once: 2,000 closed rows made that read
# take 120–180 ms of the time from the data center to the screen, 500 a third of it.
CLOSED_SHOWN = 500


def _local(dt: datetime | None) -> str:
    return dt.astimezone().strftime("%m-%d %H:%M:%S") if dt else ""


def columns(points: dict[str, object]) -> list[Column]:

    def point_name(alert) -> str:
        point = points.get(alert.point_id or "")
        return getattr(point, "name", alert.point_id or "")

    def county(alert) -> str:
        point = points.get(alert.point_id or "")
        return i18n.place(county_code(point.org_code)) if point else ""

    return [
        Column(tr("Severity"), lambda a: i18n.term(contract.SEVERITY_LABELS, a.severity), sort_key=lambda a: a.severity,
               colour=lambda a: SEVERITY_COLOURS.get(a.severity)),
        Column(tr("Type"), lambda a: i18n.term(ALERT_TYPES, a.type)),
        Column(tr("Title"), lambda a: a.title),
        Column(tr("Service point"), point_name),
        Column(tr("County"), county),
        Column(tr("Occurred"), lambda a: _local(a.occurred_at), sort_key=lambda a: a.occurred_at.timestamp()),
        Column(tr("Age"), lambda a: i18n.age((datetime.now(UTC) - a.occurred_at).total_seconds()),
               sort_key=lambda a: -a.occurred_at.timestamp(), live=True),
        Column(tr("Status"), lambda a: i18n.term(contract.ALERT_STATUS_LABELS, a.status),
               colour=lambda a: "#f85149" if a.status == "new" else None),
        Column(tr("Acknowledged by"), lambda a: a.ack_by or ""),
    ]


class AlertsPanel(Panel):
    reload_on = ("alerts", "service_points")
    feeds = ("alerts",)
    alert_lane = True
    alert_activated = Signal(object)

    def __init__(self, console: Console, parent=None):
        super().__init__(console, parent)
        self.setObjectName("alerts")
        self.model = RecordTableModel(columns({}), self)

        self.status = QComboBox()
        for text, value in ((self.tr("Open"), "open"), (self.tr("New"), "new"), (self.tr("Acknowledged"), "acked"),
                            (self.tr("Closed"), "closed"), (self.tr("All"), "")):
            self.status.addItem(text, value)
        self.status.currentIndexChanged.connect(self._refilter)
        self.severity = QComboBox()
        for text, value in ((self.tr("All severities"), 4), (self.tr("Normal and above"), 3),
                            (self.tr("Urgent and above"), 2), (self.tr("Critical only"), 1)):
            self.severity.addItem(text, value)
        self.severity.currentIndexChanged.connect(self._refilter)
        self.acknowledge = QPushButton(self.tr("Acknowledge…"))
        self.acknowledge.setToolTip(self.tr("Acknowledge the selected alert with a note (Ctrl+K)"))
        self.acknowledge.clicked.connect(self.acknowledge_selected)
        QShortcut(QKeySequence("Ctrl+K"), self, self.acknowledge_selected)
        self.count = QLabel()
        bar = QHBoxLayout()
        bar.addWidget(self.status)
        bar.addWidget(self.severity)
        bar.addWidget(self.acknowledge)
        bar.addStretch(1)
        bar.addWidget(self.count)

        self.table = RecordTable(self.model)
        self.table.sortByColumn(5, Qt.SortOrder.DescendingOrder)
        self.table.activated.connect(lambda index: self.alert_activated.emit(self.model.record_at(index.row())))
        self.body.addLayout(bar)
        self.body.addWidget(self.table)
        self._ages = QTimer(self)
        self._ages.timeout.connect(self.model.refresh_live)
        self._ages.start(5000)
        self._refilter()
        self.reload()

    def _on_change(self, kind: str) -> None:
        # a new alert is read at once, not after the second other panels wait between reads
        if kind == "alerts":
            self.reload(urgent=True)
        elif kind in self.reload_on:
            self.reload()

    def _refilter(self, *_args) -> None:
        status, max_severity = self.status.currentData(), self.severity.currentData()

        def accept(alert) -> bool:
            if alert.severity > max_severity:
                return False
            if status == "open":
                return alert.status != "closed"
            return not status or alert.status == status

        self.model.set_filter(accept)
        self._update_count()

    def read(self):
        store = self.console.store
        alerts = store.alerts(open_only=True) + store.alerts(status="closed", limit=CLOSED_SHOWN)
        points = self.console.snapshots.points.by_key()
        table_columns = columns(points)
        return build_rows(table_columns, alerts, record_id=lambda a: a.alert_id), table_columns

    def show_data(self, data) -> None:
        rows, table_columns = data
        self.model.set_rows(rows, table_columns)
        self._update_count()

    def _update_count(self) -> None:
        open_critical = sum(1 for a in self.model.records if a.status == "new" and a.severity <= 2)
        self.count.setText(self.tr("%1 shown · %2 urgent alerts not acknowledged")
                           .replace("%1", str(self.model.rowCount())).replace("%2", str(open_critical)))
        self.count.setStyleSheet("color: #f85149; font-weight: 600;" if open_critical else "")

    def acknowledge_selected(self) -> None:
        """Acknowledge with a note: the command goes to the outbox (sent to the data
        center, contract 3.9) and into the audit log."""
        selected = [a for a in self.table.selected_records() if a.status == "new"]
        if selected:
            self.acknowledge_alert(selected[0])

    def acknowledge_alert(self, alert) -> None:
        """Ask for the note, then acknowledge (from the list, or the banner above the window)."""
        note, ok = QInputDialog.getText(self, self.tr("Acknowledge alert"),
                                        self.tr("Note for %1:").replace("%1", alert.title))
        if not ok:
            return
        store = self.console.store
        operator = self.console.operator or "operator"
        if is_local_alert(alert.alert_id):
            # raised by this client (an unusual hour in the statistics): the data center
            # has never heard of it, so it is acknowledged here only
            now = datetime.now(UTC)
            store.upsert_alerts([dataclasses.replace(alert, status="acked", ack_by=operator, ack_at=now,
                                                     updated_at=now)])
        else:
            payload = {"alertId": alert.alert_id, "ackBy": operator, "note": note.strip()}
            store.enqueue_command(kind="alert_ack", payload=payload,
                                  idempotency_key=uuid.uuid4().hex, target=alert.alert_id)
        self.console.audit("alert.acknowledge", alert.alert_id, {"note": note.strip()})
