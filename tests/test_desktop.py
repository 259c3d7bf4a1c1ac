"""The client on the desktop: its icon, and one window per user and store."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest
from PySide6.QtCore import QSize

from commandcenter.ui.shell import desktop
from commandcenter.ui.shell.desktop import AlreadyRunning, SingleInstance, instance_key

# a second start, in a process of its own as it would be
SECOND_START = textwrap.dedent(
    """
    import sys
    from commandcenter.ui.shell.desktop import AlreadyRunning, SingleInstance
    try:
        SingleInstance.claim(sys.argv[1], answer_within_ms=int(sys.argv[2]))
    except AlreadyRunning as exc:
        print("answered" if exc.answered else "silent", exc, flush=True)
    else:
        print("claimed", flush=True)
    """
)

# a first start that listens, then dies without cleaning up
DYING_START = textwrap.dedent(
    """
    import sys, time
    from PySide6.QtCore import QCoreApplication
    from commandcenter.ui.shell.desktop import SingleInstance
    app = QCoreApplication([])
    claim = SingleInstance.claim(sys.argv[1])
    print("listening" if claim.listen() else "deaf", flush=True)
    time.sleep(600)
    """
)


@pytest.fixture
def key(tmp_path) -> str:
    return instance_key(f"sqlite:///{tmp_path}/cc.db")


def second_start(key: str, answer_within_ms: int = 10_000) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", SECOND_START, key, str(answer_within_ms)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_one_key_per_user_and_store():
    assert instance_key("sqlite:////a/cc.db") == instance_key("sqlite:////a/cc.db")
    assert instance_key("sqlite:////a/cc.db") != instance_key("sqlite:////b/cc.db")
    assert instance_key(None) != instance_key("postgresql://cc@db/cc")


def test_a_second_start_brings_the_first_window_to_the_front(qtbot, key):
    first = SingleInstance.claim(key)
    try:
        assert first.listen()
        with qtbot.waitSignal(first.activation_requested, timeout=15_000):
            second = second_start(key)
        out, err = second.communicate(timeout=15)
        assert out.startswith("answered"), (out, err)
        assert "brought to the front" in out
        assert second.returncode == 0
    finally:
        first.release()
    # released: the next start is the first again
    again = second_start(key)
    out, _ = again.communicate(timeout=15)
    assert out.strip() == "claimed"


def test_a_first_start_that_does_not_answer_is_named_not_waited_for_forever(key):
    first = SingleInstance.claim(key)  # holds the lock, never listens: a hung client
    try:  # how soon: benchmarks/give_up.py (second_start_beside_a_silent_first_1_5s)
        second = second_start(key, answer_within_ms=1500)
        out, err = second.communicate(timeout=20)
        assert out.startswith("silent"), (out, err)
        assert "--new-instance" in out
    finally:
        first.release()


def test_the_claim_of_a_client_that_died_is_taken_over(qtbot, key):
    with subprocess.Popen(
        [sys.executable, "-c", DYING_START, key], stdout=subprocess.PIPE, text=True
    ) as dying:
        try:
            assert dying.stdout.readline().strip() == "listening"
            with pytest.raises(AlreadyRunning):
                SingleInstance.claim(key, answer_within_ms=500)  # alive, but never answers
        finally:
            os.kill(dying.pid, signal.SIGKILL)
    claim = SingleInstance.claim(key)  # its lock and socket are left behind
    try:
        assert claim.listen()
        with qtbot.waitSignal(claim.activation_requested, timeout=15_000):
            second = second_start(key)
        assert second.communicate(timeout=15)[0].startswith("answered")
    finally:
        claim.release()


def test_the_application_icon_has_every_size(qapp):
    icon = desktop.application_icon()
    sizes = {(s.width(), s.height()) for s in icon.availableSizes()}
    assert sizes == {(n, n) for n in desktop.ICON_SIZES}
    image = icon.pixmap(QSize(48, 48)).toImage()
    assert image.width() == 48
    # the shield fills the middle; the corners stay transparent
    assert image.pixelColor(24, 24).alpha() == 255
    assert image.pixelColor(0, 47).alpha() == 0
