"""What the feeds learned: organisations, service points, cameras, case statistics, the
dashboard's summary, alerts, inspection templates, inspections and meetings, written as
they come and read by the desk."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from commandcenter.domain.records import (
    Alert,
    Camera,
    CaseStat,
    DashboardSummary,
    Inspection,
    InspectionTemplate,
    Meeting,
    Org,
    Participant,
    ServicePoint,
    TemplateItem,
)
from commandcenter.store import schema as t
from commandcenter.store.changes import ChangeNotices
from commandcenter.store.engine import UnitOfWork
from commandcenter.store.rows import (
    alert_from_row,
    alert_row,
    camera_from_row,
    camera_row,
    chunks,
    driver_converter,
    inspection_from_row,
    inspection_row,
    org_from_row,
    org_row,
    point_from_row,
    point_row,
    same,
    utc_now,
)

log = logging.getLogger(__name__)

SUMMARY_HISTORY = timedelta(days=7)


class FeedData(ChangeNotices):
    """Writes from the feeds (each reports what actually changed) and the reads of
    what they wrote."""

    def _upsert_by_key(self, table: sa.Table, key: str, rows: list[dict], kind: str) -> set[str]:
        changed: set[str] = set()
        column = table.c[key]
        with self._begin() as conn:
            for batch in chunks(rows):
                # the last occurrence of a key in a batch wins
                latest = {row[key]: row for row in batch}
                existing = {
                    r._mapping[key]: r
                    for r in conn.execute(sa.select(table).where(column.in_(list(latest))))
                }
                to_write = [
                    row
                    for k, row in latest.items()
                    if k not in existing or not same(existing[k], row)
                ]
                self._upsert_rows(conn, table, to_write)
                changed.update(row[key] for row in to_write)
        if changed:
            self._emit(kind, changed)
        return changed

    def upsert_orgs(self, orgs: Iterable[Org]) -> set[str]:
        """Store organisations; returns the codes that changed."""
        return self._upsert_by_key(t.orgs, "org_code", [org_row(o) for o in orgs], "orgs")

    def upsert_service_points(self, points: Iterable[ServicePoint]) -> set[str]:
        """Store service points; returns the ids that changed."""
        rows = []
        for p in points:
            rows.append(point_row(p))
        return self._upsert_by_key(
            t.service_points,
            "point_id",
            self._keep_tombstoned(t.service_points, "point_id", rows),
            "service_points",
        )

    def upsert_cameras(self, cameras: Iterable[Camera]) -> set[str]:
        """Store cameras; returns the ids that changed."""
        return self._upsert_by_key(
            t.cameras,
            "camera_id",
            self._keep_tombstoned(t.cameras, "camera_id", [camera_row(c) for c in cameras]),
            "cameras",
        )

    def _keep_tombstoned(self, table: sa.Table, key: str, rows: list[dict]) -> list[dict]:
        """A tombstone carries only id and time: keep the last known fields and
        flag the row deleted, so history (and exports of deletions) stay readable."""
        tombstones = [r for r in rows if r["deleted"]]
        if not tombstones:
            return rows
        with self.engine.connect() as conn:
            known = {
                r._mapping[key]: r._mapping
                for r in conn.execute(
                    sa.select(table).where(table.c[key].in_([r[key] for r in tombstones]))
                )
            }
        merged = []
        for row in rows:
            if row["deleted"]:
                if row[key] not in known:
                    continue  # never seen: nothing to delete
                row = {**dict(known[row[key]]), "deleted": True, "updated_at": row["updated_at"]}
            merged.append(row)
        return merged

    def mark_absent_deleted(self, kind: str, present: set[str]) -> set[str]:
        """After a complete listing: whatever we hold that it no longer has is gone."""
        table, key = {
            "service_points": (t.service_points, "point_id"),
            "cameras": (t.cameras, "camera_id"),
            "orgs": (t.orgs, "org_code"),
        }[kind]
        with self._begin() as conn:
            held = {r[0] for r in conn.execute(sa.select(table.c[key]).where(~table.c.deleted))}
            gone = sorted(held - present)
            for batch in chunks(gone):
                conn.execute(sa.update(table).where(table.c[key].in_(batch)).values(deleted=True))
        if gone:
            self._emit(kind, gone)
        return set(gone)

    def upsert_case_stats(self, rows: Iterable[CaseStat]) -> int:
        """Store case statistics, a higher revision winning; returns how many applied."""
        # Within one call the highest revision of a key wins, as on the server.
        latest: dict[tuple, CaseStat] = {}
        for s in rows:
            k = (s.granularity, s.bucket, s.org_code, s.category)
            if k not in latest or s.revision > latest[k].revision:
                latest[k] = s
        if not latest:
            return 0
        # A higher revision wins; lower or equal ones are ignored by the WHERE of
        # the upsert itself, so concurrent writers cannot undo a newer revision.
        guard = t.case_stats.c.revision < sa.literal_column("excluded.revision")
        applied = 0
        with self._begin() as conn:
            changed_at = utc_now()  # inside the write lock: SQLite commits in this order
            for batch in chunks(list(latest.values()), 2000):
                batch_rows: list[dict] = [
                    {
                        "granularity": s.granularity,
                        "bucket": s.bucket,
                        "org_code": s.org_code,
                        "category": s.category,
                        "received": s.received,
                        "closed": s.closed,
                        "pending": s.pending,
                        "revision": s.revision,
                        "changed_at": changed_at,
                    }
                    for s in batch
                ]
                if self.dialect == "sqlite":
                    # SQLite sums the rows an executemany changed: no need to read first.
                    applied += self._upsert_rows(conn, t.case_stats, batch_rows, where=guard)
                else:
                    applied += self._upsert_newer_stats(conn, batch_rows, guard)
        if applied:
            self._emit(
                "case_stats",
                {f"{s.granularity}|{s.org_code}|{s.category}" for s in latest.values()},
            )
        return applied

    def _upsert_newer_stats(
        self, conn: Connection, rows: list[dict], guard: sa.ColumnElement[bool]
    ) -> int:
        c = t.case_stats.c
        buckets = [r["bucket"] for r in rows]
        existing = {
            (r.granularity, r.bucket, r.org_code, r.category): r.revision
            for r in conn.execute(
                sa.select(c.granularity, c.bucket, c.org_code, c.category, c.revision).where(
                    c.bucket.between(min(buckets), max(buckets))
                )
            )
        }
        newer = [
            r
            for r in rows
            if existing.get(
                (r["granularity"], r["bucket"].astimezone(UTC), r["org_code"], r["category"]), -1
            )
            < r["revision"]
        ]
        self._upsert_rows(conn, t.case_stats, newer, where=guard)
        return len(newer)

    def save_dashboard_summary(self, summary: DashboardSummary) -> bool:
        """Store the dashboard summary; False when it had not changed."""
        content = {
            "today": summary.today,
            "hotline": summary.hotline,
            "correction": summary.correction,
            "points": summary.points,
        }
        as_of = summary.as_of.astimezone(UTC)
        s = t.dashboard_summaries
        with self._begin() as conn:
            latest = conn.execute(sa.select(s).order_by(s.c.as_of.desc()).limit(1)).first()
            if latest is not None:
                if as_of < latest.as_of:
                    return False  # an older summary arriving late
                same = all(getattr(latest, k) == v for k, v in content.items())
                if same and as_of == latest.as_of:
                    return False
                if as_of == latest.as_of:
                    conn.execute(sa.update(s).where(s.c.id == latest.id).values(**content))
                else:
                    conn.execute(sa.insert(s).values(as_of=as_of, **content))
            else:
                conn.execute(sa.insert(s).values(as_of=as_of, **content))
            conn.execute(sa.delete(s).where(s.c.as_of < as_of - SUMMARY_HISTORY))
        self._emit("dashboard")
        return True

    def upsert_alerts(self, alerts: Iterable[Alert], *, work: UnitOfWork | None = None) -> set[str]:
        """Keep the alerts' newest states (and their history); within `work`, as part of it."""
        incoming = [alert_row(a) for a in alerts]
        if not incoming:
            return set()
        changed: set[str] = set()
        recorded_at = utc_now()
        # Compared in the driver's terms (what the database holds), read without
        # SQLAlchemy's row processing: a first sync reads hundreds of thousands.
        stamp = driver_converter(t.alerts.c.updated_at.type, self.dialect)
        assert stamp is not None  # a time column always has one
        mark = "?" if self.engine.dialect.paramstyle == "qmark" else "%s"
        with self._writing(work) as conn:
            for batch in chunks(incoming):
                ids = list({row["alert_id"] for row in batch})
                current = {
                    r[0]: (r[1], r[2], r[3], r[4])
                    for r in conn.exec_driver_sql(
                        "SELECT alert_id, status, ack_by, ack_at, updated_at FROM alerts "
                        f"WHERE alert_id IN ({', '.join([mark] * len(ids))})",
                        tuple(ids),
                    )
                }
                history = []
                dirty: dict[str, dict] = {}
                # In order: the same alert can come several times in one page.
                for row in batch:
                    alert_id = row["alert_id"]
                    state = (
                        row["status"],
                        row["ack_by"],
                        stamp(row["ack_at"]) if row["ack_at"] is not None else None,
                        stamp(row["updated_at"]),
                    )
                    known = current.get(alert_id)
                    if known is not None:
                        if state[3] < known[3]:
                            continue  # an older state arriving late
                        if state == known:
                            continue  # a re-send
                    if known is None or state[:3] != known[:3]:
                        history.append(
                            {
                                "alert_id": alert_id,
                                "status": row["status"],
                                "ack_by": row["ack_by"],
                                "ack_at": row["ack_at"],
                                "updated_at": row["updated_at"],
                                "recorded_at": recorded_at,
                            }
                        )
                    current[alert_id] = state
                    dirty[alert_id] = row
                self._upsert_rows(conn, t.alerts, list(dirty.values()))
                self._upsert_rows(conn, t.alert_history, history, plain=True)
                changed.update(dirty)
        if changed:
            self._changed(work, "alerts", changed)
        return changed

    def replace_inspection_templates(self, templates: Iterable[InspectionTemplate]) -> bool:
        """Replace the inspection templates; False when they had not changed."""
        rows = [
            {
                "template_id": tpl.template_id,
                "name": tpl.name,
                "version": tpl.version,
                "items": [
                    {
                        "itemId": i.item_id,
                        "text": i.text,
                        "kind": i.kind,
                        "maxScore": i.max_score,
                        "required": i.required,
                    }
                    for i in tpl.items
                ],
            }
            for tpl in templates
        ]
        with self._begin() as conn:
            existing = {
                r.template_id: dict(r._mapping)
                for r in conn.execute(sa.select(t.inspection_templates))
            }
            wanted = {r["template_id"]: r for r in rows}
            if existing == wanted:
                return False
            conn.execute(sa.delete(t.inspection_templates))
            if rows:
                conn.execute(sa.insert(t.inspection_templates), rows)
        self._emit("inspection_templates", [str(key) for key in wanted])
        return True

    def upsert_inspections(self, inspections: Iterable[Inspection]) -> set[str]:
        """Store inspections; returns the ids that changed."""
        return self._upsert_by_key(
            t.inspections, "inspection_id", [inspection_row(i) for i in inspections], "inspections"
        )

    def upsert_meeting(self, meeting: Meeting) -> bool:
        """Store a meeting and its participants; False when it had not changed."""
        row = {
            "meeting_id": meeting.meeting_id,
            "title": meeting.title,
            "status": meeting.status,
            "mix_url": meeting.mix_url,
            "host_point_id": meeting.host_point_id,
            "start_at": meeting.start_at,
            "participants": [
                {"pointId": p.point_id, "state": p.state} for p in meeting.participants
            ],
        }
        return bool(self._upsert_by_key(t.meetings, "meeting_id", [row], "meetings"))

    def orgs(self) -> list[Org]:
        """Every organisation not deleted."""
        return [
            org_from_row(r)
            for r in self._all(
                sa.select(t.orgs).where(~t.orgs.c.deleted).order_by(t.orgs.c.org_code)
            )
        ]

    def service_points(
        self,
        *,
        include_deleted: bool = False,
        org_code: str | None = None,
        type: str | None = None,
        status: str | None = None,
        point_ids: Iterable[str] | None = None,
    ) -> list[ServicePoint]:
        """The service points, filtered as the arguments say; deleted ones only if asked."""
        stmt = sa.select(t.service_points).order_by(t.service_points.c.point_id)
        if not include_deleted:
            stmt = stmt.where(~t.service_points.c.deleted)
        for column, value in (("org_code", org_code), ("type", type), ("status", status)):
            if value is not None:
                stmt = stmt.where(t.service_points.c[column] == value)
        if point_ids is not None:
            return [
                point_from_row(r) for r in self._some(stmt, t.service_points.c.point_id, point_ids)
            ]
        return [point_from_row(r) for r in self._all(stmt)]

    def service_point(self, point_id: str) -> ServicePoint | None:
        """One service point; None when there is none with that id."""
        rows = self._all(sa.select(t.service_points).where(t.service_points.c.point_id == point_id))
        return point_from_row(rows[0]) if rows else None

    def cameras(
        self,
        *,
        point_id: str | None = None,
        include_deleted: bool = False,
        camera_ids: Iterable[str] | None = None,
    ) -> list[Camera]:
        """The cameras, of a point or by id when given; deleted ones only when asked for."""
        stmt = sa.select(t.cameras).order_by(t.cameras.c.camera_id)
        if not include_deleted:
            stmt = stmt.where(~t.cameras.c.deleted)
        if point_id is not None:
            stmt = stmt.where(t.cameras.c.point_id == point_id)
        if camera_ids is not None:
            return [camera_from_row(r) for r in self._some(stmt, t.cameras.c.camera_id, camera_ids)]
        return [camera_from_row(r) for r in self._all(stmt)]

    def case_stats(
        self,
        *,
        granularity: str = "hour",
        since: datetime | None = None,
        until: datetime | None = None,
        org_code: str | None = None,
        category: str | None = None,
    ) -> list[CaseStat]:
        """Case statistics of one granularity, filtered as given."""
        c = t.case_stats.c
        stmt = (
            sa.select(t.case_stats)
            .where(c.granularity == granularity)
            .order_by(c.bucket, c.org_code, c.category)
        )
        if since is not None:
            stmt = stmt.where(c.bucket >= since)
        if until is not None:
            stmt = stmt.where(c.bucket < until)
        if org_code is not None:
            stmt = stmt.where(c.org_code == org_code)
        if category is not None:
            stmt = stmt.where(c.category == category)
        return [
            CaseStat(
                r.bucket,
                r.org_code,
                r.category,
                r.granularity,
                r.received,
                r.closed,
                r.pending,
                r.revision,
            )
            for r in self._all(stmt)
        ]

    def case_stats_changed(
        self,
        *,
        granularity: str = "hour",
        since: datetime | None = None,
        buckets_from: datetime | None = None,
        buckets_until: datetime | None = None,
    ) -> tuple[Sequence[sa.Row[Any]], datetime | None]:
        """The rows written at or after `since` (all rows when None) with buckets in
        [`buckets_from`, `buckets_until`), as plain tuples (bucket as epoch seconds,
        org_code, category, received, closed, pending), and the latest write time
        among them (None: no rows). For a reader that keeps the history in memory: it
        passes the latest time it has seen, less a margin for transactions still open then;
        reading a row twice is harmless. Plain tuples because a first read is 170,000
        rows, and making objects of them took three times as long as reading them."""
        c = t.case_stats.c
        where = [c.granularity == granularity]
        if since is not None:
            where.append(c.changed_at >= since)
        if buckets_from is not None:
            where.append(c.bucket >= buckets_from)
        if buckets_until is not None:
            where.append(c.bucket < buckets_until)
        if self.dialect == "sqlite":
            epoch = sa.cast(sa.func.strftime("%s", c.bucket), sa.Integer)
        else:
            epoch = sa.cast(sa.extract("epoch", c.bucket), sa.BigInteger)
        with self.engine.connect() as conn:
            # the latest write first: a row written between the two reads is newer and
            # is read again next time
            latest = conn.execute(sa.select(sa.func.max(c.changed_at)).where(*where)).scalar()
            rows = conn.execute(
                sa.select(epoch, c.org_code, c.category, c.received, c.closed, c.pending).where(
                    *where
                )
            ).all()
        return rows, latest

    def dashboard_summaries(self, *, since: datetime) -> list[DashboardSummary]:
        """The summaries from `since` on, oldest first (a week is kept): the live numbers' recent course."""
        s = t.dashboard_summaries
        return [
            DashboardSummary(r.as_of, r.today, r.hotline, r.correction, r.points)
            for r in self._all(sa.select(s).where(s.c.as_of >= since).order_by(s.c.as_of))
        ]

    def latest_dashboard_summary(self) -> DashboardSummary | None:
        """The newest dashboard summary stored; None before the first."""
        rows = self._all(
            sa.select(t.dashboard_summaries).order_by(t.dashboard_summaries.c.as_of.desc()).limit(1)
        )
        if not rows:
            return None
        r = rows[0]
        return DashboardSummary(r.as_of, r.today, r.hotline, r.correction, r.points)

    def alerts(
        self,
        *,
        status: str | None = None,
        open_only: bool = False,
        since: datetime | None = None,
        limit: int | None = None,
        alert_ids: Iterable[str] | None = None,
    ) -> list[Alert]:
        """Newest first. `open_only`: every alert not closed, however old. `alert_ids`:
        only these, in no particular order (so no `limit` with them)."""
        if alert_ids is not None and limit is not None:
            raise ValueError("alerts(): a limit with alert_ids would keep arbitrary ones")
        stmt = sa.select(t.alerts).order_by(t.alerts.c.occurred_at.desc(), t.alerts.c.alert_id)
        if status is not None:
            stmt = stmt.where(t.alerts.c.status == status)
        if open_only:
            stmt = stmt.where(t.alerts.c.status != "closed")
        if since is not None:
            stmt = stmt.where(t.alerts.c.occurred_at >= since)
        if alert_ids is not None:
            return [alert_from_row(r) for r in self._some(stmt, t.alerts.c.alert_id, alert_ids)]
        if limit is not None:
            stmt = stmt.limit(limit)
        return [alert_from_row(r) for r in self._all(stmt)]

    def alert_history(self, alert_id: str) -> list[dict]:
        """The states an alert was stored in, oldest first."""
        rows = self._all(
            sa.select(t.alert_history)
            .where(t.alert_history.c.alert_id == alert_id)
            .order_by(t.alert_history.c.id)
        )
        return [dict(r._mapping) for r in rows]

    def inspection_templates(self) -> list[InspectionTemplate]:
        """The inspection templates the data center offers."""
        return [
            InspectionTemplate(
                r.template_id,
                r.name,
                r.version,
                tuple(
                    TemplateItem(i["itemId"], i["text"], i["kind"], i["maxScore"], i["required"])
                    for i in r.items
                ),
            )
            for r in self._all(
                sa.select(t.inspection_templates).order_by(t.inspection_templates.c.template_id)
            )
        ]

    def inspections(self, *, point_id: str | None = None) -> list[Inspection]:
        """The inspections, of one point when given."""
        stmt = (
            sa.select(t.inspections)
            .where(~t.inspections.c.deleted)
            .order_by(t.inspections.c.updated_at.desc())
        )
        if point_id is not None:
            stmt = stmt.where(t.inspections.c.point_id == point_id)
        return [inspection_from_row(r) for r in self._all(stmt)]

    def meetings(self) -> list[Meeting]:
        """The meetings stored."""
        return [
            Meeting(
                r.meeting_id,
                r.title,
                r.status,
                r.mix_url,
                r.host_point_id,
                r.start_at,
                tuple(Participant(p["pointId"], p["state"]) for p in r.participants),
            )
            for r in self._all(sa.select(t.meetings).order_by(t.meetings.c.meeting_id))
        ]
