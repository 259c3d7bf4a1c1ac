"""Role checks: every state-changing action the client audits has a permission, and
the actions check it themselves."""

from __future__ import annotations

import re
from pathlib import Path

from commandcenter.domain.roles import PERMISSIONS, ROLES, may, permission_for

PACKAGE = Path(__file__).resolve().parents[1] / "commandcenter"
# the desktop audits as `console.audit("action", …)`, the operators' commands (services)
# with the operator who gave them first: `audit(self.store, work, by, "action", …)`
AUDITED = {
    "ui": re.compile(r'audit\(\s*"([a-z_.]+)"'),
    "services": re.compile(r'\bby,\s*"([a-z_.]+)"'),
}


def test_every_audited_action_has_a_permission_or_changes_only_this_machine():
    audited = {
        m.group(1)
        for room, pattern in AUDITED.items()
        for path in (PACKAGE / room).rglob("*.py")
        for m in pattern.finditer(path.read_text(encoding="utf-8"))
    }
    assert len(audited) > 20  # the scan found the actions
    uncovered = {
        a for a in audited if permission_for(a) is not None and permission_for(a) not in PERMISSIONS
    }
    assert uncovered == set()
    assert all(set(roles) <= set(ROLES) for roles in PERMISSIONS.values())


def test_the_roles_and_what_they_may_do():
    assert may("duty_officer", "alert.close") and not may("supervisor", "alert.close")
    assert may("supervisor", "inspection.submit") and not may("duty_officer", "inspection.submit")
    assert may("conference_operator", "meeting.launch") and not may("supervisor", "meeting.launch")
    assert not may("duty_officer", "no.such.action")
