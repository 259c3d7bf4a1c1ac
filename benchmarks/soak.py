"""Soak: a day of operation compressed. The console with a 16-tile wall playing, every
feed polled fast, against a data center whose clock runs `--speed` times as fast
(alerts, statuses and case figures change as they would over a day), for `--minutes`.

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python benchmarks/soak.py [--minutes 30] [--speed 48]

Every `--sample` seconds: RSS, threads and open files of the window's process and of
its collector process, and the longest stall of the GUI thread's event loop (a 10 ms
timer that fires late). After a warm-up (the first fifth), targets:

- RSS growth ≤ 5 % from the end of the warm-up to the end (medians of three samples);
- no growth in threads or open files: among the samples taken with the usual number of
  tiles playing, the fewest seen in the last quarter is no more than the fewest seen in
  the first. A leaked thread or file is never given back, so it lifts that floor; a
  stream's reconnect or an idle pool thread comes and goes, which is why two single
  readings (or medians of three) differ by ten either way without any leak; and each
  live stream holds a reader with FFmpeg's threads, so samples with fewer tiles playing
  (a camera offline, a tile reconnecting) are not compared with those with more;
- no event-loop stall over 200 ms.

Prints the curve, then one line of JSON with every figure.
"""

from __future__ import annotations

import argparse
import collections
import faulthandler
import json
import os
import re
import secrets
import statistics
import sys
import tempfile
import threading
import time
import traceback
from typing import ClassVar

from support import process_tree, rss_mb, start_datacenter, wait_for  # beside this script

PROBE_MS = 10
TARGET_RSS_GROWTH_PCT = 5.0
TARGET_STALL_MS = 200.0
FAST_INTERVALS = {
    "alerts": 0.5,
    "dashboard": 1.0,
    "service_points": 1.0,
    "cameras": 2.0,
    "stats_hour": 2.0,
    "stats_day": 5.0,
    "health": 1.0,
    "orgs": 10.0,
    "inspections": 5.0,
    "inspection_templates": 10.0,
}


def open_files(pid: int | str, ports: dict[str, str]) -> tuple[int, dict[str, int]]:
    """How many open files, and how many of each kind: a socket by its kind and, for TCP,
    its remote port (a connection to the data center, to a stream); a file by its name's
    ending (soak.db-wal), so that a pool's new connection shows as what it is."""
    kinds: dict[str, int] = {}
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except FileNotFoundError:
        return 0, kinds
    for fd in fds:
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue  # closed while we looked
        if target.startswith("socket:["):
            kind = ports.get(target[8:-1], "socket")
        elif target.startswith(("pipe:", "anon_inode:")):
            kind = target.split("[")[0]
        else:
            kind = (
                os.path.basename(target).split(".", 1)[-1]
                if "." in os.path.basename(target)
                else target
            )
        kinds[kind] = kinds.get(kind, 0) + 1
    return len(fds), kinds


def socket_ports() -> dict[str, str]:
    """Socket inode -> "tcp to port N" or "unix"."""
    ports: dict[str, str] = {}
    for table in ("tcp", "tcp6"):
        try:
            with open(f"/proc/net/{table}") as f:
                for line in f.read().splitlines()[1:]:
                    fields = line.split()
                    ports[fields[9]] = f"tcp to port {int(fields[2].rsplit(':', 1)[1], 16)}"
        except (OSError, IndexError, ValueError):
            continue
    try:
        with open("/proc/net/unix") as f:
            for line in f.read().splitlines()[1:]:
                fields = line.split()
                if len(fields) > 6:
                    ports[fields[6]] = "unix"
    except OSError:
        pass
    return ports


def machine_ticks() -> tuple[int, int, int]:
    """Clock ticks since boot, summed over every core: busy (user, nice, system, irq,
    softirq), taken by the host for other guests (steal), and all of them."""
    try:
        with open("/proc/stat") as f:
            cpu = [int(v) for v in f.readline().split()[1:9]]
    except (OSError, ValueError):
        return 0, 0, 0
    return cpu[0] + cpu[1] + cpu[2] + cpu[5] + cpu[6], cpu[7], sum(cpu)


