"""IT002: A row's 合计 column is not the sum of its part columns (02 合计 = Σ sources; 03/05 合计 = 基本 + 项目 …)."""

from __future__ import annotations

import polars as pl

from toolkit.checks.framework import Check, CheckResult
from toolkit.checks.identities import run_terms
from toolkit.checks.registry import register
from toolkit.checks.select import items

# table_type -> (whole measure, part measures): a row's 合计 = Σ its funding/nature columns
ROW_FOOTING: dict[str, tuple[str, tuple[str, ...]]] = {
    "income": ("total", ("fiscal", "upper", "business", "operating", "affiliated", "other")),
    "expense": ("total", ("basic", "project", "upper_remit", "operating", "affiliated_subsidy")),
    "gpb_expense": ("total", ("basic", "project")),
    "gov_fund": ("total", ("basic", "project")),
    "soe_capital": ("total", ("basic", "project")),
    "fiscal_summary": ("total", ("gpb", "govfund", "soe")),
}


@register
class RowCrossFooting(Check):
    """A row's 合计 column is not the sum of its part columns (02 合计 = Σ sources; 03/05 合计 = 基本 + 项目 …).

    What it does: for each row of 收入决算表 (合计 = 财政拨款 + 上级补助 + 事业 + 经营 + 附属单位上缴
    + 其他), 支出决算表 (合计 = 基本 + 项目 + 上缴上级 + 经营 + 对附属单位补助), 一般公共预算财政拨款
    支出决算表 and 08/09 (合计 = 基本 + 项目), and the 04 expense lane (合计 = 一般公共预算 + 政府性基金
    + 国有资本经营), checks the row total against its columns with interval tolerance.

    Why it matters: a row that does not cross-foot misstates either the total or the split between
    基本支出 (staff, running costs) and 项目支出 — the split auditors use to judge spending.

    Example: 2101101 行政单位医疗 合计 12.54 but 基本 2.11 + 项目 10.53 = 12.64 → finding.

    Known false positives: layouts with an extra unrecognised column (its amount is missing from the
    sum; the finding names the columns that were added).
    """

    code = "IT002"
    name = "row-cross-footing"
    detects = ("broken_footing",)
    label = "行内合计与分项之和不符"
    requires = tuple(ROW_FOOTING)

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        spec = pl.DataFrame(
            [
                {"table_type": tt, "measure": m, "role": role}
                for tt, (w, ps) in ROW_FOOTING.items()
                for m, role in [(w, "whole")] + [(p, "part") for p in ps]
            ]
        )
        li = items(frames, tuple(ROW_FOOTING)).join(spec, on=["table_type", "measure"], how="inner")
        # the 04 income lane has an `amount` column only; keep its expense lane
        li = li.filter((pl.col("table_type") != "fiscal_summary") | (pl.col("section").fill_null("expense") == "expense"))
        terms = li.with_columns(
            group=pl.concat_str([pl.col("table_id"), pl.lit("|r"), pl.col("row").cast(pl.String), pl.lit("|"),
                                 pl.col("lane").fill_null(0).cast(pl.String)]),
            identity=pl.lit("T-row"),
            desc=pl.concat_str([pl.col("title"), pl.lit(" "), pl.col("label"), pl.lit(" 行 · "),
                                pl.col("measure_label").fill_null("")]),
            parts_desc=pl.lit("本行各分项列之和"),
            is_total=pl.col("code").is_null(),
        )
        hits, evals = run_terms(terms, "broken_footing")
        return CheckResult.of([hits], [evals])
