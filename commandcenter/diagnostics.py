"""What support asks for on the phone: versions, folders, the data center and store in
use, the screens and the graphics, in one text (`commandcenter --diagnostics`, or
copied from the About box). Never a secret: the SK is only said to be found or not,
and the whole text is scrubbed (local/redaction.py) before it is shown.

Without a display it says so and prints the rest. The screens and graphics are read
in a child process: Qt ends a process whose display does not answer.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import platform
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import platformdirs

from commandcenter import __version__
from commandcenter.config import Config, default_config_path
from commandcenter.local import logs
from commandcenter.local.redaction import scrub

APP_NAME = "commandcenter"
PROBE_TIMEOUT_S = 30
# OpenGL renderers that are the CPU drawing
SOFTWARE_RENDERERS = ("llvmpipe", "softpipe", "swiftshader", "software", "swrast")


@dataclass(frozen=True)
class Section:
    title: str
    rows: list[tuple[str, str]]


def gather(
    config: Config,
    *,
    config_problem: str | None = None,
    runtime: Any = None,
    facts: dict[str, Any] | None = None,
) -> list[Section]:
    """Everything, from the configuration (and the running client's `runtime`, and
    the `display_facts` of its own QApplication: else a child process probes)."""
    facts = facts if facts is not None else probe_display()
    return [
        Section("versions", versions()),
        Section("folders", folders(config, config_problem)),
        Section("data center", datacenter(config, runtime)),
        Section("store", store(config, runtime)),
        Section("screens", screens(facts)),
        Section("graphics", graphics(facts)),
    ]


def report_text(sections: list[Section]) -> str:
    width = max((len(label) for s in sections for label, _ in s.rows), default=10) + 2
    lines = [f"commandcenter diagnostics, {datetime.now().astimezone():%Y-%m-%d %H:%M:%S %z}"]
    for section in sections:
        lines.append("")
        lines.append(f"[{section.title}]")
        lines += [f"  {label:<{width}}{value}" for label, value in section.rows]
    return scrub("\n".join(lines))


def _version(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def versions() -> list[tuple[str, str]]:
    rows = [
        ("commandcenter", __version__),
        (
            "Python",
            f"{platform.python_version()} ({platform.python_implementation()}, {sys.executable})",
        ),
        ("system", platform.platform()),
    ]
    try:
        import PySide6
        from PySide6.QtCore import qVersion

        rows.append(("PySide6 / Qt", f"{PySide6.__version__} / Qt {qVersion()}"))
    except ImportError as exc:
        rows.append(("PySide6 / Qt", f"not usable: {exc}"))
    try:
        import av

        meta = _ffmpeg_meta(av).get("libavcodec", {})
        licence = meta.get("license", "")
        rows.append(
            (
                "FFmpeg",
                f"{getattr(av, 'ffmpeg_version_info', '?')} (PyAV {av.__version__}"
                + (f"; {licence}" if licence else "")
                + ")",
            )
        )
    except ImportError as exc:
        rows.append(("FFmpeg", f"not usable: {exc}"))
    for name in (
        "SQLAlchemy",
        "alembic",
        "pyqtgraph",
        "folium",
        "requests",
        "openpyxl",
        "numpy",
        "psycopg2-binary",
    ):
        version = _version(name)
        if version is not None:
            rows.append((name, version))
    return rows


def _exists(path: Path) -> str:
    return f"{path}" + ("" if path.exists() else " (not there)")


def _ffmpeg_meta(av) -> dict:
    """What PyAV knows of the FFmpeg it carries (version, licence, configuration)."""
    try:
        from av import _core

        return dict(_core.library_meta)
    except (ImportError, AttributeError):
        return {}


def folders(config: Config, config_problem: str | None = None) -> list[tuple[str, str]]:
    config_file = config.source or default_config_path()
    rows = [("configuration", _exists(config_file))]
    if config_problem:
        rows.append(("configuration problem", config_problem))
    log_file = logs.current_log_file()
    rows += [
        ("data folder", _exists(Path(platformdirs.user_data_dir(APP_NAME)))),
        ("log folder", _exists(config.log_folder or logs.default_log_dir())),
        ("this log file", str(log_file) if log_file else "none"),
        (
            "log level, rotation",
            f"{config.log_level or logs.DEFAULT_FILE_LEVEL}, "
            f"{config.log_max_bytes // 1024} KiB × {config.log_backups} files",
        ),
        ("cache folder", _exists(Path(platformdirs.user_cache_dir(APP_NAME)))),
    ]
    return rows


def datacenter(config: Config, runtime: Any = None) -> list[tuple[str, str]]:
    if config.embedded:
        url = getattr(runtime, "datacenter_label", None) if runtime is not None else None
        return [
            ("data center", url or "embedded simulated data center (none configured)"),
            ("AK / SK", "the embedded data center's own, made at start and never stored"),
        ]
    rows = [
        ("data center", config.datacenter_url or ""),
        ("AK", config.ak or "(none: set [datacenter] ak or COMMANDCENTER_AK)"),
        ("SK", _sk_state(config)),
        (
            "TLS",
            "not verified (verify_tls = false)"
            if not config.verify_tls
            else f"verified against {config.ca_bundle}"
            if config.ca_bundle
            else "verified against the system's CAs",
        ),
        ("timeout", f"{config.timeout_s:g} s"),
    ]
    return rows


def _sk_state(config: Config) -> str:
    """Whether an SK is found; never the SK."""
    from commandcenter.local.credentials import CredentialError, resolve_sk

    if not config.ak:
        return "not looked for (no AK)"
    try:
        resolve_sk(config.ak, sk_file=config.sk_file)
    except CredentialError as exc:
        return f"not found: {exc}"
    return "found (not shown)"


def store(config: Config, runtime: Any = None) -> list[tuple[str, str]]:
    import sqlalchemy as sa

    from commandcenter.store.engine import default_database_url

    url = sa.engine.make_url(config.db_url or default_database_url())
    rows = [("store", url.render_as_string(hide_password=True))]
    if runtime is not None:
        rows[0] = ("store", runtime.store.url_for_display)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        file = Path(url.database).expanduser()
        size = f"{file.stat().st_size / 1024 / 1024:.1f} MiB" if file.exists() else "not made yet"
        rows.append(("store file", f"{file} ({size})"))
    else:
        rows.append(("shared", "yes: PostgreSQL, desks and collectors share it"))
    rows.append(
        (
            "polling",
            "this desk polls the data center"
            if config.poll
            else "off: a collector fills the shared store",
        )
    )
    return rows


# -- screens and graphics ---------------------------------------------------------------


def has_display(environ: dict[str, str] | None = None) -> bool:
    env = os.environ if environ is None else environ
    if not sys.platform.startswith("linux"):
        return True
    return bool(
        env.get("DISPLAY")
        or env.get("WAYLAND_DISPLAY")
        or env.get("QT_QPA_PLATFORM", "").startswith(("offscreen", "vnc", "eglfs", "linuxfb"))
    )


def probe_display() -> dict[str, Any]:
    """The screens and OpenGL as a child process finds them; {"problem": …} if it cannot."""
    if not has_display():
        return {"problem": "no display (DISPLAY and WAYLAND_DISPLAY are not set)"}
    try:
        done = subprocess.run(
            [sys.executable, "-c", "from commandcenter.diagnostics import _probe; _probe()"],
            capture_output=True,
            text=True,
            timeout=PROBE_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"problem": f"the display did not answer within {PROBE_TIMEOUT_S} s"}
    except OSError as exc:
        return {"problem": f"cannot be probed: {exc.strerror or exc}"}
    for line in reversed(done.stdout.splitlines()):
        if line.startswith("{"):
            try:
                return json.loads(line)
            except ValueError:
                break
    said = [line for line in done.stderr.splitlines() if line.strip()]
    where = os.environ.get("WAYLAND_DISPLAY") or os.environ.get("DISPLAY") or "the display"
    return {
        "problem": f"{where} cannot be used (exit code {done.returncode}"
        + (f": {said[0][:200]}" if said else "")
        + ")"
    }


def _probe() -> None:
    """In the child: a QGuiApplication on the display, its facts as one JSON line."""
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication(sys.argv[:1])
    print(json.dumps(display_facts(app)), flush=True)  # noqa: T201 - the parent reads stdout


def display_facts(app: Any) -> dict[str, Any]:
    """The platform, every screen and the OpenGL renderer, from a running QGuiApplication."""
    facts: dict[str, Any] = {
        "platform": app.platformName(),
        "screens": [
            {
                "name": screen.name(),
                "model": " ".join(p for p in (screen.manufacturer(), screen.model()) if p),
                "x": screen.geometry().x(),
                "y": screen.geometry().y(),
                "width": screen.geometry().width(),
                "height": screen.geometry().height(),
                "scale": screen.devicePixelRatio(),
                "dpi": round(screen.logicalDotsPerInch()),
                "hz": round(screen.refreshRate()),
                "primary": screen is app.primaryScreen(),
            }
            for screen in app.screens()
        ],
    }
    facts["opengl"] = _opengl()
    return facts


def _opengl() -> dict[str, str]:
    from PySide6.QtGui import QOffscreenSurface, QOpenGLContext

    context = QOpenGLContext()
    if not context.create():
        return {"problem": "no OpenGL context can be made"}
    surface = QOffscreenSurface()
    surface.setFormat(context.format())
    surface.create()
    try:
        if not context.makeCurrent(surface):
            return {"problem": "the OpenGL context cannot be used"}
        functions = context.functions()
        gl_vendor, gl_renderer, gl_version = 0x1F00, 0x1F01, 0x1F02
        found = {
            "vendor": str(functions.glGetString(gl_vendor) or ""),
            "renderer": str(functions.glGetString(gl_renderer) or ""),
            "version": str(functions.glGetString(gl_version) or ""),
            "es": "yes" if context.isOpenGLES() else "no",
        }
        context.doneCurrent()
        return found
    finally:
        surface.destroy()


def screens(facts: dict[str, Any]) -> list[tuple[str, str]]:
    if "problem" in facts:
        return [("screens", f"none: {facts['problem']}")]
    rows = [("platform", facts.get("platform", "?"))]
    for n, s in enumerate(facts.get("screens", []), start=1):
        rows.append(
            (
                f"screen {n}" + (" (primary)" if s.get("primary") else ""),
                f"{s['name']}{' ' + s['model'] if s.get('model') else ''}: "
                f"{s['width']}×{s['height']} at ({s['x']}, {s['y']}), scale {s['scale']:g}, "
                f"{s['dpi']} dpi, {s['hz']} Hz",
            )
        )
    if len(rows) == 1:
        rows.append(("screens", "none reported"))
    return rows


def graphics(facts: dict[str, Any]) -> list[tuple[str, str]]:
    rows = [
        ("widgets", "Qt raster (CPU)"),
        ("map view", "Chromium without GPU, Qt Quick software renderer"),
    ]
    if "problem" in facts:
        rows.append(("OpenGL", f"not probed: {facts['problem']}"))
        return rows
    gl = facts.get("opengl", {})
    if "problem" in gl:
        rows.append(("OpenGL", f"none: {gl['problem']} (software rendering only)"))
        return rows
    renderer = gl.get("renderer", "")
    software = any(word in renderer.lower() for word in SOFTWARE_RENDERERS)
    rows.append(
        (
            "OpenGL",
            f"{renderer} ({gl.get('vendor', '')}; {gl.get('version', '')})"
            + ("; software: no GPU in use" if software else "; GPU"),
        )
    )
    return rows
