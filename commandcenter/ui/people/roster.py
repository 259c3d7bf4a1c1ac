"""The duty roster (值班表): the shifts of the desk's organisations for a day, the one on
duty now marked, with the leader on duty and the officers and their phones; and the
status bar's line naming who is on duty now.

Against a data center without the roster (interface v1) the panel says so and lets
the desk enter its own shifts, marked "local"; local shifts are listed, marked, beside
the data center's when it has a roster too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from PySide6.QtCore import QDate, QEvent, Qt, QTime, QTimer
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTimeEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from commandcenter.domain import bureau_time
from commandcenter.domain.freshness import Freshness
from commandcenter.domain.geography import CITY_CODE, COUNTIES
from commandcenter.domain.roles import may
from commandcenter.domain.roster import (
    InvalidShift,
    RosterPerson,
    Shift,
    desk_org,
    local_shift,
    officers_from_lines,
    on_roster,
    roster_dates,
    rosters_seen,
    shift_on_duty,
)
from commandcenter.store.roster import ROSTER_CHANGE
from commandcenter.ui.widgets import i18n
from commandcenter.ui.widgets.flow import FlowLayout
from commandcenter.ui.widgets.panel import Console, Panel
from commandcenter.ui.widgets.style import FRESHNESS_COLOURS
from commandcenter.ui.widgets.text import ElidedLabel, literal, plain_label

FEED = "duty_roster"
ON_DUTY_COLOUR = FRESHNESS_COLOURS[Freshness.FRESH]
WARNING_COLOUR = FRESHNESS_COLOURS[Freshness.STALE]
LOCAL_COLOUR = "#58a6ff"
SHIFT_ID_ROLE = Qt.ItemDataRole.UserRole
# the roster line reads again at least this often: a shift ends on the clock, not on a change
LINE_REFRESH_MS = 30_000
PANEL_REFRESH_MS = 60_000


@dataclass(frozen=True, slots=True)
class RosterReading:
    """What the panel shows: the day's shifts by organisation and which are on duty now."""

    day: date
    offered: bool | None
    groups: list[tuple[str, list[Shift]]]
    on_duty: frozenset[str]  # shift ids


def org_order(desk: str, codes: set[str]) -> list[str]:
    """The desk's own organisation first, then the city, then the counties in the
    city's order, then any other code the roster names."""
    known = [desk, CITY_CODE, *(c.code for c in COUNTIES)]
    ordered = [c for c in dict.fromkeys(known) if c in codes]
    return ordered + sorted(codes - set(ordered))


def _wall_time(value: QTime) -> time:
    return time(value.hour(), value.minute())


def person_text(person: RosterPerson) -> str:
    """A person on the roster as listed: the name and the phone number."""
    return f"{person.name} {person.phone}".strip()


def shift_hours(shift: Shift, day: date) -> str:
    """08:30–17:30, with the day when it is not `day` and "+1" when it ends the next day."""
    start, end = bureau_time.at_bureau(shift.start), bureau_time.at_bureau(shift.end)
    text = f"{start:%H:%M}–{end:%H:%M}"
    if end.date() > start.date():
        text += f" (+{(end.date() - start.date()).days})"
    if start.date() != day:
        text = f"{start:%m-%d} {text}"
    return text


