"""Wall mode: a chosen panel full-screen on each chosen screen, without window chrome.

The mapping of screens to panels is saved by screen name (the output's name, e.g.
HDMI-1, stable across replugging). A panel's widget moves out of its dock into a
frameless full-screen window and back when wall mode ends or its screen goes away;
when a screen with a saved panel comes back, the panel returns to it. The screen that
covers the console's window carries the urgent-alert banner above its panel.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QScreen, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

SETTINGS_KEY = "wall/screens"


def screen_key(screen: QScreen) -> str:
    return (
        screen.name() or f"{screen.manufacturer()} {screen.model()} {screen.serialNumber()}".strip()
    )


class WallWindow(QWidget):
    """One screen of the wall: a panel, full screen, no chrome."""

    def __init__(
        self,
        panel_key: str,
        title: str,
        screen: QScreen,
        dock: QDockWidget,
        prepare: Callable[[WallWindow], None],
    ):
        """`prepare` gives the window, placed on its screen, its shortcuts and bars."""
        super().__init__(None, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint)
        self.setObjectName(f"wall-{panel_key}")
        self.setWindowTitle(title)
        self.panel_key = panel_key
        self.dock = dock
        self.widget = dock.widget()
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(0, 0, 0, 0)
        self.column.setSpacing(0)
        self.column.addWidget(self.widget)
        self.widget.show()
        self.setScreen(screen)
        self.setGeometry(screen.geometry())
        prepare(self)
        self.showFullScreen()

    def add_above(self, widget: QWidget) -> None:
        """A bar across the top of the screen, above the panel (the urgent-alert banner)."""
        self.column.insertWidget(0, widget)

    def give_back(self) -> None:
        """Return the panel to its dock and close."""
        self.dock.setWidget(self.widget)
        self.close()
        self.deleteLater()


class WallController(QObject):
    changed = Signal(bool)  # wall mode on/off

    def __init__(
        self,
        docks: dict[str, QDockWidget],
        titles: dict[str, str],
        settings: QSettings,
        prepare: Callable[[WallWindow], None],
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.docks = docks
        self.titles = titles
        self.settings = settings
        self.prepare = prepare
        self.windows: dict[str, WallWindow] = {}  # screen key → window
        self.active = False
        app = QGuiApplication.instance()
        assert isinstance(app, QGuiApplication)  # the wall is made in the window's
        app.screenAdded.connect(self.screen_added)
        app.screenRemoved.connect(self.screen_removed)

    # -- the saved mapping ---------------------------------------------------------------

    def mapping(self) -> dict[str, str]:
        raw = self.settings.value(SETTINGS_KEY, "")
        try:
            mapping = json.loads(str(raw)) if raw else {}
        except (TypeError, ValueError):
            mapping = {}
        if not isinstance(mapping, dict):
            return {}
        return {str(k): str(v) for k, v in mapping.items() if v in self.docks}

    def set_mapping(self, mapping: dict[str, str]) -> None:
        self.settings.setValue(SETTINGS_KEY, json.dumps(mapping, ensure_ascii=False))

    def default_mapping(self) -> dict[str, str]:
        """One panel a screen: video wall first, then map, alerts, statistics."""
        order = [k for k in ("wall", "map", "alerts", "statistics", "overview") if k in self.docks]
        return {
            screen_key(s): order[n % len(order)] for n, s in enumerate(QGuiApplication.screens())
        }

    # -- on and off ----------------------------------------------------------------------

    def start(self, mapping: dict[str, str] | None = None) -> None:
        mapping = mapping or self.mapping() or self.default_mapping()
        self.set_mapping(mapping)
        self.stop(notify=False)
        self.active = True
        for screen in QGuiApplication.screens():
            self._open(screen, mapping)
        self.changed.emit(True)

    def stop(self, notify: bool = True) -> None:
        for window in list(self.windows.values()):
            window.give_back()
        self.windows.clear()
        was_active, self.active = self.active, False
        if notify and was_active:
            self.changed.emit(False)

    def _open(self, screen: QScreen, mapping: dict[str, str]) -> None:
        key = screen_key(screen)
        panel = mapping.get(key)
        if panel is None or panel not in self.docks or key in self.windows:
            return
        if any(w.panel_key == panel for w in self.windows.values()):
            return  # a panel is on one screen at a time
        self.windows[key] = WallWindow(
            panel, self.titles.get(panel, panel), screen, self.docks[panel], self.prepare
        )

    # -- screens coming and going --------------------------------------------------------

    def screen_added(self, screen: QScreen) -> None:
        if self.active:
            self._open(screen, self.mapping())

    def screen_removed(self, screen: QScreen) -> None:
        window = self.windows.pop(screen_key(screen), None)
        if window is not None:
            window.give_back()  # the mapping keeps it: the panel returns with its screen


class WallSetupDialog(QDialog):
    """Choose a panel (or none) for each screen."""

    def __init__(self, controller: WallController, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Wall mode: panels on screens"))
        mapping = controller.mapping() or controller.default_mapping()
        form = QFormLayout()
        self.choices: dict[str, QComboBox] = {}
        for screen in QGuiApplication.screens():
            key = screen_key(screen)
            combo = QComboBox()
            combo.addItem(self.tr("(not used)"), "")
            for panel, title in controller.titles.items():
                combo.addItem(title, panel)
            combo.setCurrentIndex(max(0, combo.findData(mapping.get(key, ""))))
            size = screen.geometry()
            form.addRow(f"{key} ({size.width()}×{size.height()})", combo)
            self.choices[key] = combo
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(self.tr("Esc or Ctrl+Shift+W leaves wall mode; F1 lists the shortcuts."))
        )
        layout.addLayout(form)
        layout.addWidget(buttons)

    def mapping(self) -> dict[str, str]:
        return {
            key: combo.currentData() for key, combo in self.choices.items() if combo.currentData()
        }


def add_shortcut(widget: QWidget, keys: str, slot: Callable[[], object]) -> QShortcut:
    shortcut = QShortcut(QKeySequence(keys), widget)
    shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
    shortcut.activated.connect(slot)
    return shortcut
