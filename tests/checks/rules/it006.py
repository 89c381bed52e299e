"""Fire / quiet cases of IT006; expected values worked out by hand (comments beside each case)."""

from __future__ import annotations

from tests.checks.builders import S7, L, frames
from tests.checks.case import Case

CASES: list[Case] = [
    # IT006: 决算 合计 0.89 vs 0 + 0 + 0.98
    # severity: 0.09 / 0.98 = 9.2 % -> high
    Case("IT006", "fires", frames([L("t07", S7, m, v, key="sangong") for m, v in
                                   (("final_total", 0.89), ("final_abroad", 0), ("final_vehicle", 0),
                                    ("final_reception", 0.98))]), 1, expected="0.98万元", actual="0.89万元", severity="high"),
    Case("IT006", "quiet", frames([L("t07", S7, m, v, key="sangong") for m, v in
                                   (("final_total", 0.89), ("final_abroad", 0), ("final_vehicle", 0),
                                    ("final_reception", 0.89))]), 0),
]
