"""Exports of what the store holds, with fields named as in the contract (camelCase)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from commandcenter.domain import bureau_time
from commandcenter.exports.spreadsheets import csv_cell

EXPORT_KINDS = ("points", "cameras", "alerts", "stats", "inspections", "quarantine")


def _time(value: datetime | None) -> str | None:
    return bureau_time.iso(value)


def point_row(p) -> dict[str, Any]:
    return {
        "pointId": p.point_id,
        "name": p.name,
        "type": p.type,
        "level": p.level,
        "orgCode": p.org_code,
        "address": p.address,
        "lng": p.lng,
        "lat": p.lat,
        "coordSys": p.coord_sys,
        "lngWgs84": p.lng_wgs84,
        "latWgs84": p.lat_wgs84,
        "phone": p.phone,
        "status": p.status,
        "staffOnDuty": p.staff_on_duty,
        "openHours": p.open_hours,
        "cameraIds": list(p.camera_ids),
        "updatedAt": _time(p.updated_at),
    }


def camera_row(c) -> dict[str, Any]:
    return {
        "cameraId": c.camera_id,
        "pointId": c.point_id,
        "name": c.name,
        "online": c.online,
        "ptz": c.ptz,
        "hasSubStream": c.has_sub_stream,
        "updatedAt": _time(c.updated_at),
    }


def alert_row(a) -> dict[str, Any]:
    return {
        "alertId": a.alert_id,
        "type": a.type,
        "severity": a.severity,
        "pointId": a.point_id,
        "lng": a.lng,
        "lat": a.lat,
        "coordSys": a.coord_sys,
        "occurredAt": _time(a.occurred_at),
        "title": a.title,
        "detail": a.detail,
        "status": a.status,
        "ackBy": a.ack_by,
        "ackAt": _time(a.ack_at),
        "updatedAt": _time(a.updated_at),
    }


def stat_row(s) -> dict[str, Any]:
    return {
        "bucket": _time(s.bucket),
        "granularity": s.granularity,
        "orgCode": s.org_code,
        "category": s.category,
        "received": s.received,
        "closed": s.closed,
        "pending": s.pending,
        "revision": s.revision,
    }


def inspection_row(i) -> dict[str, Any]:
    return {
        "inspectionId": i.inspection_id,
        "pointId": i.point_id,
        "templateId": i.template_id,
        "templateVersion": i.template_version,
        "inspector": i.inspector,
        "startedAt": _time(i.started_at),
        "finishedAt": _time(i.finished_at),
        "results": [
            {"itemId": r.item_id, "passed": r.passed, "score": r.score, "text": r.text}
            for r in i.results
        ],
        "findings": i.findings,
        "rectificationDue": i.rectification_due.isoformat() if i.rectification_due else None,
        "snapshotCount": i.snapshot_count,
        "updatedAt": _time(i.updated_at),
    }


def quarantine_row(q) -> dict[str, Any]:
    return {
        "feed": q.feed,
        "recordId": q.record_id,
        "reason": q.reason,
        "raw": q.raw,
        "firstSeen": _time(q.first_seen),
        "lastSeen": _time(q.last_seen),
        "timesSeen": q.times_seen,
    }


def rows(store, kind: str) -> list[dict[str, Any]]:
    sources: dict[str, Callable[[], Iterable[dict[str, Any]]]] = {
        "points": lambda: map(point_row, store.service_points()),
        "cameras": lambda: map(camera_row, store.cameras()),
        "alerts": lambda: map(alert_row, store.alerts()),
        "stats": lambda: (
            stat_row(s)
            for granularity in ("hour", "day")
            for s in store.case_stats(granularity=granularity)
        ),
        "inspections": lambda: map(inspection_row, store.inspections()),
        "quarantine": lambda: map(quarantine_row, store.rejections()),
    }
    if kind not in sources:
        raise ValueError(f"unknown export {kind!r} (choose from {', '.join(EXPORT_KINDS)})")
    return list(sources[kind]())


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return bureau_time.iso(value)
    if isinstance(value, date):
        return value.isoformat()
    return repr(value)


def to_json(data: list[dict[str, Any]]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1, default=_json_default) + "\n"


def to_csv(data: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    if not data:
        return ""
    writer = csv.DictWriter(buffer, fieldnames=list(data[0]), lineterminator="\n")
    writer.writeheader()
    for row in data:
        writer.writerow({k: csv_cell(_flat(v)) for k, v in row.items()})
    return buffer.getvalue()


def _flat(value: Any) -> Any:
    """A value as one CSV field: lists joined, objects as JSON, null as nothing."""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ";".join(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=_json_default)
    if value is None:
        return ""
    return value
