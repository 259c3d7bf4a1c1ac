"""Overview: today's figures from the dashboard summary, with the data's age."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from commandcenter.domain import contract
from commandcenter.ui import i18n
from commandcenter.ui.panel import Console, Panel

STALE_AFTER_S = 180  # the summary changes about once a minute (contract §3.8)
WARN = "#d29922"


class Tile(QFrame):
    def __init__(self, title: str, parent=None):
        super().__init__(parent)
        self.setObjectName("kpiTile")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel(title)
        self.title.setObjectName("kpiTitle")
        self.value = QLabel("—")
        self.value.setObjectName("kpiValue")
        self.detail = QLabel("")
        self.detail.setObjectName("kpiDetail")
        self.detail.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.value)
        layout.addWidget(self.detail)

    def show_value(self, value: str, detail: str = "", colour: str | None = None) -> None:
        self.value.setText(value)
        self.detail.setText(detail)
        self.value.setStyleSheet(f"color: {colour};" if colour else "")


class OverviewPanel(Panel):
    reload_on = ("dashboard",)
    feeds = ("dashboard",)

    def __init__(self, console: Console, parent=None):
        super().__init__(console, parent)
        self.setObjectName("overview")
        self.as_of = QLabel(self.tr("Waiting for the data center's dashboard summary…"))
        self.as_of.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.grid = grid = QGridLayout()
        self._columns = 0
        self.tiles: dict[str, Tile] = {}
        names = [(c.value, i18n.term(contract.CASE_CATEGORY_LABELS, c)) for c in contract.CaseCategory]
        names += [("points", self.tr("Service points online")), ("hotline", self.tr("12348 hotline now")),
                  ("correction", self.tr("Community correction now"))]
        for key, title in names:
            tile = Tile(title)
            self.tiles[key] = tile
        self._arrange(4)
        tiles = QWidget()
        column = QVBoxLayout(tiles)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(grid)
        column.addStretch(1)
        scroll = QScrollArea()  # a short dock scrolls instead of squeezing its neighbours
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(tiles)
        self.body.addWidget(self.as_of)
        self.body.addWidget(scroll, 1)
        self.reload()

    def _arrange(self, columns: int) -> None:
        """As many tiles a row as the width allows: two in a side column, more on a wall."""
        if columns == self._columns:
            return
        self._columns = columns
        for n, tile in enumerate(self.tiles.values()):
            self.grid.removeWidget(tile)
            self.grid.addWidget(tile, n // columns, n % columns)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self._arrange(max(1, min(6, (event.size().width() - 24) // 250)))
        super().resizeEvent(event)

    def read(self):
        return self.console.store.latest_dashboard_summary()

    def show_data(self, summary) -> None:
        if summary is None:
            return
        age = (datetime.now(UTC) - summary.as_of).total_seconds()
        stale = age > STALE_AFTER_S
        text = self.tr("As of %1 (%2)").replace("%1", f"{summary.as_of.astimezone():%Y-%m-%d %H:%M}") \
            .replace("%2", i18n.age(age))
        if stale:
            text += " · " + self.tr("behind: see feed health")
        self.as_of.setText(text)
        self.as_of.setStyleSheet(f"color: {WARN};" if stale else "")
        for category in contract.CaseCategory:
            today = summary.today.get(category.value, {})
            self.tiles[category.value].show_value(
                f"{today.get('received', 0):,}",
                self.tr("received today · closed %1 · pending %2")
                .replace("%1", f"{today.get('closed', 0):,}").replace("%2", f"{today.get('pending', 0):,}"))
        points = summary.points
        total = sum(points.values()) or 1
        online = points.get("online", 0)
        self.tiles["points"].show_value(
            f"{online:,}",
            self.tr("offline %1 · alarm %2 · %3 online").replace("%1", f"{points.get('offline', 0):,}")
            .replace("%2", f"{points.get('alarm', 0):,}").replace("%3", f"{online / total:.1%}"),
            "#3fb950" if online / total > 0.95 else WARN)
        hotline = summary.hotline
        waiting = int(hotline.get("callsWaiting", 0))
        self.tiles["hotline"].show_value(
            self.tr("%1 waiting").replace("%1", str(waiting)),
            self.tr("agents online %1 · average wait %2 s").replace("%1", str(hotline.get("agentsOnline", 0)))
            .replace("%2", f"{hotline.get('avgWaitSeconds', 0):.0f}"),
            "#f85149" if waiting >= 15 else None)
        correction = summary.correction
        self.tiles["correction"].show_value(
            f"{correction.get('underCorrection', 0):,}",
            self.tr("under correction · electronic monitoring %1 · open alerts %2")
            .replace("%1", f"{correction.get('electronicMonitoring', 0):,}")
            .replace("%2", str(correction.get("alertsOpen", 0))))
