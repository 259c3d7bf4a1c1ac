"""Tables of the store (SQLAlchemy Core). Changed only together with a migration
in `migrations/versions/`; a test checks that the two agree."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator):
    """Stores UTC without an offset (SQLite has none), hands back aware UTC."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: sa.Dialect) -> datetime | None:
        """A time with an offset as the naive UTC the column keeps."""
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(
                f"naive datetime {value.isoformat()}: the store needs times with an offset"
            )
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> datetime | None:
        """The stored naive UTC as a time with its offset."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "pk": "pk_%(table_name)s",
    }
)

orgs = sa.Table(
    "orgs",
    metadata,
    sa.Column("org_code", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("level", sa.String(32), nullable=False),
    sa.Column("parent_code", sa.String(64)),
    sa.Column("adcode", sa.String(32)),
    sa.Column("updated_at", UtcDateTime()),
    sa.Column("deleted", sa.Boolean, nullable=False, default=False),
)

service_points = sa.Table(
    "service_points",
    metadata,
    sa.Column("point_id", sa.String(128), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("type", sa.String(64), nullable=False),
    sa.Column("level", sa.String(32), nullable=False),
    sa.Column("org_code", sa.String(64), nullable=False),
    sa.Column("address", sa.Text, nullable=False),
    sa.Column("lng", sa.Float, nullable=False),
    sa.Column("lat", sa.Float, nullable=False),
    sa.Column("coord_sys", sa.String(16), nullable=False),
    sa.Column("lng_wgs84", sa.Float),
    sa.Column("lat_wgs84", sa.Float),
    sa.Column("phone", sa.String(64), nullable=False),
    sa.Column("status", sa.String(32), nullable=False),
    sa.Column("staff_on_duty", sa.Integer),
    sa.Column("open_hours", sa.String(64), nullable=False),
    sa.Column("camera_ids", sa.JSON, nullable=False),
    sa.Column("updated_at", UtcDateTime(), nullable=False),
    sa.Column("deleted", sa.Boolean, nullable=False),
    sa.Index(None, "org_code"),
    sa.Index(None, "status"),
    sa.Index(None, "type"),
)

cameras = sa.Table(
    "cameras",
    metadata,
    sa.Column("camera_id", sa.String(128), primary_key=True),
    sa.Column("point_id", sa.String(128), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("online", sa.Boolean, nullable=False),
    sa.Column("ptz", sa.Boolean, nullable=False),
    sa.Column("has_sub_stream", sa.Boolean, nullable=False),
    sa.Column("updated_at", UtcDateTime(), nullable=False),
    sa.Column("deleted", sa.Boolean, nullable=False),
    sa.Index(None, "point_id"),
)

case_stats = sa.Table(
    "case_stats",
    metadata,
    sa.Column("granularity", sa.String(8), primary_key=True),
    sa.Column("bucket", UtcDateTime(), primary_key=True),
    sa.Column("org_code", sa.String(64), primary_key=True),
    sa.Column("category", sa.String(64), primary_key=True),
    sa.Column("received", sa.Integer, nullable=False),
    sa.Column("closed", sa.Integer, nullable=False),
    sa.Column("pending", sa.Integer, nullable=False),
    sa.Column("revision", sa.Integer, nullable=False),
    # when this store last wrote the row (NULL before 0002): readers that keep the
    # history in memory read only what changed since their last read
    sa.Column("changed_at", UtcDateTime()),
    sa.Index(None, "granularity", "changed_at"),
)

dashboard_summaries = sa.Table(
    "dashboard_summaries",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("as_of", UtcDateTime(), nullable=False, unique=True),
    sa.Column("today", sa.JSON, nullable=False),
    sa.Column("hotline", sa.JSON, nullable=False),
    sa.Column("correction", sa.JSON, nullable=False),
    sa.Column("points", sa.JSON, nullable=False),
)

alerts = sa.Table(
    "alerts",
    metadata,
    sa.Column("alert_id", sa.String(128), primary_key=True),
    sa.Column("type", sa.String(64), nullable=False),
    sa.Column("severity", sa.Integer, nullable=False),
    sa.Column("point_id", sa.String(128)),
    sa.Column("lng", sa.Float),
    sa.Column("lat", sa.Float),
    sa.Column("coord_sys", sa.String(16)),
    sa.Column("lng_wgs84", sa.Float),
    sa.Column("lat_wgs84", sa.Float),
    sa.Column("occurred_at", UtcDateTime(), nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("detail", sa.Text, nullable=False),
    sa.Column("status", sa.String(32), nullable=False),
    sa.Column("ack_by", sa.String(128)),
    sa.Column("ack_at", UtcDateTime()),
    sa.Column("updated_at", UtcDateTime(), nullable=False),
    sa.Index(None, "occurred_at"),
    sa.Index(None, "status"),
    sa.Index(None, "point_id"),
)

alert_history = sa.Table(
    "alert_history",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("alert_id", sa.String(128), nullable=False),
    sa.Column("status", sa.String(32), nullable=False),
    sa.Column("ack_by", sa.String(128)),
    sa.Column("ack_at", UtcDateTime()),
    sa.Column("updated_at", UtcDateTime(), nullable=False),
    sa.Column("recorded_at", UtcDateTime(), nullable=False),
    sa.Index(None, "alert_id"),
)

inspection_templates = sa.Table(
    "inspection_templates",
    metadata,
    sa.Column("template_id", sa.String(128), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("items", sa.JSON, nullable=False),
)

inspections = sa.Table(
    "inspections",
    metadata,
    sa.Column("inspection_id", sa.String(128), primary_key=True),
    sa.Column("point_id", sa.String(128), nullable=False),
    sa.Column("template_id", sa.String(128), nullable=False),
    sa.Column("template_version", sa.Integer, nullable=False),
    sa.Column("inspector", sa.String(128), nullable=False),
    sa.Column("started_at", UtcDateTime()),
    sa.Column("finished_at", UtcDateTime()),
    sa.Column("results", sa.JSON, nullable=False),
    sa.Column("findings", sa.Text, nullable=False),
    sa.Column("rectification_due", sa.Date),
    sa.Column("snapshot_count", sa.Integer, nullable=False),
    sa.Column("updated_at", UtcDateTime(), nullable=False),
    sa.Column("deleted", sa.Boolean, nullable=False),
    sa.Index(None, "point_id"),
)

meetings = sa.Table(
    "meetings",
    metadata,
    sa.Column("meeting_id", sa.String(128), primary_key=True),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("status", sa.String(32), nullable=False),
    sa.Column("mix_url", sa.Text),
    sa.Column("host_point_id", sa.String(128)),
    sa.Column("start_at", UtcDateTime()),
    sa.Column("participants", sa.JSON, nullable=False),
)

quarantine = sa.Table(
    "quarantine",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("fingerprint", sa.String(64), nullable=False, unique=True),
    sa.Column("feed", sa.String(64), nullable=False),
    sa.Column("record_id", sa.String(256)),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("raw", sa.Text, nullable=False),
    sa.Column("first_seen", UtcDateTime(), nullable=False),
    sa.Column("last_seen", UtcDateTime(), nullable=False),
    sa.Column("times_seen", sa.Integer, nullable=False),
    sa.Index(None, "feed"),
)

feed_health = sa.Table(
    "feed_health",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("feed", sa.String(64), nullable=False),
    sa.Column("started_at", UtcDateTime(), nullable=False),
    sa.Column("duration_s", sa.Float, nullable=False),
    sa.Column("up", sa.Boolean, nullable=False),
    sa.Column("records_in", sa.Integer, nullable=False),
    sa.Column("records_rejected", sa.Integer, nullable=False),
    sa.Column("error", sa.Text),
    sa.Column("not_modified", sa.Boolean, nullable=False),
    sa.Index(None, "feed", "started_at"),
)

feed_state = sa.Table(
    "feed_state",
    metadata,
    sa.Column("feed", sa.String(64), primary_key=True),
    sa.Column("cursor", sa.Text),
    sa.Column("etag", sa.Text),
    sa.Column("watermark", UtcDateTime()),
    sa.Column("last_full_sync", UtcDateTime()),
    sa.Column("extra", sa.JSON, nullable=False),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", UtcDateTime(), nullable=False),
    sa.Column("user", sa.String(128), nullable=False),
    sa.Column("role", sa.String(64), nullable=False),
    sa.Column("action", sa.String(64), nullable=False),
    sa.Column("target", sa.String(256)),
    sa.Column("detail", sa.JSON),
    # the hash chain (domain/audit_chain.py, 0005); a trigger keeps the table append-only
    sa.Column("prev_hash", sa.String(64)),
    sa.Column("hash", sa.String(64)),
    # the key that chained the entry (audit_chain.key_id, 0006); NULL: before keys
    sa.Column("key_id", sa.String(16)),
    sa.Index(None, "at"),
)

outbox = sa.Table(
    "outbox",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(64), nullable=False),
    sa.Column("idempotency_key", sa.String(64), nullable=False, unique=True),
    sa.Column("target", sa.String(256)),
    sa.Column("payload", sa.JSON, nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("next_attempt_at", UtcDateTime(), nullable=False),
    sa.Column("last_error", sa.Text),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Column("sent_at", UtcDateTime()),
    sa.Column("result", sa.JSON),
    sa.Index(None, "state", "next_attempt_at"),
)

# -- remote supervision performed here (0003) ---------------------------------------------

inspection_drafts = sa.Table(
    "inspection_drafts",
    metadata,
    sa.Column("draft_id", sa.String(64), primary_key=True),
    sa.Column("point_id", sa.String(128), nullable=False),
    sa.Column("plan_id", sa.String(64)),
    sa.Column("inspector", sa.String(128), nullable=False),
    sa.Column("state", sa.String(16), nullable=False),  # open | submitted | sent | failed
    sa.Column(
        "content", sa.JSON, nullable=False
    ),  # template, answers, findings, due date, times, result
    sa.Column("updated_at", UtcDateTime(), nullable=False),
    sa.Index(None, "state"),
    sa.Index(None, "point_id"),
)

inspection_evidence = sa.Table(
    "inspection_evidence",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("draft_id", sa.String(64), nullable=False),
    sa.Column("camera_id", sa.String(128), nullable=False),
    sa.Column("captured_at", UtcDateTime(), nullable=False),
    sa.Column("jpeg", sa.LargeBinary, nullable=False),
    sa.Index(None, "draft_id"),
)

inspection_plans = sa.Table(
    "inspection_plans",
    metadata,
    sa.Column("plan_id", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("point_ids", sa.JSON, nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("created_by", sa.String(128), nullable=False),
    sa.Column("created_at", UtcDateTime(), nullable=False),
)

roll_calls = sa.Table(
    "roll_calls",
    metadata,
    sa.Column("roll_call_id", sa.String(64), primary_key=True),
    sa.Column("inspector", sa.String(128), nullable=False),
    sa.Column("started_at", UtcDateTime(), nullable=False),
    sa.Column("finished_at", UtcDateTime()),
    sa.Column("point_ids", sa.JSON, nullable=False),
    sa.Column("results", sa.JSON, nullable=False),  # point id -> present | absent | no_picture
)

rectification_closures = sa.Table(
    "rectification_closures",
    metadata,
    sa.Column("inspection_id", sa.String(128), primary_key=True),
    sa.Column("closed_by", sa.String(128), nullable=False),
    sa.Column("closed_at", UtcDateTime(), nullable=False),
    sa.Column("note", sa.Text, nullable=False),
)

# -- alert handling and meeting groups (0004) ----------------------------------------------

alert_actions = sa.Table(
    "alert_actions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("alert_id", sa.String(128), nullable=False),
    sa.Column("action", sa.String(32), nullable=False),  # see domain.alert_handling.Action
    sa.Column("actor", sa.String(128), nullable=False),
    sa.Column("at", UtcDateTime(), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Index(None, "alert_id"),
)

meeting_groups = sa.Table(
    "meeting_groups",
    metadata,
    sa.Column("name", sa.String(200), primary_key=True),
    sa.Column("point_ids", sa.JSON, nullable=False),
    sa.Column("created_by", sa.String(128), nullable=False),
    sa.Column("created_at", UtcDateTime(), nullable=False),
)

# -- people on duty: local accounts, the duty roster, the duty log, handovers (0007) ------

# Desks without a directory sign in against these; passwords as scrypt/argon2 hashes only.
local_accounts = sa.Table(
    "local_accounts",
    metadata,
    sa.Column("user_name", sa.String(128), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),  # the person's name as shown
    sa.Column("roles", sa.JSON, nullable=False),  # domain.roles.ROLES they may take
    sa.Column("county", sa.String(32)),  # the county's adcode; NULL: the whole city
    sa.Column("person_id", sa.String(128)),  # the roster's personId (contract 4.2)
    sa.Column("password_hash", sa.String(512), nullable=False),
    sa.Column("disabled", sa.Boolean, nullable=False),
    sa.Column("failed_attempts", sa.Integer, nullable=False),
    sa.Column("locked_until", UtcDateTime()),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Column("updated_at", UtcDateTime(), nullable=False),
)

# Shifts of the duty roster: from the data center (source "datacenter", contract 4.2) or
# entered at a desk when the data center offers none (source "local").
duty_shifts = sa.Table(
    "duty_shifts",
    metadata,
    sa.Column("source", sa.String(16), primary_key=True),
    sa.Column("shift_id", sa.String(128), primary_key=True),
    sa.Column("date", sa.String(10), nullable=False),  # the bureau day the shift starts on
    sa.Column("org_code", sa.String(64), nullable=False),
    sa.Column("start", UtcDateTime(), nullable=False),
    sa.Column("end", UtcDateTime(), nullable=False),
    sa.Column("leader", sa.JSON),  # {"personId", "name", "phone"} or NULL
    sa.Column("officers", sa.JSON, nullable=False),  # [{"personId", "name", "phone"}]
    sa.Column("updated_at", UtcDateTime(), nullable=False),
    sa.Index(None, "date"),
)

# The duty log (值班日志): entries are never changed after saving; a correction is a new
# entry that names the one it corrects (a trigger keeps the table append-only).
duty_log = sa.Table(
    "duty_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", UtcDateTime(), nullable=False),
    sa.Column("shift_date", sa.String(10), nullable=False),  # the bureau day its shift began
    sa.Column("shift_id", sa.String(128)),  # the roster's shift, when known
    sa.Column("author", sa.String(128), nullable=False),  # user name; "client" for events
    sa.Column("author_name", sa.String(200), nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),  # entry, alert, feed, handover, sign_in…
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("county", sa.String(32)),  # the desk's scope; NULL: the city
    sa.Column("corrects", sa.Integer),  # the id of the entry this one corrects
    # the client's own entries: the event logged (an alert's arrival…), so that it is
    # logged once however many writers see it (0008); NULL for the officers' entries
    sa.Column("event", sa.String(200)),
    sa.Index(None, "at"),
    sa.Index(None, "shift_date"),
    sa.Index(None, "event", unique=True),
)

# Shift handovers (交接班): what was open when the outgoing officer handed over, their
# notes, and the incoming officer's acceptance or objections.
handovers = sa.Table(
    "handovers",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Column("shift_date", sa.String(10), nullable=False),
    sa.Column("shift_id", sa.String(128)),
    sa.Column("county", sa.String(32)),
    sa.Column("outgoing", sa.String(128), nullable=False),
    sa.Column("outgoing_name", sa.String(200), nullable=False),
    sa.Column("items", sa.JSON, nullable=False),  # the open matters gathered
    sa.Column("notes", sa.Text, nullable=False),
    sa.Column("state", sa.String(16), nullable=False),  # open, accepted, objected
    sa.Column("incoming", sa.String(128)),
    sa.Column("incoming_name", sa.String(200)),
    sa.Column("answered_at", UtcDateTime()),
    sa.Column("objections", sa.Text, nullable=False),
    sa.Index(None, "created_at"),
)
