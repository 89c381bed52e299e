"""Fire / quiet cases of IT007; expected values worked out by hand (comments beside each case)."""

from __future__ import annotations

from tests.checks.builders import L, frames
from tests.checks.case import Case

CASES: list[Case] = [
    # IT007: 年末 9.56 vs 0 + 9.56 − 9.56 = 0.00
    # severity: 9.56 / 9.56 = 100 % -> high
    Case("IT007", "fires", frames([L("t08", "gov_fund", m, v) for m, v in
                                   (("carryover_begin", 0), ("income", 9.56), ("total", 9.56), ("carryover_end", 9.56))]),
         1, expected="0.00万元", actual="9.56万元", severity="high"),
    Case("IT007", "quiet", frames([L("t08", "gov_fund", m, v) for m, v in
                                   (("carryover_begin", 0), ("income", 9.56), ("total", 9.56), ("carryover_end", 0))]), 0),
]
