"""The offline bundle: what a bureau carries into an intranet without internet to install
commandcenter on its desks.

    python tools/bundle.py build [--platform linux_x86_64|win_amd64] [--out dist]
    python tools/bundle.py lock [--upgrade]

`build` writes dist/commandcenter-<version>-<platform>-offline.tar.gz holding
  wheels/            the project's wheel (built from the checkout's tracked files) and
                     every dependency's wheel for the platform, as pinned by the lock
  requirements.txt   the lock with every wheel's hash, the project's wheel included
  install.sh / install.ps1, the desktop entry and the icons, and INSTALL.txt
The dependencies' wheels are downloaded once into a wheelhouse in the user's cache
folder (pip checks each against the lock's hashes), so a later build downloads only what
the lock changed. `lock` resolves pyproject.toml's dependencies (with the postgres extra)
for each platform with uv and writes requirements/<platform>.txt with hashes; commit it.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PYTHON = "3.11"  # the wheels are for this CPython; the installers insist on it
EXTRAS = "postgres"  # desks on a shared store need the PostgreSQL driver


@dataclass(frozen=True)
class Platform:
    name: str
    uv_platform: str  # for `uv pip compile --python-platform`
    pip_platforms: tuple[str, ...]  # for `pip download --platform`, best first
    installer: str

    @property
    def lock(self) -> Path:
        return REPO / "requirements" / f"{self.name}.txt"


# glibc 2.34 and newer (Debian 12, Ubuntu 22.04, RHEL 9): PySide6's wheels ask for it
_MANYLINUX = tuple(f"manylinux_2_{minor}_x86_64" for minor in range(34, 16, -1))
PLATFORMS = {
    "linux_x86_64": Platform(
        "linux_x86_64",
        "x86_64-manylinux_2_34",
        (*_MANYLINUX, "manylinux2014_x86_64", "linux_x86_64"),
        "install.sh",
    ),
    "win_amd64": Platform("win_amd64", "x86_64-pc-windows-msvc", ("win_amd64",), "install.ps1"),
}


def marker_environment(platform: Platform) -> dict[str, str]:
    """What environment markers see on the platform's CPython."""
    from packaging.markers import default_environment

    windows = platform.name.startswith("win")
    return {
        **default_environment(),
        "python_version": PYTHON,
        "python_full_version": f"{PYTHON}.0",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "sys_platform": "win32" if windows else "linux",
        "platform_system": "Windows" if windows else "Linux",
        "os_name": "nt" if windows else "posix",
        "platform_machine": "AMD64" if windows else "x86_64",
    }


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def project_version() -> str:
    with open(REPO / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]["version"]


def wheelhouse(platform: Platform) -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "commandcenter" / "wheelhouse" / f"cp{PYTHON.replace('.', '')}-{platform.name}"


# -- lock ----------------------------------------------------------------------------


def lock(upgrade: bool) -> int:
    uv = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    if uv is None:
        say("bundle: uv is needed to lock: pip install uv (or ./dev.sh lock)")
        return 2
    for platform in PLATFORMS.values():
        platform.lock.parent.mkdir(exist_ok=True)
        done = subprocess.run(
            [
                uv,
                "pip",
                "compile",
                "pyproject.toml",
                "--extra",
                EXTRAS,
                "--python-version",
                PYTHON,
                "--python-platform",
                platform.uv_platform,
                "--generate-hashes",
                "--no-header",
                "--quiet",
                *(["--upgrade"] if upgrade else []),
                "--output-file",
                str(platform.lock.relative_to(REPO)),
            ],
            cwd=REPO,
        )
        if done.returncode:
            return done.returncode
        say(f"bundle: {platform.lock.relative_to(REPO)} written")
    return 0


# -- build ---------------------------------------------------------------------------


