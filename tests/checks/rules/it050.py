"""IT050 cases: column sums, differences and balances inferred from the table's own rows."""

from __future__ import annotations

import copy

from tests.checks.case import Case
from tests.checks.grid_builder import FUND, ZHENJIE, table_frames

_fund_bad = copy.deepcopy(FUND)
_fund_bad[1][4] = "24106.00"  # 职工 滚存结余 typed 24106 for 24016 = 22937 + 13129 − 12050

_wide = [["项目", "拨付资金", "宣传", "办公", "补助", "小计", "结余"]] + [
    [f"{k}镇", f"{a + b + c + d:.2f}", f"{a:.2f}", f"{b:.2f}", f"{c:.2f}", f"{a + b + c:.2f}", f"{d:.2f}"]
    for k, (a, b, c, d) in enumerate([(1200, 8300, 51000, 4100), (900, 7600, 48800, 2650), (1500, 9100, 60200, 830),
                                      (700, 6400, 39900, 5120), (1100, 8800, 55300, 3310), (600, 5900, 41700, 1490)])]
_wide_bad = copy.deepcopy(_wide)
_wide_bad[4][6] = "5210.00"  # 3镇 结余: 拨付 52120.00 − 小计 47000.00 = 5120.00 (printed 5210.00)

CASES: list[Case] = [
    # hand check: 22937.00 + 13129.00 − 12050.00 = 24016.00; holds in the other 3 rows (居民, 大病, 合计)
    Case("IT050", "fund-balance-broken", table_frames(_fund_bad, title="基金收支情况表", unit="万元"), fires=1,
         expected="24016.00", actual="24106.00", kind="broken_footing",
         contains=["滚存结余 = ", "在4行中有3行成立"], severity="low"),
    Case("IT050", "fund-balance-quiet", table_frames(FUND, title="基金收支情况表", unit="万元"), fires=0),
    # seed 003's table as printed: 拨付 = 小计 + 结余 and 小计 = Σ 分项 hold in all 3 rows
    Case("IT050", "zhenjie-quiet", table_frames(ZHENJIE, title="抽取的街道（镇）经费使用情况"), fires=0),
    # 6 rows, one broken: 52120.00 − 47000.00 = 5120.00; supported by 5 of 6 rows → full severity
    # (|5210 − 5120| / 5210 = 1.7 % → medium)
    Case("IT050", "allocation-difference-broken", table_frames(_wide_bad, title="各镇经费拨付使用情况表"), fires=1,
         expected="5120.00", actual="5210.00", contains=["结余 = 拨付资金 − 小计", "在6行中有5行成立"],
         severity="medium"),
    Case("IT050", "allocation-quiet", table_frames(_wide, title="各镇经费拨付使用情况表"), fires=0),
]