class RosterPanel(Panel):
    """The duty roster of the desk's scope for a day (today unless another is chosen):
    a county desk sees its county's and the city's, the city desk every one."""

    reload_on = (ROSTER_CHANGE,)
    feeds = (FEED,)

    def __init__(self, console: Console, parent: QWidget | None = None):
        super().__init__(console, parent)
        self.setObjectName("roster")
        today = bureau_time.now().date()
        self.day = QDateEdit(QDate(today.year, today.month, today.day))
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.dateChanged.connect(lambda _d: self.reload(urgent=True))
        self.today_button = QPushButton(self.tr("Today"))
        self.today_button.clicked.connect(self.show_today)
        self.on_duty_now = plain_label()  # names from the data center
        self.on_duty_now.setObjectName("rosterOnDutyNow")
        bar = FlowLayout()
        bar.addWidget(QLabel(self.tr("Roster of")))
        bar.addWidget(self.day)
        bar.addWidget(self.today_button)
        bar.addWidget(self.on_duty_now, 1)
        self.not_offered = QLabel(
            self.tr(
                "This data center offers no duty roster (interface v1). The shifts entered "
                "at this desk are listed instead, marked “local”."
            )
        )
        self.not_offered.setObjectName("rosterNotOffered")
        self.not_offered.setWordWrap(True)
        self.not_offered.setStyleSheet(f"color: {WARNING_COLOUR}; font-weight: 600;")
        self.not_offered.hide()
        self.tree = QTreeWidget()
        self.tree.setColumnCount(5)
        self._name_columns()
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setWordWrap(False)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.tree.header()
        header.setStretchLastSection(False)
        for column, mode in enumerate(
            (
                QHeaderView.ResizeMode.ResizeToContents,
                QHeaderView.ResizeMode.Interactive,
                QHeaderView.ResizeMode.Stretch,
                QHeaderView.ResizeMode.ResizeToContents,
                QHeaderView.ResizeMode.ResizeToContents,
            )
        ):
            header.setSectionResizeMode(column, mode)
        header.resizeSection(1, 200)
        self.tree.itemSelectionChanged.connect(self._selection_changed)
        self.remove_button = QPushButton(self.tr("Remove local shift"))
        self.remove_button.setEnabled(False)
        self.remove_button.hide()
        self.has_local = False  # local shifts are listed: they may be removed
        self.offered: bool | None = None  # whether the data center offers the roster
        self.remove_button.clicked.connect(self._remove)
        left = QVBoxLayout()
        left.addLayout(bar)
        left.addWidget(self.not_offered)
        left.addWidget(self.tree, 1)
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.remove_button)
        left.addLayout(actions)
        self.form = self._local_form()
        self.form.hide()
        row = QHBoxLayout()
        row.addLayout(left, 1)
        row.addWidget(self.form)
        self.body.addLayout(row)
        self.apply_role(console.role)
        # the shift on duty changes on the clock, not with the data: read again every
        # minute, and follow the date at midnight when today's roster is shown
        self._today = today
        self._clock = QTimer(self)
        self._clock.timeout.connect(self._tick)
        self._clock.start(PANEL_REFRESH_MS)
        self.reload()

    def _tick(self) -> None:
        today = bureau_time.now().date()
        following = self.shown_day == self._today
        self._today = today
        if following and self.shown_day != today:
            self.show_today()  # reads the new day's roster
        else:
            self.reload()

    def _name_columns(self) -> None:
        self.tree.setHeaderLabels(
            [
                self.tr("Shift"),
                self.tr("Leader on duty"),
                self.tr("Officers on duty"),
                self.tr("Source"),
                self.tr("Now"),
            ]
        )

    def retranslate(self) -> None:
        """The column titles and the organisations' names in the new language too."""
        super().retranslate()
        self._name_columns()
        for index in range(self.form_org.count()):
            self.form_org.setItemText(index, i18n.place(self.form_org.itemData(index)))

    def _fill_form_orgs(self) -> None:
        """The organisations whose shifts this desk may enter: its county's, or any."""
        scope = self.console.scope
        codes = (
            [scope.county] if scope.county is not None else [CITY_CODE, *(c.code for c in COUNTIES)]
        )
        self.form_org.clear()
        for code in codes:
            self.form_org.addItem(i18n.place(code), code)

    def apply_scope(self) -> None:
        """Another person's desk: their county's roster, and its shifts to enter."""
        self._fill_form_orgs()
        super().apply_scope()

    def _local_form(self) -> QWidget:
        box = QGroupBox(self.tr("Enter a local duty shift"))
        self.form_org = QComboBox()
        self._fill_form_orgs()
        today = bureau_time.now().date()
        self.form_day = QDateEdit(QDate(today.year, today.month, today.day))
        self.form_day.setCalendarPopup(True)
        self.form_day.setDisplayFormat("yyyy-MM-dd")
        self.form_start = QTimeEdit(QTime(8, 30))
        self.form_end = QTimeEdit(QTime(17, 30))
        for edit in (self.form_start, self.form_end):
            edit.setDisplayFormat("HH:mm")
        self.form_leader = QLineEdit(maxLength=200)
        self.form_leader.setPlaceholderText(self.tr("Leader's name"))
        self.form_leader_phone = QLineEdit(maxLength=64)
        self.form_leader_phone.setPlaceholderText(self.tr("Phone"))
        self.form_officers = QPlainTextEdit()
        self.form_officers.setPlaceholderText(self.tr("One officer a line: name, then phone"))
        self.form_officers.setTabChangesFocus(True)
        self.form_officers.setMinimumHeight(70)
        self.form_officers.setMaximumHeight(140)
        self.form_notice = plain_label()
        self.form_notice.setObjectName("rosterFormNotice")
        self.form_notice.setWordWrap(True)
        self.form_notice.setStyleSheet(f"color: {FRESHNESS_COLOURS[Freshness.DOWN]};")
        self.form_notice.hide()
        self.add_button = QPushButton(self.tr("Add local shift"))
        self.add_button.clicked.connect(self._add)
        layout = QFormLayout(box)
        layout.addRow(self.tr("Organisation"), self.form_org)
        layout.addRow(self.tr("Date"), self.form_day)
        times = QHBoxLayout()
        times.addWidget(self.form_start)
        times.addWidget(QLabel("–"))
        times.addWidget(self.form_end)
        times.addStretch(1)
        layout.addRow(self.tr("From – to"), times)
        layout.addRow(self.tr("Leader on duty"), self.form_leader)
        layout.addRow(self.tr("Leader's phone"), self.form_leader_phone)
        layout.addRow(self.tr("Officers on duty"), self.form_officers)
        layout.addRow(self.form_notice)
        layout.addRow(self.add_button)
        outer = QVBoxLayout()
        outer.addWidget(box)
        outer.addStretch(1)
        holder = QWidget()
        holder.setObjectName("rosterLocalForm")
        holder.setLayout(outer)
        holder.setMaximumWidth(420)
        outer.setContentsMargins(0, 0, 0, 0)
        return holder

    # -- reading ------------------------------------------------------------------------

    @property
    def shown_day(self) -> date:
        """The day whose roster is shown."""
        chosen = self.day.date()
        return date(chosen.year(), chosen.month(), chosen.day())

    def show_today(self) -> None:
        """Back to today's roster."""
        today = bureau_time.now().date()
        self.day.setDate(QDate(today.year, today.month, today.day))

    def read(self) -> RosterReading:
        day = self.shown_day
        now = datetime.now(UTC)
        store = self.console.store
        scope = self.console.scope
        # yesterday's roster too: the night shift on duty in the small hours is on it
        shifts = store.duty_shifts([day - timedelta(days=1), day], rosters_seen(scope))
        shown = [s for s in shifts if s.date == day or s.covers(now)]
        by_org: dict[str, list[Shift]] = {}
        for shift in shown:
            by_org.setdefault(shift.org_code, []).append(shift)
        # on duty now, whatever day is shown
        current = store.duty_shifts(roster_dates(now), list(by_org)) if by_org else []
        on_duty = set()
        for org in by_org:
            now_on = shift_on_duty(current, org, now)
            if now_on is not None:
                on_duty.add(now_on.shift_id)
        groups = [(org, by_org[org]) for org in org_order(desk_org(scope), set(by_org))]
        return RosterReading(day, store.feature_offered(FEED), groups, frozenset(on_duty))

    def show_data(self, data: RosterReading) -> None:
        self.offered = data.offered
        self.not_offered.setVisible(data.offered is False)
        self.form.setVisible(data.offered is False and may(self.console.role, "roster.local_add"))
        selected = self._selected_shift_id()
        self.tree.clear()
        bold = QFont(self.tree.font())
        bold.setBold(True)
        now_names: list[str] = []
        for org, shifts in data.groups:
            group = QTreeWidgetItem([i18n.place(org)])
            group.setFirstColumnSpanned(True)
            group.setFont(0, bold)
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.addTopLevelItem(group)
            group.setFirstColumnSpanned(True)
            for shift in shifts:
                item = self._shift_item(shift, data)
                group.addChild(item)
                if shift.shift_id == selected:
                    item.setSelected(True)
                if shift.shift_id in data.on_duty and shift.leader is not None:
                    now_names.append(f"{i18n.place(org)} {shift.leader.name}")
            group.setExpanded(True)
        if not data.groups:
            empty = QTreeWidgetItem([self.tr("No shifts on this day's roster")])
            empty.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.addTopLevelItem(empty)
            empty.setFirstColumnSpanned(True)
        self.tree.setRootIsDecorated(False)
        self.tree.expandAll()
        self.has_local = any(s.local for _org, shifts in data.groups for s in shifts)
        self.remove_button.setVisible(self.has_local and may(self.console.role, "roster.local_add"))
        self.on_duty_now.setText(
            self.tr("Leaders on duty now: %1").replace("%1", "、".join(now_names))
            if now_names
            else ""
        )
        self._selection_changed()

    def _shift_item(self, shift: Shift, data: RosterReading) -> QTreeWidgetItem:
        leader = person_text(shift.leader) if shift.leader is not None else "—"
        officers = "、".join(person_text(p) for p in shift.officers) or "—"
        source = self.tr("Local") if shift.local else self.tr("Data center")
        current = shift.shift_id in data.on_duty
        item = QTreeWidgetItem(
            [
                shift_hours(shift, data.day),
                leader,
                officers,
                source,
                self.tr("On duty now") if current else "",
            ]
        )
        item.setData(0, SHIFT_ID_ROLE, shift.shift_id)
        item.setData(3, SHIFT_ID_ROLE, shift.source)
        item.setToolTip(1, literal(leader))
        item.setToolTip(2, literal("\n".join(person_text(p) for p in shift.officers)))
        if shift.local:
            item.setForeground(3, QBrush(QColor(LOCAL_COLOUR)))
        if current:
            font = QFont(self.tree.font())
            font.setBold(True)
            for column in range(self.tree.columnCount()):
                item.setFont(column, font)
                item.setForeground(column, QBrush(QColor(ON_DUTY_COLOUR)))
        return item

    # -- local shifts -------------------------------------------------------------------

    def apply_role(self, role: str) -> None:
        """Entering and removing local shifts: for duty officers and supervisors."""
        allowed = may(role, "roster.local_add")
        self.remove_button.setVisible(allowed and self.has_local)
        self.form.setVisible(allowed and self.offered is False)

    def _selected_shift_id(self) -> str | None:
        items = self.tree.selectedItems()
        return items[0].data(0, SHIFT_ID_ROLE) if items else None

    def _selected_local(self) -> str | None:
        items = self.tree.selectedItems()
        if not items or items[0].data(3, SHIFT_ID_ROLE) != "local":
            return None
        return items[0].data(0, SHIFT_ID_ROLE)

    def _selection_changed(self) -> None:
        self.remove_button.setEnabled(self._selected_local() is not None)
        self.hold_busy()

    def _form_error(self, text: str) -> None:
        self.form_notice.setText(text)
        self.form_notice.setVisible(bool(text))

    def _add(self) -> None:
        if not self.console.may("roster.local_add"):
            return
        leader_name = self.form_leader.text().strip()
        leader = (
            RosterPerson(None, leader_name, self.form_leader_phone.text().strip())
            if leader_name
            else None
        )
        officers = officers_from_lines(self.form_officers.toPlainText())
        if leader is None and not officers:
            self._form_error(self.tr("Enter the leader on duty or at least one officer."))
            return
        chosen = self.form_day.date()
        day = date(chosen.year(), chosen.month(), chosen.day())
        start = _wall_time(self.form_start.time())
        end = _wall_time(self.form_end.time())
        org = self.form_org.currentData()
        try:  # checked here too, so that the desk reads why at once
            local_shift("check", org, day, start, end, leader, officers)
        except InvalidShift as exc:
            self._form_error(str(exc))
            return
        self._form_error("")
        by = self.console.on_duty()

        def added(_shift) -> None:
            self.form_leader.clear()
            self.form_leader_phone.clear()
            self.form_officers.clear()

        self.run_command(
            self.tr("Entering the local shift"),
            lambda: self.console.commands.roster.add_local_shift(
                org, day, start, end, leader, officers, by
            ),
            on_done=added,
            busy=[self.add_button],
        )

    def _remove(self) -> None:
        shift_id = self._selected_local()
        if shift_id is None or not self.console.may("roster.local_add"):
            return
        by = self.console.on_duty()
        self.run_command(
            self.tr("Removing the local shift"),
            lambda: self.console.commands.roster.remove_local_shift(shift_id, by),
            busy=[self.remove_button],
        )


