"""Rows of a 类|款|项 table whose code cells were printed only as far as the row's level.

A PDF rendered to text with TABs keeps a cell per printed cell, so a 类 row holds one code cell,
a 款 row two and a 项 row three, and the name and amounts after them start at a different column
on every level ("201 | 一般公共服务支出 | 3,296,600 …", "201 | 05 | 统计信息事务 | 438,300 …").
Padded on the right, the amount columns would not line up; here each row is laid out on the
table's own columns instead: code cells from the left, the name in the one name column, the
amounts in the amount columns. A 合计 row (a label and the amounts) keeps its label first, where a
ruled table prints it across the code columns, and its amounts go over the amount columns; a header
row of that length goes over the name and amount columns; a 类 | 款 | 项 header row over the codes.

Only a table where every coded row has the same number of amounts after its name is laid out
again; anything else is left as printed (abstain rather than guess a column).
"""

from __future__ import annotations

import re
from collections import Counter

from toolkit.normalize.numbers import parse_number
from toolkit.normalize.text import squash

Span = tuple[int | None, int, int] | None

_CLASS = re.compile(r"^\d{3}$")
_SUB = re.compile(r"^\d{2}$")
_CODE_HEADER = frozenset({"类", "款", "项"})
MIN_CODED_ROWS = 3


def code_cells(row: list[str]) -> int:
    """How many leading cells are 类 / 款 / 项 codes (a 3-digit cell, then up to two 2-digit cells)."""
    if not row or not _CLASS.match(squash(row[0])):
        return 0
    n = 1
    while n < min(3, len(row)) and _SUB.match(squash(row[n])):
        n += 1
    return n


def _is_amount(cell: str) -> bool:
    return not squash(cell) or parse_number(cell) is not None


def _coded_shape(row: list[str]) -> tuple[int, int] | None:
    """(code cells, amount cells) of a row printed as codes, a name, then only amounts."""
    n_codes = code_cells(row)
    if not n_codes or len(row) <= n_codes + 1:
        return None
    name, tail = row[n_codes], row[n_codes + 1:]
    if not squash(name) or parse_number(name) is not None or not all(_is_amount(c) for c in tail):
        return None
    return n_codes, len(tail)


def align_code_rows(rows: list[list[str]], spans: list[list[Span]] | None
                    ) -> tuple[list[list[str]], list[list[Span]] | None]:
    """``rows`` (and their cell spans) laid out on the code, name and amount columns, or as given."""
    shapes = [_coded_shape(r) for r in rows]
    coded = [s for s in shapes if s is not None]
    if len(coded) < MIN_CODED_ROWS or len({n for n, _ in coded}) < 2:
        return rows, spans
    (n_amounts, count), = Counter(a for _, a in coded).most_common(1)
    if count != len(coded):
        return rows, spans  # the amount columns differ between coded rows: not one layout
    n_codes = max(n for n, _ in coded)
    width = n_codes + 1 + n_amounts
    if max(len(r) for r in rows) > width:
        return rows, spans
    out_rows: list[list[str]] = []
    out_spans: list[list[Span]] = []
    for k, row in enumerate(rows):
        row_spans = spans[k] if spans is not None and k < len(spans) else []
        at = _insert_at(row, shapes[k], n_amounts, width)
        pad = width - len(row)
        if at is None or pad <= 0:
            out_rows.append(list(row))
            out_spans.append(list(row_spans))
            continue
        out_rows.append([*row[:at], *([""] * pad), *row[at:]])
        out_spans.append([*row_spans[:at], *([None] * pad), *row_spans[at:]] if row_spans else [])
    return out_rows, (out_spans if spans is not None else None)


def _insert_at(row: list[str], shape: tuple[int, int] | None, n_amounts: int, width: int) -> int | None:
    """Where a short row's missing cells go, or None to leave the row as printed."""
    if shape is not None:
        return shape[0]  # after the codes it has: its name and amounts move right
    cells = [squash(c) for c in row]
    if cells and all(c in _CODE_HEADER for c in cells if c) and len(row) < width:
        return len(row)  # the 类 | 款 | 项 header over the code columns
    if len(row) != n_amounts + 1 or not cells[0] or _CLASS.match(cells[0]):
        return None
    if any(parse_number(c) is not None for c in row[1:]):
        return 1  # a 合计 row: its label first, its amounts over the amount columns
    return 0  # a header row: the name column's label, then the amount columns' labels