def clean_copy(target: Path) -> Path:
    """The checkout as a fresh clone would have it: tracked files and new files git does
    not ignore, without .venv, build folders or compiled translations."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, (n.decode() for n in listed)):
        source = REPO / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def build_wheel(out: Path) -> Path:
    with tempfile.TemporaryDirectory(prefix="commandcenter-src-") as tmp:
        source = clean_copy(Path(tmp))
        subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), "."],
            cwd=source,
            check=True,
        )
    (wheel,) = out.glob("commandcenter-*.whl")
    return wheel


def locked(lock_file: Path) -> dict[str, set[str]]:
    """Each pinned requirement ("name==version") with the hashes its files may have."""
    entries: dict[str, set[str]] = {}
    current = None
    for line in lock_file.read_text(encoding="utf-8").splitlines():
        if line and not line[0].isspace() and not line.startswith("#"):
            current = line.split()[0]
            entries[current] = set()
        for part in line.split():
            if part.startswith("--hash=sha256:") and current is not None:
                entries[current].add(part.split(":", 1)[1])
    return entries


def sha256(file: Path) -> str:
    digest = hashlib.sha256()
    with file.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def download_dependencies(platform: Platform, into: Path) -> list[Path]:
    """The lock's wheels for the platform, from the wheelhouse; pip downloads only what it
    lacks (and asks the index nothing when it lacks nothing)."""
    house = wheelhouse(platform)
    house.mkdir(parents=True, exist_ok=True)
    entries = locked(platform.lock)

    def present() -> dict[str, Path]:
        return {sha256(wheel): wheel for wheel in sorted(house.glob("*.whl"))}

    have = present()
    if any(not hashes & have.keys() for hashes in entries.values()):
        command = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--only-binary=:all:",
            "--require-hashes",
            "--python-version",
            PYTHON,
            "--implementation",
            "cp",
            *(arg for tag in platform.pip_platforms for arg in ("--platform", tag)),
            "--dest",
            str(house),
            "-r",
            str(platform.lock),
        ]
        subprocess.run(command, check=True)
        have = present()
    chosen = []
    for pin, hashes in entries.items():
        found = sorted(have[digest] for digest in hashes & have.keys())
        if not found:
            raise SystemExit(f"bundle: no wheel of {pin} for {platform.name} was downloaded")
        chosen.append(found[0])
        shutil.copy2(found[0], into / found[0].name)
    return chosen


def verify(platform: Platform, wheels: list[Path], project: Path) -> None:
    """Resolve the bundle as the platform's pip will, from its own wheels alone: each
    installs on the platform's CPython, and every requirement of each (markers evaluated
    for the platform) is met by a wheel in the bundle."""
    import zipfile
    from email.parser import HeaderParser

    from packaging.requirements import Requirement
    from packaging.tags import compatible_tags, cpython_tags
    from packaging.utils import canonicalize_name, parse_wheel_filename

    python = tuple(int(part) for part in PYTHON.split("."))
    supported = {
        *cpython_tags(python, platforms=platform.pip_platforms),
        *compatible_tags(python, f"cp{python[0]}{python[1]}", platforms=platform.pip_platforms),
    }
    versions = {}
    for wheel in wheels:
        name, version, _build, tags = parse_wheel_filename(wheel.name)
        if not tags & supported:
            raise SystemExit(f"bundle: {wheel.name} does not install on {platform.name}")
        versions[name] = version
    env = marker_environment(platform)
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as whl:
            (metadata,) = [n for n in whl.namelist() if n.endswith(".dist-info/METADATA")]
            headers = HeaderParser().parsestr(whl.read(metadata).decode("utf-8"))
        extras = {""} | ({EXTRAS} if wheel == project else set())
        for line in headers.get_all("Requires-Dist") or []:
            needed = Requirement(line)
            if needed.marker is not None and not any(
                needed.marker.evaluate({**env, "extra": extra}) for extra in extras
            ):
                continue
            have = versions.get(canonicalize_name(needed.name))
            if have is None or not needed.specifier.contains(have, prereleases=True):
                raise SystemExit(
                    f"bundle: {wheel.name} needs {needed}, which the bundle "
                    f"{'lacks' if have is None else f'holds as {have}'}: run ./dev.sh lock"
                )


def write_requirements(platform: Platform, wheel: Path, target: Path) -> None:
    """The lock, and the project itself pinned to its wheel's hash: pip installs nothing
    that is not exactly what was bundled."""
    name = wheel.name.split("-")[1]
    lines = [
        f"# commandcenter {name} for {platform.name}, CPython {PYTHON}: install with --no-index",
        platform.lock.read_text(encoding="utf-8").rstrip(),
        f"commandcenter[{EXTRAS}]=={name} \\",
        f"    --hash=sha256:{sha256(wheel)}",
        "",
    ]
    target.write_text("\n".join(lines), encoding="utf-8")


def desktop_files(platform: Platform, stage: Path) -> None:
    icons = REPO / "commandcenter" / "data" / "icons"
    packaging = REPO / "packaging"
    shutil.copy2(packaging / platform.installer, stage / platform.installer)
    if platform.installer.endswith(".sh"):
        (stage / platform.installer).chmod(0o755)
        share = stage / "share"
        (share / "applications").mkdir(parents=True)
        shutil.copy2(packaging / "commandcenter.desktop", share / "applications")
        for png in icons.glob("commandcenter-*.png"):
            size = png.stem.split("-")[1]
            folder = share / "icons" / "hicolor" / f"{size}x{size}" / "apps"
            folder.mkdir(parents=True)
            shutil.copy2(png, folder / "commandcenter.png")
        scalable = share / "icons" / "hicolor" / "scalable" / "apps"
        scalable.mkdir(parents=True)
        shutil.copy2(icons / "commandcenter.svg", scalable / "commandcenter.svg")
    else:
        shutil.copy2(icons / "commandcenter.ico", stage / "commandcenter.ico")
    shutil.copy2(packaging / "INSTALL.txt", stage / "INSTALL.txt")


def build(platform: Platform, out: Path) -> Path:
    if not platform.lock.is_file():
        raise SystemExit(f"bundle: no lock for {platform.name}: run ./dev.sh lock")
    version = project_version()
    name = f"commandcenter-{version}-{platform.name}-offline"
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="commandcenter-bundle-") as tmp:
        stage = Path(tmp) / name
        wheels = stage / "wheels"
        wheels.mkdir(parents=True)
        say("bundle: building the project's wheel from a clean copy of the checkout…")
        wheel = build_wheel(wheels)
        say(
            f"bundle: the dependencies' wheels for {platform.name} (cache: {wheelhouse(platform)})…"
        )
        dependencies = download_dependencies(platform, wheels)
        verify(platform, [wheel, *dependencies], wheel)
        write_requirements(platform, wheel, stage / "requirements.txt")
        desktop_files(platform, stage)
        out.mkdir(parents=True, exist_ok=True)
        archive = out / f"{name}.tar.gz"
        partial = archive.with_name(archive.name + ".partial")
        # the wheels are compressed already: a light gzip level costs little and saves time
        with tarfile.open(partial, "w:gz", compresslevel=1) as tar:
            tar.add(stage, arcname=name)
        partial.replace(archive)
    size = archive.stat().st_size
    say(
        f"bundle: {archive} ({size / 1e6:.0f} MB, {len(dependencies) + 1} wheels) "
        f"in {time.monotonic() - started:.0f} s"
    )
    return archive


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    build_cmd = sub.add_parser("build", help="build the offline bundle")
    build_cmd.add_argument("--platform", choices=sorted(PLATFORMS), default="linux_x86_64")
    build_cmd.add_argument("--out", type=Path, default=REPO / "dist")
    lock_cmd = sub.add_parser("lock", help="pin every dependency for each platform")
    lock_cmd.add_argument("--upgrade", action="store_true", help="to their newest releases")
    args = parser.parse_args(argv)
    if args.command == "lock":
        return lock(args.upgrade)
    try:
        print(build(PLATFORMS[args.platform], args.out))
    except subprocess.CalledProcessError as exc:
        say(f"bundle: {' '.join(map(str, exc.cmd[:4]))}… failed (exit {exc.returncode})")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
