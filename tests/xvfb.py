"""A virtual X server of a given size of its own, for a test worker or a window measured
on a screen of that size: started with -displayfd, so the server picks a free display."""

from __future__ import annotations

import subprocess


def start(width: int, height: int) -> tuple[subprocess.Popen, str]:
    """The running server and its DISPLAY (":N")."""
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", "1", "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert server.stdout is not None
    number = server.stdout.readline().strip()
    server.stdout.close()
    if not number.isdigit():
        server.kill()
        raise RuntimeError(f"Xvfb gave no display number: {number!r}")
    return server, f":{number}"


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(10)
    except subprocess.TimeoutExpired:
        server.kill()
