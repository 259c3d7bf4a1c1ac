"""The collector's side: `commandcenter collect --report` serving the desktop on the other
end of its stdin and stdout."""

from __future__ import annotations

import io
import json
import logging
import os
import sys
import threading
from concurrent.futures import Future
from typing import IO

from commandcenter.collector.wire import encode, status_to_dict
from commandcenter.config import Config
from commandcenter.feeds.cameras import CameraCallFailed, DirectCameraCommands, PreviewUrl
from commandcenter.feeds.runner import FeedRunner
from commandcenter.local import host
from commandcenter.store import ChangeEvent

log = logging.getLogger(__name__)

COALESCE_S = 0.1
COLLECTOR_NICENESS = 5


class Reporter:
    """Writes the child's lines; change events coalesced so a page of writes is one line."""

    def __init__(self, out: IO[str]):
        self._out = out
        self._lock = threading.Lock()
        self._pending: dict[str, set[str] | None] = {}
        self._pending_lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._flush_loop, name="report", daemon=True)
        self._thread.start()

    def send(self, message: dict) -> None:
        line = encode(message)
        with self._lock:
            try:
                self._out.write(line)
                self._out.flush()
            except (OSError, ValueError):  # the desktop is gone; stdin's EOF stops us
                pass

    def changed(self, event: ChangeEvent) -> None:
        if event.elsewhere:
            return  # the desktop told us; it knows
        with self._pending_lock:
            pending = self._pending.get(event.kind, set())
            if event.keys is None or pending is None:
                self._pending[event.kind] = None
            else:
                pending.update(event.keys)
                self._pending[event.kind] = pending

    def _flush_loop(self) -> None:
        while not self._stop.wait(COALESCE_S):
            self.flush()

    def flush(self) -> None:
        with self._pending_lock:
            pending, self._pending = self._pending, {}
        for kind, keys in pending.items():
            self.send(
                {"event": "changed", "kind": kind, "keys": None if keys is None else sorted(keys)}
            )

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.flush()


def _answer(cameras: DirectCameraCommands, message: dict, reporter: Reporter) -> None:
    """A camera command from the desktop: run it, and reply with its id."""
    call_id, op, args = message.get("call"), message.get("op"), message.get("args") or {}
    future: Future[PreviewUrl] | Future[None]
    try:
        if op == "preview_url":
            future = cameras.preview_url(
                str(args["camera_id"]), str(args["stream_type"]), str(args["protocol"])
            )
        elif op == "ptz":
            future = cameras.ptz(str(args["camera_id"]), str(args["action"]), int(args["speed"]))
        else:
            raise KeyError(op)
    except (KeyError, TypeError, ValueError):
        reporter.send(
            {
                "event": "reply",
                "id": call_id,
                "error": {"kind": "invalid", "message": f"bad call {op!r}"},
            }
        )
        return

    def done(f) -> None:
        try:
            result = f.result()
        except CameraCallFailed as exc:
            reporter.send(
                {
                    "event": "reply",
                    "id": call_id,
                    "error": {"kind": exc.kind, "message": exc.message},
                }
            )
        except Exception as exc:  # the desktop must hear back whatever happened
            log.exception("camera command %s failed", op)
            reporter.send(
                {"event": "reply", "id": call_id, "error": {"kind": "error", "message": str(exc)}}
            )
        else:
            answer = (
                None
                if result is None
                else {
                    "url": result.url,
                    "expires_at": result.expires_at.isoformat() if result.expires_at else None,
                }
            )
            reporter.send({"event": "reply", "id": call_id, "result": answer})

    future.add_done_callback(done)


def serve_desktop_over_stdio() -> int:
    """`commandcenter collect --report`: the desktop on the other end of stdin and stdout,
    which speak UTF-8 whatever PYTHONIOENCODING or the console's code page say."""
    for stream in (sys.stdin, sys.stdout):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(encoding="utf-8", errors="strict", newline="\n")
    return serve_desktop(sys.stdin, sys.stdout)


def serve_desktop(stdin: IO[str], stdout: IO[str]) -> int:
    """`commandcenter collect --report`: run the feeds for the desktop on the other end."""
    from commandcenter.config import ConfigError
    from commandcenter.local import logs
    from commandcenter.local.credentials import CredentialError
    from commandcenter.runtime import open_runtime
    from commandcenter.store import StoreError

    reporter = Reporter(stdout)
    # The desktop is what people look at: when both want the CPU, it goes first.
    host.lower_priority(COLLECTOR_NICENESS)
    try:
        spec = json.loads(stdin.readline())
        config = Config.from_dict(spec["config"])
        scale = spec.get("scale", "city")
    except (ValueError, KeyError, TypeError) as exc:
        reporter.send(
            {
                "event": "failed",
                "message": f"the collector was started without its configuration ({exc})",
            }
        )
        return 2
    # its own file (collector.log), as the desktop's configuration says
    logs.configure(
        "collector",
        file_level=config.log_level,
        folder=config.log_folder,
        max_bytes=config.log_max_bytes,
        backups=config.log_backups,
    )
    try:
        runtime = open_runtime(config, embedded_scale=scale, announce_transport=False)
    except (ConfigError, CredentialError, StoreError) as exc:
        reporter.send({"event": "failed", "message": str(exc)})
        return 2
    except OSError as exc:
        reporter.send(
            {"event": "failed", "message": f"the collector cannot start: {exc.strerror or exc}"}
        )
        return 2
    # a desktop on a shared store hears the collector's writes from PostgreSQL itself
    unsubscribe = (
        (lambda: None) if runtime.store.shared else runtime.store.subscribe(reporter.changed)
    )
    runner, client, cameras = runtime.runner, runtime.client, runtime.cameras
    # what open_runtime makes of a configuration with feeds
    assert isinstance(runner, FeedRunner) and client is not None
    assert isinstance(cameras, DirectCameraCommands)
    for coordinator in runner.coordinators.values():
        coordinator.add_listener(
            lambda status: reporter.send({"event": "status", "status": status_to_dict(status)}),
            every_poll=True,
        )
    log.info(
        "collecting for the desktop from %s into %s",
        client.base_url,
        runtime.store.url_for_display,
    )
    reporter.send(
        {
            "event": "ready",
            "datacenter": client.base_url,
            "embedded": runtime.embedded is not None,
        }
    )
    runtime.start()
    try:
        for line in stdin:
            try:
                message = json.loads(line)
            except ValueError:
                log.warning("the desktop said something unexpected: %.200s", line.strip())
                continue
            if "call" in message:
                _answer(cameras, message, reporter)
            elif "poll_now" in message:
                runner.poll_now(message["poll_now"])
            elif "changed" in message:
                runtime.store.announce(str(message["changed"]), message.get("keys"))
    finally:
        unsubscribe()
        # Stop promptly: a poll in the middle of a page is rolled back by the store and
        # done again next time, so there is nothing to wait minutes for.
        closer = threading.Thread(target=runtime.close, name="close", daemon=True)
        closer.start()
        closer.join(5)
        reporter.close()
        if closer.is_alive():
            stdout.flush()
            os._exit(0)
    return 0
