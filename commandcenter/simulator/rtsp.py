"""RTSP streams for the simulated cameras, served by GStreamer's gst-rtsp-server.

The server runs in the system's Python (Debian's python3-gi and
gir1.2-gst-rtsp-server-1.0; GObject bindings do not install into a venv), started
as a child process by `RtspServer`. Every camera's URL, `rtsp://host:port/<cameraId>/<tier>`,
is served by one shared pipeline per tier: the server encodes two streams (H.264,
x264 at its fastest preset) however many tiles watch, so in a benchmark its cost is
small and is reported on its own. Only RTSP over TCP is offered, as the client asks.
A viewer that starts playing gets a key frame at once, as from a camera; the server
runs in a child that is started again on the same port if GStreamer aborts.

    /usr/bin/python3 commandcenter/simulator/rtsp.py --port 8554 [--host 127.0.0.1]
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

TIERS = {"main": (1280, 720, 2500), "sub": (640, 360, 700)}  # width, height, kbit/s
FPS = 25


class RtspServer:
    """Starts and stops the server process; `url` is the base of the cameras' URLs."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, python: str | None = None):
        self.host = host
        self.port = port
        self.python = python or system_python()
        self._proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"rtsp://{self.host}:{self.port}"

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def start(self, timeout: float = 20.0) -> RtspServer:
        if self.python is None:
            raise RuntimeError(
                "no system Python with GStreamer's RTSP server (python3-gi, "
                "gir1.2-gst-rtsp-server-1.0) was found"
            )
        self._proc = subprocess.Popen(
            [self.python, str(Path(__file__)), "--host", self.host, "--port", str(self.port)],
            stdout=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + timeout
        line = ""
        assert self._proc.stdout is not None  # made with stdout=PIPE
        while time.monotonic() < deadline:
            line = self._proc.stdout.readline()
            if line.startswith("ready "):
                self.port = int(line.split()[1])
                return self
            if not line and self._proc.poll() is not None:
                break
        self.stop()
        raise RuntimeError(f"the RTSP server did not start ({line.strip() or 'no answer'})")

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
        if proc.stdout is not None:
            proc.stdout.close()

    def __enter__(self) -> RtspServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def system_python() -> str | None:
    """A Python that can import GStreamer's RTSP server, or None."""
    for candidate in ("/usr/bin/python3", shutil.which("python3")):
        if not candidate or not os.path.exists(candidate):
            continue
        probe = subprocess.run(
            [
                candidate,
                "-c",
                "import gi; gi.require_version('GstRtspServer', '1.0'); "
                "from gi.repository import GstRtspServer",
            ],
            capture_output=True,
        )
        if probe.returncode == 0:
            return candidate
    return None


def _pipeline(width: int, height: int, kbps: int) -> str:
    return (
        # moving bars, so that every frame is a new picture to decode
        f"( videotestsrc is-live=true pattern=smpte horizontal-speed=4 "
        f"! video/x-raw,width={width},height={height},framerate={FPS}/1 "
        f"! x264enc name=encoder tune=zerolatency speed-preset=ultrafast bitrate={kbps} key-int-max={FPS} threads=1 "
        "! video/x-h264,profile=baseline ! rtph264pay name=pay0 pt=96 config-interval=1 )"
    )


def serve(host: str, port: int) -> int:
    import gi

    gi.require_version("Gst", "1.0")
    gi.require_version("GstRtsp", "1.0")
    gi.require_version("GstRtspServer", "1.0")
    gi.require_version("GstVideo", "1.0")
    from gi.repository import GLib, Gst, GstRtsp, GstRtspServer, GstVideo

    Gst.init(None)

    class CameraMounts(GstRtspServer.RTSPMountPoints):
        """Maps /<cameraId>/<tier> onto the tier's shared stream."""

        def do_make_path(self, url):
            path = url.abspath.rstrip("/")
            tier = path.rsplit("/", 1)[-1]
            return f"/{tier}" if tier in TIERS else path

    class TierFactory(GstRtspServer.RTSPMediaFactory):
        """Shared media are looked up by a key made from the URL; every camera's URL of
        one tier gets the same key, so all of them watch one encode."""

        def __init__(self, tier: str):
            super().__init__()
            self.tier = tier

        def do_gen_key(self, url):
            return self.tier

    encoders: dict[str, Gst.Element] = {}  # tier -> the x264 encoder of its shared stream

    def remember_encoder(factory, media) -> None:
        encoders[factory.tier] = media.get_element().get_by_name("encoder")

    def key_frame_for_new_viewer(client, context) -> None:
        # A camera sends a key frame when a viewer starts playing: without one, the
        # viewer sees nothing until the next one, up to a whole GOP (a second) later.
        # Asked for 100 ms after the PLAY: a key frame encoded at once goes out before
        # the new viewer's stream is linked, and the viewer waits for the next one.
        tier = context.uri.abspath.rstrip("/").rsplit("/", 1)[-1] if context.uri else ""
        encoder = encoders.get(tier)
        if encoder is not None:

            def force() -> bool:
                encoder.get_static_pad("src").send_event(
                    GstVideo.video_event_new_upstream_force_key_unit(Gst.CLOCK_TIME_NONE, True, 1)
                )
                return False

            GLib.timeout_add(100, force)

    def on_client(server, client) -> None:
        client.connect("play-request", key_frame_for_new_viewer)

    server = GstRtspServer.RTSPServer()
    server.connect("client-connected", on_client)
    server.set_address(host)
    server.set_service(str(port))
    mounts = CameraMounts()
    for tier, (width, height, kbps) in TIERS.items():
        factory = TierFactory(tier)
        factory.set_launch(_pipeline(width, height, kbps))
        factory.set_shared(True)
        factory.connect("media-configure", remember_encoder)
        factory.set_protocols(GstRtsp.RTSPLowerTrans.TCP)
        mounts.add_factory(f"/{tier}", factory)
    server.set_mount_points(mounts)
    if server.attach(None) == 0:
        print(f"failed cannot listen on {host}:{port}", flush=True)
        return 1
    print(f"ready {server.get_bound_port()}", flush=True)
    loop = GLib.MainLoop()
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, loop.quit)
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGINT, loop.quit)
    loop.run()
    return 0


