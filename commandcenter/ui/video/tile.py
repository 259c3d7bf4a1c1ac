"""A live video tile: one camera, decoded by FFmpeg in a thread of its own (decoder.py).

The tile is a small state machine (domain.video.TileState) and always says which
state it is in: connecting, live (with fps and resolution), stalled (the last frame
with its age), camera offline, unauthorized, or the error. It asks the data center
for a fresh preview URL at every (re)connect, because URLs expire; it reconnects by
itself with exponential backoff; it holds no connection while it is not on screen.
The picture and the words over it (number, names, state, alert) are two labels
that Qt paints by itself.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import deque
from concurrent.futures import Future
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QPainter,
    QPalette,
    QPixmap,
)
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from commandcenter.domain.backoff import Retries
from commandcenter.domain.camera_places import camera_place, one_line
from commandcenter.domain.records import Camera, ServicePoint
from commandcenter.domain.video import (
    FAILURES_BEFORE_DEAD,
    FRAMED_UP_TO_SEVERITY,
    OFFLINE_RETRY_S,
    RECONNECT_AFTER_STALL_S,
    RECONNECT_BACKOFF,
    STALL_AFTER_S,
    DirectStream,
    Tier,
    TierPolicy,
    TileState,
)
from commandcenter.feeds.cameras import CameraCallFailed, CameraCommands, PreviewUrl
from commandcenter.ui.video.decoder import StreamReader
from commandcenter.ui.video.overlay import overlay_region, paint_overlay
from commandcenter.ui.video.ptz import PTZ_KEYS, PTZ_WHEEL_STEP_MS, send_ptz
from commandcenter.ui.video.pump import frame_pump
from commandcenter.ui.video.snapshots import evidence_picture, save_snapshot
from commandcenter.ui.widgets import i18n
from commandcenter.ui.widgets.tables import dragged_point_ids
from commandcenter.ui.widgets.text import literal

# Tried in this order; a camera that does not offer one (415) is asked for the next.
PROTOCOLS = ("rtsp", "hls", "mjpeg")
BACKGROUND = QColor("#0b0f14")


class _Answer(QObject):
    """Carries news from worker threads (a camera command's answer, the stream reader's
    end) to the GUI thread. Pictures take another way: the frame pump."""

    arrived = Signal(int, object, object)  # generation, result, CameraCallFailed or None
    ended = Signal(int, str)  # generation, reason
    ptz_refused = Signal(str)  # the data center's reason


DEFAULT_TIER_POLICY = TierPolicy()
# From this many tiles on, a title is the camera's place alone (the station is on hover).
SHORT_TITLES_FROM = 25


def full_title(camera: Camera | DirectStream | None, point: ServicePoint | None) -> str:
    """Station · the camera's place there (the camera's name without the station's)."""
    if camera is None:
        return ""
    station = one_line(point.name) if point is not None else ""
    place = camera_place(camera.name, station) if station else one_line(camera.name)
    return f"{station} · {place}" if station and place else station or place


def short_title(camera: Camera | DirectStream | None, point: ServicePoint | None) -> str:
    """The camera's place alone (its station's name when the camera has no other)."""
    if camera is None:
        return ""
    station = one_line(point.name) if point is not None else ""
    return camera_place(camera.name, station) or station or one_line(camera.name)


def tile_time(dt: datetime) -> str:
    """A time as a tile shows it (since when a camera is offline, when a picture froze)."""
    return i18n.moment(dt)


