"""The video wall's layouts: square grids, and grids whose first tile spans several
cells (a big picture among small ones). Named so that saved walls, tours and the
alarm layout of the configuration can refer to them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WallLayout:
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
        return len(self.cells)


LAYOUTS = [WallLayout(str(n * n), n) for n in range(1, 7)] + [WallLayout("1+5", 3, 2), WallLayout("1+7", 4, 3)]
LAYOUT_BY_NAME = {layout.name: layout for layout in LAYOUTS}
