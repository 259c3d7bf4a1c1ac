"""The first sync of an empty store, shown over the console as the collector process
reports it: feeds in, records stored, then gone; and not shown on a store with data."""

from __future__ import annotations

import re
from typing import ClassVar

from PySide6.QtCore import QSettings

from commandcenter.config import Config
from commandcenter.runtime import Runtime
from tests.conftest import AK, ManualClock
from tests.test_about import chinese  # noqa: F401 - the fixture


def _number(text: str) -> int:
    found = re.search(r"已存储 ([\d,]+) 条记录", text)
    return int(found.group(1).replace(",", "")) if found else -1


def test_the_first_sync_shows_feeds_and_records_coming_in_then_goes(
    qtbot,
    tmp_path,
    monkeypatch,
    sk,
    city_world_factory,
    datacenter_factory,
    chinese,  # noqa: F811
):
    from commandcenter.collector.parent import CollectorProcess
    from commandcenter.store import Store
    from commandcenter.ui.shell import first_sync
    from commandcenter.ui.shell.window import MainWindow

    monkeypatch.setattr(first_sync, "GONE_AFTER_MS", 500)
    server = datacenter_factory(city_world_factory(clock=ManualClock()))
    monkeypatch.setenv("COMMANDCENTER_SK", sk)
    db = f"sqlite:///{tmp_path / 'desk.db'}"
    store = Store(db)
    config = Config(datacenter_url=server.url, ak=AK, db_url=db)
    runtime = Runtime(config=config, store=store, runner=CollectorProcess(config, store))
    window = MainWindow(
        runtime, settings=QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    )
    qtbot.addWidget(window)
    window.show()
    card = window.first_sync
    assert card is not None and card.isVisible()
    feeds = len(runtime.runner.coordinators)
    assert card.feeds_line.text() == "正在启动数据采集进程…"
    assert card.source.text() == f"数据中心：{server.url}"
    # over the middle of the window, above the panels
    assert abs(card.geometry().center().x() - window.width() // 2) <= 2
    seen_feeds: set[int] = set()
    seen_records: set[int] = set()

    def follow() -> bool:
        card.refresh()
        seen_feeds.add(card.feeds_done())
        seen_records.add(_number(card.records_line.text()))
        return card.finished

    runtime.start()
    try:
        qtbot.waitUntil(follow, timeout=60_000)
        assert card.title.text() == "首次同步完成"
        assert card.feeds_line.text() == f"已完成 {feeds} / {feeds} 个数据源"
        # it counted up as the feeds came in, not all at once at the end
        assert len(seen_feeds) > 2 and max(seen_feeds) == feeds
        assert len([n for n in seen_records if n > 0]) > 1
        points = len(server.world.service_points())
        stored = _number(card.records_line.text())
        assert stored >= points and f"服务点位 {points:,}" in card.records_line.text()
        assert card.rows["service_points"].text() == f"✓ {points:,} 条"
        qtbot.waitUntil(lambda: window.findChild(first_sync.FirstSyncCard) is None, timeout=5_000)
    finally:
        window.close()
        runtime.close()

    # the next start: the store has data, no card
    store = Store(db)
    runtime = Runtime(config=config, store=store, runner=CollectorProcess(config, store))
    window = MainWindow(
        runtime, settings=QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    )
    qtbot.addWidget(window)
    try:
        assert window.first_sync is None
    finally:
        window.close()
        runtime.close()


def test_a_failing_feed_is_named_on_the_card(qtbot, store, chinese):  # noqa: F811
    from datetime import UTC, datetime

    from PySide6.QtWidgets import QWidget

    from commandcenter.feeds.coordinator import FeedStatus, PollResult
    from commandcenter.feeds.mirrors import FeedMirror
    from commandcenter.ui.shell.first_sync import FirstSyncCard, needs_first_sync

    class Feeds:
        coordinators: ClassVar[dict[str, FeedMirror]] = {
            "health": FeedMirror("health", 5, None),
            "service_points": FeedMirror("service_points", 15, None),
        }

    feeds = Feeds()
    assert needs_first_sync(feeds)
    parent = QWidget()
    parent.resize(1366, 768)
    qtbot.addWidget(parent)
    card = FirstSyncCard(store, feeds, "https://dc.sfj.local", parent)
    feeds.coordinators["health"].update(
        FeedStatus("health", 5, True, datetime.now(UTC), None, 0, PollResult(records_in=1))
    )
    feeds.coordinators["service_points"].update(
        FeedStatus("service_points", 15, False, None, "HTTP 503 from /service-points", 3, None)
    )
    store.announce("service_points", [f"P{n}" for n in range(40)])
    card.refresh()
    assert (
        card.rows["service_points"].text()
        == "✗ 失败，将重试：HTTP 503 from /service-points（已尝试 3 次）"
    )
    assert card.feeds_line.text() == "已完成 1 / 2 个数据源"
    assert card.records_line.text() == "已存储 40 条记录（服务点位 40）"
    assert not needs_first_sync(feeds)
