"""IT013: 基本支出明细表 (06) 三公 codes exceed the 三公 table: 30212 ≤ 出国, 31013 ≤ 购置, 30231 ≤ 运行, 30217 ≤ 接待 (X-7)."""

from __future__ import annotations

import polars as pl

from toolkit.checks.framework import Check, CheckResult, skipped_missing_tables
from toolkit.checks.identities import run_terms
from toolkit.checks.registry import register
from toolkit.checks.select import items
from toolkit.checks.table_pairs import pair_terms, row_desc

SANGONG_CODES = {
    "30212": ("final_abroad", "因公出国（境）费"),
    "31013": ("final_vehicle_purchase", "公务用车购置费"),
    "30231": ("final_vehicle_operation", "公务用车运行维护费"),
    "30217": ("final_reception", "公务接待费"),
}


@register
class BasicExpenseVersusSangong(Check):
    """基本支出明细表 (06) 三公 codes exceed the 三公 table: 30212 ≤ 出国, 31013 ≤ 购置, 30231 ≤ 运行, 30217 ≤ 接待 (X-7).

    What it does: each 三公 economic code of the 06 table (基本支出 only) must not exceed the matching
    决算数 item of the 三公 table, which covers 基本 + 项目支出 (part ≤ whole, not equality).

    Why it matters: 三公 spending booked in 基本支出 but missing from the 三公 table is under-reported
    三公 spending — the classic finding of public checkers (宜川路街道 2025: 接待 8.31 > 0.30).

    Example: 06 30217 公务接待费 8.31 but 三公 table 公务接待费 决算 0.30.

    Known false positives: 06 tables that include 政府性基金 spending (the 三公 table is 财政拨款 only).
    """

    code = "IT013"
    version = "2"
    name = "basic-expense-vs-sangong"
    detects = ("cross_table_mismatch",)
    label = "基本支出明细超出“三公”经费表"
    requires = ("gpb_basic_expense", "sangong")

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        li = items(frames, ("gpb_basic_expense", "sangong"))
        codes = pl.DataFrame({"code": list(SANGONG_CODES), "measure": [m for m, _ in SANGONG_CODES.values()]})
        whole = li.filter((pl.col("table_type") == "gpb_basic_expense") & pl.col("code").is_in(list(SANGONG_CODES)))
        whole = whole.join(codes.rename({"measure": "key"}), on="code")
        parts = li.filter((pl.col("table_type") == "sangong") & pl.col("measure").is_in(codes["measure"].to_list()))
        parts = parts.with_columns(key=pl.col("measure"))
        terms = pair_terms(frames, "X-7", whole, parts, whole_type="gpb_basic_expense", part_type="sangong",
                           whole_desc=row_desc(), parts_desc=pl.lit("“三公”经费表 同一项目决算数"),
                           relation="le", fill_missing=False)
        hits, evals = run_terms(terms, "cross_table_mismatch")
        return CheckResult.of([hits], [evals, skipped_missing_tables(frames, self.requires, "X-7")])