def supervise(host: str, port: int) -> int:
    """Serve in a child process and start it again on the same port if it dies.

    GStreamer 1.22's RTSP server sometimes aborts on an assertion
    (gst_rtsp_media_get_rates) when viewers join and leave a shared stream quickly;
    cameras come back after such a failure, and so does this server. The child is
    forked before GStreamer is loaded here, so the fork is clean."""
    stopping = False
    child = 0

    def stop(signum, frame) -> None:
        nonlocal stopping
        stopping = True
        if child:
            os.kill(child, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    announced = False
    while not stopping:
        read_end, write_end = os.pipe()
        child = os.fork()
        if child == 0:
            os.close(read_end)
            os.dup2(write_end, 1)  # the child's "ready <port>" line comes to this process
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            os._exit(serve(host, port))
        os.close(write_end)
        with os.fdopen(read_end) as from_child:
            line = from_child.readline()
            if line.startswith("ready "):
                port = int(line.split()[1])  # a restart takes the same port
                if not announced:
                    print(line.strip(), flush=True)
                    announced = True
            elif line and not announced:
                print(line.strip(), flush=True)
            while from_child.readline():
                pass  # until the child ends
        _, status = os.waitpid(child, 0)
        child = 0
        if stopping or os.WIFEXITED(status):
            return os.WEXITSTATUS(status) if os.WIFEXITED(status) else 0
        print(
            f"the RTSP server died (signal {os.WTERMSIG(status)}); starting it again on port {port}",
            file=sys.stderr,
            flush=True,
        )
        time.sleep(0.2)
    return 0


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8554)
    args = parser.parse_args()
    sys.exit(supervise(args.host, args.port))
