"""Log files: rotated by size and count as configured, at the level the command line or
the configuration says, never holding a secret; the collector process in a file of its
own; Qt's messages in the same log."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from commandcenter.cli import _start_logging, build_parser
from commandcenter.domain.secret import Secret
from commandcenter.local import logs

REPO = Path(__file__).resolve().parents[1]


def test_the_log_file_is_rotated_at_the_configured_size_keeping_the_configured_count(
    tmp_path,
):
    path = logs.configure("rotated", folder=tmp_path, max_bytes=64 * 1024, backups=2)
    assert path == tmp_path / "rotated.log"
    log = logging.getLogger("commandcenter.test")
    line = "x" * 500
    for n in range(600):  # about 330 KB: five files' worth, two kept besides the current
        log.info("%04d %s", n, line)
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["rotated.log", "rotated.log.1", "rotated.log.2"]
    assert all((tmp_path / f).stat().st_size <= 64 * 1024 for f in files)
    # the newest lines in the current file, the oldest kept in the last backup
    assert "0599 " in (tmp_path / "rotated.log").read_text(encoding="utf-8")
    assert "0000 " not in "".join((tmp_path / f).read_text(encoding="utf-8") for f in files)


def _levels_written(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    return {level for level in ("DEBUG", "INFO", "WARNING", "ERROR") if f" {level} " in text}


def _log_every_level() -> None:
    log = logging.getLogger("commandcenter.levels")
    log.debug("a debug line")
    log.info("an info line")
    log.warning("a warning line")
    log.error("an error line")


def test_the_level_comes_from_the_command_line_else_the_configuration_else_info(tmp_path, capsys):
    config = tmp_path / "config.toml"
    folder = tmp_path / "logs"
    config.write_text(
        f'[logging]\nlevel = "debug"\nmax_bytes = 100000\nbackups = 3\nfolder = "{folder}"\n',
        encoding="utf-8",
    )
    parser = build_parser()

    _start_logging(parser.parse_args(["collect", "--config", str(config)]), "collect")
    _log_every_level()
    assert _levels_written(folder / "collector.log") == {"DEBUG", "INFO", "WARNING", "ERROR"}
    handler = next(
        h
        for h in logging.getLogger().handlers
        if isinstance(h, logging.handlers.RotatingFileHandler)
    )
    assert (handler.maxBytes, handler.backupCount) == (100000, 3)
    # the terminal keeps to warnings unless the command line says otherwise
    err = capsys.readouterr().err
    assert "a warning line" in err and "an info line" not in err

    # sync says why a feed failed in one closing line: the feeds' warnings stay off its
    # terminal (their errors and everyone else's warnings show), its file keeps them all
    _start_logging(parser.parse_args(["sync", "--once", "--config", str(config)]), "sync")
    _log_every_level()
    feeds = logging.getLogger("commandcenter.feeds.client")
    feeds.warning("a feed's warning")
    feeds.error("a feed's error")
    assert _levels_written(folder / "sync.log") == {"DEBUG", "INFO", "WARNING", "ERROR"}
    assert "a feed's warning" in (folder / "sync.log").read_text(encoding="utf-8")
    err = capsys.readouterr().err
    assert "a warning line" in err and "a feed's error" in err
    assert "a feed's warning" not in err

    _start_logging(
        parser.parse_args(["export", "points", "--config", str(config), "--log-level", "error"]),
        "export",
    )
    _log_every_level()
    assert _levels_written(folder / "export.log") == {"ERROR"}

    os.environ.pop("COMMANDCENTER_CONFIG", None)
    _start_logging(
        parser.parse_args(["audit", "verify", "--config", str(tmp_path / "absent.toml")]), "audit"
    )
    _log_every_level()  # a configuration that cannot be read: the defaults, the file still written
    assert _levels_written(logs.current_log_file()) == {"INFO", "WARNING", "ERROR"}


def test_a_configured_logging_section_is_checked(tmp_path):
    from commandcenter.config import ConfigError, load_config

    for body, complaint in (
        ('level = "LOUD"', "level must be one of"),
        ("max_bytes = 10", "max_bytes must be from 65536"),
        ("backups = 0", "backups must be from 1 to 100"),
        ('colour = "red"', "unknown key 'colour'"),
    ):
        file = tmp_path / "config.toml"
        file.write_text(f"[logging]\n{body}\n", encoding="utf-8")
        with pytest.raises(ConfigError, match=complaint):
            load_config(file, environ={})


def test_no_secret_reaches_the_log_file(tmp_path, monkeypatch):
    sk = "sk-0123456789abcdef-never-logged"
    Secret(sk)
    monkeypatch.setenv("CC_ISC_APP_SECRET", "isc-secret-987654")
    path = logs.configure("secrets", folder=tmp_path)
    log = logging.getLogger("commandcenter.secrets")
    log.warning("signing with %s failed", sk)
    log.warning("ISC answered for appSecret isc-secret-987654")
    log.warning("store postgresql://cc:pg-password-1@db.local/cc unreachable")
    log.warning('request body {"password": "hunter2-xyz", "token": "tok-abcdef"}')
    try:
        raise ValueError(f"bad signature for {sk}")
    except ValueError:
        log.exception("a traceback with the secret in it")
    text = path.read_text(encoding="utf-8")
    for secret in (sk, "isc-secret-987654", "pg-password-1", "hunter2-xyz", "tok-abcdef"):
        assert secret not in text, secret
    assert text.count("***") >= 6 and "signing with *** failed" in text


def test_the_collector_process_logs_into_its_own_file(
    tmp_path, monkeypatch, sk, city_world_factory, datacenter_factory
):
    from commandcenter.collector.parent import CollectorProcess
    from commandcenter.config import Config
    from commandcenter.store import Store
    from tests.conftest import AK

    server = datacenter_factory(city_world_factory())
    monkeypatch.setenv("COMMANDCENTER_SK", sk)
    db = f"sqlite:///{tmp_path / 'desk.db'}"
    store = Store(db)
    folder = tmp_path / "logs"
    config = Config(datacenter_url=server.url, ak=AK, db_url=db, log_folder=folder)
    collector = CollectorProcess(config, store)
    collector.start()
    try:
        assert collector.ready.wait(60)
        file = folder / "collector.log"
        text = file.read_text(encoding="utf-8")
        assert f"collecting for the desktop from {server.url}" in text
        assert sk not in text
        assert sorted(p.name for p in folder.iterdir()) == ["collector.log"]
    finally:
        collector.stop()
        store.close()


@pytest.mark.qt_log_ignore("^the platform plugin said something$")  # the test's own
def test_qt_messages_go_into_the_log(qtbot, caplog):
    from PySide6.QtCore import qWarning

    from commandcenter.ui.shell.qt_messages import bridge_qt_messages

    bridge_qt_messages()
    caplog.set_level(logging.WARNING, logger="qt")
    qWarning("the platform plugin said something")
    assert any(
        r.name == "qt"
        and r.levelno == logging.WARNING
        and "the platform plugin said" in r.getMessage()
        for r in caplog.records
    )


def test_the_desktop_writes_its_log_with_qt_messages_in_it(tmp_path, display):
    """The real client, started and closed under the test's display: its log file holds
    its own lines and Qt's (a category-named logger)."""
    env = {
        **display,
        "COMMANDCENTER_LOG_DIR": str(tmp_path / "logs"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "QT_LOGGING_RULES": "qt.qpa.*=true",  # Qt's platform plugin says a few things at start
    }
    script = (
        "import sys, PySide6.QtCore as c\n"
        "from commandcenter import cli\n"
        "import commandcenter.app as app\n"
        "def run_desktop(config, **kw):\n"
        "    from commandcenter.app import make_application\n"
        "    a = make_application(config)\n"
        "    c.qWarning('a warning of Qt\\'s own')\n"
        "    return 0\n"
        "app.run_desktop = run_desktop\n"
        "sys.exit(cli.main(['--log-level', 'DEBUG']))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "logs" / "commandcenter.log").read_text(encoding="utf-8")
    assert " WARNING " in text and "qt: a warning of Qt's own" in text
    assert " qt.qpa." in text  # a category's messages under its own name
