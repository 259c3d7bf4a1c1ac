"""The duty log's events: the client's own entries (a critical alert, a feed down or
back) carry the event they record, unique, so that each is logged once however many
writers see it.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a new nullable column: allowed by the append-only triggers, which refuse only
    # changes to rows
    op.add_column("duty_log", sa.Column("event", sa.String(length=200), nullable=True))
    op.create_index(op.f("ix_duty_log_event"), "duty_log", ["event"], unique=True)


def downgrade() -> None:
    op.drop_index(op.f("ix_duty_log_event"), table_name="duty_log")
    # ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35): a batch copy would lose the triggers
    op.drop_column("duty_log", "event")
