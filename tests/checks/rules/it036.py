"""Fire / quiet cases of IT036; expected values worked out by hand (comments beside each case)."""

from __future__ import annotations

from tests.checks.builders import B06, F, L, frames
from tests.checks.case import Case

CASES: list[Case] = [
    # IT036: text 104.09元 vs 06 人员经费合计 104.09 (万元): same digits, wrong unit
    # severity: 104.09 元 vs 1040900 元: nearly 100 % -> high
    Case("IT036", "fires", frames([L("t06", B06, "final", 104.09, key="personnel_total")],
                                  facts=[F("personnel_expense", "amount", 104.09, "元", subject="人员经费")]), 1,
         kind="unit_slip", expected="104.09万元", actual="104.09元", severity="high"),
    Case("IT036", "quiet", frames([L("t06", B06, "final", 104.09, key="personnel_total")],
                                  facts=[F("personnel_expense", "amount", 104.09, "万元", subject="人员经费")]), 0),
    # a different amount in 元 is a mismatch (IT030), not a slip: 104.90元 has other digits
    Case("IT036", "quiet-other-digits", frames([L("t06", B06, "final", 104.09, key="personnel_total")],
                                               facts=[F("personnel_expense", "amount", 104.90, "元", subject="人员经费")]), 0),
]
