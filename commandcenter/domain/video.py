"""What a video tile decides without Qt: which stream tier it asks for, when it tries
again, and the states it can be in (shown on the tile, never a frozen picture
without a word)."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from commandcenter.domain.backoff import Backoff


class TileState(enum.Enum):
    """What a video tile is doing, from idle through live to why it shows nothing."""

    IDLE = "idle"  # nothing assigned, or not on screen: no connection held
    CONNECTING = "connecting"  # asking for the URL, opening the stream
    LIVE = "live"
    STALLED = "stalled"  # connected, but no frame for a while: the last one is shown with its age
    OFFLINE = "offline"  # the data center says the camera is offline (409)
    UNAUTHORIZED = "unauthorized"  # refused or expired URL (401/403)
    ERROR = "error"  # anything else, with its reason


class Tier(enum.Enum):
    """A camera's stream tier: main or sub."""

    MAIN = "main"
    SUB = "sub"


@dataclass(frozen=True)
class TierPolicy:
    """Main stream for a large tile, sub stream for small tiles and crowded layouts.

    Two thresholds, not one, so that a tile resized around the boundary (a dock being
    dragged) does not flap between streams: it goes up to main at `main_above_px` and
    back down to sub only below `sub_below_px`."""

    main_above_px: int = 540  # tile height
    sub_below_px: int = 400
    crowded_tiles: int = 9  # from this many tiles on the wall, small tiles stay on sub

    def choose(
        self,
        current: Tier | None,
        tile_height_px: int,
        tiles_shown: int,
        *,
        has_sub_stream: bool = True,
        focused: bool = False,
    ) -> Tier:
        """The stream tier a tile should play at its size and the wall's crowding."""
        if not has_sub_stream:
            return Tier.MAIN
        if focused or tiles_shown == 1:
            return Tier.MAIN
        if tiles_shown >= self.crowded_tiles and tile_height_px < self.main_above_px:
            return Tier.SUB
        if current is Tier.MAIN:
            return Tier.MAIN if tile_height_px >= self.sub_below_px else Tier.SUB
        return Tier.MAIN if tile_height_px >= self.main_above_px else Tier.SUB


# Reconnecting a tile: 1, 2, 4 … up to 30 s, each ±20 %; reset once the stream is live.
RECONNECT_BACKOFF = Backoff(first_s=1.0, cap_s=30.0, jitter=0.2)


# An offline camera does not come back in a second: ask again at this pace.
OFFLINE_RETRY_S = 30.0
# No frame for this long: the tile says "stalled" and shows the last frame's age …
STALL_AFTER_S = 3.0
# … and after this long it reconnects (with a fresh URL).
RECONNECT_AFTER_STALL_S = 10.0
# Failed this many times in a row (1, 2, 4 s apart), a stream counts as dead: the wall
# ranks its camera behind a live one until a picture comes again. Once is bad luck.
FAILURES_BEFORE_DEAD = 3
# A tile frames itself in the colour of its station's open alert up to this severity
# (特急, 紧急): a frame on every tile of a station with a notice would mean nothing.
FRAMED_UP_TO_SEVERITY = 2


@dataclass(frozen=True)
class DirectStream:
    """A stream played from a URL the data center has already given, not asked for as a
    camera's preview: a video meeting's mix. Shaped like a camera for the wall."""

    camera_id: str  # "mix:<meetingId>": unique among the wall's contents
    name: str
    url: str
    point_id: str | None = None
    online: bool = True
    ptz: bool = False
    has_sub_stream: bool = False
