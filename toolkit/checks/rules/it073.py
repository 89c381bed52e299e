"""IT073: The parts listed after 其中/包括/主要用于 add up to more than the whole stated before them."""

from __future__ import annotations

import polars as pl

from toolkit.checks.framework import Check, CheckResult
from toolkit.checks.registry import register
from toolkit.checks.text_ratios import claim_hits


@register
class TextPartsExceedWhole(Check):
    """The parts listed after 其中/包括/主要用于 add up to more than the whole stated before them.

    What it does: a partition claim is a whole (an amount, or a change amount) followed by 其中 /
    包括 / 主要用于 and the figures of the same kind listed after it in the sentence (the list ends at a
    clause that opens a new topic: a date, 一是…). Flags it when the smallest sum the parts' rounding
    allows is above the largest value of the whole. Parts may be incomplete, so a sum below the whole is
    no finding, unless the list closes with its residual item (其他收入…): then every part is listed and
    the parts must add up to the whole. Two sums stated without 其中 are partitions too and must add up
    exactly: the reasons of a change that net increases against decreases (“减少408.65万元，主要是因为
    减少A 423.62万元、B 9.56万元…；增加C 15.63万元…”: Σ same direction − Σ other = the change; a list of
    one direction names the main items only and is not read), and a budget with its adjustments
    (“全年预算Z，年初预算X，年中追加Y”: X + Y − 调减 = Z, one figure of each in one clause).

    Why it matters: parts above their whole mean one of the figures is wrong.

    Example: “职工医保基金收入13129万元，其中统筹基金7972万元，个人账户基金4572万元，大病互助基金585万元” ✓ (13129).

    Known false positives: a list whose items are not parts of the whole (amounts of another year after 其中) — kept within one sentence;
    a netted list of reasons that still leaves a minor item out.
    """

    code = "IT073"
    version = "2"
    name = "text-parts-exceed-whole"
    detects = ("fund_arithmetic",)
    label = "文字说明其中各项之和超过总数"
    requires = ("frame:passages",)

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        hits, evals = claim_hits(self.code, frames)
        return CheckResult.of(hits, evals)
