"""Records to rows and back: what the store writes for a record, the record it reads from a
row, and the value the database driver wants for a column."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any, TypeVar

import sqlalchemy as sa

from commandcenter.domain.inspection import Draft, ItemAnswer
from commandcenter.domain.records import (
    Alert,
    Camera,
    FeedHealthSample,
    Inspection,
    InspectionResult,
    Org,
    ServicePoint,
)
from commandcenter.store import schema as t

T = TypeVar("T")
# a column's value as its DBAPI driver takes it
Converter = Callable[[Any], object]

BATCH = 500


def utc_now() -> datetime:
    """Now, in UTC."""
    return datetime.now(UTC)


def chunks(items: Sequence[T], size: int = BATCH) -> Iterator[Sequence[T]]:
    """The items in batches of at most `size`."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def org_row(o: Org) -> dict:
    """An organisation as a row."""
    return {
        "org_code": o.org_code,
        "name": o.name,
        "level": o.level,
        "parent_code": o.parent_code,
        "adcode": o.adcode,
        "updated_at": o.updated_at,
        "deleted": o.deleted,
    }


def org_from_row(r: sa.Row[Any]) -> Org:
    """An organisation from its row."""
    return Org(r.org_code, r.name, r.level, r.parent_code, r.adcode, r.updated_at, r.deleted)


def point_row(p: ServicePoint) -> dict:
    """A service point as a row."""
    return {
        "point_id": p.point_id,
        "name": p.name,
        "type": p.type,
        "level": p.level,
        "org_code": p.org_code,
        "address": p.address,
        "lng": p.lng,
        "lat": p.lat,
        "coord_sys": p.coord_sys,
        "lng_wgs84": p.lng_wgs84,
        "lat_wgs84": p.lat_wgs84,
        "phone": p.phone,
        "status": p.status,
        "staff_on_duty": p.staff_on_duty,
        "open_hours": p.open_hours,
        "camera_ids": list(p.camera_ids),
        "updated_at": p.updated_at,
        "deleted": p.deleted,
    }


def point_from_row(r: sa.Row[Any]) -> ServicePoint:
    """A service point from its row."""
    return ServicePoint(
        r.point_id,
        r.name,
        r.type,
        r.level,
        r.org_code,
        r.address,
        r.lng,
        r.lat,
        r.coord_sys,
        r.lng_wgs84,
        r.lat_wgs84,
        r.phone,
        r.status,
        r.staff_on_duty,
        r.open_hours,
        tuple(r.camera_ids or ()),
        r.updated_at,
        r.deleted,
    )


def camera_row(c: Camera) -> dict:
    """A camera as a row."""
    return {
        "camera_id": c.camera_id,
        "point_id": c.point_id,
        "name": c.name,
        "online": c.online,
        "ptz": c.ptz,
        "has_sub_stream": c.has_sub_stream,
        "updated_at": c.updated_at,
        "deleted": c.deleted,
    }


def camera_from_row(r: sa.Row[Any]) -> Camera:
    """A camera from its row."""
    return Camera(
        r.camera_id, r.point_id, r.name, r.online, r.ptz, r.has_sub_stream, r.updated_at, r.deleted
    )


def alert_row(a: Alert) -> dict:
    """An alert as a row."""
    return {
        "alert_id": a.alert_id,
        "type": a.type,
        "severity": a.severity,
        "point_id": a.point_id,
        "lng": a.lng,
        "lat": a.lat,
        "coord_sys": a.coord_sys,
        "lng_wgs84": a.lng_wgs84,
        "lat_wgs84": a.lat_wgs84,
        "occurred_at": a.occurred_at,
        "title": a.title,
        "detail": a.detail,
        "status": a.status,
        "ack_by": a.ack_by,
        "ack_at": a.ack_at,
        "updated_at": a.updated_at,
    }


def alert_from_row(r: sa.Row[Any]) -> Alert:
    """An alert from its row."""
    return Alert(
        r.alert_id,
        r.type,
        r.severity,
        r.point_id,
        r.lng,
        r.lat,
        r.coord_sys,
        r.lng_wgs84,
        r.lat_wgs84,
        r.occurred_at,
        r.title,
        r.detail,
        r.status,
        r.ack_by,
        r.ack_at,
        r.updated_at,
    )


def inspection_row(i: Inspection) -> dict:
    """An inspection as a row."""
    return {
        "inspection_id": i.inspection_id,
        "point_id": i.point_id,
        "template_id": i.template_id,
        "template_version": i.template_version,
        "inspector": i.inspector,
        "started_at": i.started_at,
        "finished_at": i.finished_at,
        "results": [
            {"itemId": r.item_id, "passed": r.passed, "score": r.score, "text": r.text}
            for r in i.results
        ],
        "findings": i.findings,
        "rectification_due": i.rectification_due,
        "snapshot_count": i.snapshot_count,
        "updated_at": i.updated_at,
        "deleted": i.deleted,
    }


