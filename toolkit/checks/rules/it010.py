"""IT010: 总表 and detail tables disagree: 01 vs 02/03 (X-1, X-2), 04 vs 01 (X-4), 05 vs 04 (X-5), by 类 and in total."""

from __future__ import annotations

import polars as pl

from toolkit.checks.framework import Check, CheckResult, skipped_missing_tables
from toolkit.checks.identities import run_terms
from toolkit.checks.registry import register
from toolkit.checks.select import TABLE_NAMES, items, total_rows, with_hierarchy
from toolkit.checks.table_pairs import docs_with, docs_with_rows, pair_terms, row_desc

FUND_SOURCES = ("income_gpb", "income_govfund", "income_soe")


def skipped_without_rows(frames: dict[str, pl.DataFrame], identity: str, wholes: pl.DataFrame, parts: pl.DataFrame,
                         *, whole_type: str, part_type: str) -> pl.DataFrame:
    """Coverage rows for documents that hold both tables but where one of them prints no 科目 rows."""
    both = docs_with(frames, whole_type).join(docs_with(frames, part_type), on="document_id", how="inner")
    out = []
    for rows, table_type in ((wholes, whole_type), (parts, part_type)):
        lacking = both.join(docs_with_rows(rows), on="document_id", how="anti")
        out.append(lacking.select("document_id", pl.lit(identity).alias("identity"), pl.lit("skipped").alias("status"),
                                  pl.lit(f"{TABLE_NAMES.get(table_type, table_type)} has no 科目 (类) rows in this layout: "
                                         "a missing 类 is not 0").alias("reason")))
    return pl.concat(out).unique(["document_id"], keep="first")


def class_parts(li: pl.DataFrame, table_type: str, measure: str) -> pl.DataFrame:
    """Top-level rows of a 科目 table keyed by their 类 (first 3 digits of the code)."""
    t = li.filter((pl.col("table_type") == table_type) & (pl.col("measure") == measure))
    h = with_hierarchy(t).filter(pl.col("parent").is_null() & (pl.col("code_kind").fill_null("function") != "economic"))
    return h.with_columns(key=pl.col("code").str.slice(0, 3))


def _named(li: pl.DataFrame, table_type: str, section: str | None, item_keys: tuple[str, ...], measure: str) -> pl.DataFrame:
    f = (pl.col("table_type") == table_type) & pl.col("item_key").is_in(item_keys) & (pl.col("measure") == measure)
    if section is not None:
        f = f & (pl.col("section") == section)
    return li.filter(f)


def _class_rows(li: pl.DataFrame, table_type: str, measure: str) -> pl.DataFrame:
    return li.filter(
        (pl.col("table_type") == table_type) & (pl.col("measure") == measure) & (pl.col("section") == "expense")
        & pl.col("code").is_not_null() & (pl.col("code").str.len_chars() == 3)
    ).with_columns(key=pl.col("code"))