class VideoTile(QWidget):
    state_changed = Signal(object)  # TileState
    double_clicked = Signal()
    ptz_moved = Signal(
        str, str
    )  # camera id, action: a state change the wall writes to the audit log
    snapshot_requested = Signal()  # S on the tile
    points_dropped = Signal(list)  # service point ids dragged onto the tile (from the directory)
    release_requested = Signal()  # Delete on the tile: give it back to the automatic order
    liveness_changed = Signal(str)  # camera id: its stream is now dead, or live again

    def __init__(
        self,
        number: int,
        cameras: CameraCommands | None,
        parent: QWidget | None = None,
        *,
        tier_policy: TierPolicy = DEFAULT_TIER_POLICY,
        working_protocols: dict[str, str] | None = None,
        dead_streams: dict[str, datetime] | None = None,
    ):
        super().__init__(parent)
        self.number = number
        self.cameras = cameras
        self.tier_policy = tier_policy
        # shared by the wall's tiles: the protocol each camera was last played with
        self._working = working_protocols if working_protocols is not None else {}
        # shared by the wall's tiles: since when each camera's stream has kept failing
        self._dead_streams = dead_streams if dead_streams is not None else {}
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setMinimumSize(QSize(120, 80))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAcceptDrops(True)
        self.pinned = False  # the operator put this camera here
        # The picture and the words are two labels that Qt paints by itself: a wall shows
        # hundreds of pictures a second, and a paint handler in Python for each would have
        # to win the interpreter from every decoding thread, several times per picture.
        self._video = QLabel(self)
        self._video.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._video.setAutoFillBackground(True)
        palette = self._video.palette()
        palette.setColor(QPalette.ColorRole.Window, BACKGROUND)
        self._video.setPalette(palette)
        self._words = QLabel(self)
        self._words.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground)
        for label in (self._video, self._words):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

        self.camera: Camera | DirectStream | None = None
        self.point = None
        self.alert = None
        self.state = TileState.IDLE
        self.reason = ""
        self.tier: Tier | None = None
        self.protocol: str | None = None
        self.active = False
        self.tiles_shown = 1
        self.focused_view = False
        self.show_details = False  # bitrate and resolution on demand (i)

        self._reader: StreamReader | None = None
        # the reader's newest picture, handed over under the lock: (image, width, height, frame)
        self._slot: tuple | None = None
        self._slot_lock = threading.Lock()
        self._box = (480, 270)  # the tile's size, for the reader's thread (no widget calls there)
        self._image: QImage | None = None  # the picture shown, scaled to the tile
        self._last_frame = None  # the same picture at full size, for snapshots
        self._frame_size = QSize()
        self._frozen_at: datetime | None = None  # when the picture shown stopped moving
        self._failures = 0  # connections failed in a row
        self._failing_since: datetime | None = None
        self.notice: str | None = (
            None  # a passing word on the tile (a PTZ refusal, a snapshot taken)
        )
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.timeout.connect(lambda: self.show_notice(None))
        self._shown_fps = 0  # the fps on the tile: see _check_flow
        self._shown_kbps = 0.0
        self._bytes_mark: tuple[float, int] | None = None  # (time, bytes read) at the last refresh
        self._overlay_key: tuple | None = None
        self._overlay_pixmap: QPixmap | None = None
        self._last_frame_at: float | None = None
        self._frame_times: deque[float] = deque(maxlen=60)
        self.frames = 0
        self._generation = 0  # answers and errors of an earlier connection are ignored
        self._connect_started = time.monotonic()
        self._backoff = Retries(RECONNECT_BACKOFF)
        self._answer = _Answer(self)
        self._answer.arrived.connect(self._on_answer)
        self._answer.ended.connect(self._on_stream_end)
        self._answer.ptz_refused.connect(self._on_ptz_refused)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self._connect)
        self._watchdog = QTimer(self)
        self._watchdog.setInterval(500)
        self._watchdog.timeout.connect(self._check_flow)

    # -- what the wall tells the tile ---------------------------------------------------

    def assign(self, camera, point=None, alert=None) -> None:
        """Show this camera (None: an empty tile). The same camera keeps its stream."""
        same = (
            camera is not None
            and self.camera is not None
            and camera.camera_id == self.camera.camera_id
        )
        was_online = bool(self.camera and self.camera.online)
        self.camera, self.point, self.alert = camera, point, alert
        if same and camera.online == was_online:
            self._refresh_words()
            return
        # the camera shown went offline: its last picture stays, greyed, with its time
        self._restart(keep_picture=same and was_online)

    def set_active(self, active: bool) -> None:
        """On screen or not: a tile nobody sees decodes nothing and holds no connection."""
        if active == self.active:
            return
        self.active = active
        self._restart()

    def set_layout_context(self, tiles_shown: int, focused: bool = False) -> None:
        shorter = (self.tiles_shown >= SHORT_TITLES_FROM) != (tiles_shown >= SHORT_TITLES_FROM)
        self.tiles_shown, self.focused_view = tiles_shown, focused
        if shorter:
            self._refresh_words()  # the title's length follows the layout
        self._consider_tier()

    @property
    def fps(self) -> float:
        now = time.monotonic()
        recent = [t for t in self._frame_times if now - t <= 2.0]
        if len(recent) < 2:
            return 0.0
        return (len(recent) - 1) / max(1e-6, recent[-1] - recent[0])

    @property
    def picture_shown(self) -> bool:
        """A picture of the stream is on the tile (frozen, when stalled)."""
        return self._image is not None

    @property
    def frozen_at(self) -> datetime | None:
        """When the picture on the tile stopped moving (None: live, or no picture)."""
        return self._frozen_at

    @property
    def dead_since(self) -> datetime | None:
        """Since when the camera has shown nothing: the data center's word that it is
        offline (its record's time), or the first of the failures in a row that made
        its stream count as dead. None while it is live or still being tried."""
        camera = self.camera
        if camera is None or isinstance(camera, DirectStream):
            return None
        if not camera.online:
            return camera.updated_at
        return self._dead_streams.get(camera.camera_id)

    @property
    def framing_alert(self):
        """The open alert of the tile's own station that frames it: severity 1–2 only."""
        alert = self.alert
        return alert if alert is not None and alert.severity <= FRAMED_UP_TO_SEVERITY else None

    def full_title(self) -> str:
        return full_title(self.camera, self.point)

    def title(self) -> str:
        """The title on the tile: in a crowded layout, the camera's place alone."""
        if self.tiles_shown < SHORT_TITLES_FROM:
            return full_title(self.camera, self.point)
        return short_title(self.camera, self.point)

    @property
    def frame_size(self) -> QSize:
        return QSize(self._frame_size)

    @property
    def connected(self) -> bool:
        """A reader holds (or is opening) a connection."""
        return self._reader is not None

    def wanted_tier(self) -> Tier:
        has_sub = bool(self.camera and self.camera.has_sub_stream)
        return self.tier_policy.choose(
            self.tier,
            self.height(),
            self.tiles_shown,
            has_sub_stream=has_sub,
            focused=self.focused_view,
        )

    def snapshot(self, directory: Path) -> Path | None:
        """The current frame as JPEG in `directory` (snapshots.py); None while there is
        no picture."""
        if self._last_frame is None or self.camera is None:
            return None
        return save_snapshot(self._last_frame, self.camera, self.point, directory)

    def evidence_jpeg(self) -> tuple[bytes, datetime] | None:
        """The current frame as inspection evidence (snapshots.py); None while there is
        no picture."""
        if self._last_frame is None or self.camera is None:
            return None
        return evidence_picture(self._last_frame, self.camera)

    # -- connecting ---------------------------------------------------------------------

    def _restart(self, *, keep_picture: bool = False) -> None:
        self._stop_stream()
        self._backoff.reset()
        self._failures, self._failing_since = 0, None
        if not keep_picture:
            self._image, self._last_frame, self._last_frame_at = None, None, None
            self._frozen_at = None
            self._frame_size = QSize()
            self._video.clear()
        self._frame_times.clear()
        if self.camera is None or not self.active:
            self._set_state(TileState.IDLE)
            return
        self._connect()

    def _connect(self) -> None:
        self._stop_stream()
        if self.camera is None or not self.active:
            return
        if isinstance(self.camera, DirectStream):
            self._generation += 1
            self.tier = None  # one stream, as the data center mixes it
            self.protocol = self.camera.url.split(":", 1)[0]
            self._set_state(TileState.CONNECTING, self.tr("opening the stream…"))
            self._play(self.camera.url)
            return
        if not self.camera.online:
            # the store says so; a camera coming back online is assigned again
            self._set_state(TileState.OFFLINE, self.tr("Camera offline"))
            return
        if self.cameras is None:
            self._set_state(TileState.ERROR, self.tr("no connection to the data center"))
            return
        self.tier = self.wanted_tier()
        protocol = self._working.get(self.camera.camera_id, PROTOCOLS[0])
        self._request(protocol)

    def _request(self, protocol: str) -> None:
        self._generation += 1
        generation = self._generation
        self.protocol = protocol
        self._set_state(TileState.CONNECTING, self.tr("requesting the stream…"))
        camera, cameras, tier = self.camera, self.cameras, self.tier
        # a tile asks for the stream of the camera it was given, through the window's commands
        assert camera is not None and cameras is not None and tier is not None
        try:
            future: Future[PreviewUrl] = cameras.preview_url(camera.camera_id, tier.value, protocol)
        except RuntimeError as exc:  # the commands are shut down: the window is closing
            self._failed("error", str(exc))
            return
        answer = self._answer

        def done(f: Future) -> None:  # a worker thread
            if f.cancelled():  # the commands were shut down with the window
                return
            error = f.exception()
            with contextlib.suppress(RuntimeError):  # the tile is gone
                answer.arrived.emit(generation, None if error else f.result(), error)

        future.add_done_callback(done)

    def _on_answer(
        self, generation: int, preview: PreviewUrl | None, error: BaseException | None
    ) -> None:
        if generation != self._generation or not self.active or self.camera is None:
            return
        if error is not None:
            kind = error.kind if isinstance(error, CameraCallFailed) else "error"
            message = error.message if isinstance(error, CameraCallFailed) else str(error)
            if kind == "not_offered":
                later = (
                    PROTOCOLS[PROTOCOLS.index(self.protocol) + 1 :]
                    if self.protocol in PROTOCOLS
                    else ()
                )
                if later:
                    self._request(later[0])
                    return
            self._failed(kind, message)
            return
        assert preview is not None and self.protocol is not None  # an answer without an error
        self._working[self.camera.camera_id] = self.protocol
        self._play(preview.url)

    def _play(self, url: str) -> None:
        generation = self._generation
        answer = self._answer

        def on_picture(image, width, height, frame) -> None:  # the reader's thread
            with self._slot_lock:
                self._slot = (generation, image, width, height, frame)

        def on_end(reason: str) -> None:  # the reader's thread
            with contextlib.suppress(RuntimeError):
                answer.ended.emit(generation, reason)

        self._connect_started = time.monotonic()
        self._bytes_mark = None
        self._reader = StreamReader(
            url, lambda: self._box, on_picture, on_end, wants_picture=lambda: self._slot is None
        )
        self._reader.start_soon()
        self._watchdog.start()
        frame_pump().add(self)

    def _stop_stream(self) -> None:
        self._retry.stop()
        self._watchdog.stop()
        self._generation += 1
        reader, self._reader = self._reader, None
        if reader is not None:
            reader.stop()
            frame_pump().discard(self)
        with self._slot_lock:
            self._slot = None

    def _failed(self, kind: str, message: str) -> None:
        """A connection failed: say why on the tile and try again later."""
        self._stop_stream()
        self._count_failure(kind)
        if kind == "offline":
            self._set_state(TileState.OFFLINE, self.tr("Camera offline"))
            delay = OFFLINE_RETRY_S
        else:
            state = TileState.UNAUTHORIZED if kind == "unauthorized" else TileState.ERROR
            self._set_state(state, message)
            delay = self._backoff.next_delay()
        self._retry.start(int(delay * 1000))

    def _count_failure(self, kind: str) -> None:
        """After the data center's "offline", or a few failures in a row, the camera's
        stream is dead: the wall hears of it and ranks a live camera before it."""
        camera = self.camera
        if camera is None or isinstance(camera, DirectStream):
            return
        if self._failing_since is None:
            # the picture froze before the connection failed: dead since then
            self._failing_since = self._frozen_at or datetime.now(UTC)
        self._failures += 1
        dead = kind == "offline" or self._failures >= FAILURES_BEFORE_DEAD
        if dead and camera.camera_id not in self._dead_streams:
            self._dead_streams[camera.camera_id] = self._failing_since
            self.liveness_changed.emit(camera.camera_id)

    def _came_back(self) -> None:
        self._failures, self._failing_since = 0, None
        camera = self.camera
        if camera is not None and self._dead_streams.pop(camera.camera_id, None) is not None:
            self.liveness_changed.emit(camera.camera_id)

    # -- the stream -----------------------------------------------------------------

    def _take_picture(self) -> None:
        """The frame pump's call: show the picture waiting in the slot, if any."""
        if self._slot is None:  # the common case, read without the lock
            return
        with self._slot_lock:
            slot, self._slot = self._slot, None
        if slot is None or slot[0] != self._generation:
            return
        _generation, image, width, height, frame = slot
        now = time.monotonic()
        had_image = self._image is not None
        self._image, self._last_frame = image, frame
        self._video.setPixmap(QPixmap.fromImage(image))
        self._frame_size = QSize(width, height)
        self._last_frame_at = now
        self._frame_times.append(now)
        self.frames += (
            1  # pictures put on screen (a picture decoded while the screen lagged is not)
        )
        if self.state is not TileState.LIVE:
            self._backoff.reset()
            self._came_back()
            self._set_state(TileState.LIVE)
        elif not had_image:
            self._refresh_words()

    def _on_stream_end(self, generation: int, reason: str) -> None:
        if generation == self._generation:
            self._failed("error", reason)

    def _on_ptz_refused(self, reason: str) -> None:
        self.show_notice(self.tr("PTZ refused: %1").replace("%1", reason))

    def show_notice(self, text: str | None, seconds: float = 4.0) -> None:
        """Say something on the tile's state line for a few seconds."""
        self.notice = text
        if text:
            self._notice_timer.start(int(seconds * 1000))
        self._refresh_words()

    def _check_flow(self) -> None:
        """Stalled when frames stop; reconnect (with a fresh URL) when they stay away."""
        now = time.monotonic()
        since = max(self._last_frame_at or 0.0, self._connect_started)
        quiet = now - since
        if quiet >= RECONNECT_AFTER_STALL_S:
            self._failed("error", self.tr("no picture for %1 s").replace("%1", str(int(quiet))))
        elif quiet >= STALL_AFTER_S and self.state is TileState.LIVE:
            self._set_state(TileState.STALLED)
        if self.state is TileState.LIVE:
            # Whole frames per second, changed only by a whole frame: a measured 12.5 would
            # flip the words between 12 and 13 at every check, and each change repaints
            # the tile's overlay, text and all (the largest single cost in a profile of
            # the window's thread under a 16-tile wall).
            if abs(self.fps - self._shown_fps) >= 1.0:
                self._shown_fps = round(self.fps)
            reader = self._reader
            if reader is not None:
                if self._bytes_mark is not None and now > self._bytes_mark[0]:
                    self._shown_kbps = (
                        (reader.bytes_read - self._bytes_mark[1])
                        * 8
                        / 1000
                        / (now - self._bytes_mark[0])
                    )
                self._bytes_mark = (now, reader.bytes_read)
        self._refresh_words()  # fps, the stalled picture's age, the retry countdown
        self._consider_tier()

    def _consider_tier(self) -> None:
        if (
            self.state in (TileState.LIVE, TileState.STALLED)
            and self.tier is not None
            and self.wanted_tier() is not self.tier
        ):
            self._connect()  # the other stream, with its own URL

    def _set_state(self, state: TileState, reason: str = "") -> None:
        changed = state is not self.state
        self.state, self.reason = state, reason
        if state is TileState.LIVE:
            self._frozen_at = None
        elif self._image is not None and self._frozen_at is None:
            self._freeze()
        if changed:
            self.state_changed.emit(state)
        self._refresh_words()

    def _freeze(self) -> None:
        """The picture stopped: it stays, greyed, so that nobody takes it for live."""
        assert self._image is not None and self._last_frame_at is not None
        quiet = time.monotonic() - self._last_frame_at
        self._frozen_at = datetime.now(UTC) - timedelta(seconds=quiet)
        grey = self._image.convertToFormat(QImage.Format.Format_Grayscale8)
        self._video.setPixmap(QPixmap.fromImage(grey))

    # -- painting ---------------------------------------------------------------------

    def frozen_text(self) -> str:
        """Over a frozen picture: when it froze."""
        if self._frozen_at is None:
            return ""
        return self.tr("Picture frozen at %1").replace("%1", tile_time(self._frozen_at))

    def _offline_text(self) -> str | None:
        since = self.dead_since
        if since is None:
            return None
        return self.tr("Video offline since %1").replace("%1", tile_time(since))

    def state_text(self) -> str:
        if self.camera is None:
            return self.tr("(empty)")
        if self.notice:
            return self.notice
        s = self.state
        if s is TileState.LIVE:
            text = self.tr("Live") + f" · {self._shown_fps} fps"
            if self.show_details:
                size = self.frame_size
                text += (
                    f" · {size.width()}×{size.height()} · {self._shown_kbps:,.0f} kbit/s"
                    f" · {self.tier.value if self.tier else ''}"
                )
            return text
        if s is TileState.STALLED and self._last_frame_at is not None:
            age = time.monotonic() - self._last_frame_at
            return self.tr("Stalled · last picture %1 ago").replace("%1", i18n.age(age))
        offline = self._offline_text()  # the stream's failures in a row are the tile's news
        if s is TileState.CONNECTING:
            connecting = self.tr("Connecting…")
            return f"{offline} · {connecting}" if offline else connecting
        if s is TileState.OFFLINE:
            return offline or self.tr("Camera offline")
        if s is TileState.UNAUTHORIZED:
            text = self.tr("Not authorized: %1").replace("%1", self.reason)
            return f"{offline} · {text}" if offline else text
        if s is TileState.ERROR:
            retry = self._retry.remainingTime() if self._retry.isActive() else -1
            text = self.tr("Error: %1").replace("%1", self.reason)
            if offline:
                text = f"{offline} · {text}"
            return text + (
                self.tr(" · retrying in %1 s").replace("%1", str(max(1, retry // 1000)))
                if retry >= 0
                else ""
            )
        return self.tr("Not shown")

    def _refresh_words(self) -> None:
        pixmap = self._overlay()
        tooltip = literal(self.full_title())
        if self.toolTip() != tooltip:
            self.setToolTip(tooltip)  # the whole name, where the title is cut or shortened
        if self._words.pixmap().cacheKey() != pixmap.cacheKey():
            self._words.setPixmap(pixmap)
            # Only where there are words or frames: every new picture repaints what lies
            # over it, and blending a whole tile's overlay 900 times a second is not free.
            self._words.setMask(overlay_region(self))

    def _overlay(self) -> QPixmap:
        """Number, names, state and alert, drawn once and reused while they stay the same:
        a wall repaints hundreds of tiles a second, their words change a few times."""
        # what is drawn, not the records it comes from: a point's record changes with
        # every poll (people on duty, its status), its name hardly ever
        framing = self.framing_alert
        alert = (framing.severity, framing.title) if framing is not None else None
        title = self.title()
        key = (
            self.size(),
            self.number,
            title,
            self.frozen_text(),
            alert,
            self.state,
            self.state_text(),
            self.hasFocus(),
            self._image is not None,
            self.pinned,
        )
        if key != self._overlay_key or self._overlay_pixmap is None:
            pixmap = QPixmap(self.size())
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            paint_overlay(painter, self)
            painter.end()
            self._overlay_key, self._overlay_pixmap = key, pixmap
        return self._overlay_pixmap

    def mouseDoubleClickEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.double_clicked.emit()
        event.accept()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._box = (self.width(), self.height())
        self._video.setGeometry(self.rect())
        self._words.setGeometry(self.rect())
        self._refresh_words()
        self._consider_tier()

    def focusInEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().focusInEvent(event)
        self._refresh_words()

    def focusOutEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().focusOutEvent(event)
        self._refresh_words()

    # -- PTZ --------------------------------------------------------------------------

    @property
    def has_ptz(self) -> bool:
        return bool(
            self.camera is not None
            and self.camera.ptz
            and self.camera.online
            and self.cameras is not None
        )

    def ptz(self, action: str) -> None:
        """Send a PTZ move (contract 3.6); a refusal is shown on the tile for a few seconds."""
        if not self.has_ptz or self.camera is None or self.cameras is None:
            return
        camera_id = self.camera.camera_id
        send_ptz(self.cameras, camera_id, action, self._answer.ptz_refused.emit)
        if action != "stop":
            self.ptz_moved.emit(camera_id, action)

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if dragged_point_ids(event.mimeData()):  # from the directory or the map
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt's name
        ids = dragged_point_ids(event.mimeData())
        if ids:
            event.acceptProposedAction()
            self.points_dropped.emit(ids)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.key() == Qt.Key.Key_Delete and self.pinned:
            self.release_requested.emit()
            event.accept()
            return
        if event.key() == Qt.Key.Key_I and not event.modifiers():
            self.show_details = not self.show_details  # resolution, bitrate and tier on demand
            self._refresh_words()
            event.accept()
            return
        if event.key() == Qt.Key.Key_S and not event.modifiers():
            self.snapshot_requested.emit()
            event.accept()
            return
        action = PTZ_KEYS.get(Qt.Key(event.key()))
        if action is None or not self.has_ptz:
            super().keyPressEvent(event)
            return
        if not event.isAutoRepeat():
            self.ptz(action)
        event.accept()

    def keyReleaseEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if PTZ_KEYS.get(Qt.Key(event.key())) and self.has_ptz and not event.isAutoRepeat():
            self.ptz("stop")
            event.accept()
            return
        super().keyReleaseEvent(event)

    def wheelEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if not self.has_ptz or event.angleDelta().y() == 0:
            super().wheelEvent(event)
            return
        self.ptz("zoom_in" if event.angleDelta().y() > 0 else "zoom_out")
        QTimer.singleShot(PTZ_WHEEL_STEP_MS, lambda: self.ptz("stop"))
        event.accept()

    def close_stream(self) -> None:
        self.active = False
        self._stop_stream()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.close_stream()
        super().closeEvent(event)