def inspection_from_row(r: sa.Row[Any]) -> Inspection:
    """An inspection from its row."""
    results = tuple(
        InspectionResult(x["itemId"], x["passed"], x["score"], x["text"]) for x in r.results or ()
    )
    return Inspection(
        r.inspection_id,
        r.point_id,
        r.template_id,
        r.template_version,
        r.inspector,
        r.started_at,
        r.finished_at,
        results,
        r.findings,
        r.rectification_due,
        r.snapshot_count,
        r.updated_at,
        r.deleted,
    )


def inserted_id(result: sa.CursorResult[Any]) -> int:
    """The primary key of the row a single-row INSERT wrote."""
    key = result.inserted_primary_key
    assert key is not None  # every table here has one
    return int(key[0])


def same(existing: object, row: dict) -> bool:
    """Whether the stored row already holds these values."""
    return all(getattr(existing, k) == v for k, v in row.items())


def raw_text(raw: Any) -> str:
    """A raw record as JSON text, or a note of what it was when it is not JSON."""
    try:
        return json.dumps(raw, ensure_ascii=False, sort_keys=True, allow_nan=False)
    except (TypeError, ValueError):
        return json.dumps({"unserialisable": repr(raw)[:2000]}, ensure_ascii=False)


def draft_content(draft: Draft) -> dict:
    """A draft's content as the JSON its row keeps."""
    return {
        "templateId": draft.template_id,
        "templateVersion": draft.template_version,
        "startedAt": draft.started_at.isoformat(),
        "answers": {
            k: {"passed": a.passed, "score": a.score, "text": a.text}
            for k, a in draft.answers.items()
        },
        "findings": draft.findings,
        "rectificationDue": draft.rectification_due.isoformat()
        if draft.rectification_due
        else None,
        "finishedAt": draft.finished_at.isoformat() if draft.finished_at else None,
        "inspectionId": draft.inspection_id,
        "error": draft.error,
    }


def draft_from_row(r: sa.Row[Any]) -> Draft:
    """A draft from its row."""
    c = r.content
    return Draft(
        r.draft_id,
        r.point_id,
        c["templateId"],
        c["templateVersion"],
        r.inspector,
        datetime.fromisoformat(c["startedAt"]),
        {
            k: ItemAnswer(a.get("passed"), a.get("score"), a.get("text"))
            for k, a in c.get("answers", {}).items()
        },
        c.get("findings", ""),
        date.fromisoformat(c["rectificationDue"]) if c.get("rectificationDue") else None,
        r.plan_id,
        r.state,
        c.get("inspectionId"),
        c.get("error"),
        datetime.fromisoformat(c["finishedAt"]) if c.get("finishedAt") else None,
        r.updated_at,
    )


def health_sample_from_row(r: sa.Row[Any]) -> FeedHealthSample:
    """A health sample from its row."""
    return FeedHealthSample(
        r.feed,
        r.started_at,
        r.duration_s,
        r.up,
        r.records_in,
        r.records_rejected,
        r.error,
        r.not_modified,
    )


@lru_cache(maxsize=16384)
def sqlite_datetime(value: datetime) -> str:
    """A time as SQLite's driver stores it: UTC text."""
    # the text form SQLAlchemy's SQLite DateTime reads back
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


@lru_cache(maxsize=16384)
def naive_utc(value: datetime) -> datetime:
    """A time as naive UTC, as PostgreSQL's driver is given it."""
    return value.astimezone(UTC).replace(tzinfo=None)


def json_text(value: Any) -> str:
    """A value as the JSON text a JSON column keeps."""
    return json.dumps(value, ensure_ascii=False)


def driver_converter(type_: sa.types.TypeEngine, dialect: str) -> Converter | None:
    """The value the DBAPI driver wants for a column, computed without SQLAlchemy."""
    if isinstance(type_, t.UtcDateTime):

        def check(value: datetime) -> object:
            if value.tzinfo is None:
                raise ValueError(
                    f"naive datetime {value.isoformat()}: the store needs times with an offset"
                )
            return sqlite_datetime(value) if dialect == "sqlite" else naive_utc(value)

        return check
    if isinstance(type_, sa.JSON):
        return json_text
    if isinstance(type_, sa.Boolean):
        return int if dialect == "sqlite" else None
    if isinstance(type_, sa.Date):
        return (lambda d: d.isoformat()) if dialect == "sqlite" else None
    return None