def thread_census(pid: int | str = "self") -> tuple[int, dict[str, int]]:
    """How many threads, and how many of each kind: the kernel's name of each thread and,
    in this process, the name of each Python thread (whose kernel name is the
    interpreter's), with its numbers dropped so that a pool's workers count as one kind."""
    names: dict[str, int] = {}
    total = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                name = f.read().strip()
        except FileNotFoundError:
            continue  # ended while we looked
        total += 1
        names[name] = names.get(name, 0) + 1
    if pid == "self":
        for thread in threading.enumerate():
            name = "py:" + re.sub(r"[-_]?\d+", "", thread.name)
            names[name] = names.get(name, 0) + 1
    return total, names


def differences(start: dict[str, int], end: dict[str, int]) -> dict[str, int]:
    return {
        name: end.get(name, 0) - start.get(name, 0)
        for name in sorted(set(start) | set(end))
        if end.get(name, 0) != start.get(name, 0)
    }


class StallWitness:
    """Where the GUI thread was while its event loop stalled. A thread of its own looks
    every 20 ms at when the probe last ticked; once that is `after_ms` old, it takes the
    GUI thread's Python stack, and again every 100 ms while the stall lasts (the same
    stack once). Python code that holds the loop shows itself; Qt's own work (layout,
    painting) shows as the call into Qt that it runs under, or as the event loop itself.
    The kernel's count of the GUI thread's time (schedstat) from before the stall to after
    it says how much of it the thread ran, waited for a free core, or slept (on the GIL, a
    lock, the X server). While the stall lasts it also notes, every 20 ms, the system call
    the GUI thread is in (a futex is the interpreter lock or a mutex; a poll, the X server
    or the event loop), and from its start to its end how much of a core each thread of
    this process, each process of the soak's own (its children, the X server) and the
    whole machine used: whoever ran while the GUI thread slept or waited. Which
    processes are the soak's is looked up every 30 s outside stalls: reading every
    process on the machine is Python work that would lengthen the stall it measures."""

    def __init__(self, after_ms: float = 150.0, depth: int = 8):
        self.after_ms, self.depth = after_ms, depth
        self.stalls: list[dict] = []
        self._gui = threading.get_ident()
        self._schedstat_path = f"/proc/self/task/{threading.get_native_id()}/schedstat"
        self._syscall_path = f"/proc/self/task/{threading.get_native_id()}/syscall"
        self._ticks = os.sysconf("SC_CLK_TCK")
        self._own: list[str] = []  # pids of the soak's own other processes
        self._beat = time.monotonic()
        self._halt = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="stall-witness", daemon=True)

    def start(self, started: float) -> None:
        self._started = started
        self._beat = time.monotonic()
        self._thread.start()

    def beat(self) -> None:
        self._beat = time.monotonic()

    def stop(self) -> None:
        self._halt.set()
        self._thread.join(1)

    def _times(self) -> tuple[float, int, int]:
        """Now, and the nanoseconds the GUI thread has run and waited on a run queue."""
        try:
            with open(self._schedstat_path) as f:
                ran, waited = f.read().split()[:2]
            return time.monotonic(), int(ran), int(waited)
        except (OSError, ValueError):
            return time.monotonic(), 0, 0

    SYSCALLS: ClassVar[dict[str, str]] = {
        "0": "read",
        "1": "write",
        "7": "poll",
        "23": "select",
        "202": "futex",
        "232": "epoll_wait",
        "270": "pselect6",
        "271": "ppoll",
        "35": "nanosleep",
        "230": "clock_nanosleep",
        "281": "epoll_pwait",
    }

    def _in_syscall(self) -> str:
        try:
            with open(self._syscall_path) as f:
                first = f.read().split(maxsplit=1)[0]
        except (OSError, IndexError):
            return "?"
        return first if first == "running" else self.SYSCALLS.get(first, f"syscall {first}")

    def _cpu_census(self) -> dict[str, float]:
        """Milliseconds of a core used so far by each kind of thread of this process (its
        Python name where it has one, else the kernel's; numbers dropped, so that the 16
        stream readers count as one), by each of the soak's other processes, summed by
        name, and by the whole machine. A thread that ends during the stall drops out,
        and one that starts counts from zero."""
        names = {t.native_id: t.name for t in threading.enumerate()}
        used: dict[str, float] = {}
        for tid in os.listdir("/proc/self/task"):
            try:
                with open(f"/proc/self/task/{tid}/schedstat") as f:
                    ran = int(f.read().split()[0]) / 1e6
                with open(f"/proc/self/task/{tid}/comm") as f:
                    comm = f.read().strip()
            except (OSError, ValueError):
                continue
            kind = "thread " + re.sub(r"[-_]?\d+", "", names.get(int(tid), comm))
            used[kind] = used.get(kind, 0.0) + ran
        for pid in self._own:
            stat = _stat(pid)
            if stat is not None:
                comm, fields = stat
                kind = f"process {comm}"
                used[kind] = (
                    used.get(kind, 0.0) + (int(fields[11]) + int(fields[12])) * 1000 / self._ticks
                )
        busy, stolen, _total = machine_ticks()
        used["machine, every core"] = busy * 1000 / self._ticks
        used["taken by the host (steal)"] = stolen * 1000 / self._ticks
        return used

    def _find_own_processes(self) -> None:
        """Every process under the one that started the soak (under xvfb-run: the X
        server, and this process's own children), this one excepted."""
        self._own = [
            str(pid) for pid in process_tree(os.getppid()) if pid not in (os.getpid(), os.getppid())
        ]

    def _close(self, stall: dict, times: tuple[float, int, int]) -> None:
        census, now = stall.pop("census"), self._cpu_census()
        used = {
            name: now[name] - ms
            for name, ms in census.items()
            if name in now and now[name] - ms >= 10
        }
        stall["cpu_ms_from_detection"] = {
            name: round(ms) for name, ms in sorted(used.items(), key=lambda kv: -kv[1])[:8]
        }
        (t0, ran0, waited0), (t1, ran1, waited1) = stall.pop("from"), times
        stall["span_ms"] = round((t1 - t0) * 1000, 1)
        stall["ran_ms"] = round((ran1 - ran0) / 1e6, 1)
        stall["waited_for_a_core_ms"] = round((waited1 - waited0) / 1e6, 1)
        stall["slept_ms"] = round(
            stall["span_ms"] - stall["ran_ms"] - stall["waited_for_a_core_ms"], 1
        )

    def _watch(self) -> None:
        current: dict | None = None
        next_look = next_census = 0.0
        recent = collections.deque([self._times()], maxlen=16)  # the last 300 ms of readings
        while not self._halt.wait(0.02):
            beat = self._beat
            late_ms = (time.monotonic() - beat) * 1000
            if late_ms < self.after_ms:
                recent.append(self._times())
                if current is not None:
                    self._close(current, recent[-1])
                current = None
                if time.monotonic() >= next_census:
                    next_census = time.monotonic() + 30
                    self._find_own_processes()
                continue
            if current is None or current["beat"] != beat:
                if current is not None:
                    self._close(current, self._times())
                # the reading last taken before the stall began
                before = [r for r in recent if r[0] <= beat] or [recent[0]]
                current = {
                    "beat": beat,
                    "t_s": round(beat - self._started, 1),
                    "stacks": [],
                    "from": before[-1],
                    "census": self._cpu_census(),
                    "gui_thread_in": {},
                }
                self.stalls.append(current)
                next_look = 0.0
            if time.monotonic() >= next_look:
                next_look = time.monotonic() + 0.1
                frame = sys._current_frames().get(self._gui)
                stack = (
                    [
                        f"{os.path.basename(f.filename)}:{f.lineno} {f.name}"
                        for f in traceback.extract_stack(frame)[-self.depth :]
                    ]
                    if frame
                    else []
                )
                if stack not in current["stacks"]:
                    current["stacks"].append(stack)
            where = current["gui_thread_in"]
            call = self._in_syscall()
            where[call] = where.get(call, 0) + 1
            current["late_ms"] = round(late_ms, 1)

    def report(self) -> list[dict]:
        return [
            {k: v for k, v in stall.items() if k not in ("beat", "from", "census")}
            for stall in self.stalls
        ]


