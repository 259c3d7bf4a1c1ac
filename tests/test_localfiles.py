"""The client's own files: owner-only; a store on read-only media read without writing;
a warning for a data center reached without TLS's protection."""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from commandcenter.domain.secret import Secret
from commandcenter.domain.transport import PLAIN_HTTP, UNVERIFIED_TLS, transport_risk
from commandcenter.store import Store
from commandcenter.store.audit_seal import AuditSeal

REPO = Path(__file__).resolve().parents[1]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_store_and_its_folder_are_the_owners_only(tmp_path):
    from tests.test_store import sp

    os.umask(0o022)  # the usual: files 0644, folders 0755
    store = Store(f"sqlite:///{tmp_path / 'new' / 'store.db'}")
    store.upsert_service_points([sp()])
    store.append_audit(user="甲", role="duty_officer", action="wall.place", target="1")
    files = [p for p in (tmp_path / "new").iterdir()]
    assert {p.name for p in files} >= {"store.db", "store.db-wal", "store.db-shm"}
    assert mode(tmp_path / "new") == 0o700
    assert {p.name: mode(p) for p in files} == {p.name: 0o600 for p in files}
    store.close()


def test_a_store_left_readable_by_others_is_tightened_and_so_is_the_clients_own_folder(
    tmp_path,
):
    import platformdirs

    own = Path(platformdirs.user_data_dir("commandcenter"))
    own.mkdir(parents=True, exist_ok=True)
    os.chmod(own, 0o755)
    db = own / "commandcenter.db"
    Store(f"sqlite:///{db}").close()
    os.chmod(db, 0o644)
    Store(f"sqlite:///{db}").close()
    assert mode(own) == 0o700 and mode(db) == 0o600
    # a folder that is not the client's own (here, pytest's) is left as it is
    os.chmod(tmp_path, 0o755)
    Store(f"sqlite:///{tmp_path / 'x.db'}").close()
    assert mode(tmp_path) == 0o755 and mode(tmp_path / "x.db") == 0o600


def _read_only_mount_works() -> bool:
    if not shutil.which("unshare"):
        return False
    done = subprocess.run(
        ["unshare", "-rm", "sh", "-c", "mount --bind / /mnt 2>/dev/null || mount -t tmpfs x /mnt"],
        capture_output=True,
    )
    return done.returncode == 0


@pytest.mark.skipif(not _read_only_mount_works(), reason="no mount namespace on this machine")
def test_a_store_on_read_only_media_is_exported_and_verified(tmp_path):
    """The folder is mounted read-only (a mount namespace of the command's own): the
    command line exports and verifies the store there, and not a byte of it changes."""
    from tests.test_store import sp

    media = tmp_path / "media"
    media.mkdir()
    key = "the desk's audit key"
    heads = tmp_path / "data" / "commandcenter" / "audit-heads"
    store = Store(
        f"sqlite:///{media / 'store.db'}", audit_seal=AuditSeal(lambda c: Secret(key), heads)
    )
    store.upsert_service_points([sp("SP-1"), sp("SP-2")])
    for n in range(3):
        store.append_audit(user="甲", role="duty_officer", action="wall.place", target=str(n))
    store.close()
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in media.iterdir()}
    env = {
        **os.environ,
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "COMMANDCENTER_AUDIT_KEY": key,
    }

    def on_read_only_media(*args: str) -> subprocess.CompletedProcess:
        command = " ".join(
            ["exec", sys.executable, "-m", "commandcenter", *(f"'{a}'" for a in args)]
        )
        return subprocess.run(
            [
                "unshare",
                "-rm",
                "sh",
                "-c",
                f"mount --bind {media} {media} && mount -o remount,bind,ro {media} {media} "
                f"&& touch {media}/probe 2>/dev/null && echo writable; {command}",
            ],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    exported = on_read_only_media("export", "points", "--db", f"sqlite:///{media / 'store.db'}")
    assert exported.returncode == 0, exported.stderr
    assert "writable" not in exported.stdout  # the mount is read-only indeed
    assert '"pointId": "SP-2"' in exported.stdout
    verified = on_read_only_media("audit", "verify", "--db", f"sqlite:///{media / 'store.db'}")
    assert verified.returncode == 0, verified.stderr
    assert "intact: 3 entries" in verified.stdout
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in media.iterdir()}
    assert after == before


def test_a_read_only_open_of_no_store_says_so(tmp_path):
    from commandcenter.store import StoreError

    with pytest.raises(StoreError, match="there is no store at"):
        Store(f"sqlite:///{tmp_path / 'none.db'}", read_only=True)
    assert not (tmp_path / "none.db").exists()


def test_only_a_data_center_beyond_this_machine_without_tls_checks_is_a_risk():
    assert transport_risk("http://dc.sfj.local:8443", True) == PLAIN_HTTP
    assert transport_risk("http://10.2.3.4:8443", True) == PLAIN_HTTP
    assert transport_risk("https://dc.sfj.local:8443", False) == UNVERIFIED_TLS
    assert transport_risk("https://dc.sfj.local:8443", True) is None
    for local in ("http://127.0.0.1:8443", "http://localhost:1", "http://[::1]:8443"):
        assert transport_risk(local, False) is None
    assert transport_risk(None, False) is None  # the embedded data center


def _address_beyond_loopback() -> str | None:
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.1", 9))  # no packet is sent: only the route is chosen
        address = probe.getsockname()[0]
    except OSError:
        return None
    finally:
        probe.close()
    return None if address.startswith("127.") else address


@pytest.mark.skipif(_address_beyond_loopback() is None, reason="no network address here")
def test_plain_http_to_a_data_center_beyond_this_machine_is_warned_of_once(
    city_world_factory, sk, tmp_path
):
    from commandcenter.simulator.server import DataCenterServer
    from tests.conftest import AK

    address = _address_beyond_loopback()
    server = DataCenterServer(city_world_factory(), host=address, port=0, credentials={AK: sk})
    server.start()
    try:
        url = f"http://{address}:{server.port}"
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "commandcenter",
                "sync",
                "--once",
                "--datacenter",
                url,
                "--ak",
                AK,
                "--db",
                f"sqlite:///{tmp_path / 'cc.db'}",
            ],
            cwd=REPO,
            env={**os.environ, "COMMANDCENTER_SK": sk},
            capture_output=True,
            text=True,
            timeout=240,
        )
    finally:
        server.stop()
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("is reached over plain http://") == 1, done.stderr
