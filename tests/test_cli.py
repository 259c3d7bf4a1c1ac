"""The command line end to end, as an operator's script would use it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from commandcenter.feeds.catalog import DEFAULT_INTERVALS
from tests.conftest import AK

REPO = Path(__file__).resolve().parents[1]


def run_cli(
    *args: str, env: dict | None = None, timeout: float = 240
) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "commandcenter", *args],
        cwd=REPO,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def isolated_home(tmp_path):
    """Keep the user's real config and data folders out of the test."""
    env = {
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "COMMANDCENTER_SK": "",
    }
    return env


@pytest.fixture
def standalone_datacenter(tmp_path, sk):
    """`commandcenter datacenter --dirty` as its own process on loopback."""
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "commandcenter",
            "datacenter",
            "--port",
            str(port),
            "--dirty",
            "--ak",
            AK,
            "--seed",
            "11",
        ],
        cwd=REPO,
        env={**os.environ, "COMMANDCENTER_SK": sk},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        if proc.poll() is not None:
            pytest.fail(f"the data center exited: {proc.stderr.read()[-2000:]}")
        try:
            return requests.get(f"{url}/api/v1/health", timeout=1).ok
        except requests.RequestException:
            return False

    from tests.conftest import wait_until

    try:
        wait_until(answers, timeout=120, what="the data center to start")
    except AssertionError:
        proc.kill()
        raise
    yield url, proc
    proc.terminate()
    try:
        out, err = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        pytest.fail("the data center did not stop on SIGTERM")
    assert "Traceback" not in err
    assert sk not in out + err


def put_faults(url: str, sk: str, faults: dict) -> None:
    from commandcenter.simulator.control import SimulatorControl

    with SimulatorControl(url, AK, sk) as control:
        control.set_faults(**faults)


