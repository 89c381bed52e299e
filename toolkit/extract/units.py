"""Where a number's unit comes from: the cell itself, its column header, or the table's declared 单位.

A cell printing its own unit (``10.49万``, ``41.76%``) keeps it; otherwise a unit in its column header
(``金额（万元）``, ``决算数(元)``) applies; otherwise the table's 单位 line (``单位：万元`` above or inside
the table, or in its title). ``unit_source`` records which of the three it was (cell|column|table), so
a check can weigh a unit read from a header differently from one printed beside the figure.
"""

from __future__ import annotations

import re

from toolkit.normalize.numbers import ParsedNumber, unit_scale
from toolkit.normalize.text import squash

_COLUMN_UNIT = re.compile(r"[（(]\s*(万元|元|亿元|千元)\s*[)）]|单位\s*[:：]\s*(万元|元|亿元|千元)")


def column_units(labels: list[str]) -> list[str | None]:
    """The money unit printed in each column's header label, if any."""
    out: list[str | None] = []
    for label in labels:
        m = _COLUMN_UNIT.search(squash(label or ""))
        out.append((m.group(1) or m.group(2)) if m else None)
    return out


def cell_unit(
    num: ParsedNumber | None, column_unit: str | None, table_unit: str | None, table_scale: float
) -> tuple[str | None, float | None, str | None]:
    """(unit, scale, unit_source) of a cell's number; all None when the cell is not a number."""
    if num is None:
        return None, None, None
    if num.unit:
        return num.unit, num.scale, "cell"
    if num.is_percent:
        return num.unit, num.scale, "cell"
    if column_unit:
        return column_unit, unit_scale(column_unit)[1], "column"
    if table_unit:
        return table_unit, table_scale, "table"
    return None, table_scale, None
