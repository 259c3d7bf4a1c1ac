"""Wall tours: a named sequence of walls, each shown for its own dwell time.

A step is either a saved wall, by name, or a layout with cameras placed on its tiles.
The tour pauses while the operator works on the wall (a duty officer who has just
zoomed into a tile must not lose it to the next step) and goes on by itself a while
after the last touch; next and previous move by hand at any time.

Nothing here knows Qt: the wall feeds the player the time, and the player says which
step to show.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

MIN_DWELL_S = 3
MAX_DWELL_S = 3600
DEFAULT_DWELL_S = 20
PAUSE_AFTER_INTERACTION_S = 30.0


class TourInvalid(ValueError):
    """A tour that cannot be used (a settings entry edited by hand, say); the message says why."""


@dataclass(frozen=True)
class TourStep:
    """One step of a tour: a layout and cameras, or a saved wall, and how long."""

    dwell_s: int
    wall: str | None = None  # a saved wall's name, or:
    layout: str | None = None  # a layout name ("4", "1+5") with
    pins: dict[int, str] = field(default_factory=dict)  # tile index -> camera id

    def to_json(self) -> dict:
        """The step as JSON values, to be saved."""
        if self.wall is not None:
            return {"wall": self.wall, "dwell": self.dwell_s}
        return {
            "layout": self.layout,
            "pins": {str(n): c for n, c in sorted(self.pins.items())},
            "dwell": self.dwell_s,
        }


@dataclass(frozen=True)
class Tour:
    """A named tour of the video wall through its steps."""

    name: str
    steps: tuple[TourStep, ...]

    def to_json(self) -> str:
        """The tour as JSON text, to be saved."""
        return json.dumps({"steps": [s.to_json() for s in self.steps]}, ensure_ascii=False)


def parse_tour(name: str, raw: object, layouts: set[str]) -> Tour:
    """A tour from its saved JSON; `layouts` are the layout names the wall knows.
    Raises TourInvalid naming the step and the field at fault."""
    try:
        spec = json.loads(str(raw))
    except ValueError as exc:
        raise TourInvalid(f"not JSON ({exc})") from None
    steps_raw = spec.get("steps") if isinstance(spec, dict) else None
    if not isinstance(steps_raw, list) or not steps_raw:
        raise TourInvalid("it has no steps")
    steps = []
    for number, step in enumerate(steps_raw, start=1):
        where = f"step {number}"
        if not isinstance(step, dict):
            raise TourInvalid(f"{where} is not an object")
        dwell = step.get("dwell", DEFAULT_DWELL_S)
        if (
            not isinstance(dwell, int)
            or isinstance(dwell, bool)
            or not MIN_DWELL_S <= dwell <= MAX_DWELL_S
        ):
            raise TourInvalid(
                f"{where}: dwell must be whole seconds from {MIN_DWELL_S} to {MAX_DWELL_S}, "
                f"not {dwell!r}"
            )
        if "wall" in step:
            wall = step["wall"]
            if not isinstance(wall, str) or not wall.strip():
                raise TourInvalid(f"{where}: wall must be a saved wall's name")
            steps.append(TourStep(dwell, wall=wall))
            continue
        layout = step.get("layout")
        if layout not in layouts:
            raise TourInvalid(f"{where}: unknown layout {layout!r}")
        pins_raw = step.get("pins") or {}
        if not isinstance(pins_raw, dict):
            raise TourInvalid(f"{where}: pins must map tile numbers to camera ids")
        pins = {}
        for tile, camera in pins_raw.items():
            if not str(tile).isdigit() or not isinstance(camera, str) or not camera:
                raise TourInvalid(
                    f"{where}: pin {tile!r} → {camera!r} is not a tile index and a camera id"
                )
            pins[int(tile)] = camera
        steps.append(TourStep(dwell, layout=layout, pins=pins))
    return Tour(name, tuple(steps))


class TourPlayer:
    """Where a tour is: the step shown, when the next one is due, whether it is paused.

    `tick(now)` returns the step index to show when it changes, else None. The
    operator's touch (`interacted`) holds the current step until the wall has been left
    alone for `pause_after_interaction_s`; `pause()` holds it until `resume()`."""

    def __init__(
        self, tour: Tour, now: float, pause_after_interaction_s: float = PAUSE_AFTER_INTERACTION_S
    ):
        self.tour = tour
        self.index = 0
        self.paused = False  # by the operator's button, until resumed
        self.pause_after_interaction_s = pause_after_interaction_s
        self._step_started = now
        self._touched_at: float | None = None

    @property
    def step(self) -> TourStep:
        """The step shown now."""
        return self.tour.steps[self.index]

    def held_by_interaction(self, now: float) -> bool:
        """Whether an operator's recent touch still holds the tour on its step."""
        return (
            self._touched_at is not None and now - self._touched_at < self.pause_after_interaction_s
        )

    def seconds_left(self, now: float) -> float | None:
        """Until the next step; None while paused or held."""
        if self.paused or self.held_by_interaction(now):
            return None
        return max(0.0, self._step_started + self.step.dwell_s - now)

    def tick(self, now: float) -> int | None:
        """The step to show when the dwell is over at `now`; None to stay."""
        if self.paused:
            return None
        if self.held_by_interaction(now):
            return None
        if self._touched_at is not None:
            # left alone again: the step gets its full dwell from here, not the rest of it
            self._touched_at = None
            self._step_started = now
            return None
        if now - self._step_started >= self.step.dwell_s:
            return self._go(self.index + 1, now)
        return None

    def interacted(self, now: float) -> None:
        """Note that an operator touched the wall at `now`."""
        self._touched_at = now

    def pause(self) -> None:
        """Hold the tour on its step."""
        self.paused = True

    def resume(self, now: float) -> None:
        """Go on from the step shown, with its full dwell from `now`."""
        self.paused = False
        self._touched_at = None
        self._step_started = now

    def next(self, now: float) -> int:
        """Go to the next step now; returns its index."""
        return self._go(self.index + 1, now)

    def previous(self, now: float) -> int:
        """Go to the previous step now; returns its index."""
        return self._go(self.index - 1, now)

    def _go(self, index: int, now: float) -> int:
        self.index = index % len(self.tour.steps)
        self._step_started = now
        self._touched_at = None
        return self.index
