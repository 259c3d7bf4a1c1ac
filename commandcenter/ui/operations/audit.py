"""Audit log: every state-changing action taken at this console (and, on a shared
store, at every console), with who, as which role, when and on what."""

from __future__ import annotations

import json

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QLineEdit

from commandcenter.domain import bureau_time
from commandcenter.ui.widgets.flow import FlowLayout
from commandcenter.ui.widgets.i18n import tr
from commandcenter.ui.widgets.panel import Console, Panel
from commandcenter.ui.widgets.tables import Column, RecordTable, RecordTableModel, build_rows

AUDIT_SHOWN = 2000


def role_name(role: str) -> str:
    names = {
        "duty_officer": QCoreApplication.translate("Roles", "Duty officer"),
        "supervisor": QCoreApplication.translate("Roles", "Supervisor"),
        "conference_operator": QCoreApplication.translate("Roles", "Conference operator"),
    }
    return names.get(role, role)


def action_name(action: str) -> str:
    names = {
        "alert.acknowledge": QCoreApplication.translate("Actions", "Acknowledge alert"),
        "alert.assign": QCoreApplication.translate("Actions", "Assign alert"),
        "alert.comment": QCoreApplication.translate("Actions", "Comment on alert"),
        "alert.close": QCoreApplication.translate("Actions", "Close alert"),
        "meeting.launch": QCoreApplication.translate("Actions", "Launch meeting"),
        "meeting.end": QCoreApplication.translate("Actions", "End meeting"),
        "meeting.participants": QCoreApplication.translate(
            "Actions", "Change meeting participants"
        ),
        "meeting.group.save": QCoreApplication.translate("Actions", "Save participant group"),
        "meeting.group.delete": QCoreApplication.translate("Actions", "Delete participant group"),
        "role.switch": QCoreApplication.translate("Actions", "Switch role"),
        "inspection.submit": QCoreApplication.translate("Actions", "Submit inspection"),
        "camera.ptz": QCoreApplication.translate("Actions", "Move camera"),
        "alerts.mute": QCoreApplication.translate("Actions", "Mute alert sound"),
        "alerts.sound_on": QCoreApplication.translate("Actions", "Alert sound on again"),
        "rectification.close": QCoreApplication.translate("Actions", "Close rectification"),
        "inspection.snapshot": QCoreApplication.translate(
            "Actions", "Inspection evidence snapshot"
        ),
        "inspection.plan": QCoreApplication.translate("Actions", "Save inspection plan"),
        "inspection.report": QCoreApplication.translate("Actions", "Inspection report (PDF)"),
        "inspection.summary": QCoreApplication.translate("Actions", "Inspection summary"),
        "rollcall.start": QCoreApplication.translate("Actions", "Start roll-call"),
        "rollcall.finish": QCoreApplication.translate("Actions", "Finish roll-call"),
        "wall.place": QCoreApplication.translate("Actions", "Cameras onto the wall"),
        "wall.tour.start": QCoreApplication.translate("Actions", "Start wall tour"),
        "wall.tour.stop": QCoreApplication.translate("Actions", "Stop wall tour"),
        "camera.snapshot": QCoreApplication.translate("Actions", "Camera snapshot"),
        "statistics.export": QCoreApplication.translate("Actions", "Export statistics"),
        "statistics.daily_report": QCoreApplication.translate("Actions", "Daily report"),
        "ui.language": QCoreApplication.translate("Actions", "Interface language"),
        "person.sign_in": QCoreApplication.translate("Actions", "Sign in"),
        "person.sign_in_failed": QCoreApplication.translate("Actions", "Sign-in refused"),
        "person.locked_out": QCoreApplication.translate("Actions", "Account locked out"),
        "person.sign_out": QCoreApplication.translate("Actions", "Sign out"),
        "person.shift_change": QCoreApplication.translate("Actions", "Shift change"),
        "screen.lock": QCoreApplication.translate("Actions", "Lock screen"),
        "screen.unlock": QCoreApplication.translate("Actions", "Unlock screen"),
        "account.add": QCoreApplication.translate("Actions", "Add local account"),
        "account.passwd": QCoreApplication.translate("Actions", "Change account password"),
        "account.disable": QCoreApplication.translate("Actions", "Disable account"),
        "account.enable": QCoreApplication.translate("Actions", "Enable account"),
        "account.unlock": QCoreApplication.translate("Actions", "Unlock account"),
        "duty.log": QCoreApplication.translate("Actions", "Duty log entry"),
        "duty.correct": QCoreApplication.translate("Actions", "Correct duty log entry"),
        "duty.handover": QCoreApplication.translate("Actions", "Hand over the shift"),
        "duty.accept": QCoreApplication.translate("Actions", "Accept the shift handover"),
        "duty.object": QCoreApplication.translate("Actions", "Object to the shift handover"),
        "duty.export": QCoreApplication.translate("Actions", "Export duty log"),
        "duty.handover_report": QCoreApplication.translate("Actions", "Handover record (PDF)"),
        "roster.local_add": QCoreApplication.translate("Actions", "Enter a local duty shift"),
        "roster.local_remove": QCoreApplication.translate("Actions", "Remove a local duty shift"),
    }
    return names.get(action, action)


def columns() -> list[Column]:

    return [
        Column(
            tr("Time"),
            lambda e: bureau_time.bureau_text(e.at, "%Y-%m-%d %H:%M:%S"),
            sort_key=lambda e: e.id,
        ),
        Column(tr("User"), lambda e: e.user),
        Column(tr("Role"), lambda e: role_name(e.role)),
        Column(tr("Action"), lambda e: action_name(e.action)),
        Column(tr("Target"), lambda e: e.target or ""),
        Column(
            tr("Detail"), lambda e: json.dumps(e.detail, ensure_ascii=False) if e.detail else ""
        ),
    ]


class AuditPanel(Panel):
    reload_on = ("audit",)

    def __init__(self, console: Console, parent=None):
        super().__init__(console, parent)
        self.setObjectName("audit")
        self.model = RecordTableModel(columns(), self)
        self.search = QLineEdit(placeholderText=self.tr("Search user, action, target…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.model.set_search)
        self.count = QLabel()
        bar = FlowLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.count)
        self.table = RecordTable(self.model)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.body.addLayout(bar)
        self.body.addWidget(self.table)
        self.model.modelReset.connect(self._count)
        self.reload()

    def read(self):
        entries = self.console.store.audit_log(limit=AUDIT_SHOWN)
        person = self.console.person
        if person is not None and not self.console.scope.city:
            # the log is the city's, and its details quote alerts, notes and handovers of
            # every county: a county desk reads the entries of the person signed in only
            own = {person.audit_name, person.user_name}
            entries = [e for e in entries if e.user in own]
        return build_rows(
            self.model.columns,
            entries,
            record_id=lambda e: e.id,
            search_text=lambda e: f"{e.user} {e.action} {action_name(e.action)} {e.target or ''}",
        )

    def _count(self) -> None:
        text = self.tr("Entries: %1").replace("%1", str(self.model.rowCount()))
        if self.console.person is not None and not self.console.scope.city:
            text += " · " + self.tr("a county desk sees its own entries only")
        self.count.setText(text)

    def show_data(self, rows) -> None:
        self.model.set_rows(rows)
