"""What differs on a Windows desk, tested here with the code forced onto its Windows
branches (the `windows_host` fixture): the SK file's access control list, the
collector's priority, the report's font found without fontconfig's tools. The
collector's pipe under a Chinese console code page is in test_collector.py, CSV
encodings in test_cli.py."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from commandcenter.domain.secret import Secret
from commandcenter.local import host, owner_only
from commandcenter.local.credentials import CredentialError, read_sk_file, resolve_sk, write_sk_file
from commandcenter.local.owner_only import ADMINISTRATORS, SYSTEM, Acl, Grant

ME = "S-1-5-21-1004336348-1177238915-682003330-1001"
SOMEONE = "S-1-5-21-1004336348-1177238915-682003330-1002"
USERS = "S-1-5-32-545"


def acl(*grants: Grant, owner: str = ME) -> Acl:
    return Acl(owner=owner, user=ME, grants=grants)


PROFILE = acl(  # what a file in the user's own profile inherits
    Grant(SYSTEM, "NT AUTHORITY\\SYSTEM", True),
    Grant(ADMINISTRATORS, "BUILTIN\\Administrators", True),
    Grant(ME, "DESK-07\\duty", True),
)


@pytest.fixture
def sk_file(tmp_path):
    file = tmp_path / "sk"
    file.write_text("s3cret\n", encoding="utf-8")
    file.chmod(0o644)  # what Windows' stat reports for any file: the mode says nothing there
    return file


def test_on_windows_an_sk_file_in_the_users_profile_is_read(windows_host, monkeypatch, sk_file):
    monkeypatch.setattr(owner_only, "read_acl", lambda file: PROFILE)
    assert read_sk_file(sk_file) == "s3cret"
    assert resolve_sk("ws-01", sk_file=sk_file, environ={}).reveal() == "s3cret"


@pytest.mark.parametrize(
    ("found", "words"),
    [
        (
            acl(*PROFILE.grants, Grant(USERS, "BUILTIN\\Users", True)),
            ["can be read by BUILTIN\\Users", "commandcenter credentials set"],
        ),
        (
            acl(Grant(ME, "DESK-07\\duty", True), Grant("S-1-1-0", "Everyone", True)),
            ["can be read by Everyone"],
        ),
        (acl(*PROFILE.grants, owner=SOMEONE), ["belongs to another user"]),
        (Acl(owner=ME, user=ME, grants=None), ["has no access control list"]),
    ],
)
def test_on_windows_an_sk_file_others_can_read_is_refused_saying_who(
    windows_host, monkeypatch, sk_file, found, words
):
    monkeypatch.setattr(owner_only, "read_acl", lambda file: found)
    with pytest.raises(CredentialError) as refused:
        read_sk_file(sk_file)
    message = str(refused.value)
    assert str(sk_file) in message
    assert all(w in message for w in words), message
    assert "s3cret" not in message


def test_on_windows_others_may_be_granted_anything_but_reading(windows_host, monkeypatch, sk_file):
    listing_only = acl(*PROFILE.grants, Grant(USERS, "BUILTIN\\Users", False))
    monkeypatch.setattr(owner_only, "read_acl", lambda file: listing_only)
    assert read_sk_file(sk_file) == "s3cret"


def test_on_windows_a_new_sk_file_is_locked_to_its_owner_before_the_secret_is_in_it(
    windows_host, monkeypatch, tmp_path
):
    restricted = []
    monkeypatch.setattr(
        owner_only, "restrict_acl", lambda file: restricted.append((file, file.read_bytes()))
    )
    target = tmp_path / "config" / "sk"
    write_sk_file(target, Secret("s3cret"))
    assert restricted == [(target.with_name("sk.tmp"), b"")]
    assert target.read_text(encoding="utf-8") == "s3cret\n"


def test_on_posix_the_mode_still_decides(sk_file):
    with pytest.raises(CredentialError, match="readable by others"):
        read_sk_file(sk_file)
    sk_file.chmod(0o600)
    assert read_sk_file(sk_file) == "s3cret"


def test_the_collector_gives_way_to_the_desktop(windows_host, monkeypatch):
    import psutil

    asked = []

    class Process:
        def nice(self, value=None):
            asked.append(value)

    monkeypatch.setattr(psutil, "Process", Process)
    host.lower_priority(5)
    assert asked == [0x4000]  # BELOW_NORMAL_PRIORITY_CLASS


def test_on_posix_the_collector_is_niced():
    probe = textwrap.dedent(
        """
        import os
        from commandcenter.local import host
        before = os.getpriority(os.PRIO_PROCESS, 0)
        host.lower_priority(5)
        print(os.getpriority(os.PRIO_PROCESS, 0) - before)
        """
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "5"


def test_the_report_font_is_found_through_qt_without_fontconfigs_tools(tmp_path):
    """No fc-match on the PATH (as on Windows): the report still gets its CJK font,
    copied from what Qt's font database loaded, without the radicals."""
    probe = textwrap.dedent(
        """
        import os, sys
        from PySide6.QtGui import QFontDatabase, QGuiApplication
        app = QGuiApplication([])
        from commandcenter.ui.widgets import pdf
        family = pdf.report_family()
        print(family)
        print(family in QFontDatabase.families())
        print(sorted(os.listdir(sys.argv[1])))
        """
    )
    env = {
        **os.environ,
        "PATH": "",
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "QT_QPA_PLATFORM": "offscreen",
    }
    done = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path / "cache" / "commandcenter" / "fonts")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    family, registered, files = done.stdout.splitlines()
    assert family == "CommandCenter Report CJK" and registered == "True"
    assert "WARNING" not in done.stderr
    from fontTools.ttLib import TTFont

    for name in ("report-NotoSansCJKSC-regular.otf", "report-NotoSansCJKSC-bold.otf"):
        assert name in files
        font = TTFont(tmp_path / "cache" / "commandcenter" / "fonts" / name, lazy=True)
        cmap = font.getBestCmap()
        assert ord("日") in cmap and ord("调") in cmap
        assert not any(0x2E80 <= code < 0x2FE0 for code in cmap)
        font.close()


def test_on_windows_the_taskbar_knows_the_program_by_its_own_id(windows_host, monkeypatch):
    import ctypes
    from types import SimpleNamespace

    named = []
    shell32 = SimpleNamespace(SetCurrentProcessExplicitAppUserModelID=named.append)
    monkeypatch.setattr(ctypes, "windll", SimpleNamespace(shell32=shell32), raising=False)
    host.set_application_id("sfj.commandcenter")
    assert named == ["sfj.commandcenter"]
