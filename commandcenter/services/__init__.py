"""Operator commands: each one transaction through the store's unit of work, holding the
command's intent for the data center (the outbox), the record's change and its audit
entry, so that a failure leaves none of it. No Qt: the desktop runs them on a worker."""

from commandcenter.services.alerts import AlertCommands
from commandcenter.services.command import CommandFailed, Operator
from commandcenter.services.duty import DutyCommands
from commandcenter.services.inspections import InspectionCommands
from commandcenter.services.meetings import MeetingCommands
from commandcenter.services.roster import RosterCommands
from commandcenter.store import Store


class OperatorCommands:
    """Every command of the desk's operators over one store, by what it acts on."""

    def __init__(self, store: Store):
        self.alerts = AlertCommands(store)
        self.meetings = MeetingCommands(store)
        self.inspections = InspectionCommands(store)
        self.duty = DutyCommands(store)
        self.roster = RosterCommands(store)


__all__ = [
    "AlertCommands",
    "CommandFailed",
    "DutyCommands",
    "InspectionCommands",
    "MeetingCommands",
    "Operator",
    "OperatorCommands",
    "RosterCommands",
]
