"""Scored rows of the 绩效自评表 as identity terms (IT020, IT021)."""

from __future__ import annotations

import polars as pl

from toolkit.checks.framework import get

SELF_EVAL = ("project_self_eval", "dept_self_eval", "score_sheet")


SCORED_KINDS = ("indicator", "budget_execution")


def indicator_rows(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    ind = get(frames, "indicators")
    titles = get(frames, "tables").select("document_id", "table_id", "title", pl.col("project").alias("t_project"))
    ind = ind.join(titles, on=["document_id", "table_id"], how="left").with_columns(
        project=pl.coalesce("project", "t_project"),
        title=pl.col("title").fill_null("绩效自评表"),
    )
    # a 自评表 prints the 执行率 分值/得分 once; some layouts repeat it on the 当年财政拨款 row
    first_exec = ind.filter(pl.col("row_kind") == "budget_execution").sort("row").unique(
        ["document_id", "table_id"], keep="first")
    return pl.concat([ind.filter(pl.col("row_kind") != "budget_execution"), first_exec], how="vertical_relaxed")


def sheet_expr(e: pl.Expr | None = None) -> pl.Expr:
    proj = pl.when(pl.col("project").is_not_null()).then(
        pl.concat_str([pl.lit("《"), pl.col("project"), pl.lit("》")])).otherwise(pl.lit(""))
    return pl.concat_str([pl.col("title"), proj])


def label_expr() -> pl.Expr:
    return pl.coalesce(pl.col("level3"), pl.col("level2"), pl.col("level1"), pl.lit("总分"))


EXACT = 9  # decimals standing for "exact": no rounding envelope


def precision_expr(value: str, decimals: str) -> pl.Expr:
    """分值 are assigned, never rounded: exact. 得分 printed in whole points are assigned too, except the
    预算执行率 得分, which is computed from the rate and may be rounded (±0.5)."""
    d = pl.col(decimals)
    if value == "weight":
        return pl.lit(EXACT)
    computed = pl.col("row_kind") == "budget_execution"
    return pl.when((d.fill_null(0) == 0) & ~computed).then(pl.lit(EXACT)).otherwise(d)


def score_terms(df: pl.DataFrame, value: str, decimals: str) -> pl.DataFrame:
    return df.with_columns(
        value=pl.col(value), decimals=precision_expr(value, decimals), scale=pl.lit(1.0), unit=pl.lit("分"),
        label=label_expr(), raw_text=pl.col(value).cast(pl.String),
        measure_label=pl.lit("得分" if value == "score" else "分值"),
    )
