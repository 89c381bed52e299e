"""Fire / quiet cases of IT004; expected values worked out by hand (comments beside each case)."""

from __future__ import annotations

from tests.checks.builders import L, frames
from tests.checks.case import Case

CASES: list[Case] = [
    # IT004 T04-1: 本年收入合计 101.00 vs 一般公共预算 100.00
    # severity: 1 / 101 = 0.99 % (≥ 0.5 %, under 1 % on a total) -> medium
    Case("IT004", "fires", frames([L("t04", "fiscal_summary", "amount", 100.00, key="income_gpb", section="income"),
                                   L("t04", "fiscal_summary", "amount", 101.00, key="income_total", section="income")]),
         1, expected="100.00万元", actual="101.00万元", severity="medium"),
    Case("IT004", "quiet", frames([L("t04", "fiscal_summary", "amount", 100.00, key="income_gpb", section="income"),
                                   L("t04", "fiscal_summary", "amount", 100.00, key="income_total", section="income")]), 0),
]
