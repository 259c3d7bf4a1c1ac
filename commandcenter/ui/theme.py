"""A dark control-room theme: Fusion with a palette, large enough to read on a wall."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

CJK_FAMILIES = ["Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Micro Hei", "Source Han Sans SC"]


def apply_dark_theme(app: QApplication) -> None:
    app.setStyle("Fusion")
    palette = QPalette()
    colours = {
        QPalette.ColorRole.Window: "#0d1117",
        QPalette.ColorRole.WindowText: "#e6edf3",
        QPalette.ColorRole.Base: "#161b22",
        QPalette.ColorRole.AlternateBase: "#1c2330",
        QPalette.ColorRole.ToolTipBase: "#161b22",
        QPalette.ColorRole.ToolTipText: "#e6edf3",
        QPalette.ColorRole.Text: "#e6edf3",
        QPalette.ColorRole.Button: "#21262d",
        QPalette.ColorRole.ButtonText: "#e6edf3",
        QPalette.ColorRole.Highlight: "#1f6feb",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.PlaceholderText: "#8b949e",
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    app.setPalette(palette)
    font = QFont()
    font.setFamilies(CJK_FAMILIES)
    font.setPointSize(11)
    app.setFont(font)
    app.setStyleSheet(
        "QFrame#kpiTile { border: 1px solid #30363d; border-radius: 6px; background: #161b22; }"
        "QLabel#kpiValue { font-size: 26pt; font-weight: 600; }"
        "QLabel#kpiDetail { color: #8b949e; }"
        "QDockWidget::title { padding: 4px; background: #161b22; }"
    )
