"""Wire JSON of the data center → validated records, or a rejection with a reason.

Contract §1: unknown fields are ignored; unknown enum values are kept raw. A record
that breaks the contract is rejected with a reason that names the field and the
bad value, and the rest of its page is kept. Types are checked strictly: a bool
is not an integer and "120.5" is not a number.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from functools import lru_cache
from typing import TypeVar

from commandcenter.domain import coords
from commandcenter.domain.records import (
    Alert,
    Camera,
    CaseStat,
    DashboardSummary,
    Inspection,
    InspectionResult,
    InspectionTemplate,
    Meeting,
    Org,
    Participant,
    Rejection,
    ServicePoint,
    TemplateItem,
)

R = TypeVar("R")

CHINA_STANDARD_TIME = timezone(timedelta(hours=8))
_MAX_SHOWN = 60


class RecordError(ValueError):
    def __init__(self, reason: str, record_id: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.record_id = record_id


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 1] + "…"


def _type_name(value: object) -> str:
    return "null" if value is None else type(value).__name__


# -- field readers -------------------------------------------------------------


def _obj(raw: object, what: str) -> dict:
    if not isinstance(raw, dict):
        raise RecordError(f"{what} must be a JSON object, got {_type_name(raw)}")
    return raw


def _str(raw: dict, field: str, *, required: bool = True, empty_ok: bool = False) -> str | None:
    value = raw.get(field)
    if type(value) is str and (value or empty_ok or not required):
        return value  # the common case, first
    if value is None:
        if required:
            raise RecordError(f"missing {field}")
        return None
    if not isinstance(value, str):
        raise RecordError(f"{field} must be a string, got {_type_name(value)} {_show(value)}")
    if not empty_ok and required and not value.strip():
        raise RecordError(f"{field} is empty")
    return value


def _id(raw: dict, field: str) -> str:
    value = _str(raw, field)
    assert value is not None
    if len(value) > 128:
        raise RecordError(f"{field} is longer than 128 characters")
    return value


def _int(raw: dict, field: str, *, required: bool = True, minimum: int | None = None,
         maximum: int | None = None) -> int | None:
    value = raw.get(field)
    if type(value) is int and (minimum is None or value >= minimum) and (maximum is None or value <= maximum):
        return value  # the common case, first
    if value is None:
        if required:
            raise RecordError(f"missing {field}")
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer() and math.isfinite(value):
            value = int(value)
        else:
            raise RecordError(f"{field} must be an integer, got {_type_name(value)} {_show(value)}")
    if minimum is not None and value < minimum:
        raise RecordError(f"{field} must be ≥ {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise RecordError(f"{field} must be ≤ {maximum}, got {value}")
    return value


def _number(raw: dict, field: str, *, required: bool = True) -> float | None:
    value = raw.get(field)
    if value is None:
        if required:
            raise RecordError(f"missing {field}")
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RecordError(f"{field} must be a number, got {_type_name(value)} {_show(value)}")
    value = float(value)
    if not math.isfinite(value):
        raise RecordError(f"{field} must be a finite number, got {value}")
    return value


def _bool(raw: dict, field: str, *, required: bool = True, default: bool = False) -> bool:
    value = raw.get(field)
    if value is None:
        if required:
            raise RecordError(f"missing {field}")
        return default
    if not isinstance(value, bool):
        raise RecordError(f"{field} must be true or false, got {_type_name(value)} {_show(value)}")
    return value


@lru_cache(maxsize=16384)
def _time_text(text: str) -> datetime | str:
    """A parsed time, or the words of what is wrong with it. Cached: the same
    stamps recur across a page (every county's row of one hour has one bucket)."""
    stripped = text.strip()
    if len(stripped) < 10 or len(stripped) > 40 or stripped[4:5] != "-":
        return "is not an ISO 8601 time with offset"
    try:
        parsed = datetime.fromisoformat(stripped)
    except ValueError:
        return "is not an ISO 8601 time with offset"
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        return "has no UTC offset"
    return parsed


def parse_iso_time(value: object, field: str) -> datetime:
    if not isinstance(value, str):
        raise RecordError(f"{field} must be an ISO 8601 time string, got {_type_name(value)} {_show(value)}")
    parsed = _time_text(value)
    if isinstance(parsed, str):
        raise RecordError(f"{field} {parsed}: {_show(value)}")
    return parsed


def _time(raw: dict, field: str, *, required: bool = True) -> datetime | None:
    value = raw.get(field)
    if value is None:
        if required:
            raise RecordError(f"missing {field}")
        return None
    return parse_iso_time(value, field)


def format_iso_time(dt: datetime) -> str:
    """The contract's style: seconds, +08:00 (China Standard Time)."""
    if dt.tzinfo is None:
        raise ValueError("naive datetime: a time on the wire needs an offset")
    return dt.astimezone(CHINA_STANDARD_TIME).isoformat(timespec="seconds")


def _deleted(raw: dict) -> bool:
    return _bool(raw, "deleted", required=False, default=False)


def _coordinates(raw: dict, *, required: bool = True) -> tuple[float | None, float | None]:
    lng = _number(raw, "lng", required=required)
    lat = _number(raw, "lat", required=required)
    if (lng is None) != (lat is None):
        raise RecordError("lng and lat must both be given or both be null")
    if lng is not None and not -180.0 <= lng <= 180.0:
        raise RecordError(f"lng {lng} out of range [-180, 180]")
    if lat is not None and not -90.0 <= lat <= 90.0:
        raise RecordError(f"lat {lat} out of range [-90, 90]")
    return lng, lat


def _with_id(parse: Callable[[dict], R], id_field: str | Callable[[dict], str | None]):
    """Attach the record's id (when it has one) to any RecordError."""

    def parse_with_id(raw: object) -> R:
        try:
            return parse(raw)  # type: ignore[arg-type]
        except RecordError as exc:
            if exc.record_id is None and isinstance(raw, dict):
                rid = raw.get(id_field) if isinstance(id_field, str) else id_field(raw)
                exc.record_id = rid if isinstance(rid, str) else None
            raise

    parse_with_id.__name__ = parse.__name__
    return parse_with_id


# -- records -----------------------------------------------------------------------


def _parse_org(raw: object) -> Org:
    raw = _obj(raw, "an org")
    code = _id(raw, "orgCode")
    updated_at = _time(raw, "updatedAt", required=False)
    if _deleted(raw):
        return Org(code, "", "", None, None, updated_at, True)
    return Org(
        org_code=code,
        name=_str(raw, "name"),
        level=_str(raw, "level"),
        parent_code=_str(raw, "parentCode", required=False),
        adcode=_str(raw, "adcode", required=False),
        updated_at=updated_at,
    )


def _parse_service_point(raw: object) -> ServicePoint:
    raw = _obj(raw, "a service point")
    point_id = _id(raw, "pointId")
    updated_at = _time(raw, "updatedAt")
    if _deleted(raw):
        return ServicePoint(point_id, "", "", "", "", "", 0.0, 0.0, "", None, None, "", "",
                            None, "", (), updated_at, True)
    lng, lat = _coordinates(raw)
    coord_sys = _str(raw, "coordSys")
    wgs = coords.to_wgs84(lng, lat, coord_sys)
    camera_ids = raw.get("cameraIds")
    if camera_ids is None:
        camera_ids = []
    if not isinstance(camera_ids, list) or not all(isinstance(c, str) and c for c in camera_ids):
        raise RecordError(f"cameraIds must be a list of strings, got {_show(camera_ids)}")
    return ServicePoint(
        point_id=point_id,
        name=_str(raw, "name"),
        type=_str(raw, "type"),
        level=_str(raw, "level"),
        org_code=_str(raw, "orgCode"),
        address=_str(raw, "address", required=False) or "",
        lng=lng,
        lat=lat,
        coord_sys=coord_sys,
        lng_wgs84=wgs[0] if wgs else None,
        lat_wgs84=wgs[1] if wgs else None,
        phone=_str(raw, "phone", required=False) or "",
        status=_str(raw, "status"),
        staff_on_duty=_int(raw, "staffOnDuty", required=False, minimum=0),
        open_hours=_str(raw, "openHours", required=False) or "",
        camera_ids=tuple(camera_ids),
        updated_at=updated_at,
    )


def _parse_camera(raw: object) -> Camera:
    raw = _obj(raw, "a camera")
    camera_id = _id(raw, "cameraId")
    updated_at = _time(raw, "updatedAt")
    if _deleted(raw):
        return Camera(camera_id, "", "", False, False, False, updated_at, True)
    return Camera(
        camera_id=camera_id,
        point_id=_id(raw, "pointId"),
        name=_str(raw, "name"),
        online=_bool(raw, "online"),
        ptz=_bool(raw, "ptz", required=False),
        has_sub_stream=_bool(raw, "hasSubStream", required=False),
        updated_at=updated_at,
    )


def _stat_key(raw: dict) -> str | None:
    parts = [raw.get("bucket"), raw.get("orgCode"), raw.get("category")]
    return "|".join(str(p) for p in parts) if any(p is not None for p in parts) else None


def _parse_case_stat(raw: object, granularity: str = "hour") -> CaseStat:
    raw = _obj(raw, "a statistics row")
    return CaseStat(
        bucket=_time(raw, "bucket"),
        org_code=_id(raw, "orgCode"),
        category=_str(raw, "category"),
        granularity=granularity,
        received=_int(raw, "received", minimum=0),
        closed=_int(raw, "closed", minimum=0),
        pending=_int(raw, "pending", minimum=0),
        revision=_int(raw, "revision", minimum=0),
    )


def _counts(raw: object, field: str, keys: tuple[str, ...], *, numbers: bool = False) -> dict:
    obj = _obj(raw, field)
    out = {}
    for key in keys:
        if key not in obj:
            continue
        try:
            out[key] = _number(obj, key) if numbers and key == "avgWaitSeconds" else _int(obj, key, minimum=0)
        except RecordError as exc:
            raise RecordError(f"{field}.{exc.reason}") from None
    return out


def parse_dashboard_summary(raw: object) -> DashboardSummary:
    raw = _obj(raw, "the dashboard summary")
    today_raw = _obj(raw.get("today"), "today")
    today = {}
    for category, values in today_raw.items():
        today[str(category)] = _counts(values, f"today.{category}", ("received", "closed", "pending"))
    return DashboardSummary(
        as_of=_time(raw, "asOf"),
        today=today,
        hotline=_counts(raw.get("hotline", {}), "hotline",
                        ("agentsOnline", "callsWaiting", "avgWaitSeconds"), numbers=True),
        correction=_counts(raw.get("correction", {}), "correction",
                           ("underCorrection", "electronicMonitoring", "alertsOpen")),
        points=_counts(raw.get("points", {}), "points", ("online", "offline", "alarm")),
    )


def _parse_alert(raw: object) -> Alert:
    raw = _obj(raw, "an alert")
    alert_id = _id(raw, "alertId")
    point_id = _str(raw, "pointId", required=False)
    lng, lat = _coordinates(raw, required=False)
    if point_id is None and lng is None:
        raise RecordError("an alert needs a pointId or coordinates")
    coord_sys = _str(raw, "coordSys", required=lng is not None)
    wgs = coords.to_wgs84(lng, lat, coord_sys) if lng is not None and coord_sys else None
    return Alert(
        alert_id=alert_id,
        type=_str(raw, "type"),
        severity=_int(raw, "severity", minimum=1, maximum=4),
        point_id=point_id,
        lng=lng,
        lat=lat,
        coord_sys=coord_sys,
        lng_wgs84=wgs[0] if wgs else None,
        lat_wgs84=wgs[1] if wgs else None,
        occurred_at=_time(raw, "occurredAt"),
        title=_str(raw, "title", empty_ok=True),
        detail=_str(raw, "detail", required=False) or "",
        status=_str(raw, "status"),
        ack_by=_str(raw, "ackBy", required=False),
        ack_at=_time(raw, "ackAt", required=False),
        updated_at=_time(raw, "updatedAt"),
    )


def _parse_template(raw: object) -> InspectionTemplate:
    raw = _obj(raw, "an inspection template")
    template_id = _id(raw, "templateId")
    items_raw = raw.get("items")
    if not isinstance(items_raw, list) or not items_raw:
        raise RecordError("items must be a non-empty list")
    items = []
    seen = set()
    for index, item in enumerate(items_raw):
        try:
            item = _obj(item, "an item")
            item_id = _id(item, "itemId")
            if item_id in seen:
                raise RecordError(f"duplicate itemId {item_id}")
            seen.add(item_id)
            kind = _str(item, "kind")
            max_score = _int(item, "maxScore", required=kind == "score", minimum=1)
            items.append(TemplateItem(item_id, _str(item, "text"), kind, max_score,
                                      _bool(item, "required", required=False)))
        except RecordError as exc:
            raise RecordError(f"items[{index}]: {exc.reason}", template_id) from None
    return InspectionTemplate(template_id, _str(raw, "name"), _int(raw, "version", minimum=0), tuple(items))


def parse_inspection_templates(raw: object) -> tuple[list[InspectionTemplate], list[Rejection]]:
    if not isinstance(raw, list):
        return [], [_rejection("inspection_templates", None,
                               f"data must be a list of templates, got {_type_name(raw)}", raw)]
    validator = PassValidator("inspection_templates", parse_template, lambda t: t.template_id)
    return validator.page(raw)


def _parse_inspection(raw: object) -> Inspection:
    raw = _obj(raw, "an inspection")
    inspection_id = _id(raw, "inspectionId")
    updated_at = _time(raw, "updatedAt")
    if _deleted(raw):
        return Inspection(inspection_id, "", "", 0, "", None, None, (), "", None, 0, updated_at, True)
    results = []
    for index, item in enumerate(raw.get("results") or []):
        try:
            item = _obj(item, "a result")
            passed = item.get("passed")
            if passed is not None and not isinstance(passed, bool):
                raise RecordError(f"passed must be true, false or null, got {_show(passed)}")
            results.append(InspectionResult(_id(item, "itemId"), passed,
                                            _int(item, "score", required=False, minimum=0),
                                            _str(item, "text", required=False)))
        except RecordError as exc:
            raise RecordError(f"results[{index}]: {exc.reason}") from None
    due_raw = raw.get("rectificationDue")
    due = None
    if due_raw is not None:
        try:
            due = date.fromisoformat(due_raw) if isinstance(due_raw, str) else None
        except ValueError:
            due = None
        if due is None:
            raise RecordError(f"rectificationDue must be a date like 2026-12-01, got {_show(due_raw)}")
    snapshots = raw.get("snapshots") or []
    return Inspection(
        inspection_id=inspection_id,
        point_id=_id(raw, "pointId"),
        template_id=_id(raw, "templateId"),
        template_version=_int(raw, "templateVersion", minimum=0),
        inspector=_str(raw, "inspector"),
        started_at=_time(raw, "startedAt", required=False),
        finished_at=_time(raw, "finishedAt", required=False),
        results=tuple(results),
        findings=_str(raw, "findings", required=False) or "",
        rectification_due=due,
        snapshot_count=len(snapshots) if isinstance(snapshots, list) else 0,
        updated_at=updated_at,
    )


def _parse_meeting(raw: object) -> Meeting:
    raw = _obj(raw, "a meeting")
    participants = []
    for index, item in enumerate(raw.get("participants") or []):
        try:
            item = _obj(item, "a participant")
            participants.append(Participant(_id(item, "pointId"), _str(item, "state")))
        except RecordError as exc:
            raise RecordError(f"participants[{index}]: {exc.reason}") from None
    return Meeting(
        meeting_id=_id(raw, "meetingId"),
        title=_str(raw, "title", required=False) or "",
        status=_str(raw, "status"),
        mix_url=_str(raw, "mixUrl", required=False),
        host_point_id=_str(raw, "hostPointId", required=False),
        start_at=_time(raw, "startAt", required=False),
        participants=tuple(participants),
    )


parse_org = _with_id(_parse_org, "orgCode")
parse_service_point = _with_id(_parse_service_point, "pointId")
parse_camera = _with_id(_parse_camera, "cameraId")
parse_alert = _with_id(_parse_alert, "alertId")
parse_template = _with_id(_parse_template, "templateId")
parse_inspection = _with_id(_parse_inspection, "inspectionId")
parse_meeting = _with_id(_parse_meeting, "meetingId")


def parse_case_stat(raw: object, granularity: str = "hour") -> CaseStat:
    try:
        return _parse_case_stat(raw, granularity)
    except RecordError as exc:
        if exc.record_id is None and isinstance(raw, dict):
            exc.record_id = _stat_key(raw)
        raise


_ID_FIELDS = {
    "orgs": "orgCode",
    "service_points": "pointId",
    "cameras": "cameraId",
    "alerts": "alertId",
    "inspection_templates": "templateId",
    "inspections": "inspectionId",
    "meetings": "meetingId",
}


def record_id_of(feed: str, raw: object) -> str | None:
    if not isinstance(raw, dict):
        return None
    if feed.startswith("stats"):
        return _stat_key(raw)
    value = raw.get(_ID_FIELDS.get(feed, ""))
    return value if isinstance(value, str) else None


def _rejection(feed: str, record_id: str | None, reason: str, raw: object) -> Rejection:
    return Rejection(feed=feed, record_id=record_id, reason=reason, raw=raw,
                     received_at=datetime.now(UTC))


class PassValidator:
    """Validates the items of one pass of a feed, page by page. With a key, a
    second item with the same key in the pass is rejected: the first one wins."""

    def __init__(self, feed: str, parse: Callable[[object], R], key: Callable[[R], str] | None):
        self.feed = feed
        self._parse = parse
        self._key = key
        self._seen: set[str] = set()

    def page(self, items: object) -> tuple[list[R], list[Rejection]]:
        if not isinstance(items, list):
            return [], [_rejection(self.feed, None,
                                   f"the page's list must be a JSON array, got {_type_name(items)}", items)]
        records: list[R] = []
        rejections: list[Rejection] = []
        for raw in items:
            try:
                record = self._parse(raw)
            except RecordError as exc:
                rejections.append(_rejection(self.feed, exc.record_id or record_id_of(self.feed, raw),
                                             exc.reason, raw))
                continue
            if self._key is not None:
                key = self._key(record)
                if key in self._seen:
                    id_field = _ID_FIELDS.get(self.feed, "id")
                    rejections.append(_rejection(self.feed, key,
                                                 f"duplicate {id_field} {key} in the same pass", raw))
                    continue
                self._seen.add(key)
            records.append(record)
        return records, rejections
