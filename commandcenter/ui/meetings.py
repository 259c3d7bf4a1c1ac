"""Video meetings: compose a meeting with a group of service points (e.g. every
judicial office of one county), launch it, watch the participants' states, end it.
Launches and ends go through the outbox with an idempotency key, so a retry never
makes two meetings; both are audited."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from commandcenter.domain import contract
from commandcenter.domain.contract import MAX_MEETING_PARTICIPANTS, PointType
from commandcenter.domain.geography import CITY_CODE, COUNTIES, county_code
from commandcenter.ui import i18n
from commandcenter.ui.i18n import tr
from commandcenter.ui.panel import Console, Panel
from commandcenter.ui.tables import Column, RecordTable, RecordTableModel, build_rows

GROUP_TYPES = (PointType.JUDICIAL_OFFICE, PointType.LEGAL_SERVICE_CENTER, PointType.MEDIATION_STUDIO,
               PointType.COMMUNITY_CORRECTION_CENTER, PointType.SERVICE_STATION)
STATE_COLOURS = {"joined": "#3fb950", "ringing": "#d29922", "declined": "#f85149", "left": "#8b949e"}


def meeting_columns(points: dict) -> list[Column]:

    def joined(meeting) -> str:
        states = Counter(p.state for p in meeting.participants)
        return f"{states.get('joined', 0)} / {len(meeting.participants)}"

    return [
        Column(tr("Title"), lambda m: m.title),
        Column(tr("Status"), lambda m: i18n.term(contract.MEETING_STATUS_LABELS, m.status),
               colour=lambda m: "#3fb950" if m.status == "live" else None),
        Column(tr("Starts"), lambda m: m.start_at.astimezone().strftime("%m-%d %H:%M") if m.start_at else "",
               sort_key=lambda m: m.start_at.timestamp() if m.start_at else None),
        Column(tr("Joined"), joined),
        Column(tr("Host"), lambda m: getattr(points.get(m.host_point_id or ""), "name", m.host_point_id or "")),
        Column(tr("ID"), lambda m: m.meeting_id),
    ]


def participant_columns(points: dict) -> list[Column]:

    return [
        Column(tr("Participant"), lambda p: getattr(points.get(p.point_id), "name", p.point_id)),
        Column(tr("State"), lambda p: i18n.term(contract.PARTICIPANT_STATE_LABELS, p.state),
               colour=lambda p: STATE_COLOURS.get(p.state)),
    ]


class MeetingsPanel(Panel):
    reload_on = ("meetings", "service_points", "outbox")

    def __init__(self, console: Console, parent=None):
        super().__init__(console, parent)
        self.setObjectName("meetings")
        self._points: dict = {}
        self.meetings = RecordTableModel(meeting_columns({}), self)
        self.participants = RecordTableModel(participant_columns({}), self)

        self.title = QLineEdit()
        self.county = QComboBox()
        self.county.addItem(self.tr("Whole city"), "")
        for county in COUNTIES:
            self.county.addItem(i18n.place(county.code), county.code)
        self.type = QComboBox()
        for point_type in GROUP_TYPES:
            self.type.addItem(i18n.term(contract.POINT_TYPE_LABELS, point_type), point_type.value)
        self.group_size = QLabel()
        self.launch = QPushButton(self.tr("Launch meeting"))
        self.launch.clicked.connect(self.launch_meeting)
        for combo in (self.county, self.type):
            combo.currentIndexChanged.connect(self._update_group)
        form = QFormLayout()
        form.addRow(self.tr("Title"), self.title)
        form.addRow(self.tr("County"), self.county)
        form.addRow(self.tr("Participants"), self.type)
        form.addRow("", self.group_size)
        form.addRow("", self.launch)
        composer = QGroupBox(self.tr("New meeting"))
        composer.setLayout(form)

        self.table = RecordTable(self.meetings)
        self.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
        self.table.selectionModel().selectionChanged.connect(self._show_participants)
        self.end = QPushButton(self.tr("End meeting"))
        self.end.clicked.connect(self.end_meeting)
        self.status = QLabel()
        self.people = RecordTable(self.participants)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(composer)
        left_layout.addWidget(self.status)
        left_layout.addStretch(1)
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Meetings")))
        row.addStretch(1)
        row.addWidget(self.end)
        middle_layout.addLayout(row)
        middle_layout.addWidget(self.table)
        splitter = QSplitter()
        for widget in (left, middle, self.people):
            splitter.addWidget(widget)
        splitter.setSizes([320, 600, 300])
        self.body.addWidget(splitter, 1)
        self.reload()

    def group(self) -> list:
        county, point_type = self.county.currentData(), self.type.currentData()
        return sorted((p for p in self._points.values()
                       if p.type == point_type and (not county or p.org_code.startswith(county))),
                      key=lambda p: p.name)

    def propose(self, point) -> None:
        """Compose a meeting around this point: its county and its kind of point (the map's
        "add to a meeting")."""
        county = self.county.findData(county_code(point.org_code))
        kind = self.type.findData(point.type)
        if county >= 0:
            self.county.setCurrentIndex(county)
        if kind >= 0:
            self.type.setCurrentIndex(kind)
        self.title.setFocus()

    def _update_group(self) -> None:
        members = self.group()
        county = self.county.currentText()
        kind = self.type.currentText()
        if not self.title.isModified():
            self.title.setText(self.tr("%1 %2 video meeting").replace("%1", county).replace("%2", kind))
        if len(members) > MAX_MEETING_PARTICIPANTS:
            self.group_size.setText(
                self.tr("%1 points: a meeting holds at most %2; choose one county").replace("%1", str(len(members)))
                .replace("%2", str(MAX_MEETING_PARTICIPANTS)))
            self.group_size.setStyleSheet("color: #f85149;")
            self.launch.setEnabled(False)
        else:
            self.group_size.setText(self.tr("%1 points will be invited").replace("%1", str(len(members))))
            self.group_size.setStyleSheet("")
            self.launch.setEnabled(bool(members))

    def read(self):
        store = self.console.store
        points = self.console.snapshots.points.by_key()
        columns = meeting_columns(points)
        pending = [c for c in store.commands() if c.kind.startswith("meeting") and c.state != "sent"]
        return points, build_rows(columns, store.meetings(), record_id=lambda m: m.meeting_id), columns, pending

    def show_data(self, data) -> None:
        self._points, rows, columns, pending = data
        self.meetings.set_rows(rows, columns)
        self._update_group()
        self._show_participants()
        failed = [c for c in pending if c.state == "failed"]
        if failed:
            self.status.setText(self.tr("Refused by the data center: %1").replace("%1", failed[-1].last_error or ""))
            self.status.setStyleSheet("color: #f85149;")
        elif pending:
            self.status.setText(self.tr("%1 meeting commands waiting to be sent").replace("%1", str(len(pending))))
            self.status.setStyleSheet("color: #d29922;")
        else:
            self.status.setText("")

    def _show_participants(self, *_args) -> None:
        selected = self.table.selected_records()
        meeting = selected[0] if selected else None
        columns = participant_columns(self._points)
        people = list(meeting.participants) if meeting else []
        self.participants.set_rows(build_rows(columns, people, record_id=lambda p: p.point_id), columns)
        self.end.setEnabled(meeting is not None and meeting.status != "ended")

    def launch_meeting(self) -> None:
        members = self.group()
        if not members or len(members) > MAX_MEETING_PARTICIPANTS:
            return
        title = self.title.text().strip() or self.tr("Video meeting")
        host = next((p.point_id for p in self._points.values()
                     if p.org_code == CITY_CODE and p.type == PointType.LEGAL_SERVICE_CENTER), members[0].point_id)
        payload = {"title": title, "hostPointId": host, "participants": [p.point_id for p in members],
                   "startAt": None}
        key = uuid.uuid4().hex
        self.console.store.enqueue_command(kind="meeting_launch", payload=payload, idempotency_key=key,
                                           target=title)
        self.console.audit("meeting.launch", title, {"participants": len(members), "idempotencyKey": key})
        self.title.setModified(False)

    def end_meeting(self) -> None:
        selected = self.table.selected_records()
        if not selected:
            return
        meeting = selected[0]
        answer = QMessageBox.question(self, self.tr("End meeting"),
                                      self.tr("End “%1” for every participant?").replace("%1", meeting.title))
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.console.store.enqueue_command(kind="meeting_end", payload={"meetingId": meeting.meeting_id},
                                           idempotency_key=uuid.uuid4().hex, target=meeting.meeting_id)
        self.console.audit("meeting.end", meeting.meeting_id, {"at": datetime.now().isoformat(timespec="seconds")})
