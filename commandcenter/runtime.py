"""Builds the headless parts of the client from a configuration.

The one place that decides which data center (configured, or the embedded
simulator), which store and which feeds; the desktop composition root and the
command-line tools both start here and receive their dependencies from it.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from commandcenter.config import Config
from commandcenter.domain.bureau_time import use_zone
from commandcenter.domain.transport import risk_in_words, transport_risk
from commandcenter.feeds.cameras import CameraCommands, DirectCameraCommands
from commandcenter.feeds.catalog import FEED_LABELS, build_feeds
from commandcenter.feeds.client import DataCenterClient
from commandcenter.feeds.coordinator import FeedCoordinator
from commandcenter.feeds.duty_events import DutyEvents
from commandcenter.feeds.local_alerts import LocalAlertWatch, RectificationReminders, SpikeWatch
from commandcenter.feeds.outbox import OutboxSender
from commandcenter.feeds.runner import FeedRunner
from commandcenter.local.credentials import resolve_sk
from commandcenter.store import Store, StoreOutdated
from commandcenter.store.engine import store_url
from commandcenter.store.shared import Leadership, wait_for_leadership

if TYPE_CHECKING:
    from commandcenter.collector.parent import CollectorProcess
    from commandcenter.simulator.embedded import EmbeddedDataCenter

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    config: Config
    store: Store
    client: DataCenterClient | None = None
    # the feeds' runner here, or the collector process that runs them (desktop)
    runner: FeedRunner | CollectorProcess | None = None
    outbox: OutboxSender | None = None
    embedded: EmbeddedDataCenter | None = None  # when no data center is configured
    cameras: CameraCommands | None = None  # preview URLs and PTZ, for the video tiles
    # local alerts: unusual hours of the case statistics, rectifications falling due
    local_alerts: list[LocalAlertWatch] = field(default_factory=list)
    stop_event: threading.Event = field(default_factory=threading.Event)
    # on a shared store: this process polls only while it leads (store/shared.py)
    leading: threading.Event = field(default_factory=threading.Event)
    _lead_thread: threading.Thread | None = None

    def __post_init__(self) -> None:
        use_zone(self.config.time_zone)  # every time shown from here on is the bureau's

    @property
    def uses_embedded(self) -> bool:
        return self.config.embedded

    @property
    def datacenter_label(self) -> str:
        if self.config.embedded:
            url = (
                self.client.base_url
                if self.client
                else getattr(self.runner, "datacenter_url", None)
            )
            return f"内置模拟数据中心 {url or ''}".strip()
        return self.config.datacenter_url or ""

    def start(self) -> None:
        """Start polling the data center and sending the outbox: at once on a store of
        this machine's own; on a shared store, once this process leads the collectors."""
        if isinstance(self.runner, FeedRunner) and self.store.shared:
            self._lead_thread = threading.Thread(
                target=self._lead, name="collector-lead", daemon=True
            )
            self._lead_thread.start()
            return
        self._start_duties()

    def _start_duties(self) -> None:
        if self.runner is not None:
            self.runner.start()
        if self.outbox is not None:
            self.outbox.start()
        for watch in self.local_alerts:
            watch.start()

    def _stop_duties(self) -> None:
        for watch in self.local_alerts:
            watch.stop()
        if self.outbox is not None:
            self.outbox.stop()
        if self.runner is not None and self.runner.running:
            self.runner.stop()

    def _lead(self) -> None:
        """Stand by until this collector holds the lead, poll while it does; a lost lead
        (the server restarted, the network went) stops the polling and stands by again."""
        leadership = Leadership(self.store.engine)
        check_s = lead_check_interval(self.config.intervals)
        try:
            while wait_for_leadership(leadership, self.stop_event, check_s):
                log.warning("this collector leads: polling %s", self.datacenter_label)
                self.store.announce_everything()
                self.leading.set()
                self._start_duties()
                while not self.stop_event.wait(check_s):
                    if not leadership.holds():
                        log.warning("this collector lost the lead; standing by")
                        break
                self.leading.clear()
                self._stop_duties()
        finally:
            leadership.release()

    def close(self) -> None:
        self.stop_event.set()
        if self._lead_thread is not None:
            self._lead_thread.join(15)
        self._stop_duties()
        if isinstance(self.cameras, DirectCameraCommands):
            self.cameras.close()
        if self.client is not None:
            self.client.close()
        if self.embedded is not None:
            self.embedded.stop()
        self.store.close()


def lead_check_interval(intervals: dict[str, float]) -> float:
    """How often a standby collector asks for the lead (and a leader checks it still has
    it): half the fastest feed's interval, so that a standby takes over within two."""
    return min(5.0, max(0.25, min(intervals.values(), default=2.0) / 2))


def open_store(config: Config, *, read_only: bool = False) -> Store:
    """`read_only`: the store is not written (an export, a check), so that one on
    read-only media can be read. One written by an older version is upgraded first
    where it can be written."""
    if not read_only:
        return Store(config.db_url)
    try:
        return Store(config.db_url, read_only=True)
    except StoreOutdated:
        Store(config.db_url).close()  # upgraded; a store that cannot be written says why
        return Store(config.db_url, read_only=True)


