"""F1: the keyboard shortcuts, over whatever window has focus."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget


class HelpOverlay(QWidget):
    """F1: the shortcuts, over whatever window has focus; any key or click closes it."""

    def __init__(self, rows: list[tuple[str, str]], parent: QWidget):
        super().__init__(parent)
        self.setObjectName("helpOverlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        grid = QGridLayout()
        title = QLabel(self.tr("Keyboard shortcuts"))
        title.setStyleSheet("font-size: 18pt; font-weight: 700;")
        for n, (keys, what) in enumerate(rows):
            key_label = QLabel(keys)
            key_label.setStyleSheet("font-weight: 700; color: #58a6ff;")
            grid.addWidget(key_label, n % 14, (n // 14) * 2)
            grid.addWidget(QLabel(what), n % 14, (n // 14) * 2 + 1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(title, alignment=Qt.AlignmentFlag.AlignHCenter)
        layout.addLayout(grid)
        hint = QLabel(self.tr("Press any key to close"))
        layout.addWidget(hint, alignment=Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)
        self.setGeometry(parent.rect())
        self.show()
        self.raise_()
        self.setFocus()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.close()
        self.deleteLater()

    def mousePressEvent(self, event) -> None:  # noqa: N802
        self.close()
        self.deleteLater()
