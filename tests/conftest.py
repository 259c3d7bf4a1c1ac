"""Shared fixtures: the simulated data center over real HTTP on loopback, a store; and
what every test gets back as it was after it (the environment, logging, the UI's
language, Qt's settings, the garbage collector)."""

from __future__ import annotations

import atexit
import gc
import logging
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


def _screen_of_this_worker() -> None:
    """Under pytest-xdist each worker opens its windows on a virtual screen of its own, as
    large as the run's: keyboard focus, the pointer and the screen shots of one worker's
    tests are not another's. Its X server goes with the worker."""
    if not os.environ.get("PYTEST_XDIST_WORKER") or shutil.which("Xvfb") is None:
        return
    from tests import xvfb

    server, os.environ["DISPLAY"] = xvfb.start(1920, 1080)
    atexit.register(xvfb.stop, server)


_screen_of_this_worker()

# QtWebEngine (the map) must be set up before pytest-qt makes the QApplication
prepare_web_engine()

# the log files of this run and of the processes it starts: a folder of its own, not the user's
if not os.environ.get("COMMANDCENTER_LOG_DIR"):
    os.environ["COMMANDCENTER_LOG_DIR"] = tempfile.mkdtemp(prefix="commandcenter-test-logs-")
    atexit.register(shutil.rmtree, os.environ["COMMANDCENTER_LOG_DIR"], ignore_errors=True)

AK = "test-workstation"

# -- what a test may change in the process, put back after each -----------------------

# Tests that need a display are marked `gui` by what they use, so that `-m "not gui"`
# runs the rest where there is none: the QApplication (pytest-qt's qapp, which qtbot
# asks for), or `display` for a test whose child process opens windows.
DISPLAY_FIXTURES = frozenset({"qapp", "display"})


@pytest.hookimpl(tryfirst=True)  # before `-m` selects by marker
def pytest_collection_modifyitems(config, items):
    for item in items:
        if DISPLAY_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.gui)


@pytest.fixture
def display() -> dict[str, str]:
    """The environment a child process opens its windows with: this run's display."""
    if not (os.environ.get("DISPLAY") or os.environ.get("QT_QPA_PLATFORM")):
        pytest.fail("needs a display: run under xvfb-run, or deselect with -m 'not gui'")
    return dict(os.environ)


@pytest.fixture(autouse=True)
def _environment_restored():
    """Variables set, changed or removed by a test (or by code it runs) are put back."""
    saved = dict(os.environ)
    yield
    for name in set(os.environ) - set(saved):
        del os.environ[name]
    for name, value in saved.items():
        if os.environ.get(name) != value:
            os.environ[name] = value


@pytest.fixture(autouse=True)
def _own_folders(tmp_path, monkeypatch):
    """Configuration, data (the audit log's key and heads) and state of the test's own:
    what one test writes there no other test reads."""
    for variable, folder in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_STATE_HOME", "state"),
    ):
        monkeypatch.setenv(variable, str(tmp_path / "home" / folder))


@pytest.fixture(autouse=True)
def _logging_restored():
    """Handlers, levels and switches of every logger, and the warnings' capture, as they
    were: the client's own log set-up (logs.configure) changes the process's logging."""
    from commandcenter.local import logs

    manager = logging.Logger.manager
    loggers = [manager.root] + [
        lg for lg in manager.loggerDict.values() if isinstance(lg, logging.Logger)
    ]
    saved = {lg: (lg.level, list(lg.handlers), lg.propagate, lg.disabled) for lg in loggers}
    disabled_below, capturing = manager.disable, logging._warnings_showwarning is not None
    current_file = logs._current_file
    yield
    for lg in [manager.root, *manager.loggerDict.values()]:
        if not isinstance(lg, logging.Logger):
            continue
        # a logger made during the test keeps what its module gave it, but the handlers
        # the test added (a library's NullHandler is its module's)
        level, handlers, propagate, disabled = saved.get(
            lg,
            (
                lg.level,
                [h for h in lg.handlers if type(h) is logging.NullHandler],
                lg.propagate,
                lg.disabled,
            ),
        )
        for handler in lg.handlers[:]:
            if handler not in handlers:
                lg.removeHandler(handler)
                handler.close()
        for handler in handlers:
            if handler not in lg.handlers:
                lg.addHandler(handler)
        if lg.level != level:  # setLevel clears every logger's cache
            lg.setLevel(level)
        lg.propagate, lg.disabled = propagate, disabled
    if manager.disable != disabled_below:
        logging.disable(disabled_below)
    if capturing != (logging._warnings_showwarning is not None):
        logging.captureWarnings(capturing)
    logs._current_file = current_file


