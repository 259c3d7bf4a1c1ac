"""Giving up: how long each way the client ends an attempt takes, against the limit it
keeps. The tests check that each ends, and how (the message names the limit); the
seconds are measured here.

- a one-off sync (`commandcenter sync --once`, a process of its own) against a closed
  port, with an access key the data center refuses, and against a server that accepts
  the connection and never answers (`--timeout 4`);
- the client under a run's deadline: a closed port (two tries a second apart), a body
  that drips (the read limit of 1.5 s; and a deadline of 1 s under a read limit of
  60 s), a server that says nothing (a deadline of 1 s), a body that never ends (the
  size limit of 1 MiB);
- a sync whose data center answers 5xx for its first second (every feed passes a later
  round);
- a second start of the desktop beside a first that holds the claim and never answers
  (it waits 1.5 s for the answer).

    .venv/bin/python benchmarks/give_up.py [--runs 3]

Figures per case: the median of the runs and the largest, in seconds; the limit the
client was given, where it was given one, and the median's ratio to it; the target.
Targets: a sync against a closed port or with a refused key < 20 s; a sync against a
server that never answers, `--timeout 4`, < 9 s; the client at a closed port < 5 s (two
tries, not four with backoff); a dripping body cut at its read limit of 1.5 s within
1.4–4 s, at a deadline of 1 s < 3 s; a silent server at a deadline of 1 s < 3 s; a body
that never ends < 10 s; a sync through a failing first second < 30 s; a second start
beside a silent first (1.5 s) < 15 s.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

from support import REPO  # beside this script

sys.path.insert(0, str(REPO))

AK = "bench"


def timed(run) -> float:
    started = time.monotonic()
    run()
    return time.monotonic() - started


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sync(url: str, sk: str, db: str, *extra: str) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "commandcenter",
            "sync",
            "--once",
            *extra,
            "--datacenter",
            url,
            "--ak",
            AK,
            "--db",
            db,
        ],
        cwd=REPO,
        env={**os.environ, "COMMANDCENTER_SK": sk},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode == 0:
        raise SystemExit(f"the sync against {url} did not fail: {done.stderr[-1000:]}")
    return done


class SilentListener:
    """Accepts every connection and says nothing."""

    def __init__(self):
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(64)
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}"
        self._held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                self._held.append(self._socket.accept()[0])
            except OSError:
                return

    def close(self) -> None:
        self._socket.close()
        for connection in self._held:
            connection.close()


def measure(runs: int, folder: str) -> dict[str, tuple[list[float], float | None, float]]:
    """Case -> (seconds of each run, the limit the client was given, the target)."""
    from commandcenter.cli.sync import sync_once
    from commandcenter.config import Config
    from commandcenter.domain.secret import Secret
    from commandcenter.feeds.client import DataCenterClient, Unreachable
    from commandcenter.feeds.errors import ResponseTooLarge
    from commandcenter.runtime import Runtime
    from commandcenter.simulator.server import DataCenterServer
    from commandcenter.simulator.world import World
    from commandcenter.store import Store
    from commandcenter.ui.shell.desktop import SingleInstance, instance_key
    from tests.test_desktop import second_start
    from tests.test_feeds import RawServer, _dripping, _endless, _silent, make_runner

    sk = secrets.token_urlsafe(24)
    world = World(seed=7, scale="city")
    datacenter = DataCenterServer(world, host="127.0.0.1", port=0, credentials={AK: sk})
    datacenter.start()
    servers = {
        name: RawServer(answer)
        for name, answer in (("drip", _dripping), ("silent", _silent), ("endless", _endless))
    }
    silent_listener = SilentListener()
    cases: dict[str, tuple[list[float], float | None, float]] = {}

    def case(name: str, limit: float | None, target: float, run) -> None:
        cases.setdefault(name, ([], limit, target))[0].append(timed(run))

    def client(url: str, **kw) -> DataCenterClient:
        return DataCenterClient(url, AK, Secret(sk), **kw)

    def raises(expected, call) -> None:
        try:
            call()
        except expected:
            return
        raise SystemExit(f"{call} did not raise {expected.__name__}")

    def deadline_client(url: str, seconds: float, **kw) -> DataCenterClient:
        made = client(url, **kw)
        made.give_up_by(time.monotonic() + seconds)
        return made

    def failing_first_second() -> None:
        datacenter.faults.update(error_rate=1.0)
        store = Store(f"sqlite:///{folder}/failing-{time.monotonic_ns()}.db")
        made = client(datacenter.url, retries=0)
        runtime = Runtime(config=Config(), store=store, client=made)
        runtime.runner = make_runner(made, store)
        threading.Timer(1.0, lambda: datacenter.faults.update(error_rate=0.0)).start()
        sync_once(runtime, timeout_s=60)
        if not all(c.status.last_update_success for c in runtime.runner.coordinators.values()):
            raise SystemExit("a feed had not passed when the failing second was over")
        made.close()
        store.close()

    def silent_first_start() -> None:
        key = instance_key(f"sqlite:///{folder}/desk-{time.monotonic_ns()}.db")
        first = SingleInstance.claim(key)  # holds the claim, never listens
        try:
            out, _err = second_start(key, answer_within_ms=1500).communicate(timeout=60)
            if not out.startswith("silent"):
                raise SystemExit(f"the second start said {out!r}")
        finally:
            first.release()

    try:
        for run in range(runs):
            db = f"sqlite:///{folder}/sync-{run}.db"
            case(
                "sync_closed_port",
                None,
                20,
                lambda db=db: sync(f"http://127.0.0.1:{closed_port()}", sk, db),
            )
            case("sync_refused_key", None, 20, lambda db=db: sync(datacenter.url, "not-the-sk", db))
            case(
                "sync_silent_server_timeout_4s",
                4,
                9,
                lambda db=db: sync(silent_listener.url, sk, db, "--timeout", "4"),
            )
            case(
                "client_closed_port_two_tries",
                None,
                5,
                lambda: raises(
                    Unreachable,
                    lambda: deadline_client(f"http://127.0.0.1:{closed_port()}", 60).get("/orgs"),
                ),
            )
            case(
                "client_drip_read_limit_1_5s",
                1.5,
                4,
                lambda: raises(
                    Unreachable,
                    lambda: client(servers["drip"].url, retries=0, timeout=(1.0, 1.5)).get("/orgs"),
                ),
            )
            case(
                "client_drip_deadline_1s",
                1.0,
                3,
                lambda: raises(
                    Unreachable,
                    lambda: deadline_client(
                        servers["drip"].url, 1.0, retries=0, timeout=(1.0, 60.0)
                    ).get("/orgs"),
                ),
            )
            case(
                "client_silent_deadline_1s",
                1.0,
                3,
                lambda: raises(
                    Unreachable,
                    lambda: deadline_client(servers["silent"].url, 1.0, timeout=(1.0, 30.0)).get(
                        "/orgs"
                    ),
                ),
            )
            case(
                "client_endless_body_1mib",
                None,
                10,
                lambda: raises(
                    ResponseTooLarge,
                    lambda: client(servers["endless"].url, retries=0, max_response_bytes=2**20).get(
                        "/orgs"
                    ),
                ),
            )
            case("sync_through_a_failing_first_second", None, 30, failing_first_second)
            case("second_start_beside_a_silent_first_1_5s", 1.5, 15, silent_first_start)
    finally:
        datacenter.stop()
        silent_listener.close()
        for server in servers.values():
            server.close()
    return cases


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        cases = measure(args.runs, folder)
    figures: dict[str, float | None] = {"runs": args.runs}
    for name, (seconds, limit, target) in cases.items():
        median = statistics.median(seconds)
        figures[f"{name}_s"] = round(median, 2)
        figures[f"{name}_max_s"] = round(max(seconds), 2)
        figures[f"{name}_limit_s"] = limit
        figures[f"{name}_to_limit"] = round(median / limit, 2) if limit else None
        figures[f"{name}_target_s"] = target
        given = f", limit {limit:g} s (× {median / limit:.2f})" if limit else ""
        print(
            f"{name.replace('_', ' ')}: {median:.2f} s (max {max(seconds):.2f} s){given}; "
            f"target < {target:g} s",
            flush=True,
        )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
