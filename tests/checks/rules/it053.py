"""IT053 cases: 其中 rows against their parent."""

from __future__ import annotations

import copy

from tests.checks.case import Case
from tests.checks.grid_builder import table_frames

_t = [["项目", "预算数", "决算数"],
      ["基本支出", "120.00", "118.00"],
      ["其中：人员经费", "80.00", "79.50"],
      ["项目支出", "60.00", "58.00"],
      ["其中：专项业务费", "40.00", "45.00"]]
_bad = copy.deepcopy(_t)
_bad[4][2] = "65.00"  # 其中 65.00 > 项目支出 58.00

CASES: list[Case] = [
    # 80 ≤ 120, 79.5 ≤ 118, 40 ≤ 60 hold; 65 > 58 fails → 3 of 4, accepted; 3 holding is not strong → low
    Case("IT053", "qizhong-over-parent", table_frames(_bad, title="支出情况表", unit="万元"), fires=1, severity="low",
         expected="58.00", actual="65.00", kind="broken_footing", contains=["专项业务费", "大于"]),
    Case("IT053", "qizhong-quiet", table_frames(_t, title="支出情况表", unit="万元"), fires=0),
]
