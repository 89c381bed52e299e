"""Fire / quiet cases of IT010; expected values worked out by hand (comments beside each case)."""

from __future__ import annotations

from tests.checks.builders import E, G, L, frames, t01
from tests.checks.case import Case

CASES: list[Case] = [
    # IT010 X-2: 01 221 = 40.00 but 03 2210201 = 25.28; and 210: 60.00 vs 74.72
    # severity: the first finding (221): 14.72 / 40.00 = 37 % -> high
    Case("IT010", "fires", frames(t01(40.00) + [L("t03", E, "total", 100.00, key="total"),
                                                 L("t03", E, "total", 74.72, row=1, code="2101501"),
                                                 L("t03", E, "total", 25.28, row=2, code="2210201")]), 2,
         contains=["25.28"], severity="high"),
    Case("IT010", "quiet", frames(t01(40.00) + [L("t03", E, "total", 100.00, key="total"),
                                                 L("t03", E, "total", 60.00, row=1, code="2101501"),
                                                 L("t03", E, "total", 40.00, row=2, code="2210201")]), 0),
    # a 支出预算总表 by 用途 (only a 合计 row, no 科目): 01's 类 210 60.00 / 221 40.00 are not compared with
    # "0" (blank is not zero); the totals 100.00 = 100.00 still are
    Case("IT010", "quiet-detail-without-subjects", frames(t01(40.00) + [L("t03", E, "total", 100.00, key="total")]), 0),
    # a 04 表 whose 支出 side is by 用途 (no 类 rows) and a 05 table by 科目: X-5 by 类 is not applicable
    Case("IT010", "quiet-04-without-classes", frames([
        L("t04", "fiscal_summary", "gpb", 100.00, key="expense_total", section="expense"),
        L("t05", G, "total", 100.00, key="total"),
        L("t05", G, "total", 60.00, row=1, code="2101501"), L("t05", G, "total", 40.00, row=2, code="2210201")]), 0),
]
