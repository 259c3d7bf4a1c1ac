"""The interface's language changes in place (the translators' LanguageChange): the wall
plays on, the layout and the tiles stay; Qt's own dialogs speak Chinese; the operator is
the person signed in."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("PySide6.QtWidgets")

from PySide6.QtCore import QSettings, Qt

from commandcenter.config import Config
from commandcenter.feeds.catalog import build_feeds
from commandcenter.feeds.coordinator import FeedCoordinator
from commandcenter.feeds.runner import FeedRunner
from commandcenter.runtime import Runtime


def _english(text: str) -> bool:
    return bool(text) and re.search(r"[\u4e00-\u9fff]", text) is None


def _arrangement(window) -> dict:
    """Each dock's area, the docks in tabs with it, and where it is."""
    return {
        key: (
            window.dockWidgetArea(dock),
            sorted(d.objectName() for d in window.tabifiedDockWidgets(dock)),
            dock.geometry().getRect(),
        )
        for key, dock in window.docks.items()
        if dock.isVisible()
    }


@pytest.fixture
def desk(qtbot, qapp, tmp_path, store, video_datacenter, client_factory, camera_commands):
    """The console on a data center with live video, in Chinese."""
    from commandcenter.ui.shell.window import MainWindow
    from commandcenter.ui.widgets import i18n

    i18n.install(qapp, i18n.CHINESE)
    client = client_factory(video_datacenter.url, retries=0)
    runner = FeedRunner(FeedCoordinator(f, store) for f in build_feeds(client, store, {}))
    runner.run_once()
    runtime = Runtime(
        config=Config(datacenter_url=video_datacenter.url, ak="test", operator="值班员甲"),
        store=store,
        client=client,
        runner=runner,
        cameras=camera_commands,
    )
    window = MainWindow(
        runtime, settings=QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    )
    qtbot.addWidget(window)
    window.resize(1600, 900)
    window.show()
    yield window
    for tile in window.panels["wall"].tiles:
        tile.close_stream()
    window.close()


def test_the_language_changes_in_place_and_the_wall_plays_on(desk, qtbot, qapp, store):
    window = desk
    wall, alerts, directory = (window.panels[k] for k in ("wall", "alerts", "directory"))
    qtbot.waitUntil(lambda: wall.tiles[0].frames > 0, timeout=20_000)
    qtbot.waitUntil(lambda: directory.model.rowCount() > 0, timeout=10_000)
    tiles = list(wall.tiles)
    cameras = [t.camera.camera_id if t.camera else None for t in tiles]
    arrangement = _arrangement(window)
    stale = {k for k, p in window.panels.items() if p.banner.isVisible()}
    assert window.docks["alerts"].windowTitle() == "告警"
    assert window.menuBar().actions()[0].text() == "视图(&V)"

    window.choose_language("en")
    qtbot.waitUntil(lambda: window.docks["alerts"].windowTitle() == "Alerts", timeout=5_000)
    assert window.windowTitle().startswith("Justice Bureau Command Center")
    assert window.menuBar().actions()[0].text() == "&View"
    assert [a.text() for a in window.menus.language_actions.actions() if a.isChecked()] == [
        "English"
    ]
    assert alerts.acknowledge.text() == "Acknowledge…"
    assert window.alert_banner.ack.text() == "Acknowledge…"
    assert window.alert_banner.mute_button.text() == "Mute"
    assert directory.model.headerData(0, Qt.Orientation.Horizontal) == "Name"
    assert _english(directory.search.placeholderText())
    assert _english(wall.layout_choice.itemText(0))
    qtbot.waitUntil(
        lambda: directory.model.rowCount() > 0 and _english(directory.count.text()),
        timeout=10_000,
    )
    rows = dict(window.menus.shortcut_rows)
    assert rows["Ctrl+K"] == "Acknowledge the selected alert"
    assert rows["Ctrl+5"] == "Show or hide: Alerts"
    # the same tiles with the same cameras, still playing; each panel where it was
    assert wall.tiles == tiles
    assert [t.camera.camera_id if t.camera else None for t in wall.tiles] == cameras
    frames = tiles[0].frames
    qtbot.waitUntil(lambda: tiles[0].frames > frames, timeout=10_000)
    # the same arrangement; edges move only by what the words' widths ask
    after = _arrangement(window)
    assert {k: v[:2] for k, v in after.items()} == {k: v[:2] for k, v in arrangement.items()}
    for key, (_area, _tabs, rect) in after.items():
        before = arrangement[key][2]
        assert all(abs(a - b) <= 40 for a, b in zip(rect, before, strict=True)), key
    # no banner that was not there before, and those there in English
    assert {k for k, p in window.panels.items() if p.banner.isVisible()} <= stale
    qtbot.waitUntil(
        lambda: all(_english(window.panels[k].banner.text()) for k in stale), timeout=5_000
    )
    assert [e.action for e in store.audit_log()][-1] == "ui.language"

    window.choose_language("zh_CN")
    qtbot.waitUntil(lambda: window.docks["alerts"].windowTitle() == "告警", timeout=5_000)
    assert window.menuBar().actions()[0].text() == "视图(&V)"
    assert alerts.acknowledge.text() == "确认…"
    assert directory.model.headerData(0, Qt.Orientation.Horizontal) == "名称"
    assert window.alert_banner.mute_button.text() == "静音"
    assert wall.tiles == tiles


