"""部门整体支出绩效评价基础数据表 -> ``line_items``.

The table stacks small blocks (财政供养人员, 经费控制情况, 项目支出, 公用经费, 楼堂馆所 …). The
money block is introduced by a row naming its columns (上年决算数 · 本年预算数 · 本年决算数, as
"2022 年决算数 | 2023 年预算数 | 2023 年决算数"); the rows under it are items whose first cell
is the name. Each amount becomes one line item with measure ``prior_final``, ``budget`` or
``final``; ``section`` is the group the row belongs to (三公经费, 项目支出, 公用经费), so a
project's 预算/决算 can be compared with its 自评表 and the 决算 tables.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from toolkit.extract.grid import Grid
from toolkit.normalize.numbers import parse_number, unit_scale
from toolkit.normalize.text import squash

if TYPE_CHECKING:
    from toolkit.extract.table_types import TableType

_NUMBERING = re.compile(r"^(?:\d+[、.．]|[一二三四五六七八九十]+[、.．]|其中[:：]?)")
_GROUPS = (("三公", "sangong"), ("项目支出", "project"), ("公用经费", "public"), ("基本支出", "basic"))
_GROUP_KEYS = {"sangong": "sangong", "project": "project_total", "public": "public_total", "basic": "basic_total"}


def _money_columns(row: list[str]) -> dict[int, str]:
    """Columns of a header row that names 决算数/预算数; the earlier of two 决算 columns is last year's."""
    cols: dict[int, str] = {}
    finals = [c for c, cell in enumerate(row) if "决算" in squash(cell)]
    for c, cell in enumerate(row):
        s = squash(cell)
        if "预算" in s:
            cols[c] = "budget"
        elif "决算" in s:
            cols[c] = "prior_final" if (len(finals) > 1 and c == finals[0]) or "上年" in s else "final"
    return cols


def extract_basic_data_table(grid: Grid, spec: TableType, unit: str | None, base: dict, project: str | None) -> dict[str, list[dict]]:
    """The extractor of the 基础数据表 (its grid has no header rows: blocks carry their own)."""
    return {"line_items": extract_basic_data(grid, unit, base)}


def extract_basic_data(grid: Grid, unit: str | None, base: dict) -> list[dict]:
    out: list[dict] = []
    cols: dict[int, str] = {}
    group: str | None = None
    block_unit = unit
    for r_i, row in enumerate(grid.rows):
        first = squash(row[0]) if row else ""
        header_cols = _money_columns(row)
        if len(header_cols) >= 2 and not any(parse_number(row[c]) for c in header_cols):
            cols = header_cols
            block_unit = "万元" if "万元" in first else ("元" if "(元)" in first else unit)
            group = None
            continue
        if not cols or not first:
            continue
        if "人" in first and "(人)" in first:  # a new non-money block (财政供养人员)
            cols = {}
            continue
        name = _NUMBERING.sub("", first)
        is_group = False
        for word, key in _GROUPS:
            if first.startswith(word) or first.rstrip(":：").endswith(word) and not _NUMBERING.match(first):
                group, is_group = key, True
                break
        _, scale = unit_scale(block_unit)
        for c, measure in cols.items():
            num = parse_number(row[c]) if c < len(row) else None
            if num is None:
                continue
            out.append(
                {**base, "row": r_i, "col": c, "section": group, "lane": None, "code": None, "code_kind": None,
                 "level": None, "name": name.rstrip(":："), "row_kind": "subtotal" if is_group else "item",
                 "item_key": _GROUP_KEYS.get(group) if is_group else None, "measure": measure,
                 "measure_label": None, "raw_text": row[c], "value": num.value,
                 "unit": num.unit or block_unit, "scale": num.scale if num.unit else scale, "decimals": num.decimals}
            )
    return out
