"""The administrative units of Suzhou that the bureau's network is organised by.

Population (第七次全国人口普查, 2020, rounded to 10,000) lets the simulator size the
network and analysis compare counties per 10,000 residents.
"""

from __future__ import annotations

from dataclasses import dataclass

CITY_CODE = "320500"
CITY_NAME = "苏州市"
CITY_NAME_EN = "Suzhou"
# Suzhou's centre (苏州市政府, GCJ-02), the map's default view.
CITY_CENTER_GCJ02 = (120.585316, 31.298886)


@dataclass(frozen=True, slots=True)
class County:
    """A county of the city: its adcode, names and population."""

    code: str
    name: str
    population_10k: float
    name_en: str = ""


COUNTIES: tuple[County, ...] = (
    County("320508", "姑苏区", 92.4, "Gusu"),
    County("320505", "虎丘区", 83.4, "Huqiu"),
    County("320506", "吴中区", 139.0, "Wuzhong"),
    County("320507", "相城区", 89.2, "Xiangcheng"),
    County("320509", "吴江区", 154.5, "Wujiang"),
    County("320571", "苏州工业园区", 113.4, "Suzhou Industrial Park"),
    County("320581", "常熟市", 167.7, "Changshu"),
    County("320582", "张家港市", 143.2, "Zhangjiagang"),
    County("320583", "昆山市", 209.3, "Kunshan"),
    County("320585", "太仓市", 83.1, "Taicang"),
)

COUNTY_BY_CODE = {c.code: c for c in COUNTIES}


def default_population() -> dict[str, float]:
    """Residents per county in units of 10,000, as the census counted them."""
    return {c.code: c.population_10k for c in COUNTIES}


def county_code(org_code: str) -> str:
    """The county an organisation belongs to: the first six digits of its code."""
    return org_code[:6]


def county_name(code: str | None, language: str = "zh_CN") -> str:
    """The county's name in the language, or the code itself when unknown."""
    if code == CITY_CODE:
        return CITY_NAME_EN if language.startswith("en") else CITY_NAME
    county = COUNTY_BY_CODE.get(code or "")
    if county is None:
        return code or ""
    return county.name_en if language.startswith("en") and county.name_en else county.name
