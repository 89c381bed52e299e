"""Fire / quiet cases of IT003; expected values worked out by hand (comments beside each case)."""

from __future__ import annotations

from tests.checks.builders import frames, t01
from tests.checks.case import Case

CASES: list[Case] = [
    # IT003 T01-5: 本年支出合计 100.00 vs 60.00 + 45.00 = 105.00
    # severity: 5 / 105 = 4.8 % on 本年支出合计 (≥ 1 % on a total) -> high
    Case("IT003", "fires", frames(t01(45.00)), 1, expected="105.00万元", actual="100.00万元",
         contains=["本年支出合计"], severity="high"),
    Case("IT003", "quiet", frames(t01(40.00)), 0),
]
