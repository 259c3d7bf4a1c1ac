"""Unexpected errors: one dialog on the GUI thread whatever thread failed, saying what and
where the log is, with a report to copy that holds no secret; and `--diagnostics` for a
support call, with or without a display."""

from __future__ import annotations

import threading

import pytest

from commandcenter.domain.secret import Secret
from commandcenter.local import logs
from tests.conftest import AK
from tests.test_cli import run_cli

SK = "sk-TEST-3f9a1c77d2e04b5e8a61"


@pytest.fixture
def reporter(qtbot, tmp_path, monkeypatch):
    """A crash reporter as the desktop installs it, logging into a file of the test's, with
    a known SK in play (a Secret, in the environment, raw in the log file's tail)."""
    import logging

    from commandcenter.ui.shell.crash_dialog import CrashReporter

    root = logging.getLogger()
    before = list(root.handlers)
    log_file = logs.configure("desk", folder=tmp_path)
    with log_file.open("a", encoding="utf-8") as f:  # as if an older version had logged it raw
        f.write(f"2026-11-24 10:00:00 INFO old line: signing with {SK}\n")
    Secret(SK)
    monkeypatch.setenv("COMMANDCENTER_SK", SK)
    monkeypatch.setenv("ISC_APP_SECRET", "isc-app-secret-000111")
    crashes = CrashReporter(
        lambda: {"data center": "https://cc:dc-pass-42@dc.sfj.local", "store": "sqlite:///x"}
    )
    crashes.install()
    yield crashes
    crashes.uninstall()
    if crashes.dialog is not None:
        crashes.dialog.close()
    for handler in [h for h in root.handlers if h not in before]:
        root.removeHandler(handler)
        handler.close()
    logs.configure.__globals__["_current_file"] = None
    logging.captureWarnings(False)


def _secrets_in(text: str) -> list[str]:
    return [s for s in (SK, "isc-app-secret-000111", "dc-pass-42", "pw-in-url") if s in text]


def _fail_in_slot() -> None:
    password = "pw-in-url"
    raise ValueError(f"the data center refused signature {SK} for postgresql://cc:{password}@db/cc")


def test_an_error_in_a_slot_shows_the_dialog_and_its_report_holds_no_secret(
    qtbot, reporter, tmp_path
):
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QLabel

    QTimer.singleShot(0, _fail_in_slot)  # Qt calls sys.excepthook, as for any slot
    qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible())
    dialog = reporter.dialog
    report = reporter.reports[0]
    assert report.summary.startswith("ValueError: the data center refused signature ***")
    assert "tests/test_crash.py" not in report.where or "_fail_in_slot" in report.where
    assert report.thread == "MainThread"
    # what, where, the log file: in the dialog's words
    shown = "\n".join(label.text() for label in dialog.findChildren(QLabel))
    assert "ValueError" in shown and str(tmp_path / "desk.log") in shown
    # the report: versions, the traceback, the log's last lines, none of the secrets
    text = report.text
    assert "commandcenter crash report" in text and "Traceback (most recent call last)" in text
    assert "old line: signing with ***" in text
    assert _secrets_in(text) == []
    assert _secrets_in(dialog.details.toPlainText()) == []
    assert _secrets_in(shown) == []
    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert copied == text and _secrets_in(copied) == []
    # the log file has the traceback too, scrubbed
    logged = (tmp_path / "desk.log").read_text(encoding="utf-8")
    assert "_fail_in_slot" in logged and "unexpected error in thread MainThread" in logged
    assert [s for s in _secrets_in(logged)] == [SK]  # only the raw line written before


