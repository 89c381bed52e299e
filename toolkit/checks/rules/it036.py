"""IT036: An amount in the 情况说明 text has a table cell's digits but the wrong unit (元 for 万元 or back)."""

from __future__ import annotations

import polars as pl

from toolkit.checks.framework import Check, CheckResult
from toolkit.checks.registry import register
from toolkit.checks.text_amounts import (
    text_amounts_vs_tables,
    text_table_hits,
)


@register
class TextAmountUnitSlip(Check):
    """An amount in the 情况说明 text has a table cell's digits but the wrong unit (元 for 万元 or back).

    What it does: the same matching as IT030 (each amount with a recognised metric against the
    cells that metric can describe, with interval bounds); an amount that matches no cell but whose
    printed digits equal a cell's digits is a unit slip: 459.16元 in the text, 459.16 in a 万元 table.

    Why it matters: a slip of 元/万元 misstates the figure ten-thousandfold; it is the commonest
    typo when text is written from tables in another unit.

    Example: text “基本支出459.16元” vs 03 表 基本支出合计 459.16 (万元).

    Known false positives: a different item that happens to have the same digits in another unit.
    """

    code = "IT036"
    version = "3"
    name = "text-amount-unit-slip"
    detects = ("unit_slip",)
    label = "文字说明金额单位错写（元/万元）"
    requires = ("frame:facts",)

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        per, bad = text_amounts_vs_tables(frames)
        evals = per.filter(pl.col("slip") | pl.col("any_match")).select(
            "document_id", pl.lit("N-1u").alias("identity"),
            pl.when(pl.col("any_match")).then(pl.lit("passed")).otherwise(pl.lit("failed")).alias("status"),
            pl.lit(None, dtype=pl.String).alias("reason"))
        return CheckResult.of(text_table_hits(bad, slip=True), [evals])
