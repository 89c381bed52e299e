"""IT030: An amount stated in the 情况说明 text matches no table cell it describes."""

from __future__ import annotations

import polars as pl

from toolkit.checks.framework import Check, CheckResult
from toolkit.checks.registry import register
from toolkit.checks.text_amounts import (
    text_amounts_vs_tables,
    text_table_hits,
)


@register
class TextAmountVersusTable(Check):
    """An amount stated in the 情况说明 text matches no table cell it describes.

    What it does: for each amount in the text with a recognised metric (收入/支出总计, 基本/项目支出,
    人员/公用经费, 三公经费), looks up the cells that metric can describe (01/02/03/04/05/06/三公 totals,
    预算 or 决算) and flags the amount when its interval overlaps none of them. When the printed digits
    equal a cell and only the unit differs (元 vs 万元), the finding is IT036's (unit slip), not this one.

    Why it matters: readers quote the text, not the tables; a number in the text that is in no table
    is either a typo or text copied from another year or bureau.

    Example: text "人员经费104.90万元" vs 06 表 人员经费合计 104.09万元.

    An amount after a 科目 level (“住房改革支出(款)：预算支出合计X”) is that 科目's and is not compared.
    A 收入/支出合计 that names no fund (本年支出合计) is every fund's and is compared with the all-funds
    tables (收支总表, 收入/支出表) only; one naming 财政拨款/一般公共预算 with the 财政拨款 tables only
    (财政拨款收支总表, 一般公共预算支出表): a department with 其他资金 states a larger total than those hold.

    Known false positives: amounts of sub-units or other periods the metric extractor did not tell apart.
    """

    code = "IT030"
    version = "4"
    name = "text-amount-vs-table"
    detects = ("text_table_mismatch",)
    label = "文字说明金额与表格不符"
    requires = ("frame:facts",)

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        per, bad = text_amounts_vs_tables(frames)
        evals = per.filter(~pl.col("slip") | pl.col("any_match")).select(
            "document_id", pl.lit("N-1").alias("identity"),
            pl.when(pl.col("any_match")).then(pl.lit("passed")).otherwise(pl.lit("failed")).alias("status"),
            pl.lit(None, dtype=pl.String).alias("reason"))
        return CheckResult.of(text_table_hits(bad, slip=False), [evals])
