"""Wire JSON of the data center → validated records, or a rejection with a reason.

Contract §1: unknown fields are ignored; unknown enum values are kept raw, unless
the value leaves the record unusable (then the reason says why). A record that
breaks the contract is rejected with a reason that names the field and the bad
value, and the rest of its page is kept. Types are checked strictly: a bool is
not an integer and "120.5" is not a number. Strings that no database can hold
(NUL characters, lone surrogates from `\\ud800` escapes) are rejected here,
where the reason can still name the field, rather than failing a whole batch
in the store.

Text fields have a length limit (README, "Limits on what the data center sends"): a
longer text is cut to it and the record stored, with a note in the quarantine that
says so. Cutting keeps the record's meaning (a name, a title, a detail is still
recognisable by its beginning) where rejecting would lose it, and an alert must reach
the duty officer however long its detail. Identifiers are never cut, since a cut one
would name another record: a longer one rejects the record, as does one nested deeper
than MAX_RECORD_DEPTH. What the quarantine keeps of a record is bounded too.
"""

from __future__ import annotations

import math
import reprlib
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, date, datetime
from typing import Any, Generic, TypeVar

from commandcenter.domain import coords, timefmt
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

# Adapters and exports write wire times with the same function the parsers read them with.
from commandcenter.domain.timefmt import format_iso_time

