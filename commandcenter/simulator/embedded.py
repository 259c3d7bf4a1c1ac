"""Starting the simulated data center: in-process (the client's default when no
data center is configured) or on its own (`commandcenter datacenter`)."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime

from commandcenter.domain.secret import Secret
from commandcenter.simulator.hls import HlsVideo
from commandcenter.simulator.server import DataCenterServer
from commandcenter.simulator.storage import real_now
from commandcenter.simulator.video import MjpegVideo
from commandcenter.simulator.world import World

log = logging.getLogger("commandcenter.simulator")

EMBEDDED_AK = "commandcenter-embedded"


@dataclass
class EmbeddedDataCenter:
    server: DataCenterServer
    world: World
    ak: str
    sk: Secret  # random per process, only in memory

    @property
    def url(self) -> str:
        return self.server.url

    def stop(self) -> None:
        self.server.stop()


def build_world(
    *, seed: int, scale: str, dirty: bool, frozen: bool = False, speed: float = 1.0
) -> World:
    """`frozen`: the world's clock stands still; `speed`: it runs this many times as fast
    as real time (a soak compresses a day into half an hour with 48)."""
    clock = None
    start = real_now()
    if frozen:

        def clock() -> datetime:
            return start
    elif speed != 1.0:

        def clock() -> datetime:
            return start + (real_now() - start) * speed

    return World(seed=seed, scale=scale, dirty=dirty, clock=clock)


def start_embedded(
    *, seed: int = 20261124, scale: str = "city", dirty: bool = False, host: str = "127.0.0.1"
) -> EmbeddedDataCenter:
    world = build_world(seed=seed, scale=scale, dirty=dirty)
    sk = secrets.token_urlsafe(32)
    server = DataCenterServer(
        world, host=host, port=0, credentials={EMBEDDED_AK: sk}, video=MjpegVideo(), hls=HlsVideo()
    )
    server.start()
    return EmbeddedDataCenter(server=server, world=world, ak=EMBEDDED_AK, sk=Secret(sk))


def start_standalone(
    *,
    host: str,
    port: int,
    seed: int,
    scale: str,
    dirty: bool,
    ak: str,
    sk: str,
    rtsp_base_url: str | None = None,
    frozen: bool = False,
    speed: float = 1.0,
    contract: str = "1.1",
) -> DataCenterServer:
    """`commandcenter datacenter`: the world built and served (speaking the contract's
    version `contract`, "1.0" or "1.1"); raises OSError when the address cannot be bound."""
    world = build_world(seed=seed, scale=scale, dirty=dirty, frozen=frozen, speed=speed)
    server = DataCenterServer(
        world,
        host=host,
        port=port,
        credentials={ak: sk},
        rtsp_base_url=rtsp_base_url,
        video=MjpegVideo(),
        hls=HlsVideo(),
        contract=contract,
    )
    return server.start()
