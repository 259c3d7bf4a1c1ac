"""Workstation configuration: a TOML file, overridden by environment and command line.

Precedence, lowest first: built-in defaults, the TOML file (`--config` or the user
config directory), environment variables (`COMMANDCENTER_DATACENTER`,
`COMMANDCENTER_AK`, `COMMANDCENTER_DB`), command-line options. The SK is never
part of it: see `local/credentials.py`.
"""

from __future__ import annotations

import os
import ssl
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import platformdirs

from commandcenter.domain import thresholds as thresholds_
from commandcenter.domain.roles import ROLES
from commandcenter.domain.secret import remember
from commandcenter.domain.wall_layouts import LAYOUT_BY_NAME, LAYOUTS
from commandcenter.feeds.catalog import DEFAULT_INTERVALS

APP_NAME = "commandcenter"
ENV_DATACENTER = "COMMANDCENTER_DATACENTER"
ENV_AK = "COMMANDCENTER_AK"
ENV_DB = "COMMANDCENTER_DB"
ENV_CONFIG = "COMMANDCENTER_CONFIG"

LANGUAGES = ("zh_CN", "en")
THEMES = ("dark", "light")


class ConfigError(Exception):
    """The configuration cannot be used; the message says where and why."""


@dataclass(frozen=True)
class Config:
    datacenter_url: str | None = None  # None: start the embedded data center
    ak: str | None = None
    sk_file: Path | None = None
    ca_bundle: Path | None = None
    verify_tls: bool = True
    timeout_s: float = 30.0
    max_response_mib: int = 64  # a larger answer from the data center is refused unread
    db_url: str | None = None  # None: SQLite in the user data directory
    intervals: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_INTERVALS))
    # False: this workstation polls nothing; it reads a shared (PostgreSQL) store that a
    # collector elsewhere fills, and its commands go out through that store's outbox
    poll: bool = True
    role: str = "duty_officer"
    operator: str = ""
    language: str | None = None  # zh_CN | en; None: the system's, else Chinese
    theme: str | None = None  # dark | light
    source: Path | None = None  # the file it was read from
    # the map's base layer ([map]); no tiles: the county boundaries alone, fully offline
    map_tiles: str | None = None  # XYZ URL template, "tianditu", a tile folder or an .mbtiles file
    map_coord_sys: str = "GCJ02"  # the system the tiles are drawn in
    map_attribution: str = ""
    map_tianditu_key: str | None = None
    # [statistics]: the KPI tiles' thresholds (domain.thresholds) and residents per county
    # in units of 10,000 (adcode -> number); None: the built-in figures of the city's counties
    thresholds: dict[str, tuple[float, float]] = field(
        default_factory=lambda: dict(thresholds_.DEFAULTS)
    )
    population_10k: dict[str, float] | None = None
    # [alerts]: severity 1–2 alerts sound; an unacknowledged severity-1 escalates after this long
    alert_sound: bool = True
    escalate_after_s: float = 120.0
    # the alarm layout: a critical alert's cameras go onto the wall from this tile (1-based),
    # the wall first switched to this layout (None: the wall keeps its layout)
    alarm_wall_layout: str | None = None
    alarm_first_tile: int = 1
    # [logging]: what the log file keeps (default INFO; --log-level wins), its size before
    # it is rotated and how many rotated files are kept, and its folder (default: the
    # user's log folder)
    log_level: str | None = None
    log_max_bytes: int = 5 * 1024 * 1024
    log_backups: int = 5
    log_folder: Path | None = None

    def __post_init__(self) -> None:
        # secrets that come as plain text: hidden in log files and crash reports from now on
        remember(self.map_tianditu_key)
        if self.db_url:
            remember(urlsplit(self.db_url).password)

    @property
    def embedded(self) -> bool:
        return self.datacenter_url is None

    def with_overrides(self, **values: Any) -> Config:
        return replace(self, **{k: v for k, v in values.items() if v is not None})

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON values, to hand the configuration to a child process."""
        return {
            f.name: (str(v) if isinstance(v, Path) else v)
            for f in fields(self)
            for v in [getattr(self, f.name)]
        }

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> Config:
        known = {f.name for f in fields(cls)}
        paths = {"sk_file", "ca_bundle", "source", "log_folder"}
        return cls(
            **{
                k: (Path(v) if k in paths and v is not None else v)
                for k, v in values.items()
                if k in known
            }
        )


def default_config_path() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


_SCHEMA: dict[str, dict[str, type | tuple[type, ...]]] = {
    "datacenter": {
        "url": str,
        "ak": str,
        "sk_file": str,
        "ca_bundle": str,
        "verify_tls": bool,
        "timeout_s": (int, float),
        "max_response_mib": int,
    },
    "store": {"url": str},
    "workstation": {"role": str, "operator": str, "language": str, "theme": str},
    "feeds": {"intervals": dict, "poll": bool},
    "map": {"tiles": str, "coord_sys": str, "attribution": str, "tianditu_key": str},
    "statistics": {"thresholds": dict, "population": dict},
    "alerts": {
        "sound": bool,
        "escalate_after_s": (int, float),
        "wall_layout": str,
        "first_tile": int,
    },
    "logging": {"level": str, "max_bytes": int, "backups": int, "folder": str},
}
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
COORD_SYSTEMS = ("GCJ02", "WGS84")


def load_config(path: Path | None = None, *, environ: dict[str, str] | None = None) -> Config:
    """Read the file (if any) and the environment. A missing default file is fine;
    a missing file that was asked for by name is an error."""
    env = os.environ if environ is None else environ
    explicit = path is not None or bool(env.get(ENV_CONFIG))
    file = Path(path or env.get(ENV_CONFIG) or default_config_path())
    config = Config()
    if file.exists():
        config = _from_file(file)
    elif explicit:
        raise ConfigError(f"configuration file {file} does not exist")
    return config.with_overrides(
        datacenter_url=_check_url(env.get(ENV_DATACENTER) or None, ENV_DATACENTER),
        ak=env.get(ENV_AK) or None,
        db_url=env.get(ENV_DB) or None,
    )


def _from_file(file: Path) -> Config:
    try:
        with file.open("rb") as handle:
            raw = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{file}: not valid TOML ({exc})") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{file}: not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at offset {exc.start}); "
            "save it as UTF-8"
        ) from None
    except OSError as exc:
        raise ConfigError(f"{file}: cannot be read ({exc.strerror})") from None
    _check_shape(file, raw)
    dc = raw.get("datacenter", {})
    intervals = dict(DEFAULT_INTERVALS)
    for name, value in raw.get("feeds", {}).get("intervals", {}).items():
        if name not in DEFAULT_INTERVALS:
            known = ", ".join(DEFAULT_INTERVALS)
            raise ConfigError(
                f"{file}: [feeds.intervals] has an unknown feed {name!r} (known: {known})"
            )
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not 0.2 <= value <= 86400
        ):
            raise ConfigError(
                f"{file}: [feeds.intervals] {name} must be a number of seconds from 0.2 to 86400, got {value!r}"
            )
        intervals[name] = float(value)
    role = raw.get("workstation", {}).get("role", "duty_officer")
    if role not in ROLES:
        raise ConfigError(
            f"{file}: [workstation] role must be one of {', '.join(ROLES)}, got {role!r}"
        )
    station = raw.get("workstation", {})
    language = station.get("language")
    if language is not None and language not in LANGUAGES:
        raise ConfigError(
            f"{file}: [workstation] language must be one of {', '.join(LANGUAGES)}, got {language!r}"
        )
    theme = station.get("theme")
    if theme is not None and theme not in THEMES:
        raise ConfigError(
            f"{file}: [workstation] theme must be one of {', '.join(THEMES)}, got {theme!r}"
        )
    map_section = raw.get("map", {})
    tiles, map_coord_sys = _check_tiles(file, map_section)
    statistics = raw.get("statistics", {})
    try:
        thresholds = thresholds_.parse(statistics.get("thresholds", {}))
    except ValueError as exc:
        raise ConfigError(f"{file}: [statistics.thresholds] {exc}") from None
    population = _check_population(file, statistics.get("population"))
    alerts = raw.get("alerts", {})
    escalate = alerts.get("escalate_after_s", 120.0)
    if not 10 <= escalate <= 3600:
        raise ConfigError(
            f"{file}: [alerts] escalate_after_s must be from 10 to 3600 seconds, got {escalate!r}"
        )
    alarm_layout = alerts.get("wall_layout")
    if alarm_layout is not None and alarm_layout not in LAYOUT_BY_NAME:
        raise ConfigError(
            f"{file}: [alerts] wall_layout must be one of {', '.join(LAYOUT_BY_NAME)}, "
            f"got {alarm_layout!r}"
        )
    first_tile = alerts.get("first_tile", 1)
    tiles_there = (
        LAYOUT_BY_NAME[alarm_layout].size if alarm_layout else max(x.size for x in LAYOUTS)
    )
    if not 1 <= first_tile <= tiles_there:
        raise ConfigError(
            f"{file}: [alerts] first_tile must be from 1 to {tiles_there}, got {first_tile!r}"
        )
    timeout = dc.get("timeout_s", 30.0)
    if not 0.5 <= timeout <= 600:
        raise ConfigError(
            f"{file}: [datacenter] timeout_s must be between 0.5 and 600, got {timeout!r}"
        )
    log_level, log_max_bytes, log_backups = _check_logging(file, raw.get("logging", {}))
    max_response_mib = dc.get("max_response_mib", 64)
    if not 1 <= max_response_mib <= 4096:
        raise ConfigError(
            f"{file}: [datacenter] max_response_mib must be from 1 to 4096, got {max_response_mib!r}"
        )
    return Config(
        datacenter_url=_check_url(dc.get("url"), f"{file}: [datacenter] url"),
        ak=dc.get("ak"),
        sk_file=_path(file, dc.get("sk_file")),
        ca_bundle=_check_ca_bundle(file, _path(file, dc.get("ca_bundle"))),
        verify_tls=dc.get("verify_tls", True),
        timeout_s=float(timeout),
        max_response_mib=max_response_mib,
        db_url=raw.get("store", {}).get("url"),
        intervals=intervals,
        poll=raw.get("feeds", {}).get("poll", True),
        role=role,
        operator=station.get("operator", ""),
        language=language,
        theme=theme,
        source=file,
        map_tiles=tiles,
        map_coord_sys=map_coord_sys,
        map_attribution=map_section.get("attribution", ""),
        map_tianditu_key=map_section.get("tianditu_key"),
        thresholds=thresholds,
        population_10k=population,
        alert_sound=alerts.get("sound", True),
        escalate_after_s=float(escalate),
        alarm_wall_layout=alarm_layout,
        alarm_first_tile=first_tile,
        log_level=log_level,
        log_max_bytes=log_max_bytes,
        log_backups=log_backups,
        log_folder=_path(file, raw.get("logging", {}).get("folder")),
    )


def _check_logging(file: Path, section: dict[str, Any]) -> tuple[str | None, int, int]:
    level = section.get("level")
    if level is not None:
        level = level.upper()
        if level not in LOG_LEVELS:
            raise ConfigError(
                f"{file}: [logging] level must be one of {', '.join(LOG_LEVELS)}, got {section['level']!r}"
            )
    max_bytes = section.get("max_bytes", 5 * 1024 * 1024)
    if not 64 * 1024 <= max_bytes <= 1024**3:
        raise ConfigError(
            f"{file}: [logging] max_bytes must be from 65536 (64 KiB) to 1073741824 (1 GiB), "
            f"got {max_bytes!r}"
        )
    backups = section.get("backups", 5)
    if not 1 <= backups <= 100:
        raise ConfigError(f"{file}: [logging] backups must be from 1 to 100, got {backups!r}")
    return level, max_bytes, backups


def _check_ca_bundle(file: Path, bundle: Path | None) -> Path | None:
    """[datacenter] ca_bundle: a readable PEM file of CA certificates, checked now
    rather than found wanting at every request."""
    if bundle is None:
        return None
    where = f"{file}: [datacenter] ca_bundle {str(bundle)!r}"
    if not bundle.is_file():
        raise ConfigError(f"{where} does not exist or is not a file")
    try:
        ssl.create_default_context(cafile=str(bundle))
    except ssl.SSLError:
        raise ConfigError(f"{where} holds no PEM certificate a TLS library can read") from None
    except OSError as exc:
        raise ConfigError(f"{where} cannot be read ({exc.strerror})") from None
    return bundle


def _check_population(file: Path, section: dict[str, Any] | None) -> dict[str, float] | None:
    """[statistics.population]: county adcode = residents in units of 10,000."""
    if section is None:
        return None
    population = {}
    for code, value in section.items():
        if not (code.isdigit() and len(code) == 6):
            raise ConfigError(
                f"{file}: [statistics.population] {code!r} is not a six-digit county code"
            )
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise ConfigError(
                f"{file}: [statistics.population] {code} must be a positive number "
                f"(residents in units of 10,000), got {value!r}"
            )
        population[code] = float(value)
    return population


def _check_tiles(file: Path, section: dict[str, Any]) -> tuple[str | None, str]:
    """[map] tiles and coord_sys: a source the map can use, in a system it knows."""
    tiles = section.get("tiles")
    coord_sys = section.get("coord_sys", "GCJ02")
    if coord_sys not in COORD_SYSTEMS:
        raise ConfigError(
            f"{file}: [map] coord_sys must be one of {', '.join(COORD_SYSTEMS)}, got {coord_sys!r}"
        )
    if tiles is None:
        return None, coord_sys
    if tiles == "tianditu":
        if not section.get("tianditu_key"):
            raise ConfigError(
                f'{file}: [map] tiles = "tianditu" needs tianditu_key (the key of your Tianditu account)'
            )
        return tiles, "WGS84"  # Tianditu draws in CGCS2000, within centimetres of WGS-84
    if tiles.startswith(("http://", "https://")):
        if not all(part in tiles for part in ("{z}", "{x}", "{y}")):
            raise ConfigError(
                f"{file}: [map] tiles {tiles!r} must be an XYZ template with {{z}}, {{x}} and {{y}}"
            )
        return tiles, coord_sys
    local = _path(file, tiles)
    if not (local.is_dir() or (local.is_file() and local.suffix == ".mbtiles")):
        raise ConfigError(
            f'{file}: [map] tiles {tiles!r} is not a URL template, "tianditu", '
            "a folder of tiles or an .mbtiles file"
        )
    return str(local), coord_sys


def _check_shape(file: Path, raw: dict[str, Any]) -> None:
    for section, value in raw.items():
        if section not in _SCHEMA:
            raise ConfigError(f"{file}: unknown section [{section}] (known: {', '.join(_SCHEMA)})")
        if not isinstance(value, dict):
            raise ConfigError(f"{file}: {section} must be a table ([{section}])")
        for key, item in value.items():
            if section == "datacenter" and key in ("sk", "secret", "secret_key"):
                raise ConfigError(
                    f"{file}: [datacenter] {key}: the SK must never be written in the configuration "
                    "file; store it with 'commandcenter credentials set' (OS keyring or an "
                    "owner-only file) or pass it in COMMANDCENTER_SK"
                )
            expected = _SCHEMA[section].get(key)
            if expected is None:
                raise ConfigError(
                    f"{file}: [{section}] has an unknown key {key!r} "
                    f"(known: {', '.join(_SCHEMA[section])})"
                )
            if not isinstance(item, expected) or (isinstance(item, bool) and expected is not bool):
                names = (
                    expected.__name__
                    if isinstance(expected, type)
                    else " or ".join(t.__name__ for t in expected)
                )
                raise ConfigError(f"{file}: [{section}] {key} must be a {names}, got {item!r}")


def _check_url(url: str | None, where: str) -> str | None:
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"{where}: {url!r} is not an http(s) URL of the data center")
    if parts.username or parts.password:
        raise ConfigError(f"{where}: credentials do not belong in the data center's URL")
    return url.rstrip("/")


def _path(file: Path, value: str | None) -> Path | None:
    if value is None:
        return None
    path = Path(value).expanduser()
    return path if path.is_absolute() else (file.parent / path)
