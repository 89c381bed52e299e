"""IT071: A share stated in the text (占…%) is not part ÷ whole of the figures it names."""

from __future__ import annotations

import polars as pl

from toolkit.checks.framework import Check, CheckResult
from toolkit.checks.registry import register
from toolkit.checks.text_ratios import claim_hits


@register
class TextShare(Check):
    """A share stated in the text (占…%) is not part ÷ whole of the figures it names.

    What it does: the part is the figure just before 占; the whole is the one named after 占
    (占基本支出的…), looked up in the sentence, the paragraph, the document's other statements and its
    tables, in that order (a name found with two values at one level stops the search: not checked),
    or, for an unnamed 占比 inside a 其中 list, that list's whole. Flags the share when part ÷ whole,
    with every figure's rounding, cannot give the printed share (rounded or truncated).

    Why it matters: shares are what the press quotes; a share no amount supports was edited or copied.

    Example: “基本支出122.83万元。…人员经费104.09万元，占基本支出的94.74%” (104.09 ÷ 122.83 = 84.74 %).

    Known false positives: a whole named by a word the text uses for two items (支出 of two scopes) is skipped as ambiguous.
    """

    code = "IT071"
    version = "1"
    name = "text-share"
    detects = ("wrong_percentage",)
    label = "文字说明占比计算不符"
    requires = ("frame:passages",)

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        hits, evals = claim_hits(self.code, frames)
        return CheckResult.of(hits, evals)
