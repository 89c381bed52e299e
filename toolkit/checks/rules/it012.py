"""IT012: 基本支出明细表 (06) 人员经费 + 公用经费 ≠ 一般公共预算财政拨款支出决算表 (05) 基本支出合计 (T06-2)."""

from __future__ import annotations

import polars as pl

from toolkit.checks.framework import Check, CheckResult, skipped_missing_tables
from toolkit.checks.identities import run_terms
from toolkit.checks.registry import register
from toolkit.checks.select import items, total_rows, with_hierarchy
from toolkit.checks.table_pairs import pair_terms, row_desc


@register
class BasicExpenseVersusDetail(Check):
    """基本支出明细表 (06) 人员经费 + 公用经费 ≠ 一般公共预算财政拨款支出决算表 (05) 基本支出合计 (T06-2).

    What it does: compares 06 人员经费合计 + 公用经费合计 (or, when those rows are missing, the sum of
    the 3-digit classes) with the 基本支出 column of the 05 合计 row.

    Why it matters: 06 details exactly the 基本支出 of 05; a gap means the economic breakdown the
    情况说明 quotes (人员经费 …%, 公用经费 …%) does not describe the money actually spent.

    Example: 06 人员经费 104.09 + 公用经费 18.74 = 122.83 = 05 基本支出 122.83 ✓; 104.09 + 28.74 ✗.

    Known false positives: 06 tables printed for all 财政拨款 (incl. 政府性基金) rather than 一般公共预算.
    """

    code = "IT012"
    version = "2"
    name = "basic-expense-vs-gpb-table"
    detects = ("cross_table_mismatch",)
    label = "基本支出与财政拨款支出表不一致"
    requires = ("gpb_basic_expense", "gpb_expense")

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        li = items(frames, ("gpb_basic_expense", "gpb_expense"))
        # the 合计 column only: a 预算 06 table repeats every class in its 人员经费 and 公用经费 columns
        b06 = li.filter((pl.col("table_type") == "gpb_basic_expense") & (pl.col("measure").fill_null("final") == "final"))
        totals = b06.filter(pl.col("item_key").is_in(["personnel_total", "public_total"]))
        have_totals = totals.select("document_id").unique()
        classes = with_hierarchy(b06).filter(pl.col("parent").is_null()).join(have_totals, on="document_id", how="anti")
        parts = pl.concat([totals, classes], how="diagonal_relaxed").with_columns(key=pl.lit("basic"))
        whole = total_rows(li.filter((pl.col("table_type") == "gpb_expense") & (pl.col("measure") == "basic"))).with_columns(
            key=pl.lit("basic"))
        terms = pair_terms(frames, "T06-2x", whole, parts, whole_type="gpb_expense", part_type="gpb_basic_expense",
                           whole_desc=row_desc(), parts_desc=pl.lit("基本支出明细表 人员经费合计 + 公用经费合计"),
                           is_total=True, fill_missing=False)
        hits, evals = run_terms(terms, "cross_table_mismatch")
        return CheckResult.of([hits], [evals, skipped_missing_tables(frames, self.requires, "T06-2x")])
