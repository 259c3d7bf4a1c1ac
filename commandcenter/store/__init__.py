"""The local store (SQLAlchemy 2; SQLite by default, PostgreSQL when shared)."""

from commandcenter.store.audit import AuditEntry
from commandcenter.store.changes import ChangeEvent
from commandcenter.store.engine import (
    StoreError,
    StoreOutdated,
    default_database_url,
    store_failure,
)
from commandcenter.store.health import QuarantineEntry
from commandcenter.store.outbox import OutboxEntry
from commandcenter.store.store import Store

__all__ = [
    "AuditEntry",
    "ChangeEvent",
    "OutboxEntry",
    "QuarantineEntry",
    "Store",
    "StoreError",
    "StoreOutdated",
    "default_database_url",
    "store_failure",
]
