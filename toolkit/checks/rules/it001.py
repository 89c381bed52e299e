"""IT001: 科目 rows do not add up through the 项→款→类→合计 hierarchy (02/03/05/08/09 tables)."""

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
    label = "科目层级合计不符"
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
