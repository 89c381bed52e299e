"""Where a number's unit comes from: the cell itself, its column header, or the table's declared 单位.

A cell printing its own unit (``10.49万``, ``41.76%``) keeps it; otherwise a unit in its column header
(``金额（万元）``, ``决算数(元)``) applies; otherwise the table's 单位 line (``单位：万元`` above or inside
the table, or in its title). ``unit_source`` records which of the three it was (cell|column|table), so
a check can weigh a unit read from a header differently from one printed beside the figure.
"""

from __future__ import annotations

import re

import polars as pl

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


_DECLARED = re.compile(r"(?:金额)?单位\s*[:：]\s*(万元|元|亿元|千元)")


def declared_unit_before(text: str, pos: int) -> str | None:
    """The money unit of the last ``单位：万元`` / ``金额单位：元`` declaration before ``pos`` in ``text``."""
    found = None
    for m in _DECLARED.finditer(text, 0, pos):
        found = m.group(1)
    return found


def inherit_fact_units(facts: pl.DataFrame) -> pl.DataFrame:
    """Facts with ``unit_source``: ``printed`` when the unit is printed with the number, ``declared``
    when a bare amount took the unit of a ``单位：万元`` line before it (see ``declared_unit_before``),
    null when the number has no unit (it is never guessed)."""
    printed = pl.col("raw_text").fill_null("").str.contains(r"[^0-9.,，\s+\-−]")  # a bare number prints no unit
    return facts.with_columns(
        pl.when(pl.col("unit").is_null()).then(pl.lit(None, pl.String))
        .when(printed).then(pl.lit("printed")).otherwise(pl.lit("declared")).alias("unit_source")
    )
