"""The workstation roles and which of them may take each state-changing action. The
window hides what a role may not do; the actions check again, so that a shortcut or
a signal cannot do what a button hidden would not."""

from __future__ import annotations

ROLES = ("duty_officer", "supervisor", "conference_operator")

PERMISSIONS: dict[str, tuple[str, ...]] = {
    "alert.acknowledge": ("duty_officer",),
    "alert.handle": ("duty_officer", "supervisor"),  # assign, comment
    "alert.close": ("duty_officer",),
    "meeting.launch": ("conference_operator", "duty_officer"),  # and change, end
}


def may(role: str, action: str) -> bool:
    return role in PERMISSIONS.get(action, ())
