"""IT033: A completion rate in the text is not 决算 ÷ 预算 (完成预算的…%) (N-4)."""

from __future__ import annotations

import polars as pl

from toolkit.checks.framework import Check, CheckResult, get
from toolkit.checks.registry import register
from toolkit.checks.text_ratios import operands, ratio_check
from toolkit.checks.tolerance import ratio_bounds

# words that make an amount the budget side of a completion rate (一般公共预算 is a fund, not a budget figure)
_BUDGET_WORDS = r"预算|计划|指标"


def _is_budget(subject: pl.Expr) -> pl.Expr:
    s = subject.fill_null("").str.replace_all("一般公共预算", "", literal=True)
    return s.str.contains(_BUDGET_WORDS) & ~s.str.contains("决算")


_CLAUSE_BREAK = r"其中|；|;"


def _own_clause(frames: dict[str, pl.DataFrame], f: pl.DataFrame, pairs: pl.DataFrame) -> pl.DataFrame:
    """Keep (rate, operand) pairs whose operand is in the rate's own clause: no other rate and no
    其中 / ； between them. “预算2.85万元，决算0.39万元，完成13.68%，其中：出国费决算0.00万元，完成0.00%”:
    the 0.00% is about 出国费 only and must not be paired with 0.39 ÷ 2.85."""
    if pairs.height == 0:
        return pairs
    rates = f.filter(pl.col("unit") == "%").select("document_id", "passage_id", pl.col("span_start").alias("s_r"),
                                                   pl.col("sentence").alias("sent_r"))
    crossed = pairs.join(rates, on=["document_id", "passage_id"]).filter(
        (pl.col("sent_r") == pl.col("sentence")) & (pl.col("s_r") > pl.col("s_f")) & (pl.col("s_r") < pl.col("span_start")))
    pairs = pairs.join(crossed.select("fid", "fid_f").unique(), on=["fid", "fid_f"], how="anti")
    text = get(frames, "passages").select("passage_id", pl.col("text").alias("_text")).unique("passage_id")
    if text.height == 0:
        return pairs
    j = pairs.join(text, on="passage_id", how="left")
    between = pl.col("_text").str.slice(pl.col("s_f"), pl.col("span_start") - pl.col("s_f"))
    return j.filter(~between.str.contains(_CLAUSE_BREAK).fill_null(False)).drop("_text")


@register
class TextCompletion(Check):
    """A completion rate in the text is not 决算 ÷ 预算 (完成预算的…%) (N-4).

    What it does: for each 完成…% / 执行率 in a sentence, pairs the amounts stated before it in the
    clause (in either order: “预算为A，决算为B” and “决算数B，年初预算数A” are both common; another rate
    or 其中 / ； between an amount and the rate ends the clause):
    the denominator is an amount named as the budget (预算/计划/指标, not 决算), the numerator one not
    so named. The rate is flagged only when such pairs exist and none reproduces it as 决算 ÷ 预算
    within rounding (预算 ÷ 决算 printed as the rate is itself the error). A truncated rate (截位:
    9746.50 ÷ 10210.34 = 95.457 % printed 95.45 %) and 0 ÷ 0 printed as 0.00 % are not errors.

    Why it matters: 完成率 is how a bureau reports budget discipline; 金华 2021 printed 27.22 % where
    500.12 ÷ 472.9 = 105.76 % (27.22 is the difference written as a percentage).

    Example: “预算为2万元，支出决算为0.89万元，完成预算的44.5%” ✓; “年初预算1.13万元，支出0.86万元，
    完成预算131.40%” ✗ (0.86 ÷ 1.13 = 76.11 %).

    Known false positives: completion of a physical target (counts), when the metric extractor tags it
    as money (the units then differ and the pair is not used).
    """

    code = "IT033"
    name = "text-completion-rate"
    version = "3"
    detects = ("wrong_percentage",)
    label = "文字说明完成率计算不符"
    requires = ("frame:facts",)

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        def build(f: pl.DataFrame, t: pl.DataFrame) -> pl.DataFrame:
            same_sentence = pl.col("sent_f") == pl.col("sentence")
            fin = _own_clause(frames, f, operands(f, t, ("amount", "part"), "_f").filter(same_sentence))
            bud = fin.select("fid", pl.col("fid_f").alias("fid_b"), pl.col("b_f").alias("b_b"),
                             pl.col("lo_f").alias("lo_b"), pl.col("hi_f").alias("hi_b"),
                             pl.col("raw_f").alias("raw_b"), pl.col("u_f").alias("u_b"),
                             pl.col("subj_f").alias("subj_b"))
            # only 决算 ÷ 预算 as the words say: the inverse (预算 ÷ 决算 printed as 完成率) is itself an error
            c = fin.join(bud, on="fid").filter(
                (pl.col("fid_f") != pl.col("fid_b")) & (pl.col("u_b") == pl.col("u_f"))
                & _is_budget(pl.col("subj_b")) & ~_is_budget(pl.col("subj_f")))
            lo, hi = ratio_bounds(pl.col("lo_f"), pl.col("hi_f"), pl.col("lo_b"), pl.col("hi_b"))
            return c.with_columns(
                c_lo=lo * 100, c_hi=hi * 100, c=pl.col("b_f") / pl.col("b_b") * 100,
                eligible=pl.lit(True),
                prio=pl.col("span_start") - pl.col("s_f"),
                formula=pl.concat_str([pl.lit("决算 "), pl.col("raw_f"), pl.lit(" ÷ 预算 "), pl.col("raw_b")]))
        return ratio_check(frames, code=self.code, identity="N-4", qualifier="completion", kind="wrong_percentage",
                            build=build)
