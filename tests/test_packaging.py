"""The package as built: the sdist and the wheel built from it carry every data file and
the compiled translations; the offline bundle's locks still satisfy pyproject.toml."""

from __future__ import annotations

import re
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
import bundle  # tools/ is not a package: found on the path set above

REPO = bundle.REPO
DATA = [
    "geo/suzhou_counties.geojson",
    "geo/jiangsu_counties.geojson",
    "geo/ATTRIBUTION.md",
    "map/commandcenter-map.js",
    "map/commandcenter-map.css",
    "map/vendor/leaflet/leaflet.js",
    "map/vendor/leaflet/LICENSE",
    "map/vendor/leaflet.markercluster/leaflet.markercluster.js",
    "map/vendor/leaflet.heat/leaflet-heat.js",
    "sounds/alert.wav",
    "sounds/alert-escalated.wav",
    "translations/commandcenter_zh_CN.qm",
    "icons/commandcenter.svg",
    "icons/commandcenter-16.png",
    "icons/commandcenter-256.png",
]


@pytest.mark.slow
def test_the_sdist_and_the_wheel_built_from_it_carry_the_data(tmp_path):
    """`python -m build` makes the sdist from a clean copy, then the wheel from the sdist:
    the .qm are compiled into both, from the .ts the sdist carries."""
    source = bundle.clean_copy(tmp_path / "clone")
    assert not list(source.rglob("*.qm"))  # compiled files are never in git
    out = tmp_path / "dist"
    done = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(source)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    (sdist,) = out.glob("commandcenter-*.tar.gz")
    (wheel,) = out.glob("commandcenter-*-py3-none-any.whl")
    with tarfile.open(sdist) as tar:
        top = tar.getnames()[0].split("/")[0]
        in_sdist = {name.removeprefix(f"{top}/") for name in tar.getnames()}
    with zipfile.ZipFile(wheel) as whl:
        in_wheel = set(whl.namelist())
    for name in DATA:
        assert f"commandcenter/data/{name}" in in_sdist, name
        assert f"commandcenter/data/{name}" in in_wheel, name
    assert "translations/commandcenter_zh_CN.ts" in in_sdist
    assert not any(name.endswith(".ts") for name in in_wheel)
    assert not any(name.startswith(("tests/", "tools/", "benchmarks/")) for name in in_wheel)


def pins(lock: Path) -> dict[str, str]:
    found = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        if line and not line[0].isspace() and "==" in line:
            name, version = line.split(" ")[0].split("==")
            found[canonicalize_name(name)] = version
    return found


@pytest.mark.parametrize("name", sorted(bundle.PLATFORMS))
def test_each_platforms_lock_satisfies_the_projects_requirements(name):
    """A dependency added or raised in pyproject.toml without `./dev.sh lock` fails here,
    not at a desk."""
    platform = bundle.PLATFORMS[name]
    with open(REPO / "pyproject.toml", "rb") as f:
        project = tomllib.load(f)["project"]
    wanted = [
        *project["dependencies"],
        *project["optional-dependencies"][bundle.EXTRAS],
    ]
    locked = pins(platform.lock)
    env = bundle.marker_environment(platform)
    for text in wanted:
        requirement = Requirement(text)
        if requirement.marker is not None and not requirement.marker.evaluate(env):
            continue
        version = locked.get(canonicalize_name(requirement.name))
        assert version is not None, f"{requirement.name} is not in {platform.lock.name}"
        assert requirement.specifier.contains(version, prereleases=True), (
            f"{platform.lock.name} pins {requirement.name}=={version}, "
            f"pyproject.toml asks for {requirement}: run ./dev.sh lock"
        )
    assert ("pywin32" in locked) == name.startswith("win")


def fake_wheel(folder: Path, filename: str, *requires: str) -> Path:
    """A wheel holding only its metadata: enough for the bundle's resolution check."""
    name, version = filename.split("-")[:2]
    wheel = folder / filename
    with zipfile.ZipFile(wheel, "w") as whl:
        body = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}"]
        body += [f"Requires-Dist: {line}" for line in requires]
        whl.writestr(f"{name}-{version}.dist-info/METADATA", "\n".join(body) + "\n")
    return wheel


def test_the_bundle_is_resolved_for_its_platform_before_it_is_packed(tmp_path):
    project = fake_wheel(
        tmp_path,
        "commandcenter-0.1.0-py3-none-any.whl",
        "keyring>=24",
        "pywin32>=306; sys_platform == 'win32'",
        "psycopg2-binary>=2.9; extra == 'postgres'",
        "pytest>=8; extra == 'test'",
    )
    keyring = fake_wheel(
        tmp_path,
        "keyring-25.7.0-py3-none-any.whl",
        "SecretStorage>=3.2; sys_platform == 'linux'",
        "pywin32-ctypes>=0.2.0; sys_platform == 'win32'",
    )
    pywin32 = fake_wheel(tmp_path, "pywin32-312-cp311-cp311-win_amd64.whl")
    ctypes = fake_wheel(tmp_path, "pywin32_ctypes-0.2.3-py3-none-any.whl")
    psycopg = fake_wheel(tmp_path, "psycopg2_binary-2.9.13-cp311-cp311-win_amd64.whl")
    windows = bundle.PLATFORMS["win_amd64"]
    bundle.verify(windows, [project, keyring, pywin32, ctypes, psycopg], project)
    # the Linux markers ask for what a Windows bundle lacks, and its wheels are Windows'
    linux = bundle.PLATFORMS["linux_x86_64"]
    with pytest.raises(
        SystemExit, match=re.escape("pywin32-312-cp311-cp311-win_amd64.whl does not install")
    ):
        bundle.verify(linux, [project, keyring, pywin32, ctypes, psycopg], project)
    psycopg_linux = fake_wheel(
        tmp_path, "psycopg2_binary-2.9.13-cp311-cp311-manylinux_2_17_x86_64.whl"
    )
    with pytest.raises(SystemExit, match=r"needs SecretStorage>=3\.2.*lacks"):
        bundle.verify(linux, [project, keyring, psycopg_linux], project)
    # an extra the bundle was not built with asks for nothing
    with pytest.raises(SystemExit, match=re.escape("needs psycopg2-binary>=2.9")):
        bundle.verify(windows, [project, keyring, pywin32, ctypes], project)


def test_a_missing_data_file_is_named_not_mistaken_for_a_port(tmp_path, monkeypatch, capsys):
    """An installation without its data (a wheel built wrong) says which file is missing;
    it once said 'cannot listen on 127.0.0.1:0'."""
    from commandcenter import cli, resources

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("COMMANDCENTER_SK", raising=False)
    monkeypatch.setattr(resources, "DATA", tmp_path / "no-data")
    assert cli.main(["datacenter", "--port", "0"]) == cli.EXIT_CONFIG
    message = capsys.readouterr().err
    assert "lacks its data file geo/suzhou_counties.geojson" in message
    assert "install the package again" in message
    assert "cannot listen" not in message and "Traceback" not in message
