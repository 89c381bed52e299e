"""Grid helpers shared by the table extractors: clean cells, header rows, column labels, units."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from toolkit.normalize.numbers import parse_number
from toolkit.normalize.text import clean_text, squash

CODE_RE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")  # 3, 5 or 7 digits: 类/款/项 (or 经济分类 3/5)
LEADING_CODE_RE = re.compile(r"^(\d{3}(?:\d{2}){0,2})\s*(\S.*)$")
UNIT_RE = re.compile(r"(?:金额)?单位\s*[:：]?\s*(万元|元|亿元|千元)|[（(]\s*(万元|元|亿元)\s*[)）]")
SEQUENCE_LABELS = ("栏次", "栏 次")


@dataclass(slots=True)
class Grid:
    """A table with cleaned cells, split into header rows and body rows."""

    rows: list[list[str]]  # cleaned, rectangular
    header_rows: int = 0
    labels: list[str] = field(default_factory=list)  # joined header label per column
    deepest: list[str] = field(default_factory=list)  # lowest non-empty header label per column
    row_pages: list[int | None] = field(default_factory=list)

    @property
    def n_cols(self) -> int:
        return len(self.rows[0]) if self.rows else 0

    def body(self) -> list[tuple[int, list[str]]]:
        return [(i, r) for i, r in enumerate(self.rows) if i >= self.header_rows]


_NEWLINE_PAD = re.compile(r"[ \t]*\n[ \t]*")


def clean_cell(text: str | None) -> str:
    if not text:
        return ""
    return _clean_cell(text)


@lru_cache(maxsize=200_000)
def _clean_cell(text: str) -> str:
    return _NEWLINE_PAD.sub("\n", clean_text(text)).strip()


def rectangular(rows: list[list[str]]) -> list[list[str]]:
    width = max((len(r) for r in rows), default=0)
    out = []
    for r in rows:
        cells = [clean_cell(c) for c in r]
        if len(cells) < width:
            if len(cells) >= 2 and any(cells):
                # a header row with merged spans lost: keep the first cells left and the last right
                cells = cells[:-1] + [""] * (width - len(cells)) + cells[-1:]
            else:
                cells += [""] * (width - len(cells))
        out.append(cells)
    return out


def is_sequence_row(row: list[str]) -> bool:
    """The 栏次 row (1, 2, 3 …) that numbers the columns: part of the header, not data."""
    joined = squash("".join(row[:2]))
    if any(squash(lbl) in joined for lbl in SEQUENCE_LABELS):
        return True
    nums = [c for c in row if c]
    if len(nums) >= 3 and all(re.fullmatch(r"\d{1,2}", c) for c in nums):
        seq = [int(c) for c in nums]
        return seq == list(range(seq[0], seq[0] + len(seq)))
    return False


def is_data_row(row: list[str]) -> bool:
    """A row that carries data: a code, a total label, or a number beyond the label columns."""
    if not any(row):
        return False
    first = squash(row[0])
    if CODE_RE.match(first) or LEADING_CODE_RE.match(first):
        return True
    if is_sequence_row(row):
        return False
    numeric = sum(1 for c in row[1:] if c and parse_number(c) is not None)
    if numeric >= 1:
        return True
    # a 合计 row with blank amounts is data; a header row that merely says 合计 has other labels beside it
    return first in ("合计", "总计") and not any(squash(c) for c in row[1:])


def split_header(rows: list[list[str]], max_header: int = 6) -> int:
    """Number of header rows at the top (including a 栏次 row)."""
    for i, row in enumerate(rows[: max_header + 1]):
        if is_sequence_row(row):
            return i + 1
    n = 0
    for i, row in enumerate(rows[: max_header + 1]):
        if is_data_row(row):
            break
        n = i + 1
    return min(n, len(rows))


def column_labels(header: list[list[str]]) -> tuple[list[str], list[str]]:
    """Joined label and deepest label per column.

    Upper header rows with horizontally merged spans print their text once: a blank cell
    there inherits the label on its left when the row below has text under it, and when
    it sits under the same parent span as that label (a blank under a vertically merged
    cell such as 公务接待费 | 预算数 | 决算数 is not part of the span on its left).
    """
    if not header:
        return [], []
    width = len(header[0])
    filled = [list(r) for r in header if not is_sequence_row(r)]
    for r_i, row in enumerate(filled[:-1]):
        lower = filled[r_i + 1 :]
        above = filled[r_i - 1] if r_i else None
        for c in range(1, width):
            if not row[c] and row[c - 1] and any(r[c] for r in lower) and (above is None or above[c] == above[c - 1]):
                row[c] = row[c - 1]
    joined, deepest = [], []
    for c in range(width):
        parts = [squash(r[c]) for r in filled if r[c]]
        uniq: list[str] = []
        for p in parts:
            if not uniq or uniq[-1] != p:
                uniq.append(p)
        joined.append("/".join(uniq))
        deepest.append(uniq[-1] if uniq else "")
    return joined, deepest


def make_grid(rows: list[list[str]], row_pages: list[int | None] | None = None, header_rows: int | None = None) -> Grid:
    rect = rectangular(rows)
    n_header = split_header(rect) if header_rows is None else header_rows
    labels, deepest = column_labels(rect[:n_header])
    if not labels:
        labels = [""] * (len(rect[0]) if rect else 0)
        deepest = list(labels)
    return Grid(rows=rect, header_rows=n_header, labels=labels, deepest=deepest, row_pages=row_pages or [])


def find_unit(texts: list[str]) -> str | None:
    for t in texts:
        m = UNIT_RE.search(squash(t))
        if m:
            return m.group(1) or m.group(2)
    return None
