"""The operator console: dockable panels per role, each applying its role's permissions,
the menus (menus.py), the status bar's lamps (status_line.py), remembered and named layouts
(workspaces.py), wall mode, and what passes between panels (a point from the map to the
wall, an alert to the map)."""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from PySide6.QtCore import QEvent, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFrame,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QToolBar,
    QWidget,
)

from commandcenter.domain.alerting import AlertingPolicy
from commandcenter.domain.geography import default_population
from commandcenter.domain.people import Person
from commandcenter.domain.roles import ROLES
from commandcenter.feeds.catalog import DEFAULT_INTERVALS
from commandcenter.feeds.mirrors import StoredFeeds
from commandcenter.map.tiles import map_base
from commandcenter.services.sign_in import SignIn
from commandcenter.ui.alerts.announcer import AlertAnnouncer, AlertBanner
from commandcenter.ui.alerts.panel import AlertsPanel
from commandcenter.ui.directory.panel import DirectoryPanel
from commandcenter.ui.map.panel import MapPanel
from commandcenter.ui.meetings.panel import MeetingsPanel
from commandcenter.ui.operations.audit import role_name
from commandcenter.ui.people.handover import HandoverDialog, HandoverReview, pending_handover
from commandcenter.ui.people.sign_in import Authenticate
from commandcenter.ui.shell.desk_session import DeskSession
from commandcenter.ui.shell.first_sync import show_first_sync
from commandcenter.ui.shell.help import HelpOverlay
from commandcenter.ui.shell.menus import WindowMenus
from commandcenter.ui.shell.panels import PANELS
from commandcenter.ui.shell.status_line import StatusLine
from commandcenter.ui.shell.theme import apply_theme
from commandcenter.ui.shell.wall_mode import (
    WallController,
    WallSetupDialog,
    WallWindow,
    add_shortcut,
)
from commandcenter.ui.shell.workspaces import Workspaces
from commandcenter.ui.statistics.overview import OverviewPanel
from commandcenter.ui.statistics.panel import StatisticsPanel
from commandcenter.ui.supervision.panel import SupervisionPanel
from commandcenter.ui.video.wall import WallPanel
from commandcenter.ui.widgets import i18n
from commandcenter.ui.widgets.panel import Console, Panel
from commandcenter.ui.workers.bridge import BackgroundReader, StoreBridge

P = TypeVar("P", bound=Panel)


def scrolling(panel: QWidget) -> QScrollArea:
    """A panel in its dock: one squeezed below what it needs scrolls, rather than
    raising the window's minimum size past the screen or painting over its neighbours."""
    area = QScrollArea()
    area.setObjectName(f"scroll-{panel.objectName()}")
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(panel)
    return area


