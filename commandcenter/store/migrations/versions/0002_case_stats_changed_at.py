"""Case statistics: when each row was last written, so that a reader holding the
history in memory reads only the rows changed since its last read.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

import commandcenter.store.schema

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("case_stats") as batch:
        batch.add_column(
            sa.Column("changed_at", commandcenter.store.schema.UtcDateTime(), nullable=True)
        )
    op.create_index(
        op.f("ix_case_stats_granularity_changed_at"), "case_stats", ["granularity", "changed_at"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_case_stats_granularity_changed_at"), table_name="case_stats")
    with op.batch_alter_table("case_stats") as batch:
        batch.drop_column("changed_at")