@pytest.mark.slow
def test_sync_once_against_a_dirty_faulty_datacenter_then_export(
    standalone_datacenter, tmp_path, sk, isolated_home
):
    url, _ = standalone_datacenter
    put_faults(url, sk, {"unavailable_rate": 0.3, "reset_rate": 0.1, "retry_after_s": 0})
    db = f"sqlite:///{tmp_path / 'cc.db'}"
    env = {**isolated_home, "COMMANDCENTER_SK": sk}
    result = run_cli("sync", "--once", "--datacenter", url, "--ak", AK, "--db", db, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert sk not in result.stdout + result.stderr
    summary = json.loads(result.stdout)
    assert summary["ok"] is True
    assert summary["feeds"]["service_points"]["records"] > 2000
    rejected = summary["feeds"]["service_points"]["rejections"]
    assert rejected and all(r["reason"] for r in rejected)

    points = json.loads(run_cli("export", "points", "--format", "json", "--db", db, env=env).stdout)
    assert len(points) == summary["stored"]["service_points"]
    assert {"pointId", "status", "lng", "lat", "coordSys"} <= set(points[0])
    quarantine = json.loads(run_cli("export", "quarantine", "--db", db, env=env).stdout)
    assert quarantine and {"feed", "recordId", "reason"} <= set(quarantine[0])
    # The world is deterministic from its seed: every record it spoiled is in quarantine,
    # and every other point is stored.
    from collections import Counter

    from commandcenter.simulator.world import World

    twin = World(seed=11, dirty=True)
    assert Counter(q["feed"] for q in quarantine) == Counter(f for f, _, _ in twin.dirty_records)
    listed = {p.get("pointId") for p in twin.service_points()}
    spoiled = {
        rid
        for f, rid, defect in twin.dirty_records
        if f == "service_points" and defect != "duplicate id"
    }
    assert {p["pointId"] for p in points} == {i for i in listed if i} - spoiled
    csv_text = run_cli("export", "points", "--format", "csv", "--db", db, env=env).stdout
    # UTF-8 with the byte-order mark by default: Excel reads the Chinese right
    assert csv_text.startswith("\ufeffpointId,")
    assert len(csv_text.splitlines()) == len(points) + 1
    out = tmp_path / "points-gb.csv"
    chosen = run_cli(
        "export", "points", "--format", "csv", "--encoding", "gb18030", "-o", str(out), "--db", db
    )
    assert chosen.returncode == 0, chosen.stderr
    assert out.read_bytes().decode("gb18030") == csv_text.removeprefix("\ufeff")
    refused = run_cli("export", "points", "--format", "csv", "--encoding", "ascii", "--db", db)
    assert refused.returncode == 1 and refused.stdout == ""
    assert "ascii cannot hold" in refused.stderr and "line 2 of the CSV" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_sync_once_on_the_embedded_datacenter(tmp_path, isolated_home):
    db = f"sqlite:///{tmp_path / 'cc.db'}"
    result = run_cli("sync", "--once", "--db", db, env=isolated_home)
    assert result.returncode == 0, result.stderr[-3000:]
    summary = json.loads(result.stdout)
    assert summary["ok"] and summary["datacenter"].startswith("内置")
    assert summary["stored"]["service_points"] > 2000


def _one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr[-3000:]
    assert lines[0].startswith("commandcenter: ")
    return lines[0]


def test_sync_gives_up_on_a_closed_port(tmp_path, isolated_home):
    """How soon: benchmarks/give_up.py (sync_closed_port)."""
    db = f"sqlite:///{tmp_path / 'cc.db'}"
    env = {**isolated_home, "COMMANDCENTER_SK": "whatever-secret"}
    port = free_port()
    result = run_cli(
        "sync",
        "--once",
        "--datacenter",
        f"http://127.0.0.1:{port}",
        "--ak",
        AK,
        "--db",
        db,
        env=env,
        timeout=120,
    )
    assert result.returncode == 1
    assert _one_line(result.stderr) == (
        f"commandcenter: the data center at 127.0.0.1:{port} refused the connection"
    )
    summary = json.loads(result.stdout)
    assert summary["ok"] is False
    assert "refused" in summary["feeds"]["health"]["error"]
    assert "whatever-secret" not in result.stdout + result.stderr


def test_sync_with_a_wrong_sk_stops_at_the_first_refusal(
    tmp_path, isolated_home, city_world_factory, datacenter_factory
):
    server = datacenter_factory(city_world_factory())
    result = run_cli(
        "sync",
        "--once",
        "--datacenter",
        server.url,
        "--ak",
        AK,
        "--db",
        f"sqlite:///{tmp_path / 'cc.db'}",
        env={**isolated_home, "COMMANDCENTER_SK": "not-the-right-secret"},
        timeout=120,
    )
    assert result.returncode == 3
    assert _one_line(result.stderr) == (
        "commandcenter: the data center refused the access key or signature (0x02401003): "
        f"check the AK {AK!r} and its SK"
    )
    assert json.loads(result.stdout)["ok"] is False
    refused = [e for e in server.requests.entries() if e.status == 401]
    assert 1 <= len(refused) <= 3  # those already on their way when the first came back


def test_sync_against_a_server_that_never_answers_ends_at_its_timeout(tmp_path, isolated_home):
    import socket
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    held = []

    def accept_and_say_nothing() -> None:
        while True:
            try:
                held.append(listener.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept_and_say_nothing, daemon=True).start()
    try:  # how soon: benchmarks/give_up.py (sync_silent_server_timeout_4s)
        result = run_cli(
            "sync",
            "--once",
            "--timeout",
            "4",
            "--datacenter",
            f"http://127.0.0.1:{listener.getsockname()[1]}",
            "--ak",
            AK,
            "--db",
            f"sqlite:///{tmp_path / 'cc.db'}",
            env={**isolated_home, "COMMANDCENTER_SK": "whatever-secret"},
            timeout=120,
        )
    finally:
        listener.close()
        for connection in held:
            connection.close()
    assert result.returncode == 1
    line = _one_line(result.stderr)
    feeds = len(DEFAULT_INTERVALS)
    assert line.startswith(
        f"commandcenter: the time limit of 4 s ran out with {feeds} of {feeds} feeds"
    )
    summary = json.loads(result.stdout)
    assert summary["ok"] is False and summary["wallSeconds"] < 4 + 3


def test_a_ca_bundle_that_does_not_exist_is_one_line_at_once(tmp_path, isolated_home):
    config = tmp_path / "cc.toml"
    config.write_text(
        '[datacenter]\nurl = "https://127.0.0.1:9"\nak = "ws"\nca_bundle = "/nonexistent/ca.pem"\n',
        encoding="utf-8",
    )
    result = run_cli(
        "sync",
        "--once",
        "--config",
        str(config),
        "--db",
        f"sqlite:///{tmp_path / 'cc.db'}",
        env={**isolated_home, "COMMANDCENTER_SK": "whatever-secret"},
        timeout=60,
    )
    assert result.returncode == 3
    assert "ca_bundle '/nonexistent/ca.pem' does not exist" in _one_line(result.stderr)
    assert result.stdout == ""


def test_a_store_that_breaks_during_the_sync_still_gives_its_summary(
    tmp_path, isolated_home, city_world_factory, datacenter_factory, sk
):
    """Pages of the SQLite file overwritten: the feeds fail and say so, the summary names
    the store, and it is printed, with no traceback."""
    import sqlite3

    from commandcenter.store import Store

    server = datacenter_factory(city_world_factory())
    db_file = tmp_path / "cc.db"
    db = f"sqlite:///{db_file}"
    Store(db).close()  # its tables made
    with sqlite3.connect(db_file) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        roots = [
            conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()
            for table in ("feed_state", "service_points")  # read by every poll; and counted
        ]
    with open(db_file, "r+b") as handle:
        for (root,) in roots:
            handle.seek((root - 1) * page_size)
            handle.write(b"\xff" * page_size)
    result = run_cli(
        "sync",
        "--once",
        "--timeout",
        "8",
        "--datacenter",
        server.url,
        "--ak",
        AK,
        "--db",
        db,
        env={**isolated_home, "COMMANDCENTER_SK": sk},
    )
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    line = _one_line(result.stderr)
    summary = json.loads(result.stdout)
    assert summary["ok"] is False
    assert summary["stored"] is None
    assert "malformed" in summary["feeds"]["service_points"]["error"]
    assert "malformed" in line


def test_bad_config_is_one_clear_line(tmp_path, isolated_home):
    config = tmp_path / "bad.toml"
    config.write_text("[datacenter]\nsk = 'leak-me'\n", encoding="utf-8")
    result = run_cli("sync", "--once", "--config", str(config), env=isolated_home)
    assert result.returncode == 3
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "must never be written" in lines[0]
    assert "leak-me" not in result.stderr


def test_missing_sk_is_one_clear_line(tmp_path, isolated_home):
    result = run_cli(
        "sync",
        "--once",
        "--datacenter",
        "http://127.0.0.1:9",
        "--ak",
        AK,
        "--db",
        f"sqlite:///{tmp_path / 'cc.db'}",
        env=isolated_home,
    )
    assert result.returncode == 3
    assert "no SK" in result.stderr and "Traceback" not in result.stderr


def test_audit_verify_says_intact_or_names_the_entry_tampered_with(tmp_path, isolated_home):
    import sqlalchemy as sa

    from commandcenter.domain.secret import Secret
    from commandcenter.store import Store
    from commandcenter.store.audit_seal import AuditSeal

    key = "the desk's audit key, kept outside the store"
    env = {**isolated_home, "COMMANDCENTER_AUDIT_KEY": key}
    heads = Path(isolated_home["XDG_DATA_HOME"]) / "commandcenter" / "audit-heads"
    db = f"sqlite:///{tmp_path / 'audit.db'}"
    store = Store(db, audit_seal=AuditSeal(lambda create: Secret(key), heads))
    for n in range(4):
        store.append_audit(
            user="值班员甲", role="duty_officer", action="alert.close", target=f"AL-{n}"
        )
    result = run_cli("audit", "verify", "--db", db, env=env)
    assert result.returncode == 0, result.stderr
    assert "intact: 4 entries" in result.stdout and "head recorded outside" in result.stdout
    assert "append-only triggers are in place" in result.stdout
    # another account, without the key: nothing keyed can be checked, and it says so
    result = run_cli("audit", "verify", "--db", db, env=isolated_home)
    assert result.returncode == 5 and "not hold, and were not checked" in result.stdout
    with store.engine.begin() as conn:
        conn.execute(sa.text("DROP TRIGGER audit_log_no_delete"))
        conn.execute(sa.text("DELETE FROM audit_log WHERE target = 'AL-3'"))
    result = run_cli("audit", "verify", "--db", db, env=env)
    assert result.returncode == 4
    assert "entries were removed from its end" in result.stderr
    assert "append-only are gone: audit_log_no_delete" in result.stderr
    with store.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM audit_log WHERE target = 'AL-1'"))
    store.close()
    result = run_cli("audit", "verify", "--db", db, env=env)
    assert result.returncode == 4
    assert "tampered" in result.stderr and "entry 3 does not follow" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_readmes_postgresql_url_works_and_a_missing_driver_is_one_line(
    postgres, tmp_path, isolated_home
):
    """`postgresql://user@host/db` as the README writes it: SQLAlchemy 2.1 would take
    it to mean psycopg 3; the store uses the driver the project installs."""
    url = postgres.new_database().replace("postgresql+psycopg2://", "postgresql://")
    assert url.startswith("postgresql://")
    result = run_cli("export", "points", "--db", url, env=isolated_home)
    assert result.returncode == 0 and result.stdout.strip() == "[]", result.stderr
    # without the driver (a package installed without its dependencies): one line
    script = (
        "import sys; sys.modules['psycopg2'] = None; from commandcenter.cli import main; "
        f"sys.exit(main(['export', 'points', '--db', {url!r}]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        env={**os.environ, **isolated_home},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 3 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        f"commandcenter: the store {url} needs the Python package psycopg2-binary (its "
        "database driver), which is not installed: pip install 'psycopg2-binary'"
    ]


def test_a_csv_export_of_names_made_to_be_formulas_keeps_them_text(
    tmp_path, isolated_home, city_world_factory, datacenter_factory, sk
):
    """Names written as spreadsheet formulas come through a real sync and leave in the
    CSV export as text a spreadsheet does not evaluate."""
    import csv
    import io

    from tests.conftest import AK

    world = city_world_factory(fresh=True)
    names = {
        world.service_points()[n]["pointId"]: name
        for n, name in enumerate(['=HYPERLINK("http://evil.example","看")', "+1+1", "@SUM(A1)"])
    }
    with world.lock:
        for point_id, name in names.items():
            world.rename_point(point_id, name)
    server = datacenter_factory(world)
    db = f"sqlite:///{tmp_path / 'cc.db'}"
    env = {**isolated_home, "COMMANDCENTER_SK": sk}
    synced = run_cli("sync", "--once", "--datacenter", server.url, "--ak", AK, "--db", db, env=env)
    assert synced.returncode == 0, synced.stderr
    result = run_cli("export", "points", "--format", "csv", "--db", db, env=env)
    assert result.returncode == 0, result.stderr
    text = result.stdout.removeprefix("\ufeff")  # CSV starts with a byte-order mark for Excel
    rows = {row["pointId"]: row for row in csv.DictReader(io.StringIO(text))}
    for point_id, name in names.items():
        assert rows[point_id]["name"] == "'" + name
    assert not any(row["name"].startswith(("=", "+", "@")) for row in rows.values())


def test_the_sk_appears_in_no_log_store_export_or_configuration(
    standalone_datacenter, tmp_path, sk, isolated_home
):
    """A sync at DEBUG against a data center that fails now and then (error messages,
    retries, signatures refused), then every export: the SK is in none of what was
    written — the log, the store's file, the exports, the configuration folder."""
    url, _ = standalone_datacenter
    put_faults(url, sk, {"error_rate": 0.1, "unavailable_rate": 0.1, "retry_after_s": 0})
    db_file = tmp_path / "cc.db"
    env = {**isolated_home, "COMMANDCENTER_SK": sk}
    written = []
    result = run_cli(
        "sync",
        "--once",
        "--datacenter",
        url,
        "--ak",
        AK,
        "--db",
        f"sqlite:///{db_file}",
        "--log-level",
        "DEBUG",
        env=env,
    )
    written.append(result.stdout + result.stderr)
    assert "DEBUG" in result.stderr  # the log was as talkative as it gets
    # a wrong SK: the refusal is explained without either secret
    wrong = run_cli(
        "sync",
        "--once",
        "--timeout",
        "5",
        "--datacenter",
        url,
        "--ak",
        AK,
        "--db",
        f"sqlite:///{tmp_path / 'other.db'}",
        "--log-level",
        "DEBUG",
        env={**isolated_home, "COMMANDCENTER_SK": sk[::-1]},
    )
    written.append(wrong.stdout + wrong.stderr)
    assert "0x02401003" in wrong.stdout + wrong.stderr
    for kind in ("points", "cameras", "alerts", "stats", "inspections", "quarantine"):
        export = run_cli(
            "export", kind, "--db", f"sqlite:///{db_file}", "--log-level", "DEBUG", env=env
        )
        written.append(export.stdout + export.stderr)
    for text in written:
        assert sk not in text and sk[::-1] not in text
    for path in [
        db_file,
        *Path(isolated_home["XDG_CONFIG_HOME"]).rglob("*"),
        *Path(isolated_home["XDG_DATA_HOME"]).rglob("*"),
    ]:
        if path.is_file():
            content = path.read_bytes()
            assert sk.encode() not in content and sk[::-1].encode() not in content, path
