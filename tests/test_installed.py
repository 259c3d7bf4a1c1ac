"""commandcenter as a desk gets it: the offline bundle built from a clean copy of the
checkout (tools/bundle.py), installed by its own install.sh with no network at all into
a folder outside the repository, then run from an empty folder with a fresh home: the
command line, the simulated data center with a sync against it, and the window.

The bundle's dependency wheels come from the wheelhouse in the user's cache, filled from
the package index on the first build on a machine and checked against the lock's hashes
every time, so a run costs the project's wheel, the archive and the install (about two
minutes), not a download of every dependency.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# what must never be printed by the installed program
FORBIDDEN = (
    "Traceback",
    "Warning:",  # Python's warnings module
    "lacks its data file",
    "no compiled translation",
    "which is not shipped",
    "FileNotFoundError",
)

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Installed:
    prefix: Path
    launcher: Path
    log: str
    seconds: float


def no_network() -> list[str]:
    """A prefix that runs a command with no network at all (a namespace of its own), where
    this machine allows it; else proxies that lead nowhere."""
    if shutil.which("unshare") and subprocess.run(["unshare", "-n", "true"]).returncode == 0:
        return ["unshare", "-n"]
    return ["env", "http_proxy=http://127.0.0.1:9", "https_proxy=http://127.0.0.1:9"]


def fresh_env(home: Path, **extra: str) -> dict[str, str]:
    """A desk's user who never ran the program: a home of their own, nothing of ours."""
    home.mkdir(parents=True, exist_ok=True)
    env = {
        "HOME": str(home),
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "PYTHONWARNINGS": "default",  # a warning would be printed, and the tests see it
    }
    for name in ("DISPLAY", "XAUTHORITY"):
        if name in os.environ:
            env[name] = os.environ[name]
    return {**env, **extra}


def assert_clean(output: str) -> None:
    for text in FORBIDDEN:
        assert text not in output, f"{text!r} in:\n{output[-3000:]}"


