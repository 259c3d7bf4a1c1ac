"""The bureau's clock: every time an operator reads is in the bureau's time zone.

The store, the feeds and the arithmetic work in instants (aware datetimes, epoch
seconds); only what is shown or written for people (tables, charts, reports, file
names, exports) is turned into the bureau's wall time, here and nowhere else. The
workstation's own time zone never enters: a desk set to UTC, or a laptop brought
from abroad, shows the same times as the wall.

The zone is the configuration's `[workstation] time_zone` (default Asia/Shanghai),
set once when the client starts (`use_zone`). Its data comes from the IANA database:
the system's where it has one, else the `tzdata` package (Windows has none).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_ZONE = "Asia/Shanghai"
# zones whose wall time Chinese readers call 北京时间
_BEIJING_TIME = {"Asia/Shanghai", "Asia/Chongqing", "Asia/Harbin", "Asia/Chungking", "PRC"}


class UnknownTimeZone(ValueError):
    """A zone name the IANA database does not hold; the message names it."""


def zone_named(name: str) -> ZoneInfo:
    """The IANA zone of that name (e.g. Asia/Shanghai), or UnknownTimeZone saying why not."""
    if not isinstance(name, str) or not name.strip():
        raise UnknownTimeZone("an empty time zone name (give one such as Asia/Shanghai)")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        # ValueError: a path-like or malformed key ("../etc", "Asia//Shanghai")
        raise UnknownTimeZone(
            f"{name!r} is not a time zone of the IANA database (for example Asia/Shanghai, "
            "Europe/Berlin)"
        ) from None


_zone: ZoneInfo = zone_named(DEFAULT_ZONE)


def use_zone(name: str) -> None:
    """Show every time from now on in this zone (the configuration's, at start)."""
    global _zone
    _zone = zone_named(name)


def zone() -> ZoneInfo:
    """The bureau's time zone."""
    return _zone


def zone_name() -> str:
    """The zone's IANA name, e.g. Asia/Shanghai."""
    return _zone.key


def at_bureau(moment: datetime | float) -> datetime:
    """An instant (an aware datetime or epoch seconds) as the bureau's wall time."""
    if isinstance(moment, datetime):
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(f"naive datetime {moment.isoformat()}: which instant is it?")
        return moment.astimezone(_zone)
    return datetime.fromtimestamp(float(moment), _zone)


def bureau_text(moment: datetime | float | None, pattern: str) -> str:
    """The instant in bureau time by a strftime pattern; "" for none."""
    return "" if moment is None else at_bureau(moment).strftime(pattern)


def now() -> datetime:
    """Now, as the bureau's wall time."""
    return datetime.now(_zone)


def from_wall_time(day: date, at: time) -> datetime:
    """The instant the bureau's clocks show as that date and time (an operator's entry).
    A time that occurs twice when clocks go back is the first of them (fold 0); one
    skipped when they go forward is read with the offset before the change."""
    return datetime.combine(day, at.replace(tzinfo=None), _zone)


def midnight(moment: datetime) -> datetime:
    """The start of the bureau's day that holds the instant."""
    local = at_bureau(moment)
    return from_wall_time(local.date(), time(0))


def offset_s(moment: datetime | float) -> int:
    """The bureau's offset from UTC at that instant, in seconds (east positive)."""
    offset = at_bureau(moment).utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in bureau time with its offset, to the second (for files people read)."""
    return at_bureau(moment).isoformat(timespec="seconds") if moment is not None else None


def zone_label(language: str) -> str:
    """What the zone is called beside a time: 北京时间 for China's, else its name and offset."""
    if _zone.key in _BEIJING_TIME:
        return "北京时间" if language.startswith("zh") else "Beijing time"
    offset = datetime.now(_zone).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "−"
    return f"{_zone.key}, UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
