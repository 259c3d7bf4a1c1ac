"""The console's panels: where each docks, its shortcut and the roles that see it."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt

from commandcenter.domain.roles import ROLES
from commandcenter.ui.alerts.panel import AlertsPanel
from commandcenter.ui.directory.panel import DirectoryPanel
from commandcenter.ui.map.panel import MapPanel
from commandcenter.ui.meetings.panel import MeetingsPanel
from commandcenter.ui.operations.audit import AuditPanel
from commandcenter.ui.operations.health import FeedHealthPanel
from commandcenter.ui.people.duty_log import DutyLogPanel
from commandcenter.ui.people.roster import RosterPanel
from commandcenter.ui.statistics.overview import OverviewPanel
from commandcenter.ui.statistics.panel import StatisticsPanel
from commandcenter.ui.supervision.panel import SupervisionPanel
from commandcenter.ui.video.wall import WallPanel
from commandcenter.ui.widgets.panel import Panel

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
    PanelSpec("duty_log", DutyLogPanel, Bottom, "Ctrl+Shift+L", ("duty_officer", "supervisor")),
    PanelSpec("roster", RosterPanel, Bottom, "Ctrl+Shift+D", ROLES),
)
