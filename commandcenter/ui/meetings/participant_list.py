"""The composer's list of points to invite: points dragged in from the directory or the
map, removed with Delete."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QListWidget,
)

from commandcenter.ui.widgets.tables import (
    dragged_point_ids,
)


class ParticipantList(QListWidget):
    """The composer's participants: service points dropped here from the directory or
    the map; Delete removes the selected ones."""

    dropped = Signal(list)  # point ids
    removed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if dragged_point_ids(event.mimeData()):
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if dragged_point_ids(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt's name
        ids = dragged_point_ids(event.mimeData())
        if ids:
            event.acceptProposedAction()
            self.dropped.emit(ids)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.selectedItems():
            for item in self.selectedItems():
                self.takeItem(self.row(item))
            self.removed.emit()
            return
        super().keyPressEvent(event)
