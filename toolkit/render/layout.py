"""Layout decisions shared by the writers: header rows, table titles, page numbering."""

from __future__ import annotations

import re
from dataclasses import dataclass

from toolkit.model import Block
from toolkit.normalize.numbers import parse_number

# Lines printed above a table that are not its title: 单位/部门 lines and table numbers.
_META_LINE = re.compile(
    r"^\s*(?:(?:编制|填报|预算|报送)?单位(?:名称)?\s*[:：]|部门(?:名称)?\s*[:：]|金额单位|公开\s*\d+\s*表|附表\s*\d*\s*$)"
)
_NOTE_LINE = re.compile(r"^\s*(?:注|说明|备注|资料来源|数据来源)\s*[:：\d]")
MAX_TITLE_LINES = 5
MAX_TITLE_CHARS = 40


def is_meta_line(text: str) -> bool:
    return bool(_META_LINE.match(text))


def header_row_count(rows: list[list[str]], cap: int = 4) -> int:
    """Leading rows without any number in a data column: the header to repeat on each page."""
    for i, row in enumerate(rows[:cap]):
        if any(parse_number(c) is not None for c in row[1:] if c.strip()):
            return max(i, 1)
    return 1 if rows else 0


def padded(rows: list[list[str]]) -> list[list[str]]:
    """Rectangular copy of a ragged grid (missing cells are empty strings)."""
    width = max((len(r) for r in rows), default=0)
    return [[("" if c is None else str(c)) for c in r] + [""] * (width - len(r)) for r in rows]


@dataclass(slots=True)
class TitledTable:
    """A table block with the short paragraphs printed right above it (title, 单位, 部门 ...)."""

    index: int  # position of the table block in the block list
    title_indexes: list[int]  # positions of its title paragraphs (in order)
    name: str  # a name for the table (caption, else the first title line that is not a 单位 line)


def titled_tables(blocks: list[Block]) -> list[TitledTable]:
    """Attach to each table the short paragraphs right above it: 单位/部门/表号 lines and the title.

    Walking up from the table, 单位/部门/公开NN表 lines are collected until the first other
    short line, which is the title; a table, page break, long paragraph or note (注：...)
    ends the walk, so notes under one table never become the title of the next.
    """
    out: list[TitledTable] = []
    for i, b in enumerate(blocks):
        if b.kind != "table" or b.table is None:
            continue
        titles: list[int] = []
        name = ""
        j = i - 1
        while j >= 0 and len(titles) < MAX_TITLE_LINES:
            p = blocks[j]
            text = p.text.strip()
            if p.kind != "para" or not text or len(text) > MAX_TITLE_CHARS or _NOTE_LINE.match(text):
                break
            titles.insert(0, j)
            if not is_meta_line(text):
                name = text
                break
            j -= 1
        out.append(TitledTable(index=i, title_indexes=titles, name=b.table.caption.strip() or name))
    return out


_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def sheet_names(names: list[str], fallback: str = "表") -> list[str]:
    """Valid, unique Excel sheet names (≤31 characters, no []:*?/\\, case-insensitively unique)."""
    used: set[str] = {"说明"}
    out: list[str] = []
    for n, raw in enumerate(names, start=1):
        base = _SHEET_BAD.sub("", raw).strip().strip("'") or f"{fallback}{n}"
        base = base[:31]
        name, k = base, 2
        while name.lower() in used:
            suffix = f"({k})"
            name = base[: 31 - len(suffix)] + suffix
            k += 1
        used.add(name.lower())
        out.append(name)
    return out


def page_label(page: int) -> str:
    """The page-number line Chinese documents print at the foot of a page."""
    return f"—{page}—"