__all__ = [
    "FEEDS",
    "MAX_RECORD_DEPTH",
    "SHORTENED",
    "TEXT_LIMITS",
    "PassValidator",
    "RecordError",
    "format_iso_time",
    "parse_alert",
    "parse_camera",
    "parse_case_stat",
    "parse_dashboard_summary",
    "parse_inspection",
    "parse_inspection_templates",
    "parse_iso_time",
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
_ID_FIELDS = {
    "orgs": "orgCode",
    "service_points": "pointId",
    "cameras": "cameraId",
    "alerts": "alertId",
    "inspection_templates": "templateId",
    "inspections": "inspectionId",
    "meetings": "meetingId",
}
_STAT_KEY_FIELDS = ("bucket", "orgCode", "category")
_GRANULARITIES = ("hour", "day")

_SHOWN_CHARS = 60  # of a bad value quoted in a reason
_ID_MAX_CHARS = 128
# Beyond 2**53 most JSON peers silently lose integer precision (RFC 8259 §6),
# and SQL integers overflow further on; no count or version comes near it.
_INT_MAX = 2**53 - 1
_SEVERITIES = range(1, 5)

# The longest text kept of each field (characters); a longer one is cut to this.
CODE_CHARS = 64  # enum values and codes
NAME_CHARS = 200  # names and titles
ADDRESS_CHARS = 500
TEXT_CHARS = 4000  # details, findings, checklist texts and answers; any other text
TEXT_LIMITS: dict[str, int] = {
    **dict.fromkeys(
        ("type", "status", "level", "coordSys", "category", "kind", "state", "adcode"),
        CODE_CHARS,
    ),
    **dict.fromkeys(("phone",), CODE_CHARS),
    **dict.fromkeys(("name", "title", "inspector", "ackBy", "openHours"), NAME_CHARS),
    "address": ADDRESS_CHARS,
    **dict.fromkeys(("detail", "findings", "text"), TEXT_CHARS),
}
_SHORTEST_LIMIT = min(TEXT_LIMITS.values())
# No record of the contract nests deeper than 5 (an alert's GeoJSON area); this leaves
# room for fields yet to come and refuses what only a hostile or broken server sends.
MAX_RECORD_DEPTH = 16
# How the reason of a record that was stored with a text cut short begins.
SHORTENED = "stored shortened: "
# What the quarantine keeps of a rejected record: each text, list and object cut to this.
_RAW_CHARS = 1000
_RAW_ITEMS = 100

# The texts cut while one record was read (set by PassValidator around each page).
_SHORTENED_FIELDS: ContextVar[list[str] | None] = ContextVar("shortened_fields", default=None)


class RecordError(ValueError):
    """A record that breaks the contract. `reason` names the field and the bad
    value; `record_id` is the record's id when it had a readable one."""

    def __init__(self, reason: str, record_id: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.record_id = record_id


# reprlib bounds the work and the depth of showing a hostile value: a page can
# carry megabytes of text or lists nested hundreds deep.
_REPR = reprlib.Repr()
_REPR.maxlevel = 3
_REPR.maxstring = _REPR.maxother = _REPR.maxlong = _SHOWN_CHARS


def _show(value: object) -> str:
    """The value as a reason quotes it: its beginning, at most _SHOWN_CHARS long."""
    text = repr(value[: _SHOWN_CHARS + 1]) if type(value) is str else _REPR.repr(value)
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 1] + "…"


def _clip(text: str, limit: int = _ID_MAX_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _kind(value: object) -> str:
    """The JSON type of a value, in the words of Python's json module."""
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _got(value: object) -> str:
    """The type and value of what arrived instead: "str 'three'", "null"."""
    return "null" if value is None else f"{_kind(value)} {_show(value)}"


def _utc_now() -> datetime:
    return datetime.now(UTC)


# -- field readers -------------------------------------------------------------
# Each takes the record's dict and a wire field name. The common case (a value of
# the right type) is tested first: a province sync reads ~230,000 records.


def _object(raw: object, what: str) -> dict:
    if type(raw) is not dict:
        raise RecordError(f"{what} must be a JSON object, got {_got(raw)}")
    return raw


def _absent(raw: dict, field: str) -> RecordError:
    return RecordError(f"missing {field}" if field not in raw else f"missing {field} (it is null)")


def _storable(value: str, field: str) -> str:
    if "\x00" in value:
        raise RecordError(f"{field} contains a NUL character: {_show(value)}")
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise RecordError(
                f"{field} is not valid Unicode (a lone surrogate): {_show(value)}"
            ) from None
    return value


def _within_limit(value: str, field: str) -> str:
    """`value`, or its beginning when it is longer than its field's limit (noted)."""
    limit = TEXT_LIMITS.get(field, TEXT_CHARS)
    if len(value) <= limit:
        return value
    noted = _SHORTENED_FIELDS.get()
    if noted is not None:
        noted.append(f"{field} had {len(value):,} characters, cut to {limit}")
    return value[: limit - 1] + "…"


def _text(raw: dict, field: str, *, blank_ok: bool = False) -> str:
    """A required string; blank (empty or only spaces) only when `blank_ok`."""
    value = raw.get(field)
    if (
        type(value) is str
        and len(value) <= _SHORTEST_LIMIT
        and (blank_ok or value.strip())
        and value.isascii()
        and "\x00" not in value
    ):
        return value  # the common case, decided in one expression
    if type(value) is not str:
        if value is None:
            raise _absent(raw, field)
        raise RecordError(f"{field} must be a string, got {_got(value)}")
    if not blank_ok and not value.strip():
        raise RecordError(f"{field} is empty")
    return _storable(_within_limit(value, field), field)


def _optional_text(raw: dict, field: str) -> str | None:
    value = raw.get(field)
    if value is None or (
        type(value) is str
        and len(value) <= _SHORTEST_LIMIT
        and value.isascii()
        and "\x00" not in value
    ):
        return value  # the common case, decided in one expression
    if type(value) is not str:
        raise RecordError(f"{field} must be a string or null, got {_got(value)}")
    return _storable(_within_limit(value, field), field)


def _ident(raw: dict, field: str) -> str:
    value = raw.get(field)
    if type(value) is str and len(value) > _ID_MAX_CHARS:  # never cut: it would name another
        raise RecordError(f"{field} is longer than {_ID_MAX_CHARS} characters: {_show(value)}")
    return _text(raw, field)


def _optional_ident(raw: dict, field: str) -> str | None:
    if raw.get(field) is None:
        return None
    return _ident(raw, field)


def _int_value(value: object, field: str, minimum: int, maximum: int) -> int:
    if type(value) is not int:
        # JSON has one number type (RFC 8259 §6): 3.0 is the integer 3. A bool
        # is not a number, and neither is "3".
        if type(value) is float and value.is_integer():
            value = int(value)
        else:
            raise RecordError(f"{field} must be an integer, got {_got(value)}")
    if value < minimum:
        raise RecordError(f"{field} must be ≥ {minimum}, got {_show(value)}")
    if value > maximum:
        raise RecordError(f"{field} must be ≤ {maximum}, got {_show(value)}")
    return value


def _integer(raw: dict, field: str, *, minimum: int = 0, maximum: int = _INT_MAX) -> int:
    value = raw.get(field)
    if value is None:
        raise _absent(raw, field)
    return _int_value(value, field, minimum, maximum)


def _optional_integer(
    raw: dict, field: str, *, minimum: int = 0, maximum: int = _INT_MAX
) -> int | None:
    value = raw.get(field)
    return None if value is None else _int_value(value, field, minimum, maximum)


def _number_value(value: object, field: str) -> float:
    kind = type(value)
    if kind is float:
        if math.isfinite(value):  # type: ignore[arg-type]
            return value  # type: ignore[return-value]
        raise RecordError(f"{field} must be a finite number, got {value}")
    if kind is int:
        try:
            return float(value)  # type: ignore[arg-type]
        except OverflowError:
            raise RecordError(f"{field} must be a finite number, got {_show(value)}") from None
    raise RecordError(f"{field} must be a number, got {_got(value)}")


def _flag(raw: dict, field: str, *, default: bool | None = None) -> bool:
    """A JSON boolean; with a default the field may be absent or null."""
    value = raw.get(field)
    if value is True or value is False:
        return value
    if value is None:
        if default is None:
            raise _absent(raw, field)
        return default
    raise RecordError(f"{field} must be true or false, got {_got(value)}")


def parse_iso_time(value: object, field: str) -> datetime:
    """An aware datetime from an ISO 8601 time with offset, or RecordError naming `field`."""
    if type(value) is not str:
        raise RecordError(f"{field} must be an ISO 8601 time string, got {_got(value)}")
    try:
        return timefmt.parse_iso_time(value)
    except timefmt.InvalidTime as exc:
        raise RecordError(f"{field} {exc.problem}: {_show(value)}") from None


def _time(raw: dict, field: str) -> datetime:
    value = raw.get(field)
    if type(value) is str:
        try:
            return timefmt.parse_iso_time(value)
        except timefmt.InvalidTime as exc:
            raise RecordError(f"{field} {exc.problem}: {_show(value)}") from None
    if value is None:
        raise _absent(raw, field)
    return parse_iso_time(value, field)


def _optional_time(raw: dict, field: str) -> datetime | None:
    value = raw.get(field)
    return None if value is None else parse_iso_time(value, field)


def _deleted(raw: dict) -> bool:
    # Not an enum that could be kept raw: without it we cannot tell whether the record exists.
    return _flag(raw, "deleted", default=False)


def _position(raw: dict, *, nullable: bool) -> tuple[float, float] | None:
    lng, lat = raw.get("lng"), raw.get("lat")
    if lng is None or lat is None:
        if nullable and lng is None and lat is None:
            return None
        if nullable:
            raise RecordError("lng and lat must both be given or both be null")
        raise _absent(raw, "lng" if lng is None else "lat")
    lng = _number_value(lng, "lng")
    lat = _number_value(lat, "lat")
    if not -180.0 <= lng <= 180.0:
        raise RecordError(f"lng {lng} out of range [-180, 180]")
    if not -90.0 <= lat <= 90.0:
        raise RecordError(f"lat {lat} out of range [-90, 90]")
    return lng, lat


def _list(raw: dict, field: str) -> list:
    """A JSON array; absent or null reads as empty."""
    value = raw.get(field)
    if value is None:
        return []
    if type(value) is not list:
        raise RecordError(f"{field} must be a JSON array, got {_got(value)}")
    return value


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
        return _clip(value) if type(value) is str else None

    return id_of


def _stat_key(raw: dict) -> str | None:
    parts = [raw.get(name) for name in _STAT_KEY_FIELDS]
    if all(part is None for part in parts):
        return None
    return _clip("|".join(str(part) for part in parts), 3 * _ID_MAX_CHARS)


# -- records -----------------------------------------------------------------------


def _parse_org(raw: object) -> Org:
    raw = _object(raw, "an org")
    code = _ident(raw, "orgCode")
    # Orgs carry updatedAt only where the data center stamps them (§3.2 lists none).
    updated_at = _optional_time(raw, "updatedAt")
    if _deleted(raw):
        return Org(code, "", "", None, None, updated_at, True)
    return Org(
        org_code=code,
        name=_text(raw, "name"),
        level=_text(raw, "level"),
        parent_code=_optional_ident(raw, "parentCode"),
        adcode=_optional_text(raw, "adcode"),
        updated_at=updated_at,
    )


def _is_plain_id(value: object) -> bool:
    return (
        type(value) is str
        and 0 < len(value) <= _ID_MAX_CHARS
        and value.isascii()
        and not value.isspace()
        and "\x00" not in value
    )


def _camera_ids(raw: dict) -> tuple[str, ...]:
    ids = raw.get("cameraIds")
    if type(ids) is list and all(map(_is_plain_id, ids)):
        return tuple(ids)  # the common case
    ids = _list(raw, "cameraIds")
    for index, camera_id in enumerate(ids):
        if type(camera_id) is not str or not camera_id.strip() or len(camera_id) > _ID_MAX_CHARS:
            raise RecordError(
                f"cameraIds[{index}] must be a camera id string, got {_got(camera_id)}"
            )
        _storable(camera_id, f"cameraIds[{index}]")
    return tuple(ids)


def _parse_service_point(raw: object) -> ServicePoint:
    raw = _object(raw, "a service point")
    point_id = _ident(raw, "pointId")
    updated_at = _time(raw, "updatedAt")
    if _deleted(raw):
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
    position = _position(raw, nullable=False)
    assert position is not None
    lng, lat = position
    coord_sys = _text(raw, "coordSys")
    # An unknown coordSys keeps the point (listed, counted) but unplaced on the map.
    wgs84 = coords.to_wgs84(lng, lat, coord_sys)
    # Positional: the hottest constructor of a sync (field order of records.ServicePoint).
    return ServicePoint(
        point_id,
        _text(raw, "name"),
        _text(raw, "type"),
        _text(raw, "level"),
        _ident(raw, "orgCode"),
        _optional_text(raw, "address") or "",
        lng,
        lat,
        coord_sys,
        wgs84[0] if wgs84 else None,
        wgs84[1] if wgs84 else None,
        _optional_text(raw, "phone") or "",
        _text(raw, "status"),
        _optional_integer(raw, "staffOnDuty"),
        _optional_text(raw, "openHours") or "",
        _camera_ids(raw),
        updated_at,
    )


def _parse_camera(raw: object) -> Camera:
    raw = _object(raw, "a camera")
    camera_id = _ident(raw, "cameraId")
    updated_at = _time(raw, "updatedAt")
    if _deleted(raw):
        return Camera(camera_id, "", "", False, False, False, updated_at, True)
    return Camera(
        camera_id=camera_id,
        point_id=_ident(raw, "pointId"),
        name=_text(raw, "name", blank_ok=True),
        online=_flag(raw, "online"),
        # Absent capabilities read as "not offered": no PTZ pad, main stream only.
        ptz=_flag(raw, "ptz", default=False),
        has_sub_stream=_flag(raw, "hasSubStream", default=False),
        updated_at=updated_at,
    )


def _bucket(raw: dict, granularity: str) -> datetime:
    bucket = _time(raw, "bucket")
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
        row = _object(raw, "a statistics row")
        return CaseStat(
            bucket=_bucket(row, granularity),
            org_code=_ident(row, "orgCode"),
            category=_text(row, "category"),
            granularity=granularity,
            received=_integer(row, "received"),
            closed=_integer(row, "closed"),
            pending=_integer(row, "pending"),
            revision=_integer(row, "revision"),
        )
    except RecordError as exc:
        if exc.record_id is None and type(raw) is dict:
            exc.record_id = _stat_key(raw)
        raise


def _counts(
    raw: object, where: str, fields: tuple[str, ...], *, seconds: tuple[str, ...] = ()
) -> dict:
    """The present count fields of one summary section (absent ones are left out)."""
    section = _object(raw, where)
    out: dict[str, Any] = {}
    for field in fields:
        value = section.get(field)
        if value is None:
            continue
        name = f"{where}.{field}"
        if field in seconds:
            number = _number_value(value, name)
            if number < 0:
                raise RecordError(f"{name} must be ≥ 0, got {number}")
            out[field] = number
        else:
            out[field] = _int_value(value, name, 0, _INT_MAX)
    return out


def parse_dashboard_summary(raw: object) -> DashboardSummary:
    """`GET /dashboard/summary` (§3.8). Unknown categories under `today` are kept."""
    raw = _object(raw, "the dashboard summary")
    today_raw = raw.get("today")
    if today_raw is None:
        raise _absent(raw, "today")
    today = {}
    for category, values in _object(today_raw, "today").items():
        if type(category) is not str:
            raise RecordError(f"today has a key that is not a string: {_got(category)}")
        category = _storable(_within_limit(category, "category"), "today")
        where = f"today.{_clip(category, _SHOWN_CHARS)}"
        today[category] = _counts(values, where, ("received", "closed", "pending"))
    return DashboardSummary(
        as_of=_time(raw, "asOf"),
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
    raw = _object(raw, "an alert")
    alert_id = _ident(raw, "alertId")
    point_id = _optional_ident(raw, "pointId")
    position = _position(raw, nullable=True)
    if point_id is None and position is None:
        raise RecordError("an alert needs a pointId or coordinates, and has neither")
    severity = _integer(raw, "severity", minimum=-_INT_MAX)
    if severity not in _SEVERITIES:
        # Unlike the named enums, severity ranks and filters the duty officer's
        # list: an unknown grade could not be placed in it.
        raise RecordError(
            f"severity {severity} is not 1 (critical) to 4 (info), so the alert cannot be ranked"
        )
    if position is None:
        lng = lat = lng_wgs84 = lat_wgs84 = None
        coord_sys = _optional_text(raw, "coordSys")
    else:
        lng, lat = position
        coord_sys = _text(raw, "coordSys")
        wgs84 = coords.to_wgs84(lng, lat, coord_sys)
        lng_wgs84, lat_wgs84 = wgs84 if wgs84 else (None, None)
    return Alert(
        alert_id=alert_id,
        type=_text(raw, "type"),
        severity=severity,
        point_id=point_id,
        lng=lng,
        lat=lat,
        coord_sys=coord_sys,
        lng_wgs84=lng_wgs84,
        lat_wgs84=lat_wgs84,
        occurred_at=_time(raw, "occurredAt"),
        title=_text(raw, "title", blank_ok=True),
        detail=_optional_text(raw, "detail") or "",
        status=_text(raw, "status"),
        ack_by=_optional_text(raw, "ackBy"),
        ack_at=_optional_time(raw, "ackAt"),
        updated_at=_time(raw, "updatedAt"),
    )


def _template_item(raw: object) -> TemplateItem:
    """A kind the contract does not list is kept as sent (the contract keeps unknown enum
    values): such an item is answered with a note, or a snapshot (domain.inspection)."""
    item = _object(raw, "an item")
    item_id = _ident(item, "itemId")
    kind = _text(item, "kind")
    if kind == "score":
        max_score = _integer(item, "maxScore", minimum=1)
    else:
        max_score = _optional_integer(item, "maxScore", minimum=1)
    return TemplateItem(
        item_id, _text(item, "text"), kind, max_score, _flag(item, "required", default=False)
    )


def _parse_template(raw: object) -> InspectionTemplate:
    raw = _object(raw, "an inspection template")
    template_id = _ident(raw, "templateId")
    items_raw = _list(raw, "items")
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
            raise RecordError(
                f"items[{index}]: duplicate itemId {_clip(item.item_id, _SHOWN_CHARS)}"
            )
        seen.add(item.item_id)
        items.append(item)
    return InspectionTemplate(
        template_id, _text(raw, "name"), _integer(raw, "version"), tuple(items)
    )


def _result(raw: object) -> InspectionResult:
    result = _object(raw, "a result")
    passed = result.get("passed")
    if passed is not None and passed is not True and passed is not False:
        raise RecordError(f"passed must be true, false or null, got {_got(passed)}")
    return InspectionResult(
        _ident(result, "itemId"),
        passed,
        _optional_integer(result, "score"),
        _optional_text(result, "text"),
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
    raise RecordError(f"rectificationDue must be a date like 2026-12-01 or null, got {_got(value)}")


def _parse_inspection(raw: object) -> Inspection:
    raw = _object(raw, "an inspection")
    inspection_id = _ident(raw, "inspectionId")
    updated_at = _time(raw, "updatedAt")
    if _deleted(raw):
        return Inspection(
            inspection_id, "", "", 0, "", None, None, (), "", None, 0, updated_at, True
        )
    results = []
    for index, result_raw in enumerate(_list(raw, "results")):
        try:
            results.append(_result(result_raw))
        except RecordError as exc:
            raise RecordError(f"results[{index}]: {exc.reason}") from None
    started_at = _optional_time(raw, "startedAt")
    finished_at = _optional_time(raw, "finishedAt")
    if started_at is not None and finished_at is not None and finished_at < started_at:
        raise RecordError(
            f"finishedAt {raw['finishedAt']!r} is before startedAt {raw['startedAt']!r}"
        )
    return Inspection(
        inspection_id=inspection_id,
        point_id=_ident(raw, "pointId"),
        template_id=_ident(raw, "templateId"),
        template_version=_integer(raw, "templateVersion"),
        inspector=_text(raw, "inspector"),
        started_at=started_at,
        finished_at=finished_at,
        results=tuple(results),
        findings=_optional_text(raw, "findings") or "",
        rectification_due=_rectification_due(raw),
        snapshot_count=len(_list(raw, "snapshots")),
        updated_at=updated_at,
    )


def _participant(raw: object) -> Participant:
    item = _object(raw, "a participant")
    return Participant(_ident(item, "pointId"), _text(item, "state"))


def _parse_meeting(raw: object) -> Meeting:
    raw = _object(raw, "a meeting")
    meeting_id = _ident(raw, "meetingId")
    participants = []
    for index, item in enumerate(_list(raw, "participants")):
        try:
            participants.append(_participant(item))
        except RecordError as exc:
            raise RecordError(f"participants[{index}]: {exc.reason}") from None
    return Meeting(
        meeting_id=meeting_id,
        title=_optional_text(raw, "title") or "",
        status=_text(raw, "status"),
        mix_url=_optional_text(raw, "mixUrl"),
        host_point_id=_optional_ident(raw, "hostPointId"),
        start_at=_optional_time(raw, "startAt"),
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
    field = _ID_FIELDS.get(feed)
    return _id_reader(field)(raw) if field else None


def nesting_deeper_than(value: object, limit: int) -> bool:
    """Whether JSON `value` nests objects and arrays more than `limit` levels deep
    (an object or array itself is one level). Recursion is bounded by `limit`."""
    kind = type(value)
    if kind is dict:
        children = value.values()  # type: ignore[attr-defined]
    elif kind is list:
        children = value
    else:
        return False
    if limit <= 0:
        return True
    for child in children:  # type: ignore[attr-defined]
        kind = type(child)
        if (kind is dict or kind is list) and nesting_deeper_than(child, limit - 1):
            return True
    return False


def bounded(raw: object, depth: int = 0) -> object:
    """What the quarantine keeps of a raw record: its structure and beginnings, every
    text, array and object cut to a bounded size, nothing deeper than MAX_RECORD_DEPTH."""
    kind = type(raw)
    if kind is str:
        return raw if len(raw) <= _RAW_CHARS else raw[:_RAW_CHARS] + "…"  # type: ignore[index,operator]
    if kind is not dict and kind is not list:
        return raw
    if depth >= MAX_RECORD_DEPTH:
        return "…"
    if kind is list:
        items = [bounded(item, depth + 1) for item in raw[:_RAW_ITEMS]]  # type: ignore[index]
        return items + ["…"] if len(raw) > _RAW_ITEMS else items  # type: ignore[arg-type]
    kept = {}
    for index, (key, value) in enumerate(raw.items()):  # type: ignore[attr-defined]
        if index == _RAW_ITEMS:
            kept["…"] = "…"
            break
        kept[bounded(key, depth)] = bounded(value, depth + 1)
    return kept


class PassValidator(Generic[R]):
    """Validates the items of one full or incremental pass of a feed, page by page.

    With a key, a second item with the same key in the pass is rejected and the
    first one wins: a listing that shifts between page requests (contract §1)
    shows an item twice, and the later copy is not newer than the first.
    """

    def __init__(
        self,
        feed: str,
        parse: Callable[[object], R],
        key: Callable[[R], str] | None,
        *,
        clock: Callable[[], datetime] = _utc_now,
    ):
        self.feed = feed
        self._parse = parse
        self._key = key
        self._clock = clock
        self._id_field = _ID_FIELDS.get(feed, "id")
        self._seen: set[str] = set()

    def _rejection(
        self, record_id: str | None, reason: str, raw: object, *, stored: bool = False
    ) -> Rejection:
        return Rejection(
            feed=self.feed,
            record_id=record_id,
            reason=reason,
            raw=bounded(raw),
            received_at=self._clock(),
            stored=stored,
        )

    def page(self, items: object) -> tuple[list[R], list[Rejection]]:
        """The valid records of a page, and a rejection for each other one (or a note
        for one stored with a text cut short)."""
        if type(items) is not list:
            return [], [
                self._rejection(
                    None, f"the list of items must be a JSON array, got {_kind(items)}", items
                )
            ]
        records: list[R] = []
        rejections: list[Rejection] = []
        shortened: list[str] = []
        token = _SHORTENED_FIELDS.set(shortened)
        try:
            for raw in items:
                record = self._read(raw, rejections, shortened)
                if record is None:
                    continue
                if self._key is not None:
                    key = self._key(record)
                    if key in self._seen:
                        rejections.append(
                            self._rejection(
                                key,
                                f"duplicate {self._id_field} {_clip(key, _SHOWN_CHARS)} in the same pass",
                                raw,
                            )
                        )
                        continue
                    self._seen.add(key)
                records.append(record)
        finally:
            _SHORTENED_FIELDS.reset(token)
        return records, rejections

    def one(self, raw: object) -> tuple[list[R], list[Rejection]]:
        """A document that is one record (the dashboard summary): as `page` does a list."""
        rejections: list[Rejection] = []
        shortened: list[str] = []
        token = _SHORTENED_FIELDS.set(shortened)
        try:
            record = self._read(raw, rejections, shortened)
        finally:
            _SHORTENED_FIELDS.reset(token)
        return ([] if record is None else [record]), rejections

    def _read(self, raw: object, rejections: list[Rejection], shortened: list[str]) -> R | None:
        if nesting_deeper_than(raw, MAX_RECORD_DEPTH):
            rejections.append(
                self._rejection(
                    record_id_of(self.feed, raw),
                    f"nested more than {MAX_RECORD_DEPTH} levels deep; "
                    "no record of the contract nests deeper than 5",
                    raw,
                )
            )
            return None
        try:
            record = self._parse(raw)
        except RecordError as exc:
            shortened.clear()
            rejections.append(
                self._rejection(exc.record_id or record_id_of(self.feed, raw), exc.reason, raw)
            )
            return None
        if shortened:
            rejections.append(
                self._rejection(
                    record_id_of(self.feed, raw),
                    SHORTENED + "; ".join(shortened),
                    raw,
                    stored=True,
                )
            )
            shortened.clear()
        return record


def parse_inspection_templates(raw: object) -> tuple[list[InspectionTemplate], list[Rejection]]:
    """`GET /inspection-templates` (§3.10): every valid template, and a rejection for each other one."""
    validator = PassValidator(
        "inspection_templates", parse_inspection_template, lambda t: t.template_id
    )
    return validator.page(raw)
