"""The status bar's account of the feeds: a lamp per feed, where the data comes from and how
the connection is, and a warning for plain http:// beyond this machine. Refreshed every
second; on a shared store from what the store records of the collectors' polls."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLabel, QMainWindow

from commandcenter.domain import bureau_time
from commandcenter.domain.freshness import Freshness
from commandcenter.ui.operations.health import FeedLamp, transport_warning
from commandcenter.ui.people.roster import RosterLine
from commandcenter.ui.widgets import i18n
from commandcenter.ui.widgets.panel import Console
from commandcenter.ui.widgets.style import FRESHNESS_COLOURS
from commandcenter.ui.widgets.text import ElidedLabel
from commandcenter.ui.workers.bridge import BackgroundReader


class StatusLine(QObject):
    """The lamps and the connection's state in the window's status bar. `on_tick` is
    called with the time at every refresh (the panels show their feeds' freshness)."""

    def __init__(
        self,
        window: QMainWindow,
        runtime,
        console: Console,
        stored_feeds,
        reader: BackgroundReader,
        on_tick: Callable[[datetime], None],
    ):
        super().__init__(window)
        self.runtime = runtime
        self.console = console
        self.stored_feeds = stored_feeds
        self.reader = reader
        self._on_tick = on_tick
        self.connection_lamp = QLabel()
        self.connection = ElidedLabel()  # names the data center or the store: shortens
        self.connection.setObjectName("connectionState")
        window.statusBar().addWidget(self.connection_lamp)
        window.statusBar().addWidget(self.connection, 1)
        # who is on duty now in the desk's scope, and whether the person signed in is
        self.roster_line = RosterLine(console)
        window.statusBar().addPermanentWidget(self.roster_line, 1)
        feeds = console.runner
        self.lamps = [FeedLamp(c) for c in (feeds.coordinators.values() if feeds else [])]
        for lamp in self.lamps:
            window.statusBar().addPermanentWidget(lamp)
        # plain http:// beyond this machine
        self.transport_warning = transport_warning(runtime.config)
        if self.transport_warning is not None:
            window.statusBar().addPermanentWidget(self.transport_warning)
        # the bureau's time, at the right as a desktop's clock: the times in the panels are
        # the bureau's too, whatever this machine's zone
        self.clock = QLabel()
        self.clock.setObjectName("bureauClock")
        window.statusBar().addPermanentWidget(self.clock)
        self.show_time(datetime.now(UTC))
        self._clock = QTimer(self)
        self._clock.timeout.connect(self.refresh)
        self._clock.start(1000)

    def refresh(self) -> None:
        if self.stored_feeds is not None:  # read off the GUI thread; shown when read
            self.reader.read(
                "feed-status",
                self.stored_feeds.read,
                self._show_stored_feeds,
                lambda message: self._show_feed_status(store_problem=message),
                paced=False,
            )
            return
        self._show_feed_status()

    def show_time(self, now: datetime) -> None:
        self.clock.setText(bureau_time.bureau_text(now, "%m-%d %H:%M"))
        self.clock.setToolTip(
            self.tr("%1 (%2), the time every panel shows")
            .replace("%1", bureau_time.bureau_text(now, "%Y-%m-%d %H:%M:%S"))
            .replace("%2", bureau_time.zone_label(i18n.language()))
        )

    def _show_stored_feeds(self, statuses) -> None:
        self.stored_feeds.apply(statuses)
        self._show_feed_status()

    def _show_feed_status(self, store_problem: str | None = None) -> None:
        now = datetime.now(UTC)
        self.show_time(now)
        for feed_lamp in self.lamps:
            feed_lamp.refresh(now)
        self._on_tick(now)
        runtime = self.runtime
        feeds = self.console.runner
        if feeds is None:
            self._show_connection("", self.tr("Not connected to a data center"))
            return
        health = feeds.coordinators.get("health")
        reading = health.status.freshness(now) if health else None
        state = reading.state if reading else Freshness.DOWN
        lamp = f"<span style='color:{FRESHNESS_COLOURS[state]}'>■</span>"
        if runtime.store.shared:
            where = self.tr("Shared store %1").replace("%1", runtime.store.url_for_display)
            if store_problem is not None:  # the lamps age on from what was last read
                lamp = f"<span style='color:{FRESHNESS_COLOURS[Freshness.DOWN]}'>■</span>"
                words = self.tr("cannot be read: %1").replace("%1", store_problem)
            elif state is Freshness.FRESH:
                words = self.tr("a collector polls the data center")
            elif reading is None or reading.age_s is None:
                words = self.tr("no collector has polled the data center yet")
            else:
                words = self.tr("last successful poll by any collector: %1").replace(
                    "%1", i18n.age(reading.age_s)
                )
            self._show_connection(lamp, f"{where} · {words}")
            return
        where = (
            self.tr("Embedded data center")
            if runtime.uses_embedded
            else runtime.config.datacenter_url
        )
        words = {
            Freshness.FRESH: self.tr("connected"),
            Freshness.STALE: self.tr("connection unstable"),
            Freshness.DOWN: self.tr("connection lost"),
        }[state]
        self._show_connection(lamp, f"{where} · {words}")

    def _show_connection(self, lamp: str, words: str) -> None:
        self.connection_lamp.setText(lamp)
        self.connection.setText(words)
