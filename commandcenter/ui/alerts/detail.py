"""One alert in full under the alert list: what and where, who it is assigned to, the
actions on it, and its timeline — arrived, seen, acknowledged, assigned, commented,
closed — with who and when, the data center's reports and this command center's
own in one line of time."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from commandcenter.domain import contract
from commandcenter.domain.alert_handling import Handling, TimelineEntry, effective_status
from commandcenter.domain.records import Alert
from commandcenter.domain.roles import may
from commandcenter.ui.widgets import i18n
from commandcenter.ui.widgets.flow import FlowLayout
from commandcenter.ui.widgets.style import SEVERITY_COLOURS


class AlertDetail(QWidget):
    acknowledge = Signal(object)
    assign = Signal(object)
    comment = Signal(object)
    close_alert = Signal(object)
    locate = Signal(object)  # on the map
    to_wall = Signal(object)  # its cameras onto the wall

    def __init__(self, parent=None):
        super().__init__(parent)
        self.alert: Alert | None = None
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setStyleSheet("font-weight: 600;")
        self.facts = QLabel()
        self.facts.setWordWrap(True)
        self.facts.setTextFormat(Qt.TextFormat.PlainText)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.ack_button = QPushButton(self.tr("Acknowledge…"))
        self.assign_button = QPushButton(self.tr("Assign…"))
        self.comment_button = QPushButton(self.tr("Comment…"))
        self.close_button = QPushButton(self.tr("Close…"))
        self.map_button = QPushButton(self.tr("On the map"))
        self.wall_button = QPushButton(self.tr("Cameras to wall"))
        for button, signal in (
            (self.ack_button, self.acknowledge),
            (self.assign_button, self.assign),
            (self.comment_button, self.comment),
            (self.close_button, self.close_alert),
            (self.map_button, self.locate),
            (self.wall_button, self.to_wall),
        ):
            button.clicked.connect(
                lambda _=False, s=signal: self.alert is not None and s.emit(self.alert)
            )
        self.ack_button.setToolTip(
            self.tr("Acknowledge with a note (Ctrl+K); sent to the data center")
        )
        self.assign_button.setToolTip(
            self.tr("Assign the alert to someone to handle (Ctrl+Shift+A)")
        )
        self.comment_button.setToolTip(
            self.tr("Add a comment to the alert's timeline (Ctrl+Shift+M)")
        )
        self.close_button.setToolTip(
            self.tr("Close the alert with a note; a new alert is acknowledged too")
        )
        buttons = FlowLayout()  # a narrow dock (1366×768) wraps them rather than cutting them off
        for button in (self.ack_button, self.assign_button, self.comment_button, self.close_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        for button in (self.map_button, self.wall_button):
            buttons.addWidget(button)
        self.timeline = QTreeWidget()
        self.timeline.setRootIsDecorated(False)
        self.timeline.setHeaderLabels(
            [self.tr("Time"), self.tr("Event"), self.tr("Who"), self.tr("Note")]
        )
        self.timeline.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.timeline.header().setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.facts)
        layout.addLayout(buttons)
        layout.addWidget(self.timeline, 1)
        self.show_alert(None)

    def apply_role(self, role: str) -> None:
        """The handling buttons this role may use; the others hidden, not disabled."""
        self.ack_button.setVisible(may(role, "alert.acknowledge"))
        self.assign_button.setVisible(may(role, "alert.handle"))
        self.comment_button.setVisible(may(role, "alert.handle"))
        self.close_button.setVisible(may(role, "alert.close"))

    def event_name(self, event: str) -> str:
        return {
            "occurred": self.tr("occurred"),
            "arrived": self.tr("arrived at the command center"),
            "acked": self.tr("acknowledged at the data center"),
            "closed": self.tr("closed by the data center"),
            "reopened": self.tr("reopened by the data center"),
            "seen": self.tr("seen"),
            "acknowledge": self.tr("acknowledged"),
            "assign": self.tr("assigned"),
            "comment": self.tr("comment"),
            "close": self.tr("closed"),
            "refused": self.tr("acknowledgement refused"),
        }.get(event, event)

    def show_alert(
        self, alert, handled: Handling | None = None, point_name: str = "", county: str = ""
    ) -> None:
        """The alert's facts and actions (its timeline comes with `show_timeline`)."""
        self.alert = alert
        for button in (
            self.ack_button,
            self.assign_button,
            self.comment_button,
            self.close_button,
            self.map_button,
            self.wall_button,
        ):
            button.setEnabled(alert is not None)
        if alert is None:
            self.heading.setText(self.tr("Select an alert to see its timeline and handle it."))
            self.heading.setStyleSheet("color: #8b949e;")
            self.facts.clear()
            self.timeline.clear()
            return
        status = effective_status(alert, handled)
        self.heading.setText(
            f"{i18n.term(contract.SEVERITY_LABELS, alert.severity)} · {alert.title}"
        )
        self.heading.setStyleSheet(
            f"font-weight: 600; color: {SEVERITY_COLOURS.get(alert.severity, '')};"
        )
        lines = [alert.detail] if alert.detail else []
        where = " · ".join(x for x in (point_name, county) if x)
        lines.append(
            self.tr("%1 · occurred %2 · %3")
            .replace("%1", where or self.tr("no service point"))
            .replace("%2", i18n.moment(alert.occurred_at))
            .replace("%3", i18n.term(contract.ALERT_STATUS_LABELS, status))
        )
        if handled is not None and handled.assignee:
            lines.append(self.tr("Assigned to %1").replace("%1", handled.assignee))
        self.facts.setText("\n".join(lines))
        self.ack_button.setEnabled(alert.status == "new" and status != "closed")
        self.close_button.setEnabled(status != "closed")
        self.map_button.setEnabled(bool(alert.point_id))
        self.wall_button.setEnabled(bool(alert.point_id))

    def show_timeline(self, alert_id: str, entries: list[TimelineEntry]) -> None:
        if self.alert is None or self.alert.alert_id != alert_id:
            return  # another alert was selected meanwhile
        self.timeline.clear()
        for entry in entries:
            note = (
                i18n.term(contract.ALERT_STATUS_LABELS, entry.text)
                if entry.event == "arrived"
                else entry.text
            )
            item = QTreeWidgetItem(
                [i18n.moment(entry.at), self.event_name(entry.event), entry.actor, note]
            )
            if entry.source == "datacenter":
                item.setToolTip(1, self.tr("reported by the data center"))
                item.setForeground(1, QColor("#58a6ff"))
            elif entry.event == "refused":
                item.setForeground(1, QColor("#f85149"))
            self.timeline.addTopLevelItem(item)
        self.timeline.scrollToBottom()
