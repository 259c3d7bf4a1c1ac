"""The desktop's side: CollectorProcess starts the collector, tells it what the desktop
wrote, mirrors its feeds' status and carries camera commands to it."""

from __future__ import annotations

import contextlib
import json
import logging
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from datetime import datetime
from typing import IO

from commandcenter.collector.wire import encode, status_from_dict
from commandcenter.config import Config
from commandcenter.domain.backoff import Backoff
from commandcenter.feeds.cameras import CameraCallFailed, PreviewUrl
from commandcenter.feeds.catalog import DEFAULT_INTERVALS
from commandcenter.feeds.mirrors import FeedMirror
from commandcenter.store import ChangeEvent, Store

log = logging.getLogger(__name__)

# what the desktop writes that the collector acts on
KINDS_FOR_COLLECTOR = ("outbox",)
# restarting a collector that died: 1, 2, 4 … up to 30 s; from 1 s again after a minute's run
RESTART_BACKOFF = Backoff(first_s=1.0, cap_s=30.0)


def _pipes(proc: subprocess.Popen[str]) -> tuple[IO[str], IO[str]]:
    """The child's stdin and stdout, which _spawn always asks for."""
    assert proc.stdin is not None and proc.stdout is not None
    return proc.stdin, proc.stdout


class CollectorProcess:
    """Starts, feeds and watches the child; stands in for the FeedRunner in the desktop
    (`coordinators`, `poll_now`, `start`, `stop`, `running`)."""

    def __init__(
        self, config: Config, store: Store, *, scale: str = "city", command: list[str] | None = None
    ):
        self.config = config
        self.store = store
        self.scale = scale
        self._command = command or [
            sys.executable,
            "-m",
            "commandcenter",
            "collect",
            "--report",
        ]
        intervals = {**DEFAULT_INTERVALS, **config.intervals}
        self.coordinators: dict[str, FeedMirror] = {
            name: FeedMirror(name, float(every), store.last_success(name))
            for name, every in intervals.items()
        }
        self.datacenter_url: str | None = None
        self.embedded: bool | None = None
        self.failure: str | None = None  # what the child said before giving up, if it did
        self.ready = threading.Event()
        self._proc: subprocess.Popen | None = None
        self._send_lock = threading.Lock()
        self._stopping = threading.Event()
        self._watcher: threading.Thread | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self.restarts = 0
        self._calls: dict[int, Future] = {}  # camera commands waiting for their reply
        self._calls_lock = threading.Lock()
        self._call_seq = 0

    def __getitem__(self, name: str) -> FeedMirror:
        return self.coordinators[name]

    @property
    def running(self) -> bool:
        return self._watcher is not None and self._watcher.is_alive()

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def start(self) -> None:
        self._stopping.clear()
        self._unsubscribe = self.store.subscribe(self._on_local_change)
        self._watcher = threading.Thread(target=self._watch, name="collector-watch", daemon=True)
        self._watcher.start()

    def stop(self, timeout: float = 8.0) -> None:
        self._stopping.set()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        proc = self._proc
        if proc is not None and proc.poll() is None:
            with self._send_lock, contextlib.suppress(OSError):
                _pipes(proc)[0].close()  # the child's signal to stop
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                log.warning("the collector did not stop within %.0f s; ending it", timeout)
                proc.kill()
                proc.wait(5)
        if self._watcher is not None:
            self._watcher.join(timeout)
            self._watcher = None

    def poll_now(self, name: str | None = None) -> None:
        self._send({"poll_now": name})

    # camera commands (CameraCommands), carried out by the collector's client

    def preview_url(self, camera_id: str, stream_type: str, protocol: str) -> Future[PreviewUrl]:
        return self._call(
            "preview_url",
            {"camera_id": camera_id, "stream_type": stream_type, "protocol": protocol},
        )

    def ptz(self, camera_id: str, action: str, speed: int) -> Future[None]:
        return self._call("ptz", {"camera_id": camera_id, "action": action, "speed": speed})

    def _call(self, op: str, args: dict) -> Future:
        future: Future = Future()
        with self._calls_lock:
            self._call_seq += 1
            call_id = self._call_seq
            self._calls[call_id] = future
        if not self._send({"call": call_id, "op": op, "args": args}):
            self._settle(
                call_id, error={"kind": "unreachable", "message": "the collector is not running"}
            )
        return future

    def _settle(
        self, call_id: int, *, result: dict | None = None, error: dict | None = None
    ) -> None:
        with self._calls_lock:
            future = self._calls.pop(call_id, None)
        if future is None:
            return
        if error is not None:
            future.set_exception(
                CameraCallFailed(str(error.get("kind", "error")), str(error.get("message", "")))
            )
        elif result is not None:
            expires = result.get("expires_at")
            future.set_result(
                PreviewUrl(str(result["url"]), datetime.fromisoformat(expires) if expires else None)
            )
        else:
            future.set_result(None)

    def _fail_calls(self, reason: str) -> None:
        with self._calls_lock:
            waiting = list(self._calls)
        for call_id in waiting:
            self._settle(call_id, error={"kind": "unreachable", "message": reason})

    def _on_local_change(self, event: ChangeEvent) -> None:
        # on a shared store the collector hears the desktop's writes from PostgreSQL
        if not event.elsewhere and event.kind in KINDS_FOR_COLLECTOR and not self.store.shared:
            self._send(
                {"changed": event.kind, "keys": None if event.keys is None else sorted(event.keys)}
            )

    def _send(self, message: dict) -> bool:
        proc = self._proc
        if proc is None or proc.poll() is not None:
            return False  # the next child reads the store afresh
        line = encode(message)
        with self._send_lock:
            try:
                stdin = _pipes(proc)[0]
                stdin.write(line)
                stdin.flush()
            except (OSError, ValueError):  # it just died; the watcher restarts it
                return False
        return True

    def _spawn(self) -> subprocess.Popen[str]:
        proc = subprocess.Popen(
            self._command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            bufsize=1,
            close_fds=True,
        )
        stdin = _pipes(proc)[0]
        stdin.write(json.dumps({"config": self.config.to_dict(), "scale": self.scale}) + "\n")
        stdin.flush()
        return proc

    def _watch(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            try:
                self._proc = self._spawn()
            except OSError as exc:
                self._lost(f"the collector cannot start: {exc.strerror or exc}")
            else:
                started = time.monotonic()
                self._read(_pipes(self._proc)[1])
                code = self._proc.wait()
                self._close_pipes(self._proc)
                if self._stopping.is_set():
                    return
                if self.failure is not None:
                    self._lost(self.failure)
                else:
                    self._lost(
                        f"the collector stopped unexpectedly (exit code {code}); restarting it"
                    )
                if time.monotonic() - started > 60:
                    failures = 0
            failures += 1
            delay = RESTART_BACKOFF.delay(failures)
            self.restarts += 1
            if self._stopping.wait(delay):
                return

    def _close_pipes(self, proc: subprocess.Popen[str]) -> None:
        with self._send_lock:
            for stream in _pipes(proc):
                with contextlib.suppress(OSError):
                    stream.close()

    def _lost(self, reason: str) -> None:
        log.error("%s", reason)
        self._fail_calls(reason)
        for mirror in self.coordinators.values():
            mirror.collector_lost(reason)

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            try:
                message = json.loads(line)
                event = message["event"]
            except (ValueError, KeyError, TypeError):
                log.warning("the collector said something unexpected: %.200s", line.strip())
                continue
            if event == "changed":
                keys = message.get("keys")
                self.store.announce(str(message["kind"]), keys)
            elif event == "status":
                status = status_from_dict(message["status"])
                mirror = self.coordinators.get(status.name)
                if mirror is not None:
                    mirror.update(status)
            elif event == "ready":
                self.datacenter_url = message.get("datacenter")
                self.embedded = bool(message.get("embedded"))
                self.failure = None
                self.ready.set()
            elif event == "failed":
                self.failure = str(message.get("message"))
            elif event == "reply":
                try:
                    self._settle(
                        int(message["id"]), result=message.get("result"), error=message.get("error")
                    )
                except (KeyError, TypeError, ValueError):
                    log.warning(
                        "the collector sent a reply that fits no call: %.200s", line.strip()
                    )
