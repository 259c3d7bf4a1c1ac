"""Workstation configuration: a TOML file, overridden by environment and command line.

Precedence, lowest first: built-in defaults, the TOML file (`--config` or the user
config directory), environment variables (`COMMANDCENTER_DATACENTER`,
`COMMANDCENTER_AK`, `COMMANDCENTER_DB`), command-line options. The SK is never
part of it: see `local/credentials.py`.
"""

from __future__ import annotations

import ipaddress
import os
import ssl
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import platformdirs

from commandcenter.domain import thresholds as thresholds_
from commandcenter.domain.bureau_time import DEFAULT_ZONE, UnknownTimeZone, zone_named
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
    """The workstation's configuration: each field's default here, what it means and how
    the file gives it in SETTINGS (below), which names the field it fills."""

    datacenter_url: str | None = None
    ak: str | None = None
    sk_file: Path | None = None
    ca_bundle: Path | None = None
    verify_tls: bool = True
    timeout_s: float = 30.0
    max_response_mib: int = 64
    db_url: str | None = None
    intervals: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_INTERVALS))
    poll: bool = True
    role: str = "duty_officer"
    operator: str = ""
    lock_after_minutes: float = 15.0
    time_zone: str = DEFAULT_ZONE
    language: str | None = None
    theme: str | None = None
    map_tiles: str | None = None
    map_coord_sys: str = "GCJ02"
    map_attribution: str = ""
    map_tianditu_key: str | None = None
    thresholds: dict[str, tuple[float, float]] = field(
        default_factory=lambda: dict(thresholds_.DEFAULTS)
    )
    population_10k: dict[str, float] | None = None
    alert_sound: bool = True
    escalate_after_s: float = 120.0
    alarm_wall_layout: str | None = None
    alarm_first_tile: int = 1
    log_level: str | None = None
    log_max_bytes: int = 5 * 1024 * 1024
    log_backups: int = 5
    log_folder: Path | None = None
    directory_url: str | None = None  # the bureau's LDAP directory; None: local accounts
    directory_start_tls: bool | None = None  # None: StartTLS on ldap://, never on ldaps://
    directory_allow_plain: bool = False
    directory_ca_bundle: Path | None = None
    directory_user_dn: str | None = None
    directory_base_dn: str | None = None
    directory_user_filter: str = "(uid={user})"
    directory_bind_dn: str | None = None
    directory_name_attribute: str = "cn"
    directory_county_attribute: str = "departmentNumber"
    directory_person_id_attribute: str = "employeeNumber"
    directory_group_base: str | None = None
    directory_roles: dict[str, str] = field(default_factory=dict)
    directory_timeout_s: float = 10.0
    directory_fallback_local: bool = False
    accounts_max_failed: int = 5
    accounts_lock_minutes: float = 15.0
    source: Path | None = None  # the file it was read from

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
        paths = {"sk_file", "ca_bundle", "source", "log_folder", "directory_ca_bundle"}
        given: dict[str, Any] = {
            k: (Path(v) if k in paths and v is not None else v)
            for k, v in values.items()
            if k in known
        }
        return cls(**given)


def default_config_path() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


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
    reading = _Reading(file, raw)
    values = {
        setting.field: setting.read(raw[setting.section][setting.key], reading)
        for setting in SETTINGS
        if setting.key in raw.get(setting.section, {})
    }
    if values.get("map_tiles") == "tianditu":
        # Tianditu draws in CGCS2000, within centimetres of WGS-84
        values["map_coord_sys"] = "WGS84"
    config = Config(source=file, **values)
    if "directory" in raw:
        problem = directory_problem(config)
        if problem:
            raise ConfigError(f"{file}: [directory] {problem}")
    return config


def _check_ca_bundle(file: Path, bundle: Path, section: str = "datacenter") -> Path:
    """[datacenter] ca_bundle: a readable PEM file of CA certificates, checked now
    rather than found wanting at every request."""
    where = f"{file}: [{section}] ca_bundle {str(bundle)!r}"
    if not bundle.is_file():
        raise ConfigError(f"{where} does not exist or is not a file")
    try:
        ssl.create_default_context(cafile=str(bundle))
    except ssl.SSLError:
        raise ConfigError(f"{where} holds no PEM certificate a TLS library can read") from None
    except OSError as exc:
        raise ConfigError(f"{where} cannot be read ({exc.strerror})") from None
    return bundle


