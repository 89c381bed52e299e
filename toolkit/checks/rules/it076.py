"""IT076: A stated relation fails as printed but holds once one amount's unit is read the other way (元 ↔ 万元)."""

from __future__ import annotations

import polars as pl

from toolkit.checks.framework import Check, CheckResult
from toolkit.checks.registry import register
from toolkit.checks.text_ratios import claim_hits


@register
class TextUnitSlipInStatement(Check):
    """A stated relation fails as printed but holds once one amount's unit is read the other way (元 ↔ 万元).

    What it does: every claim that fails IT070–IT075/IT077 and mixes 元 and 万元 is tried again with
    each money operand's unit flipped; when exactly one flip makes it hold, the finding is a unit slip
    of that amount, not an arithmetic error (“X元，其中A万元、B万元”). A 其中 list that holds as printed
    is a slip too when two or more parts in one unit add up exactly, at printed precision, to the whole's
    digits read in that unit (“经费1,015,954.00万元，其中585,654.00元、424,276.00元、6,024.00元”).

    Why it matters: a 元/万元 slip misstates an amount ten-thousandfold, the commonest typo when text
    is written from tables in another unit.

    Example: “总收入362.62元。与上年相比，减少408.65万元，减少52.98%” (holds with 362.62万元).

    Known false positives: two figures with slips in one sentence (then no single flip fixes it and the claim's own rule reports).
    """

    code = "IT076"
    version = "2"
    name = "text-unit-slip-in-statement"
    detects = ("unit_slip",)
    label = "文字说明金额单位错写（句内）"
    requires = ("frame:passages",)

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        hits, evals = claim_hits(self.code, frames)
        return CheckResult.of(hits, evals)
