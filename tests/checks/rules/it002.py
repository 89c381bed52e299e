"""Fire / quiet cases of IT002; expected values worked out by hand (comments beside each case)."""

from __future__ import annotations

from tests.checks.builders import E, L, frames
from tests.checks.case import Case

CASES: list[Case] = [
    # IT002: 12.54 vs 2.11 + 10.53 = 12.64
    # severity: 0.10 / 12.64 = 0.79 % (≥ 0.5 %) -> medium
    Case("IT002", "fires", frames([L("t03", E, "total", 12.54, code="2101101"), L("t03", E, "basic", 2.11, code="2101101"),
                                   L("t03", E, "project", 10.53, code="2101101")]), 1, expected="12.64万元",
         actual="12.54万元", severity="medium"),
    Case("IT002", "quiet", frames([L("t03", E, "total", 12.54, code="2101101"), L("t03", E, "basic", 2.11, code="2101101"),
                                   L("t03", E, "project", 10.43, code="2101101")]), 0),
]
