"""Tours of the video wall: the controls over the wall (choose, start, pause, previous,
next, stop) and the editor that makes a tour from walls.

The sequence logic is domain.tours.TourPlayer; the wall shows a step through
`WallPanel.show_step` and tells the controls when the operator touches it.
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from commandcenter.domain.tours import (
    DEFAULT_DWELL_S,
    MAX_DWELL_S,
    MIN_DWELL_S,
    Tour,
    TourInvalid,
    TourPlayer,
    TourStep,
    parse_tour,
)
from commandcenter.ui.widgets.text import plain_label

log = logging.getLogger(__name__)

SETTINGS_GROUP = "wall/tours"
# What counts as the operator working on the wall: the tour holds its step meanwhile.
TOUCH_EVENTS = (
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonDblClick,
    QEvent.Type.Wheel,
    QEvent.Type.KeyPress,
    QEvent.Type.Drop,
)
STEP_KEYS = (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown)  # previous and next step: not a touch


class TourControls(QWidget):
    """The tour row of the wall's bar. `wall` is the WallPanel it drives."""

    step_shown = Signal(int)  # index of the step just put on the wall

    def __init__(self, wall, parent: QWidget | None = None):
        super().__init__(parent)
        self.wall = wall
        self.player: TourPlayer | None = None
        self._before: tuple[str, dict[int, str]] | None = None  # the wall as it was before the tour
        self._problem: str | None = None  # why the step shown is not as saved
        self.choice = QComboBox()
        self.choice.setToolTip(
            self.tr("Tours: walls shown one after another, each for its own time")
        )
        self.start_button = QPushButton(self.tr("Start tour"))
        self.start_button.clicked.connect(self._start_or_pause)
        self.previous_button = QPushButton("◀")
        self.previous_button.setToolTip(self.tr("Previous step (Page Up)"))
        self.previous_button.clicked.connect(self.previous_step)
        self.next_button = QPushButton("▶")
        self.next_button.setToolTip(self.tr("Next step (Page Down)"))
        self.next_button.clicked.connect(self.next_step)
        for button in (self.previous_button, self.next_button):
            button.setFixedWidth(button.fontMetrics().horizontalAdvance("◀") * 3)
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.clicked.connect(self.stop)
        self.edit_button = QPushButton(self.tr("Tours…"))
        self.edit_button.clicked.connect(self.edit)
        self.status = plain_label()  # names tours, which come from a settings file
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (
            self.choice,
            self.start_button,
            self.previous_button,
            self.next_button,
            self.stop_button,
            self.edit_button,
            self.status,
        ):
            row.addWidget(widget)
        self._clock = QTimer(self)
        self._clock.setInterval(500)
        self._clock.timeout.connect(self._tick)
        self.refresh_names()
        self._show_state()

    # -- saved tours ---------------------------------------------------------------------

    def names(self) -> list[str]:
        settings = self.wall.console.settings
        if settings is None:
            return []
        settings.beginGroup(SETTINGS_GROUP)
        names = sorted(settings.childKeys())
        settings.endGroup()
        return names

    def load(self, name: str) -> Tour:
        settings = self.wall.console.settings
        raw = settings.value(f"{SETTINGS_GROUP}/{name}") if settings is not None else None
        if raw is None:
            raise TourInvalid("it is not saved")
        return parse_tour(name, raw, self.wall.layout_names())

    def save(self, tour: Tour) -> None:
        settings = self.wall.console.settings
        if settings is None:
            return
        settings.setValue(f"{SETTINGS_GROUP}/{tour.name}", tour.to_json())
        settings.sync()
        self.refresh_names()

    def delete(self, name: str) -> None:
        settings = self.wall.console.settings
        if settings is not None:
            settings.remove(f"{SETTINGS_GROUP}/{name}")
            settings.sync()
        self.refresh_names()

    def refresh_names(self) -> None:
        current = self.choice.currentText()
        self.choice.clear()
        self.choice.addItems(self.names())
        if current:
            self.choice.setCurrentText(current)
        self._show_state()

    # -- playing -------------------------------------------------------------------------

    def start(self, name: str) -> bool:
        """Play a saved tour from its first step; a damaged one is refused by name."""
        try:
            tour = self.load(name)
        except TourInvalid as exc:
            log.warning("the tour %r cannot be used: %s", name, exc)
            self.status.setText(
                self.tr("The tour %1 cannot be used: %2")
                .replace("%1", name)
                .replace("%2", str(exc))
            )
            return False
        if self.player is None:
            self._before = self.wall.wall_state()
        self.player = TourPlayer(tour, time.monotonic())
        self._show(0)
        self._clock.start()
        self.wall.console.audit("wall.tour.start", name, {"steps": len(tour.steps)})
        return True

    def stop(self) -> None:
        """End the tour and give the wall back as it was before it."""
        if self.player is None:
            return
        name = self.player.tour.name
        self.player = None
        self._clock.stop()
        if self._before is not None:
            self.wall.restore_state(*self._before)
            self._before = None
        self.wall.console.audit("wall.tour.stop", name, {})
        self._show_state()

    def pause(self) -> None:
        if self.player is not None:
            self.player.pause()
            self._show_state()

    def resume(self) -> None:
        if self.player is not None:
            self.player.resume(time.monotonic())
            self._show_state()

    def next_step(self) -> None:
        if self.player is not None:
            self._show(self.player.next(time.monotonic()))

    def previous_step(self) -> None:
        if self.player is not None:
            self._show(self.player.previous(time.monotonic()))

    def touched(self) -> None:
        """The operator works on the wall: hold the step shown."""
        if self.player is not None:
            self.player.interacted(time.monotonic())
            self._show_state()

    def _start_or_pause(self) -> None:
        if self.player is None:
            if self.choice.currentText():
                self.start(self.choice.currentText())
        elif self.player.paused:
            self.resume()
        else:
            self.pause()

    def _tick(self) -> None:
        if self.player is None:
            return
        index = self.player.tick(time.monotonic())
        if index is not None:
            self._show(index)
        else:
            self._show_state()

    def _show(self, index: int) -> None:
        player = self.player
        if player is None:
            return
        problem = self.wall.show_step(player.step)
        if problem:
            # a saved wall deleted since the tour was made: say so, and the tour goes on
            log.warning("tour %r step %d: %s", player.tour.name, index + 1, problem)
        self._problem = problem
        self.step_shown.emit(index)
        self._show_state()

    def _show_state(self) -> None:
        player = self.player
        touring = player is not None
        has_tours = bool(self.choice.count())
        self.choice.setVisible(has_tours)
        self.choice.setEnabled(not touring)
        self.start_button.setVisible(touring or has_tours)
        self.start_button.setText(
            self.tr("Start tour")
            if player is None
            else self.tr("Resume")
            if player.paused
            else self.tr("Pause")
        )
        for button in (self.previous_button, self.next_button, self.stop_button):
            button.setVisible(touring)
        if player is None:
            self.status.setText("" if self.choice.count() else self.tr("No tours yet"))
            return
        now = time.monotonic()
        text = (
            self.tr("%1 · step %2 of %3")
            .replace("%1", player.tour.name)
            .replace("%2", str(player.index + 1))
            .replace("%3", str(len(player.tour.steps)))
        )
        left = player.seconds_left(now)
        if player.paused:
            text += " · " + self.tr("paused")
        elif left is None:
            text += " · " + self.tr("held while you work on the wall")
        else:
            text += " · " + self.tr("next in %1 s").replace("%1", str(int(left + 0.999)))
        if self._problem:
            text += " · " + self._problem
        self.status.setText(text)

    # -- editing -------------------------------------------------------------------------

    def edit(self) -> None:
        editor = TourEditor(self, self.choice.currentText() or None)
        editor.exec()


