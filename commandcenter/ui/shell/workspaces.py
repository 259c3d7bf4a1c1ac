"""Layouts of the window: the default arrangement of the docks, the layout each role left,
and named workspaces to save and recall."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication

from commandcenter.ui.shell.panels import PANELS, Right
from commandcenter.ui.widgets.panel import ask_for_name

if TYPE_CHECKING:
    from commandcenter.ui.shell.window import MainWindow

LAYOUT_VERSION = 2
# below this much room the default layout puts more of the panels in tabs
SMALL_SCREEN = (1600, 900)
# the window manager's title bar and borders, not known before the window is shown
FRAME_ALLOWANCE = 40
PANEL_AREAS = {spec.key: spec.area for spec in PANELS}


class Workspaces(QObject):
    """The window's layouts, kept in the settings by role and by name."""

    changed = Signal()  # a named layout was saved or deleted

    def __init__(self, window: MainWindow, settings: QSettings):
        super().__init__(window)
        self.window = window
        self.settings = settings
        self._default_sizes_pending = False

    def _state_key(self) -> str:
        return f"window/state/{self.window.console.role}"

    def restore_layout(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.window.restoreGeometry(geometry)
        else:
            self.window.setGeometry(self._room().adjusted(0, 0, 0, -FRAME_ALLOWANCE))
        self.restore_role_state()
        self.fit_to_screen()

    def _room(self):
        """Where the window may be: the screen's area less the desktop's panels."""
        screen = self.window.screen() or QGuiApplication.primaryScreen()
        return screen.availableGeometry()

    def fit_to_screen(self) -> None:
        """A layout saved on a larger screen (or a window manager's guess) is brought back
        inside this one: no control is left off the screen."""
        room = self._room()
        frame = self.window.frameGeometry()
        extra_w = frame.width() - self.window.width() if self.window.isVisible() else 0
        extra_h = (
            frame.height() - self.window.height() if self.window.isVisible() else FRAME_ALLOWANCE
        )
        width = min(self.window.width(), room.width() - extra_w)
        height = min(self.window.height(), room.height() - extra_h)
        if (width, height) != (self.window.width(), self.window.height()):
            self.window.resize(width, height)
        x = min(max(frame.x(), room.x()), room.right() + 1 - width - extra_w)
        y = min(max(frame.y(), room.y()), room.bottom() + 1 - height - extra_h)
        if (x, y) != (frame.x(), frame.y()):
            self.window.move(x, y)

    def small_screen(self) -> bool:
        room = self._room()
        return room.width() < SMALL_SCREEN[0] or room.height() < SMALL_SCREEN[1]

    def restore_role_state(self) -> bool:
        state = self.settings.value(self._state_key())
        restored = isinstance(state, QByteArray) and self.window.restoreState(state, LAYOUT_VERSION)
        if restored:
            self._default_sizes_pending = False
        return restored

    def save_layout(self) -> None:
        self.settings.setValue("window/geometry", self.window.saveGeometry())
        self.settings.setValue(self._state_key(), self.window.saveState(LAYOUT_VERSION))
        self.settings.sync()

    def reset_layout(self) -> None:
        for spec in PANELS:
            self.window.docks[spec.key].setFloating(False)
            self.window.addDockWidget(spec.area, self.window.docks[spec.key])
            self.window.docks[spec.key].show()
        self.arrange_default()
        self.window.apply_role()

    def names(self) -> list[str]:
        self.settings.beginGroup("workspaces")
        names = sorted(self.settings.childGroups())
        self.settings.endGroup()
        return names

    def save(self, name: str) -> None:
        self.settings.setValue(f"workspaces/{name}/state", self.window.saveState(LAYOUT_VERSION))
        self.settings.setValue(f"workspaces/{name}/geometry", self.window.saveGeometry())
        self.settings.setValue(f"workspaces/{name}/role", self.window.console.role)
        self.settings.sync()
        self.changed.emit()

    def recall(self, name: str) -> bool:
        state = self.settings.value(f"workspaces/{name}/state")
        if not isinstance(state, QByteArray):
            return False
        geometry = self.settings.value(f"workspaces/{name}/geometry")
        if isinstance(geometry, QByteArray) and not self.window.isFullScreen():
            self.window.restoreGeometry(geometry)
        self.window.restoreState(state, LAYOUT_VERSION)
        self._default_sizes_pending = False
        self.window.apply_role()  # a layout never shows what the role may not see
        return True

    def delete(self, name: str) -> None:
        self.settings.remove(f"workspaces/{name}")
        self.changed.emit()

    def save_as(self) -> None:
        name = ask_for_name(self.window, self.tr("Save layout"), self.tr("Name of the layout:"))
        if name:
            self.save(name)

    def arrange_default(self) -> None:
        # the alerts column runs the full height on the right; wall and map above the tabs
        self.window.setCorner(Qt.Corner.TopRightCorner, Right)
        self.window.setCorner(Qt.Corner.BottomRightCorner, Right)
        d = self.window.docks
        self.window.splitDockWidget(d["wall"], d["map"], Qt.Orientation.Horizontal)
        tabbed = [
            "statistics",
            "supervision",
            "meetings",
            "directory",
            "duty_log",
            "roster",
            "health",
            "audit",
        ]
        if self.small_screen():
            # the alert list keeps the whole height of the right column (ten rows at
            # 1366×768); the KPI tiles go in with the tabs below
            tabbed.insert(1, "overview")
            self.window.addDockWidget(PANEL_AREAS["statistics"], d["overview"])
        else:
            self.window.splitDockWidget(d["alerts"], d["overview"], Qt.Orientation.Vertical)
        for key in tabbed[1:]:
            self.window.tabifyDockWidget(d["statistics"], d[key])
        d["directory"].raise_()
        # sizes take effect once the window has its own size, unless a saved layout came first
        self._default_sizes_pending = True
        QTimer.singleShot(0, self._size_default_docks)

    def _size_default_docks(self) -> None:
        if not self._default_sizes_pending:
            return
        self._default_sizes_pending = False
        d = self.window.docks
        width, height = self.window.width(), self.window.height()
        self.window.resizeDocks(
            [d["wall"], d["map"], d["alerts"]],
            [int(width * 0.42), int(width * 0.28), int(width * 0.30)],
            Qt.Orientation.Horizontal,
        )
        self.window.resizeDocks(
            [d["wall"], d["directory"]],
            [int(height * 0.58), int(height * 0.42)],
            Qt.Orientation.Vertical,
        )
        if not self.small_screen():
            self.window.resizeDocks(
                [d["alerts"], d["overview"]],
                [int(height * 0.55), int(height * 0.45)],
                Qt.Orientation.Vertical,
            )
