"""IT074: A comparison word in the text (大于/等于/小于/高于/低于/超过/未达到) contradicts the figures it compares."""

from __future__ import annotations

import polars as pl

from toolkit.checks.framework import Check, CheckResult
from toolkit.checks.registry import register
from toolkit.checks.text_ratios import claim_hits


@register
class TextComparison(Check):
    """A comparison word in the text (大于/等于/小于/高于/低于/超过/未达到) contradicts the figures it compares.

    What it does: either two printed figures (“40.65%，大于28%的标准值”) or two named ones
    (“决算数等于年初预算数” after 年初预算 and 支出决算 amounts in the same sentence); flags the word
    when the figures' intervals rule the relation out (等于 when they cannot be equal, 大于 when the first
    is surely smaller, …). A sentence that prints no money of its own (“…年初预算为X万元，支出决算为Y万元。
    决算数小于预算数的主要原因…”) names the figures of the sentence just before, when each name matches
    exactly one of them. “A与B持平” states equality; “基本持平” equality within a twentieth of the larger
    figure. A threshold (超过7200元以上) compares no two figures and is not read; 与上年持平 is a change.

    Why it matters: the explanation of a variance that states the wrong direction misleads the reader.

    Example: “决算为0.89万元，预算为2万元，…决算数大于预算数” (0.89 < 2).

    Known false positives: a named side matched to the wrong amount when a sentence names two 预算 figures (then skipped as ambiguous only if both are absent).
    """

    code = "IT074"
    version = "2"
    name = "text-comparison"
    detects = ("comparison_contradicted",)
    label = "文字说明大小比较与数字矛盾"
    requires = ("frame:passages",)

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        hits, evals = claim_hits(self.code, frames)
        return CheckResult.of(hits, evals)
