"""Text from outside (the data center, a stream, a file, the operator) in Qt widgets:
shown as the characters it is, never as markup.

A QLabel, a tooltip or a message box guesses whether its text is rich text, and a
point named `<b>…` or `<img src=…>` would be drawn as markup (and an image read from
a path). Labels that show such text are set to plain text; where a label mixes our
own markup with it, the text is escaped; where a widget gives no choice (tooltips,
the labels inside message boxes and input dialogs), `literal()` makes text that
Qt shows as it is.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QLabel, QSizePolicy


def escape(value: object) -> str:
    """For rich text of our own that holds text from outside."""
    return html.escape(str(value), quote=True)


def literal(value: object) -> str:
    """Text a widget that guesses its format shows exactly as given: unchanged when it
    cannot be taken for markup, else escaped inside a paragraph that keeps its lines."""
    text = str(value)
    if "<" not in text and "&" not in text:
        return text
    return f"<p style='white-space:pre-wrap'>{escape(text)}</p>"


def plain(*labels: QLabel) -> None:
    """These labels show text only, never markup."""
    for label in labels:
        label.setTextFormat(Qt.TextFormat.PlainText)


def plain_label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


class ElidedLabel(QLabel):
    """One line of plain text that shortens with "…" when its room is narrower than the
    text, the whole of it on hover: a long name or title never widens the window."""

    def __init__(self, text: str = "", parent=None):
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        self._full = text
        self._elide()

    def text(self) -> str:
        return self._full

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        hint = super().sizeHint()
        return QSize(self.fontMetrics().horizontalAdvance(self._full) + 8, hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(
            self.fontMetrics().horizontalAdvance("…") * 4, super().minimumSizeHint().height()
        )

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(
            self._full, Qt.TextElideMode.ElideRight, max(self.width(), 1)
        )
        super().setText(shown)
        self.setToolTip(literal(self._full) if shown != self._full else "")
