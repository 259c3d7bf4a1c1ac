"""Wire JSON of the data center → validated records, or a rejection with a reason.

Contract §1: unknown fields are ignored; unknown enum values are kept raw, unless
the value leaves the record unusable (then the reason says why). A record that
breaks the contract is rejected with a reason that names the field and the bad
value, and the rest of its page is kept (passes.py). How each field is read, and
the limits on texts, are in fields.py.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any, TypeVar

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
    ServicePoint,
    TemplateItem,
)

# Adapters and exports write wire times with the same function the parsers read them with.
from commandcenter.domain.timefmt import format_iso_time
from commandcenter.feeds.fields import (
    ID_MAX_CHARS,
    INT_MAX,
    SHOWN_CHARS,
    RecordError,
    absent,
    as_object,
    clip,
    deleted_flag,
    flag,
    got,
    ident,
    int_value,
    integer,
    list_field,
    number_value,
    optional_ident,
    optional_integer,
    optional_text,
    optional_time,
    position_of,
    storable,
    text_field,
    time_field,
    within_limit,
)

__all__ = [
    "FEEDS",
    "format_iso_time",
    "parse_alert",
    "parse_camera",
    "parse_case_stat",
    "parse_dashboard_summary",
    "parse_inspection",
    "parse_meeting",
    "parse_org",
    "parse_service_point",
    "record_id_of",
]

R = TypeVar("R")

FEEDS = (
    "orgs",
    "service_points",
    "cameras",
    "stats_hour",
    "stats_day",
    "dashboard",
    "alerts",
    "inspection_templates",
    "inspections",
    "meetings",
)
# The field that identifies an item of each feed (statistics rows have a composite key).
ID_FIELDS = {
    "orgs": "orgCode",
    "service_points": "pointId",
    "cameras": "cameraId",
    "alerts": "alertId",
    "inspection_templates": "templateId",
    "inspections": "inspectionId",
    "meetings": "meetingId",
    "duty_roster": "shiftId",
}
_STAT_KEY_FIELDS = ("bucket", "orgCode", "category")
_GRANULARITIES = ("hour", "day")

_SEVERITIES = range(1, 5)


def _with_record_id(
    parse: Callable[[Any], R], id_of: Callable[[dict], str | None]
) -> Callable[[object], R]:
    """Attach the record's id (when it has a readable one) to any RecordError."""

    def parse_with_id(raw: object) -> R:
        try:
            return parse(raw)
        except RecordError as exc:
            if exc.record_id is None and type(raw) is dict:
                exc.record_id = id_of(raw)
            raise

    parse_with_id.__name__ = parse.__name__.lstrip("_")
    parse_with_id.__doc__ = parse.__doc__
    return parse_with_id


def _id_reader(field: str) -> Callable[[dict], str | None]:
    def id_of(raw: dict) -> str | None:
        value = raw.get(field)
        return clip(value) if type(value) is str else None

    return id_of


def _stat_key(raw: dict) -> str | None:
    parts = [raw.get(name) for name in _STAT_KEY_FIELDS]
    if all(part is None for part in parts):
        return None
    return clip("|".join(str(part) for part in parts), 3 * ID_MAX_CHARS)


# -- records -----------------------------------------------------------------------


def _parse_org(raw: object) -> Org:
    raw = as_object(raw, "an org")
    code = ident(raw, "orgCode")
    # Orgs carry updatedAt only where the data center stamps them (§3.2 lists none).
    updated_at = optional_time(raw, "updatedAt")
    if deleted_flag(raw):
        return Org(code, "", "", None, None, updated_at, True)
    return Org(
        org_code=code,
        name=text_field(raw, "name"),
        level=text_field(raw, "level"),
        parent_code=optional_ident(raw, "parentCode"),
        adcode=optional_text(raw, "adcode"),
        updated_at=updated_at,
    )


def _is_plain_id(value: object) -> bool:
    return (
        type(value) is str
        and 0 < len(value) <= ID_MAX_CHARS
        and value.isascii()
        and not value.isspace()
        and "\x00" not in value
    )


