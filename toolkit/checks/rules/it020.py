"""IT020: 自评表 scores do not add up: 总分 ≠ Σ 得分, Σ 分值 ≠ 100 (or ≠ the 总分 row's 分值), a level's 分值 ≠ its label."""

from __future__ import annotations

import polars as pl

from toolkit.checks.framework import Check, CheckResult, skipped_missing_tables
from toolkit.checks.identities import run_terms
from toolkit.checks.registry import register
from toolkit.checks.scores import (
    EXACT,
    SCORED_KINDS,
    SELF_EVAL,
    indicator_rows,
    score_terms,
    sheet_expr,
)


@register
class ScoreSums(Check):
    """自评表 scores do not add up: 总分 ≠ Σ 得分, Σ 分值 ≠ 100 (or ≠ the 总分 row's 分值), a level's 分值 ≠ its label.

    What it does: per 自评表/计分表: 总分 row 得分 = Σ 得分 of every indicator row plus the 预算执行率
    row; Σ 分值 = the 总分 row's 分值 (100 when not printed); for each 一级指标 labelled with its weight
    (产出指标(50分)) Σ 分值 of its rows = the label, and likewise for 二级指标 (成本指标(15分)).

    Why it matters: the 总分 decides the grade (优 ≥ 90) and what the finance bureau does with the
    project; a 总分 that is not the sum of its items is a self-evaluation that was not really done.

    Example: 区级扶贫捐款专项资金: 总分 87 but 得分 2 + 5 + 20 + 10 + 5 + 0 + 10 + 10 + 10 + 10 = 82;
    Σ 分值 95 against 总分 分值 100.

    Known false positives: indicator rows the parser could not read (the sums then miss them);
    transfer-payment forms without 分值/得分 are skipped.
    """

    code = "IT020"
    name = "self-eval-score-sums"
    detects = ("score_sum_mismatch",)
    label = "自评表得分合计不符"
    requires = SELF_EVAL

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        ind = indicator_rows(frames)
        if ind.height == 0:
            return CheckResult.of([], [skipped_missing_tables(frames, SELF_EVAL, "S-1", need_all=False)])
        scored = ind.filter(pl.col("row_kind").is_in(SCORED_KINDS))
        total = ind.filter(pl.col("row_kind") == "total")
        key = pl.col("table_id")
        t = []
        # S-1 总分 = Σ 得分
        t.append(score_terms(scored, "score", "score_decimals").with_columns(role=pl.lit("part"), group=key, identity=pl.lit("S-1")))
        t.append(score_terms(total, "score", "score_decimals").with_columns(
            role=pl.lit("whole"), group=key, identity=pl.lit("S-1"), is_total=pl.lit(True),
            desc=pl.concat_str([sheet_expr(), pl.lit(" 总分")]), parts_desc=pl.lit("各指标得分（含预算执行率）之和")))
        # S-2 Σ 分值 = 总分 row 分值, or 100
        t.append(score_terms(scored, "weight", "weight_decimals").with_columns(role=pl.lit("part"), group=key, identity=pl.lit("S-2")))
        sheets = scored.select("document_id", "table_id", "title", "project").unique(["document_id", "table_id"])
        w_total = sheets.join(total.select("document_id", "table_id", "weight", "weight_decimals", "page", "row"),
                              on=["document_id", "table_id"], how="left").with_columns(
            value=pl.coalesce("weight", pl.lit(100.0)), decimals=pl.lit(EXACT),
            scale=pl.lit(1.0), unit=pl.lit("分"), label=pl.lit("总分 分值"),
            raw_text=pl.when(pl.col("weight").is_null()).then(pl.lit("（未印，按满分100）")).otherwise(
                pl.col("weight").cast(pl.String)),
            measure_label=pl.lit("分值"), role=pl.lit("whole"), group=key, identity=pl.lit("S-2"), is_total=pl.lit(True),
            desc=pl.concat_str([sheet_expr(), pl.lit(" 满分（总分行分值）")]), parts_desc=pl.lit("各指标分值（含预算执行率）之和"))
        t.append(w_total.drop("weight", "weight_decimals"))
        # S-3 per level: Σ 分值 = weight printed in the 一级/二级 label
        lv1 = scored.filter(pl.col("level1_weight").is_not_null() & (pl.col("row_kind") == "indicator"))
        g1 = pl.concat_str([key, pl.lit("|L1|"), pl.col("level1")])
        t.append(score_terms(lv1, "weight", "weight_decimals").with_columns(role=pl.lit("part"), group=g1, identity=pl.lit("S-3")))
        t.append(lv1.unique(["document_id", "table_id", "level1"], keep="first").with_columns(
            value=pl.col("level1_weight"), decimals=pl.lit(EXACT), scale=pl.lit(1.0), unit=pl.lit("分"),
            label=pl.concat_str([pl.col("level1"), pl.lit("（标注分值）")]), raw_text=pl.col("level1_weight").cast(pl.String),
            measure_label=pl.lit("一级指标"), role=pl.lit("whole"), group=g1, identity=pl.lit("S-3"),
            desc=pl.concat_str([sheet_expr(), pl.lit(" 一级指标 "), pl.col("level1"), pl.lit(" 标注分值")]),
            parts_desc=pl.lit("其下各三级指标分值之和")))
        lv2 = scored.filter(pl.col("level2_weight").is_not_null() & (pl.col("row_kind") == "indicator"))
        g2 = pl.concat_str([key, pl.lit("|L2|"), pl.col("level1").fill_null(""), pl.lit("|"), pl.col("level2")])
        t.append(score_terms(lv2, "weight", "weight_decimals").with_columns(role=pl.lit("part"), group=g2, identity=pl.lit("S-4")))
        t.append(lv2.unique(["document_id", "table_id", "level1", "level2"], keep="first").with_columns(
            value=pl.col("level2_weight"), decimals=pl.lit(EXACT), scale=pl.lit(1.0), unit=pl.lit("分"),
            label=pl.concat_str([pl.col("level2"), pl.lit("（标注分值）")]), raw_text=pl.col("level2_weight").cast(pl.String),
            measure_label=pl.lit("二级指标"), role=pl.lit("whole"), group=g2, identity=pl.lit("S-4"),
            desc=pl.concat_str([sheet_expr(), pl.lit(" 二级指标 "), pl.col("level2"), pl.lit(" 标注分值")]),
            parts_desc=pl.lit("其下各三级指标分值之和")))
        terms = pl.concat(t, how="diagonal_relaxed").with_columns(relation=pl.lit("eq"))
        hits, evals = run_terms(terms, "score_sum_mismatch")
        # documents without a 自评表 are "not checked" whether or not another document of the batch has one
        return CheckResult.of([hits], [evals, skipped_missing_tables(frames, SELF_EVAL, "S-1", need_all=False)])
