"""Table models over store records, built so that the GUI thread never waits.

A panel's rows (the shown text, the sort keys, the colours of every cell) are
computed off the GUI thread by `build_rows`; the model then only filters and sorts
precomputed values and answers `data()` by indexing a tuple. A province has 30,000
service points: formatting them, or sorting through `data()` calls as a
QSortFilterProxyModel does, costs seconds on the GUI thread; this costs
milliseconds. A refresh that leaves the same rows in the same order repaints in
place, and one that changes them keeps the selection on the same records.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QTableView

Index = QModelIndex | QPersistentModelIndex

RECORD_ROLE = Qt.ItemDataRole.UserRole + 2
BADGE_TEXT = "#0d1117"  # dark text on a badge's colour


@dataclass(frozen=True)
class Column:
    title: str  # already translated
    value: Callable[[Any], Any]  # what is shown
    sort_key: Callable[[Any], Any] | None = None  # what sorts, when not the shown value
    colour: Callable[[Any], str | None] | None = None  # foreground colour name
    live: bool = False  # depends on the clock: computed when painted, not when built
    # the colour fills the cell behind dark bold text: a badge read from across the room
    badge: bool = False


@dataclass(frozen=True)
class Rows:
    """Everything a table shows of a list of records, computed once off the GUI thread."""

    records: list
    ids: list
    texts: list[tuple]
    keys: list[tuple]
    colours: list[tuple]
    haystacks: list[str]  # lower-case text the search box looks in


def _key(value: Any) -> tuple:
    # None sorts last whatever the column's type
    return (value is None, "" if value is None else value)


def build_rows(
    columns: Sequence[Column],
    records: Sequence[Any],
    *,
    record_id: Callable[[Any], Hashable],
    search_text: Callable[[Any], str] | None = None,
) -> Rows:
    """Runs in a worker thread."""
    built = [_row(columns, record, search_text) for record in records]
    return _rows(records, [record_id(r) for r in records], built)


_Row = tuple[
    tuple, tuple, tuple, str
]  # the texts, sort keys, colours and search text of one record


def _row(columns: Sequence[Column], record: Any, search_text: Callable[[Any], str] | None) -> _Row:
    shown = []
    for column in columns:
        if column.live:
            shown.append("")
            continue
        value = column.value(record)
        shown.append("" if value is None else str(value))
    keys = tuple(
        _key(column.sort_key(record) if column.sort_key else (None if column.live else shown[n]))
        for n, column in enumerate(columns)
    )
    colours = tuple(
        (column.colour(record) if column.colour else None) if not column.live else None
        for column in columns
    )
    return tuple(shown), keys, colours, search_text(record).lower() if search_text else ""


def _rows(records: Sequence[Any], ids: list, built: list[_Row]) -> Rows:
    return Rows(
        list(records),
        ids,
        [b[0] for b in built],
        [b[1] for b in built],
        [b[2] for b in built],
        [b[3] for b in built],
    )


class RowCache:
    """`build_rows` for a list read again on every change of which few records change
    (the alert list): a record's row is built again only when the record is another
    object than last time or its `context` (what else its columns show: its point, how
    it was handled) differs. Used by one reader at a time."""

    def __init__(self) -> None:
        self._titles: list[str] = []
        self._built: dict[Hashable, tuple[Any, Any, _Row]] = {}  # id -> (record, context, row)

    def build(
        self,
        columns: Sequence[Column],
        records: Sequence[Any],
        *,
        record_id: Callable[[Any], Hashable],
        context: Callable[[Any], Any] = lambda _record: None,
        search_text: Callable[[Any], str] | None = None,
    ) -> Rows:
        titles = [c.title for c in columns]
        previous = (
            self._built if titles == self._titles else {}
        )  # other columns, another language: all anew
        built: dict[Hashable, tuple[Any, Any, _Row]] = {}
        ids, rows = [], []
        for record in records:
            key, around = record_id(record), context(record)
            known = previous.get(key)
            if known is not None and known[0] is record and known[1] == around:
                row = known[2]
            else:
                row = _row(columns, record, search_text)
            built[key] = (record, around, row)
            ids.append(key)
            rows.append(row)
        self._titles, self._built = titles, built
        return _rows(records, ids, rows)


# What a row dragged out of a table carries: the ids of its records, one a line.
POINT_IDS_MIME = "application/x-commandcenter-point-ids"
# The map page drags points as text (a web page cannot set our own type): this prefix,
# then the point id, a line each.
POINT_TEXT_PREFIX = "commandcenter-point:"


def dragged_point_ids(mime) -> list[str]:
    """Service point ids carried by a drag from the directory or from the map page."""
    if mime.hasFormat(POINT_IDS_MIME):
        raw = bytes(mime.data(POINT_IDS_MIME)).decode("utf-8", "replace")
        return [line.strip() for line in raw.splitlines() if line.strip()]
    if mime.hasText():
        return [
            line.strip()[len(POINT_TEXT_PREFIX) :]
            for line in mime.text().splitlines()
            if line.strip().startswith(POINT_TEXT_PREFIX)
            and len(line.strip()) > len(POINT_TEXT_PREFIX)
        ]
    return []


class RecordTableModel(QAbstractTableModel):
    """Shows `Rows`; filters with a predicate over records and a search text; sorts by
    precomputed keys. `reshaped` fires after the set of shown rows changed."""

    reshaped = Signal()

    def __init__(self, columns: Sequence[Column], parent=None):
        super().__init__(parent)
        self.columns = list(columns)
        self._rows = Rows([], [], [], [], [], [])
        self._shown: list[int] = []  # indices into _rows, filtered and sorted
        self._accept: Callable[[Any], bool] | None = None
        self._search = ""
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._brushes: dict[str, QBrush] = {}
        self._bold = QFont()
        self._bold.setBold(True)
        self._shown_ids: list = []
        self.drag_mime: str | None = None  # rows can be dragged out as their ids when set

    # -- what is shown ---------------------------------------------------------------------

    @property
    def records(self) -> list:
        return self._rows.records

    def set_rows(self, rows: Rows, columns: Sequence[Column] | None = None) -> None:
        """New rows (and columns: the same titles, values that may read newer data). Where
        the same records stay in the same order, only cells whose text or colour changed
        are repainted, and the clock-dependent columns."""
        previous: Rows | None = self._rows
        if columns is not None:
            if [c.title for c in columns] != [c.title for c in self.columns]:
                previous = None  # other columns: every cell is new
            self.columns = list(columns)
        self._rows = rows
        self._reshape(replaced=True, previous=previous)

    def set_filter(self, accept: Callable[[Any], bool] | None) -> None:
        """Show only the records `accept` takes (None: all), within the search."""
        self._accept = accept
        self._reshape()

    def set_search(self, text: str) -> None:
        self._search = text.strip().lower()
        self._reshape()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort_column, self._sort_order = column, order
        self._reshape()

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        return (
            flags | Qt.ItemFlag.ItemIsDragEnabled if self.drag_mime and index.isValid() else flags
        )

    def mimeTypes(self) -> list[str]:  # noqa: N802 - Qt's name
        return [self.drag_mime] if self.drag_mime else []

    def mimeData(self, indexes) -> QMimeData:  # noqa: N802 - Qt's name
        ids = list(dict.fromkeys(str(self.id_at(i.row())) for i in indexes if i.isValid()))
        data = QMimeData()
        if self.drag_mime:
            data.setData(self.drag_mime, "\n".join(ids).encode("utf-8"))
        return data

    def record_at(self, row: int):
        return self._rows.records[self._shown[row]]

    def id_at(self, row: int) -> Hashable:
        return self._shown_ids[row]

    def row_of(self, record_id: Hashable) -> int | None:
        try:
            return self._shown_ids.index(record_id)
        except ValueError:
            return None

    def shown_records(self) -> list:
        return [self._rows.records[i] for i in self._shown]

    def refresh_live(self) -> None:
        """Repaint the clock-dependent columns (ages)."""
        live = [n for n, c in enumerate(self.columns) if c.live]
        if live and self._shown:
            self.dataChanged.emit(
                self.index(0, min(live)),
                self.index(len(self._shown) - 1, max(live)),
                [Qt.ItemDataRole.DisplayRole],
            )

    def _reshape(self, *, replaced: bool = False, previous: Rows | None = None) -> None:
        """`replaced`: new rows came, and `previous` were the rows before (None: other
        columns, every cell is new); otherwise only the filter, search or order changed."""
        rows = self._rows
        accept, search = self._accept, self._search
        shown = [
            i
            for i, record in enumerate(rows.records)
            if (accept is None or accept(record)) and (not search or search in rows.haystacks[i])
        ]
        if 0 <= self._sort_column < len(self.columns):
            column = self._sort_column
            shown.sort(
                key=lambda i: rows.keys[i][column],
                reverse=self._sort_order == Qt.SortOrder.DescendingOrder,
            )
        new_ids = [rows.ids[i] for i in shown]
        if new_ids == self._shown_ids:
            before, self._shown = self._shown, shown
            if replaced:
                self._repaint_changed(previous, before)
            return
        self.beginResetModel()
        self._shown, self._shown_ids = shown, new_ids
        self.endResetModel()
        self.reshaped.emit()

    def _repaint_changed(self, previous: Rows | None, before: list[int]) -> None:
        """The same records in the same rows: repaint the rows whose cells changed, in
        runs, rather than the whole table, whose every cell asks Python for its text,
        colour and half a dozen other roles."""
        rows, last_column = self._rows, len(self.columns) - 1
        changed: Iterable[int]
        if previous is None:
            changed = range(len(self._shown))
        else:
            changed = [
                r
                for r, (old, new) in enumerate(zip(before, self._shown, strict=True))
                if previous.texts[old] != rows.texts[new]
                or previous.colours[old] != rows.colours[new]
            ]
        start: int | None = None
        end: int | None = None
        for row in changed:
            if end is not None and row == end + 1:
                end = row
                continue
            if start is not None and end is not None:
                self.dataChanged.emit(self.index(start, 0), self.index(end, last_column))
            start = end = row
        if start is not None and end is not None:
            self.dataChanged.emit(self.index(start, 0), self.index(end, last_column))
        self.refresh_live()  # their values may read newer data than the rows were built from

    # -- Qt's model interface --------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's signature
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section].title
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._shown):
            return None
        i = self._shown[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if self.columns[column].live:
                value = self.columns[column].value(self._rows.records[i])
                return "" if value is None else str(value)
            return self._rows.texts[i][column]
        if role == Qt.ItemDataRole.ForegroundRole:
            colour = self._rows.colours[i][column]
            if colour is None:
                return None
            return self._brush(BADGE_TEXT if self.columns[column].badge else colour)
        if role == Qt.ItemDataRole.BackgroundRole and self.columns[column].badge:
            colour = self._rows.colours[i][column]
            return None if colour is None else self._brush(colour)
        if role == Qt.ItemDataRole.FontRole and self.columns[column].badge:
            return self._bold
        if role == Qt.ItemDataRole.TextAlignmentRole and self.columns[column].badge:
            return Qt.AlignmentFlag.AlignCenter
        if role == RECORD_ROLE:
            return self._rows.records[i]
        return None

    def _brush(self, colour: str) -> QBrush:
        brush = self._brushes.get(colour)
        if brush is None:
            brush = self._brushes[colour] = QBrush(QColor(colour))
        return brush


class RecordTable(QTableView):
    """A table over a RecordTableModel that keeps the selected records selected when
    the rows change underneath, and never sizes columns by reading every row."""

    def __init__(self, model: RecordTableModel, parent=None):
        super().__init__(parent)
        self.setModel(model)
        self._model = model
        self._selected: list = []
        self.setSortingEnabled(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(26)
        header = self.horizontalHeader()
        header.setStretchLastSection(True)
        header.setResizeContentsPrecision(50)  # size to the first rows only
        model.modelAboutToBeReset.connect(self._remember)
        model.modelReset.connect(self._restore)
        self._sized = False

    def selected_records(self) -> list:
        return [self._model.record_at(i.row()) for i in self.selectionModel().selectedRows()]

    def _remember(self) -> None:
        self._selected = [
            self._model.id_at(i.row())
            for i in self.selectionModel().selectedRows()
            if i.row() < self._model.rowCount()
        ]

    def _restore(self) -> None:
        if self._model.rowCount() and not self._sized:
            self.resizeColumnsToContents()
            self._sized = True
        if self._selected:
            row = self._model.row_of(self._selected[0])
            if row is not None:
                self.selectRow(row)
        self._selected = []
