"""The workstation roles and which of them may take each state-changing action. The
window hides what a role may not do; the actions check again, so that a shortcut or
a signal cannot do what a button hidden would not."""

from __future__ import annotations

ROLES = ("duty_officer", "supervisor", "conference_operator")

PERMISSIONS: dict[str, tuple[str, ...]] = {
    "alert.acknowledge": ("duty_officer",),
    "alert.handle": ("duty_officer", "supervisor"),  # assign, comment
    "alert.close": ("duty_officer",),
    "alerts.mute": ROLES,  # the sound at this desk: whoever sits there
    "meeting.launch": ("conference_operator", "duty_officer"),  # and change, end, groups
    "inspection.submit": ("supervisor",),  # and its snapshots, plans, roll-calls
    "rectification.close": ("supervisor",),
    "wall.place": ROLES,  # the wall and its cameras: every role that has the wall
    "role.switch": ROLES,
    "duty.log": ("duty_officer", "supervisor"),  # and corrections
    "duty.handover": ("duty_officer", "supervisor"),  # and accepting, objecting
    # a shift entered at the desk when the data center keeps no roster (contract v1)
    "roster.local_add": ("duty_officer", "supervisor"),
}

# Audited actions that change nothing anyone else sees (files written on this machine):
# they need no permission beyond seeing the panel.
LOCAL_ACTIONS = (
    "statistics.export",
    "statistics.daily_report",
    "inspection.summary",
    "inspection.report",
    "camera.snapshot",
    "ui.language",
    "duty.export",
    "duty.handover_report",
    # who takes and leaves the desk: whoever sits there, before any role applies
    "person.sign_in",
    "person.sign_in_failed",
    "person.locked_out",
    "person.sign_out",
    "person.shift_change",
    "screen.lock",
    "screen.unlock",
)

# Audited changes of the local accounts, made with `commandcenter users` by whoever
# administers the machine: no role at a desk may make them.
ACCOUNT_ACTIONS = (
    "account.add",
    "account.passwd",
    "account.disable",
    "account.enable",
    "account.unlock",
)

# The permission that covers each audited action.
COVERED_BY = {
    "alert.assign": "alert.handle",
    "alert.comment": "alert.handle",
    "alerts.sound_on": "alerts.mute",
    "meeting.end": "meeting.launch",
    "meeting.participants": "meeting.launch",
    "meeting.group.save": "meeting.launch",
    "meeting.group.delete": "meeting.launch",
    "inspection.snapshot": "inspection.submit",
    "inspection.plan": "inspection.submit",
    "rollcall.start": "inspection.submit",
    "rollcall.finish": "inspection.submit",
    "camera.ptz": "wall.place",
    "wall.tour.start": "wall.place",
    "wall.tour.stop": "wall.place",
    "duty.correct": "duty.log",
    "duty.accept": "duty.handover",
    "duty.object": "duty.handover",
    "roster.local_remove": "roster.local_add",
}


def permission_for(action: str) -> str | None:
    """The permission an audited action needs (None: a local action, see LOCAL_ACTIONS)."""
    if action in LOCAL_ACTIONS:
        return None
    return COVERED_BY.get(action, action)


def may(role: str, action: str) -> bool:
    """Whether the role may take the action."""
    return role in PERMISSIONS.get(action, ())
