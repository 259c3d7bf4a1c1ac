"""Where a camera looks, in words for its tile: the camera's name without its station's.

Data centers name cameras after their station more often than not ("七都镇司法所服务大厅",
"七都镇司法所-服务大厅", "吴江区七都镇司法所 服务大厅", "服务大厅（七都镇司法所）"), and a
tile that puts the station before the camera would say the station twice. The names
come from outside, so they are also made safe to show on one line: no control or
formatting characters (a right-to-left override would reverse the rest of the title),
one space for any run of white space.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# What may stand between a station's name and the rest of a camera's name.
SEPARATORS = " -_·•・.:：;；/|\uff5c—–~\uff5e,，、"  # \uff5c, \uff5e: full-width | and ~
_BRACKETS = {"(": ")", "（": "）", "[": "]", "【": "】", "<": ">", "《": "》", "「": "」"}
# A name that ends in one of these before the station's is its place in the administration
# (苏州市吴江区 before 七都镇司法所): the tile's title gives the station, so it goes too.
_ADMINISTRATIVE_ENDINGS = ("省", "市", "区", "县", "镇", "乡", "街道")
# Characters of categories a title never shows: controls, formats (bidi overrides, zero
# widths), surrogates, private use, unassigned, line and paragraph separators.
_DROPPED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def one_line(text: str | None) -> str:
    """Text from outside as one line of visible characters: controls and formatting
    characters dropped, each run of white space one space."""
    if not text:
        return ""
    kept = []
    for char in text:
        if char.isspace():
            kept.append(" ")
        elif unicodedata.category(char) not in _DROPPED_CATEGORIES:
            kept.append(char)
    return " ".join("".join(kept).split())


# Cached: a wall asks for its tiles' titles at every repaint of their words.
@lru_cache(maxsize=4096)
def camera_place(camera_name: str | None, station_name: str | None) -> str:
    """The camera's place within its station: its name without the station's ("" when
    the camera is named after the station and nothing else)."""
    name = one_line(camera_name)
    station = _comparable(one_line(station_name))
    if len(station) < 2:  # one character would cut words apart ("所" of "所长室")
        return name
    folded, origin = _folded(name)
    at = folded.find(station)
    while at >= 0:
        end = at + len(station)
        start_char = origin[at]
        end_char = origin[end] if end < len(origin) else len(name)
        if not (
            _joins_word(name, start_char - 1, start_char)
            or _joins_word(name, end_char - 1, end_char)
        ):
            return _without(name, start_char, end_char)
        at = folded.find(station, at + 1)
    return name


def _without(name: str, start: int, end: int) -> str:
    before, after = name[:start], name[end:]
    if before.strip(SEPARATORS).endswith(_ADMINISTRATIVE_ENDINGS):
        before = ""
    opening = before.rstrip(SEPARATORS)[-1:]
    closing = after.lstrip(SEPARATORS)[:1]
    if opening in _BRACKETS and _BRACKETS[opening] == closing:
        # 服务大厅（七都镇司法所）: the brackets held only the station
        before = before.rstrip(SEPARATORS)[:-1]
        after = after.lstrip(SEPARATORS)[1:]
    before, after = before.strip(SEPARATORS), after.strip(SEPARATORS)
    rest = f"{before} {after}" if before and after else before or after
    if _comparable(rest) and _comparable(rest) != _comparable(name):
        # the station named twice ("七都镇司法所七都镇司法所大厅")
        return camera_place(rest, name[start:end])
    return rest


def _comparable(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", c).casefold() for c in text)


def _folded(name: str) -> tuple[str, list[int]]:
    """The name as compared (NFKC, case folded), and for each of its characters the
    index of the name's character it came from."""
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(name):
        for piece in unicodedata.normalize("NFKC", char).casefold():
            folded.append(piece)
            origin.append(index)
    return "".join(folded), origin


def _joins_word(name: str, left: int, right: int) -> bool:
    """The characters at `left` and `right` belong to one Latin word or number: a
    station "Qidu" is not cut out of "Qidutown"."""
    if left < 0 or right >= len(name):
        return False
    a, b = name[left], name[right]
    return _alphabetic_word_char(a) and _alphabetic_word_char(b)


def _alphabetic_word_char(char: str) -> bool:
    # CJK scripts write no spaces between words: any boundary is one there.
    return char.isalnum() and unicodedata.east_asian_width(char) not in ("W", "F")