def test_qt_own_dialogs_speak_chinese(qapp):
    from PySide6.QtPrintSupport import QPrintDialog
    from PySide6.QtWidgets import QColorDialog, QFileDialog, QLabel, QMessageBox

    from commandcenter.ui.widgets import i18n

    i18n.install(qapp, i18n.CHINESE)
    files = QFileDialog()
    files.setOption(QFileDialog.Option.DontUseNativeDialog)
    labels = {label.text() for label in files.findChildren(QLabel)}
    assert {"查找范围(&L)：", "文件类型(&T)："} <= labels
    box = QMessageBox()
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    assert {b.text() for b in box.buttons()} == {"是(&Y)", "否(&N)"}
    colour = QColorDialog()
    assert "基本颜色(&B)" in {label.text() for label in colour.findChildren(QLabel)}
    printing = QPrintDialog()
    assert "页面集(&S)：" in {label.text() for label in printing.findChildren(QLabel)}
    for dialog in (files, box, colour, printing):
        dialog.deleteLater()


def test_every_audited_action_has_a_name_in_both_languages(qapp):
    """The audit log's Action column never shows an internal key such as wall.place."""
    import re

    from commandcenter.domain import roles
    from commandcenter.ui.operations.audit import action_name
    from commandcenter.ui.widgets import i18n

    audited = (
        set(roles.PERMISSIONS) - {"alert.handle"}  # a permission, never audited itself
        | set(roles.LOCAL_ACTIONS)
        | set(roles.COVERED_BY)
        | set(roles.ACCOUNT_ACTIONS)
    )
    i18n.install(qapp, i18n.ENGLISH)
    english = {action: action_name(action) for action in sorted(audited)}
    assert not [a for a, name in english.items() if name == a], english
    i18n.install(qapp, i18n.CHINESE)
    chinese = {action: action_name(action) for action in sorted(audited)}
    assert not [a for a, name in chinese.items() if not re.search("[\u4e00-\u9fff]", name)], chinese


def test_the_operator_is_the_person_signed_in(monkeypatch, store):
    import getpass
    import pwd

    from commandcenter.local import host
    from commandcenter.ui.widgets.panel import Console
    from commandcenter.ui.workers.bridge import BackgroundReader, StoreBridge

    monkeypatch.setattr(getpass, "getuser", lambda: "zhangsan")
    entry = pwd.getpwuid(0)

    def account(gecos: str):
        return lambda _login: pwd.struct_passwd((*entry[:4], gecos, *entry[5:]))

    monkeypatch.setattr(pwd, "getpwnam", account("张三,,,"))
    assert host.signed_in_person() == "张三"
    monkeypatch.setattr(pwd, "getpwnam", account(""))
    assert host.signed_in_person() == "zhangsan"
    # none configured: the audit log and the commands name the person, never "operator"
    monkeypatch.setattr(pwd, "getpwnam", account("张三,,,"))
    reader = BackgroundReader()
    console = Console(store, StoreBridge(store), reader)
    try:
        assert console.operator == "张三" and console.on_duty().name == "张三"
        console.audit("alerts.mute", None, {})
        assert store.audit_log()[-1].user == "张三"
        configured = Console(store, StoreBridge(store), reader, operator="值班员甲")
        assert configured.on_duty().name == "值班员甲"
    finally:
        reader.close(5_000)
        console.snapshots.close()
