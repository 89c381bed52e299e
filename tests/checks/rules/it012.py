"""Fire / quiet cases of IT012; expected values worked out by hand (comments beside each case)."""

from __future__ import annotations

from tests.checks.builders import B06, G, L, b06_columns, frames
from tests.checks.case import Case

CASES: list[Case] = [
    # IT012: 05 基本 122.83 vs 104.09 + 28.74 = 132.83
    # severity: 10 / 132.83 = 7.5 % -> high
    Case("IT012", "fires", frames([L("t05", G, "basic", 122.83, key="total"),
                                   L("t06", B06, "final", 104.09, key="personnel_total"),
                                   L("t06", B06, "final", 28.74, key="public_total")]), 1, expected="132.83万元",
         actual="122.83万元", severity="high"),
    Case("IT012", "quiet", frames([L("t05", G, "basic", 122.83, key="total"),
                                   L("t06", B06, "final", 104.09, key="personnel_total"),
                                   L("t06", B06, "final", 18.74, key="public_total")]), 0),
    # 预算 06 columns: 05 基本 105.22 = 合计 column's classes 95.22 + 10.00 (not 210.44 over all three columns)
    Case("IT012", "quiet-budget-columns", frames([L("t05", G, "basic", 105.22, key="total")] + b06_columns(95.22)), 0),
    # severity: 5 / 110.22 = 4.5 % on the 基本支出 合计 (≥ 1 % on a total) -> high
    Case("IT012", "fires-budget-columns", frames([L("t05", G, "basic", 110.22, key="total")] + b06_columns(95.22)), 1,
         expected="105.22万元", actual="110.22万元", severity="high"),
]