def _check_shape(file: Path, raw: dict[str, Any]) -> None:
    """Every table one the file may have, every key one of its settings, of its kind."""
    for section, value in raw.items():
        if section not in _SECTIONS:
            raise ConfigError(
                f"{file}: unknown section [{section}] (known: {', '.join(_SECTIONS)})"
            )
        if not isinstance(value, dict):
            raise ConfigError(f"{file}: {section} must be a table ([{section}])")
        for key, item in value.items():
            if section == "datacenter" and key in ("sk", "secret", "secret_key"):
                raise ConfigError(
                    f"{file}: [datacenter] {key}: the SK must never be written in the configuration "
                    "file; store it with 'commandcenter credentials set' (OS keyring or an "
                    "owner-only file) or pass it in COMMANDCENTER_SK"
                )
            setting = _SETTING_AT.get((section, key))
            if setting is None:
                known = ", ".join(s.key for s in SETTINGS if s.section == section)
                raise ConfigError(
                    f"{file}: [{section}] has an unknown key {key!r} (known: {known})"
                )
            if not isinstance(item, setting.kinds) or (
                isinstance(item, bool) and bool not in setting.kinds
            ):
                raise ConfigError(
                    f"{file}: [{section}] {key} must be a {setting.kind_in_words}, got {item!r}"
                )


def _check_url(url: str | None, where: str) -> str | None:
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"{where}: {url!r} is not an http(s) URL of the data center")
    if parts.username or parts.password:
        raise ConfigError(f"{where}: credentials do not belong in the data center's URL")
    return url.rstrip("/")


LDAP_SCHEMES = {"ldap": 389, "ldaps": 636}


def is_loopback(host: str) -> bool:
    """Whether the host name is this machine's own (localhost, 127.0.0.0/8, ::1)."""
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def directory_problem(config: Config) -> str | None:
    """What makes the [directory] settings unusable, in words (None: nothing). Checked
    when the file is read and again when a directory is built from a Config."""
    url = config.directory_url
    if url is None:
        return (
            "has no url: give the directory's ldaps:// or ldap:// URL"
            if (config.directory_user_dn or config.directory_base_dn or config.directory_roles)
            else None
        )
    parts = urlsplit(url)
    if parts.scheme not in LDAP_SCHEMES or not parts.hostname:
        return f"url {url!r} is not an ldaps://host:636 or ldap://host:389 URL"
    if parts.username or parts.password:
        return "url: credentials do not belong in the directory's URL"
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        return f"url {url!r}: only the scheme, host and port belong in it"
    try:
        parts.port  # noqa: B018 - a port out of range raises here
    except ValueError:
        return f"url {url!r} has no valid port"
    plain = parts.scheme == "ldap" and config.directory_start_tls is False
    if parts.scheme == "ldaps" and config.directory_start_tls:
        return "start_tls = true does not go with ldaps:// (already TLS from the start)"
    if plain and not config.directory_allow_plain:
        return (
            "start_tls = false on ldap:// would send passwords unencrypted: use ldaps:// or "
            "StartTLS (allow_plain = true is for a directory on this machine only)"
        )
    if plain and not is_loopback(parts.hostname):
        return (
            f"plain LDAP to {parts.hostname} would send passwords unencrypted over the "
            "network: allow_plain is honoured for a directory on this machine (loopback) only"
        )
    template = config.directory_user_dn
    if template is not None and "{user}" not in template:
        return f"user_dn {template!r} must hold {{user}} where the user name goes"
    if template is None and not config.directory_base_dn:
        return "needs user_dn (a DN template with {user}) or base_dn and user_filter"
    if template is None and "{user}" not in config.directory_user_filter:
        return f"user_filter {config.directory_user_filter!r} must hold {{user}}"
    if not config.directory_roles:
        return (
            "has no [directory.roles]: map the directory's group names to roles, e.g. "
            'cc-duty-officers = "duty_officer"'
        )
    return None


def _directory_url(value: str, reading: _Reading) -> str:
    if urlsplit(value).scheme not in LDAP_SCHEMES:
        raise reading.fail("[directory] url", f"{value!r} is not an ldaps:// or ldap:// URL")
    return value.rstrip("/")


def _directory_ca_bundle(value: str, reading: _Reading) -> Path:
    return _check_ca_bundle(reading.file, _path(reading.file, value), "directory")


def _directory_roles(section: dict[str, Any], reading: _Reading) -> dict[str, str]:
    """[directory.roles]: a directory group's name (its CN) = a workstation role."""
    roles = {}
    for group, role in section.items():
        if role not in ROLES:
            raise reading.fail(
                "[directory.roles]",
                f"{group} = {role!r} is not a role (roles: {', '.join(ROLES)})",
            )
        roles[group] = role
    return roles


