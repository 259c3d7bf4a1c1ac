"""The window's menus and their shortcuts: views of the panels, workspaces, wall mode, the
station's role, language and theme, help; and the rows F1 lists."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence

from commandcenter.domain.roles import ROLES
from commandcenter.ui.operations.audit import role_name
from commandcenter.ui.shell.panels import PANELS
from commandcenter.ui.shell.theme import THEMES
from commandcenter.ui.widgets import i18n

if TYPE_CHECKING:
    from commandcenter.ui.shell.window import MainWindow


class WindowMenus(QObject):
    """Builds the menu bar of the window; keeps the menus that change (layouts, roles)."""

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        bar = window.menuBar()
        self.view_menu = bar.addMenu(self.tr("&View"))
        workspace = bar.addMenu(self.tr("&Workspace"))
        # said when asked, so that F1 speaks the language of the moment
        self._rows: list[tuple[str, Callable[[], str]]] = []

        def action(menu, text: str, slot, keys: str | None = None) -> QAction:
            item = QAction(text, window)
            if keys:
                item.setShortcut(QKeySequence(keys))
                self._rows.append((keys, lambda: item.text().replace("&", "").rstrip("…")))
            item.triggered.connect(slot)
            menu.addAction(item)
            return item

        action(workspace, self.tr("Save layout as…"), window.workspaces.save_as, "Ctrl+Shift+S")
        self.recall_menu = workspace.addMenu(self.tr("Recall layout"))
        self.delete_menu = workspace.addMenu(self.tr("Delete layout"))
        action(workspace, self.tr("Default layout"), window.workspaces.reset_layout)
        workspace.addSeparator()
        self.wall_action = action(
            workspace, self.tr("Wall mode"), window.toggle_wall, "Ctrl+Shift+W"
        )
        self.wall_action.setCheckable(True)
        # wherever the focus is: a search field, the map's page, a table, a wall screen
        self.wall_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        action(workspace, self.tr("Choose panels for screens…"), window.choose_wall_screens)
        action(workspace, self.tr("Full screen"), window.toggle_full_screen, "F11")
        workspace.addSeparator()
        action(workspace, self.tr("Refresh all feeds now"), window.refresh_feeds, "F5")
        action(workspace, self.tr("Search the directory"), window.focus_directory_search, "Ctrl+F")
        action(workspace, self.tr("Keyboard shortcuts"), window.show_help, "F1")
        workspace.addSeparator()
        action(workspace, self.tr("Quit"), window.close, "Ctrl+Q")

        station = bar.addMenu(self.tr("&Station"))
        self.roles_menu = station.addMenu(self.tr("Role"))
        self.role_actions = QActionGroup(window)
        self.refresh_roles()
        action(station, self.tr("Hand over the shift…"), window.hand_over)
        action(
            station,
            self.tr("Take over the shift…"),
            lambda: window.offer_handover(say_if_none=True),
        )
        self.lock_action = action(station, self.tr("Lock the desk"), window.lock_desk, "Ctrl+L")
        self.lock_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        station.addSeparator()
        languages = station.addMenu(self.tr("Language"))
        self.language_actions = QActionGroup(window)
        for code, name in i18n.LANGUAGES.items():
            item = QAction(name, window, checkable=True)
            item.setData(code)
            item.setChecked(code == i18n.language())
            self.language_actions.addAction(item)
            item.triggered.connect(lambda _checked=False, c=code: window.choose_language(c))
            languages.addAction(item)
        themes = station.addMenu(self.tr("Theme"))
        theme_names = {"dark": self.tr("Dark (control room)"), "light": self.tr("Light")}
        for theme in THEMES:
            item = QAction(theme_names[theme], window)
            item.triggered.connect(lambda _checked=False, t=theme: window.choose_theme(t))
            themes.addAction(item)
        action(bar.addMenu(self.tr("&Help")), self.tr("About…"), window.show_about)
        for spec in PANELS:
            self._rows.append(
                (
                    spec.shortcut,
                    functools.partial(self._show_or_hide, spec.key),
                )
            )
        self._rows += [
            ("Ctrl+K", lambda: self.tr("Acknowledge the selected alert")),
            ("Ctrl+Shift+A", lambda: self.tr("Assign the selected alert")),
            ("Ctrl+Shift+M", lambda: self.tr("Comment on the selected alert")),
            (
                "Enter",
                lambda: self.tr("Open the selected row; on a video tile: single view and back"),
            ),
            (
                "← → ↑ ↓  + −",
                lambda: self.tr("PTZ of the focused video tile (release to stop; the wheel zooms)"),
            ),
            ("S", lambda: self.tr("Snapshot of the focused video tile")),
            ("I", lambda: self.tr("Resolution, bitrate and stream of the focused video tile")),
            ("Delete", lambda: self.tr("Give a placed video tile back to the automatic order")),
            ("Page Up / Page Down", lambda: self.tr("Previous / next step of the wall's tour")),
            ("Esc", lambda: self.tr("Leave wall mode")),
        ]
        window.workspaces.changed.connect(self.refresh_workspaces)
        self.refresh_workspaces()

    def refresh_roles(self) -> None:
        """The roles the person signed in may take (every role when nobody signs in at
        this desk), the current one checked."""
        for item in self.role_actions.actions():
            self.role_actions.removeAction(item)
            item.deleteLater()
        self.roles_menu.clear()
        window = self.window
        person = window.console.person
        for role in person.roles if person is not None else ROLES:
            item = QAction(role_name(role), window, checkable=True)
            item.setData(role)
            item.setChecked(role == window.console.role)
            item.triggered.connect(lambda _checked=False, r=role: window.switch_role(r))
            self.role_actions.addAction(item)
            self.roles_menu.addAction(item)
        self.roles_menu.setEnabled(len(self.role_actions.actions()) > 1)

    def _show_or_hide(self, key: str) -> str:
        return self.tr("Show or hide: %1").replace("%1", self.window.titles[key])

    @property
    def shortcut_rows(self) -> list[tuple[str, str]]:
        return [(keys, text()) for keys, text in self._rows]

    def refresh_workspaces(self) -> None:
        self.recall_menu.clear()
        self.delete_menu.clear()
        workspaces = self.window.workspaces
        names = workspaces.names()
        for name in names:
            self.recall_menu.addAction(name, functools.partial(workspaces.recall, name))
            self.delete_menu.addAction(name, functools.partial(workspaces.delete, name))
        self.recall_menu.setEnabled(bool(names))
        self.delete_menu.setEnabled(bool(names))
