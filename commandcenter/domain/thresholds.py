"""Thresholds that colour the KPI tiles, as Grafana's stat panels do: a figure at or
above the first value is a warning (amber), at or above the second an alarm (red).

Configured in `[statistics.thresholds]`, e.g. `hotline_waiting = [8, 12]`. What each
name measures:

- `surge_pct`: a category's cases received today above its usual for the time of day
  (the average of the same weekday in the previous four weeks), in percent; one
  category alone as `<category>_surge_pct`, e.g. `mediation_surge_pct = [20, 40]`;
- `<category>_backlog`: a category's pending cases, e.g. `legal_aid_backlog = [400, 800]`;
- `hotline_waiting`: 12348 calls waiting now; `hotline_wait_s`: their average wait in seconds;
- `points_offline_pct`: service points offline, in percent of all;
- `correction_alerts_open`: community-correction alerts not yet handled.
"""

from __future__ import annotations

from enum import StrEnum

from commandcenter.domain.contract import CaseCategory


class Level(StrEnum):
    """How a KPI tile stands against its thresholds: ok, warning or alarm."""

    OK = "ok"
    WARN = "warn"
    ALARM = "alarm"


DEFAULTS: dict[str, tuple[float, float]] = {
    "surge_pct": (30.0, 60.0),
    "hotline_waiting": (10.0, 15.0),
    "hotline_wait_s": (60.0, 120.0),
    "points_offline_pct": (5.0, 10.0),
    "correction_alerts_open": (5.0, 15.0),
}
PER_CATEGORY = ("surge_pct", "backlog")


def known_names() -> list[str]:
    """The threshold names a configuration may set."""
    return [*DEFAULTS, *(f"{c.value}_{kind}" for c in CaseCategory for kind in PER_CATEGORY)]


def parse(raw: dict) -> dict[str, tuple[float, float]]:
    """The defaults with the configured pairs over them; ValueError names what is wrong."""
    known = set(known_names())
    thresholds = dict(DEFAULTS)
    for name, pair in raw.items():
        if name not in known:
            raise ValueError(f"unknown threshold {name!r} (known: {', '.join(sorted(known))})")
        if (
            not isinstance(pair, list)
            or len(pair) != 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in pair)
        ):
            raise ValueError(f"{name} must be two numbers [warning, alarm], got {pair!r}")
        if pair[0] > pair[1]:
            raise ValueError(f"{name}: the warning {pair[0]} is above the alarm {pair[1]}")
        thresholds[name] = (float(pair[0]), float(pair[1]))
    return thresholds


def for_category(
    thresholds: dict[str, tuple[float, float]], category: str, kind: str
) -> tuple[float, float] | None:
    """A category's own pair, else the general one (backlogs have none: their sizes differ too much)."""
    return thresholds.get(f"{category}_{kind}", thresholds.get(kind))


def level(value: float | None, pair: tuple[float, float] | None) -> Level:
    """The level of a value against a (warning, alarm) pair."""
    if value is None or pair is None:
        return Level.OK
    if value >= pair[1]:
        return Level.ALARM
    return Level.WARN if value >= pair[0] else Level.OK
