"""The command line end to end, as an operator's script would use it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

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
    deadline = time.monotonic() + 120
    while True:
        if proc.poll() is not None:
            pytest.fail(f"the data center exited: {proc.stderr.read()[-2000:]}")
        try:
            if requests.get(f"{url}/api/v1/health", timeout=1).ok:
                break
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail("the data center did not start")
        time.sleep(0.2)
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


def test_unreachable_datacenter_is_one_clear_line(tmp_path, isolated_home):
    db = f"sqlite:///{tmp_path / 'cc.db'}"
    env = {**isolated_home, "COMMANDCENTER_SK": "whatever-secret"}
    result = run_cli(
        "sync",
        "--once",
        "--timeout",
        "2",
        "--datacenter",
        f"http://127.0.0.1:{free_port()}",
        "--ak",
        AK,
        "--db",
        db,
        env=env,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    summary = json.loads(result.stdout)
    assert summary["ok"] is False
    assert "refused" in summary["feeds"]["health"]["error"]
    assert "whatever-secret" not in result.stdout + result.stderr


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

    from commandcenter.store import Store

    db = f"sqlite:///{tmp_path / 'audit.db'}"
    store = Store(db)
    for n in range(3):
        store.append_audit(
            user="值班员甲", role="duty_officer", action="alert.close", target=f"AL-{n}"
        )
    result = run_cli("audit", "verify", "--db", db, env=isolated_home)
    assert result.returncode == 0 and "intact: 3 entries" in result.stdout, result.stderr
    with store.engine.begin() as conn:
        conn.execute(sa.text("DROP TRIGGER audit_log_no_delete"))
        conn.execute(sa.text("DELETE FROM audit_log WHERE target = 'AL-1'"))
    store.close()
    result = run_cli("audit", "verify", "--db", db, env=isolated_home)
    assert result.returncode == 4
    assert "tampered" in result.stderr and "entry 3 does not follow" in result.stderr
    assert "Traceback" not in result.stderr


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
