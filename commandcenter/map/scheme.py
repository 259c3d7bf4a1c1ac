"""The page's own URL scheme (`ccmap://app/...`): the page and its scripts from memory, the
assets from the package, local tiles; with the page's Content-Security-Policy as a header.
And the request interceptor that blocks whatever is not local: nothing leaves the intranet."""

from __future__ import annotations

import logging
import mimetypes
from typing import Protocol

from PySide6.QtCore import QBuffer, QByteArray, QFile, QIODevice, QObject
from PySide6.QtWebEngineCore import (
    QWebEngineUrlRequestInterceptor,
    QWebEngineUrlSchemeHandler,
)

from commandcenter import resources
from commandcenter.map.page import MapPage

log = logging.getLogger(__name__)

SCHEME = b"ccmap"
HOST = "app"
PAGE_PATH = "/index.html"
MAP_FILES = resources.data("map")
LOCAL_SCHEMES = {"ccmap", "qrc", "data", "blob", "about"}


class TileSource(Protocol):
    """Tiles this machine holds (tiles.LocalTiles): a tile's bytes and type, or None."""

    def tile(self, z: int, x: int, y: int) -> tuple[bytes, str] | None: ...


class MapSchemeHandler(QWebEngineUrlSchemeHandler):
    """ccmap://app/index.html and its scripts from memory, qwebchannel.js from Qt's
    resources, the rest from the package's map assets (nothing outside them)."""

    def __init__(self, parent: QObject | None = None, local_tiles: TileSource | None = None):
        super().__init__(parent)
        self.page = MapPage("", {}, "")
        self.local_tiles = local_tiles
        self.served: list[str] = []

    def requestStarted(self, job) -> None:  # noqa: N802 - Qt's name
        url = job.requestUrl()
        path = url.path()
        self.served.append(url.toString())
        data, mime = self._content(url.host(), path)
        if data is None:
            log.warning("the map page asked for %s, which is not shipped", url.toString())
            job.fail(job.Error.UrlNotFound)
            return
        if mime.startswith("text/html") and self.page.csp:
            # the header as well as the page's own <meta>: it holds before a byte is parsed
            # (a multimap: PySide takes each header's values as a list)
            job.setAdditionalResponseHeaders(
                {
                    QByteArray(b"Content-Security-Policy"): [QByteArray(self.page.csp.encode())],
                    QByteArray(b"X-Content-Type-Options"): [QByteArray(b"nosniff")],
                }
            )
        buffer = QBuffer(job)
        buffer.setData(data)
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        job.reply(QByteArray(mime.encode()), buffer)

    def _content(self, host: str, path: str) -> tuple[bytes | None, str]:
        if host == "tiles" and self.local_tiles is not None:
            parts = path.strip("/").split("/")
            if len(parts) == 3 and all(p.isdigit() for p in parts):
                found = self.local_tiles.tile(*(int(p) for p in parts))
                if found is not None:
                    return found
            return None, ""
        if host != HOST:
            return None, ""
        if path == PAGE_PATH:
            return self.page.html.encode("utf-8"), "text/html;charset=utf-8"
        if path in self.page.scripts:
            return self.page.scripts[path].encode("utf-8"), "application/javascript;charset=utf-8"
        if path == "/qwebchannel.js":
            source = QFile(":/qtwebchannel/qwebchannel.js")
            if source.open(QIODevice.OpenModeFlag.ReadOnly):
                return bytes(source.readAll().data()), "application/javascript"
            return None, ""
        target = resources.find(MAP_FILES, path)
        if target is None:
            return None, ""
        mime = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if mime.startswith("text/") or mime.endswith("javascript"):
            mime += ";charset=utf-8"
        return target.read_bytes(), mime


class OfflineGuard(QWebEngineUrlRequestInterceptor):
    """Blocks every request that is not local (or to the configured tile server) and
    remembers it: the map must never reach for the internet."""

    def __init__(self, allowed_hosts: set[str] | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.allowed_hosts = allowed_hosts or set()
        self.blocked: list[str] = []
        self.seen: list[str] = []

    def interceptRequest(self, info) -> None:  # noqa: N802 - Qt's name
        url = info.requestUrl()
        self.seen.append(url.toString())
        if url.scheme() in LOCAL_SCHEMES or url.host() in self.allowed_hosts:
            return
        info.block(True)
        self.blocked.append(url.toString())
        log.warning("the map page tried to load %s; blocked (no internet here)", url.toString())
