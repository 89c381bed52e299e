"""IT021: An indicator's 得分 exceeds its 分值."""

from __future__ import annotations

import polars as pl

from toolkit.checks.framework import Check, CheckResult
from toolkit.checks.identities import run_terms
from toolkit.checks.registry import register
from toolkit.checks.scores import (
    SCORED_KINDS,
    SELF_EVAL,
    indicator_rows,
    label_expr,
    score_terms,
    sheet_expr,
)


@register
class ScoreAboveWeight(Check):
    """An indicator's 得分 exceeds its 分值.

    What it does: every indicator row (and the 预算执行率 row) must have 得分 ≤ 分值.

    Why it matters: a score above the maximum inflates the 总分 and shows the sheet was filled
    without applying the scoring rules.

    Example: 满意度指标 分值 10, 得分 12.

    Known false positives: 分值 and 得分 columns swapped by the parser (then 分值 < 得分 on many rows).
    """

    code = "IT021"
    name = "score-above-weight"
    detects = ("score_sum_mismatch",)
    label = "指标得分超过分值"
    requires = SELF_EVAL

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        scored = indicator_rows(frames).filter(pl.col("row_kind").is_in(SCORED_KINDS))
        g = pl.concat_str([pl.col("table_id"), pl.lit("|r"), pl.col("row").cast(pl.String)])
        whole = score_terms(scored, "score", "score_decimals").with_columns(
            role=pl.lit("whole"), group=g, desc=pl.concat_str([sheet_expr(), pl.lit(" "), label_expr(), pl.lit(" 得分")]),
            parts_desc=pl.lit("该指标分值"))
        part = score_terms(scored, "weight", "weight_decimals").with_columns(role=pl.lit("part"), group=g)
        terms = pl.concat([whole, part], how="diagonal_relaxed").with_columns(identity=pl.lit("S-5"), relation=pl.lit("le"))
        hits, evals = run_terms(terms, "score_sum_mismatch")
        return CheckResult.of([hits], [evals])
