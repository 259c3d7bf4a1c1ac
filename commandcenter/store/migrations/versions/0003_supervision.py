"""Remote supervision performed at this desk: inspection drafts and their evidence,
inspection plans, roll-calls, and rectifications closed.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

import commandcenter.store.schema

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

UtcDateTime = commandcenter.store.schema.UtcDateTime


def upgrade() -> None:
    op.create_table(
        "inspection_drafts",
        sa.Column("draft_id", sa.String(length=64), nullable=False),
        sa.Column("point_id", sa.String(length=128), nullable=False),
        sa.Column("plan_id", sa.String(length=64), nullable=True),
        sa.Column("inspector", sa.String(length=128), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("draft_id", name=op.f("pk_inspection_drafts")),
    )
    op.create_index(op.f("ix_inspection_drafts_state"), "inspection_drafts", ["state"])
    op.create_index(op.f("ix_inspection_drafts_point_id"), "inspection_drafts", ["point_id"])
    op.create_table(
        "inspection_evidence",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("draft_id", sa.String(length=64), nullable=False),
        sa.Column("camera_id", sa.String(length=128), nullable=False),
        sa.Column("captured_at", UtcDateTime(), nullable=False),
        sa.Column("jpeg", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_evidence")),
    )
    op.create_index(op.f("ix_inspection_evidence_draft_id"), "inspection_evidence", ["draft_id"])
    op.create_table(
        "inspection_plans",
        sa.Column("plan_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("point_ids", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=128), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("plan_id", name=op.f("pk_inspection_plans")),
    )
    op.create_table(
        "roll_calls",
        sa.Column("roll_call_id", sa.String(length=64), nullable=False),
        sa.Column("inspector", sa.String(length=128), nullable=False),
        sa.Column("started_at", UtcDateTime(), nullable=False),
        sa.Column("finished_at", UtcDateTime(), nullable=True),
        sa.Column("point_ids", sa.JSON(), nullable=False),
        sa.Column("results", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("roll_call_id", name=op.f("pk_roll_calls")),
    )
    op.create_table(
        "rectification_closures",
        sa.Column("inspection_id", sa.String(length=128), nullable=False),
        sa.Column("closed_by", sa.String(length=128), nullable=False),
        sa.Column("closed_at", UtcDateTime(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("inspection_id", name=op.f("pk_rectification_closures")),
    )


def downgrade() -> None:
    op.drop_table("rectification_closures")
    op.drop_table("roll_calls")
    op.drop_table("inspection_plans")
    op.drop_index(op.f("ix_inspection_evidence_draft_id"), table_name="inspection_evidence")
    op.drop_table("inspection_evidence")
    op.drop_index(op.f("ix_inspection_drafts_point_id"), table_name="inspection_drafts")
    op.drop_index(op.f("ix_inspection_drafts_state"), table_name="inspection_drafts")
    op.drop_table("inspection_drafts")
