"""The operator console: dockable panels per role, status-bar lamps, remembered and
named layouts, wall mode, and the keyboard shortcuts listed by F1."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import UTC, datetime

from PySide6.QtCore import QByteArray, QProcess, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QGridLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from commandcenter.domain.alerting import AlertingPolicy
from commandcenter.domain.freshness import Freshness
from commandcenter.domain.geography import default_population
from commandcenter.domain.roles import ROLES, may
from commandcenter.feeds.catalog import DEFAULT_INTERVALS
from commandcenter.feeds.mirrors import StoredFeeds
from commandcenter.map.tiles import map_base
from commandcenter.ui.alerts.announcer import AlertAnnouncer, AlertBanner
from commandcenter.ui.alerts.panel import AlertsPanel
from commandcenter.ui.directory.panel import DirectoryPanel
from commandcenter.ui.map.panel import MapPanel
from commandcenter.ui.meetings.panel import MeetingsPanel
from commandcenter.ui.operations.audit import AuditPanel, role_name
from commandcenter.ui.operations.health import FeedHealthPanel, FeedLamp, transport_warning
from commandcenter.ui.shell.first_sync import show_first_sync
from commandcenter.ui.shell.theme import THEMES, apply_theme
from commandcenter.ui.shell.wall_mode import WallController, WallSetupDialog, add_shortcut
from commandcenter.ui.statistics.overview import OverviewPanel
from commandcenter.ui.statistics.panel import StatisticsPanel
from commandcenter.ui.supervision.panel import SupervisionPanel
from commandcenter.ui.video.wall import WallPanel
from commandcenter.ui.widgets import i18n
from commandcenter.ui.widgets.panel import Console, Panel, ask_for_name
from commandcenter.ui.widgets.style import FRESHNESS_COLOURS
from commandcenter.ui.widgets.text import plain
from commandcenter.ui.workers.bridge import BackgroundReader, StoreBridge

LAYOUT_VERSION = 2
Top, Bottom, Left, Right = (
    Qt.DockWidgetArea.TopDockWidgetArea,
    Qt.DockWidgetArea.BottomDockWidgetArea,
    Qt.DockWidgetArea.LeftDockWidgetArea,
    Qt.DockWidgetArea.RightDockWidgetArea,
)


@dataclass(frozen=True)
class PanelSpec:
    key: str
    panel: type[Panel]
    area: Qt.DockWidgetArea
    shortcut: str
    roles: tuple[str, ...]  # the roles that see it


PANELS = (
    PanelSpec(
        "wall", WallPanel, Top, "Ctrl+1", ("duty_officer", "supervisor", "conference_operator")
    ),
    PanelSpec("map", MapPanel, Top, "Ctrl+2", ROLES),
    PanelSpec("statistics", StatisticsPanel, Bottom, "Ctrl+3", ("duty_officer", "supervisor")),
    PanelSpec("supervision", SupervisionPanel, Bottom, "Ctrl+4", ("supervisor",)),
    PanelSpec("alerts", AlertsPanel, Right, "Ctrl+5", ("duty_officer", "supervisor")),
    PanelSpec("meetings", MeetingsPanel, Bottom, "Ctrl+6", ("conference_operator", "duty_officer")),
    PanelSpec("health", FeedHealthPanel, Bottom, "Ctrl+7", ROLES),
    PanelSpec("directory", DirectoryPanel, Bottom, "Ctrl+8", ROLES),
    PanelSpec("overview", OverviewPanel, Right, "Ctrl+9", ("duty_officer", "supervisor")),
    PanelSpec("audit", AuditPanel, Bottom, "Ctrl+0", ROLES),
)


class HelpOverlay(QWidget):
    """F1: the shortcuts, over whatever window has focus; any key or click closes it."""

    def __init__(self, rows: list[tuple[str, str]], parent: QWidget):
        super().__init__(parent)
        self.setObjectName("helpOverlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        grid = QGridLayout()
        title = QLabel(self.tr("Keyboard shortcuts"))
        title.setStyleSheet("font-size: 18pt; font-weight: 700;")
        for n, (keys, what) in enumerate(rows):
            key_label = QLabel(keys)
            key_label.setStyleSheet("font-weight: 700; color: #58a6ff;")
            grid.addWidget(key_label, n % 14, (n // 14) * 2)
            grid.addWidget(QLabel(what), n % 14, (n // 14) * 2 + 1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(title, alignment=Qt.AlignmentFlag.AlignHCenter)
        layout.addLayout(grid)
        hint = QLabel(self.tr("Press any key to close"))
        layout.addWidget(hint, alignment=Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)
        self.setGeometry(parent.rect())
        self.show()
        self.raise_()
        self.setFocus()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.close()
        self.deleteLater()

    def mousePressEvent(self, event) -> None:  # noqa: N802
        self.close()
        self.deleteLater()


class MainWindow(QMainWindow):
    def __init__(
        self,
        runtime,
        *,
        settings: QSettings | None = None,
        role: str | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.runtime = runtime
        self.settings = settings or QSettings()
        self.bridge = StoreBridge(runtime.store, parent=self)
        self.reader = BackgroundReader(parent=self)
        config = runtime.config
        # On a shared store the collector that leads may run on another machine (or this
        # machine's may stand by): the feeds' status is what the store records of the polls.
        self.stored_feeds = (
            StoredFeeds(runtime.store, {**DEFAULT_INTERVALS, **config.intervals})
            if runtime.store.shared
            else None
        )
        self.console = Console(
            runtime.store,
            self.bridge,
            self.reader,
            self.stored_feeds or runtime.runner,
            cameras=runtime.cameras,
            settings=self.settings,
            role=role or str(self.settings.value("workstation/role", config.role)),
            operator=config.operator,
            thresholds=config.thresholds,
            population_10k=config.population_10k or default_population(),
        )
        self.console.map_base = map_base(config)
        if self.console.role not in ROLES:
            self.console.role = config.role
        self.setObjectName("mainWindow")
        self.setDockNestingEnabled(True)
        self._update_title()

        self.panels: dict[str, Panel] = {}
        self.docks: dict[str, QDockWidget] = {}
        self.titles = self._panel_titles()
        self._build_menus()
        for spec in PANELS:
            panel = spec.panel(self.console)
            dock = QDockWidget(self.titles[spec.key], self)
            dock.setObjectName(f"dock-{spec.key}")
            dock.setWidget(panel)
            self.addDockWidget(spec.area, dock)
            self.panels[spec.key] = panel
            self.docks[spec.key] = dock
            action: QAction = dock.toggleViewAction()
            action.setShortcut(QKeySequence(spec.shortcut))
            self.view_menu.addAction(action)
        self._arrange_default()
        self.wall = WallController(
            self.docks, self.titles, self.settings, self._install_wall_shortcuts, self
        )
        self.wall.changed.connect(self._wall_changed)

        # the most urgent alert not acknowledged, across the top, with its sound
        self.alert_banner = AlertBanner()
        self.alert_bar = QToolBar(self.tr("Urgent alerts"))
        self.alert_bar.setObjectName("alertBar")
        self.alert_bar.setMovable(False)
        self.alert_bar.addWidget(self.alert_banner)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.alert_bar)
        self.alert_banner.acknowledge.connect(self.panels["alerts"].acknowledge_alert)
        self.announcer = AlertAnnouncer(
            self.console,
            self.alert_banner,
            policy=AlertingPolicy(escalate_after_s=config.escalate_after_s),
            sound=config.alert_sound,
            parent=self,
        )
        self.announcer.announced.connect(self._critical_alert_to_map_and_wall)
        self.connection = QLabel()
        plain(self.connection)
        self.connection.setObjectName("connectionState")
        self.statusBar().addWidget(self.connection)
        feeds = self.console.runner
        self.lamps = [FeedLamp(c) for c in (feeds.coordinators.values() if feeds else [])]
        for lamp in self.lamps:
            self.statusBar().addPermanentWidget(lamp)
        self.transport_warning = transport_warning(config)  # plain http:// beyond this machine
        if self.transport_warning is not None:
            self.statusBar().addPermanentWidget(self.transport_warning)
        self._clock = QTimer(self)
        self._clock.timeout.connect(self.refresh_lamps)
        self._clock.start(1000)
        self.refresh_lamps()
        self._wire_panels()
        self.restore_layout()
        self.apply_role()
        self.first_sync = show_first_sync(self)  # over an empty console: what is coming in

    # -- construction ---------------------------------------------------------------------

    def _panel_titles(self) -> dict[str, str]:
        return {
            "wall": self.tr("Video wall"),
            "map": self.tr("Situation map"),
            "statistics": self.tr("Statistics"),
            "supervision": self.tr("Remote supervision"),
            "alerts": self.tr("Alerts"),
            "meetings": self.tr("Video meetings"),
            "health": self.tr("Feed health"),
            "directory": self.tr("Service-point directory"),
            "overview": self.tr("Overview"),
            "audit": self.tr("Audit log"),
        }

    def _update_title(self) -> None:
        runtime = self.runtime
        where = (
            self.tr("embedded simulated data center")
            if runtime.uses_embedded
            else runtime.config.datacenter_url or self.tr("no data center")
        )
        self.setWindowTitle(
            self.tr("Justice Bureau Command Center — %1 — %2")
            .replace("%1", where)
            .replace("%2", role_name(self.console.role))
        )

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.view_menu = bar.addMenu(self.tr("&View"))
        workspace = bar.addMenu(self.tr("&Workspace"))
        self.shortcut_rows: list[tuple[str, str]] = []

        def action(menu, text: str, slot, keys: str | None = None) -> QAction:
            item = QAction(text, self)
            if keys:
                item.setShortcut(QKeySequence(keys))
                self.shortcut_rows.append((keys, text.replace("&", "").rstrip("…")))
            item.triggered.connect(slot)
            menu.addAction(item)
            return item

        action(workspace, self.tr("Save layout as…"), self.save_workspace_as, "Ctrl+Shift+S")
        self.recall_menu = workspace.addMenu(self.tr("Recall layout"))
        self.delete_menu = workspace.addMenu(self.tr("Delete layout"))
        action(workspace, self.tr("Default layout"), self.reset_layout)
        workspace.addSeparator()
        self.wall_action = action(workspace, self.tr("Wall mode"), self.toggle_wall, "Ctrl+Shift+W")
        self.wall_action.setCheckable(True)
        action(workspace, self.tr("Choose panels for screens…"), self.choose_wall_screens)
        action(workspace, self.tr("Full screen"), self.toggle_full_screen, "F11")
        workspace.addSeparator()
        action(workspace, self.tr("Refresh all feeds now"), self.refresh_feeds, "F5")
        action(workspace, self.tr("Search the directory"), self.focus_directory_search, "Ctrl+F")
        action(workspace, self.tr("Keyboard shortcuts"), self.show_help, "F1")
        workspace.addSeparator()
        action(workspace, self.tr("Quit"), self.close, "Ctrl+Q")

        station = bar.addMenu(self.tr("&Station"))
        roles = station.addMenu(self.tr("Role"))
        self.role_actions = QActionGroup(self)
        for role in ROLES:
            item = QAction(role_name(role), self, checkable=True)
            item.setData(role)
            item.setChecked(role == self.console.role)
            item.triggered.connect(lambda _checked=False, r=role: self.switch_role(r))
            self.role_actions.addAction(item)
            roles.addAction(item)
        languages = station.addMenu(self.tr("Language"))
        for code, name in i18n.LANGUAGES.items():
            item = QAction(name, self, checkable=True)
            item.setChecked(code == i18n.language())
            item.triggered.connect(lambda _checked=False, c=code: self.choose_language(c))
            languages.addAction(item)
        themes = station.addMenu(self.tr("Theme"))
        theme_names = {"dark": self.tr("Dark (control room)"), "light": self.tr("Light")}
        for theme in THEMES:
            item = QAction(theme_names[theme], self)
            item.triggered.connect(lambda _checked=False, t=theme: self.choose_theme(t))
            themes.addAction(item)
        action(bar.addMenu(self.tr("&Help")), self.tr("About…"), self.show_about)
        for spec in PANELS:
            self.shortcut_rows.append(
                (spec.shortcut, self.tr("Show or hide: %1").replace("%1", self.titles[spec.key]))
            )
        self.shortcut_rows += [
            ("Ctrl+K", self.tr("Acknowledge the selected alert")),
            ("Ctrl+Shift+A", self.tr("Assign the selected alert")),
            ("Ctrl+Shift+M", self.tr("Comment on the selected alert")),
            ("Enter", self.tr("Open the selected row; on a video tile: single view and back")),
            (
                "← → ↑ ↓  + −",
                self.tr("PTZ of the focused video tile (release to stop; the wheel zooms)"),
            ),
            ("S", self.tr("Snapshot of the focused video tile")),
            ("I", self.tr("Resolution, bitrate and stream of the focused video tile")),
            ("Delete", self.tr("Give a placed video tile back to the automatic order")),
            ("Page Up / Page Down", self.tr("Previous / next step of the wall's tour")),
            ("Esc", self.tr("Leave wall mode")),
        ]
        self._refresh_workspace_menus()

    def _wire_panels(self) -> None:
        self.panels["directory"].point_activated.connect(self._show_point)
        map_panel = self.panels["map"]
        map_panel.open_cameras.connect(self._cameras_of_point_on_wall)
        map_panel.inspect_point.connect(self._inspect_point)
        map_panel.invite_point.connect(self._propose_meeting_with)
        meetings = self.panels["meetings"]
        meetings.mix_to_wall.connect(self._mix_on_wall)
        meetings.meeting_over.connect(self.panels["wall"].drop_stream)
        alerts = self.panels["alerts"]
        alerts.locate.connect(self._alert_on_map)
        alerts.to_wall.connect(self._alert_to_wall)
        alerts.alert_activated.connect(self._alert_on_map)
        alerts.alert_activated.connect(self._alert_to_wall)
        # a county chosen in the statistics filters the map; a KPI tile opens its category's trend
        self.panels["statistics"].county_chosen.connect(
            lambda code: map_panel.show_counties([code] if code else None)
        )
        self.panels["overview"].category_chosen.connect(self._show_category_trend)

    def _arrange_default(self) -> None:
        # the alerts column runs the full height on the right; wall and map above the tabs
        self.setCorner(Qt.Corner.TopRightCorner, Right)
        self.setCorner(Qt.Corner.BottomRightCorner, Right)
        d = self.docks
        self.splitDockWidget(d["wall"], d["map"], Qt.Orientation.Horizontal)
        self.splitDockWidget(d["alerts"], d["overview"], Qt.Orientation.Vertical)
        for key in ("statistics", "supervision", "meetings", "directory", "health", "audit"):
            if key != "statistics":
                self.tabifyDockWidget(d["statistics"], d[key])
        d["directory"].raise_()
        # sizes take effect once the window has its own size, unless a saved layout came first
        self._default_sizes_pending = True
        QTimer.singleShot(0, self._size_default_docks)

    def _size_default_docks(self) -> None:
        if not self._default_sizes_pending:
            return
        self._default_sizes_pending = False
        d = self.docks
        width, height = self.width(), self.height()
        self.resizeDocks(
            [d["wall"], d["map"], d["alerts"]],
            [int(width * 0.42), int(width * 0.28), int(width * 0.30)],
            Qt.Orientation.Horizontal,
        )
        self.resizeDocks(
            [d["wall"], d["directory"]],
            [int(height * 0.58), int(height * 0.42)],
            Qt.Orientation.Vertical,
        )
        self.resizeDocks(
            [d["alerts"], d["overview"]],
            [int(height * 0.45), int(height * 0.55)],
            Qt.Orientation.Vertical,
        )

    # -- status bar ------------------------------------------------------------------------

    def refresh_lamps(self) -> None:
        if self.stored_feeds is not None:  # read off the GUI thread; shown when read
            self.reader.read(
                "feed-status",
                self.stored_feeds.read,
                self._show_stored_feeds,
                lambda message: self._show_feed_status(store_problem=message),
                paced=False,
            )
            return
        self._show_feed_status()

    def _show_stored_feeds(self, statuses) -> None:
        self.stored_feeds.apply(statuses)
        self._show_feed_status()

    def _show_feed_status(self, store_problem: str | None = None) -> None:
        now = datetime.now(UTC)
        for lamp in self.lamps:
            lamp.refresh(now)
        for panel in self.panels.values():
            panel.refresh_freshness(now)
        runtime = self.runtime
        feeds = self.console.runner
        if feeds is None:
            self.connection.setText(self.tr("Not connected to a data center"))
            return
        health = feeds.coordinators.get("health")
        reading = health.status.freshness(now) if health else None
        state = reading.state if reading else Freshness.DOWN
        lamp = f"<span style='color:{FRESHNESS_COLOURS[state]}'>■</span>"
        if runtime.store.shared:
            where = self.tr("Shared store %1").replace("%1", runtime.store.url_for_display)
            if store_problem is not None:  # the lamps age on from what was last read
                lamp = f"<span style='color:{FRESHNESS_COLOURS[Freshness.DOWN]}'>■</span>"
                words = self.tr("cannot be read: %1").replace("%1", store_problem)
            elif state is Freshness.FRESH:
                words = self.tr("a collector polls the data center")
            elif reading is None or reading.age_s is None:
                words = self.tr("no collector has polled the data center yet")
            else:
                words = self.tr("last successful poll by any collector: %1").replace(
                    "%1", i18n.age(reading.age_s)
                )
            self.connection.setText(f"{lamp} {where} · {words}")
            return
        where = (
            self.tr("Embedded data center")
            if runtime.uses_embedded
            else runtime.config.datacenter_url
        )
        words = {
            Freshness.FRESH: self.tr("connected"),
            Freshness.STALE: self.tr("connection unstable"),
            Freshness.DOWN: self.tr("connection lost"),
        }[state]
        self.connection.setText(f"{lamp} {where} · {words}")

    # -- roles -------------------------------------------------------------------------------

    def visible_panels(self) -> list[str]:
        return [spec.key for spec in PANELS if self.console.role in spec.roles]

    def apply_role(self) -> None:
        """Each role sees its panels and its actions; the others are hidden, not disabled."""
        role = self.console.role
        for spec in PANELS:
            allowed = role in spec.roles
            dock = self.docks[spec.key]
            dock.toggleViewAction().setVisible(allowed)
            dock.toggleViewAction().setEnabled(allowed)
            if not allowed:
                dock.hide()
            elif dock.isHidden() and not self.settings.value(
                f"roles/{role}/seen", False, type=bool
            ):
                dock.show()
        self.settings.setValue(f"roles/{role}/seen", True)
        alerts = self.panels["alerts"]
        alerts.acknowledge.setVisible(may(role, "alert.acknowledge"))
        alerts.detail.ack_button.setVisible(may(role, "alert.acknowledge"))
        alerts.detail.assign_button.setVisible(may(role, "alert.handle"))
        alerts.detail.comment_button.setVisible(may(role, "alert.handle"))
        alerts.detail.close_button.setVisible(may(role, "alert.close"))
        meetings = self.panels["meetings"]
        for button in (meetings.launch, meetings.end, meetings.invite, meetings.remove):
            button.setVisible(may(role, "meeting.launch"))
        self._update_title()

    def switch_role(self, role: str, *, confirm: bool = True) -> bool:
        if role == self.console.role:
            return True
        if confirm:
            answer = QMessageBox.question(
                self,
                self.tr("Switch role"),
                self.tr(
                    "Switch this workstation from %1 to %2? The panels and actions change with the role."
                )
                .replace("%1", role_name(self.console.role))
                .replace("%2", role_name(role)),
            )
            if answer != QMessageBox.StandardButton.Yes:
                for item in self.role_actions.actions():
                    item.setChecked(item.data() == self.console.role)
                return False
        previous = self.console.role
        self.save_layout()
        self.console.role = role
        self.console.audit("role.switch", role, {"from": previous})
        self.settings.setValue("workstation/role", role)
        for item in self.role_actions.actions():
            item.setChecked(item.data() == role)
        self._restore_role_state()
        self.apply_role()
        return True

    # -- layouts -----------------------------------------------------------------------------

    def _state_key(self) -> str:
        return f"window/state/{self.console.role}"

    def restore_layout(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1600, 960)
        self._restore_role_state()

    def _restore_role_state(self) -> bool:
        state = self.settings.value(self._state_key())
        restored = isinstance(state, QByteArray) and self.restoreState(state, LAYOUT_VERSION)
        if restored:
            self._default_sizes_pending = False
        return restored

    def save_layout(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue(self._state_key(), self.saveState(LAYOUT_VERSION))
        self.settings.sync()

    def reset_layout(self) -> None:
        for spec in PANELS:
            self.docks[spec.key].setFloating(False)
            self.addDockWidget(spec.area, self.docks[spec.key])
            self.docks[spec.key].show()
        self._arrange_default()
        self.apply_role()

    def workspace_names(self) -> list[str]:
        self.settings.beginGroup("workspaces")
        names = sorted(self.settings.childGroups())
        self.settings.endGroup()
        return names

    def save_workspace(self, name: str) -> None:
        self.settings.setValue(f"workspaces/{name}/state", self.saveState(LAYOUT_VERSION))
        self.settings.setValue(f"workspaces/{name}/geometry", self.saveGeometry())
        self.settings.setValue(f"workspaces/{name}/role", self.console.role)
        self.settings.sync()
        self._refresh_workspace_menus()

    def recall_workspace(self, name: str) -> bool:
        state = self.settings.value(f"workspaces/{name}/state")
        if not isinstance(state, QByteArray):
            return False
        geometry = self.settings.value(f"workspaces/{name}/geometry")
        if isinstance(geometry, QByteArray) and not self.isFullScreen():
            self.restoreGeometry(geometry)
        self.restoreState(state, LAYOUT_VERSION)
        self._default_sizes_pending = False
        self.apply_role()  # a layout never shows what the role may not see
        return True

    def delete_workspace(self, name: str) -> None:
        self.settings.remove(f"workspaces/{name}")
        self._refresh_workspace_menus()

    def save_workspace_as(self) -> None:
        name = ask_for_name(self, self.tr("Save layout"), self.tr("Name of the layout:"))
        if name:
            self.save_workspace(name)

    def _refresh_workspace_menus(self) -> None:
        self.recall_menu.clear()
        self.delete_menu.clear()
        names = self.workspace_names()
        for name in names:
            self.recall_menu.addAction(name, lambda n=name: self.recall_workspace(n))
            self.delete_menu.addAction(name, lambda n=name: self.delete_workspace(n))
        self.recall_menu.setEnabled(bool(names))
        self.delete_menu.setEnabled(bool(names))

    # -- wall mode, keyboard -------------------------------------------------------------

    def toggle_wall(self) -> None:
        if self.wall.active:
            self.wall.stop()
        else:
            self.wall.start()

    def choose_wall_screens(self) -> None:
        dialog = WallSetupDialog(self.wall, self)
        if dialog.exec():
            self.wall.set_mapping(dialog.mapping())
            if self.wall.active:
                self.wall.start(dialog.mapping())

    def _wall_changed(self, active: bool) -> None:
        self.wall_action.setChecked(active)

    def _install_wall_shortcuts(self, window: QWidget) -> None:
        add_shortcut(window, "Esc", self.wall.stop)
        add_shortcut(window, "Ctrl+Shift+W", self.wall.stop)
        add_shortcut(window, "F1", lambda: HelpOverlay(self.shortcut_rows, window))
        add_shortcut(window, "F5", self.refresh_feeds)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.key() == Qt.Key.Key_Escape and self.isFullScreen():
            self.showNormal()
            return
        super().keyPressEvent(event)

    def toggle_full_screen(self) -> None:
        self.showNormal() if self.isFullScreen() else self.showFullScreen()

    def show_help(self) -> HelpOverlay:
        return HelpOverlay(self.shortcut_rows, self)

    def show_about(self):
        from commandcenter.ui.shell.about import AboutDialog

        dialog = AboutDialog(self.runtime, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def refresh_feeds(self) -> None:
        if self.runtime.runner is not None:
            self.runtime.runner.poll_now()

    def focus_directory_search(self) -> None:
        dock = self.docks["directory"]
        dock.show()
        dock.raise_()
        self.panels["directory"].search.setFocus()
        self.panels["directory"].search.selectAll()

    def _critical_alert_to_map_and_wall(self, alert) -> None:
        """A critical alert at a point: the point found on the map, its cameras on the wall
        in the alarm layout of the configuration (where they stay until released)."""
        if alert.severity != 1 or not alert.point_id:
            return
        self.panels["map"].find(alert.point_id)
        self._alert_to_wall(alert)

    def _alert_on_map(self, alert) -> None:
        if alert.point_id and self.panels["map"].find(alert.point_id):
            self._raise("map")

    def _alert_to_wall(self, alert) -> None:
        """The alert's cameras onto the wall, in the configured alarm layout."""
        if not alert.point_id:
            return
        config = self.runtime.config
        wall = self.panels["wall"]
        if config.alarm_wall_layout:
            wall.set_layout(config.alarm_wall_layout)
        wall.pin_points(config.alarm_first_tile - 1, [alert.point_id])

    def _inspect_point(self, point_id: str) -> None:
        """From the map's card: a plan of this one point, opened for inspection."""
        self._raise("supervision")
        self.panels["supervision"].inspect_now(point_id)

    def _show_category_trend(self, category: str) -> None:
        statistics = self.panels["statistics"]
        statistics.category.setCurrentIndex(statistics.category.findData(category))
        self._raise("statistics")

    def _raise(self, key: str) -> None:
        self.docks[key].show()
        self.docks[key].raise_()

    def _cameras_of_point_on_wall(self, point_id: str) -> None:
        """From the map: the point's cameras onto the wall from tile 1, where they stay."""
        self.panels["wall"].pin_points(0, [point_id])
        self._raise("wall")

    def _mix_on_wall(self, stream) -> None:
        self.panels["wall"].show_stream(stream, 0)
        self._raise("wall")

    def _propose_meeting_with(self, point_id: str) -> None:
        """From the map: the point into the meeting composer, set to its county and kind."""
        point = self.console.snapshots.points.by_key().get(point_id)
        if point is not None:
            self.panels["meetings"].propose(point)
        self._raise("meetings")

    def _show_point(self, point) -> None:
        directory = self.panels["directory"]
        self.docks["directory"].show()
        self.docks["directory"].raise_()
        directory.search.setText(point.point_id)

    # -- language and theme ------------------------------------------------------------------

    def choose_language(self, code: str) -> None:
        self.settings.setValue("ui/language", code)
        if code == i18n.language():
            return
        answer = QMessageBox.question(
            self,
            self.tr("Language"),
            self.tr("The interface language changes when the client restarts. Restart now?"),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.restart()

    def restart(self) -> None:
        args = [a for a in sys.argv[1:] if not a.startswith("--lang")]
        if QProcess.startDetached(sys.executable, ["-m", "commandcenter", *args]):
            self.close()

    def choose_theme(self, theme: str) -> None:
        app = QApplication.instance()
        self.settings.setValue("ui/theme", apply_theme(app, theme))

    # -- closing -----------------------------------------------------------------------------

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.wall.stop(notify=False)
        self.panels[
            "supervision"
        ].close_drafts()  # what was typed last is written before the store closes
        self.save_layout()
        self.bridge.close()
        self.reader.close(5000)
        self.console.alert_reader.close(5000)
        self.console.snapshots.close()
        super().closeEvent(event)
