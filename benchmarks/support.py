"""What the benchmarks share: a simulated data center in its own process, and CPU
readings of a process from /proc (so a server's cost is reported apart from the
client's)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_datacenter(
    scale: str, sk: str, *extra: str, frozen: bool = True
) -> tuple[subprocess.Popen, str]:
    """`commandcenter datacenter` (AK "bench"; its clock frozen unless said) on a free loopback port."""
    port = free_port()
    env = {**os.environ, "COMMANDCENTER_SK": sk}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "commandcenter",
            "datacenter",
            "--port",
            str(port),
            "--scale",
            scale,
            *(["--frozen"] if frozen else []),
            "--ak",
            "bench",
            *extra,
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    import requests

    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the data center exited: {proc.stderr.read().decode()[-2000:]}")
        try:
            if requests.get(f"{url}/api/v1/health", timeout=1).ok:
                return proc, url
        except requests.RequestException:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("the data center did not start within 180 s")


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile by rank (nearest), of at least one value."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def cpu_seconds(pid: int | str = "self") -> float:
    """User + system CPU of a process, all its threads, so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def process_tree(pid: int) -> list[int]:
    """A process and every process under it, whichever of its threads started them."""
    tree, pending = [], [pid]
    while pending:
        current = pending.pop()
        try:
            tasks = os.listdir(f"/proc/{current}/task")
        except FileNotFoundError:
            continue  # ended meanwhile
        tree.append(current)
        for task in tasks:
            try:
                with open(f"/proc/{current}/task/{task}/children") as f:
                    pending.extend(int(child) for child in f.read().split())
            except FileNotFoundError:
                continue
    return tree


def tree_cpu_seconds(pid: int) -> float:
    """CPU of a process and every process under it (a server that forks its worker)."""
    total = 0.0
    for current in process_tree(pid):
        try:
            total += cpu_seconds(current)
        except FileNotFoundError:
            continue  # ended meanwhile
    return total


def rss_mb(pid: int | str = "self") -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def wait_for(app, condition, timeout: float, step_s: float = 0.002) -> bool:
    """Run the Qt event loop until `condition()` holds or `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        app.processEvents()
        if condition():
            return True
        time.sleep(step_s)
    return False
