"""Colours that carry meaning across panels (status, severity, freshness)."""

from __future__ import annotations

from commandcenter.domain.freshness import Freshness
from commandcenter.domain.thresholds import Level

STATUS_COLOURS = {
    "online": "#3fb950",
    "offline": "#8b949e",
    "alarm": "#f85149",
    "maintenance": "#d29922",
}
SEVERITY_COLOURS = {1: "#ff4d4f", 2: "#ff9c3a", 3: "#e3c341", 4: "#58a6ff"}
FRESHNESS_COLOURS = {
    Freshness.FRESH: "#3fb950",
    Freshness.STALE: "#d29922",
    Freshness.DOWN: "#f85149",
}
LEVEL_COLOURS = {Level.OK: None, Level.WARN: "#d29922", Level.ALARM: "#f85149"}
