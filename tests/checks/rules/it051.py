"""IT051 cases: a total row inferred from the columns that foot."""

from __future__ import annotations

import copy

from tests.checks.case import Case
from tests.checks.grid_builder import FUND, ZHENJIE, table_frames

_bad = copy.deepcopy(ZHENJIE)
_bad[1][3] = "62,562.00"  # 6个镇街合计 办公经费: 39,597.00 + 22,865.00 = 62,462.00

_fund_bad = copy.deepcopy(FUND)
_fund_bad[4][3] = "59491.29"  # 合计 本年支出: 12050.00 + 46866.29 + 503.00 = 59419.29

CASES: list[Case] = [
    # 6 amount columns (拨付 … 结余): holds in the 5 others → strong; |62562 − 62462| / 62562 = 0.16 % on a 合计 → medium
    Case("IT051", "zhenjie-total-broken", table_frames(_bad, title="抽取的街道（镇）经费使用情况"), fires=1,
         expected="62462.00", actual="62,562.00", kind="broken_footing", contains=["办公经费", "在6列中有5列成立"],
         severity="medium"),
    Case("IT051", "zhenjie-quiet", table_frames(ZHENJIE, title="抽取的街道（镇）经费使用情况"), fires=0),
    # holds in 3 of 4 columns → accepted but weak → low
    Case("IT051", "fund-total-broken", table_frames(_fund_bad, title="基金收支情况表", unit="万元"), fires=1,
         expected="59419.29", actual="59491.29", severity="low"),
]
