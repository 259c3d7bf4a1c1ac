"""People on duty: local accounts, the duty roster's shifts, the duty log (append-only)
and shift handovers.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

import commandcenter.store.schema

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

UtcDateTime = commandcenter.store.schema.UtcDateTime

REFUSAL = "duty_log is append-only: a correction is a new entry"


def upgrade() -> None:
    op.create_table(
        "local_accounts",
        sa.Column("user_name", sa.String(length=128), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("roles", sa.JSON(), nullable=False),
        sa.Column("county", sa.String(length=32), nullable=True),
        sa.Column("person_id", sa.String(length=128), nullable=True),
        sa.Column("password_hash", sa.String(length=512), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("locked_until", UtcDateTime(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("user_name", name=op.f("pk_local_accounts")),
    )
    op.create_table(
        "duty_shifts",
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("shift_id", sa.String(length=128), nullable=False),
        sa.Column("date", sa.String(length=10), nullable=False),
        sa.Column("org_code", sa.String(length=64), nullable=False),
        sa.Column("start", UtcDateTime(), nullable=False),
        sa.Column("end", UtcDateTime(), nullable=False),
        sa.Column("leader", sa.JSON(), nullable=True),
        sa.Column("officers", sa.JSON(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("source", "shift_id", name=op.f("pk_duty_shifts")),
    )
    op.create_index(op.f("ix_duty_shifts_date"), "duty_shifts", ["date"])
    op.create_table(
        "duty_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("shift_date", sa.String(length=10), nullable=False),
        sa.Column("shift_id", sa.String(length=128), nullable=True),
        sa.Column("author", sa.String(length=128), nullable=False),
        sa.Column("author_name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("county", sa.String(length=32), nullable=True),
        sa.Column("corrects", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duty_log")),
    )
    op.create_index(op.f("ix_duty_log_at"), "duty_log", ["at"])
    op.create_index(op.f("ix_duty_log_shift_date"), "duty_log", ["shift_date"])
    op.create_table(
        "handovers",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("shift_date", sa.String(length=10), nullable=False),
        sa.Column("shift_id", sa.String(length=128), nullable=True),
        sa.Column("county", sa.String(length=32), nullable=True),
        sa.Column("outgoing", sa.String(length=128), nullable=False),
        sa.Column("outgoing_name", sa.String(length=200), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("incoming", sa.String(length=128), nullable=True),
        sa.Column("incoming_name", sa.String(length=200), nullable=True),
        sa.Column("answered_at", UtcDateTime(), nullable=True),
        sa.Column("objections", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handovers")),
    )
    op.create_index(op.f("ix_handovers_created_at"), "handovers", ["created_at"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""
            CREATE FUNCTION duty_log_append_only() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION '{REFUSAL}'; END $$ LANGUAGE plpgsql""")
        op.execute(
            "CREATE TRIGGER duty_log_append_only BEFORE UPDATE OR DELETE ON duty_log "
            "FOR EACH ROW EXECUTE FUNCTION duty_log_append_only()"
        )
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER duty_log_no_{event.lower()} BEFORE {event} ON duty_log "
                f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER duty_log_append_only ON duty_log")
        op.execute("DROP FUNCTION duty_log_append_only()")
    else:
        for event in ("update", "delete"):
            op.execute(f"DROP TRIGGER duty_log_no_{event}")
    op.drop_index(op.f("ix_handovers_created_at"), table_name="handovers")
    op.drop_table("handovers")
    op.drop_index(op.f("ix_duty_log_shift_date"), table_name="duty_log")
    op.drop_index(op.f("ix_duty_log_at"), table_name="duty_log")
    op.drop_table("duty_log")
    op.drop_index(op.f("ix_duty_shifts_date"), table_name="duty_shifts")
    op.drop_table("duty_shifts")
    op.drop_table("local_accounts")
