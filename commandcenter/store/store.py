"""The store: what the feeds learned and what the client's commands need.

Written from feed worker threads, read from others: every method opens its own
connection, so any thread may call any method. Writes report what actually
changed, and listeners hear of a change only after it is committed.
"""

from __future__ import annotations

import sqlalchemy as sa

from commandcenter.store import schema as t
from commandcenter.store.accounts import LocalAccounts
from commandcenter.store.audit import AuditLog
from commandcenter.store.desk_data import DeskData
from commandcenter.store.duty import DutyRecords
from commandcenter.store.feed_data import FeedData
from commandcenter.store.health import FeedHealth
from commandcenter.store.outbox import Outbox
from commandcenter.store.roster import DutyRoster


class Store(
    FeedData, FeedHealth, AuditLog, Outbox, DeskData, LocalAccounts, DutyRecords, DutyRoster
):
    """The store as one object: every part of it (feed data, health, audit, outbox, desk
    data, local accounts, the duty log, the duty roster) over one engine, with one set of
    change listeners."""

    def counts(self) -> dict[str, int]:
        """How many rows each part of the store holds, deleted records left out."""
        tables = {
            "orgs": (t.orgs, ~t.orgs.c.deleted),
            "service_points": (t.service_points, ~t.service_points.c.deleted),
            "cameras": (t.cameras, ~t.cameras.c.deleted),
            "case_stats": (t.case_stats, None),
            "alerts": (t.alerts, None),
            "inspection_templates": (t.inspection_templates, None),
            "inspections": (t.inspections, ~t.inspections.c.deleted),
            "meetings": (t.meetings, None),
            "quarantine": (t.quarantine, None),
            "outbox": (t.outbox, None),
            "audit_log": (t.audit_log, None),
        }
        out = {}
        with self.engine.connect() as conn:
            for name, (table, where) in tables.items():
                stmt = sa.select(sa.func.count()).select_from(table)
                if where is not None:
                    stmt = stmt.where(where)
                out[name] = conn.execute(stmt).scalar_one()
        return out
