"""Fire / quiet cases of IT013; expected values worked out by hand (comments beside each case)."""

from __future__ import annotations

from tests.checks.builders import B06, S7, L, frames
from tests.checks.case import Case

CASES: list[Case] = [
    # IT013: 06 30217 公务接待费 8.31 > 三公 接待 0.30
    # severity: 8.01 / 8.31 = 96 % -> high
    Case("IT013", "fires", frames([L("t06", B06, "final", 8.31, code="30217", name="公务接待费"),
                                   L("t07", S7, "final_reception", 0.30, key="sangong")]), 1, actual="8.31万元",
         expected="0.30万元", severity="high"),
    Case("IT013", "quiet", frames([L("t06", B06, "final", 0.30, code="30217"),
                                   L("t07", S7, "final_reception", 0.30, key="sangong")]), 0),
    # a 三公 table whose unit line was not read (“单位：万” / “元” split over two lines) in a document whose other
    # money tables are all 万元: 06 30231 266.80 ≤ 三公 运行维护费 266.80 (not 0.03万元 read as 元)
    Case("IT013", "quiet-unitless-sangong", frames([
        L("t06", B06, "final", 266.80, code="30231", name="公务用车运行维护费"),
        {**L("t07", S7, "final_vehicle_operation", 266.80, key="sangong"), "unit": None, "scale": 1.0}]), 0),
    # the same table with 运行维护费 26.68: 266.80 > 26.68 fires, in 万元
    # severity: 240.12 / 266.80 = 90 % -> high
    Case("IT013", "fires-unitless-sangong", frames([
        L("t06", B06, "final", 266.80, code="30231", name="公务用车运行维护费"),
        {**L("t07", S7, "final_vehicle_operation", 26.68, key="sangong"), "unit": None, "scale": 1.0}]), 1,
         actual="266.80万元", expected="26.68万元", severity="high"),
]
