"""Alerts: the live alert list, the most severe first and the newest first within a
severity, each severity a badge of colour and words, with filters; a chosen alert shown on
the map and the wall; and under it the selected alert in full (detail.py): acknowledge
with a note (sent to the data center, contract 3.9), assign, comment and close (kept in
the store for every desk), each audited, and its timeline."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QWidget,
)

from commandcenter.domain import contract
from commandcenter.domain.alert_handling import (
    Action,
    AlertAction,
    Handling,
    effective_status,
    timeline,
)
from commandcenter.domain.anomaly import SPIKE_ALERT_LABEL, SPIKE_ALERT_TYPE
from commandcenter.domain.contract import Term
from commandcenter.domain.geography import county_code
from commandcenter.domain.inspection import RECTIFICATION_ALERT_LABEL, RECTIFICATION_ALERT_TYPE
from commandcenter.domain.records import ServicePoint
from commandcenter.domain.roles import may
from commandcenter.ui.alerts.detail import AlertDetail
from commandcenter.ui.widgets import i18n
from commandcenter.ui.widgets.flow import FlowLayout
from commandcenter.ui.widgets.i18n import tr
from commandcenter.ui.widgets.panel import Console, Panel
from commandcenter.ui.widgets.style import SEVERITY_COLOURS
from commandcenter.ui.widgets.tables import Column, RecordTable, RecordTableModel, RowCache
from commandcenter.ui.widgets.text import literal, plain

# the contract's alert types, and the one this client raises itself
ALERT_TYPES: dict[str, Term] = {
    **contract.ALERT_TYPE_LABELS,
    SPIKE_ALERT_TYPE: SPIKE_ALERT_LABEL,
    RECTIFICATION_ALERT_TYPE: RECTIFICATION_ALERT_LABEL,
}


SEVERITY_COLUMN = 0
SHOW_CHOSEN_AFTER_MS = 250  # a row chosen with a click or the arrow keys goes to the map after


def most_urgent_first(alert) -> tuple[int, float]:
    """The list's order: by severity, then the newest first."""
    return alert.severity, -alert.occurred_at.timestamp()


def columns(
    points: dict[str, ServicePoint], handled: dict[str, Handling] | None = None
) -> list[Column]:
    handled = handled or {}

    def status(alert) -> str:
        return effective_status(alert, handled.get(alert.alert_id))

    def point_name(alert) -> str:
        point = points.get(alert.point_id or "")
        return getattr(point, "name", alert.point_id or "")

    def county(alert) -> str:
        point = points.get(alert.point_id or "")
        return i18n.place(county_code(point.org_code)) if point else ""

    return [
        Column(
            tr("Severity"),
            lambda a: i18n.severity(a.severity),
            sort_key=most_urgent_first,
            colour=lambda a: SEVERITY_COLOURS.get(a.severity),
            badge=True,
        ),
        Column(tr("Type"), lambda a: i18n.term(ALERT_TYPES, a.type)),
        Column(tr("Title"), lambda a: a.title),
        Column(tr("Service point"), point_name),
        Column(tr("County"), county),
        Column(
            tr("Occurred"),
            lambda a: i18n.moment(a.occurred_at),
            sort_key=lambda a: a.occurred_at.timestamp(),
        ),
        Column(
            tr("Age"),
            lambda a: i18n.age((datetime.now(UTC) - a.occurred_at).total_seconds()),
            sort_key=lambda a: -a.occurred_at.timestamp(),
            live=True,
        ),
        Column(
            tr("Status"),
            lambda a: i18n.term(contract.ALERT_STATUS_LABELS, status(a)),
            colour=lambda a: "#f85149" if status(a) == "new" else None,
        ),
        Column(
            tr("Assigned to"), lambda a: getattr(handled.get(a.alert_id), "assignee", None) or ""
        ),
        Column(tr("Acknowledged by"), lambda a: a.ack_by or ""),
    ]


MIN_ROWS_SHOWN = 10


