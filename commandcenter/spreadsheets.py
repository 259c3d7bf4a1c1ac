"""Tables written for people who open them in Excel or WPS: CSV with a byte-order
mark (without it Excel reads UTF-8 Chinese as mojibake) and XLSX through openpyxl,
one sheet per table, with a bold header row that stays in view."""

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


def write_csv(path: Path, table: Table) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        out.writerow(table.header)
        out.writerows(table.rows)
    return path


# Excel refuses these in a sheet's name, and names longer than 31 characters
_SHEET_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})


def write_xlsx(path: Path, tables: Sequence[Table], *, title: str = "") -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    if title:
        book.properties.title = title
    for table in tables:
        sheet = book.create_sheet(table.name.translate(_SHEET_FORBIDDEN)[:31])
        sheet.append(list(table.header))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append(list(row))
        sheet.freeze_panes = "A2"
        for n, name in enumerate(table.header, start=1):
            # CJK characters are twice as wide as Latin ones
            widest = max([_width(name), *(_width(row[n - 1]) for row in table.rows[:500])])
            sheet.column_dimensions[get_column_letter(n)].width = min(60, widest + 2)
    book.save(path)
    return path


def _width(value: Any) -> int:
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
