"""The map's base layer as the configuration asks for it: none (the county boundaries,
offline), a tile server of the intranet, Tianditu, or tiles from a folder or an MBTiles file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from commandcenter.domain.contract import CoordSys
from commandcenter.map.page import OFFLINE_BASE, BaseLayer
from commandcenter.map.scheme import SCHEME

TIANDITU = (
    "https://t0.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER={layer}"
    "&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}&tk={key}"
)
TILE_TYPES = {b"\x89PNG": "image/png", b"\xff\xd8\xff": "image/jpeg", b"RIFF": "image/webp"}


class LocalTiles:
    """Tiles from a folder ({z}/{x}/{y}.png|jpg|webp) or an MBTiles file, served to the
    page as ccmap://tiles/{z}/{x}/{y}."""

    def __init__(self, source: str):
        self.source = Path(source)
        self._db = None
        if self.source.suffix == ".mbtiles":
            import sqlite3

            self._db = sqlite3.connect(
                f"file:{self.source}?mode=ro", uri=True, check_same_thread=False
            )

    def tile(self, z: int, x: int, y: int) -> tuple[bytes, str] | None:
        if self._db is not None:
            row = self._db.execute(
                "SELECT tile_data FROM tiles WHERE zoom_level=? AND tile_column=? AND tile_row=?",
                (z, x, (1 << z) - 1 - y),
            ).fetchone()  # MBTiles counts rows from the south
            data = bytes(row[0]) if row else None
        else:
            data = None
            for suffix in (".png", ".jpg", ".jpeg", ".webp"):
                path = self.source / str(z) / str(x) / f"{y}{suffix}"
                if path.is_file():
                    data = path.read_bytes()
                    break
        if data is None:
            return None
        mime = next(
            (m for magic, m in TILE_TYPES.items() if data.startswith(magic)),
            "application/octet-stream",
        )
        return data, mime


@dataclass(frozen=True)
class MapBase:
    """The base layer the configuration asks for, with what the page may fetch for it."""

    layer: BaseLayer
    allowed_hosts: frozenset[str] = frozenset()
    local: LocalTiles | None = None


def map_base(config) -> MapBase:
    """From the configuration's [map] section; the offline boundaries without one."""
    tiles = config.map_tiles
    if not tiles:
        return MapBase(OFFLINE_BASE)
    if tiles == "tianditu":
        key = config.map_tianditu_key
        layer = BaseLayer(
            "tianditu",
            coord_sys=CoordSys.WGS84,
            tiles=TIANDITU.format(layer="vec", key=key),
            overlay=TIANDITU.format(layer="cva", key=key),
            attribution=config.map_attribution or "© 天地图 Tianditu",
        )
        return MapBase(layer, frozenset({"t0.tianditu.gov.cn"}))
    if tiles.startswith(("http://", "https://")):
        layer = BaseLayer(
            "tiles", coord_sys=config.map_coord_sys, tiles=tiles, attribution=config.map_attribution
        )
        return MapBase(layer, frozenset({urlsplit(tiles.replace("{s}", "a")).hostname or ""}))
    layer = BaseLayer(
        "local tiles",
        coord_sys=config.map_coord_sys,
        tiles=f"{SCHEME.decode()}://tiles/{{z}}/{{x}}/{{y}}",
        attribution=config.map_attribution,
    )
    return MapBase(layer, local=LocalTiles(tiles))
