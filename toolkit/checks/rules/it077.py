"""IT077: A 当期结余 stated in the text is not 收入 − 支出 of the same scheme (收入 also called 筹集/征缴/到位)."""

from __future__ import annotations

import polars as pl

from toolkit.checks.framework import Check, CheckResult
from toolkit.checks.registry import register
from toolkit.checks.text_ratios import claim_hits


@register
class TextFundBalance(Check):
    """A 当期结余 stated in the text is not 收入 − 支出 of the same scheme (收入 also called 筹集/征缴/到位).

    What it does: for each 当期结余 (本年/当年/收支结余) of a scheme (职工/居民), finds the one income
    figure (收入/筹集/征缴/到位, not 可筹集/预计/累计) and the one expense figure of the same scheme in its
    paragraph, else in its document; with two candidates at a level it abstains. Flags the balance
    when it is outside the interval of income − expense.

    Why it matters: fund balance is the headline of medical-insurance reporting.

    Example: “职工医保基金收入总额13129万元 … 职工医保基金支出12050万元 … 当期结余1079万元” ✓.

    Known false positives: a 结余 that includes interest or transfers the text names elsewhere.
    """

    code = "IT077"
    version = "1"
    name = "text-fund-balance"
    detects = ("fund_arithmetic",)
    label = "文字说明基金收支结余不符"
    requires = ("frame:passages",)

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        hits, evals = claim_hits(self.code, frames)
        return CheckResult.of(hits, evals)
