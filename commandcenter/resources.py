"""Where the shipped resources (boundaries, vendored web assets, translations) live."""

from __future__ import annotations

from pathlib import Path

RESOURCES = Path(__file__).resolve().parents[1] / "resources"


def resource_path(*parts: str) -> Path:
    return RESOURCES.joinpath(*parts)
