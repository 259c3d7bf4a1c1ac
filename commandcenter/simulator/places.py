"""Where the simulated network stands: counties, their towns and villages, and the
names the bureau gives its service points. Real town names for Suzhou; plausible
generated ones for the rest of the province."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field

from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.prepared import PreparedGeometry, prep

from commandcenter import resources

SUZHOU_TOWNS: dict[str, list[str]] = {
    "320508": [
        "平江街道",
        "沧浪街道",
        "金阊街道",
        "双塔街道",
        "虎丘街道",
        "吴门桥街道",
        "葑门街道",
        "城南街道",
    ],
    "320505": [
        "狮山街道",
        "枫桥街道",
        "横塘街道",
        "镇湖街道",
        "东渚街道",
        "浒墅关镇",
        "通安镇",
        "阳山街道",
    ],
    "320506": [
        "长桥街道",
        "越溪街道",
        "郭巷街道",
        "横泾街道",
        "香山街道",
        "苏苑街道",
        "龙西街道",
        "太湖街道",
        "城南街道",
        "木渎镇",
        "甪直镇",
        "胥口镇",
        "东山镇",
        "光福镇",
        "金庭镇",
        "临湖镇",
    ],
    "320507": [
        "元和街道",
        "太平街道",
        "黄桥街道",
        "北河泾街道",
        "漕湖街道",
        "澄阳街道",
        "北桥街道",
        "望亭镇",
        "黄埭镇",
        "渭塘镇",
        "阳澄湖镇",
    ],
    "320509": [
        "松陵街道",
        "江陵街道",
        "横扇街道",
        "八坼街道",
        "同里镇",
        "平望镇",
        "盛泽镇",
        "七都镇",
        "震泽镇",
        "桃源镇",
        "黎里镇",
    ],
    "320571": ["娄葑街道", "斜塘街道", "唯亭街道", "胜浦街道", "金鸡湖街道"],
    "320581": [
        "虞山街道",
        "常福街道",
        "琴川街道",
        "莫城街道",
        "东南街道",
        "碧溪街道",
        "梅李镇",
        "海虞镇",
        "古里镇",
        "沙家浜镇",
        "支塘镇",
        "董浜镇",
        "辛庄镇",
        "尚湖镇",
    ],
    "320582": [
        "杨舍镇",
        "塘桥镇",
        "金港街道",
        "锦丰镇",
        "乐余镇",
        "凤凰镇",
        "南丰镇",
        "大新镇",
        "常阴沙",
    ],
    "320583": [
        "玉山镇",
        "巴城镇",
        "周市镇",
        "陆家镇",
        "花桥镇",
        "淀山湖镇",
        "张浦镇",
        "周庄镇",
        "千灯镇",
        "锦溪镇",
        "开发区",
    ],
    "320585": ["城厢镇", "沙溪镇", "浏河镇", "浮桥镇", "璜泾镇", "双凤镇", "娄东街道", "陆渡街道"],
}

_SYLLABLES_A = "新东西南北金盛星和华兴安港湖塘桥泾浜湾庄泉山林田河阳丰合永宝长青福乐平康"
_SYLLABLES_B = "民园苑城里坊湾塘泾桥港浜庄泽溪山村埭墩圩巷街"
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘蒋蔡余杜叶程魏苏吕丁沈任姚卢"
_GIVEN = "建国明华英玉秀兰红军平志强文静丽敏伟芳娟勇杰涛斌超磊洪梅琴"
STUDIO_BRANDS = [
    "老娘舅",
    "和事佬",
    "贴心人",
    "邻里和",
    "石榴籽",
    "枫桥",
    "阳光",
    "连心桥",
    "暖心",
    "金钥匙",
]


@dataclass(frozen=True)
class CountyArea:
    code: str
    name: str
    city: str
    population_10k: float
    geometry: BaseGeometry  # GCJ-02
    _prepared: PreparedGeometry = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "_prepared", prep(self.geometry))

    def contains(self, lng: float, lat: float) -> bool:
        return self._prepared.contains(Point(lng, lat))

    def random_point(
        self, rng: random.Random, near: tuple[float, float] | None = None, spread: float = 0.02
    ) -> tuple[float, float]:
        minx, miny, maxx, maxy = self.geometry.bounds
        for _ in range(200):
            if near is not None:
                lng, lat = rng.gauss(near[0], spread), rng.gauss(near[1], spread * 0.85)
            else:
                lng, lat = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
            if self.contains(lng, lat):
                return round(lng, 6), round(lat, 6)
        # a thin county and a far-off centre: fall back to a point surely inside
        p = self.geometry.representative_point()
        return round(p.x, 6), round(p.y, 6)


def load_counties(scale: str) -> list[CountyArea]:
    from commandcenter.domain.geography import COUNTY_BY_CODE

    name = "suzhou_counties.geojson" if scale == "city" else "jiangsu_counties.geojson"
    data = json.loads(resources.read_text("geo", name))
    counties = []
    for feature in data["features"]:
        props = feature["properties"]
        code = props["adcode"]
        known = COUNTY_BY_CODE.get(code)
        geometry = shape(feature["geometry"])
        # Population drives how many stations a county has; outside Suzhou it is
        # estimated from the county's area (Jiangsu averages ~750 people per km²).
        population = known.population_10k if known else max(20.0, geometry.area * 10_000 * 0.075)
        counties.append(
            CountyArea(code, props["name"], props.get("city", "苏州市"), population, geometry)
        )
    counties.sort(key=lambda c: c.code)
    return counties


def town_names(county: CountyArea, rng: random.Random, count: int) -> list[str]:
    if county.code in SUZHOU_TOWNS:
        return list(SUZHOU_TOWNS[county.code])
    names: list[str] = []
    while len(names) < count:
        name = (
            rng.choice(_SYLLABLES_A) + rng.choice(_SYLLABLES_A) + rng.choice(["镇", "镇", "街道"])
        )
        if name not in names:
            names.append(name)
    return names


def village_name(rng: random.Random, used: set[str], urban: bool) -> str:
    for _ in range(100):
        name = rng.choice(_SYLLABLES_A) + rng.choice(_SYLLABLES_B) + ("社区" if urban else "村")
        if name not in used:
            used.add(name)
            return name
    name = f"第{len(used) + 1}{'社区' if urban else '村'}"
    used.add(name)
    return name


def person_name(rng: random.Random) -> str:
    return (
        rng.choice(_SURNAMES)
        + rng.choice(_GIVEN)
        + (rng.choice(_GIVEN) if rng.random() < 0.6 else "")
    )