def _stat(pid: str) -> tuple[str, list[str]] | None:
    """A process's name and the fields of /proc/PID/stat after it (state, parent, ...)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
    except OSError:
        return None
    return stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2 :].split()


def same_load_quarters(after: list[dict]) -> tuple[list[dict], list[dict]]:
    """The first and the last quarter of the samples taken with the number of tiles
    playing seen most often after the warm-up."""
    usual = statistics.mode(r["tiles_playing"] for r in after)
    same = [r for r in after if r["tiles_playing"] == usual]
    quarter = max(1, len(same) // 4)
    return same[:quarter], same[-quarter:]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument(
        "--speed", type=float, default=48.0, help="the data center's clock, times real time"
    )
    parser.add_argument("--sample", type=float, default=15.0, help="seconds between samples")
    parser.add_argument(
        "--stall-stacks",
        metavar="FILE",
        help="write every thread's Python stack to FILE whenever the event loop stalls "
        "for 200-300 ms (faulthandler's watchdog: a thread of C that needs no "
        "interpreter lock, so it sees even the thread that holds it)",
    )
    args = parser.parse_args()

    from PySide6.QtCore import QElapsedTimer, QSettings, Qt, QTimer

    from commandcenter.app import make_application
    from commandcenter.config import Config
    from commandcenter.feeds.catalog import DEFAULT_INTERVALS
    from commandcenter.runtime import open_desktop_runtime
    from commandcenter.ui.shell.window import MainWindow

    sk = secrets.token_urlsafe(24)
    os.environ["COMMANDCENTER_SK"] = sk  # the collector process inherits it
    dc, url = start_datacenter("city", sk, "--speed", str(args.speed), frozen=False)
    app = make_application(Config(), language="zh_CN", theme="dark")
    intervals = {
        **DEFAULT_INTERVALS,
        **{k: v for k, v in FAST_INTERVALS.items() if k in DEFAULT_INTERVALS},
    }
    samples: list[dict] = []
    censuses: list[tuple[dict[str, int], dict[str, int]]] = []  # (GUI, collector) at each sample
    fd_censuses: list[tuple[dict[str, int], dict[str, int]]] = []  # the same for open files
    try:
        with tempfile.TemporaryDirectory() as tmp:
            config = Config(
                datacenter_url=url,
                ak="bench",
                db_url=f"sqlite:///{tmp}/soak.db",
                intervals=intervals,
            )
            runtime = open_desktop_runtime(config)
            window = MainWindow(
                runtime, settings=QSettings(f"{tmp}/ui.ini", QSettings.Format.IniFormat)
            )
            window.resize(1920, 1050)
            window.show()
            runtime.start()
            wall = window.panels["wall"]
            wall.set_grid(16)
            assert wait_for(app, lambda: bool(wall._contents), 120), "the wall never filled"

            clock = QElapsedTimer()
            clock.start()
            last = [0.0]
            window_max = [0.0]
            all_gaps: list[float] = []
            armed = [0.0]
            stall_stacks = open(args.stall_stacks, "w") if args.stall_stacks else None  # noqa: SIM115 - open for the run
            gap_times: list[float] = []  # seconds since the start, of each gap in all_gaps

            def tick() -> None:
                now = clock.nsecsElapsed() / 1e6
                if last[0]:
                    gap = max(0.0, now - last[0] - PROBE_MS)
                    all_gaps.append(gap)
                    gap_times.append(time.monotonic() - started)
                    window_max[0] = max(window_max[0], gap)
                last[0] = now
                witness.beat()
                if stall_stacks and now - armed[0] > 100:
                    faulthandler.dump_traceback_later(0.2, file=stall_stacks)
                    armed[0] = now

            probe = QTimer()
            probe.setTimerType(Qt.TimerType.PreciseTimer)
            probe.setInterval(PROBE_MS)
            probe.timeout.connect(tick)
            witness = StallWitness()
            probe.start()
            started = time.monotonic()
            witness.start(started)
            print(
                f"soak: {args.minutes:g} min, data center clock ×{args.speed:g} "
                f"({args.minutes * args.speed / 60:.1f} h of the city), 16-tile wall",
                flush=True,
            )
            print(
                " t(s)  GUI RSS MB  collector RSS MB  GUI threads  collector threads  GUI fds  collector fds"
                "  playing  mean fps  max stall ms  busy %  steal %",
                flush=True,
            )
            ticks = [machine_ticks()]

            def take_sample() -> None:
                child = runtime.runner.pid
                gui_threads, gui_kinds = thread_census()
                collector_threads, collector_kinds = thread_census(child) if child else (None, {})
                censuses.append((gui_kinds, collector_kinds))
                ports = socket_ports()  # the machine's sockets, read once for both processes
                gui_fds, gui_fd_kinds = open_files("self", ports)
                collector_fds, collector_fd_kinds = (
                    open_files(child, ports) if child else (None, {})
                )
                fd_censuses.append((gui_fd_kinds, collector_fd_kinds))
                sample = {
                    "t_s": round(time.monotonic() - started, 1),
                    "gui_rss_mb": round(rss_mb(), 1),
                    "collector_rss_mb": round(rss_mb(child), 1) if child else None,
                    "gui_threads": gui_threads,
                    "collector_threads": collector_threads,
                    "gui_fds": gui_fds,
                    "collector_fds": collector_fds,
                    "tiles_playing": sum(1 for t in wall.tiles[:16] if t.fps > 0),
                    "tiles_fps_mean": round(sum(t.fps for t in wall.tiles[:16]) / 16, 1),
                    "max_stall_ms": round(window_max[0], 1),
                }
                # of all the machine's cores since the last sample: a stall when the host took
                # the cores for other guests is not the client's
                (busy0, stolen0, total0), now_ticks = ticks[-1], machine_ticks()
                ticks.append(now_ticks)
                span = max(1, now_ticks[2] - total0)
                sample["machine_busy_pct"] = round(100 * (now_ticks[0] - busy0) / span, 1)
                sample["host_steal_pct"] = round(100 * (now_ticks[1] - stolen0) / span, 1)
                window_max[0] = 0.0
                samples.append(sample)
                print(
                    f"{sample['t_s']:5.0f}  {sample['gui_rss_mb']:10.1f}  {sample['collector_rss_mb']:16.1f}"
                    f"  {sample['gui_threads']:11d}  {sample['collector_threads']:17d}  {sample['gui_fds']:7d}"
                    f"  {sample['collector_fds']:13d}  {sample['tiles_playing']:7d}  {sample['tiles_fps_mean']:8.1f}"
                    f"  {sample['max_stall_ms']:12.1f}  {sample['machine_busy_pct']:6.1f}"
                    f"  {sample['host_steal_pct']:7.1f}",
                    flush=True,
                )

            # the application's own event loop, as the client runs it: it sleeps when idle
            sampler = QTimer()
            sampler.setInterval(int(args.sample * 1000))
            sampler.timeout.connect(take_sample)
            sampler.start()
            take_sample()

            def finish() -> None:
                # sampling stops first: a sample taken while the window shuts down
                # (streams closing) would be read as the end of the soak
                sampler.stop()
                probe.stop()
                witness.stop()
                if stall_stacks:
                    faulthandler.cancel_dump_traceback_later()
                    stall_stacks.close()
                app.quit()

            finisher = QTimer()
            finisher.setSingleShot(True)
            finisher.setTimerType(Qt.TimerType.PreciseTimer)  # a coarse one may fire 5 % early
            finisher.timeout.connect(finish)
            finisher.start(int(args.minutes * 60_000))
            app.exec()
            window.close()
            runtime.close()
    finally:
        dc.terminate()
        dc.wait(30)

    warm = max(1, len(samples) // 5)
    after = samples[warm:]

    def level(rows: list[dict], key: str) -> float:
        return statistics.median(r[key] for r in rows)

    first, last_rows = after[:3], after[-3:]
    head, tail = same_load_quarters(after)

    def floor(rows: list[dict], key: str) -> int:
        return min(r[key] for r in rows)

    figures = {
        "minutes": args.minutes,
        "speed": args.speed,
        "city_hours": round(args.minutes * args.speed / 60, 1),
        "samples": len(samples),
        "warmup_samples": warm,
        "tiles_playing_compared": head[0]["tiles_playing"],
        "quarter_samples": len(head),
        "gui_rss_start_mb": level(first, "gui_rss_mb"),
        "gui_rss_end_mb": level(last_rows, "gui_rss_mb"),
        "collector_rss_start_mb": level(first, "collector_rss_mb"),
        "collector_rss_end_mb": level(last_rows, "collector_rss_mb"),
        "gui_threads_floor_start": floor(head, "gui_threads"),
        "gui_threads_floor_end": floor(tail, "gui_threads"),
        "collector_threads_floor_start": floor(head, "collector_threads"),
        "collector_threads_floor_end": floor(tail, "collector_threads"),
        "gui_fds_floor_start": floor(head, "gui_fds"),
        "gui_fds_floor_end": floor(tail, "gui_fds"),
        "collector_fds_floor_start": floor(head, "collector_fds"),
        "collector_fds_floor_end": floor(tail, "collector_fds"),
        "stall_max_ms": round(max(all_gaps), 1) if all_gaps else None,
        "stall_p99_ms": round(statistics.quantiles(all_gaps, n=100)[98], 1)
        if len(all_gaps) > 100
        else None,
        "stall_max_after_warmup_ms": max(r["max_stall_ms"] for r in after),
    }
    # how often, not only how long: one run's longest stall is one draw, the counts are steadier
    warm_end_s = samples[warm - 1]["t_s"]
    late = [gap for gap, t in zip(all_gaps, gap_times, strict=True) if t > warm_end_s]
    figures["stall_p99_after_warmup_ms"] = (
        round(statistics.quantiles(late, n=100)[98], 1) if len(late) > 100 else None
    )
    for over in (50, 100, 200):
        figures[f"stalls_over_{over}ms_after_warmup"] = sum(1 for gap in late if gap > over)
    figures["host_steal_pct_max"] = max(r["host_steal_pct"] for r in after)
    figures["samples_over_200ms_after_warmup"] = [
        {
            k: r[k]
            for k in ("t_s", "max_stall_ms", "machine_busy_pct", "host_steal_pct", "tiles_fps_mean")
        }
        for r in after
        if r["max_stall_ms"] > TARGET_STALL_MS
    ]
    figures["gui_rss_growth_pct"] = round(
        100 * (figures["gui_rss_end_mb"] / figures["gui_rss_start_mb"] - 1), 2
    )
    figures["collector_rss_growth_pct"] = round(
        100 * (figures["collector_rss_end_mb"] / figures["collector_rss_start_mb"] - 1), 2
    )
    figures["targets"] = {
        "rss_growth_pct": TARGET_RSS_GROWTH_PCT,
        "stall_ms": TARGET_STALL_MS,
    }
    figures["met"] = {
        "gui_rss": figures["gui_rss_growth_pct"] <= TARGET_RSS_GROWTH_PCT,
        "collector_rss": figures["collector_rss_growth_pct"] <= TARGET_RSS_GROWTH_PCT,
        "threads": figures["gui_threads_floor_end"] <= figures["gui_threads_floor_start"]
        and figures["collector_threads_floor_end"] <= figures["collector_threads_floor_start"],
        "open_files": figures["gui_fds_floor_end"] <= figures["gui_fds_floor_start"]
        and figures["collector_fds_floor_end"] <= figures["collector_fds_floor_start"],
        "stall": figures["stall_max_after_warmup_ms"] <= TARGET_STALL_MS,
    }

    # which kinds of thread differ between the samples where the fewest were seen
    def fewest_at(rows: list[dict], key: str) -> int:
        return samples.index(min(rows, key=lambda r: r[key]))

    figures["gui_thread_kinds_changed"] = differences(
        censuses[fewest_at(head, "gui_threads")][0], censuses[fewest_at(tail, "gui_threads")][0]
    )
    figures["collector_thread_kinds_changed"] = differences(
        censuses[fewest_at(head, "collector_threads")][1],
        censuses[fewest_at(tail, "collector_threads")][1],
    )
    figures["gui_fd_kinds_changed"] = differences(
        fd_censuses[fewest_at(head, "gui_fds")][0], fd_censuses[fewest_at(tail, "gui_fds")][0]
    )
    figures["collector_fd_kinds_changed"] = differences(
        fd_censuses[fewest_at(head, "collector_fds")][1],
        fd_censuses[fewest_at(tail, "collector_fds")][1],
    )
    figures["stalls_witnessed"] = witness.report()
    figures["curve"] = samples
    print(
        f"after warm-up: GUI RSS {figures['gui_rss_start_mb']:.0f} → {figures['gui_rss_end_mb']:.0f} MB "
        f"({figures['gui_rss_growth_pct']:+.1f} %), collector {figures['collector_rss_start_mb']:.0f} → "
        f"{figures['collector_rss_end_mb']:.0f} MB ({figures['collector_rss_growth_pct']:+.1f} %); "
        f"fewest threads {figures['gui_threads_floor_start']:.0f}→{figures['gui_threads_floor_end']:.0f} / "
        f"{figures['collector_threads_floor_start']:.0f}→{figures['collector_threads_floor_end']:.0f}; "
        f"fewest open files {figures['gui_fds_floor_start']:.0f}→{figures['gui_fds_floor_end']:.0f} / "
        f"{figures['collector_fds_floor_start']:.0f}→{figures['collector_fds_floor_end']:.0f}; "
        f"longest stall after warm-up {figures['stall_max_after_warmup_ms']:.0f} ms, stalls over 50/100/200 ms "
        f"{figures['stalls_over_50ms_after_warmup']}/{figures['stalls_over_100ms_after_warmup']}/"
        f"{figures['stalls_over_200ms_after_warmup']}",
        flush=True,
    )
    print(
        f"kinds of thread changed between those fewest: GUI {figures['gui_thread_kinds_changed'] or 'none'}, "
        f"collector {figures['collector_thread_kinds_changed'] or 'none'}",
        flush=True,
    )
    print(
        f"kinds of open file changed between those fewest: GUI {figures['gui_fd_kinds_changed'] or 'none'}, "
        f"collector {figures['collector_fd_kinds_changed'] or 'none'}",
        flush=True,
    )
    for stall in figures["stalls_witnessed"]:
        if stall["late_ms"] - PROBE_MS > TARGET_STALL_MS:
            times = (
                (
                    f"; over {stall['span_ms']:.0f} ms it ran {stall['ran_ms']:.0f}, waited for a core "
                    f"{stall['waited_for_a_core_ms']:.0f} and slept {stall['slept_ms']:.0f}"
                )
                if "span_ms" in stall
                else ""
            )
            print(
                f"stall of about {stall['late_ms']:.0f} ms at t={stall['t_s']:.0f} s{times}; the GUI thread was in:"
            )
            for stack in stall["stacks"]:
                print("    " + " > ".join(stack))
            if "cpu_ms_from_detection" in stall:
                print(
                    f"  in system calls (20 ms looks): {stall['gui_thread_in']}; a core used from detection to "
                    f"end, ms: {stall['cpu_ms_from_detection']}"
                )
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
