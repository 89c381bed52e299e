"""IT070: A change stated in the text (增减额, 增减率, direction word) does not follow from its amounts."""

from __future__ import annotations

import polars as pl

from toolkit.checks.framework import Check, CheckResult
from toolkit.checks.registry import register
from toolkit.checks.text_ratios import claim_hits


@register
class TextChange(Check):
    """A change stated in the text (增减额, 增减率, direction word) does not follow from its amounts.

    What it does: reads every change claim of the text (``toolkit.claims``): a change amount
    (增加/减少/增收/减收/多支/少支 D) and/or a rate (增长/下降 P%) next to each other in a clause, in either
    order, with the amount it is about and, when printed, last year's amount (上年/an earlier year).
    With three of old, new, change and rate known it recomputes the fourth: D = |new − old|,
    P = D ÷ old, old = new ∓ D; and it checks that the direction word agrees with new − old and that
    D and P carry the same direction. Rates may be rounded or truncated; every figure is an interval.
    An increase from last year's zero (a unit founded this year: new − D = 0) is stated as 增长100% by
    convention; any other rate for it is flagged.

    Why it matters: a growth rate on the wrong base or a flipped 增加/减少 misstates the trend readers quote.

    Example: “总支出362.62万元。与上年相比，减少408.65万元，减少52.98%” ✓ (408.65 ÷ 771.27 = 52.98 %);
    “2022年执行数为X万元，2023年安排Y万元，比2022年减少P%” checks P = (X − Y) ÷ X.

    Known false positives: a change whose amount is named in another paragraph is skipped (coverage: unresolved), not flagged;
    rates of a sub-item (其中 …减少) stated against the total's base.
    """

    code = "IT070"
    version = "2"
    name = "text-change"
    detects = ("wrong_growth_rate",)
    label = "文字说明增减额或增减率不符"
    requires = ("frame:passages",)

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        hits, evals = claim_hits(self.code, frames)
        return CheckResult.of(hits, evals)
