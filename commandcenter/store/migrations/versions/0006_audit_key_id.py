"""The audit chain keyed: each entry names the key that chained it. Entries written
before carry none and keep their unkeyed hashes; the first keyed entry covers them.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain ADD COLUMN: a batch copy of the table would lose its append-only triggers
    op.add_column("audit_log", sa.Column("key_id", sa.String(length=16), nullable=True))


def downgrade() -> None:
    op.drop_column("audit_log", "key_id")
