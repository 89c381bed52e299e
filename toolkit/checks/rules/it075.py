"""IT075: A total stated in the text is not count × per-unit amount (N人 × S元/人 = T)."""

from __future__ import annotations

import polars as pl

from toolkit.checks.framework import Check, CheckResult
from toolkit.checks.registry import register
from toolkit.checks.text_ratios import claim_hits


@register
class TextProduct(Check):
    """A total stated in the text is not count × per-unit amount (N人 × S元/人 = T).

    What it does: a count (人/人次/户), a per-unit amount (每人/人均/标准为 S元, S元/人) and a total
    (共/合计/累计 T) in one clause make a product claim; flags it when T is outside the interval of N × S.

    Why it matters: subsidy totals are checked by auditors as headcount × standard; a mismatch is a
    typo in one of the three or an unexplained adjustment.

    Example: “资助参保19400人，每人补助320元，共计620.80万元” ✓ (19400 × 320 = 6,208,000 元).

    Known false positives: a 人均 figure that is an average of unequal amounts is still count × average, within rounding.
    """

    code = "IT075"
    version = "1"
    name = "text-product"
    detects = ("product_mismatch",)
    label = "文字说明数量乘以标准不等于总额"
    requires = ("frame:passages",)

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        hits, evals = claim_hits(self.code, frames)
        return CheckResult.of(hits, evals)
