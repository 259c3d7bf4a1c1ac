"""Tables written for people who open them in Excel or WPS: CSV with a byte-order
mark (without it Excel reads UTF-8 Chinese as mojibake) and XLSX through openpyxl,
one sheet per table, with a bold header row that stays in view.

Text from the data center is never a formula there: a name such as =HYPERLINK(…)
would be one in either format. In XLSX such a cell is stored as text, exactly; in
CSV, which has no types, it is prefixed with an apostrophe (OWASP's advice).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Table:
    name: str  # the sheet's name; also the CSV file's suffix
    header: Sequence[str]
    rows: Sequence[Sequence[Any]]


# what a spreadsheet takes for the start of a formula (tab and CR: before one)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_cell(value: Any) -> Any:
    """A CSV cell that no spreadsheet evaluates."""
    return "'" + value if formula_like(value) else value


def write_csv(path: Path, table: Table) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        out.writerow([csv_cell(v) for v in table.header])
        out.writerows([csv_cell(v) for v in row] for row in table.rows)
    return path


# Excel refuses these in a sheet's name, and names longer than 31 characters
_SHEET_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})


def write_xlsx(path: Path, tables: Sequence[Table], *, title: str = "") -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    for sheet in book.worksheets:  # the empty one it starts with
        book.remove(sheet)
    if title:
        book.properties.title = title
    for table in tables:
        sheet = book.create_sheet(table.name.translate(_SHEET_FORBIDDEN)[:31])
        _append(sheet, table.header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            _append(sheet, row)
        sheet.freeze_panes = "A2"
        for n, name in enumerate(table.header, start=1):
            # CJK characters are twice as wide as Latin ones
            widest = max([_width(name), *(_width(row[n - 1]) for row in table.rows[:500])])
            sheet.column_dimensions[get_column_letter(n)].width = min(60, widest + 2)
    book.save(path)
    return path


def _append(sheet, row: Sequence[Any]) -> None:
    sheet.append(list(row))
    for cell in sheet[sheet.max_row]:
        if formula_like(cell.value):
            cell.data_type = "s"  # text, exactly as it came, never evaluated
            cell.quotePrefix = True  # and it stays text when someone edits it


def _width(value: Any) -> int:
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