def _attribute(value: str, reading: _Reading) -> str:
    if not value or not all(c.isalnum() or c in "-;" for c in value):
        raise reading.fail("[directory]", f"{value!r} is not an LDAP attribute name")
    return value


def _path(file: Path, value: str) -> Path:
    """A path the file gives, relative to the file's folder."""
    path = Path(value).expanduser()
    return path if path.is_absolute() else (file.parent / path)


# -- the file's settings -------------------------------------------------------------


@dataclass(frozen=True)
class _Reading:
    """The file being read: its name for the messages and its tables, for a setting
    whose check looks at another."""

    file: Path
    raw: dict[str, Any]

    def fail(self, where: str, problem: str) -> ConfigError:
        return ConfigError(f"{self.file}: {where} {problem}")

    def given(self, section: str, key: str) -> Any:
        return self.raw.get(section, {}).get(key)


@dataclass(frozen=True)
class Setting:
    """One key of the configuration file: the Config field it fills (the default is the
    field's), what it may hold and means, and how a value the file gives is checked and
    converted."""

    section: str
    key: str
    field: str
    kinds: tuple[type, ...]
    help: str
    # the range a number must lie in, and how a message spells it (default "from A to B")
    bounds: tuple[float, float] | None = None
    bounds_in_words: str = ""
    choices: tuple[str, ...] = ()
    # what the value is compared with the choices as (the log level in capitals)
    normal: Callable[[Any], Any] | None = None
    # further checks of a value the file gives, and what Config holds for it
    convert: Callable[[Any, _Reading], Any] | None = None

    @property
    def where(self) -> str:
        return f"[{self.section}] {self.key}"

    @property
    def kind_in_words(self) -> str:
        return " or ".join(kind.__name__ for kind in self.kinds)

    def read(self, value: Any, reading: _Reading) -> Any:
        """The value the file gives, checked, as Config holds it."""
        normal = self.normal(value) if self.normal else value
        if self.choices and normal not in self.choices:
            raise reading.fail(
                self.where, f"must be one of {', '.join(self.choices)}, got {value!r}"
            )
        if self.bounds is not None and not self.bounds[0] <= normal <= self.bounds[1]:
            words = self.bounds_in_words or f"from {self.bounds[0]:g} to {self.bounds[1]:g}"
            raise reading.fail(self.where, f"must be {words}, got {value!r}")
        return self.convert(normal, reading) if self.convert else normal


def _number(value: float, reading: _Reading) -> float:
    return float(value)


def _file_path(value: str, reading: _Reading) -> Path:
    return _path(reading.file, value)


def _datacenter_url(value: str, reading: _Reading) -> str | None:
    return _check_url(value, f"{reading.file}: [datacenter] url")


def _ca_bundle(value: str, reading: _Reading) -> Path:
    return _check_ca_bundle(reading.file, _path(reading.file, value))


def _intervals(section: dict[str, Any], reading: _Reading) -> dict[str, float]:
    intervals = dict(DEFAULT_INTERVALS)
    for name, value in section.items():
        if name not in DEFAULT_INTERVALS:
            known = ", ".join(DEFAULT_INTERVALS)
            raise reading.fail(
                "[feeds.intervals]", f"has an unknown feed {name!r} (known: {known})"
            )
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not 0.2 <= value <= 86400
        ):
            raise reading.fail(
                "[feeds.intervals]",
                f"{name} must be a number of seconds from 0.2 to 86400, got {value!r}",
            )
        intervals[name] = float(value)
    return intervals


def _thresholds(section: dict[str, Any], reading: _Reading) -> dict[str, tuple[float, float]]:
    try:
        return thresholds_.parse(section)
    except ValueError as exc:
        raise reading.fail("[statistics.thresholds]", str(exc)) from None


def _population(section: dict[str, Any], reading: _Reading) -> dict[str, float]:
    """[statistics.population]: county adcode = residents in units of 10,000."""
    population = {}
    for code, value in section.items():
        if not (code.isdigit() and len(code) == 6):
            raise reading.fail(
                "[statistics.population]", f"{code!r} is not a six-digit county code"
            )
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise reading.fail(
                "[statistics.population]",
                f"{code} must be a positive number (residents in units of 10,000), got {value!r}",
            )
        population[code] = float(value)
    return population