def test_errors_in_other_threads_come_to_one_dialog_on_the_gui_thread(qtbot, reporter):
    from PySide6.QtCore import QThread
    from PySide6.QtWidgets import QApplication

    shown_on = []
    original = reporter._show

    def show(report):
        shown_on.append(QThread.currentThread() is QApplication.instance().thread())
        original(report)

    reporter._arrived.disconnect()
    from PySide6.QtCore import Qt

    reporter._arrived.connect(show, Qt.ConnectionType.QueuedConnection)

    def fail(n: int) -> None:
        raise RuntimeError(f"worker {n} lost its way with {SK}")

    threads = [threading.Thread(target=fail, args=(n,), name=f"worker-{n}") for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    qtbot.waitUntil(lambda: len(reporter.reports) == 3)
    assert shown_on == [True, True, True]
    assert sorted(r.thread for r in reporter.reports) == ["worker-0", "worker-1", "worker-2"]
    dialog = reporter.dialog
    assert dialog.isVisible() and dialog.later == 2
    assert "2" in dialog.later_line.text()
    assert all(_secrets_in(r.text) == [] for r in reporter.reports)
    dialog.continue_button.click()
    assert not dialog.isVisible()


def _diagnostics(env: dict[str, str], *args: str):
    return run_cli("--diagnostics", *args, env=env, timeout=120)


def test_diagnostics_without_a_display_print_all_else_and_no_secret(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(
        '[datacenter]\nurl = "https://dc.sfj.local:8443"\nak = "desk-07"\n'
        '[store]\nurl = "postgresql://cc:store-pass-99@db.sfj.local/cc"\n'
        '[map]\ntiles = "tianditu"\ntianditu_key = "tdt-key-abcdef123"\n',
        encoding="utf-8",
    )
    env = dict(
        DISPLAY="",
        WAYLAND_DISPLAY="",
        QT_QPA_PLATFORM="",
        COMMANDCENTER_SK=SK,
        COMMANDCENTER_CONFIG=str(config),
        XDG_DATA_HOME=str(tmp_path / "data"),
        COMMANDCENTER_LOG_DIR=str(tmp_path / "logs"),
    )
    done = _diagnostics(env)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    for section in (
        "[versions]",
        "[folders]",
        "[data center]",
        "[store]",
        "[screens]",
        "[graphics]",
    ):
        assert section in out
    assert "commandcenter        0.1.0" in out and "PySide6 / Qt" in out and "FFmpeg" in out
    assert "SQLAlchemy" in out and "Python" in out
    assert "https://dc.sfj.local:8443" in out and "desk-07" in out
    assert "SK                   found (not shown)" in out
    assert "db.sfj.local/cc" in out and str(tmp_path / "logs") in out
    assert "no display" in out
    for secret in (SK, "store-pass-99", "tdt-key-abcdef123"):
        assert secret not in out and secret not in done.stderr


def test_diagnostics_on_a_display_name_its_screens_and_renderer(tmp_path, display):
    env = {"XDG_DATA_HOME": str(tmp_path / "data"), "COMMANDCENTER_SK": ""}
    done = _diagnostics(env, "--datacenter", "http://127.0.0.1:9", "--ak", AK)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "platform             xcb" in out
    assert "screen 1 (primary)" in out and "1920×1080 at (0, 0)" in out
    assert "OpenGL" in out and ("software" in out or "GPU" in out)
    assert "SK                   not found" in out


def test_diagnostics_say_when_the_display_does_not_answer(tmp_path):
    env = {"DISPLAY": ":254", "QT_QPA_PLATFORM": "", "XDG_DATA_HOME": str(tmp_path / "data")}
    done = _diagnostics(env)
    assert done.returncode == 0, done.stderr
    assert ":254 cannot be used" in done.stdout
    assert "[graphics]" in done.stdout and "not probed" in done.stdout


def test_a_broken_configuration_is_named_and_the_rest_still_printed(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text("[logging]\nlevel = 3\n", encoding="utf-8")
    done = _diagnostics({"COMMANDCENTER_CONFIG": str(config), "DISPLAY": ""})
    assert done.returncode == 0
    assert "configuration problem" in done.stdout and "level must be a str" in done.stdout
    assert "[versions]" in done.stdout


def test_the_scrubber_hides_every_kind_of_secret():
    from commandcenter.local.redaction import scrub

    Secret("remembered-secret-value")
    text = scrub(
        "remembered-secret-value | https://user:pw@host/x | password=abc123 | "
        '"sk": "s-123456" | Authorization: Bearer eyJhbGciOi.payload.sig | '
        "env-secret-value | /work/folder",
        environ={"MY_TOKEN": "env-secret-value", "PWD": "/work/folder", "TERM": "xterm"},
    )
    assert text == (
        "*** | https://***@host/x | password=*** | "
        '"sk": "***" | Authorization: Bearer *** | '
        "*** | /work/folder"
    )
