"""IT005: 基本支出明细表 (06) does not add up: 类 301/302/303/310… ≠ Σ 款, 人员经费合计 ≠ 301+303, 公用经费合计 ≠ 302+310+…."""

from __future__ import annotations

import polars as pl

from toolkit.checks.framework import Check, CheckResult, skipped_missing_tables
from toolkit.checks.identities import run_terms
from toolkit.checks.registry import register
from toolkit.checks.select import items, with_hierarchy

T06 = "gpb_basic_expense"


PERSONNEL_CLASSES = ("301", "303")


FINAL = "final"


# the 合计 row of a 人员经费 / 公用经费 column (预算 06 layout) is that column's printed subtotal
COLUMN_SUBTOTALS = {"personnel": "personnel_total", "public": "public_total"}


@register
class BasicExpenseFooting(Check):
    """基本支出明细表 (06) does not add up: 类 301/302/303/310… ≠ Σ 款, 人员经费合计 ≠ 301+303, 公用经费合计 ≠ 302+310+….

    What it does: each 3-digit 经济分类 class row must equal the sum of its printed 5-digit rows;
    人员经费合计 must equal the classes 301 工资福利支出 + 303 对个人和家庭的补助 and 公用经费合计
    the other classes (302, 307, 309, 310, 312, 399 …), whichever lane they are printed in. A 预算 06
    table printing 合计 | 人员经费 | 公用经费 as columns is footed column by column, and the 合计 row of
    its 人员经费 (公用经费) column is compared with the classes of the 合计 column.

    Why it matters: 人员经费 vs 公用经费 is the split behind 机关运行经费 and the 基本支出 story
    in the 情况说明; a class that does not foot moves money between them.

    Example: 301 工资福利支出 95.22 but 30101 … 30199 sum to 95.32.

    Known false positives: codes split into two cells (302 | 12) that the parser could not join.
    """

    code = "IT005"
    version = "2"
    name = "basic-expense-footing"
    detects = ("broken_footing",)
    label = "基本支出明细表合计不符"
    requires = (T06,)

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        li = items(frames, (T06,)).filter(pl.col("value").is_not_null() | pl.col("code").is_not_null()
                                          | pl.col("item_key").is_not_null())
        h = with_hierarchy(li)
        desc = pl.concat_str([pl.col("title"), pl.lit(" "), pl.col("label"), pl.lit(" · "),
                              pl.col("measure_label").fill_null("")])
        # T06-1 within one column: a 预算 06 table prints 合计 | 人员经费 | 公用经费 side by side, each
        # class row once per column (measure final / personnel / public)
        t61 = [pl.col("table_id"), pl.lit("|"), pl.col("measure").fill_null(""), pl.lit("|")]
        parts = h.filter(pl.col("parent").is_not_null()).with_columns(
            group=pl.concat_str([*t61, pl.col("parent")]), role=pl.lit("part"), identity=pl.lit("T06-1"))
        wholes = h.with_columns(group=pl.concat_str([*t61, pl.col("code")]),
                                role=pl.lit("whole"), identity=pl.lit("T06-1"), desc=desc,
                                parts_desc=pl.lit("其下各款之和"), is_total=pl.lit(False)).join(
            parts.select("document_id", "group").unique(), on=["document_id", "group"], how="semi")
        # T06-2 on the 合计 column only; the 人员经费 / 公用经费 columns' 合计 row is the printed subtotal
        final = pl.col("measure").fill_null(FINAL) == FINAL
        top = h.filter(pl.col("parent").is_null() & final).with_columns(
            group=pl.concat_str([
                pl.col("table_id"), pl.lit("|"),
                pl.when(pl.col("code").str.slice(0, 3).is_in(PERSONNEL_CLASSES)).then(pl.lit("personnel_total"))
                .otherwise(pl.lit("public_total"))]),
            role=pl.lit("part"), identity=pl.lit("T06-2"))
        column_totals = li.filter(pl.col("code").is_null() & (pl.col("item_key") == "total")
                                  & pl.col("measure").is_in(list(COLUMN_SUBTOTALS))).with_columns(
            item_key=pl.col("measure").replace_strict(COLUMN_SUBTOTALS, default=None))
        printed = pl.concat([li.filter(pl.col("item_key").is_in(["personnel_total", "public_total"]) & final),
                             column_totals], how="diagonal_relaxed")
        totals = printed.with_columns(
            group=pl.concat_str([pl.col("table_id"), pl.lit("|"), pl.col("item_key")]), role=pl.lit("whole"),
            identity=pl.lit("T06-2"), desc=desc,
            parts_desc=pl.when(pl.col("item_key") == "personnel_total").then(pl.lit("301 工资福利支出 + 303 对个人和家庭的补助"))
            .otherwise(pl.lit("302/307/309/310/312/399 等公用经费各类之和")),
            is_total=pl.lit(True))
        terms = pl.concat([parts, wholes, top, totals], how="diagonal_relaxed")
        hits, evals = run_terms(terms, "broken_footing")
        return CheckResult.of([hits], [evals, skipped_missing_tables(frames, (T06,), "T06")])