def _camera_ids(raw: dict) -> tuple[str, ...]:
    ids = raw.get("cameraIds")
    if type(ids) is list and all(map(_is_plain_id, ids)):
        return tuple(ids)  # the common case
    ids = list_field(raw, "cameraIds")
    for index, camera_id in enumerate(ids):
        if type(camera_id) is not str or not camera_id.strip() or len(camera_id) > ID_MAX_CHARS:
            raise RecordError(
                f"cameraIds[{index}] must be a camera id string, got {got(camera_id)}"
            )
        storable(camera_id, f"cameraIds[{index}]")
    return tuple(ids)


def _parse_service_point(raw: object) -> ServicePoint:
    raw = as_object(raw, "a service point")
    point_id = ident(raw, "pointId")
    updated_at = time_field(raw, "updatedAt")
    if deleted_flag(raw):
        return ServicePoint(
            point_id,
            "",
            "",
            "",
            "",
            "",
            0.0,
            0.0,
            "",
            None,
            None,
            "",
            "",
            None,
            "",
            (),
            updated_at,
            True,
        )
    position = position_of(raw, nullable=False)
    assert position is not None
    lng, lat = position
    coord_sys = text_field(raw, "coordSys")
    # An unknown coordSys keeps the point (listed, counted) but unplaced on the map.
    wgs84 = coords.to_wgs84(lng, lat, coord_sys)
    # Positional: the hottest constructor of a sync (field order of records.ServicePoint).
    return ServicePoint(
        point_id,
        text_field(raw, "name"),
        text_field(raw, "type"),
        text_field(raw, "level"),
        ident(raw, "orgCode"),
        optional_text(raw, "address") or "",
        lng,
        lat,
        coord_sys,
        wgs84[0] if wgs84 else None,
        wgs84[1] if wgs84 else None,
        optional_text(raw, "phone") or "",
        text_field(raw, "status"),
        optional_integer(raw, "staffOnDuty"),
        optional_text(raw, "openHours") or "",
        _camera_ids(raw),
        updated_at,
    )


def _parse_camera(raw: object) -> Camera:
    raw = as_object(raw, "a camera")
    camera_id = ident(raw, "cameraId")
    updated_at = time_field(raw, "updatedAt")
    if deleted_flag(raw):
        return Camera(camera_id, "", "", False, False, False, updated_at, True)
    return Camera(
        camera_id=camera_id,
        point_id=ident(raw, "pointId"),
        name=text_field(raw, "name", blank_ok=True),
        online=flag(raw, "online"),
        # Absent capabilities read as "not offered": no PTZ pad, main stream only.
        ptz=flag(raw, "ptz", default=False),
        has_sub_stream=flag(raw, "hasSubStream", default=False),
        updated_at=updated_at,
    )


def _bucket(raw: dict, granularity: str) -> datetime:
    bucket = time_field(raw, "bucket")
    if granularity == "hour":
        # Checked in UTC, so that offsets such as +05:30 still name whole hours.
        aligned = bucket.astimezone(UTC)
        if aligned.minute or aligned.second or aligned.microsecond:
            raise RecordError(f"bucket {raw['bucket']!r} is not the start of an hour")
    elif bucket.hour or bucket.minute or bucket.second or bucket.microsecond:
        raise RecordError(f"bucket {raw['bucket']!r} is not the start of a day")
    return bucket


def parse_case_stat(raw: object, granularity: str) -> CaseStat:
    """One row of `GET /stats/cases?granularity=…` (§3.7)."""
    if granularity not in _GRANULARITIES:
        raise ValueError(f"granularity must be one of {_GRANULARITIES}, got {granularity!r}")
    try:
        row = as_object(raw, "a statistics row")
        return CaseStat(
            bucket=_bucket(row, granularity),
            org_code=ident(row, "orgCode"),
            category=text_field(row, "category"),
            granularity=granularity,
            received=integer(row, "received"),
            closed=integer(row, "closed"),
            pending=integer(row, "pending"),
            revision=integer(row, "revision"),
        )
    except RecordError as exc:
        if exc.record_id is None and type(raw) is dict:
            exc.record_id = _stat_key(raw)
        raise


def _counts(
    raw: object, where: str, fields: tuple[str, ...], *, seconds: tuple[str, ...] = ()
) -> dict:
    """The present count fields of one summary section (absent ones are left out)."""
    section = as_object(raw, where)
    out: dict[str, Any] = {}
    for field in fields:
        value = section.get(field)
        if value is None:
            continue
        name = f"{where}.{field}"
        if field in seconds:
            number = number_value(value, name)
            if number < 0:
                raise RecordError(f"{name} must be ≥ 0, got {number}")
            out[field] = number
        else:
            out[field] = int_value(value, name, 0, INT_MAX)
    return out


