"""How a record's fields are read: each by its type, strictly (a bool is not an integer and
"120.5" is not a number), with a reason naming the field and the bad value when it is wrong.
Strings that no database can hold (NUL characters, lone surrogates from `\\ud800` escapes)
are rejected here, where the reason can still name the field, rather than failing a whole
batch in the store.

Text fields have a length limit (README, "Limits on what the data center sends"): a
longer text is cut to it and the record stored, with a note in the quarantine that
says so. Cutting keeps the record's meaning (a name, a title, a detail is still
recognisable by its beginning) where rejecting would lose it, and an alert must reach
the duty officer however long its detail. Identifiers are never cut, since a cut one
would name another record: a longer one rejects the record.
"""

from __future__ import annotations

import math
import reprlib
from contextvars import ContextVar
from datetime import datetime

from commandcenter.domain import timefmt

# Adapters and exports write wire times with the same function the parsers read them with.

SHOWN_CHARS = 60  # of a bad value quoted in a reason
ID_MAX_CHARS = 128
# Beyond 2**53 most JSON peers silently lose integer precision (RFC 8259 §6),
# and SQL integers overflow further on; no count or version comes near it.
INT_MAX = 2**53 - 1

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
SHORTEST_LIMIT = min(TEXT_LIMITS.values())
# How the reason of a record that was stored with a text cut short begins.
SHORTENED = "stored shortened: "

# The texts cut while one record was read (set by PassValidator around each page).
SHORTENED_FIELDS: ContextVar[list[str] | None] = ContextVar("shortened_fields", default=None)


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
_REPR.maxstring = _REPR.maxother = _REPR.maxlong = SHOWN_CHARS


def show(value: object) -> str:
    """The value as a reason quotes it: its beginning, at most SHOWN_CHARS long."""
    text = repr(value[: SHOWN_CHARS + 1]) if type(value) is str else _REPR.repr(value)
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def clip(text: str, limit: int = ID_MAX_CHARS) -> str:
    """The text, cut to `limit` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def kind_of(value: object) -> str:
    """The JSON type of a value, in the words of Python's json module."""
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def got(value: object) -> str:
    """The type and value of what arrived instead: "str 'three'", "null"."""
    return "null" if value is None else f"{kind_of(value)} {show(value)}"


# -- field readers -------------------------------------------------------------
# Each takes the record's dict and a wire field name. The common case (a value of
# the right type) is tested first: a province sync reads ~230,000 records.


def as_object(raw: object, what: str) -> dict:
    """The raw value as a JSON object, or a RecordError naming `what`."""
    if type(raw) is not dict:
        raise RecordError(f"{what} must be a JSON object, got {got(raw)}")
    return raw


def absent(raw: dict, field: str) -> RecordError:
    """The error for a field that is missing or null."""
    return RecordError(f"missing {field}" if field not in raw else f"missing {field} (it is null)")


def storable(value: str, field: str) -> str:
    """The text, refused if a store cannot keep it (a NUL, a lone surrogate)."""
    if "\x00" in value:
        raise RecordError(f"{field} contains a NUL character: {show(value)}")
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise RecordError(
                f"{field} is not valid Unicode (a lone surrogate): {show(value)}"
            ) from None
    return value


def within_limit(value: str, field: str) -> str:
    """`value`, or its beginning when it is longer than its field's limit (noted)."""
    limit = TEXT_LIMITS.get(field, TEXT_CHARS)
    if len(value) <= limit:
        return value
    noted = SHORTENED_FIELDS.get()
    if noted is not None:
        noted.append(f"{field} had {len(value):,} characters, cut to {limit}")
    return value[: limit - 1] + "…"


def text_field(raw: dict, field: str, *, blank_ok: bool = False) -> str:
    """A required string; blank (empty or only spaces) only when `blank_ok`."""
    value = raw.get(field)
    if (
        type(value) is str
        and len(value) <= SHORTEST_LIMIT
        and (blank_ok or value.strip())
        and value.isascii()
        and "\x00" not in value
    ):
        return value  # the common case, decided in one expression
    if type(value) is not str:
        if value is None:
            raise absent(raw, field)
        raise RecordError(f"{field} must be a string, got {got(value)}")
    if not blank_ok and not value.strip():
        raise RecordError(f"{field} is empty")
    return storable(within_limit(value, field), field)


def optional_text(raw: dict, field: str) -> str | None:
    """A text field that may be absent or null."""
    value = raw.get(field)
    if value is None or (
        type(value) is str
        and len(value) <= SHORTEST_LIMIT
        and value.isascii()
        and "\x00" not in value
    ):
        return value  # the common case, decided in one expression
    if type(value) is not str:
        raise RecordError(f"{field} must be a string or null, got {got(value)}")
    return storable(within_limit(value, field), field)


