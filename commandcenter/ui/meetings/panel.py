"""Video meetings (视频会议): compose the participants — from the map, the directory
(dragged in or typed by name), a county's points of one kind, or a saved group such as
吴中区全部司法所 — launch now or at a time, follow each participant's state, invite
and remove participants, put the meeting's mix on the wall, end it.

Launches and changes go through the outbox with an idempotency key, so a retried
launch never makes two meetings; every one is audited. The 64-participant limit is
explained while composing, before any request (domain.meetings)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateTimeEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from commandcenter.domain import contract
from commandcenter.domain import meetings as meetings_
from commandcenter.domain.contract import MAX_MEETING_PARTICIPANTS, PointType
from commandcenter.domain.geography import COUNTIES, county_code
from commandcenter.domain.roles import may
from commandcenter.domain.video import DirectStream
from commandcenter.ui.meetings.participant_list import ParticipantList
from commandcenter.ui.meetings.tables import meeting_columns, participant_columns
from commandcenter.ui.widgets import i18n
from commandcenter.ui.widgets.bureau_clock import instant_of, show_instant
from commandcenter.ui.widgets.flow import FlowLayout
from commandcenter.ui.widgets.panel import Console, Panel
from commandcenter.ui.widgets.tables import (
    RecordTable,
    RecordTableModel,
    build_rows,
)
from commandcenter.ui.widgets.text import literal, plain

GROUP_TYPES = (
    PointType.JUDICIAL_OFFICE,
    PointType.LEGAL_SERVICE_CENTER,
    PointType.MEDIATION_STUDIO,
    PointType.COMMUNITY_CORRECTION_CENTER,
    PointType.SERVICE_STATION,
)


class MeetingsPanel(Panel):
    reload_on = ("meetings", "service_points", "outbox", "meeting_groups")
    mix_to_wall = Signal(object)  # DirectStream of a meeting's mix
    meeting_over = Signal(str)  # the wall's id of an ended meeting's mix

    def __init__(self, console: Console, parent=None):
        super().__init__(console, parent)
        self.setObjectName("meetings")
        self._points: dict = {}
        self._groups: dict[str, tuple[str, ...]] | None = None  # None: not read yet
        self._commands: list = []
        self._ended: set[str] | None = None
        self.meetings = RecordTableModel(meeting_columns({}), self)
        self.participants = RecordTableModel(participant_columns({}), self)

        # -- composer --
        self.title = QLineEdit()
        self.title.setPlaceholderText(self.tr("e.g. 吴中区司法所工作调度会"))
        self.saved = QComboBox()
        self.saved.setToolTip(self.tr("A saved group of participants: replaces the list"))
        self.saved.activated.connect(self._use_saved_group)
        self.delete_group = QPushButton(self.tr("Delete group"))
        self.saved.currentIndexChanged.connect(
            lambda _n: self.delete_group.setEnabled(bool(self.saved.currentData()))
        )
        self.save_group = QPushButton(self.tr("Save as group…"))
        self.save_group.clicked.connect(self.save_as_group)
        self.delete_group.clicked.connect(self.delete_saved_group)
        saved_row = QHBoxLayout()
        saved_row.addWidget(self.saved, 1)
        saved_row.addWidget(self.save_group)
        saved_row.addWidget(self.delete_group)
        self.county = QComboBox()
        self.county.addItem(self.tr("Whole city"), "")
        for county in COUNTIES:
            self.county.addItem(i18n.place(county.code), county.code)
        self.type = QComboBox()
        for point_type in GROUP_TYPES:
            self.type.addItem(i18n.term(contract.POINT_TYPE_LABELS, point_type), point_type.value)
        self.add_group = QPushButton(self.tr("Add all"))
        self.add_group.setToolTip(self.tr("Add every point of this kind in this county"))
        self.add_group.clicked.connect(self.add_county_group)
        group_row = QHBoxLayout()
        group_row.addWidget(self.county)
        group_row.addWidget(self.type, 1)
        group_row.addWidget(self.add_group)
        self.by_name = QLineEdit()
        self.by_name.setPlaceholderText(self.tr("Type a service point's name, Enter to add"))
        self.by_name.returnPressed.connect(self._add_by_name)
        self.chosen = ParticipantList()
        self.chosen.setToolTip(
            self.tr("Drag service points here from the directory or the map; Delete removes")
        )
        self.chosen.dropped.connect(self.add_points)
        self.chosen.removed.connect(self._update_count)
        self.clear_chosen = QPushButton(self.tr("Clear"))
        self.clear_chosen.clicked.connect(self._clear)
        self.count = QLabel()
        self.count.setWordWrap(True)
        plain(self.count)
        self.scheduled = QCheckBox(self.tr("Scheduled for"))
        self.start_at = QDateTimeEdit()
        self.start_at.setCalendarPopup(True)
        self.start_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        show_instant(self.start_at, datetime.now(UTC) + timedelta(hours=1))
        self.start_at.setEnabled(False)
        self.scheduled.toggled.connect(self.start_at.setEnabled)
        start_row = QHBoxLayout()
        start_row.addWidget(self.scheduled)
        start_row.addWidget(self.start_at, 1)
        self.launch = QPushButton(self.tr("Launch meeting"))
        self.launch.setToolTip(self.tr("Launch now, or at the scheduled time (Ctrl+Enter)"))
        self.launch.clicked.connect(self.launch_meeting)
        for keys in (
            "Ctrl+Return",
            "Ctrl+Enter",
        ):  # here only: Ctrl+Enter also finishes an inspection
            QShortcut(
                QKeySequence(keys),
                self,
                self.launch_meeting,
                context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
            )
        form = QFormLayout()
        form.addRow(self.tr("Title"), self.title)
        form.addRow(self.tr("Saved group"), saved_row)
        form.addRow(self.tr("By county"), group_row)
        form.addRow(self.tr("By name"), self.by_name)
        form.addRow(self.chosen)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        bottom.addWidget(self.clear_chosen)
        form.addRow(bottom)
        form.addRow(start_row)
        form.addRow(self.launch)
        composer = QGroupBox(self.tr("New meeting"))
        composer.setLayout(form)
        self.status = QLabel()  # names points and the data center's reasons
        self.status.setWordWrap(True)
        plain(self.status)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(composer, 1)
        left_layout.addWidget(self.status)

        # -- meetings --
        self.show_status = QComboBox()
        for text, value in (
            (self.tr("Live and scheduled"), "open"),
            (self.tr("Live"), "live"),
            (self.tr("Scheduled"), "scheduled"),
            (self.tr("Ended"), "ended"),
            (self.tr("All"), ""),
        ):
            self.show_status.addItem(text, value)
        self.show_status.currentIndexChanged.connect(self._refilter)
        self.table = RecordTable(self.meetings)
        self.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        self.table.selectionModel().selectionChanged.connect(self._show_participants)
        self.mix = QPushButton(self.tr("Mix on the wall"))
        self.mix.setToolTip(self.tr("Show the meeting's mixed picture on wall tile 1"))
        self.mix.clicked.connect(self.show_mix)
        self.end = QPushButton(self.tr("End meeting"))
        self.end.clicked.connect(self.end_meeting)
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        row = FlowLayout()
        row.addWidget(QLabel(self.tr("Meetings")))
        row.addWidget(self.show_status)
        row.addStretch(1)
        row.addWidget(self.mix)
        row.addWidget(self.end)
        middle_layout.addLayout(row)
        middle_layout.addWidget(self.table)

        # -- the selected meeting's participants --
        self.people = RecordTable(self.participants)
        self.people.setSelectionMode(RecordTable.SelectionMode.ExtendedSelection)
        self.invite = QPushButton(self.tr("Invite the list"))
        self.invite.setToolTip(
            self.tr("Invite the composer's points that are not in the meeting yet")
        )
        self.invite.clicked.connect(self.invite_chosen)
        self.remove = QPushButton(self.tr("Remove"))
        self.remove.setToolTip(self.tr("Remove the selected participants from the meeting"))
        self.remove.clicked.connect(self.remove_selected)
        self.states = QLabel()
        plain(self.states)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        people_row = FlowLayout()
        people_row.addWidget(self.states, 1)
        people_row.addWidget(self.invite)
        people_row.addWidget(self.remove)
        right_layout.addLayout(people_row)
        right_layout.addWidget(self.people)

        splitter = QSplitter()
        for widget in (left, middle, right):
            splitter.addWidget(widget)
        splitter.setSizes([380, 560, 360])
        self.body.addWidget(splitter, 1)
        self._refilter()
        self._update_count()
        self.reload()

    def apply_role(self, role: str) -> None:
        """Launching, ending and changing meetings only for a role that may launch them."""
        for button in (self.launch, self.end, self.invite, self.remove):
            button.setVisible(may(role, "meeting.launch"))

    # -- composing ----------------------------------------------------------------------

    def chosen_ids(self) -> list[str]:
        return [
            self.chosen.item(n).data(Qt.ItemDataRole.UserRole) for n in range(self.chosen.count())
        ]

    def add_points(self, point_ids: list[str]) -> int:
        """Add these points to the composer's list (once each); returns how many were new."""
        have = set(self.chosen_ids())
        added = 0
        for point_id in point_ids:
            if point_id in have:
                continue
            point = self._points.get(point_id)
            name = point.name if point else point_id
            where = i18n.place(county_code(point.org_code)) if point else ""
            item = QListWidgetItem(f"{name}  ·  {where}" if where else name)
            item.setData(Qt.ItemDataRole.UserRole, point_id)
            self.chosen.addItem(item)
            have.add(point_id)
            added += 1
        self._update_count()
        return added

    def group(self) -> list:
        return meetings_.group_members(
            self._points.values(),
            county=self.county.currentData(),
            point_type=self.type.currentData(),
        )

    def add_county_group(self) -> None:
        members = self.group()
        self.add_points([p.point_id for p in members])
        if not self.title.isModified() and not self.title.text():
            self.title.setText(
                self.tr("%1 %2 video meeting")
                .replace("%1", self.county.currentText())
                .replace("%2", self.type.currentText())
            )

    def propose(self, point) -> None:
        """From the map's "add to a meeting": the point joins the list, and the county and
        kind are set so that "Add all" adds the rest of its kind there."""
        self.add_points([point.point_id])
        county = self.county.findData(county_code(point.org_code))
        kind = self.type.findData(point.type)
        if county >= 0:
            self.county.setCurrentIndex(county)
        if kind >= 0:
            self.type.setCurrentIndex(kind)
        self.title.setFocus()

    def _add_by_name(self) -> None:
        text = self.by_name.text().strip()
        if not text:
            return
        match = next(
            (p for p in self._points.values() if p.name == text or p.point_id == text), None
        )
        if match is None:
            self.status.setText(self.tr("No service point named %1").replace("%1", text))
            self.status.setStyleSheet("color: #f85149;")
            return
        self.add_points([match.point_id])
        self.by_name.clear()

    def _clear(self) -> None:
        self.chosen.clear()
        self._update_count()

    def _update_count(self) -> None:
        n = len(self.chosen_ids())
        too_many = meetings_.over_limit(n)
        if too_many:
            self.count.setText(
                self.tr("%1 chosen: a meeting holds at most %2. Remove %3, or choose one county.")
                .replace("%1", str(n))
                .replace("%2", str(MAX_MEETING_PARTICIPANTS))
                .replace("%3", str(too_many))
            )
            self.count.setStyleSheet("color: #f85149; font-weight: 600;")
        else:
            self.count.setText(
                self.tr("%1 of at most %2 participants")
                .replace("%1", str(n))
                .replace("%2", str(MAX_MEETING_PARTICIPANTS))
            )
            self.count.setStyleSheet("")
        self.launch.setEnabled(n > 0 and not too_many)
        self.invite.setEnabled(bool(n) and self._selected() is not None)
        self.hold_busy()

    # -- saved groups --------------------------------------------------------------------

    def _use_saved_group(self, index: int) -> None:
        name = self.saved.itemData(index)
        if not name:
            return
        self.chosen.clear()
        members = (self._groups or {}).get(name, ())
        missing = [p for p in members if p not in self._points]
        self.add_points([p for p in members if p in self._points])
        if not self.title.isModified():
            self.title.setText(name)
        if missing:
            self.status.setText(
                self.tr("%1 points of the group no longer exist and were left out").replace(
                    "%1", str(len(missing))
                )
            )
            self.status.setStyleSheet("color: #d29922;")

    def save_as_group(self) -> None:
        ids = self.chosen_ids()
        if not ids or not self.console.may("meeting.launch"):
            return
        name, ok = QInputDialog.getText(
            self,
            self.tr("Save group"),
            self.tr("Name of the group:"),
            text=self.title.text().strip(),
        )
        name = name.strip()
        if not ok or not name:
            return
        if (
            name in (self._groups or {})
            and QMessageBox.question(
                self,
                self.tr("Save group"),
                literal(self.tr("Replace the group %1?").replace("%1", name)),
            )
            != QMessageBox.StandardButton.Yes
        ):
            return
        commands, by = self.console.commands.meetings, self.console.on_duty()
        self.run_command(
            self.tr("Saving the group"),
            lambda: commands.save_group(name, ids, by),
            busy=[self.save_group],
        )

    def delete_saved_group(self) -> None:
        name = self.saved.currentData()
        if not name or not self.console.may("meeting.launch"):
            return
        if (
            QMessageBox.question(
                self,
                self.tr("Delete group"),
                literal(self.tr("Delete the group %1?").replace("%1", name)),
            )
            != QMessageBox.StandardButton.Yes
        ):
            return
        commands, by = self.console.commands.meetings, self.console.on_duty()
        self.run_command(
            self.tr("Deleting the group"),
            lambda: commands.delete_group(name, by),
            busy=[self.delete_group],
        )

    # -- reading -----------------------------------------------------------------------

    def read(self):
        store = self.console.store
        points = self.console.snapshots.points.by_key()
        columns = meeting_columns(points)
        commands = [c for c in store.commands() if c.kind.startswith("meeting")]
        meetings, groups = store.meetings(), store.meeting_groups()
        if not self.console.scope.city:
            # a county desk: the meetings its points take part in, its groups
            meetings = [
                m
                for m in meetings
                if m.host_point_id in points or any(p.point_id in points for p in m.participants)
            ]
            groups = {n: ids for n, ids in groups.items() if all(i in points for i in ids)}
        return (
            points,
            build_rows(columns, meetings, record_id=lambda m: m.meeting_id),
            columns,
            commands,
            groups,
        )

    def show_data(self, data) -> None:
        self._points, rows, columns, self._commands, groups = data
        self.meetings.set_rows(rows, columns)
        if groups != self._groups:
            self._groups = groups
            current = self.saved.currentData()
            self.saved.clear()
            self.saved.addItem(self.tr("— saved groups (%1) —").replace("%1", str(len(groups))), "")
            for name, ids in groups.items():
                self.saved.addItem(f"{name} ({len(ids)})", name)
            self.saved.setCurrentIndex(max(0, self.saved.findData(current)))
        self.delete_group.setEnabled(bool(groups) and bool(self.saved.currentData()))
        if self.by_name.completer() is None or self.by_name.completer().model().rowCount() != len(
            self._points
        ):
            completer = QCompleter(
                sorted(p.name for p in self._points.values() if not p.deleted), self
            )
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            self.by_name.setCompleter(completer)
        ended = {m.meeting_id for m in self.meetings.records if m.status == "ended"}
        if self._ended is not None:
            for meeting_id in ended - self._ended:
                self.meeting_over.emit(mix_id(meeting_id))
        self._ended = ended
        self._show_participants()
        self._show_commands()

    def _show_commands(self) -> None:
        """Commands still waiting (and why, when retried), or the data center's refusal of
        the latest one it answered."""
        pending = [c for c in self._commands if c.state == "pending"]
        answered = [c for c in self._commands if c.state != "pending"]
        if pending:
            text = self.tr("%1 meeting commands waiting to be sent").replace(
                "%1", str(len(pending))
            )
            if pending[-1].last_error:
                text += " — " + self.tr("retrying: %1").replace("%1", pending[-1].last_error)
            self.status.setText(text)
            self.status.setStyleSheet("color: #d29922;")
        elif answered and answered[-1].state == "failed":
            self.status.setText(
                self.tr("Refused by the data center: %1").replace(
                    "%1", answered[-1].last_error or ""
                )
            )
            self.status.setStyleSheet("color: #f85149;")
        else:
            self.status.setText("")

    def _refilter(self, *_args) -> None:
        wanted = self.show_status.currentData()

        def accept(meeting) -> bool:
            if wanted == "open":
                return meeting.status != "ended"
            return not wanted or meeting.status == wanted

        self.meetings.set_filter(accept)

    def _selected(self):
        selected = self.table.selected_records()
        return selected[0] if selected else None

    def _show_participants(self, *_args) -> None:
        meeting = self._selected()
        columns = participant_columns(self._points)
        people = list(meeting.participants) if meeting else []
        self.participants.set_rows(
            build_rows(columns, people, record_id=lambda p: p.point_id), columns
        )
        states = Counter(p.state for p in people)
        self.states.setText(
            " · ".join(
                f"{i18n.term(contract.PARTICIPANT_STATE_LABELS, s)} {n}"
                for s, n in sorted(states.items())
            )
            if meeting
            else ""
        )
        live = meeting is not None and meeting.status != "ended"
        self.end.setEnabled(live)
        self.mix.setEnabled(live and bool(meeting.mix_url))
        self.remove.setEnabled(live)
        self.invite.setEnabled(live and bool(self.chosen_ids()))
        self.hold_busy()

    # -- commands ----------------------------------------------------------------------

    def launch_meeting(self) -> None:
        if not self.console.may("meeting.launch"):
            return
        members = self.chosen_ids()
        if not members or meetings_.over_limit(len(members)):
            return
        start = None
        if self.scheduled.isChecked():
            start = instant_of(self.start_at).astimezone(UTC)
            if start < datetime.now(UTC) - timedelta(minutes=1):
                QMessageBox.warning(
                    self,
                    self.tr("Launch meeting"),
                    self.tr("The scheduled time has passed; choose a later one or launch now."),
                )
                return
        title = self.title.text().strip() or self.tr("Video meeting")
        host = meetings_.default_host(self._points.values(), members)
        commands, by = self.console.commands.meetings, self.console.on_duty()
        self.run_command(
            self.tr("Launching the meeting"),
            lambda: commands.launch(title, host, members, start, by),
            on_done=lambda _key: self.title.setModified(False),
            busy=[self.launch],
        )

    def invite_chosen(self) -> None:
        meeting = self._selected()
        if meeting is None or meeting.status == "ended" or not self.console.may("meeting.launch"):
            return
        counted = meetings_.counted(meeting, self._commands)
        new = [p for p in self.chosen_ids() if p not in counted]
        if not new:
            self.status.setText(self.tr("Everyone in the list is already invited"))
            self.status.setStyleSheet("")
            return
        too_many = meetings_.over_limit(len(counted) + len(new))
        if too_many:
            QMessageBox.warning(
                self,
                self.tr("Invite"),
                self.tr(
                    "The meeting has %1 participants and a meeting holds at most %2: inviting %3 more is %4 too many. "
                    "Remove participants first, or invite fewer."
                )
                .replace("%1", str(len(counted)))
                .replace("%2", str(MAX_MEETING_PARTICIPANTS))
                .replace("%3", str(len(new)))
                .replace("%4", str(too_many)),
            )
            return
        self._change_participants(meeting, add=new, remove=[], button=self.invite)

    def remove_selected(self) -> None:
        meeting = self._selected()
        if meeting is None or meeting.status == "ended" or not self.console.may("meeting.launch"):
            return
        gone = [p.point_id for p in self.people.selected_records()]
        if not gone:
            return
        names = "、".join(getattr(self._points.get(p), "name", p) for p in gone[:5]) + (
            "…" if len(gone) > 5 else ""
        )
        if (
            QMessageBox.question(
                self,
                self.tr("Remove participants"),
                literal(
                    self.tr("Remove %1 from “%2”?")
                    .replace("%1", names)
                    .replace("%2", meeting.title)
                ),
            )
            != QMessageBox.StandardButton.Yes
        ):
            return
        self._change_participants(meeting, add=[], remove=gone, button=self.remove)

    def _change_participants(
        self, meeting, *, add: list[str], remove: list[str], button: QPushButton
    ) -> None:
        commands, by = self.console.commands.meetings, self.console.on_duty()
        self.run_command(
            self.tr("Changing the participants"),
            lambda: commands.change_participants(meeting.meeting_id, add=add, remove=remove, by=by),
            busy=[button],
        )

    def show_mix(self) -> None:
        meeting = self._selected()
        if meeting is None or not meeting.mix_url:
            return
        self.mix_to_wall.emit(
            DirectStream(
                mix_id(meeting.meeting_id),
                self.tr("Meeting: %1").replace("%1", meeting.title),
                meeting.mix_url,
                point_id=meeting.host_point_id,
            )
        )

    def end_meeting(self) -> None:
        meeting = self._selected()
        if meeting is None or not self.console.may("meeting.launch"):
            return
        answer = QMessageBox.question(
            self,
            self.tr("End meeting"),
            literal(self.tr("End “%1” for every participant?").replace("%1", meeting.title)),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        commands, by = self.console.commands.meetings, self.console.on_duty()
        self.run_command(
            self.tr("Ending the meeting"),
            lambda: commands.end(meeting.meeting_id, by),
            busy=[self.end],
        )


def mix_id(meeting_id: str) -> str:
    return f"mix:{meeting_id}"
