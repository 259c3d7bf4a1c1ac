"""Rows of controls that wrap instead of widening their panel.

A panel's filter or action row laid out side by side asks for the sum of its
controls' widths: nine controls in a row made the map's dock 870 px wide at least,
and with the other docks the window wider than a 1920 px screen. A flow row puts
what does not fit on the next line, so a panel needs only its widest control.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QSizePolicy, QWidget, QWidgetItem


class FlowLayout(QLayout):
    """Left to right, then on to the next line. A widget added with a stretch takes the
    room left over on its line (the search field), as in a QHBoxLayout."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6):
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._stretch: dict[int, int] = {}  # id(item) -> stretch
        self.setSpacing(spacing)
        self.setContentsMargins(0, 0, 0, 0)

    def addWidget(self, widget: QWidget, stretch: int = 0) -> None:  # noqa: N802 - Qt's name
        self.addChildWidget(widget)
        item = QWidgetItem(widget)
        self._stretch[id(item)] = stretch
        self.addItem(item)

    def addStretch(self, _stretch: int = 0) -> None:  # noqa: N802 - Qt's name
        """A flow has no room to spare between its controls: the ones that follow a
        stretch in a box row start after the previous ones."""

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 - Qt's name
        self._items.append(item)
        self.invalidate()

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt's name
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt's name
        if 0 <= index < len(self._items):
            item = self._items.pop(index)
            self._stretch.pop(id(item), None)
            return item
        return None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 - Qt's name
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        return self._lay_out(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt's name
        super().setGeometry(rect)
        self._lay_out(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        """All on one line, as wide as that takes."""
        width = height = 0
        for item in self._shown():
            hint = item.sizeHint()
            width += hint.width() + (self.spacing() if width else 0)
            height = max(height, hint.height())
        margins = self.contentsMargins()
        return QSize(
            width + margins.left() + margins.right(), height + margins.top() + margins.bottom()
        )

    def minimumSize(self) -> QSize:  # noqa: N802 - Qt's name
        """As wide as the widest control: the others go on the next lines."""
        size = QSize()
        for item in self._shown():
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size.grownBy(margins)

    def _shown(self) -> list[QLayoutItem]:
        return [item for item in self._items if not item.isEmpty()]

    def _lay_out(self, rect: QRect, *, move: bool) -> int:
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        spacing = self.spacing()
        lines: list[list[QLayoutItem]] = [[]]
        used = 0
        for item in self._shown():
            width = min(item.sizeHint().width(), area.width())
            if lines[-1] and used + spacing + width > area.width():
                lines.append([])
                used = 0
            used += (spacing if lines[-1] else 0) + width
            lines[-1].append(item)
        y = area.y()
        for line in lines:
            if not line:
                continue
            widths = [min(item.sizeHint().width(), area.width()) for item in line]
            height = max(item.sizeHint().height() for item in line)
            spare = area.width() - sum(widths) - spacing * (len(line) - 1)
            stretches = [self._stretch.get(id(item), 0) for item in line]
            total = sum(stretches)
            if spare > 0 and total > 0:
                widths = [w + spare * s // total for w, s in zip(widths, stretches, strict=True)]
            x = area.x()
            for item, width in zip(line, widths, strict=True):
                if move:
                    widget = item.widget()
                    grows = (
                        widget is not None
                        and widget.sizePolicy().verticalPolicy() == QSizePolicy.Policy.Expanding
                    )
                    h = height if grows else item.sizeHint().height()
                    item.setGeometry(QRect(QPoint(x, y + (height - h) // 2), QSize(width, h)))
                x += width + spacing
            y += height + spacing
        return y - spacing - area.y() + margins.top() + margins.bottom() if y > area.y() else 0
