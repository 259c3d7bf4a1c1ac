"""Renders the application icon (commandcenter/data/icons/commandcenter.svg) into the
PNG sizes desktops ask for and a Windows .ico holding them; run it after changing the
SVG and commit what it writes.

    python tools/make_icons.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parents[1] / "commandcenter" / "data" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(svg: Path, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(svg)).render(painter)
    painter.end()
    return image


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - Qt needs it
    svg = ICONS / "commandcenter.svg"
    pngs = []
    for size in SIZES:
        target = ICONS / f"commandcenter-{size}.png"
        if not render(svg, size).save(str(target)):
            print(f"cannot write {target}", file=sys.stderr)
            return 1
        pngs.append(target)
    from PIL import Image

    largest = Image.open(pngs[-1])
    largest.save(ICONS / "commandcenter.ico", sizes=[(s, s) for s in SIZES])
    print(f"{len(pngs)} PNG sizes and commandcenter.ico written to {ICONS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