@pytest.fixture(scope="session")
def bundle(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        [sys.executable, str(REPO / "tools" / "bundle.py"), "build", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    (archive,) = out.glob("commandcenter-*-linux_x86_64-offline.tar.gz")
    yield archive
    shutil.rmtree(out, ignore_errors=True)  # a third of a gigabyte


@pytest.fixture(scope="session")
def installed(bundle, tmp_path_factory):
    root = tmp_path_factory.mktemp("desk")
    assert REPO not in root.parents
    with tarfile.open(bundle) as tar:
        tar.extractall(root / "carried", filter="data")
    (folder,) = (root / "carried").iterdir()
    prefix = root / "prefix"
    started = time.monotonic()
    done = subprocess.run(
        [*no_network(), str(folder / "install.sh"), "--prefix", str(prefix)],
        env=fresh_env(root / "installer-home"),
        capture_output=True,
        text=True,
        timeout=900,
    )
    seconds = time.monotonic() - started
    assert done.returncode == 0, done.stdout + done.stderr
    print(  # noqa: T201 - what the installer took, shown with -s
        f"\ninstalled from {bundle.name} ({bundle.stat().st_size / 1e6:.0f} MB) in {seconds:.0f} s"
    )
    yield Installed(prefix, prefix / "bin" / "commandcenter", done.stderr, seconds)
    shutil.rmtree(root, ignore_errors=True)  # a gigabyte


def run_installed(installed: Installed, *args: str, home: Path, cwd: Path, timeout=300, **env):
    return subprocess.run(
        [str(installed.launcher), *args],
        cwd=cwd,
        env=fresh_env(home, **env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture
def empty(tmp_path) -> Path:
    folder = tmp_path / "empty"
    folder.mkdir()
    return folder


def test_the_bundle_holds_every_wheel_pinned_by_hash(bundle):
    with tarfile.open(bundle) as tar:
        names = tar.getnames()
        top = names[0].split("/")[0]
        requirements = tar.extractfile(f"{top}/requirements.txt").read().decode("utf-8")
    assert re.fullmatch(r"commandcenter-\d+\.\d+\.\d+-linux_x86_64-offline", top)
    wheels = [n for n in names if n.startswith(f"{top}/wheels/") and n.endswith(".whl")]
    pins = re.findall(r"^([A-Za-z0-9_.\-\[\]]+)==", requirements, flags=re.MULTILINE)
    assert len(wheels) == len(pins) > 30
    assert any("/wheels/commandcenter-" in w and w.endswith("-py3-none-any.whl") for w in wheels)
    assert any("pyside6_essentials" in w for w in wheels)
    # every requirement carries its hash, so pip runs in hash-checking mode
    entries = re.split(r"\n(?=[A-Za-z])", requirements.split("\n", 1)[1].strip())
    assert all("--hash=sha256:" in entry for entry in entries if "==" in entry)
    for part in ("install.sh", "INSTALL.txt", "share/applications/commandcenter.desktop"):
        assert f"{top}/{part}" in names
    assert f"{top}/share/icons/hicolor/scalable/apps/commandcenter.svg" in names


def test_the_windows_bundle_is_built_and_resolved_for_windows(tmp_path):
    """install.ps1 cannot run here; the bundle it installs is built, and resolved for
    Windows' CPython 3.11 from its own wheels (tools/bundle.py verify) on the way."""
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "tools" / "bundle.py"),
            "build",
            "--platform",
            "win_amd64",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    (archive,) = tmp_path.glob("commandcenter-*-win_amd64-offline.tar.gz")
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    top = names[0].split("/")[0]
    for part in ("install.ps1", "commandcenter.ico", "requirements.txt", "INSTALL.txt"):
        assert f"{top}/{part}" in names
    wheels = [n.rsplit("/", 1)[1] for n in names if n.endswith(".whl")]
    assert any(w.startswith("pywin32-") and w.endswith("win_amd64.whl") for w in wheels)
    assert any(w.startswith("pyside6_essentials-") and w.endswith("win_amd64.whl") for w in wheels)
    assert not any("manylinux" in w for w in wheels)


def test_the_bundle_installs_without_a_network_and_integrates_with_the_desktop(installed):
    assert "installed in" in installed.log
    assert installed.launcher.is_symlink() and os.access(installed.launcher, os.X_OK)
    entry = installed.prefix / "share" / "applications" / "commandcenter.desktop"
    text = entry.read_text(encoding="utf-8")
    assert f"Exec={installed.launcher}\n" in text and "Name[zh_CN]=司法行政指挥中心" in text
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(
            ["desktop-file-validate", str(entry)], capture_output=True, text=True
        )
        assert check.returncode == 0, check.stdout + check.stderr
    icons = installed.prefix / "share" / "icons" / "hicolor"
    for size in (16, 32, 48, 256):
        assert (icons / f"{size}x{size}" / "apps" / "commandcenter.png").is_file()
    assert (icons / "scalable" / "apps" / "commandcenter.svg").is_file()
    # the data is inside the installed package: nothing is read from the checkout
    python = installed.prefix / "lib" / "commandcenter" / "bin" / "python"
    shipped = [
        "geo/suzhou_counties.geojson",
        "map/vendor/leaflet/leaflet.js",
        "map/vendor/leaflet/LICENSE",
        "sounds/alert.wav",
        "translations/commandcenter_zh_CN.qm",
        "icons/commandcenter-48.png",
    ]
    probe = (
        "import sys; from commandcenter import resources as r; print(r.DATA); "
        "print(*(r.data(*name.split('/')).is_file() for name in sys.argv[1:]))"
    )
    listing = subprocess.run(
        [str(python), "-c", probe, *shipped],
        capture_output=True,
        text=True,
        cwd=installed.prefix,
        check=True,
    ).stdout
    where, found = listing.splitlines()
    assert where.startswith(str(installed.prefix / "lib")), where
    assert found.split() == ["True"] * len(shipped), dict(zip(shipped, found.split(), strict=False))


def test_the_installed_command_answers_from_an_empty_folder(installed, empty, tmp_path):
    done = run_installed(installed, "--version", home=tmp_path / "home", cwd=empty)
    assert done.returncode == 0, done.stderr
    assert re.fullmatch(r"commandcenter \d+\.\d+\.\d+\n", done.stdout)
    assert_clean(done.stderr)
    assert not any(empty.iterdir())


def test_the_installed_datacenter_serves_a_sync(installed, empty, tmp_path):
    home = tmp_path / "home"
    datacenter = subprocess.Popen(
        [str(installed.launcher), "datacenter", "--port", "0"],
        cwd=empty,
        env=fresh_env(home),
        stderr=subprocess.PIPE,
        text=True,
    )
    seen = []
    try:
        url = None
        deadline = time.monotonic() + 120
        while url is None and time.monotonic() < deadline:
            line = datacenter.stderr.readline()
            assert line, "".join(seen)
            seen.append(line)
            found = re.search(r"simulated data center on (http://127\.0\.0\.1:\d+)", line)
            url = found and found.group(1)
        assert url, "".join(seen)
        # its SK went to the user's data folder, not the current one
        sk_file = home / ".local" / "share" / "commandcenter" / "datacenter.sk"
        assert sk_file.is_file() and sk_file.stat().st_mode & 0o077 == 0
        db = f"sqlite:///{tmp_path / 'desk.db'}"
        sync = run_installed(
            installed,
            "sync",
            "--once",
            "--datacenter",
            url,
            "--ak",
            "commandcenter-sim",
            "--db",
            db,
            home=home,
            cwd=empty,
            COMMANDCENTER_SK=sk_file.read_text(encoding="utf-8").strip(),
        )
        assert sync.returncode == 0, sync.stderr[-3000:]
        summary = json.loads(sync.stdout)
        assert summary["ok"] is True
        assert summary["stored"]["service_points"] > 2000
        assert_clean(sync.stderr)
    finally:
        datacenter.send_signal(signal.SIGINT)
        rest = datacenter.communicate(timeout=30)[1]
    assert_clean("".join(seen) + rest)
    assert not any(empty.iterdir())


def window_of(pid: int, timeout: float = 60) -> str:
    """The client's main window: the largest of its visible windows, for a tooltip under
    the virtual screen's pointer is a visible window of the client too, and has no title."""
    from tests.conftest import wait_until

    found: list[str] = []

    def shown() -> bool:
        found[:] = subprocess.run(
            ["xdotool", "search", "--onlyvisible", "--pid", str(pid), "--class", "commandcenter"],
            capture_output=True,
            text=True,
        ).stdout.split()
        return bool(found)

    def area(window: str) -> int:
        shape = subprocess.run(
            ["xdotool", "getwindowgeometry", "--shell", window], capture_output=True, text=True
        ).stdout
        sides = dict(line.split("=", 1) for line in shape.split() if "=" in line)
        return int(sides.get("WIDTH", 0)) * int(sides.get("HEIGHT", 0))

    wait_until(shown, timeout, "the installed client's window")
    return max(found, key=area)


def test_the_installed_window_speaks_chinese_draws_the_map_and_shows_its_icon(
    installed, empty, tmp_path, qapp
):
    home = tmp_path / "home"
    log = tmp_path / "window.log"
    with log.open("w", encoding="utf-8") as sink:
        client = subprocess.Popen(
            [str(installed.launcher), "--log-level", "INFO"],
            cwd=empty,
            env=fresh_env(home),
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        window = window_of(client.pid)

        def drawn() -> int:  # the map fills as the first sync brings the city's points
            counts = re.findall(r"the map draws (\d+) service points", log.read_text("utf-8"))
            return max(map(int, counts), default=0)

        from tests.conftest import wait_until

        try:
            wait_until(lambda: drawn() > 2000 or client.poll() is not None, timeout=120)
        except AssertionError:
            pytest.fail(f"the map drew {drawn()} points: {log.read_text('utf-8')[-3000:]}")
        assert client.poll() is None, log.read_text("utf-8")[-3000:]
        window = window_of(client.pid)  # by now the main window is up, whatever came first
        title = subprocess.run(
            ["xdotool", "getwindowname", window], capture_output=True, text=True
        ).stdout
        assert "司法行政指挥中心" in title, title
        icon = subprocess.run(
            ["xprop", "-id", window, "_NET_WM_ICON"], capture_output=True, text=True
        ).stdout
        sizes = set(re.findall(r"Icon \((\d+) x \1\)", icon))
        assert {"16", "32", "48", "128"} <= sizes, sizes  # Qt hands the window system up to 128
        shots = Path(os.environ.get("COMMANDCENTER_SHOTS") or tmp_path)
        shots.mkdir(parents=True, exist_ok=True)
        assert qapp.primaryScreen().grabWindow(0).save(str(shots / "installed-window.png"))
        # a second start raises this window instead of opening another
        second = run_installed(installed, home=home, cwd=empty, timeout=90)
        assert second.returncode == 0, second.stderr
        assert "brought to the front" in second.stderr
        assert client.poll() is None
    finally:
        client.send_signal(signal.SIGTERM)
        try:
            client.wait(30)
        except subprocess.TimeoutExpired:
            client.kill()
            client.wait(10)
    output = log.read_text("utf-8")
    assert client.returncode == 0, output[-3000:]
    assert_clean(output)
    assert not any(empty.iterdir())