@pytest.fixture(autouse=True)
def _language_restored():
    """The UI's language, the translators on the application and the default locale, as
    they were: a test in Chinese leaves the next one as it found it."""
    from PySide6.QtCore import QCoreApplication, QLocale

    from commandcenter.ui.widgets import i18n

    language, translators, locale = i18n.language(), list(i18n._installed), QLocale()
    yield
    if i18n._installed != translators:
        app = QCoreApplication.instance()
        if translators:
            i18n.install(app, language)
        else:
            i18n.uninstall(app)
    i18n._language = language
    if QLocale() != locale:
        QLocale.setDefault(locale)


@pytest.fixture(autouse=True)
def _qt_settings_of_its_own(tmp_path):
    """QSettings() (the window's layout, workspaces, tours) in a folder of the test's own,
    and the application's names, by which QSettings() finds its file, as they were."""
    from PySide6.QtCore import QCoreApplication, QSettings

    names = (QCoreApplication.organizationName(), QCoreApplication.applicationName())
    _qt_settings_in(tmp_path / "qt-settings")
    yield
    _qt_settings_in(_QT_SETTINGS)
    if (QCoreApplication.organizationName(), QCoreApplication.applicationName()) != names:
        QCoreApplication.setOrganizationName(names[0])
        QCoreApplication.setApplicationName(names[1])
    QSettings.setDefaultFormat(QSettings.Format.NativeFormat)


_QT_SETTINGS = os.path.join(_HOME, "qt-settings")


def _qt_settings_in(folder) -> None:
    from PySide6.QtCore import QSettings

    for form in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
            QSettings.setPath(form, scope, str(folder))


_qt_settings_in(_QT_SETTINGS)


@pytest.fixture(autouse=True)
def _garbage_collector_restored():
    """Automatic collection as it was, until the process has a QApplication; from then on
    off, as the desktop has it (bridge.GuiThreadGarbageCollector), and what each test left
    in cycles is collected here, on the GUI thread. Otherwise a cycle holding a widget,
    freed by the first automatic collection in whichever thread ran it (a feed's worker),
    deadlocked against the GUI thread deleting another widget: Qt's lock and the
    interpreter's waited on each other, and the run hung for good (twice, in
    test_shared_desks, with a menu left by an earlier test)."""
    from PySide6.QtCore import QCoreApplication

    enabled, thresholds, frozen = gc.isenabled(), gc.get_threshold(), gc.get_freeze_count()
    yield
    from commandcenter.ui.workers.bridge import GuiThreadGarbageCollector

    handed_over = GuiThreadGarbageCollector._installed is not None or not gc.isenabled()
    GuiThreadGarbageCollector.uninstall()  # which turns automatic collection on again
    if frozen:
        gc.freeze()
    qt = QCoreApplication.instance() is not None
    if handed_over or qt:
        gc.collect()  # all of it, here on the GUI thread
    gc.set_threshold(*thresholds)
    if not enabled or qt:
        gc.disable()


def wait_until(condition, timeout: float = 10.0, what: str = "the condition") -> None:
    """Wait for `condition` where no Qt event loop runs (qtbot.waitUntil where one does):
    asked every 10 ms until it holds, failing with `what` after `timeout` seconds."""
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(0.01)


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

    def start(world, *, more_credentials: dict[str, str] | None = None, **kw) -> DataCenterServer:
        server = DataCenterServer(
            world,
            host="127.0.0.1",
            port=kw.pop("port", 0),
            credentials={AK: sk, **(more_credentials or {})},
            **kw,
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
def rtsp_server():
    """GStreamer's RTSP server (simulator/rtsp.py) on loopback, for the tiles' RTSP streams."""
    from commandcenter.simulator.rtsp import RtspServer, system_python

    if system_python() is None:
        pytest.skip("GStreamer's RTSP server is not installed (the test set-up installs it)")
    server = RtspServer().start()
    yield server
    server.stop()


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