def parse_dashboard_summary(raw: object) -> DashboardSummary:
    """`GET /dashboard/summary` (§3.8). Unknown categories under `today` are kept."""
    raw = as_object(raw, "the dashboard summary")
    today_raw = raw.get("today")
    if today_raw is None:
        raise absent(raw, "today")
    today = {}
    for category, values in as_object(today_raw, "today").items():
        if type(category) is not str:
            raise RecordError(f"today has a key that is not a string: {got(category)}")
        category = storable(within_limit(category, "category"), "today")
        where = f"today.{clip(category, SHOWN_CHARS)}"
        today[category] = _counts(values, where, ("received", "closed", "pending"))
    return DashboardSummary(
        as_of=time_field(raw, "asOf"),
        today=today,
        hotline=_counts(
            raw.get("hotline", {}),
            "hotline",
            ("agentsOnline", "callsWaiting", "avgWaitSeconds"),
            seconds=("avgWaitSeconds",),
        ),
        correction=_counts(
            raw.get("correction", {}),
            "correction",
            ("underCorrection", "electronicMonitoring", "alertsOpen"),
        ),
        points=_counts(raw.get("points", {}), "points", ("online", "offline", "alarm")),
    )


def _parse_alert(raw: object) -> Alert:
    raw = as_object(raw, "an alert")
    alert_id = ident(raw, "alertId")
    point_id = optional_ident(raw, "pointId")
    position = position_of(raw, nullable=True)
    if point_id is None and position is None:
        raise RecordError("an alert needs a pointId or coordinates, and has neither")
    severity = integer(raw, "severity", minimum=-INT_MAX)
    if severity not in _SEVERITIES:
        # Unlike the named enums, severity ranks and filters the duty officer's
        # list: an unknown grade could not be placed in it.
        raise RecordError(
            f"severity {severity} is not 1 (critical) to 4 (info), so the alert cannot be ranked"
        )
    if position is None:
        lng = lat = lng_wgs84 = lat_wgs84 = None
        coord_sys = optional_text(raw, "coordSys")
    else:
        lng, lat = position
        coord_sys = text_field(raw, "coordSys")
        wgs84 = coords.to_wgs84(lng, lat, coord_sys)
        lng_wgs84, lat_wgs84 = wgs84 if wgs84 else (None, None)
    return Alert(
        alert_id=alert_id,
        type=text_field(raw, "type"),
        severity=severity,
        point_id=point_id,
        lng=lng,
        lat=lat,
        coord_sys=coord_sys,
        lng_wgs84=lng_wgs84,
        lat_wgs84=lat_wgs84,
        occurred_at=time_field(raw, "occurredAt"),
        title=text_field(raw, "title", blank_ok=True),
        detail=optional_text(raw, "detail") or "",
        status=text_field(raw, "status"),
        ack_by=optional_text(raw, "ackBy"),
        ack_at=optional_time(raw, "ackAt"),
        updated_at=time_field(raw, "updatedAt"),
    )


def _template_item(raw: object) -> TemplateItem:
    """A kind the contract does not list is kept as sent (the contract keeps unknown enum
    values): such an item is answered with a note, or a snapshot (domain.inspection)."""
    item = as_object(raw, "an item")
    item_id = ident(item, "itemId")
    kind = text_field(item, "kind")
    max_score: int | None
    if kind == "score":
        max_score = integer(item, "maxScore", minimum=1)
    else:
        max_score = optional_integer(item, "maxScore", minimum=1)
    return TemplateItem(
        item_id, text_field(item, "text"), kind, max_score, flag(item, "required", default=False)
    )


def _parse_template(raw: object) -> InspectionTemplate:
    raw = as_object(raw, "an inspection template")
    template_id = ident(raw, "templateId")
    items_raw = list_field(raw, "items")
    if not items_raw:
        raise RecordError("items must be a non-empty JSON array")
    items: list[TemplateItem] = []
    seen: set[str] = set()
    for index, item_raw in enumerate(items_raw):
        try:
            item = _template_item(item_raw)
        except RecordError as exc:
            raise RecordError(f"items[{index}]: {exc.reason}") from None
        if item.item_id in seen:
            raise RecordError(f"items[{index}]: duplicate itemId {clip(item.item_id, SHOWN_CHARS)}")
        seen.add(item.item_id)
        items.append(item)
    return InspectionTemplate(
        template_id, text_field(raw, "name"), integer(raw, "version"), tuple(items)
    )


