"""Operator commands: each one transaction through the store's unit of work, holding the
command's intent for the data center (the outbox), the record's change and its audit
entry, so that a failure leaves none of it. No Qt: the desktop runs them on a worker."""

from commandcenter.services.alerts import AlertCommands
from commandcenter.services.command import CommandFailed, Operator
from commandcenter.services.inspections import InspectionCommands
from commandcenter.services.meetings import MeetingCommands

__all__ = [
    "AlertCommands",
    "CommandFailed",
    "InspectionCommands",
    "MeetingCommands",
    "Operator",
]
