"""The video wall's layouts: square grids, and grids whose first tile spans several
cells (a big picture among small ones). Named so that saved walls, tours and the
alarm layout of the configuration can refer to them."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class WallLayout:
    """A layout of the video wall: its name, grid and big tile."""

    name: str
    side: int  # the grid is side × side cells
    big: int = 0  # the first tile spans big × big cells (0: all tiles are one cell)

    @property
    def cells(self) -> list[tuple[int, int, int, int]]:
        """(row, column, rows, columns) of each tile, in tile-number order."""
        if not self.big:
            return [(n // self.side, n % self.side, 1, 1) for n in range(self.side * self.side)]
        cells = [(0, 0, self.big, self.big)]
        for row in range(self.side):
            for col in range(self.side):
                if row >= self.big or col >= self.big:
                    cells.append((row, col, 1, 1))
        return cells

    @property
    def size(self) -> int:
        """How many tiles the layout shows."""
        return len(self.cells)


LAYOUTS = [WallLayout(str(n * n), n) for n in range(1, 7)] + [
    WallLayout("1+5", 3, 2),
    WallLayout("1+7", 4, 3),
]
LAYOUT_BY_NAME = {layout.name: layout for layout in LAYOUTS}


def live_first(ranked: Iterable[str], dead: Collection[str]) -> Iterator[str]:
    """The wall order with every dead camera (offline, or its stream keeps failing)
    moved behind the next live one: behind a live camera of its own station when it
    has one, else of the next station. A dead camera stays near its station's rank,
    where the operator looks for it, but never ahead of a picture."""
    waiting: list[str] = []
    for camera_id in ranked:
        if camera_id in dead:
            waiting.append(camera_id)
            continue
        yield camera_id
        yield from waiting
        waiting.clear()
    yield from waiting


def place_ranked(
    showing: list[str | None],
    ranked: list[str],
    *,
    first_is_big: bool = False,
    dead: Collection[str] = (),
) -> list[str | None]:
    """Which camera each tile the operator has not placed shows next.

    `showing`: the camera each of those tiles shows now (None: nothing); `ranked`: every
    camera that may be shown, in wall order (alerting stations first). The first
    len(showing) of them earn a place. One that already has a tile keeps it, and a
    camera new to the wall takes a tile freed by one that lost its place, in rank order:
    each camera moved is a reconnect and a blank tile, and an alert opening or closing
    reorders the ranking, which moved every camera after it. With `first_is_big`, the
    big first tile always shows the camera ranked first; the one it showed keeps a tile
    if it still earns one. The same holds for a first tile that shows a camera in
    `dead`: the front of the wall is not held by a camera without a picture.
    """
    wanted = ranked[: len(showing)]
    earned = set(wanted)
    placed: list[str | None] = []
    for camera_id in showing:
        # a camera off the wall now, or shown twice (only the first tile keeps it)
        placed.append(camera_id if camera_id in earned and camera_id not in placed else None)
    front_is_dead = bool(placed) and placed[0] in dead
    if (first_is_big or front_is_dead) and wanted and placed[0] != wanted[0]:
        if wanted[0] in placed:
            placed[placed.index(wanted[0])] = None
        placed[0] = wanted[0]
    newcomers = iter([c for c in wanted if c not in placed])
    return [camera_id if camera_id is not None else next(newcomers, None) for camera_id in placed]
