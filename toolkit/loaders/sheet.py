"""One worksheet's cells -> paragraphs and a table, shared by the .xlsx and .xls loaders.

Layout of a sheet: leading title rows (a merged title such as 收入支出决算总表, the
编制单位 / 单位：万元 line, 公开01表) become paragraphs tagged with the sheet; the grid
below (multi-row headers included) becomes one table block; trailing note rows
(注：..., signature lines) become paragraphs after it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from toolkit.model import Block, LoadIssue, RawDocument
from toolkit.normalize.visible import visible_counter

_META_ROW = re.compile(
    r"^\s*(?:(?:编制|填报|预算|报送|主管)?(?:单位|部门)(?:名称)?\s*[:：]|金额单位|单位\s*[:：]|"
    r"公开\s*\d+\s*表|附表\s*\d*\s*$|表\s*\d+\s*$|\d{4}\s*年)"
)
_NOTE_ROW = re.compile(r"^\s*(?:注|说明|备注|资料来源|数据来源)\s*[:：\d１-９一二三]")
_SIGNATURE_CELL = re.compile(
    r"^\s*(?:单位|财务|部门)?负责人|^\s*(?:填表|制表|审核|经办)人|^\s*(?:联系电话|填报日期|制表日期)"
)


@dataclass(slots=True)
class SheetGrid:
    name: str
    cells: dict[tuple[int, int], str] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, c0, r1, c1 inclusive

    def rows(self) -> tuple[list[list[str]], list[int], dict[tuple[int, int], int]]:
        """Non-empty rows trimmed to the used columns, their sheet row numbers, and the
        vertical merges as (top row, column) -> bottom row."""
        for r0, c0, r1, c1 in self.merges:  # merged text once: covered positions are empty
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    if (r, c) != (r0, c0):
                        self.cells.pop((r, c), None)
        used = {k: v for k, v in self.cells.items() if v.strip()}
        if not used:
            return [], [], {}
        c_min = min(c for _, c in used)
        c_max = max(c for _, c in used)
        by_row: dict[int, list[str]] = {}
        for (r, c), v in used.items():
            by_row.setdefault(r, [""] * (c_max - c_min + 1))[c - c_min] = v
        order = sorted(by_row)
        tops = {(r0, c0 - c_min): r1 for r0, c0, r1, _ in self.merges if r1 > r0}
        return [by_row[r] for r in order], order, tops


def _is_title_row(
    rows: list[list[str]], numbers: list[int], i: int, vtops: dict[tuple[int, int], int]
) -> bool:
    filled = [(c, v) for c, v in enumerate(rows[i]) if v.strip()]
    if len(filled) > 1:
        return all(_META_ROW.match(v) for _, v in filled)
    # A lone header cell merged downwards (项目 over 科目编码/科目名称) starts the grid when
    # the rows it spans hold other cells; a lone merged block of text is a paragraph.
    for c, _ in filled:
        bottom = vtops.get((numbers[i], c))
        if bottom is not None:
            j = i + 1
            while j < len(rows) and numbers[j] <= bottom:
                if any(v.strip() for v in rows[j]):
                    return False
                j += 1
    return True


def _is_trailing_note(row: list[str]) -> bool:
    filled = [v for v in row if v.strip()]
    if len(filled) == 1 and row[0].strip():
        return bool(_NOTE_ROW.match(filled[0])) or len(filled[0].strip()) >= 20
    return bool(filled) and all(_SIGNATURE_CELL.match(v) for v in filled)


def sheet_blocks(grid: SheetGrid) -> list[Block]:
    """Title paragraphs, the table, trailing note paragraphs of one sheet."""
    rows, row_numbers, vtops = grid.rows()
    if not rows:
        return []
    name = grid.name
    start = 0
    while start < len(rows) and _is_title_row(rows, row_numbers, start, vtops):
        start += 1
    end = len(rows)
    if start < len(rows):
        while end > start + 1 and _is_trailing_note(rows[end - 1]):
            end -= 1
    blocks = [Block.para("  ".join(v.strip() for v in row if v.strip()), sheet=name) for row in rows[:start]]
    if start < end:
        blocks.append(Block.tab(rows[start:end], sheet=name, caption=name))
    blocks.extend(
        Block.para("  ".join(v.strip() for v in row if v.strip()), sheet=name) for row in rows[end:]
    )
    return blocks


def workbook_document(path: str, fmt: str, grids: Iterable[SheetGrid], issues: list[LoadIssue]) -> RawDocument:
    doc = RawDocument(path=path, format=fmt, issues=issues)
    n_sheets = 0
    for grid in grids:
        n_sheets += 1
        doc.visible_chars.setdefault(None, visible_counter("")).update(visible_counter("".join(grid.cells.values())))
        doc.blocks.extend(sheet_blocks(grid))
    doc.meta["sheets"] = str(n_sheets)
    if not doc.blocks and not doc.failed:
        doc.issues.append(
            LoadIssue("empty", "the workbook has no non-empty visible sheet", severity="high", fatal=True)
        )
    return doc

