"""Commands for one camera: its preview URL (contract 3.5) and PTZ moves (3.6).

Both are asked for by an operator's tile and answered in a worker: `preview_url` and
`ptz` return futures. Failures come back as `CameraCallFailed` with a `kind` the tile
shows (offline, unauthorized, …) and the data center's message; the same kinds cross
the collector's pipe, so a tile cannot tell where the call ran.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from commandcenter.domain.timefmt import InvalidTime, parse_iso_time
from commandcenter.feeds.client import DataCenterClient
from commandcenter.feeds.errors import ApiError, AuthError, DataCenterError, Unreachable

log = logging.getLogger(__name__)

PTZ_ACTIONS = ("left", "right", "up", "down", "zoom_in", "zoom_out", "stop")
PROTOCOLS = ("rtsp", "hls", "mjpeg")


@dataclass(frozen=True)
class PreviewUrl:
    """A camera stream's URL, and when the data center says it expires."""

    url: str
    expires_at: datetime | None


class CameraCallFailed(Exception):
    """`kind`: offline (409), unauthorized (401/403), not_offered (415), unknown (404),
    no_ptz (409 to a PTZ move), unreachable, invalid (a reply that breaks the contract),
    error."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message


def failure_kind(exc: Exception) -> str:
    """The kind of a camera call's failure, as the tiles tell it."""
    if isinstance(exc, AuthError):
        return "unauthorized"
    if isinstance(exc, ApiError):
        return {
            409: "offline",
            401: "unauthorized",
            403: "unauthorized",
            415: "not_offered",
            404: "unknown",
        }.get(exc.status, "error")
    if isinstance(exc, Unreachable):
        return "unreachable"
    return "error"


class CameraCommands(Protocol):
    """Preview URLs and PTZ moves, asked without waiting for the answer."""

    def preview_url(self, camera_id: str, stream_type: str, protocol: str) -> Future[PreviewUrl]:
        """The URL of a camera's stream, in the tier and protocol asked for."""

    def ptz(self, camera_id: str, action: str, speed: int) -> Future[None]:
        """Send a PTZ move to a camera."""


def request_preview_url(
    client: DataCenterClient, camera_id: str, stream_type: str, protocol: str
) -> PreviewUrl:
    """Blocking; raises CameraCallFailed."""
    try:
        response = client.post(
            f"/cameras/{camera_id}/preview-url", {"streamType": stream_type, "protocol": protocol}
        )
    except DataCenterError as exc:
        raise CameraCallFailed(failure_kind(exc), str(exc)) from None
    data = response.data
    url = data.get("url") if isinstance(data, dict) else None
    if not isinstance(url, str) or "://" not in url:
        raise CameraCallFailed(
            "invalid", f"preview-url for {camera_id}: no usable url in the reply"
        )
    expires = data.get("expiresAt")
    try:
        expires_at = parse_iso_time(expires) if isinstance(expires, str) else None
    except InvalidTime:
        expires_at = None  # the URL is still good; we ask again at every reconnect anyway
    return PreviewUrl(url, expires_at)


def request_ptz(client: DataCenterClient, camera_id: str, action: str, speed: int) -> None:
    """Send a PTZ move (contract 3.6), refusing an action the contract does not list."""
    if action not in PTZ_ACTIONS:
        raise CameraCallFailed("invalid", f"unknown PTZ action {action!r}")
    try:
        client.post(
            f"/cameras/{camera_id}/ptz", {"action": action, "speed": max(1, min(100, int(speed)))}
        )
    except DataCenterError as exc:
        # for PTZ a 409 means the camera has no PTZ, not that it is offline
        kind = "no_ptz" if isinstance(exc, ApiError) and exc.status == 409 else failure_kind(exc)
        raise CameraCallFailed(kind, str(exc)) from None


class DirectCameraCommands:
    """Calls the data center from this process, in a small pool of threads."""

    def __init__(self, client: DataCenterClient, workers: int = 4):
        self._client = client
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="camera")

    def preview_url(self, camera_id: str, stream_type: str, protocol: str) -> Future[PreviewUrl]:
        """The URL of a camera's stream, asked in a worker thread."""
        return self._pool.submit(
            request_preview_url, self._client, camera_id, stream_type, protocol
        )

    def ptz(self, camera_id: str, action: str, speed: int) -> Future[None]:
        """Send a PTZ move from a worker thread."""
        return self._pool.submit(request_ptz, self._client, camera_id, action, speed)

    def close(self) -> None:
        """Stop the worker threads; calls after this fail."""
        self._pool.shutdown(wait=False, cancel_futures=True)