def _tiles(tiles: str, reading: _Reading) -> str:
    """[map] tiles: a source the map can use."""
    if tiles == "tianditu":
        if not reading.given("map", "tianditu_key"):
            raise reading.fail(
                "[map]", 'tiles = "tianditu" needs tianditu_key (the key of your Tianditu account)'
            )
        return tiles
    if tiles.startswith(("http://", "https://")):
        if not all(part in tiles for part in ("{z}", "{x}", "{y}")):
            raise reading.fail(
                "[map]", f"tiles {tiles!r} must be an XYZ template with {{z}}, {{x}} and {{y}}"
            )
        return tiles
    local = _path(reading.file, tiles)
    if not (local.is_dir() or (local.is_file() and local.suffix == ".mbtiles")):
        raise reading.fail(
            "[map]",
            f'tiles {tiles!r} is not a URL template, "tianditu", a folder of tiles or an '
            ".mbtiles file",
        )
    return str(local)


def _time_zone(name: str, reading: _Reading) -> str:
    """[workstation] time_zone: a zone of the IANA database."""
    try:
        return zone_named(name).key
    except UnknownTimeZone as exc:
        raise reading.fail("[workstation] time_zone", str(exc)) from None


def _first_tile(tile: int, reading: _Reading) -> int:
    """[alerts] first_tile: a tile of the alarm layout, or of the largest if none is set."""
    layout = reading.given("alerts", "wall_layout")
    tiles_there = LAYOUT_BY_NAME[layout].size if layout else max(x.size for x in LAYOUTS)
    if not 1 <= tile <= tiles_there:
        raise reading.fail("[alerts]", f"first_tile must be from 1 to {tiles_there}, got {tile!r}")
    return tile


