"""PDFs the client writes (the daily report, inspection reports): HTML laid out by a
QTextDocument and printed by QPdfWriter on A4, set in a CJK font whose text can be
copied out of the PDF as the characters it shows."""

from __future__ import annotations

import logging
from pathlib import Path

import platformdirs
from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

log = logging.getLogger(__name__)

# The report's font: the first of these that Qt's font database knows. Noto Sans CJK SC
# (Debian's fonts-noto-cjk) and Source Han Sans SC are the same design; Microsoft YaHei,
# DengXian and SimHei come with a Chinese Windows.
REPORT_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "DengXian", "SimHei")
REPORT_FONT = REPORT_FONTS[0]


def report_family() -> str:
    """The family the report is set in: a CJK font, less its radicals.

    The CJK fonts draw 日 and the Kangxi radical ⽇ with one glyph, and Qt's PDF
    writer names each glyph by the lowest character that uses it. Text copied from the
    report (or searched in it) would then read ⽇报 and ⼈⺠调解: the same look, other
    characters. A copy of the font without the radicals (kept in the user's cache, made
    once with fontTools from the tables Qt reads out of the installed font) gives
    every glyph its ideograph back. Registered with Qt on the GUI thread;
    `prepare_report_fonts` may make the copy beforehand in a worker.
    """
    global _family
    if _family is None:
        _family = _register_report_font() or _installed_family() or REPORT_FONT
    return _family


_family: str | None = None
UNIFIED_FAMILY = "CommandCenter Report CJK"
_RADICALS = range(0x2E80, 0x2FE0)  # CJK Radicals Supplement and Kangxi Radicals
WEIGHTS = ("regular", "bold")
# The tables a CJK font of either outline kind (CFF or TrueType) can need; QRawFont hands
# out a table by its tag, not a list of them.
_SFNT_TABLES = (
    "BASE", "CFF ", "CFF2", "GDEF", "GPOS", "GSUB", "OS/2", "VORG", "cmap", "cvt ", "fpgm",
    "gasp", "glyf", "head", "hhea", "hmtx", "kern", "loca", "maxp", "meta", "name", "post",
    "prep", "vhea", "vmtx", "STAT", "avar", "fvar", "gvar", "HVAR", "MVAR", "VVAR",
)  # fmt: skip


def _installed_family() -> str | None:
    from PySide6.QtGui import QFontDatabase

    installed = set(QFontDatabase.families())
    return next((family for family in REPORT_FONTS if family in installed), None)


def _font_folder() -> Path:
    return Path(platformdirs.user_cache_dir("commandcenter")) / "fonts"


def prepare_report_fonts() -> list[Path] | None:
    """Make the copies of the installed CJK font without radicals if they are not
    there yet (any thread). None, said in the log, when they cannot be made."""
    family = _installed_family()
    targets = []
    for weight in WEIGHTS:
        target = _font_folder() / f"report-{family or 'cjk'}-{weight}.otf".replace(" ", "")
        try:
            if family is None:
                raise ValueError(f"no CJK font is installed (looked for {', '.join(REPORT_FONTS)})")
            if not target.is_file():
                _unify(_font_tables(family, weight), target, weight)
        except (OSError, ValueError, ImportError) as exc:
            log.warning(
                "the daily report uses %s as it is (text copied from it may read radicals): %s",
                family or REPORT_FONT,
                exc,
            )
            return None
        targets.append(target)
    return targets


def _register_report_font() -> str | None:
    from PySide6.QtGui import QFontDatabase

    registered = None
    for target in prepare_report_fonts() or ():
        if QFontDatabase.addApplicationFont(str(target)) >= 0:
            registered = UNIFIED_FAMILY
    return registered


def _font_tables(family: str, weight: str) -> dict[str, bytes]:
    """The installed font's tables, as Qt's font database found and loaded it."""
    from PySide6.QtGui import QFont, QRawFont

    font = QFont(family)
    font.setBold(weight == "bold")
    raw = QRawFont.fromFont(font)
    if not raw.isValid() or raw.familyName() != family:
        raise ValueError(f"{family} ({weight}) cannot be read from the font database")
    tables = {tag: bytes(raw.fontTable(tag).data()) for tag in _SFNT_TABLES}
    return {tag: data for tag, data in tables.items() if data}


def _unify(tables: dict[str, bytes], target: Path, weight: str) -> None:
    from io import BytesIO

    from fontTools.ttLib import TTFont
    from fontTools.ttLib.sfnt import SFNTWriter

    packed = BytesIO()
    flavour = "OTTO" if "CFF " in tables or "CFF2" in tables else "\0\1\0\0"
    writer = SFNTWriter(packed, len(tables), sfntVersion=flavour)
    for tag in sorted(tables):
        writer[tag] = tables[tag]
    writer.close()
    packed.seek(0)
    packed.name = "<tables read by Qt>"  # fontTools asks a lazy font's source for its name
    # lazy, no recalculated boxes: only the cmap and names change, the glyphs are copied as they are
    with TTFont(packed, lazy=True, recalcBBoxes=False, recalcTimestamp=False) as font:
        for table in font["cmap"].tables:
            for code in [c for c in table.cmap if c in _RADICALS]:
                del table.cmap[code]
        style = "Bold" if weight == "bold" else "Regular"
        names = {
            1: UNIFIED_FAMILY,
            2: style,
            4: f"{UNIFIED_FAMILY} {style}",
            6: f"{UNIFIED_FAMILY.replace(' ', '')}-{style}",
            16: UNIFIED_FAMILY,
            17: style,
        }
        for record in font["name"].names:
            if record.nameID in names:
                record.string = names[record.nameID]
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".partial")
        font.save(str(partial))
    partial.replace(target)  # never a half-written font for the next report


def _partial(path: Path) -> Path:
    return path.with_name(f".{path.name}.partial")


def check_writable(path: Path) -> None:
    """QPdfWriter says nothing when it cannot write: try first, beside the file (the
    file itself is replaced only once the whole PDF is written). OSError names the file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = _partial(path)
        partial.open("wb").close()
        partial.unlink()
    except OSError as exc:
        raise OSError(f"cannot write {path}: {exc.strerror}") from None


def write_pdf(path: Path, doc: QTextDocument, *, title: str) -> Path:
    """`doc` on A4 pages with 15 mm margins, at 150 dpi, into a file beside `path`
    that then replaces it: a report cancelled or failed midway leaves no half a PDF.
    The caller has checked the path with `check_writable` before building `doc` (a
    failure then costs nothing). Any thread (QPdfWriter and QTextDocument need none)."""
    partial = _partial(path)
    writer = QPdfWriter(str(partial))
    writer.setTitle(title)
    writer.setCreator("commandcenter")
    writer.setResolution(150)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(15, 15, 15, 15),
            QPageLayout.Unit.Millimeter,
        )
    )
    rect = writer.pageLayout().paintRectPixels(writer.resolution())
    doc.setPageSize(QSizeF(rect.width(), rect.height()))
    doc.print_(writer)
    del writer  # closes the file
    if not partial.is_file() or partial.stat().st_size == 0:
        partial.unlink(missing_ok=True)
        raise OSError(f"{path} was not written")
    try:
        partial.replace(path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise OSError(f"cannot write {path}: {exc.strerror}") from None
    return path