def ident(raw: dict, field: str) -> str:
    """An identifier field: present, a string, within its limit, never cut."""
    value = raw.get(field)
    if type(value) is str and len(value) > ID_MAX_CHARS:  # never cut: it would name another
        raise RecordError(f"{field} is longer than {ID_MAX_CHARS} characters: {show(value)}")
    return text_field(raw, field)


def optional_ident(raw: dict, field: str) -> str | None:
    """An identifier field that may be absent or null."""
    if raw.get(field) is None:
        return None
    return ident(raw, field)


def int_value(value: object, field: str, minimum: int, maximum: int) -> int:
    """A JSON integer within [minimum, maximum]; 3.0 counts, true and "3" do not."""
    if type(value) is not int:
        # JSON has one number type (RFC 8259 §6): 3.0 is the integer 3. A bool
        # is not a number, and neither is "3".
        if type(value) is float and value.is_integer():
            value = int(value)
        else:
            raise RecordError(f"{field} must be an integer, got {got(value)}")
    if value < minimum:
        raise RecordError(f"{field} must be ≥ {minimum}, got {show(value)}")
    if value > maximum:
        raise RecordError(f"{field} must be ≤ {maximum}, got {show(value)}")
    return value


def integer(raw: dict, field: str, *, minimum: int = 0, maximum: int = INT_MAX) -> int:
    """An integer field within [minimum, maximum]."""
    value = raw.get(field)
    if value is None:
        raise absent(raw, field)
    return int_value(value, field, minimum, maximum)


def optional_integer(
    raw: dict, field: str, *, minimum: int = 0, maximum: int = INT_MAX
) -> int | None:
    """An integer field that may be absent or null."""
    value = raw.get(field)
    return None if value is None else int_value(value, field, minimum, maximum)


def number_value(value: object, field: str) -> float:
    """A finite JSON number as a float."""
    kind = type(value)
    if kind is float:
        if math.isfinite(value):  # type: ignore[arg-type]
            return value  # type: ignore[return-value]
        raise RecordError(f"{field} must be a finite number, got {value}")
    if kind is int:
        try:
            return float(value)  # type: ignore[arg-type]
        except OverflowError:
            raise RecordError(f"{field} must be a finite number, got {show(value)}") from None
    raise RecordError(f"{field} must be a number, got {got(value)}")


def flag(raw: dict, field: str, *, default: bool | None = None) -> bool:
    """A JSON boolean; with a default the field may be absent or null."""
    value = raw.get(field)
    if value is True or value is False:
        return value
    if value is None:
        if default is None:
            raise absent(raw, field)
        return default
    raise RecordError(f"{field} must be true or false, got {got(value)}")


def parse_iso_time(value: object, field: str) -> datetime:
    """An aware datetime from an ISO 8601 time with offset, or RecordError naming `field`."""
    if type(value) is not str:
        raise RecordError(f"{field} must be an ISO 8601 time string, got {got(value)}")
    try:
        return timefmt.parse_iso_time(value)
    except timefmt.InvalidTime as exc:
        raise RecordError(f"{field} {exc.problem}: {show(value)}") from None


def time_field(raw: dict, field: str) -> datetime:
    """A time field: ISO 8601 with an offset."""
    value = raw.get(field)
    if type(value) is str:
        try:
            return timefmt.parse_iso_time(value)
        except timefmt.InvalidTime as exc:
            raise RecordError(f"{field} {exc.problem}: {show(value)}") from None
    if value is None:
        raise absent(raw, field)
    return parse_iso_time(value, field)


def optional_time(raw: dict, field: str) -> datetime | None:
    """A time field that may be absent or null."""
    value = raw.get(field)
    return None if value is None else parse_iso_time(value, field)


def deleted_flag(raw: dict) -> bool:
    """The record's deleted flag (false when absent)."""
    # Not an enum that could be kept raw: without it we cannot tell whether the record exists.
    return flag(raw, "deleted", default=False)


def position_of(raw: dict, *, nullable: bool) -> tuple[float, float] | None:
    """The record's lng and lat, checked; None when both are absent and `nullable`."""
    lng, lat = raw.get("lng"), raw.get("lat")
    if lng is None or lat is None:
        if nullable and lng is None and lat is None:
            return None
        if nullable:
            raise RecordError("lng and lat must both be given or both be null")
        raise absent(raw, "lng" if lng is None else "lat")
    lng = number_value(lng, "lng")
    lat = number_value(lat, "lat")
    if not -180.0 <= lng <= 180.0:
        raise RecordError(f"lng {lng} out of range [-180, 180]")
    if not -90.0 <= lat <= 90.0:
        raise RecordError(f"lat {lat} out of range [-90, 90]")
    return lng, lat


def list_field(raw: dict, field: str) -> list:
    """A JSON array; absent or null reads as empty."""
    value = raw.get(field)
    if value is None:
        return []
    if type(value) is not list:
        raise RecordError(f"{field} must be a JSON array, got {got(value)}")
    return value
