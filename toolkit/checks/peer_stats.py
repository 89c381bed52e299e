"""Per-bureau spending, insured persons and robust peer statistics (PO001, PO002)."""

from __future__ import annotations

import re

import polars as pl

from toolkit.checks.framework import get

MIN_PEERS = 5


Z_FLAG = 3.5


RATIO_FLAG = 2.0  # and at least ×2 (or ÷2) away from the peer median: z alone is not enough


POPULATION_WORDS = re.compile(r"户籍|常住|人口|职工|居民|在职|退休|困难|救助|资助|脱贫|低保|特困|监测|人次")


def unit_key() -> pl.Expr:
    return pl.coalesce(pl.col("region_code"), pl.col("bureau"), pl.col("document_id"))


def spending(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Per document: the department's total spending (元) as printed, with where it was read."""
    li = get(frames, "line_items")
    final = li.filter((pl.col("table_type") == "income_expense_summary") & (pl.col("item_key") == "expense_total")
                      & (pl.col("measure") == "final")).with_columns(src=pl.lit("收入支出决算总表 本年支出合计"), prio=0)
    dept = li.filter((pl.col("table_type") == "dept_self_eval") & (pl.col("item_key") == "fund_total")
                     & (pl.col("measure") == "executed")).with_columns(src=pl.lit("部门整体支出绩效自评表 年度资金总额 全年执行数"),
                                                                       prio=1)
    x = pl.concat([final, dept], how="vertical_relaxed").filter(pl.col("value").is_not_null() & (pl.col("value") > 0))
    return x.sort("prio", "row").unique("document_id", keep="first").select(
        "document_id", "table_id", "page", "src", "raw_text", "unit",
        (pl.col("value") * pl.col("scale").fill_null(1.0)).alias("yuan"))


def insured(frames: dict[str, pl.DataFrame]) -> dict[str, float]:
    """Per document: 参保人数 — the largest head count stated with the 参保率 or named as 参保/参加/覆盖."""
    f = get(frames, "facts").filter(pl.col("unit").is_in(["人", "万人"]) & pl.col("value").is_not_null())
    if f.height == 0:
        return {}
    cov = get(frames, "facts").filter(pl.col("metric") == "coverage_rate").select("document_id", "passage_id").unique()
    subj = pl.col("subject").fill_null("")
    named = subj.str.contains("参保|参加|覆盖|合计|总计|共计") | (pl.col("metric") == "insured_persons")
    f = f.join(cov.with_columns(with_rate=pl.lit(True)), on=["document_id", "passage_id"], how="left").filter(
        (named | pl.col("with_rate").fill_null(False)) & ~subj.str.contains(POPULATION_WORDS.pattern)
        & ~(pl.col("scheme").is_in(["employee", "resident", "assistance"]).fill_null(False)
             & ~subj.str.contains("合计|总计|共计")))
    f = f.with_columns(persons=pl.col("value") * pl.col("scale").fill_null(1.0))
    return dict(f.group_by("document_id").agg(pl.col("persons").max()).iter_rows())


def fund_income(frames: dict[str, pl.DataFrame]) -> dict[str, float]:
    """Per document: 职工 + 居民 医保基金收入 (元), the first statement of each scheme."""
    f = get(frames, "facts").filter((pl.col("metric") == "fund_income") & (pl.col("qualifier") == "amount")
                                    & pl.col("scheme").is_in(["employee", "resident"]) & pl.col("value").is_not_null())
    if f.height == 0:
        return {}
    f = f.sort("passage_id", "span_start").unique(["document_id", "scheme"], keep="first")
    g = f.group_by("document_id").agg((pl.col("value") * pl.col("scale").fill_null(1.0)).sum().alias("y"),
                                      pl.len().alias("n")).filter(pl.col("n") == 2)
    return dict(g.select("document_id", "y").iter_rows())


def bureau_years(frames: dict[str, pl.DataFrame]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(per bureau-year measures, per document spending rows to report on)."""
    docs = get(frames, "documents").with_columns(bkey=unit_key())
    sp = spending(frames).join(docs.select("document_id", "bkey", "bureau", "province", "fiscal_year"), on="document_id")
    ins, fund = insured(frames), fund_income(frames)
    d = docs.select("document_id", "bkey", "fiscal_year").with_columns(
        ins=pl.col("document_id").replace_strict(ins, default=None, return_dtype=pl.Float64),
        fund=pl.col("document_id").replace_strict(fund, default=None, return_dtype=pl.Float64))
    size = d.group_by("bkey", "fiscal_year").agg(pl.col("ins").max(), pl.col("fund").max())
    by = sp.sort("document_id").group_by("bkey", "fiscal_year").agg(
        pl.col("yuan").sort_by(pl.col("src").str.starts_with("部门")).first(), pl.col("province").drop_nulls().first(),
        pl.col("bureau").drop_nulls().first()).join(size, on=["bkey", "fiscal_year"], how="left")
    by = by.filter(pl.col("fiscal_year").is_not_null())
    return by, sp


def rows_by_bureau_year(sp: pl.DataFrame) -> dict[tuple[str, int], list[dict]]:
    """The spending rows to report on, grouped once by (bureau key, fiscal year)."""
    out: dict[tuple[str, int], list[dict]] = {}
    for r in sp.sort("document_id").to_dicts():
        out.setdefault((r["bkey"], r["fiscal_year"]), []).append(r)
    return out
