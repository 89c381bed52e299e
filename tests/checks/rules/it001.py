"""Fire / quiet cases of IT001; expected values worked out by hand (comments beside each case)."""

from __future__ import annotations

from tests.checks.builders import E, L, frames
from tests.checks.case import Case


def _t03(second: float) -> list[dict]:
    return [L("t03", E, "total", 30.00, row=1, key="total", name="合计"),
            L("t03", E, "total", 10.00, row=2, code="2101101", name="行政单位医疗"),
            L("t03", E, "total", second, row=3, code="2101102", name="事业单位医疗")]


CASES: list[Case] = [
    # IT001: 合计 30.00 vs 10.00 + 20.05 = 30.05 -> fires; 20.00 quiet
    # severity: 0.05 / 30.05 = 0.17 % on a 合计 -> medium
    Case("IT001", "fires", frames(_t03(20.05)), 1, expected="30.05万元", actual="30.00万元", kind="broken_footing", severity="medium"),
    Case("IT001", "quiet", frames(_t03(20.00)), 0),
    # 30.00 vs 10.00 + 20.01: [29.995, 30.005] and [30.00, 30.02] overlap -> rounding, quiet
    Case("IT001", "quiet-rounding-0.01", frames(_t03(20.01)), 0),
    # rounding only: 合计 30.1 (±0.05) vs 10.04 + 20.04 = 30.08 (±0.01) overlap -> quiet
    Case("IT001", "quiet-rounding", frames([L("t03", E, "total", 30.1, row=1, key="total", dec=1),
                                            L("t03", E, "total", 10.04, row=2, code="2101101"),
                                            L("t03", E, "total", 20.04, row=3, code="2101102")]), 0),
]
