"""The local store (SQLAlchemy 2; SQLite by default, PostgreSQL when shared)."""

from commandcenter.store.store import (
    AuditEntry,
    ChangeEvent,
    OutboxEntry,
    QuarantineEntry,
    Store,
    StoreError,
    StoreOutdated,
    default_database_url,
    store_failure,
)

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
