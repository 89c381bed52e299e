"""Fire / quiet cases of IT005; expected values worked out by hand (comments beside each case)."""

from __future__ import annotations

from tests.checks.builders import B06, L, b06_columns, frames
from tests.checks.case import Case

CASES: list[Case] = [
    # IT005: 301 95.22 vs 32.15 + 63.17 = 95.32
    # severity: 0.10 / 95.32 = 0.10 % on a class row, not a 合计 -> low
    Case("IT005", "fires", frames([L("t06", B06, "final", 95.22, row=1, code="301"),
                                   L("t06", B06, "final", 32.15, row=2, code="30101"),
                                   L("t06", B06, "final", 63.17, row=3, code="30102")]), 1, expected="95.32万元",
         actual="95.22万元", severity="low"),
    Case("IT005", "quiet", frames([L("t06", B06, "final", 95.22, row=1, code="301"),
                                   L("t06", B06, "final", 32.15, row=2, code="30101"),
                                   L("t06", B06, "final", 63.07, row=3, code="30102"),
                                   L("t06", B06, "final", 95.22, row=4, key="personnel_total")]), 0),
    # 预算 06 with 合计/人员经费/公用经费 columns: each column foots by itself (95.22 = 32.15 + 63.07 in 合计
    # and 人员经费, 0 = 0 + 0 in 公用经费; 302 10.00 = 30201 10.00), 人员经费 column 合计 95.22 = 301 95.22 (+ no 303),
    # 公用经费 column 合计 10.00 = 302 10.00. Summing the three columns together gave 301 95.22 vs 190.44.
    Case("IT005", "quiet-budget-columns", frames(b06_columns(95.22)), 0),
    # the 人员经费 column's 合计 printed 95.32 but 301 + 303 of the 合计 column = 95.22
    # severity: 0.10 / 95.32 = 0.10 % on a 合计 -> medium
    Case("IT005", "fires-budget-column-subtotal", frames(b06_columns(95.32)), 1, expected="95.22万元",
         actual="95.32万元", severity="medium"),
]
