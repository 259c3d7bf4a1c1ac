"""Shared fixtures: the simulated data center over real HTTP on loopback, a store."""

from __future__ import annotations

import atexit
import os
import secrets
import shutil
import tempfile
from datetime import UTC, datetime, timedelta

import pytest

from commandcenter.domain.secret import Secret
from commandcenter.map.engine import prepare_web_engine

# The tests keep out of the user's own folders: configuration, data (the audit log's
# key and heads among them) and logs go to a folder of the run's own.
_HOME = tempfile.mkdtemp(prefix="commandcenter-tests-")
atexit.register(shutil.rmtree, _HOME, ignore_errors=True)
for _variable, _folder in (
    ("XDG_CONFIG_HOME", "config"),
    ("XDG_DATA_HOME", "data"),
    ("XDG_STATE_HOME", "state"),
):
    os.environ[_variable] = os.path.join(_HOME, _folder)

# QtWebEngine (the map) must be set up before pytest-qt makes the QApplication
prepare_web_engine()

# the log files of this run and of the processes it starts: a folder of its own, not the user's
if not os.environ.get("COMMANDCENTER_LOG_DIR"):
    os.environ["COMMANDCENTER_LOG_DIR"] = tempfile.mkdtemp(prefix="commandcenter-test-logs-")
    atexit.register(shutil.rmtree, os.environ["COMMANDCENTER_LOG_DIR"], ignore_errors=True)

AK = "test-workstation"


class ManualClock:
    """A world clock that moves only when a test says so."""

    def __init__(self, start: datetime | None = None):
        self.now = start or datetime(2026, 11, 24, 10, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture(scope="session")
def city_world_factory():
    """Worlds are deterministic from their seed; building one costs a few seconds,
    so tests that do not change the world share one per session."""
    from commandcenter.simulator.world import World

    cache: dict = {}

    def make(*, dirty: bool = False, clock=None, fresh: bool = False) -> World:
        if fresh or clock is not None:
            return World(seed=7, scale="city", dirty=dirty, clock=clock)
        key = dirty
        if key not in cache:
            cache[key] = World(seed=7, scale="city", dirty=dirty)
        return cache[key]

    return make


@pytest.fixture(scope="session")
def postgres():
    """A real PostgreSQL server of the session's own, on loopback. Its folder is not
    under pytest's (owner-only) temporary folders: as root, the server runs as the
    postgres user, who must reach it."""
    import shutil
    import tempfile
    from pathlib import Path

    from tests.postgres import PostgresServer

    root = Path(tempfile.mkdtemp(prefix="commandcenter-pg-"))
    server = PostgresServer(root / "cluster").start()
    yield server
    server.stop()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def pg_url(postgres) -> str:
    """A fresh, empty database on the session's PostgreSQL server."""
    return postgres.new_database()


@pytest.fixture
def sk() -> str:
    return secrets.token_urlsafe(24)


@pytest.fixture
def datacenter_factory(sk):
    """Start simulated data centers on 127.0.0.1; all are stopped after the test."""
    from commandcenter.simulator.server import DataCenterServer

    servers = []

    def start(world, **kw) -> DataCenterServer:
        server = DataCenterServer(
            world, host="127.0.0.1", port=kw.pop("port", 0), credentials={AK: sk}, **kw
        )
        server.start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def store(tmp_path):
    from commandcenter.store import Store

    s = Store(f"sqlite:///{tmp_path / 'store.db'}")
    yield s
    s.close()


@pytest.fixture
def client_factory(sk):
    from commandcenter.feeds.client import DataCenterClient

    clients = []

    def make(url: str, *, secret: str | None = None, **kw) -> DataCenterClient:
        client = DataCenterClient(url, AK, Secret(secret or sk), **kw)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


# -- the video wall against the simulator's MJPEG streams (test_video, test_tours) --


@pytest.fixture
def video_datacenter(city_world_factory, datacenter_factory):
    from commandcenter.simulator.video import MjpegVideo

    return datacenter_factory(city_world_factory(fresh=True), video=MjpegVideo())


@pytest.fixture
def camera_commands(video_datacenter, client_factory):
    from commandcenter.feeds.cameras import DirectCameraCommands

    commands = DirectCameraCommands(client_factory(video_datacenter.url, retries=0))
    yield commands
    commands.close()


@pytest.fixture
def wall(qtbot, store, video_datacenter, client_factory, camera_commands):
    from commandcenter.feeds.catalog import build_feeds
    from commandcenter.feeds.coordinator import FeedCoordinator
    from commandcenter.feeds.runner import FeedRunner
    from commandcenter.ui.video.wall import WallPanel
    from commandcenter.ui.widgets.panel import Console
    from commandcenter.ui.workers.bridge import BackgroundReader, StoreBridge

    client = client_factory(video_datacenter.url, retries=0)
    FeedRunner(FeedCoordinator(f, store) for f in build_feeds(client, store, {})).run_once()
    console = Console(store, StoreBridge(store), BackgroundReader(), cameras=camera_commands)
    panel = WallPanel(console)
    panel.resize(1280, 760)
    qtbot.addWidget(panel)
    panel.show()
    yield panel
    for tile in panel.tiles:
        tile.close_stream()
    console.reader.close(5_000)
    console.snapshots.close()


@pytest.fixture
def windows_host(monkeypatch):
    """The code takes its Windows branches (commandcenter/local/host.py); a test replaces the
    Windows calls themselves, which cannot run here."""
    from commandcenter.local import host

    monkeypatch.setattr(host, "is_windows", lambda: True)