@register
class SummaryVersusDetailTables(Check):
    """总表 and detail tables disagree: 01 vs 02/03 (X-1, X-2), 04 vs 01 (X-4), 05 vs 04 (X-5), by 类 and in total.

    What it does: 02 合计 = 01 本年收入合计 and 02 财政拨款收入 = 01 财政拨款收入 (一+二+三), each other
    02 column total = its 01 income row; 03 by 类 (Σ of its rows) = the 01 expense row for that 类 and
    03 合计 = 01 本年支出合计; 04 income by fund = 01 rows 一/二/三; 05 by 类 = 04 一般公共预算 column
    for that 类 and 05 合计 = 04 本年支出合计 (一般公共预算). A 类 printed in one table and absent in
    the other counts as 0 there, but only when both tables print 类 rows: a table that lists no 科目
    at all (a 支出预算总表 by 基本/项目/预留, a 04 表 whose 支出 side is by 用途) is not compared by 类.

    Why it matters: the 总表 summarise the detail tables; when they disagree at least one published
    table is wrong, and amounts may have been moved between functions.

    Example: 01 十九、住房保障支出 15.13 but 03 rows of 类 221 sum to 25.28 (2210201 住房公积金).

    Known false positives: 01 tables whose 类 names the parser could not map to a code (the 类 then
    looks missing); 05 variants that include 年初结转 columns.
    """

    code = "IT010"
    version = "2"
    name = "summary-vs-detail-tables"
    detects = ("cross_table_mismatch",)
    label = "总表与明细表金额不一致"
    requires = ("income_expense_summary", "income", "expense", "fiscal_summary", "gpb_expense")

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        li = items(frames)
        terms = []
        # X-2 by 类 and total: 01 expense rows vs 03
        x2 = (_class_rows(li, "income_expense_summary", "final"), class_parts(li, "expense", "total"))
        x5 = (_class_rows(li, "fiscal_summary", "gpb"), class_parts(li, "gpb_expense", "total"))
        skipped = [skipped_without_rows(frames, "X-2", *x2, whole_type="income_expense_summary", part_type="expense"),
                   skipped_without_rows(frames, "X-5", *x5, whole_type="fiscal_summary", part_type="gpb_expense")]
        terms.append(pair_terms(
            frames, "X-2", *x2,
            whole_type="income_expense_summary", part_type="expense", whole_desc=row_desc(),
            parts_desc=pl.concat_str([pl.lit("支出决算表 "), pl.col("key"), pl.lit(" 类各科目本年支出合计之和")])))
        terms.append(pair_terms(
            frames, "X-2t", _named(li, "income_expense_summary", "expense", ("expense_total",), "final").with_columns(
                key=pl.lit("total")),
            total_rows(li.filter((pl.col("table_type") == "expense") & (pl.col("measure") == "total"))).with_columns(
                key=pl.lit("total")),
            whole_type="income_expense_summary", part_type="expense", whole_desc=row_desc(),
            parts_desc=pl.lit("支出决算表 合计"), is_total=True, fill_missing=False))
        # 02 column totals vs 01 income rows
        inc_tot = total_rows(li.filter(pl.col("table_type") == "income"))
        for ident, measure, keys, word in (
            ("X-1", "total", ("income_total",), "本年收入合计"),
            ("X-1f", "fiscal", FUND_SOURCES, "财政拨款收入（一+二+三）"),
            ("X-1u", "upper", ("income_upper",), "上级补助收入"),
            ("X-1b", "business", ("income_business",), "事业收入"),
            ("X-1o", "operating", ("income_operating",), "经营收入"),
            ("X-1a", "affiliated", ("income_affiliated",), "附属单位上缴收入"),
            ("X-1x", "other", ("income_other",), "其他收入"),
        ):
            terms.append(pair_terms(
                frames, ident, inc_tot.filter(pl.col("measure") == measure).with_columns(key=pl.lit(measure)),
                _named(li, "income_expense_summary", "income", keys, "final").with_columns(key=pl.lit(measure)),
                whole_type="income", part_type="income_expense_summary", whole_desc=row_desc(),
                parts_desc=pl.lit(f"收入支出决算总表 {word}"), is_total=True, fill_missing=False))
        # 04 income by fund vs 01
        for fund in FUND_SOURCES:
            terms.append(pair_terms(
                frames, f"X-4|{fund}", _named(li, "fiscal_summary", "income", (fund,), "amount").with_columns(key=pl.lit(fund)),
                _named(li, "income_expense_summary", "income", (fund,), "final").with_columns(key=pl.lit(fund)),
                whole_type="fiscal_summary", part_type="income_expense_summary", whole_desc=row_desc(),
                parts_desc=pl.lit("收入支出决算总表 同一收入行"), is_total=True, fill_missing=False))
        # 05 by 类 and total vs 04 一般公共预算 column
        terms.append(pair_terms(
            frames, "X-5", *x5,
            whole_type="fiscal_summary", part_type="gpb_expense", whole_desc=row_desc(),
            parts_desc=pl.concat_str([pl.lit("一般公共预算财政拨款支出决算表 "), pl.col("key"), pl.lit(" 类各科目之和")])))
        terms.append(pair_terms(
            frames, "X-5t", _named(li, "fiscal_summary", "expense", ("expense_total",), "gpb").with_columns(key=pl.lit("total")),
            total_rows(li.filter((pl.col("table_type") == "gpb_expense") & (pl.col("measure") == "total"))).with_columns(
                key=pl.lit("total")),
            whole_type="fiscal_summary", part_type="gpb_expense", whole_desc=row_desc(),
            parts_desc=pl.lit("一般公共预算财政拨款支出决算表 合计"), is_total=True, fill_missing=False))
        hits, evals = run_terms(pl.concat(terms, how="diagonal_relaxed"), "cross_table_mismatch")
        return CheckResult.of([hits], [evals, *skipped, skipped_missing_tables(
            frames, ("income_expense_summary", "expense"), "X-2")])
