"""Themes: a dark control-room theme, readable from a few metres on a wall, and a
light one for bright offices. Fusion with a palette and a few rules of style."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

CJK_FAMILIES = ["Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Micro Hei", "Source Han Sans SC"]
THEMES = ("dark", "light")

_COLOURS = {
    "dark": {
        "window": "#0d1117",
        "text": "#e6edf3",
        "base": "#161b22",
        "alternate": "#1c2330",
        "button": "#21262d",
        "highlight": "#1f6feb",
        "muted": "#8b949e",
        "border": "#30363d",
    },
    "light": {
        "window": "#f6f8fa",
        "text": "#1f2328",
        "base": "#ffffff",
        "alternate": "#f0f3f6",
        "button": "#eaeef2",
        "highlight": "#0969da",
        "muted": "#57606a",
        "border": "#d0d7de",
    },
}


def apply_theme(app: QApplication, name: str = "dark") -> str:
    if name not in THEMES:
        name = "dark"
    c = _COLOURS[name]
    app.setStyle("Fusion")
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: c["window"],
        QPalette.ColorRole.WindowText: c["text"],
        QPalette.ColorRole.Base: c["base"],
        QPalette.ColorRole.AlternateBase: c["alternate"],
        QPalette.ColorRole.ToolTipBase: c["base"],
        QPalette.ColorRole.ToolTipText: c["text"],
        QPalette.ColorRole.Text: c["text"],
        QPalette.ColorRole.Button: c["button"],
        QPalette.ColorRole.ButtonText: c["text"],
        QPalette.ColorRole.Highlight: c["highlight"],
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.PlaceholderText: c["muted"],
    }
    for role, colour in roles.items():
        palette.setColor(role, QColor(colour))
    app.setPalette(palette)
    font = QFont()
    font.setFamilies(CJK_FAMILIES)
    font.setPointSize(11)
    app.setFont(font)
    pg.setConfigOptions(background=c["window"], foreground=c["text"], antialias=True)
    app.setStyleSheet(
        f"QFrame#kpiTile, QFrame#stationTile {{ border: 1px solid {c['border']}; border-radius: 6px;"
        f" background: {c['base']}; }}"
        "QLabel#kpiValue { font-size: 26pt; font-weight: 600; }"
        f"QLabel#kpiDetail, QLabel#kpiTitle {{ color: {c['muted']}; }}"
        "QLabel#tileNumber { font-size: 16pt; font-weight: 700; min-width: 2em; }"
        "QLabel#tileCamera { font-weight: 600; }"
        f"QDockWidget::title {{ padding: 4px; background: {c['base']}; }}"
        f"QWidget#helpOverlay {{ background: rgba(0, 0, 0, 200); }}"
        "QWidget#helpOverlay QLabel { color: #e6edf3; font-size: 13pt; }"
    )
    app.setProperty("commandcenterTheme", name)
    return name