def open_runtime(
    config: Config,
    *,
    with_feeds: bool = True,
    embedded_scale: str = "city",
    embedded_seed: int | None = None,
    read_only: bool = False,
    announce_transport: bool = True,
) -> Runtime:
    """Open the store (`read_only`: without feeds, never writing it) and, when asked,
    the data center and its feeds.

    Raises ConfigError / CredentialError / StoreError for what the operator must fix.
    """
    store = open_store(config, read_only=read_only and not with_feeds)
    if with_feeds and announce_transport:
        warn_of_transport(config)
    runtime = Runtime(config=config, store=store)
    if not with_feeds:
        return runtime
    store.listen_for_changes()  # on a shared store: the desks' commands wake the outbox at once
    try:
        if config.datacenter_url is None:  # the embedded data center
            from commandcenter.simulator.embedded import start_embedded

            kwargs: dict[str, Any] = {"scale": embedded_scale}
            if embedded_seed is not None:
                kwargs["seed"] = embedded_seed
            embedded = start_embedded(**kwargs)
            runtime.embedded = embedded
            log.info("no data center configured: started the embedded one at %s", embedded.url)
            base_url, ak, sk = embedded.url, embedded.ak, embedded.sk
        else:
            if not config.ak:
                from commandcenter.config import ConfigError

                raise ConfigError(
                    "a data center URL is configured but no access key (AK): set [datacenter] ak, "
                    "COMMANDCENTER_AK or --ak"
                )
            base_url, ak = config.datacenter_url, config.ak
            sk = resolve_sk(ak, sk_file=config.sk_file)
        runtime.client = _client(config, base_url, ak, sk, runtime.stop_event)
        feeds = build_feeds(runtime.client, store, config.intervals)
        gate = runtime.client.gate
        # the health samples go to the store through the duty log's events: a feed
        # that goes down or comes back is logged there, by the polling side only
        health = DutyEvents(store, {name: str(label) for name, label in FEED_LABELS.items()})
        runtime.runner = FeedRunner(
            FeedCoordinator(feed, health, held_until=lambda: gate.until) for feed in feeds
        )
        runtime.outbox = OutboxSender(runtime.client, store, poll_now=runtime.runner.poll_now)
        runtime.cameras = DirectCameraCommands(runtime.client)
        runtime.local_alerts = [SpikeWatch(store), RectificationReminders(store)]
    except BaseException:
        runtime.close()
        raise
    return runtime


def warn_of_transport(config: Config) -> str | None:
    """Log, once, when the data center is reached over plain HTTP or unverified TLS
    from beyond this machine; the risk (domain.transport), for the window to show."""
    risk = transport_risk(config.datacenter_url, config.verify_tls)
    if risk is not None and config.datacenter_url:
        log.warning("%s", risk_in_words(config.datacenter_url, risk))
    return risk


def _client(config: Config, base_url: str, ak: str, sk, stop: threading.Event) -> DataCenterClient:
    verify: bool | str = config.verify_tls
    if config.verify_tls and config.ca_bundle is not None:
        verify = str(config.ca_bundle)  # an intranet CA
    return DataCenterClient(
        base_url,
        ak,
        sk,
        timeout=(min(5.0, config.timeout_s), config.timeout_s),
        verify=verify,
        max_response_bytes=config.max_response_mib * 2**20,
        stop=stop,
    )


def open_desktop_runtime(config: Config, *, embedded_scale: str = "city") -> Runtime:
    """The desktop's runtime: the store, with the feeds and the outbox in a collector
    process (collector/) so that their work never holds up the GUI thread.

    Raises ConfigError / CredentialError for what the operator must fix, before any
    window opens.
    """
    from commandcenter.collector.parent import CollectorProcess

    if not config.poll:
        return _open_reading_desk(config)
    if not config.embedded:
        if not config.ak:
            from commandcenter.config import ConfigError

            raise ConfigError(
                "a data center URL is configured but no access key (AK): set [datacenter] ak, "
                "COMMANDCENTER_AK or --ak"
            )
        resolve_sk(config.ak, sk_file=config.sk_file)  # only to say now if there is none
    warn_of_transport(config)  # the collector process it starts does not say it again
    store = open_store(config)
    store.listen_for_changes()  # on a shared store, the other desks' and collectors' writes
    runtime = Runtime(config=config, store=store)
    runtime.runner = CollectorProcess(config, store, scale=embedded_scale)
    runtime.cameras = runtime.runner  # its client carries them out
    return runtime


def _open_reading_desk(config: Config) -> Runtime:
    """A desk that polls nothing: the shared store, its change notices, and a client of
    its own only for the cameras (preview URLs and PTZ are asked when a tile plays)."""
    from commandcenter.config import ConfigError

    if not config.db_url or store_url(config.db_url).get_backend_name() != "postgresql":
        raise ConfigError(
            "with polling off ([feeds] poll = false or --no-poll) the store must be the shared "
            "PostgreSQL store a collector fills: set [store] url or --db to a postgresql:// URL"
        )
    if config.datacenter_url is None or not config.ak:
        raise ConfigError(
            "with polling off the desk still plays the data center's cameras: set [datacenter] url "
            "and ak (or --datacenter and --ak)"
        )
    sk = resolve_sk(config.ak, sk_file=config.sk_file)
    warn_of_transport(config)
    store = open_store(config)
    store.listen_for_changes()
    runtime = Runtime(config=config, store=store)
    try:
        runtime.client = _client(config, config.datacenter_url, config.ak, sk, runtime.stop_event)
        runtime.cameras = DirectCameraCommands(runtime.client)
    except BaseException:
        runtime.close()
        raise
    return runtime
