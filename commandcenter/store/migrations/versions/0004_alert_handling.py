"""Alerts handled at the command center (seen, assigned, commented, closed) and the
saved groups of meeting participants.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

import commandcenter.store.schema

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

UtcDateTime = commandcenter.store.schema.UtcDateTime


def upgrade() -> None:
    op.create_table(
        "alert_actions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("alert_id", sa.String(length=128), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_actions")),
    )
    op.create_index(op.f("ix_alert_actions_alert_id"), "alert_actions", ["alert_id"])
    op.create_table(
        "meeting_groups",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("point_ids", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=128), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_meeting_groups")),
    )


def downgrade() -> None:
    op.drop_table("meeting_groups")
    op.drop_index(op.f("ix_alert_actions_alert_id"), table_name="alert_actions")
    op.drop_table("alert_actions")
