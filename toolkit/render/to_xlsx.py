"""Excel (.xlsx) rendition with xlsxwriter, laid out like published 决算 workbooks.

Sheet ``说明`` holds the running text; every table gets a sheet of its own, named after
its title, with the title, 单位 and 部门 lines as the first rows above the grid.
Cells are strings exactly as printed unless the ``numeric`` option stores numbers with a
number format that prints them the same way (as real workbooks do).
"""

from __future__ import annotations

import re
from pathlib import Path

import xlsxwriter

from toolkit.model import Block
from toolkit.render.layout import padded, sheet_names, titled_tables

# A plain number as printed: optional sign, digits with optional thousands commas, decimals.
_PLAIN_NUMBER = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(%?)$")


def number_format(text: str) -> tuple[float, str] | None:
    """(value, Excel number format) that displays exactly ``text``; None if it is not a plain number."""
    m = _PLAIN_NUMBER.match(text)
    if not m or (len(text.lstrip("-").split(".")[0]) > 1 and text.lstrip("-")[0] == "0"):
        return None  # codes such as 2080505 stay numbers, but 0101 would lose its zero: keep as text
    decimals = len(m.group(1) or "")
    percent = m.group(2) == "%"
    value = float(text.replace(",", "").rstrip("%"))
    if percent:
        value /= 100
    pattern = (
        ("#,##0" if "," in text else "0")
        + ("." + "0" * decimals if decimals else "")
        + ("%" if percent else "")
    )
    return value, pattern


def write_xlsx(blocks: list[Block], path: Path, options: frozenset[str]) -> None:
    numeric = "numeric" in options
    merged = "merged" in options
    tables = titled_tables(blocks)
    title_positions = {k for t in tables for k in t.title_indexes}
    names = sheet_names([t.name for t in tables])
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    formats: dict[str, xlsxwriter.format.Format] = {}

    def fmt(pattern: str) -> xlsxwriter.format.Format:
        if pattern not in formats:
            formats[pattern] = wb.add_format({"num_format": pattern})
        return formats[pattern]

    notes = wb.add_worksheet("说明")
    notes.set_column(0, 0, 100)
    r = 0
    for i, b in enumerate(blocks):
        if b.kind == "para" and i not in title_positions and b.text.strip():
            notes.write_string(r, 0, b.text)
            r += 1

    for table, name in zip(tables, names, strict=True):
        ws = wb.add_worksheet(name)
        grid = padded(blocks[table.index].table.rows)  # type: ignore[union-attr]
        width = max((len(row) for row in grid), default=1)
        for r, k in enumerate(table.title_indexes):
            if merged and width > 1:
                ws.merge_range(r, 0, r, width - 1, blocks[k].text)
            else:
                ws.write_string(r, 0, blocks[k].text)
        top = len(table.title_indexes)
        for r, row in enumerate(grid, start=top):
            for c, cell in enumerate(row):
                if not cell:
                    continue
                as_number = number_format(cell.strip()) if numeric else None
                if as_number is not None:
                    ws.write_number(r, c, as_number[0], fmt(as_number[1]))
                else:
                    ws.write_string(r, c, cell)
        ws.set_column(0, max(width - 1, 0), 14)
    wb.close()