class MainWindow(QMainWindow):
    def __init__(
        self,
        runtime,
        *,
        settings: QSettings | None = None,
        role: str | None = None,
        person: Person | None = None,
        sign_in: SignIn | None = None,
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
            person=person,
            thresholds=config.thresholds,
            population_10k=config.population_10k or default_population(),
        )
        self.console.map_base = map_base(config)
        if self.console.role not in ROLES:
            self.console.role = config.role
        if person is not None and self.console.role not in person.roles:
            self.console.role = person.roles[0]  # the role chosen at sign-in is given as `role`
        self.setObjectName("mainWindow")
        self._retranslating = False
        self.setDockNestingEnabled(True)
        self._update_title()

        self.panels: dict[str, Panel] = {}
        self.docks: dict[str, QDockWidget] = {}
        self.titles = self._panel_titles()
        self.workspaces = Workspaces(self, self.settings)
        self.menus = WindowMenus(self)
        for spec in PANELS:
            panel = spec.panel(self.console)
            dock = QDockWidget(self.titles[spec.key], self)
            dock.setObjectName(f"dock-{spec.key}")
            dock.setWidget(scrolling(panel))
            self.addDockWidget(spec.area, dock)
            self.panels[spec.key] = panel
            self.docks[spec.key] = dock
            action: QAction = dock.toggleViewAction()
            action.setShortcut(QKeySequence(spec.shortcut))
            self.menus.view_menu.addAction(action)
        self.workspaces.arrange_default()
        self.wall = WallController(
            self.docks, self.titles, self.settings, self._prepare_wall_window, self
        )
        self.wall.changed.connect(self._wall_changed)

        # the most urgent alert not acknowledged, across the top, with its sound
        self.alert_banner = AlertBanner()
        self.alert_bar = QToolBar(self.tr("Urgent alerts"))
        self.alert_bar.setObjectName("alertBar")
        self.alert_bar.setMovable(False)
        self.alert_bar.addWidget(self.alert_banner)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.alert_bar)
        self.alert_banner.acknowledge.connect(self._panel("alerts", AlertsPanel).acknowledge_alert)
        self.announcer = AlertAnnouncer(
            self.console,
            self.alert_banner,
            policy=AlertingPolicy(escalate_after_s=config.escalate_after_s),
            sound=config.alert_sound,
            parent=self,
        )
        self.announcer.announced.connect(self._announced_alert_to_map_and_wall)
        self.status_line = StatusLine(
            self, runtime, self.console, self.stored_feeds, self.reader, self._tick_panels
        )
        self.status_line.refresh()
        self.session = DeskSession(
            self,
            self.console,
            self._lock_sign_in(sign_in),
            lock_after_minutes=config.lock_after_minutes,
            take_over=self.take_over,
            data_screens=lambda: [w for w in self.wall.windows.values() if w.panel_key != "wall"],
        )
        self.session.shift_changed.connect(self._shift_changed)
        self.handover_review: HandoverReview | None = None
        if person is not None:
            self._log_sign_in(person)
            self.offer_handover()  # the shift before may have handed over to this desk
        # a command that failed is told where it was given and here, seen from any panel
        self.console.lane.failed.connect(lambda text: self.statusBar().showMessage(text, 15_000))
        self._wire_panels()
        self.workspaces.restore_layout()
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
            "duty_log": self.tr("Duty log"),
            "roster": self.tr("Duty roster"),
        }

    def _panel(self, key: str, kind: type[P]) -> P:
        """The panel of that key, as the kind PANELS makes it."""
        panel = self.panels[key]
        assert isinstance(panel, kind)
        return panel

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

    def _wire_panels(self) -> None:
        self._panel("directory", DirectoryPanel).point_activated.connect(self._show_point)
        map_panel = self._panel("map", MapPanel)
        map_panel.open_cameras.connect(self._cameras_of_point_on_wall)
        map_panel.inspect_point.connect(self._inspect_point)
        map_panel.invite_point.connect(self._propose_meeting_with)
        meetings = self._panel("meetings", MeetingsPanel)
        meetings.mix_to_wall.connect(self._mix_on_wall)
        meetings.meeting_over.connect(self._panel("wall", WallPanel).drop_stream)
        alerts = self._panel("alerts", AlertsPanel)
        alerts.locate.connect(self._alert_on_map)
        alerts.to_wall.connect(self._alert_to_wall)
        alerts.alert_activated.connect(self._alert_on_map)
        alerts.alert_activated.connect(self._alert_to_wall)
        # a county chosen in the statistics filters the map; a KPI tile opens its category's trend
        self._panel("statistics", StatisticsPanel).county_chosen.connect(
            lambda code: map_panel.show_counties([code] if code else None)
        )
        self._panel("overview", OverviewPanel).category_chosen.connect(self._show_category_trend)

    def _tick_panels(self, now: datetime) -> None:
        for panel in self.panels.values():
            panel.refresh_freshness(now)

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
        for panel in self.panels.values():
            panel.apply_role(role)
        self._update_title()

    def switch_role(self, role: str, *, confirm: bool = True) -> bool:
        if role == self.console.role:
            return True
        person = self.console.person
        if person is not None and role not in person.roles:
            self.statusBar().showMessage(
                self.tr("%1 may not work as %2.")
                .replace("%1", person.name)
                .replace("%2", role_name(role)),
                10_000,
            )
            return False
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
                for item in self.menus.role_actions.actions():
                    item.setChecked(item.data() == self.console.role)
                return False
        previous = self.console.role
        self.workspaces.save_layout()
        self.console.role = role
        self.console.audit("role.switch", role, {"from": previous})
        self.settings.setValue("workstation/role", role)
        for item in self.menus.role_actions.actions():
            item.setChecked(item.data() == role)
        self.workspaces.restore_role_state()
        self.apply_role()
        return True

    # -- the person at the desk ------------------------------------------------------------

    def lock_desk(self) -> None:
        """Lock the desk now (Ctrl+L); a desk nobody signed in to has no lock."""
        if not self.session.lock():
            self.statusBar().showMessage(
                self.tr("Nobody signed in at this desk: there is no lock."), 10_000
            )

    def _lock_sign_in(self, sign_in: SignIn | None) -> Authenticate | None:
        """How the lock screen checks who signs in: the person who locked the desk comes
        back (audited as an unlock), anyone else takes the desk over (a shift change)."""
        if sign_in is None:
            return None

        def authenticate(user_name: str, password: str) -> Person:
            person = self.console.person
            same = person is not None and user_name.strip() == person.user_name
            return sign_in.sign_in(
                user_name, password, audit_as="screen.unlock" if same else "person.shift_change"
            )

        return authenticate

    def _log_sign_in(self, person: Person) -> None:
        """The person taking the desk as a line of the duty log (kind sign_in)."""
        console = self.console
        self.panels["duty_log"].run_command(
            self.tr("Writing the sign-in into the duty log"),
            lambda: console.commands.duty.record_sign_in(
                console.on_duty(), person, console.scope, role_name(console.role)
            ),
        )

    def _shift_changed(self, person: Person, _previous: Person | None) -> None:
        """A new person took the desk at the lock: their line in the duty log, and the
        handover the outgoing officer left for this part of the city, to read and accept."""
        self._log_sign_in(person)
        self.offer_handover()

    def offer_handover(self, *, say_if_none: bool = False) -> None:
        """The handover waiting for this desk's part of the city, if any, to read and
        accept (after a sign-in, and from the Station menu)."""
        store, scope = self.console.store, self.console.scope

        def show(handover) -> None:
            if handover is None and say_if_none:
                self.statusBar().showMessage(self.tr("No handover is waiting."), 10_000)
            self.review_handover(handover)

        self.reader.read(
            "pending-handover",
            lambda: pending_handover(store, scope),
            show,
            lambda message: self.statusBar().showMessage(message, 15_000),
            urgent=True,
        )

    def review_handover(self, handover) -> None:
        """The incoming officer reads the handover waiting for them (none: nothing);
        the dialog is `handover_review` while it is open."""
        if handover is None:
            return
        review = self.handover_review = HandoverReview(self.console, handover, self)
        review.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        review.show()

    def hand_over(self) -> HandoverDialog:
        """The outgoing officer's handover: what is open gathered, their notes added."""
        dialog = HandoverDialog(self.console, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def take_over(self, person: Person, role: str) -> None:
        """Another person (or the same in another role) has the desk: their roles, their
        part of the city, their layout of the panels."""
        scope_before = self.console.scope
        self.workspaces.save_layout()
        self.console.sign_in(person, role)
        self.settings.setValue("workstation/role", role)
        self.menus.refresh_roles()
        self.workspaces.restore_role_state()
        self.apply_role()
        if self.console.scope != scope_before:
            self.console.snapshots.invalidate()
            for panel in self.panels.values():
                panel.apply_scope()
        self.session.retranslate()
        self.status_line.roster_line.refresh()  # is the new person on the roster?

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
        self.menus.wall_action.setChecked(active)

    def _prepare_wall_window(self, window: WallWindow) -> None:
        """Its keys (Ctrl+Shift+W is the window's menu action, heard on every screen) and,
        on the screen that covers this window, the urgent-alert banner: an alert is never
        hidden behind the wall."""
        self.session.watch(window)  # working at the wall is working at the desk
        add_shortcut(window, "Esc", self.wall.stop)
        add_shortcut(window, "F1", lambda: HelpOverlay(self.menus.shortcut_rows, window))
        add_shortcut(window, "F5", self.refresh_feeds)
        if window.screen() is self.screen():
            banner = AlertBanner()  # its object name is the one the banner's style sheet names
            banner.acknowledge.connect(
                lambda alert: self._panel("alerts", AlertsPanel).acknowledge_alert(alert, window)
            )
            window.add_above(banner)
            self.announcer.add_banner(banner)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.key() == Qt.Key.Key_Escape and self.isFullScreen():
            self.showNormal()
            return
        super().keyPressEvent(event)

    def toggle_full_screen(self) -> None:
        self.showNormal() if self.isFullScreen() else self.showFullScreen()

    def show_help(self) -> HelpOverlay:
        return HelpOverlay(self.menus.shortcut_rows, self)

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
        self._panel("directory", DirectoryPanel).search.setFocus()
        self._panel("directory", DirectoryPanel).search.selectAll()

    # -- between panels ----------------------------------------------------------------------

    def _announced_alert_to_map_and_wall(self, alert) -> None:
        """The announcer's alert (the banner's at start, then each new critical one): its
        point shown on the map, as soon as the map can; a critical alert's cameras on the
        wall in the alarm layout of the configuration (where they stay until released)."""
        if not alert.point_id:
            return
        self._panel("map", MapPanel).show_point_when_ready(alert.point_id)
        if alert.severity == 1:
            self._alert_to_wall(alert)

    def _alert_on_map(self, alert) -> None:
        if alert.point_id and self._panel("map", MapPanel).find(alert.point_id):
            self._raise_beside("map", "alerts")

    def _alert_to_wall(self, alert) -> None:
        """The alert's cameras onto the wall, in the configured alarm layout."""
        if not alert.point_id:
            return
        config = self.runtime.config
        wall = self._panel("wall", WallPanel)
        if config.alarm_wall_layout:
            wall.set_layout(config.alarm_wall_layout)
        wall.pin_points(config.alarm_first_tile - 1, [alert.point_id])

    def _inspect_point(self, point_id: str) -> None:
        """From the map's card: a plan of this one point, opened for inspection."""
        self._raise("supervision")
        self._panel("supervision", SupervisionPanel).inspect_now(point_id)

    def _show_category_trend(self, category: str) -> None:
        statistics = self._panel("statistics", StatisticsPanel)
        statistics.category.setCurrentIndex(statistics.category.findData(category))
        self._raise("statistics")

    def _raise(self, key: str) -> None:
        self.docks[key].show()
        self.docks[key].raise_()

    def _raise_beside(self, key: str, beside: str) -> None:
        """Raise a panel unless it shares a tab bar with the one in use, which it would hide."""
        if self.docks[key] not in self.tabifiedDockWidgets(self.docks[beside]):
            self._raise(key)

    def _cameras_of_point_on_wall(self, point_id: str) -> None:
        """From the map: the point's cameras onto the wall from tile 1, where they stay."""
        self._panel("wall", WallPanel).pin_points(0, [point_id])
        self._raise("wall")

    def _mix_on_wall(self, stream) -> None:
        self._panel("wall", WallPanel).show_stream(stream, 0)
        self._raise("wall")

    def _propose_meeting_with(self, point_id: str) -> None:
        """From the map: the point into the meeting composer, set to its county and kind."""
        point = self.console.snapshots.points.by_key().get(point_id)
        if point is not None:
            self._panel("meetings", MeetingsPanel).propose(point)
        self._raise("meetings")

    def _show_point(self, point) -> None:
        directory = self._panel("directory", DirectoryPanel)
        self.docks["directory"].show()
        self.docks["directory"].raise_()
        directory.search.setText(point.point_id)

    # -- language and theme ------------------------------------------------------------------

    def choose_language(self, code: str) -> None:
        """The interface in another language, in place: the wall plays on, the layout
        and the tiles stay (the translators' change reaches the window as LanguageChange)."""
        self.settings.setValue("ui/language", code)
        for item in self.menus.language_actions.actions():
            item.setChecked(item.data() == code)
        if code == i18n.language():
            return
        app = QApplication.instance()
        assert isinstance(app, QApplication)  # a window lives in one
        i18n.install(app, code)
        self.console.audit("ui.language", code, {})

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange and not self._retranslating:
            # each translator taken out and put in sends one: say everything again once
            self._retranslating = True
            QTimer.singleShot(0, self, self.retranslate)  # none once the window is gone

    def retranslate(self) -> None:
        self._retranslating = False
        i18n.retranslate_widgets(self.menuBar())
        i18n.retranslate_widgets(self.statusBar())
        self.titles.clear()
        self.titles.update(self._panel_titles())
        for key, dock in self.docks.items():
            dock.setWindowTitle(self.titles[key])
        self.alert_bar.setWindowTitle(self.tr("Urgent alerts"))
        self._update_title()
        for panel in self.panels.values():
            panel.retranslate()
        self.announcer.retranslate()
        self.status_line.refresh()
        self.session.retranslate()

    def choose_theme(self, theme: str) -> None:
        app = QApplication.instance()
        assert isinstance(app, QApplication)  # a window lives in one
        self.settings.setValue("ui/theme", apply_theme(app, theme))

    # -- closing -----------------------------------------------------------------------------

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.session.close()
        self.wall.stop(notify=False)
        # what was typed last is written before the store closes
        self._panel("supervision", SupervisionPanel).close_drafts()
        self.console.lane.wait(10_000)  # the commands given are written before the store closes
        self.workspaces.save_layout()
        self.bridge.close()
        self.reader.close(5000)
        self.console.alert_reader.close(5000)
        self.console.snapshots.close()
        super().closeEvent(event)
