"""IT032: A growth rate in the text does not match its change and amount: 增长率 ≠ 增减额 ÷ (本年 − 增减额) (N-3)."""

from __future__ import annotations

import polars as pl

from toolkit.checks.framework import Check, CheckResult, get
from toolkit.checks.registry import register
from toolkit.checks.text_ratios import MAX_GAP_CHARS, operands, ratio_check
from toolkit.checks.tolerance import ratio_bounds


def _prefix(year: pl.Expr | None) -> pl.Expr:
    """The amount's sentence names ``year`` (or 上年/去年 when None) before the amount."""
    at = pl.col("sentence").str.find(pl.col("raw_text"), literal=True).fill_null(0)
    head = pl.col("sentence").str.slice(0, at)
    if year is None:
        return head.str.contains("上年|去年")
    return head.str.contains(year.cast(pl.String), literal=True)


@register
class TextGrowth(Check):
    """A growth rate in the text does not match its change and amount: 增长率 ≠ 增减额 ÷ (本年 − 增减额) (N-3).

    What it does: for each 增长/减少 …% (or 变动率 / 增加幅度为 …%) in a passage, takes the 增减额 stated
    just before it, or after it in the same sentence (“同比增长5.50%（增加103.61万元）”), and every amount
    stated before both (本年数), recomputes change ÷ (本年 ∓ change) with interval bounds and flags the
    rate only when no pairing reproduces it. A rate pairs only with a change of its own direction
    (增长 with 增加, 下降 with 减少); an amount stated for last year is the base itself.

    Why it matters: a growth rate computed on the wrong base (this year instead of last year) misstates
    the trend, e.g. 金华 2021 “增加32.19万元，增长6.76%” where 32.19 ÷ 486.88 = 6.61 %.

    Example: “支出362.62万元，与上年相比减少408.65万元，减少52.98%” ✓ (408.65 ÷ 771.27 = 52.98 %).

    Known false positives: rates relative to a base stated in another passage (skipped).
    """

    code = "IT032"
    version = "3"
    name = "text-growth-rate"
    detects = ("wrong_growth_rate",)
    label = "文字说明增长率计算不符"
    requires = ("frame:facts",)

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        def build(f: pl.DataFrame, t: pl.DataFrame) -> pl.DataFrame:
            ch = operands(f, t, ("change",), "_c", after_in_sentence=True)
            # 增长X% goes with 增加Y, 下降X% with 减少Y: “压减10%，…专项增加200万元” is no growth rate of the 200
            dirs = f.select(pl.col("fid").alias("fid_c"), pl.col("direction").alias("dir_c"))
            ch = ch.join(dirs, on="fid_c", how="left").filter(
                pl.col("direction").is_null() | pl.col("dir_c").is_null() | (pl.col("direction") == pl.col("dir_c")))
            # an amount stated for last year (“(2016年度…为8,648.07万元)，增加498.72万元，增长5.77%”) is the base itself
            years = get(frames, "documents").select("document_id", "fiscal_year").unique("document_id")
            last_year = (pl.col("fiscal_year") - 1).cast(pl.String) + "年"
            amt = f.filter(pl.col("qualifier") == "amount").join(years, on="document_id", how="left").select(
                "document_id", "passage_id", pl.col("b").alias("b_a"), pl.col("lo").alias("lo_a"),
                pl.col("hi").alias("hi_a"), pl.col("raw_text").alias("raw_a"), pl.col("span_start").alias("s_a"),
                pl.col("base_unit").alias("u_a"),
                # the year must be written in the amount's own sentence before it (a period carried over from an
                # earlier sentence dates nothing here)
                (((pl.col("period") == last_year) & _prefix(pl.col("fiscal_year") - 1))
                 | (pl.col("period").str.contains("上年|去年") & _prefix(None))).fill_null(False).alias("base_a"))
            c = ch.join(amt, on=["document_id", "passage_id"]).filter(
                (pl.col("s_a") < pl.col("s_c")) & (pl.col("s_a") < pl.col("span_start")) & (pl.col("u_a") == pl.col("u_c"))
                & (pl.col("span_start") - pl.col("s_a") <= 2 * MAX_GAP_CHARS))
            dec = pl.col("direction") == "decrease"
            base = pl.col("base_a")
            # last year = this year − change (increase) or + change (decrease), or the amount itself when the
            # text states it for last year
            prev_lo = pl.when(base).then(pl.col("lo_a")).when(dec).then(pl.col("lo_a") + pl.col("lo_c")).otherwise(
                pl.col("lo_a") - pl.col("hi_c"))
            prev_hi = pl.when(base).then(pl.col("hi_a")).when(dec).then(pl.col("hi_a") + pl.col("hi_c")).otherwise(
                pl.col("hi_a") - pl.col("lo_c"))
            lo, hi = ratio_bounds(pl.col("lo_c"), pl.col("hi_c"), prev_lo, prev_hi)
            prev = pl.when(base).then(pl.col("b_a")).when(dec).then(pl.col("b_a") + pl.col("b_c")).otherwise(
                pl.col("b_a") - pl.col("b_c"))
            return c.with_columns(
                c_lo=lo * 100, c_hi=hi * 100, c=pl.col("b_c") / prev * 100, prio=pl.col("span_start") - pl.col("s_a"),
                formula=pl.when(base).then(pl.concat_str([pl.col("raw_c"), pl.lit(" ÷ 上年 "), pl.col("raw_a")]))
                .otherwise(pl.concat_str([pl.col("raw_c"), pl.lit(" ÷ （"), pl.col("raw_a"),
                                          pl.when(dec).then(pl.lit(" + ")).otherwise(pl.lit(" − ")), pl.col("raw_c"),
                                          pl.lit("）")])))
        return ratio_check(frames, code=self.code, identity="N-3", qualifier="growth", kind="wrong_growth_rate",
                            build=build)