class AlertsPanel(Panel):
    reload_on = ("alerts", "alert_actions", "service_points")
    feeds = ("alerts",)
    alert_lane = True
    alert_activated = Signal(object)  # chosen in the list: to the map and the wall
    locate = Signal(object)  # the alert's point on the map
    to_wall = Signal(object)  # the alert's cameras onto the wall

    def __init__(self, console: Console, parent=None):
        super().__init__(console, parent)
        self.setObjectName("alerts")
        self.model = RecordTableModel(columns({}), self)
        self._handled: dict[str, Handling] = {}
        self._points: dict = {}
        self._rows = (
            RowCache()
        )  # read on every change of an alert: only the changed rows built again

        self.status = QComboBox()
        for text, value in (
            (self.tr("Open"), "open"),
            (self.tr("New"), "new"),
            (self.tr("Acknowledged"), "acked"),
            (self.tr("Closed"), "closed"),
            (self.tr("Assigned to me"), "mine"),
            (self.tr("All"), ""),
        ):
            self.status.addItem(text, value)
        self.status.currentIndexChanged.connect(self._refilter)
        self.severity = QComboBox()
        for label, level in (
            (self.tr("All severities"), 4),
            (self.tr("Normal and above"), 3),
            (self.tr("Urgent and above"), 2),
            (self.tr("Critical only"), 1),
        ):
            self.severity.addItem(label, level)
        self.severity.currentIndexChanged.connect(self._refilter)
        self.acknowledge = QPushButton(self.tr("Acknowledge…"))
        self.acknowledge.setToolTip(self.tr("Acknowledge the selected alert with a note (Ctrl+K)"))
        self.acknowledge.clicked.connect(self.acknowledge_selected)
        QShortcut(QKeySequence("Ctrl+K"), self, self.acknowledge_selected)
        self.count = QLabel()
        plain(self.count)
        bar = FlowLayout()
        bar.addWidget(self.status)
        bar.addWidget(self.severity)
        bar.addWidget(self.acknowledge)
        bar.addStretch(1)
        bar.addWidget(self.count)

        self.table = RecordTable(self.model)
        # the most severe first and, within a severity, the newest: whatever order they came in
        self.table.sortByColumn(SEVERITY_COLUMN, Qt.SortOrder.AscendingOrder)
        # Enter, Return or a double click: at once; a click or the arrow keys choose a row,
        # shown once the choice rests (stepping through the list does not start the cameras
        # of every alert passed over)
        self.table.activated.connect(lambda index: self._show_on_map_and_wall(index.row()))
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self._chosen = QTimer(self)
        self._chosen.setSingleShot(True)
        self._chosen.setInterval(SHOW_CHOSEN_AFTER_MS)
        self._chosen.timeout.connect(self._show_selected_on_map_and_wall)
        self.detail = AlertDetail()
        self.detail.acknowledge.connect(self.acknowledge_alert)
        self.detail.assign.connect(self.assign_alert)
        self.detail.comment.connect(self.comment_alert)
        self.detail.close_alert.connect(self.close_alert)
        self.detail.locate.connect(self.locate)
        self.detail.to_wall.connect(self.to_wall)
        QShortcut(QKeySequence("Ctrl+Shift+A"), self, lambda: self._on_selected(self.assign_alert))
        QShortcut(QKeySequence("Ctrl+Shift+M"), self, lambda: self._on_selected(self.comment_alert))
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setCollapsible(0, False)
        # at least ten alerts in sight whatever the screen; a dock squeezed below that scrolls
        self.table.setMinimumHeight(
            self.table.horizontalHeader().sizeHint().height()
            + MIN_ROWS_SHOWN * self.table.verticalHeader().defaultSectionSize()
            + 2 * self.table.frameWidth()
            + self.table.horizontalScrollBar().sizeHint().height()
        )
        self.body.addLayout(bar)
        self.body.addWidget(split, 1)
        self._ages = QTimer(self)
        self._ages.timeout.connect(self.model.refresh_live)
        self._ages.start(5000)
        self._refilter()
        self.reload()

    def apply_role(self, role: str) -> None:
        """Acknowledging here and handling in the detail, as far as the role may."""
        self.acknowledge.setVisible(may(role, "alert.acknowledge"))
        self.detail.apply_role(role)

    def _on_change(self, kind: str) -> None:
        # a new alert is read at once, not after the second other panels wait between reads
        if kind in ("alerts", "alert_actions"):
            self.reload(urgent=True)
        elif kind in self.reload_on:
            self.reload()
        if kind in ("alerts", "alert_actions", "outbox") and self.detail.alert is not None:
            self._read_timeline(self.detail.alert.alert_id)

    def _refilter(self, *_args) -> None:
        status, max_severity = self.status.currentData(), self.severity.currentData()
        me = self.console.operator or "operator"

        def accept(alert) -> bool:
            if alert.severity > max_severity:
                return False
            handled = self._handled.get(alert.alert_id)
            shown = effective_status(alert, handled)
            if status == "open":
                return shown != "closed"
            if status == "mine":
                return shown != "closed" and handled is not None and handled.assignee == me
            return not status or shown == status

        self.model.set_filter(accept)
        self._update_count()

    def read(self):
        snapshots = self.console.snapshots
        alerts = (
            snapshots.alerts.shown()
        )  # every open alert, and the newest closed ones for reference
        handled = self.console.store.alert_handling(a.alert_id for a in alerts)
        points = snapshots.points.by_key()
        table_columns = columns(points, handled)
        rows = self._rows.build(
            table_columns,
            alerts,
            record_id=lambda a: a.alert_id,
            context=lambda a: (handled.get(a.alert_id), points.get(a.point_id or "")),
        )
        return rows, table_columns, handled, points

    def show_data(self, data) -> None:
        rows, table_columns, self._handled, self._points = data
        self.model.set_rows(rows, table_columns)
        self._refilter()
        self._selected()

    def _update_count(self) -> None:
        open_critical = sum(
            1
            for a in self.model.records
            if a.status == "new"
            and a.severity <= 2
            and effective_status(a, self._handled.get(a.alert_id)) != "closed"
        )
        self.count.setText(
            self.tr("%1 shown · urgent, not acknowledged: %2")
            .replace("%1", str(self.model.rowCount()))
            .replace("%2", str(open_critical))
        )
        self.count.setStyleSheet("color: #f85149; font-weight: 600;" if open_critical else "")

    # -- the selected alert ---------------------------------------------------------------

    def _selected(self, *_args) -> None:
        selected = self.table.selected_records()
        alert = selected[0] if selected else None
        before = self.detail.alert
        if alert is None:
            self.detail.show_alert(None)
            return
        point = self._points.get(alert.point_id or "")
        self.detail.show_alert(
            alert,
            self._handled.get(alert.alert_id),
            getattr(point, "name", alert.point_id or ""),
            i18n.place(county_code(point.org_code)) if point else "",
        )
        self.hold_busy()
        if before is None or before.alert_id != alert.alert_id:
            self._read_timeline(alert.alert_id, seen=True)
            self._chosen.start()

    def _show_selected_on_map_and_wall(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self._show_on_map_and_wall(rows[0].row())

    def _show_on_map_and_wall(self, row: int) -> None:
        self._chosen.stop()
        if 0 <= row < self.model.rowCount():
            self.alert_activated.emit(self.model.record_at(row))

    def _read_timeline(self, alert_id: str, *, seen: bool = False) -> None:
        """The alert's timeline, read off the GUI thread; `seen`: first note that this
        operator has opened it (once per operator)."""
        store, operator = self.console.store, self.console.operator or "operator"
        alert = self.detail.alert
        if alert is None:
            return

        def work():
            if seen:
                store.record_alert_action(
                    AlertAction(alert_id, Action.SEEN, operator, datetime.now(UTC)), once=True
                )
            refusals = [
                (c.created_at, c.last_error or "")
                for c in store.commands(state="failed", target=alert_id)
                if c.kind == "alert_ack"
            ]
            return timeline(
                alert, store.alert_history(alert_id), store.alert_actions(alert_id), refusals
            )

        self.console.alert_reader.read(
            "alerts.timeline",
            work,
            lambda entries: self.detail.show_timeline(alert_id, entries),
            self.show_error,
            urgent=True,
        )

    def _on_selected(self, act) -> None:
        selected = self.table.selected_records()
        if selected:
            act(selected[0])

    def acknowledge_selected(self) -> None:
        """Acknowledge with a note: the command goes to the outbox (sent to the data
        center, contract 3.9) and into the audit log."""
        selected = [a for a in self.table.selected_records() if a.status == "new"]
        if selected:
            self.acknowledge_alert(selected[0])

    def acknowledge_alert(self, alert, over: QWidget | None = None) -> None:
        """Ask for the note, then acknowledge (from the list, or a banner: the one above
        the window or the one on the wall, whose window `over` is, for the question to
        stand in front of it)."""
        if not self.console.may("alert.acknowledge"):
            return
        note, ok = QInputDialog.getText(
            over or self,
            self.tr("Acknowledge alert"),
            literal(self.tr("Note for %1:").replace("%1", alert.title)),
        )
        if ok:
            self._acknowledge(alert, note.strip())

    def _acknowledge(self, alert, note: str) -> None:
        commands, by = self.console.commands.alerts, self.console.on_duty()
        self.run_command(
            self.tr("Acknowledging the alert"),
            lambda: commands.acknowledge(alert, note, by),
            busy=[self.acknowledge, self.detail.ack_button],
        )

    def assign_alert(self, alert) -> None:
        """To whom the alert is given to handle: anyone, named; the names used before are offered."""
        if not self.console.may("alert.handle"):
            return
        me = self.console.operator or "operator"
        names = sorted({h.assignee for h in self._handled.values() if h.assignee} | {me})
        current = getattr(self._handled.get(alert.alert_id), "assignee", None) or me
        name, ok = QInputDialog.getItem(
            self,
            self.tr("Assign alert"),
            literal(self.tr("Assign %1 to:").replace("%1", alert.title)),
            names,
            names.index(current) if current in names else 0,
            True,
        )
        name = name.strip()
        if not ok or not name:
            return
        commands, by = self.console.commands.alerts, self.console.on_duty()
        self.run_command(
            self.tr("Assigning the alert"),
            lambda: commands.assign(alert.alert_id, name, by),
            busy=[self.detail.assign_button],
        )

    def comment_alert(self, alert) -> None:
        if not self.console.may("alert.handle"):
            return
        text, ok = QInputDialog.getMultiLineText(
            self,
            self.tr("Comment on alert"),
            literal(self.tr("Comment on %1:").replace("%1", alert.title)),
        )
        text = text.strip()
        if not ok or not text:
            return
        commands, by = self.console.commands.alerts, self.console.on_duty()
        self.run_command(
            self.tr("Commenting on the alert"),
            lambda: commands.comment(alert.alert_id, text, by),
            busy=[self.detail.comment_button],
        )

    def close_alert(self, alert) -> None:
        """Closed here with a note; an alert still new is acknowledged at the data center
        with the same note, so that it does not stay unacknowledged there."""
        if not self.console.may("alert.close"):
            return
        note, ok = QInputDialog.getText(
            self,
            self.tr("Close alert"),
            literal(self.tr("How was %1 resolved?").replace("%1", alert.title)),
        )
        note = note.strip()
        if not ok:
            return
        if not note:
            QMessageBox.warning(
                self, self.tr("Close alert"), self.tr("Say how the alert was resolved to close it.")
            )
            return
        commands, by = self.console.commands.alerts, self.console.on_duty()
        self.run_command(
            self.tr("Closing the alert"),
            lambda: commands.close(alert, note, by),
            busy=[self.acknowledge, self.detail.ack_button, self.detail.close_button],
        )
