"""PDFs the client writes (the daily report, inspection reports): HTML laid out by a
QTextDocument and printed by QPdfWriter on A4, set in a CJK font whose text can be
copied out of the PDF as the characters it shows."""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path

import platformdirs
from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

log = logging.getLogger(__name__)

REPORT_FONT = "Noto Sans CJK SC"


def report_family() -> str:
    """The family the report is set in: Noto Sans CJK SC, less its radicals.

    The CJK fonts draw 日 and the Kangxi radical ⽇ with one glyph, and Qt's PDF
    writer names each glyph by the lowest character that uses it. Text copied from the
    report (or searched in it) would then read ⽇报 and ⼈⺠调解: the same look, other
    characters. A copy of the font without the radicals (kept in the user's cache, made
    once in about a second with fontTools) gives every glyph its ideograph back.
    Registered with Qt on the GUI thread; `prepare_report_fonts` may make the copy
    beforehand in a worker.
    """
    global _family
    if _family is None:
        _family = _register_report_font() or REPORT_FONT
    return _family


_family: str | None = None
UNIFIED_FAMILY = "CommandCenter Report CJK"
_RADICALS = range(0x2E80, 0x2FE0)  # CJK Radicals Supplement and Kangxi Radicals
WEIGHTS = ("regular", "bold")


def _font_folder() -> Path:
    return Path(platformdirs.user_cache_dir("commandcenter")) / "fonts"


def prepare_report_fonts() -> list[Path] | None:
    """Make the copies of the font without radicals if they are not there yet (any
    thread: fontTools only). None, said in the log, when they cannot be made."""
    targets = []
    for weight in WEIGHTS:
        target = _font_folder() / f"report-cjk-{weight}.otf"
        try:
            if not target.is_file():
                _unify(_system_font_file(weight), target, weight)
        except (OSError, ValueError, ImportError) as exc:
            log.warning(
                "the daily report uses %s as it is (text copied from it may read radicals): %s",
                REPORT_FONT,
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


def _system_font_file(weight: str) -> tuple[str, int]:
    pattern = f"{REPORT_FONT}:{weight}"
    try:
        found = subprocess.run(
            ["fc-match", "-f", "%{file}\t%{index}\t%{family}", pattern],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        raise OSError(f"fc-match cannot find {pattern}: {exc}") from None
    file, index, families = (found.split("\t") + ["", ""])[:3]
    if REPORT_FONT not in families.split(","):
        raise ValueError(f"{pattern} is not installed (fc-match offers {families or file})")
    return file, int(index or 0)


def _unify(source: tuple[str, int], target: Path, weight: str) -> None:
    from fontTools.ttLib import TTFont

    file, index = source
    # lazy, no recalculated boxes: only the cmap and names change, the glyphs are copied as they are
    with TTFont(
        file, fontNumber=index, lazy=True, recalcBBoxes=False, recalcTimestamp=False
    ) as font:
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