class TouchWatcher(QObject):
    """Event filter on the wall's tiles: a click, wheel, key or drop holds the tour."""

    def __init__(self, controls: TourControls):
        super().__init__(controls)
        self.controls = controls

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() in TOUCH_EVENTS:
            if event.type() == QEvent.Type.KeyPress and event.key() in STEP_KEYS:
                return False
            self.controls.touched()
        return False


class TourEditor(QDialog):
    """Make or change a tour: its steps are this wall as it is now, or saved walls,
    each with its dwell time; reorder, remove, save under a name."""

    def __init__(self, controls: TourControls, name: str | None):
        super().__init__(controls)
        self.controls = controls
        self.wall = controls.wall
        self.setWindowTitle(self.tr("Tours"))
        self.steps: list[TourStep] = []
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("Name of the tour, e.g. 夜班巡查"))
        self.list = QListWidget()
        self.list.currentRowChanged.connect(self._selected)
        self.dwell = QSpinBox()
        self.dwell.setRange(MIN_DWELL_S, MAX_DWELL_S)
        self.dwell.setValue(DEFAULT_DWELL_S)
        self.dwell.setSuffix(" s")
        self.dwell.valueChanged.connect(self._dwell_changed)
        self.saved_walls = QComboBox()
        self.saved_walls.addItems(self.wall.saved_names())
        add_current = QPushButton(self.tr("Add this wall"))
        add_current.setToolTip(self.tr("The layout and the cameras on the wall now"))
        add_current.clicked.connect(self.add_current_wall)
        add_saved = QPushButton(self.tr("Add saved wall"))
        add_saved.clicked.connect(lambda: self.add_saved_wall(self.saved_walls.currentText()))
        add_saved.setEnabled(self.saved_walls.count() > 0)
        up = QPushButton(self.tr("Up"))
        up.clicked.connect(lambda: self.move_step(-1))
        down = QPushButton(self.tr("Down"))
        down.clicked.connect(lambda: self.move_step(1))
        remove = QPushButton(self.tr("Remove"))
        remove.clicked.connect(self.remove)
        delete = QPushButton(self.tr("Delete tour"))
        delete.clicked.connect(self._delete)
        self.message = plain_label()
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)

        form = QVBoxLayout(self)
        form.addWidget(self.name)
        adding = QHBoxLayout()
        adding.addWidget(add_current)
        adding.addWidget(self.saved_walls, 1)
        adding.addWidget(add_saved)
        form.addLayout(adding)
        form.addWidget(self.list, 1)
        editing = QHBoxLayout()
        editing.addWidget(QLabel(self.tr("Dwell")))
        editing.addWidget(self.dwell)
        for button in (up, down, remove):
            editing.addWidget(button)
        editing.addStretch(1)
        editing.addWidget(delete)
        form.addLayout(editing)
        form.addWidget(self.message)
        form.addWidget(buttons)
        self.resize(560, 420)
        if name:
            self.open_tour(name)

    def open_tour(self, name: str) -> None:
        try:
            tour = self.controls.load(name)
        except TourInvalid as exc:
            self.message.setText(
                self.tr("The tour %1 cannot be used: %2")
                .replace("%1", name)
                .replace("%2", str(exc))
            )
            return
        self.name.setText(name)
        self.steps = list(tour.steps)
        self._refresh()

    def add_current_wall(self) -> None:
        layout, cameras = self.wall.shown_cameras()
        self.steps.append(TourStep(self.dwell.value(), layout=layout, pins=cameras))
        self._refresh(len(self.steps) - 1)

    def add_saved_wall(self, name: str) -> None:
        if name:
            self.steps.append(TourStep(self.dwell.value(), wall=name))
            self._refresh(len(self.steps) - 1)

    def move_step(self, by: int) -> None:
        row = self.list.currentRow()
        other = row + by
        if 0 <= row < len(self.steps) and 0 <= other < len(self.steps):
            self.steps[row], self.steps[other] = self.steps[other], self.steps[row]
            self._refresh(other)

    def remove(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.steps):
            del self.steps[row]
            self._refresh(min(row, len(self.steps) - 1))

    def save(self) -> bool:
        name = self.name.text().strip().replace("/", "-")  # a slash would nest settings groups
        if not name:
            self.message.setText(self.tr("Give the tour a name."))
            return False
        if not self.steps:
            self.message.setText(self.tr("Add at least one step."))
            return False
        self.controls.save(Tour(name, tuple(self.steps)))
        self.controls.choice.setCurrentText(name)
        self.message.setText(
            self.tr("Saved %1 with %2 steps.")
            .replace("%1", name)
            .replace("%2", str(len(self.steps)))
        )
        return True

    def _delete(self) -> None:
        name = self.name.text().strip()
        if (
            name
            and name in self.controls.names()
            and QMessageBox.question(
                self, self.tr("Delete tour"), self.tr("Delete the tour %1?").replace("%1", name)
            )
            == QMessageBox.StandardButton.Yes
        ):
            self.controls.delete(name)
            self.steps = []
            self.name.clear()
            self._refresh()

    def describe(self, step: TourStep) -> str:
        if step.wall is not None:
            text = self.tr("Saved wall %1").replace("%1", step.wall)
        else:
            text = (
                self.tr("Layout %1 with %2 cameras")
                .replace("%1", step.layout or "")
                .replace("%2", str(len(step.pins)))
            )
        return f"{text} · {step.dwell_s} s"

    def _refresh(self, select: int = -1) -> None:
        self.list.clear()
        for number, step in enumerate(self.steps, start=1):
            self.list.addItem(f"{number}. {self.describe(step)}")
        if select >= 0:
            self.list.setCurrentRow(select)

    def _selected(self, row: int) -> None:
        if 0 <= row < len(self.steps):
            self.dwell.blockSignals(True)
            self.dwell.setValue(self.steps[row].dwell_s)
            self.dwell.blockSignals(False)

    def _dwell_changed(self, value: int) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.steps):
            step = self.steps[row]
            self.steps[row] = TourStep(
                value, wall=step.wall, layout=step.layout, pins=dict(step.pins)
            )
            self.list.item(row).setText(f"{row + 1}. {self.describe(self.steps[row])}")
