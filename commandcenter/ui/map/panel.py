"""The map panel: the service points on the map page (commandcenter.map), with filters,
search, analysis layers and the clicked point's card.

Python pushes data into the page by id through `runJavaScript` (points, status
changes, alerts, filters, analysis layers): the page is built once and never rebuilt
for a data change. Clicks come back through QWebChannel and open the point's card,
with its actions: cameras onto the wall, an inspection, a meeting.

A change is followed by its keys: the store names the points it wrote, the bridge
hands their ids to the panel, the read (`reading.py`) makes rows for those points only, and the GUI
thread sends the page those rows only. Everything is read and compared when the keys
are not known, when they are most of the map, and on the first read; the page is given
every point when it is (re)loaded.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import shiboken6
from PySide6.QtCore import QByteArray, QEvent, QStringListModel, Qt, QUrl, Signal
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import (
    QWebEngineProfile,
)
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QLabel,
    QLineEdit,
    QMenu,
    QSplitter,
    QToolButton,
)
from shapely.geometry import shape

from commandcenter import resources
from commandcenter.domain import contract
from commandcenter.domain.geography import COUNTIES, county_code
from commandcenter.domain.map_analysis import (
    alert_heat,
    class_breaks,
    offline_by_county,
)
from commandcenter.map.bridge import LoggingPage, MapBridge
from commandcenter.map.engine import live_views
from commandcenter.map.page import OFFLINE_BASE, build_page
from commandcenter.map.scheme import HOST, PAGE_PATH, SCHEME, MapSchemeHandler, OfflineGuard
from commandcenter.map.tiles import MapBase
from commandcenter.ui.map.point_card import CardRoom, PointCard
from commandcenter.ui.map.reading import MapReading, MapState
from commandcenter.ui.widgets import i18n
from commandcenter.ui.widgets.flow import FlowLayout
from commandcenter.ui.widgets.panel import Console, Panel
from commandcenter.ui.widgets.style import STATUS_COLOURS
from commandcenter.ui.widgets.text import escape, plain

log = logging.getLogger(__name__)

BOUNDARIES = ("geo", "suzhou_counties.geojson")
# A short glyph per point type, drawn on its status-coloured disc.
TYPE_GLYPHS: dict[str, str] = {
    contract.PointType.LEGAL_SERVICE_CENTER: "中",
    contract.PointType.JUDICIAL_OFFICE: "所",
    contract.PointType.SERVICE_STATION: "站",
    contract.PointType.COMMUNITY_CORRECTION_CENTER: "矫",
    contract.PointType.MEDIATION_CENTER: "调",
    contract.PointType.MEDIATION_STUDIO: "室",
    contract.PointType.NOTARY_OFFICE: "公",
    contract.PointType.FORENSIC_INSTITUTION: "鉴",
    contract.PointType.HOTLINE_12348: "热",
}
SEVERITY_1 = 1

NARROW_MAP_PX = 640  # below this the card goes under the map


class MapPanel(MapReading, Panel):
    """The map panel: page, filters, search, analysis layers and the point card."""

    reload_on = ("service_points", "alerts", "orgs", "case_stats")
    feeds = ("service_points", "alerts")
    point_activated = Signal(object)  # a ServicePoint: shown in the directory
    open_cameras = Signal(str)  # point id: its cameras onto the video wall
    inspect_point = Signal(str)
    invite_point = Signal(str)
    pushed_to_page = Signal()  # the page was given the newest data

    def __init__(self, console: Console, parent=None, *, base: MapBase | None = None):
        super().__init__(console, parent)
        self.setObjectName("map")
        chosen = base or console.map_base or MapBase(OFFLINE_BASE)
        self.base = chosen.layer
        self.view = QWebEngineView(self)
        self.profile = QWebEngineProfile()  # off the record: nothing of the map is kept on disk
        self.scheme = MapSchemeHandler(self.profile, chosen.local)
        self.profile.installUrlSchemeHandler(QByteArray(SCHEME), self.scheme)
        self.guard = OfflineGuard(set(chosen.allowed_hosts), self.profile)
        self.profile.setUrlRequestInterceptor(self.guard)
        self.page = LoggingPage(self.profile, self.view)
        # the profile goes with the page, after it: a profile deleted while its page
        # lives is a crash waiting to happen
        self.profile.setParent(self.page)
        self.view.setPage(self.page)
        live_views.add(self)
        self.bridge = MapBridge(self)
        self.channel = QWebChannel(self)
        self.channel.registerObject("bridge", self.bridge)
        self.page.setWebChannel(self.channel)
        self.bridge.ready.connect(self._page_ready)
        self.bridge.clicked.connect(self._clicked)
        self.ready = False
        self.pushed: dict[str, list] = {}  # what the page holds now, by point id
        self._pushed_serial: int | None = None  # the state `pushed` holds the rows of
        self._pushed_alerts: list | None = None
        self._state: MapState | None = None
        self._seen_alert_ids: set[str] | None = None
        self._seen_alerts_of: dict | None = None  # the open alerts `_seen_alert_ids` is of
        self._names: list[str] = []
        self._start_reading()
        # before the panel's reload on `changed`, which the bridge emits after `changes`
        console.bridge.changes.connect(self.note_change)
        self.filter: dict[str, list[Any] | None] = {"types": None, "levels": None, "counties": None}

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Find a service point by name…"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(180)
        self._completer = QCompleter([], self)
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self._completer.activated.connect(self.find)
        self.search.setCompleter(self._completer)
        self.search.returnPressed.connect(lambda: self.find(self.search.text()))
        # while the list of matches shows, Enter is the list's: with none chosen in it,
        # it would only close the list
        self._matches = self._completer.popup()
        assert self._matches is not None  # a completer makes its list when asked for it
        self._matches.installEventFilter(self)
        self._point_wanted: str | None = None  # to be shown once the page has the points
        self.type_menu = self._filter_button(
            self.tr("Types"),
            "types",
            [(t.value, i18n.term(contract.POINT_TYPE_LABELS, t)) for t in contract.PointType],
        )
        self.level_menu = self._filter_button(
            self.tr("Levels"),
            "levels",
            [(lv.value, i18n.term(contract.LEVEL_LABELS, lv)) for lv in contract.Level],
        )
        self.county_menu = self._filter_button(self.tr("Counties"), "counties", [])
        self.fly_to_critical = QCheckBox(self.tr("Fly to critical alerts"))
        self.fly_to_critical.setToolTip(
            self.tr("A new severity-1 alert moves the map to its place")
        )
        self.analysis = QComboBox()
        self.analysis.addItem(self.tr("No analysis layer"), None)
        self.analysis.addItem(self.tr("Counties by cases received today"), "received")
        self.analysis.addItem(self.tr("Counties by backlog"), "pending")
        self.analysis.addItem(self.tr("Counties by points offline"), "offline")
        self.analysis.addItem(self.tr("Heat of open alerts"), "heat_alerts")
        self.analysis.addItem(self.tr("Heat of cases"), "heat_cases")
        self.analysis.currentIndexChanged.connect(self._analysis_chosen)
        # the heat of cases: of which category, over which time window
        self.heat_category = QComboBox()
        for category in contract.CaseCategory:
            self.heat_category.addItem(
                i18n.term(contract.CASE_CATEGORY_LABELS, category), category.value
            )
        self.heat_window = QComboBox()
        for hours, label in (
            (24, self.tr("last 24 hours")),
            (24 * 7, self.tr("last 7 days")),
            (24 * 30, self.tr("last 30 days")),
        ):
            self.heat_window.addItem(label, hours)
        for combo in (self.heat_category, self.heat_window):
            combo.currentIndexChanged.connect(self._analysis_chosen)
            combo.hide()
        self._heat_spec: tuple[str, int] | None = None  # read by the worker: (category, hours)
        self._county_stats_wanted = (
            False  # read by the worker: a county layer of case figures shows
        )
        self.count = QLabel()
        plain(self.count)  # it names what was searched for
        bar = FlowLayout()
        bar.addWidget(self.search, 2)
        for widget in (
            self.type_menu,
            self.level_menu,
            self.county_menu,
            self.analysis,
            self.heat_category,
            self.heat_window,
            self.fly_to_critical,
        ):
            bar.addWidget(widget)
        bar.addWidget(self.count, 1)
        self.card = PointCard()
        self.card.open_cameras.connect(self.open_cameras)
        self.card.inspect.connect(self.inspect_point)
        self.card.invite.connect(self.invite_point)
        splitter = self.splitter = QSplitter()
        splitter.addWidget(self.view)
        splitter.addWidget(CardRoom(self.card))
        splitter.setStretchFactor(0, 1)
        splitter.setCollapsible(0, False)
        self.body.addLayout(bar)
        self.body.addWidget(splitter, 1)

        self._boundaries = json.loads(resources.read_text(*BOUNDARIES))
        self._fill_counties()
        self.scheme.page = build_page(
            self._boundaries, base=self.base, glyphs=TYPE_GLYPHS, legend_html=self._legend()
        )
        self.view.load(QUrl(f"{SCHEME.decode()}://{HOST}{PAGE_PATH}"))
        self.reload()

    # -- controls ------------------------------------------------------------------------

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        """A narrow map (a small screen) puts the point's card under the map, not beside
        it, where it would leave the map no room."""
        super().resizeEvent(event)
        narrow = self.width() < NARROW_MAP_PX
        wanted = Qt.Orientation.Vertical if narrow else Qt.Orientation.Horizontal
        if self.splitter.orientation() != wanted:
            self.splitter.setOrientation(wanted)
            total = max(sum(self.splitter.sizes()), self.height() if narrow else self.width())
            self.splitter.setSizes([total * 3 // 5, total - total * 3 // 5])  # the map first

    def _filter_button(self, title: str, key: str, items: list[tuple[str, str]]) -> QToolButton:
        button = QToolButton()
        button.setText(title)
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        button.setMenu(QMenu(button))
        self._fill_menu(button, key, items)
        return button

    def _fill_counties(self) -> None:
        """The counties in the desk's scope: a county desk's map is its county's."""
        scope = self.console.scope
        self._counties = scope.counties(county.code for county in COUNTIES)
        self._fill_menu(
            self.county_menu, "counties", [(code, i18n.place(code)) for code in self._counties]
        )
        self.county_menu.setEnabled(scope.city)
        self.filter["counties"] = None

    def apply_scope(self) -> None:
        """Another part of the city: the county menu, every point read again, and the
        map over the county (within a few hundred metres on a WGS-84 base layer: the
        boundaries are GCJ-02, and a county's middle needs no more)."""
        self._fill_counties()
        self.read_everything()
        self._over_the_county()
        super().apply_scope()

    def _over_the_county(self) -> None:
        """A county desk's map flies over its county (the city's stays as it is)."""
        county = self.console.scope.county
        feature = next(
            (f for f in self._boundaries["features"] if f["properties"].get("adcode") == county),
            None,
        )
        if feature is not None:
            middle = shape(feature["geometry"]).representative_point()
            self.run(f"ccmap.flyTo({middle.y:.6f}, {middle.x:.6f}, 11)")

    def _fill_menu(self, button: QToolButton, key: str, items: list[tuple[str, str]]) -> None:
        menu = button.menu()
        menu.clear()
        for value, label in items:
            action = menu.addAction(label)
            action.setCheckable(True)
            action.setChecked(True)
            action.setData(value)
            action.toggled.connect(lambda _on, k=key, b=button: self._filter_changed(k, b))

    def _filter_changed(self, key: str, button: QToolButton) -> None:
        actions = button.menu().actions()
        chosen = [a.data() for a in actions if a.isChecked()]
        self.filter[key] = None if len(chosen) == len(actions) else chosen
        self.set_filter(**self.filter)

    def show_counties(self, counties: list[str] | None) -> None:
        """Only these counties (None: all), as if chosen in the county menu; the other filters stay."""
        for action in self.county_menu.menu().actions():
            action.blockSignals(True)
            action.setChecked(counties is None or action.data() in counties)
            action.blockSignals(False)
        self.set_filter(**{**self.filter, "counties": counties})

    def set_filter(self, types=None, levels=None, counties=None) -> None:
        """Show only these types, levels and counties (None: all)."""
        self.filter = {"types": types, "levels": levels, "counties": counties}
        self.run(f"ccmap.setFilter({json.dumps(self.filter)})")

    def _legend(self) -> str:
        items = "".join(
            f"<div><i style='background:{STATUS_COLOURS[s]}'></i>"
            f"{escape(i18n.term(contract.POINT_STATUS_LABELS, s))}</div>"
            for s in ("online", "alarm", "offline", "maintenance")
        )
        glyphs = "".join(
            f"<div><i style='background:#30363d;color:#e6edf3;font:bold 9px/12px sans-serif;"
            f"text-align:center;font-style:normal'>{g}</i>"
            f"{escape(i18n.term(contract.POINT_TYPE_LABELS, t))}</div>"
            for t, g in TYPE_GLYPHS.items()
        )
        title, types = self.tr("Service points"), self.tr("Types")
        # it folds away, the types on their own: in a small dock the legend must not cover
        # the map (the page folds it to its title while the map is small)
        return (
            f"<details class='cc-legend-all' open><summary><b>{escape(title)}</b></summary>"
            f"{items}<details><summary>{escape(types)}</summary>{glyphs}</details></details>"
        )

    def delete_web_view(self) -> None:
        """Delete the web view (with its page and profile) now; the panel shows nothing after."""
        live_views.discard(self)
        self.ready = False
        if shiboken6.isValid(self.view):
            shiboken6.delete(self.view)

    def run(self, script: str, callback=None) -> None:
        if not self.ready:
            return  # the page is pushed everything once it is ready
        if callback is None:
            self.page.runJavaScript(script)
        else:
            self.page.runJavaScript(script, 0, callback)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        """Enter in the search field with the list of matches open and none chosen in
        it: to the first match, the one at the top of the list."""
        if (
            watched is self._matches
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and not self._matches.currentIndex().isValid()
        ):
            self._matches.hide()
            first = self._completer.completionModel().index(0, 0)
            self.find(str(first.data()) if first.isValid() else self.search.text())
            return True
        return super().eventFilter(watched, event)

    def show_point_when_ready(self, point_id: str) -> None:
        """Fly to the point now or, before the page holds the points, once it does."""
        if self.ready and self.pushed and self._state is not None:
            self._point_wanted = None
            self.find(point_id)
        else:
            self._point_wanted = point_id

    # the map's find (a point by name or id), not QWidget's static find (a widget by its
    # window id), which a panel is never asked for
    def find(self, text: str) -> bool:  # type: ignore[override]
        """Fly to the point of this name (or id); else to the first, in the order the
        search field lists them, whose name holds the text."""
        state = self._state
        text = text.strip()
        if state is None or not text:
            return False
        match = next(
            (p for p in state.points.values() if p.name == text or p.point_id == text), None
        )
        if match is None:
            wanted = text.casefold()
            name = next((n for n in state.names if wanted in n.casefold()), None)
            match = next((p for p in state.points.values() if p.name == name), None)
        if match is None or match.point_id not in state.rows:
            self.count.setText(self.tr("No service point named %1 on the map").replace("%1", text))
            return False
        self.run(f"ccmap.focusPoint({json.dumps(match.point_id)}, 16)")
        self._clicked(match.point_id)
        return True

    # -- data ----------------------------------------------------------------------------

    def show_data(self, state: MapState) -> None:
        self._state = state
        if state.names is not self._names and state.names != self._names:
            # re-sorting 30,000 names on every poll would be most of an update
            self._names = state.names
            model = self._completer.model()
            assert isinstance(model, QStringListModel)  # what a QCompleter of a list makes
            model.setStringList(state.names)
        offline = state.by_status.get("offline", 0)
        alarm = state.by_status.get("alarm", 0)
        text = (
            self.tr("%1 points · %2 alarm · %3 offline")
            .replace("%1", f"{len(state.rows):,}")
            .replace("%2", f"{alarm:,}")
            .replace("%3", f"{offline:,}")
        )
        if state.unplaced:
            text += " · " + self.tr("%1 without a known coordinate system").replace(
                "%1", str(state.unplaced)
            )
        self.count.setText(text)
        if self.ready:
            self._push(state)
        if self.card.isVisible() and self.card.point is not None:
            point = state.points.get(self.card.point.point_id)
            if point is not None:
                self.card.show_point(
                    point,
                    state.open_alerts.get(point.point_id, []),
                    i18n.place(county_code(point.org_code)),
                )
            elif not self.console.scope.covers_org(self.card.point.org_code):
                self.card.hide()  # another person's desk: a point outside their county

    def _push(self, state: MapState) -> None:
        """Into the page: everything the first time; afterwards the change the reader
        prepared when the page holds the state it counts from, else every row that
        differs from what the page holds."""
        shown = len(self.pushed)
        if not self.pushed:
            self.run(
                f"ccmap.setPoints({json.dumps(list(state.rows.values()), ensure_ascii=False)})"
            )
            self.pushed = dict(state.rows)
        elif state.changed is not None and state.since == self._pushed_serial:
            # the page holds the state this one counts from: its change, as the reader wrote it
            for point_id in state.changed:
                row = state.rows.get(point_id)
                if row is None:
                    self.pushed.pop(point_id, None)
                else:
                    self.pushed[point_id] = row
            if state.page_update:
                self.run(f"ccmap.update({state.page_update})")
        else:
            upsert = [
                row for point_id, row in state.rows.items() if self.pushed.get(point_id) != row
            ]
            remove = [point_id for point_id in self.pushed if point_id not in state.rows]
            if upsert or remove:
                change = {"upsert": upsert, "remove": remove}
                self.run(f"ccmap.update({json.dumps(change, ensure_ascii=False)})")
            self.pushed = dict(state.rows)
        self._pushed_serial = state.serial
        if len(self.pushed) != shown:  # the first sync, or points came or went
            self.run(
                "ccmap.count().total",
                lambda total: log.info("the map draws %d service points", total or 0),
            )
        if state.alerts is not self._pushed_alerts and state.alerts != self._pushed_alerts:
            self.run(f"ccmap.setAlerts({json.dumps(state.alerts, ensure_ascii=False)})")
            self._pushed_alerts = state.alerts
        if state.open_alerts is not self._seen_alerts_of:
            self._fly_to_new_critical(state.open_alerts)
        if self.analysis.currentData():
            self._apply_analysis()
        if self._point_wanted is not None:
            self.show_point_when_ready(self._point_wanted)
        self.pushed_to_page.emit()

    def _fly_to_new_critical(self, open_alerts: dict) -> None:
        ids = {a.alert_id for alerts in open_alerts.values() for a in alerts}
        if self._seen_alert_ids is not None and self.fly_to_critical.isChecked():
            fresh = [
                a
                for alerts in open_alerts.values()
                for a in alerts
                if a.alert_id not in self._seen_alert_ids and a.severity == SEVERITY_1
            ]
            if fresh:
                self.run(f"ccmap.focusPoint({json.dumps(fresh[0].point_id)}, 15)")
        self._seen_alert_ids = ids
        self._seen_alerts_of = open_alerts

    def _page_ready(self) -> None:
        self.ready = True
        self.pushed = {}
        self._pushed_serial = None
        self._pushed_alerts = None
        if self.filter != {"types": None, "levels": None, "counties": None}:
            self.set_filter(**self.filter)
        if self._state is not None:
            self._push(self._state)
        self._over_the_county()

    def _clicked(self, point_id: str) -> None:
        state = self._state
        point = state.points.get(point_id) if state else None
        if state is None or point is None:
            return
        self.card.show_point(
            point, state.open_alerts.get(point_id, []), i18n.place(county_code(point.org_code))
        )
        self.point_activated.emit(point)

    # -- analysis layers -----------------------------------------------------------------

    def _analysis_chosen(self) -> None:
        kind = self.analysis.currentData()
        wanted = kind in ("received", "pending")
        if wanted and not self._county_stats_wanted:
            self._county_stats_wanted = True
            self.reload(urgent=True)
        self._county_stats_wanted = wanted
        heat = kind == "heat_cases"
        self.heat_category.setVisible(heat)
        self.heat_window.setVisible(heat)
        self._heat_spec = (
            (self.heat_category.currentData(), self.heat_window.currentData()) if heat else None
        )
        if heat:
            self.reload(urgent=True)  # the case rows of that window are read in the background
        self._apply_analysis()

    def _apply_analysis(self) -> None:
        kind = self.analysis.currentData()
        state = self._state
        if kind is None or state is None:
            self.run("ccmap.setChoropleth(null); ccmap.setHeat([])")
            return
        if kind == "heat_cases":
            if state.case_heat_spec == self._heat_spec:  # else the read for it is on its way
                self.run(f"ccmap.setChoropleth(null); ccmap.setHeat({json.dumps(state.case_heat)})")
            return
        if kind == "heat_alerts":
            rows = alert_heat(state.alerts)
            self.run(f"ccmap.setChoropleth(null); ccmap.setHeat({json.dumps(rows)})")
            return
        values = self.county_values(kind)
        self.run(
            f"ccmap.setHeat([]); ccmap.setChoropleth({json.dumps(self._choropleth(kind, values), ensure_ascii=False)})"
        )

    def county_values(self, kind: str) -> dict[str, float]:
        """The chosen indicator per county (adcode)."""
        state = self._state
        if state is None:
            return {}
        if kind == "offline":
            return offline_by_county(state.points.values(), self._counties)
        return {code: state.county_stats.get(code, {}).get(kind, 0.0) for code in self._counties}

    def _choropleth(self, kind: str, values: dict[str, float]) -> dict:
        colours = ["#0e4429", "#006d32", "#26a641", "#d29922", "#f85149"]
        breaks, top = class_breaks(values, len(colours))
        title = self.analysis.currentText()
        rows = "".join(
            f"<div><i style='background:{c};border-radius:0'></i>"
            f"{'≤ ' + format(b, ',.0f') if n < len(breaks) else '> ' + format(breaks[-1], ',.0f')}</div>"
            for n, (c, b) in enumerate(zip(colours, [*breaks, top], strict=True))
        )
        return {
            "values": values,
            "breaks": breaks,
            "colours": colours,
            "legend": f"<b>{escape(title)}</b>{rows}",
        }
