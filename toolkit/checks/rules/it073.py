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
    the parts must add up to the whole.

    Why it matters: parts above their whole mean one of the figures is wrong.

    Example: “职工医保基金收入13129万元，其中统筹基金7972万元，个人账户基金4572万元，大病互助基金585万元” ✓ (13129).

    Known false positives: a list whose items are not parts of the whole (amounts of another year after 其中) — kept within one sentence.
    """

    code = "IT073"
    version = "1"
    name = "text-parts-exceed-whole"
    detects = ("fund_arithmetic",)
    label = "文字说明其中各项之和超过总数"
    requires = ("frame:passages",)

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        hits, evals = claim_hits(self.code, frames)
        return CheckResult.of(hits, evals)