def _result(raw: object) -> InspectionResult:
    result = as_object(raw, "a result")
    passed = result.get("passed")
    if passed is not None and passed is not True and passed is not False:
        raise RecordError(f"passed must be true, false or null, got {got(passed)}")
    return InspectionResult(
        ident(result, "itemId"),
        passed,
        optional_integer(result, "score"),
        optional_text(result, "text"),
    )


def _rectification_due(raw: dict) -> date | None:
    value = raw.get("rectificationDue")
    if value is None:
        return None
    # date.fromisoformat would also take "20261201" and week dates: require YYYY-MM-DD.
    if (
        type(value) is str
        and len(value) == 10
        and value[4] == "-"
        and value[7] == "-"
        and value.isascii()
    ):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise RecordError(f"rectificationDue must be a date like 2026-12-01 or null, got {got(value)}")


def _parse_inspection(raw: object) -> Inspection:
    raw = as_object(raw, "an inspection")
    inspection_id = ident(raw, "inspectionId")
    updated_at = time_field(raw, "updatedAt")
    if deleted_flag(raw):
        return Inspection(
            inspection_id, "", "", 0, "", None, None, (), "", None, 0, updated_at, True
        )
    results = []
    for index, result_raw in enumerate(list_field(raw, "results")):
        try:
            results.append(_result(result_raw))
        except RecordError as exc:
            raise RecordError(f"results[{index}]: {exc.reason}") from None
    started_at = optional_time(raw, "startedAt")
    finished_at = optional_time(raw, "finishedAt")
    if started_at is not None and finished_at is not None and finished_at < started_at:
        raise RecordError(
            f"finishedAt {raw['finishedAt']!r} is before startedAt {raw['startedAt']!r}"
        )
    return Inspection(
        inspection_id=inspection_id,
        point_id=ident(raw, "pointId"),
        template_id=ident(raw, "templateId"),
        template_version=integer(raw, "templateVersion"),
        inspector=text_field(raw, "inspector"),
        started_at=started_at,
        finished_at=finished_at,
        results=tuple(results),
        findings=optional_text(raw, "findings") or "",
        rectification_due=_rectification_due(raw),
        snapshot_count=len(list_field(raw, "snapshots")),
        updated_at=updated_at,
    )


def _participant(raw: object) -> Participant:
    item = as_object(raw, "a participant")
    return Participant(ident(item, "pointId"), text_field(item, "state"))


def _parse_meeting(raw: object) -> Meeting:
    raw = as_object(raw, "a meeting")
    meeting_id = ident(raw, "meetingId")
    participants = []
    for index, item in enumerate(list_field(raw, "participants")):
        try:
            participants.append(_participant(item))
        except RecordError as exc:
            raise RecordError(f"participants[{index}]: {exc.reason}") from None
    return Meeting(
        meeting_id=meeting_id,
        title=optional_text(raw, "title") or "",
        status=text_field(raw, "status"),
        mix_url=optional_text(raw, "mixUrl"),
        host_point_id=optional_ident(raw, "hostPointId"),
        start_at=optional_time(raw, "startAt"),
        participants=tuple(participants),
    )


parse_org = _with_record_id(_parse_org, _id_reader("orgCode"))
parse_service_point = _with_record_id(_parse_service_point, _id_reader("pointId"))
parse_camera = _with_record_id(_parse_camera, _id_reader("cameraId"))
parse_alert = _with_record_id(_parse_alert, _id_reader("alertId"))
parse_inspection_template = _with_record_id(_parse_template, _id_reader("templateId"))
parse_inspection = _with_record_id(_parse_inspection, _id_reader("inspectionId"))
parse_meeting = _with_record_id(_parse_meeting, _id_reader("meetingId"))


def record_id_of(feed: str, raw: object) -> str | None:
    """Best-effort id of a raw item, for a rejection: the feed's id field, or
    "bucket|orgCode|category" for statistics rows; None when it has none."""
    if type(raw) is not dict:
        return None
    if feed in ("stats_hour", "stats_day"):
        return _stat_key(raw)
    field = ID_FIELDS.get(feed)
    return _id_reader(field)(raw) if field else None