_NUMBER = (int, float)
# one row a setting, in the order the file's tables are listed and checked
# fmt: off
SETTINGS: tuple[Setting, ...] = (
    Setting("datacenter", "url", "datacenter_url", (str,),
            "the data center's http(s) URL; none: start the embedded data center",
            convert=_datacenter_url),
    Setting("datacenter", "ak", "ak", (str,), "this workstation's access key"),
    Setting("datacenter", "sk_file", "sk_file", (str,),
            "an owner-only file holding the SK (the SK itself never goes here)",
            convert=_file_path),
    Setting("datacenter", "ca_bundle", "ca_bundle", (str,),
            "a PEM file of the CA certificates the data center's certificate is checked against",
            convert=_ca_bundle),
    Setting("datacenter", "verify_tls", "verify_tls", (bool,),
            "false: the data center's certificate is not checked"),
    Setting("datacenter", "timeout_s", "timeout_s", _NUMBER,
            "seconds for an answer to begin, and again for its body",
            bounds=(0.5, 600), bounds_in_words="between 0.5 and 600", convert=_number),
    Setting("datacenter", "max_response_mib", "max_response_mib", (int,),
            "a larger answer from the data center is refused unread", bounds=(1, 4096)),
    Setting("store", "url", "db_url", (str,),
            "the store's SQLAlchemy URL; none: SQLite in the user data folder"),
    Setting("workstation", "role", "role", (str,), "what the desk may do", choices=ROLES),
    Setting("workstation", "operator", "operator", (str,), "who sits at the desk"),
    Setting("workstation", "lock_after_minutes", "lock_after_minutes", _NUMBER,
            "the screen locks after this long without a key or the mouse; 0: never",
            bounds=(0, 24 * 60), bounds_in_words="from 0 to 1440 minutes", convert=_number),
    Setting("workstation", "time_zone", "time_zone", (str,),
            "the bureau's time zone (IANA name), in which every time is shown",
            convert=_time_zone),
    Setting("workstation", "language", "language", (str,),
            "the interface's language; none: the system's, else Chinese", choices=LANGUAGES),
    Setting("workstation", "theme", "theme", (str,), "the interface's colours", choices=THEMES),
    Setting("feeds", "intervals", "intervals", (dict,),
            "seconds between two polls of a feed, by feed", convert=_intervals),
    Setting("feeds", "poll", "poll", (bool,),
            "false: poll nothing, read a shared store that a collector elsewhere fills"),
    Setting("map", "tiles", "map_tiles", (str,),
            'the base layer: an XYZ URL template, "tianditu", a tile folder or an .mbtiles '
            "file; none: the county boundaries alone, fully offline",
            convert=_tiles),
    Setting("map", "coord_sys", "map_coord_sys", (str,),
            "the system the tiles are drawn in", choices=COORD_SYSTEMS),
    Setting("map", "attribution", "map_attribution", (str,), "the base layer's credit"),
    Setting("map", "tianditu_key", "map_tianditu_key", (str,),
            'the key of a Tianditu account, for tiles = "tianditu"'),
    Setting("statistics", "thresholds", "thresholds", (dict,),
            "the KPI tiles' warning and alarm figures", convert=_thresholds),
    Setting("statistics", "population", "population_10k", (dict,),
            "residents per county adcode in 10,000s; none: the built-in figures",
            convert=_population),
    Setting("alerts", "sound", "alert_sound", (bool,), "severity 1–2 alerts sound"),
    Setting("alerts", "escalate_after_s", "escalate_after_s", _NUMBER,
            "an unacknowledged severity-1 alert escalates after this long",
            bounds=(10, 3600), bounds_in_words="from 10 to 3600 seconds", convert=_number),
    Setting("alerts", "wall_layout", "alarm_wall_layout", (str,),
            "the layout a critical alert switches the wall to; none: the wall keeps its own",
            choices=tuple(LAYOUT_BY_NAME)),
    Setting("alerts", "first_tile", "alarm_first_tile", (int,),
            "the tile (from 1) a critical alert's cameras go onto first", convert=_first_tile),
    Setting("logging", "level", "log_level", (str,),
            "what the log files keep (--log-level wins)", choices=LOG_LEVELS, normal=str.upper),
    Setting("logging", "max_bytes", "log_max_bytes", (int,),
            "a log file's size when it is rotated", bounds=(64 * 1024, 1024**3),
            bounds_in_words="from 65536 (64 KiB) to 1073741824 (1 GiB)"),
    Setting("logging", "backups", "log_backups", (int,),
            "how many rotated log files are kept", bounds=(1, 100)),
    Setting("logging", "folder", "log_folder", (str,),
            "the log files' folder; none: the user's log folder", convert=_file_path),
    Setting("directory", "url", "directory_url", (str,),
            "the bureau's LDAP directory, ldaps://host:636 or ldap://host:389; none: the "
            "local accounts", convert=_directory_url),
    Setting("directory", "start_tls", "directory_start_tls", (bool,),
            "StartTLS on an ldap:// URL (default true)"),
    Setting("directory", "allow_plain", "directory_allow_plain", (bool,),
            "true: ldap:// without StartTLS, to a directory on this machine only"),
    Setting("directory", "ca_bundle", "directory_ca_bundle", (str,),
            "a PEM file of the CA certificates the directory's certificate is checked "
            "against; none: the system's", convert=_directory_ca_bundle),
    Setting("directory", "user_dn", "directory_user_dn", (str,),
            "the DN of a user, {user} where the user name goes, e.g. "
            "uid={user},ou=people,dc=bureau,dc=example"),
    Setting("directory", "base_dn", "directory_base_dn", (str,),
            "without user_dn: where users are searched for"),
    Setting("directory", "user_filter", "directory_user_filter", (str,),
            "without user_dn: the filter that finds a user, e.g. (uid={user})"),
    Setting("directory", "bind_dn", "directory_bind_dn", (str,),
            "without user_dn: the service account that searches (its password in "
            "COMMANDCENTER_LDAP_PASSWORD); none: an anonymous search"),
    Setting("directory", "name_attribute", "directory_name_attribute", (str,),
            "the attribute with the person's name (else displayName)", convert=_attribute),
    Setting("directory", "county_attribute", "directory_county_attribute", (str,),
            "the attribute with the person's county adcode (none: the city)",
            convert=_attribute),
    Setting("directory", "person_id_attribute", "directory_person_id_attribute", (str,),
            "the attribute with the roster's personId", convert=_attribute),
    Setting("directory", "group_base", "directory_group_base", (str,),
            "where the groupOfNames groups are (member = the user's DN); the user's "
            "memberOf is read too"),
    Setting("directory", "roles", "directory_roles", (dict,),
            "a group's CN = the role its members may take", convert=_directory_roles),
    Setting("directory", "timeout_s", "directory_timeout_s", _NUMBER,
            "seconds to connect, and again for each answer",
            bounds=(0.5, 120), bounds_in_words="between 0.5 and 120", convert=_number),
    Setting("directory", "fallback_local", "directory_fallback_local", (bool,),
            "true: the local accounts sign in while the directory cannot be reached"),
    Setting("accounts", "max_failed", "accounts_max_failed", (int,),
            "failed sign-ins in a row that lock a local account out", bounds=(1, 100)),
    Setting("accounts", "lock_minutes", "accounts_lock_minutes", _NUMBER,
            "how long a local account stays locked out",
            bounds=(1, 1440), bounds_in_words="from 1 to 1440 minutes", convert=_number),
)
# fmt: on

_SETTING_AT = {(setting.section, setting.key): setting for setting in SETTINGS}
_SECTIONS = tuple(dict.fromkeys(setting.section for setting in SETTINGS))
