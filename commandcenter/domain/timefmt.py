"""Times on the wire: ISO 8601 with an offset, as the contract writes them (§1).

The accepted form is the RFC 3339 profile of ISO 8601 the contract shows:
`YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`. `datetime.fromisoformat` checks the
digits and ranges, but on its own it also takes forms a data center does not
send and that hide mistakes: a time without an offset (read as local time), the
basic format `20261124T093000+0800`, week dates, any character as the date/time
separator, a bare `.` after the seconds, offsets with seconds. The shape is
therefore checked first, by position, before fromisoformat reads the values.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache

CHINA_STANDARD_TIME = timezone(timedelta(hours=8), "CST")

# "2026-11-24T09:30:00Z" is 20 characters; nine fraction digits and "+08:00" make 35.
_SHORTEST, _LONGEST = 20, 35


class InvalidTime(ValueError):
    """`problem` completes a sentence that starts with the field's name."""

    def __init__(self, problem: str):
        super().__init__(problem)
        self.problem = problem


# Cached: stamps repeat within a page (every county's row of one hour carries the
# same bucket; points updated in one batch share an updatedAt). Failures raise
# and so are never cached.
@lru_cache(maxsize=16384)
def parse_iso_time(text: str) -> datetime:
    """An aware datetime (in the offset it was written with), or InvalidTime."""
    if not _has_contract_shape(text):
        raise InvalidTime(
            "has no UTC offset" if _is_naive_time(text) else "is not an ISO 8601 time with offset"
        )
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError as exc:
        raise InvalidTime(f"is not a valid time ({exc})") from None
    if parsed.year in (1, 9999):
        try:
            # Both ends of datetime's range overflow when moved to another offset,
            # which every consumer (store, display, watermark arithmetic) does.
            parsed.astimezone(UTC)
            parsed.astimezone(CHINA_STANDARD_TIME)
        except OverflowError:
            raise InvalidTime("is out of the representable range of times") from None
    return parsed


def _has_contract_shape(text: str) -> bool:
    n = len(text)
    if not _SHORTEST <= n <= _LONGEST or not text.isascii():
        return False
    if text[4] != "-" or text[7] != "-" or text[10] != "T" or text[13] != ":" or text[16] != ":":
        return False
    if text[-1] == "Z":
        offset_start = n - 1
    elif text[-6] in "+-" and text[-3] == ":":
        offset_start = n - 6
    else:
        return False
    fraction = text[19:offset_start]
    return not fraction or (fraction[0] == "." and len(fraction) > 1 and fraction[1:].isdigit())


def _is_naive_time(text: str) -> bool:
    """A date and time that would parse but lacks the offset: worth its own reason."""
    if not 19 <= len(text) <= _LONGEST or text[10] != "T":
        return False
    try:
        return datetime.fromisoformat(text).tzinfo is None
    except ValueError:
        return False


def format_iso_time(dt: datetime) -> str:
    """The contract's style: whole seconds in China Standard Time, `+08:00`."""
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"naive datetime {dt.isoformat()}: a time on the wire needs an offset")
    return dt.astimezone(CHINA_STANDARD_TIME).isoformat(timespec="seconds")
