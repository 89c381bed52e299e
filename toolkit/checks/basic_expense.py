"""一般公共预算财政拨款基本支出决算表 (06): 经济分类 footing and 人员/公用经费 totals."""

from __future__ import annotations

import polars as pl

from toolkit.checks.framework import Check, CheckResult, skipped_missing_tables
from toolkit.checks.identities import run_terms
from toolkit.checks.registry import register
from toolkit.checks.select import items, with_hierarchy

T06 = "gpb_basic_expense"
PERSONNEL_CLASSES = ("301", "303")


@register
class BasicExpenseFooting(Check):
    """基本支出明细表 (06) does not add up: 类 301/302/303/310… ≠ Σ 款, 人员经费合计 ≠ 301+303, 公用经费合计 ≠ 302+310+….

    What it does: each 3-digit 经济分类 class row must equal the sum of its printed 5-digit rows;
    人员经费合计 must equal the classes 301 工资福利支出 + 303 对个人和家庭的补助 and 公用经费合计
    the other classes (302, 307, 309, 310, 312, 399 …), whichever lane they are printed in.

    Why it matters: 人员经费 vs 公用经费 is the split behind 机关运行经费 and the 基本支出 story
    in the 情况说明; a class that does not foot moves money between them.

    Example: 301 工资福利支出 95.22 but 30101 … 30199 sum to 95.32.

    Known false positives: codes split into two cells (302 | 12) that the parser could not join.
    """

    code = "IT005"
    name = "basic-expense-footing"
    detects = ("broken_footing",)
    requires = (T06,)

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        li = items(frames, (T06,)).filter(pl.col("value").is_not_null() | pl.col("code").is_not_null()
                                          | pl.col("item_key").is_not_null())
        h = with_hierarchy(li)
        desc = pl.concat_str([pl.col("title"), pl.lit(" "), pl.col("label")])
        parts = h.filter(pl.col("parent").is_not_null()).with_columns(
            group=pl.concat_str([pl.col("table_id"), pl.lit("|"), pl.col("parent")]), role=pl.lit("part"),
            identity=pl.lit("T06-1"))
        wholes = h.with_columns(group=pl.concat_str([pl.col("table_id"), pl.lit("|"), pl.col("code")]),
                                role=pl.lit("whole"), identity=pl.lit("T06-1"), desc=desc,
                                parts_desc=pl.lit("其下各款之和"), is_total=pl.lit(False)).join(
            parts.select("document_id", "group").unique(), on=["document_id", "group"], how="semi")
        top = h.filter(pl.col("parent").is_null()).with_columns(
            group=pl.concat_str([
                pl.col("table_id"), pl.lit("|"),
                pl.when(pl.col("code").str.slice(0, 3).is_in(PERSONNEL_CLASSES)).then(pl.lit("personnel_total"))
                .otherwise(pl.lit("public_total"))]),
            role=pl.lit("part"), identity=pl.lit("T06-2"))
        totals = li.filter(pl.col("item_key").is_in(["personnel_total", "public_total"])).with_columns(
            group=pl.concat_str([pl.col("table_id"), pl.lit("|"), pl.col("item_key")]), role=pl.lit("whole"),
            identity=pl.lit("T06-2"), desc=desc,
            parts_desc=pl.when(pl.col("item_key") == "personnel_total").then(pl.lit("301 工资福利支出 + 303 对个人和家庭的补助"))
            .otherwise(pl.lit("302/307/309/310/312/399 等公用经费各类之和")),
            is_total=pl.lit(True))
        terms = pl.concat([parts, wholes, top, totals], how="diagonal_relaxed")
        hits, evals = run_terms(terms, "broken_footing")
        return CheckResult.of([hits], [evals, skipped_missing_tables(frames, (T06,), "T06")])
