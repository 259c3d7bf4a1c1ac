"""Initial schema: service points, cameras, statistics, alerts, inspections,
meetings, quarantine, feed health and state, audit log, outbox.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

import commandcenter.store.schema

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alert_history",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("alert_id", sa.String(length=128), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("ack_by", sa.String(length=128), nullable=True),
        sa.Column("ack_at", commandcenter.store.schema.UtcDateTime(), nullable=True),
        sa.Column("updated_at", commandcenter.store.schema.UtcDateTime(), nullable=False),
        sa.Column("recorded_at", commandcenter.store.schema.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_history")),
    )
    op.create_index(op.f("ix_alert_history_alert_id"), "alert_history", ["alert_id"], unique=False)
    op.create_table(
        "alerts",
        sa.Column("alert_id", sa.String(length=128), nullable=False),
        sa.Column("type", sa.String(length=64), nullable=False),
        sa.Column("severity", sa.Integer(), nullable=False),
        sa.Column("point_id", sa.String(length=128), nullable=True),
        sa.Column("lng", sa.Float(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("coord_sys", sa.String(length=16), nullable=True),
        sa.Column("lng_wgs84", sa.Float(), nullable=True),
        sa.Column("lat_wgs84", sa.Float(), nullable=True),
        sa.Column("occurred_at", commandcenter.store.schema.UtcDateTime(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("ack_by", sa.String(length=128), nullable=True),
        sa.Column("ack_at", commandcenter.store.schema.UtcDateTime(), nullable=True),
        sa.Column("updated_at", commandcenter.store.schema.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("alert_id", name=op.f("pk_alerts")),
    )
    op.create_index(op.f("ix_alerts_occurred_at"), "alerts", ["occurred_at"], unique=False)
    op.create_index(op.f("ix_alerts_point_id"), "alerts", ["point_id"], unique=False)
    op.create_index(op.f("ix_alerts_status"), "alerts", ["status"], unique=False)
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", commandcenter.store.schema.UtcDateTime(), nullable=False),
        sa.Column("user", sa.String(length=128), nullable=False),
        sa.Column("role", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("target", sa.String(length=256), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_at"), "audit_log", ["at"], unique=False)
    op.create_table(
        "cameras",
        sa.Column("camera_id", sa.String(length=128), nullable=False),
        sa.Column("point_id", sa.String(length=128), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("online", sa.Boolean(), nullable=False),
        sa.Column("ptz", sa.Boolean(), nullable=False),
        sa.Column("has_sub_stream", sa.Boolean(), nullable=False),
        sa.Column("updated_at", commandcenter.store.schema.UtcDateTime(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("camera_id", name=op.f("pk_cameras")),
    )
    op.create_index(op.f("ix_cameras_point_id"), "cameras", ["point_id"], unique=False)
    op.create_table(
        "case_stats",
        sa.Column("granularity", sa.String(length=8), nullable=False),
        sa.Column("bucket", commandcenter.store.schema.UtcDateTime(), nullable=False),
        sa.Column("org_code", sa.String(length=64), nullable=False),
        sa.Column("category", sa.String(length=64), nullable=False),
        sa.Column("received", sa.Integer(), nullable=False),
        sa.Column("closed", sa.Integer(), nullable=False),
        sa.Column("pending", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "granularity", "bucket", "org_code", "category", name=op.f("pk_case_stats")
        ),
    )
    op.create_table(
        "dashboard_summaries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("as_of", commandcenter.store.schema.UtcDateTime(), nullable=False),
        sa.Column("today", sa.JSON(), nullable=False),
        sa.Column("hotline", sa.JSON(), nullable=False),
        sa.Column("correction", sa.JSON(), nullable=False),
        sa.Column("points", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dashboard_summaries")),
        sa.UniqueConstraint("as_of", name=op.f("uq_dashboard_summaries_as_of")),
    )
    op.create_table(
        "feed_health",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("feed", sa.String(length=64), nullable=False),
        sa.Column("started_at", commandcenter.store.schema.UtcDateTime(), nullable=False),
        sa.Column("duration_s", sa.Float(), nullable=False),
        sa.Column("up", sa.Boolean(), nullable=False),
        sa.Column("records_in", sa.Integer(), nullable=False),
        sa.Column("records_rejected", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("not_modified", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feed_health")),
    )
    op.create_index(
        op.f("ix_feed_health_feed_started_at"), "feed_health", ["feed", "started_at"], unique=False
    )
    op.create_table(
        "feed_state",
        sa.Column("feed", sa.String(length=64), nullable=False),
        sa.Column("cursor", sa.Text(), nullable=True),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("watermark", commandcenter.store.schema.UtcDateTime(), nullable=True),
        sa.Column("last_full_sync", commandcenter.store.schema.UtcDateTime(), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("feed", name=op.f("pk_feed_state")),
    )
    op.create_table(
        "inspection_templates",
        sa.Column("template_id", sa.String(length=128), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("template_id", name=op.f("pk_inspection_templates")),
    )
    op.create_table(
        "inspections",
        sa.Column("inspection_id", sa.String(length=128), nullable=False),
        sa.Column("point_id", sa.String(length=128), nullable=False),
        sa.Column("template_id", sa.String(length=128), nullable=False),
        sa.Column("template_version", sa.Integer(), nullable=False),
        sa.Column("inspector", sa.String(length=128), nullable=False),
        sa.Column("started_at", commandcenter.store.schema.UtcDateTime(), nullable=True),
        sa.Column("finished_at", commandcenter.store.schema.UtcDateTime(), nullable=True),
        sa.Column("results", sa.JSON(), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.Column("rectification_due", sa.Date(), nullable=True),
        sa.Column("snapshot_count", sa.Integer(), nullable=False),
        sa.Column("updated_at", commandcenter.store.schema.UtcDateTime(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("inspection_id", name=op.f("pk_inspections")),
    )
    op.create_index(op.f("ix_inspections_point_id"), "inspections", ["point_id"], unique=False)
    op.create_table(
        "meetings",
        sa.Column("meeting_id", sa.String(length=128), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("mix_url", sa.Text(), nullable=True),
        sa.Column("host_point_id", sa.String(length=128), nullable=True),
        sa.Column("start_at", commandcenter.store.schema.UtcDateTime(), nullable=True),
        sa.Column("participants", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("meeting_id", name=op.f("pk_meetings")),
    )
    op.create_table(
        "orgs",
        sa.Column("org_code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("level", sa.String(length=32), nullable=False),
        sa.Column("parent_code", sa.String(length=64), nullable=True),
        sa.Column("adcode", sa.String(length=32), nullable=True),
        sa.Column("updated_at", commandcenter.store.schema.UtcDateTime(), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("org_code", name=op.f("pk_orgs")),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("idempotency_key", sa.String(length=64), nullable=False),
        sa.Column("target", sa.String(length=256), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", commandcenter.store.schema.UtcDateTime(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", commandcenter.store.schema.UtcDateTime(), nullable=False),
        sa.Column("sent_at", commandcenter.store.schema.UtcDateTime(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_outbox_idempotency_key")),
    )
    op.create_index(
        op.f("ix_outbox_state_next_attempt_at"),
        "outbox",
        ["state", "next_attempt_at"],
        unique=False,
    )
    op.create_table(
        "quarantine",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("feed", sa.String(length=64), nullable=False),
        sa.Column("record_id", sa.String(length=256), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("raw", sa.Text(), nullable=False),
        sa.Column("first_seen", commandcenter.store.schema.UtcDateTime(), nullable=False),
        sa.Column("last_seen", commandcenter.store.schema.UtcDateTime(), nullable=False),
        sa.Column("times_seen", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quarantine")),
        sa.UniqueConstraint("fingerprint", name=op.f("uq_quarantine_fingerprint")),
    )
    op.create_index(op.f("ix_quarantine_feed"), "quarantine", ["feed"], unique=False)
    op.create_table(
        "service_points",
        sa.Column("point_id", sa.String(length=128), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("type", sa.String(length=64), nullable=False),
        sa.Column("level", sa.String(length=32), nullable=False),
        sa.Column("org_code", sa.String(length=64), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("lng", sa.Float(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("coord_sys", sa.String(length=16), nullable=False),
        sa.Column("lng_wgs84", sa.Float(), nullable=True),
        sa.Column("lat_wgs84", sa.Float(), nullable=True),
        sa.Column("phone", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("staff_on_duty", sa.Integer(), nullable=True),
        sa.Column("open_hours", sa.String(length=64), nullable=False),
        sa.Column("camera_ids", sa.JSON(), nullable=False),
        sa.Column("updated_at", commandcenter.store.schema.UtcDateTime(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("point_id", name=op.f("pk_service_points")),
    )
    op.create_index(
        op.f("ix_service_points_org_code"), "service_points", ["org_code"], unique=False
    )
    op.create_index(op.f("ix_service_points_status"), "service_points", ["status"], unique=False)
    op.create_index(op.f("ix_service_points_type"), "service_points", ["type"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_service_points_type"), table_name="service_points")
    op.drop_index(op.f("ix_service_points_status"), table_name="service_points")
    op.drop_index(op.f("ix_service_points_org_code"), table_name="service_points")
    op.drop_table("service_points")
    op.drop_index(op.f("ix_quarantine_feed"), table_name="quarantine")
    op.drop_table("quarantine")
    op.drop_index(op.f("ix_outbox_state_next_attempt_at"), table_name="outbox")
    op.drop_table("outbox")
    op.drop_table("orgs")
    op.drop_table("meetings")
    op.drop_index(op.f("ix_inspections_point_id"), table_name="inspections")
    op.drop_table("inspections")
    op.drop_table("inspection_templates")
    op.drop_table("feed_state")
    op.drop_index(op.f("ix_feed_health_feed_started_at"), table_name="feed_health")
    op.drop_table("feed_health")
    op.drop_table("dashboard_summaries")
    op.drop_table("case_stats")
    op.drop_index(op.f("ix_cameras_point_id"), table_name="cameras")
    op.drop_table("cameras")
    op.drop_index(op.f("ix_audit_log_at"), table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_index(op.f("ix_alerts_status"), table_name="alerts")
    op.drop_index(op.f("ix_alerts_point_id"), table_name="alerts")
    op.drop_index(op.f("ix_alerts_occurred_at"), table_name="alerts")
    op.drop_table("alerts")
    op.drop_index(op.f("ix_alert_history_alert_id"), table_name="alert_history")
    op.drop_table("alert_history")
