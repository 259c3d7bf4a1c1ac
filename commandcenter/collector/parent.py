"""The desktop's feeds in a process of their own.

A province-scale full sync is minutes of Python work: decoding pages, validating
records, writing them. In the desktop's process that work holds the interpreter
lock, and the GUI thread, which needs the lock for every paint and every model
call, would wait behind it. So the desktop starts `commandcenter collect --report`
as a child: it polls the data center (starting the embedded one when none is
configured), writes the shared store and sends the outbox; the desktop only reads.

The two talk in JSON lines:

  child → desktop   {"event": "ready", "datacenter": url, "embedded": bool}
                    {"event": "changed", "kind": k, "keys": [...] | null}
                    {"event": "status", "status": {...FeedStatus...}}
                    {"event": "failed", "message": "..."}  (then it exits)
  desktop → child   first line: {"config": {...}, "scale": "city"}
                    {"poll_now": feed | null}
                    {"changed": kind, "keys": [...] | null}  (the desktop wrote, e.g. the outbox)

Both ends read and write the pipe as UTF-8 whatever the console's code page (a Chinese
Windows console's is GBK). The desktop closing the pipe (or dying) stops the child. A child that dies is
started again with backoff, and the lamps say what happened meanwhile. The SK
never crosses the pipe: the child reads it as the desktop would have, or makes
one for the embedded data center.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from datetime import datetime
from typing import IO, Any

from commandcenter.config import Config
from commandcenter.feeds.cameras import CameraCallFailed, DirectCameraCommands, PreviewUrl
from commandcenter.feeds.catalog import DEFAULT_INTERVALS
from commandcenter.feeds.coordinator import FeedStatus, PollResult
from commandcenter.feeds.mirrors import FeedMirror
from commandcenter.local import host
from commandcenter.store import ChangeEvent, Store

log = logging.getLogger(__name__)

# what the desktop writes that the collector acts on
KINDS_FOR_COLLECTOR = ("outbox",)
COALESCE_S = 0.1
COLLECTOR_NICENESS = 5
RESTART_BACKOFF_S = (1, 2, 5, 10, 30)


# -- the wire format ------------------------------------------------------------


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def status_to_dict(status: FeedStatus) -> dict[str, Any]:
    result = status.last_result
    return {
        "name": status.name,
        "interval_s": status.interval_s,
        "last_update_success": status.last_update_success,
        "last_success_at": _when(status.last_success_at),
        "last_error": status.last_error,
        "consecutive_failures": status.consecutive_failures,
        "last_result": None
        if result is None
        else {
            "records_in": result.records_in,
            "rejected": result.rejected,
            "changed": result.changed,
            "not_modified": result.not_modified,
        },
    }


def status_from_dict(data: dict[str, Any]) -> FeedStatus:
    result = data.get("last_result")
    at = data.get("last_success_at")
    return FeedStatus(
        name=str(data["name"]),
        interval_s=float(data["interval_s"]),
        last_update_success=data.get("last_update_success"),
        last_success_at=datetime.fromisoformat(at) if at else None,
        last_error=data.get("last_error"),
        consecutive_failures=int(data.get("consecutive_failures", 0)),
        last_result=PollResult(**result) if result else None,
    )


# -- the desktop's side -----------------------------------------------------------------


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
            with self._send_lock:
                try:
                    proc.stdin.close()  # the child's signal to stop
                except OSError:
                    pass
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
        line = json.dumps(message, ensure_ascii=False) + "\n"
        with self._send_lock:
            try:
                proc.stdin.write(line)
                proc.stdin.flush()
            except (OSError, ValueError):  # it just died; the watcher restarts it
                return False
        return True

    def _spawn(self) -> subprocess.Popen:
        proc = subprocess.Popen(
            self._command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            bufsize=1,
            close_fds=True,
        )
        proc.stdin.write(json.dumps({"config": self.config.to_dict(), "scale": self.scale}) + "\n")
        proc.stdin.flush()
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
                self._read(self._proc.stdout)
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
            delay = RESTART_BACKOFF_S[min(failures, len(RESTART_BACKOFF_S) - 1)]
            failures += 1
            self.restarts += 1
            if self._stopping.wait(delay):
                return

    def _close_pipes(self, proc: subprocess.Popen) -> None:
        with self._send_lock:
            for stream in (proc.stdin, proc.stdout):
                try:
                    stream.close()
                except OSError:
                    pass

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


# -- the child's side ----------------------------------------------------------------


class _Reporter:
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
        line = json.dumps(message, ensure_ascii=False) + "\n"
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
            if event.keys is None or self._pending.get(event.kind, set()) is None:
                self._pending[event.kind] = None
            else:
                self._pending.setdefault(event.kind, set()).update(event.keys)

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


def _answer(cameras: DirectCameraCommands, message: dict, reporter: _Reporter) -> None:
    """A camera command from the desktop: run it, and reply with its id."""
    call_id, op, args = message.get("call"), message.get("op"), message.get("args") or {}
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
        except Exception as exc:  # noqa: BLE001 - the desktop must hear back whatever happened
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
        stream.reconfigure(encoding="utf-8", errors="strict", newline="\n")
    return serve_desktop(sys.stdin, sys.stdout)


def serve_desktop(stdin: IO[str], stdout: IO[str]) -> int:
    """`commandcenter collect --report`: run the feeds for the desktop on the other end."""
    from commandcenter.config import ConfigError
    from commandcenter.local import logs
    from commandcenter.local.credentials import CredentialError
    from commandcenter.runtime import open_runtime
    from commandcenter.store import StoreError

    reporter = _Reporter(stdout)
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
    for coordinator in runtime.runner.coordinators.values():
        coordinator.add_listener(
            lambda status: reporter.send({"event": "status", "status": status_to_dict(status)}),
            every_poll=True,
        )
    log.info(
        "collecting for the desktop from %s into %s",
        runtime.client.base_url,
        runtime.store.url_for_display,
    )
    reporter.send(
        {
            "event": "ready",
            "datacenter": runtime.client.base_url,
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
                _answer(runtime.cameras, message, reporter)
            elif "poll_now" in message:
                runtime.runner.poll_now(message["poll_now"])
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
