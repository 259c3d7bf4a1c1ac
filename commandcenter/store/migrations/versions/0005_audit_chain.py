"""The audit log chained by hashes, and append-only: a trigger refuses to change or
delete an entry. Entries written before are chained in the order they were written.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

from commandcenter.domain.audit_chain import GENESIS, hash_of
from commandcenter.store.schema import UtcDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

REFUSAL = "the audit log is append-only"


def upgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("hash", sa.String(length=64), nullable=True))
    audit = sa.table(
        "audit_log",
        sa.column("id", sa.Integer),
        sa.column("at", UtcDateTime()),
        sa.column("user", sa.String),
        sa.column("role", sa.String),
        sa.column("action", sa.String),
        sa.column("target", sa.String),
        sa.column("detail", sa.JSON),
        sa.column("prev_hash", sa.String),
        sa.column("hash", sa.String),
    )
    conn = op.get_bind()
    previous = GENESIS
    for row in conn.execute(sa.select(audit).order_by(audit.c.id)).all():
        digest = hash_of(row, previous, key=None)  # keys came with 0006
        conn.execute(
            sa.update(audit).where(audit.c.id == row.id).values(prev_hash=previous, hash=digest)
        )
        previous = digest
    if conn.dialect.name == "postgresql":
        op.execute(f"""
            CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION '{REFUSAL}'; END $$ LANGUAGE plpgsql""")
        op.execute(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
        )
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{event.lower()} BEFORE {event} ON audit_log "
                f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
            )


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION audit_log_append_only()")
    else:
        for event in ("update", "delete"):
            op.execute(f"DROP TRIGGER audit_log_no_{event}")
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("hash")
        batch.drop_column("prev_hash")
