"""IT007: 政府性基金/国有资本经营 table row does not roll forward: 年初结转 + 本年收入 − 本年支出 ≠ 年末结转."""

from __future__ import annotations

import polars as pl

from toolkit.checks.framework import Check, CheckResult
from toolkit.checks.identities import run_terms
from toolkit.checks.registry import register
from toolkit.checks.select import items


@register
class FundTableRollForward(Check):
    """政府性基金/国有资本经营 table row does not roll forward: 年初结转 + 本年收入 − 本年支出 ≠ 年末结转.

    What it does: for every row of the 08/09 tables with these columns, 年末结转和结余 must equal
    年初结转和结余 + 本年收入 − 本年支出合计 (blank cells are not zero unless the row proves it).

    Why it matters: a broken roll-forward in a fund table means money appeared or vanished
    between the opening and closing balances.

    Example: 年初 0 + 收入 9.56 − 支出 9.56 but 年末 9.56.

    Known false positives: 09 templates without 收入/结转 columns are not tested.
    """

    code = "IT007"
    name = "fund-table-roll-forward"
    detects = ("broken_footing",)
    label = "基金表结转不衔接"
    requires = ("gov_fund", "soe_capital")

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        roles = pl.DataFrame(
            {"measure": ["carryover_end", "carryover_begin", "income", "total"],
             "role": ["whole", "part", "part", "part"], "sign": [1.0, 1.0, 1.0, -1.0]}
        )
        li = items(frames, ("gov_fund", "soe_capital")).join(roles, on="measure", how="inner")
        # rows of templates without 年初/收入 columns (09 支出 only) have nothing to roll forward
        rolling = li.filter(pl.col("measure").is_in(["carryover_begin", "income"])).select(
            "document_id", "table_id", "row").unique()
        li = li.join(rolling, on=["document_id", "table_id", "row"], how="semi")
        terms = li.with_columns(
            group=pl.concat_str([pl.col("table_id"), pl.lit("|r"), pl.col("row").cast(pl.String)]),
            identity=pl.lit("T08"),
            desc=pl.concat_str([pl.col("title"), pl.lit(" "), pl.col("label"), pl.lit(" 行 · 年末结转和结余")]),
            parts_desc=pl.lit("年初结转和结余 + 本年收入 − 本年支出"),
            is_total=pl.col("code").is_null(),
        )
        hits, evals = run_terms(terms, "broken_footing")
        return CheckResult.of([hits], [evals])
