"""The operator console: dockable panels, status-bar lamps, remembered layout."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QWidget

from commandcenter.ui.alerts import AlertsPanel
from commandcenter.ui.bridge import BackgroundReader, StoreBridge
from commandcenter.ui.directory import DirectoryPanel
from commandcenter.ui.health import FeedHealthPanel, FeedLamp
from commandcenter.ui.overview import OverviewPanel

LAYOUT_VERSION = 1


class MainWindow(QMainWindow):
    def __init__(self, runtime, *, settings: QSettings | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.runtime = runtime
        self.settings = settings or QSettings()
        self.bridge = StoreBridge(runtime.store, parent=self)
        self.reader = BackgroundReader(parent=self)
        where = "内置模拟数据中心" if runtime.embedded is not None else runtime.config.datacenter_url
        self.setWindowTitle(f"司法行政指挥中心 — {where}")
        self.setObjectName("mainWindow")
        self.setDockNestingEnabled(True)

        self.overview = OverviewPanel(self.bridge, self.reader)
        self.alerts = AlertsPanel(self.bridge, self.reader)
        self.directory = DirectoryPanel(self.bridge, self.reader)
        self.health = FeedHealthPanel(runtime.runner, self.bridge, self.reader)
        self.docks: dict[str, QDockWidget] = {}
        view_menu = self.menuBar().addMenu("视图(&V)")
        for key, title, widget, area, shortcut in (
            ("overview", "综合概览", self.overview, Qt.DockWidgetArea.TopDockWidgetArea, "Ctrl+1"),
            ("alerts", "告警", self.alerts, Qt.DockWidgetArea.TopDockWidgetArea, "Ctrl+2"),
            ("directory", "服务点位目录", self.directory, Qt.DockWidgetArea.BottomDockWidgetArea, "Ctrl+3"),
            ("health", "数据源健康", self.health, Qt.DockWidgetArea.BottomDockWidgetArea, "Ctrl+4"),
        ):
            dock = QDockWidget(title, self)
            dock.setObjectName(f"dock-{key}")
            dock.setWidget(widget)
            self.addDockWidget(area, dock)
            self.docks[key] = dock
            action: QAction = dock.toggleViewAction()
            action.setShortcut(QKeySequence(shortcut))
            view_menu.addAction(action)
        self.tabifyDockWidget(self.docks["directory"], self.docks["health"])
        self.docks["directory"].raise_()
        self.splitDockWidget(self.docks["overview"], self.docks["alerts"], Qt.Orientation.Horizontal)
        self.resizeDocks([self.docks["overview"], self.docks["alerts"]], [1000, 900], Qt.Orientation.Horizontal)
        self.resizeDocks([self.docks["overview"], self.docks["directory"]], [520, 480], Qt.Orientation.Vertical)

        self.connection = QLabel()
        self.statusBar().addWidget(self.connection)
        self.lamps = [FeedLamp(c) for c in (runtime.runner.coordinators.values() if runtime.runner else [])]
        for lamp in self.lamps:
            self.statusBar().addPermanentWidget(lamp)
        self._clock = QTimer(self)
        self._clock.timeout.connect(self.refresh_lamps)
        self._clock.start(1000)
        self.refresh_lamps()
        self.restore_layout()

    def refresh_lamps(self) -> None:
        now = datetime.now(UTC)
        for lamp in self.lamps:
            lamp.refresh(now)
        runtime = self.runtime
        if runtime.runner is None:
            self.connection.setText("未连接数据中心")
            return
        health = runtime.runner.coordinators.get("health")
        state = health.status.freshness(now).state.value if health else "down"
        where = "内置模拟数据中心" if runtime.embedded is not None else runtime.config.datacenter_url
        words = {"fresh": "已连接", "stale": "连接不稳定", "down": "连接中断"}[state]
        self.connection.setText(f"{where} · {words}")

    # -- layout ------------------------------------------------------------------------------

    def restore_layout(self) -> None:
        geometry = self.settings.value("window/geometry")
        state = self.settings.value("window/state")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1600, 960)
        if isinstance(state, QByteArray):
            self.restoreState(state, LAYOUT_VERSION)

    def save_layout(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState(LAYOUT_VERSION))
        self.settings.sync()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.save_layout()
        self.bridge.close()
        self.reader.wait(5000)
        super().closeEvent(event)
