"""IT052 cases: 占比 rows and rate columns inferred from their amounts."""

from __future__ import annotations

import copy

from tests.checks.case import Case
from tests.checks.grid_builder import ZHENJIE, table_frames

_bad = copy.deepcopy(ZHENJIE)
_bad[6][3] = "13.09%"  # 3个镇 办公经费 占比: 22,865.00 ÷ 189,150.00 × 100 = 12.088 → 12.09 %

_truncated = copy.deepcopy(ZHENJIE)
_truncated[6][3] = "12.08%"  # 12.088 truncated, not rounded: a printing convention, never a finding

_swapped = copy.deepcopy(ZHENJIE)
# 3个街道 and 3个镇 拨付 swapped: no 占比 of either row is right against its printed 拨付 any more, but the
# five shares of each row agree on one base — 6,000.00 ÷ 2.01 % ≈ 298,507, 212,266.50 ÷ 71.12 % ≈ 298,462 …
# all within [298,453.12, 298,504.44] — so the printed 189,150.00 is not the base its 占比 row was computed on
_swapped[3][1], _swapped[5][1] = _swapped[5][1], _swapped[3][1]

_rates = [["项目", "预算数", "执行数", "执行率(%)"],
          ["医保经办", "120.00", "114.00", "95.00"],
          ["信息化建设", "80.00", "61.00", "76.25"],
          ["基金监管", "45.00", "45.00", "100.00"],
          ["宣传培训", "16.00", "12.40", "77.50"],
          ["合计", "261.00", "232.40", "89.04"]]
_rates_bad = copy.deepcopy(_rates)
_rates_bad[2][3] = "86.25"  # 61.00 ÷ 80.00 × 100 = 76.25

CASES: list[Case] = [
    # 4 of 5 columns hold (80 %, strong); |13.09 − 12.09| / 13.09 = 7.6 % ≥ 5 % → high
    Case("IT052", "zhenjie-share-broken", table_frames(_bad, title="抽取的街道（镇）经费使用情况"), fires=1, severity="high",
         expected="12.09", actual="13.09%", kind="wrong_percentage", contains=["办公经费", "在5列中有4列成立"]),
    Case("IT052", "zhenjie-quiet", table_frames(ZHENJIE, title="抽取的街道（镇）经费使用情况"), fires=0),
    Case("IT052", "zhenjie-base-swapped", table_frames(_swapped, title="抽取的街道（镇）经费使用情况"), fires=2,
         severity="high", actual="189,150.00", contains=["占比为100%", "298453.12至298504.44", "在6列中有5列成立"]),
    Case("IT052", "zhenjie-truncated-quiet", table_frames(_truncated, title="抽取的街道（镇）经费使用情况"), fires=0),
    # 执行率 = 执行数 ÷ 预算数 × 100 holds in 4 rows (基金监管 100 % is trivial); 232.40 ÷ 261.00 = 89.04 %
    # with 86.25 printed: 3 of 4 non-trivial rows hold (75 %, accepted; fewer than 4 holding, so not strong → low)
    Case("IT052", "exec-rate-broken", table_frames(_rates_bad, title="项目资金执行情况表", unit="万元"), fires=1, severity="low",
         expected="76.25", actual="86.25", contains=["执行率(%) = 执行数 ÷ 预算数 × 100"]),
    Case("IT052", "exec-rate-quiet", table_frames(_rates, title="项目资金执行情况表", unit="万元"), fires=0),
]
