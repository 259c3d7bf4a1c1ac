"""Builds the headless parts of the client from a configuration.

The one place that decides which data center (configured, or the embedded
simulator), which store and which feeds; the desktop composition root and the
command-line tools both start here and receive their dependencies from it.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from commandcenter.config import Config
from commandcenter.credentials import resolve_sk
from commandcenter.feeds.cameras import CameraCommands, DirectCameraCommands
from commandcenter.feeds.catalog import build_feeds
from commandcenter.feeds.client import DataCenterClient
from commandcenter.feeds.coordinator import FeedCoordinator
from commandcenter.feeds.local_alerts import LocalAlertWatch, RectificationReminders, SpikeWatch
from commandcenter.feeds.outbox import OutboxSender
from commandcenter.feeds.runner import FeedRunner
from commandcenter.store import Store

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    config: Config
    store: Store
    client: DataCenterClient | None = None
    runner: FeedRunner | None = None
    outbox: OutboxSender | None = None
    embedded: object | None = None  # EmbeddedDataCenter when no data center is configured
    cameras: CameraCommands | None = None  # preview URLs and PTZ, for the video tiles
    # local alerts: unusual hours of the case statistics, rectifications falling due
    local_alerts: list[LocalAlertWatch] = field(default_factory=list)
    stop_event: threading.Event = field(default_factory=threading.Event)

    @property
    def uses_embedded(self) -> bool:
        return self.config.embedded

    @property
    def datacenter_label(self) -> str:
        if self.config.embedded:
            url = self.client.base_url if self.client else getattr(self.runner, "datacenter_url", None)
            return f"内置模拟数据中心 {url or ''}".strip()
        return self.config.datacenter_url or ""

    def start(self) -> None:
        """Start polling the data center and sending the outbox."""
        if self.runner is not None:
            self.runner.start()
        if self.outbox is not None:
            self.outbox.start()
        for watch in self.local_alerts:
            watch.start()

    def close(self) -> None:
        self.stop_event.set()
        for watch in self.local_alerts:
            watch.stop()
        if self.outbox is not None:
            self.outbox.stop()
        if self.runner is not None and self.runner.running:
            self.runner.stop()
        if isinstance(self.cameras, DirectCameraCommands):
            self.cameras.close()
        if self.client is not None:
            self.client.close()
        if self.embedded is not None:
            self.embedded.stop()
        self.store.close()


def open_store(config: Config) -> Store:
    return Store(config.db_url)


def open_runtime(
    config: Config,
    *,
    with_feeds: bool = True,
    embedded_scale: str = "city",
    embedded_seed: int | None = None,
) -> Runtime:
    """Open the store and, when asked, the data center and its feeds.

    Raises ConfigError / CredentialError for what the operator must fix.
    """
    store = open_store(config)
    runtime = Runtime(config=config, store=store)
    if not with_feeds:
        return runtime
    try:
        if config.embedded:
            from commandcenter.simulator.embedded import start_embedded

            kwargs = {"scale": embedded_scale}
            if embedded_seed is not None:
                kwargs["seed"] = embedded_seed
            embedded = start_embedded(**kwargs)
            runtime.embedded = embedded
            log.info("no data center configured: started the embedded one at %s", embedded.url)
            base_url, ak, sk = embedded.url, embedded.ak, embedded.sk
        else:
            base_url, ak = config.datacenter_url, config.ak
            if not ak:
                from commandcenter.config import ConfigError

                raise ConfigError(
                    "a data center URL is configured but no access key (AK): set [datacenter] ak, "
                    "COMMANDCENTER_AK or --ak"
                )
            sk = resolve_sk(ak, sk_file=config.sk_file)
        verify: bool | str = config.verify_tls
        if config.verify_tls and config.ca_bundle is not None:
            verify = str(config.ca_bundle)
        runtime.client = DataCenterClient(
            base_url,
            ak,
            sk,
            timeout=(min(5.0, config.timeout_s), config.timeout_s),
            verify=verify,
            stop=runtime.stop_event,
        )
        feeds = build_feeds(runtime.client, store, config.intervals)
        runtime.runner = FeedRunner(FeedCoordinator(feed, store) for feed in feeds)
        runtime.outbox = OutboxSender(runtime.client, store, poll_now=runtime.runner.poll_now)
        runtime.cameras = DirectCameraCommands(runtime.client)
        runtime.local_alerts = [SpikeWatch(store), RectificationReminders(store)]
    except BaseException:
        runtime.close()
        raise
    return runtime


def open_desktop_runtime(config: Config, *, embedded_scale: str = "city") -> Runtime:
    """The desktop's runtime: the store, with the feeds and the outbox in a collector
    process (collector.py) so that their work never holds up the GUI thread.

    Raises ConfigError / CredentialError for what the operator must fix, before any
    window opens.
    """
    from commandcenter.collector import CollectorProcess

    if not config.embedded:
        if not config.ak:
            from commandcenter.config import ConfigError

            raise ConfigError(
                "a data center URL is configured but no access key (AK): set [datacenter] ak, "
                "COMMANDCENTER_AK or --ak"
            )
        resolve_sk(config.ak, sk_file=config.sk_file)  # only to say now if there is none
    store = open_store(config)
    runtime = Runtime(config=config, store=store)
    runtime.runner = CollectorProcess(config, store, scale=embedded_scale)
    runtime.cameras = runtime.runner  # its client carries them out
    return runtime
