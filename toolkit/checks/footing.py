"""Within-table footing of 科目 tables: hierarchy (项→款→类→合计) and row cross-footing."""

from __future__ import annotations

import polars as pl

from toolkit.checks.framework import Check, CheckResult, skipped_missing_tables
from toolkit.checks.identities import run_terms
from toolkit.checks.registry import register
from toolkit.checks.select import CODED_TABLES, duplicated_codes, items, total_rows, with_hierarchy


def _desc(row_word: pl.Expr) -> pl.Expr:
    return pl.concat_str([pl.col("title"), pl.lit(" "), row_word, pl.lit(" · "), pl.col("measure_label").fill_null("")])


@register
class CodeHierarchyFooting(Check):
    """科目 rows do not add up through the 项→款→类→合计 hierarchy (02/03/05/08/09 tables).

    What it does: in every table with 功能分类科目 rows, each row whose code has printed
    children (款 over its 项, 类 over its 款) must equal the sum of those children, and the
    合计 row must equal the sum of the top-level rows, column by column. When a layout prints
    only 项 rows, they foot directly to 合计.

    Why it matters: a 类/款 subtotal or 合计 that does not equal its rows means a row was
    dropped, duplicated or typed wrong; every figure derived from the table is then suspect.

    Example: 支出决算表 款 21015 医疗保障管理事务 = 195.73 but its 项 2101501 + 2101505 +
    2101506 + 2101550 sum to 195.83 → finding, difference 0.10万元.

    Known false positives: 分单位 layouts repeat the same code per unit (skipped: duplicate
    科目 rows); tables whose 合计 includes rows the parser could not read.
    """

    code = "IT001"
    name = "code-hierarchy-footing"
    detects = ("broken_footing",)
    requires = CODED_TABLES

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        li = items(frames, CODED_TABLES).filter(pl.col("measure").is_not_null())
        if li.height == 0:
            return CheckResult.of([], [skipped_missing_tables(frames, CODED_TABLES, "T-hier", need_all=False)])
        dups = duplicated_codes(li)
        li = li.join(dups, on=["document_id", "table_id", "measure"], how="anti")
        h = with_hierarchy(li)
        gkey = [pl.col("table_id"), pl.lit("|"), pl.col("measure"), pl.lit("|")]
        parts = h.with_columns(
            group=pl.concat_str(gkey + [pl.col("parent").fill_null("TOTAL")]),
            role=pl.lit("part"),
        )
        wholes = h.with_columns(group=pl.concat_str(gkey + [pl.col("code")]), role=pl.lit("whole")).join(
            parts.select("document_id", "group").unique(), on=["document_id", "group"], how="semi"
        ).with_columns(desc=_desc(pl.col("label")), parts_desc=pl.lit("其下级科目之和"), is_total=pl.lit(False))
        tot = total_rows(li).with_columns(
            group=pl.concat_str(gkey + [pl.lit("TOTAL")]),
            role=pl.lit("whole"),
            desc=_desc(pl.lit("合计")),
            parts_desc=pl.lit("各最上级科目之和"),
            is_total=pl.lit(True),
        )
        terms = pl.concat([parts, wholes, tot], how="diagonal_relaxed").with_columns(
            identity=pl.lit("T-hier"), relation=pl.lit("eq")
        )
        hits, evals = run_terms(terms, "broken_footing")
        return CheckResult.of([hits], [evals, skipped_missing_tables(frames, CODED_TABLES, "T-hier", need_all=False)])


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