@dataclass(frozen=True, slots=True)
class OnDuty:
    """The roster line's reading: whether there is a roster, the shift on duty at the
    desk's organisation, and whether the person at the desk is on it."""

    offered: bool | None
    shift: Shift | None
    person_on_roster: bool | None  # None: nobody signed in, or no shift on duty


class RosterLine(ElidedLabel):
    """For the status bar: who is on duty now in the desk's organisation ("值班领导 王敏 ·
    值班员 李强、张伟"), with a warning, not a block, when the person signed in is not
    on that shift's roster. Shortens with "…" on a narrow status bar, the warning first
    so that it is the part that stays."""

    def __init__(self, console: Console, parent: QWidget | None = None):
        super().__init__("", parent)  # plain text: names from the data center
        self.console = console
        self.setObjectName("rosterLine")
        self._tip = ""
        self.reading: OnDuty | None = None
        self.warning = False  # the person signed in is not on the shift on duty
        console.bridge.changed.connect(self._on_change)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.refresh)
        self._timer.start(LINE_REFRESH_MS)
        self.refresh()

    def _on_change(self, kind: str) -> None:
        if kind == ROSTER_CHANGE:
            self.refresh()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange and self.reading is not None:
            self.show_reading(self.reading)  # its words in the new language

    def refresh(self) -> None:
        """Read the roster again (off the GUI thread) and show who is on duty."""
        self.console.reader.read(
            "roster-line", self.read, self.show_reading, self._failed, paced=False
        )

    def read(self) -> OnDuty:
        """Runs in a worker thread."""
        now = datetime.now(UTC)
        store = self.console.store
        org = desk_org(self.console.scope)
        shift = shift_on_duty(store.duty_shifts(roster_dates(now), [org]), org, now)
        person = self.console.person
        on = on_roster(person, shift) if person is not None and shift is not None else None
        return OnDuty(store.feature_offered(FEED), shift, on)

    def show_reading(self, reading: OnDuty) -> None:
        """Show a reading: the shift on duty, or why there is none."""
        self.reading = reading
        shift = reading.shift
        warning = False
        if shift is None:
            text = (
                self.tr("Duty roster: not offered by the data center")
                if reading.offered is False
                else self.tr("Duty roster: no shift on duty now")
            )
            tip = (
                self.tr(
                    "This data center offers no duty roster (interface v1): enter the desk's "
                    "shifts in the Duty roster panel."
                )
                if reading.offered is False
                else ""
            )
        else:
            parts = []
            if shift.leader is not None:
                parts.append(self.tr("Leader on duty %1").replace("%1", shift.leader.name))
            if shift.officers:
                parts.append(
                    self.tr("Officers %1").replace("%1", "、".join(p.name for p in shift.officers))
                )
            text = " · ".join(parts) or self.tr("Duty roster: shift without names")
            tip = (
                self.tr("%1 %2, shift %3")
                .replace("%1", i18n.place(shift.org_code))
                .replace("%2", self.tr("(local)") if shift.local else "")
                .replace("%3", shift_hours(shift, shift.date))
            )
            if reading.person_on_roster is False:
                warning = True
                text = self.tr("You are not on this shift's roster") + " · " + text
                tip += "\n" + self.tr(
                    "The person signed in at this desk is not the leader or an officer of "
                    "the shift on duty. You may go on working; check the roster or the "
                    "handover."
                )
        self._tip = tip.strip()
        self.setText(text)
        self.setStyleSheet(f"color: {WARNING_COLOUR};" if warning else "")
        self.warning = warning

    def _failed(self, message: str) -> None:
        self._tip = message
        self.setText(self.tr("Duty roster: cannot be read"))

    def _elide(self) -> None:
        super()._elide()
        # the whole line (when shortened) and the shift's particulars, on hover
        whole = (
            self.text() if self.fontMetrics().horizontalAdvance(self.text()) > self.width() else ""
        )
        tip = getattr(self, "_tip", "")  # none yet while the label is being made
        self.setToolTip(literal("\n".join(p for p in (whole, tip) if p)))
