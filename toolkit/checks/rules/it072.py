"""IT072: A completion or execution rate in the text (完成预算的/预算完成率/执行率/占调整预算…%) is not actual ÷ budget."""

from __future__ import annotations

import polars as pl

from toolkit.checks.framework import Check, CheckResult
from toolkit.checks.registry import register
from toolkit.checks.text_ratios import claim_hits


@register
class TextCompletion(Check):
    """A completion or execution rate in the text (完成预算的/预算完成率/执行率/占调整预算…%) is not actual ÷ budget.

    What it does: in the rate's clause, the budget is the amount named last as 预算/计划/指标/安排/下达
    (支出预算 is a budget, 支出决算 and 指标实际执行 are actuals) and the actual another amount before the
    rate; flags the rate when actual ÷ budget, within rounding (rates truncated as well as rounded),
    cannot give it. 占调整预算的…% is a completion rate, never a share. A sentence opening with the rate
    (“…年初预算为X万元，支出决算为Y万元。完成年初预算的P%”) takes its two figures from the sentence
    before when that sentence prints exactly one budget and one actual and no other money.

    Why it matters: execution rates are a scored 绩效 indicator; a wrong one misstates performance.

    Example: “三公经费预算为2万元，支出决算为0.89万元，完成预算的44.5%” ✓ (0.89 ÷ 2 = 44.5 %).

    Known false positives: a clause with the budget of one item and the actual of another (rare; both named in one clause).
    """

    code = "IT072"
    version = "2"
    name = "text-completion"
    detects = ("wrong_percentage",)
    label = "文字说明完成率计算不符"
    requires = ("frame:passages",)

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        hits, evals = claim_hits(self.code, frames)
        return CheckResult.of(hits, evals)
