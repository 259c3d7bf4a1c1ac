"""The files the program ships (county boundaries, the map page's assets, alert sounds,
compiled translations, icons), read from the installed package with importlib.resources
wherever it was installed: a checkout, site-packages, or a zip."""

from __future__ import annotations

import atexit
import contextlib
from importlib.resources import as_file, files
from importlib.resources.abc import Traversable
from pathlib import Path

DATA: Traversable = files("commandcenter").joinpath("data")

# as_file copies a file out of a zip for APIs that need a path; the copies live until exit
_copies = contextlib.ExitStack()
atexit.register(_copies.close)


class MissingData(RuntimeError):
    """A file the package ships is not there: the installation is incomplete."""

    def __init__(self, parts: tuple[str, ...]):
        super().__init__(
            f"the installed program lacks its data file {'/'.join(parts)} "
            f"(looked in {DATA}); the installation is incomplete: install the package again"
        )


def data(*parts: str) -> Traversable:
    """A shipped file or folder, e.g. `data("geo", "suzhou_counties.geojson")`."""
    return DATA.joinpath(*parts)


def read_bytes(*parts: str) -> bytes:
    try:
        return data(*parts).read_bytes()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise MissingData(parts) from None


def read_text(*parts: str) -> str:
    return read_bytes(*parts).decode("utf-8")


def data_file(*parts: str) -> Path:
    """A path in the file system for APIs that take one (Qt's sound effects, translators):
    the shipped file itself in an ordinary installation."""
    item = data(*parts)
    if not item.is_file():
        raise MissingData(parts)
    return _copies.enter_context(as_file(item))


def find(folder: Traversable, relative: str) -> Traversable | None:
    """`relative` (a URL path such as "vendor/leaflet/leaflet.js") inside `folder`, or None
    when it names no file there; "..", "." and empty segments never lead outside it."""
    parts = relative.strip("/").split("/")
    if not parts or any(p in ("", ".", "..") or "\\" in p for p in parts):
        return None
    item = folder.joinpath(*parts)
    return item if item.is_file() else None
