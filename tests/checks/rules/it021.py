"""Fire / quiet cases of IT021; expected values worked out by hand (comments beside each case)."""

from __future__ import annotations

from tests.checks.builders import frames, scores
from tests.checks.case import Case

CASES: list[Case] = [
    # IT021: 得分 52 > 分值 50 (总分 92 = 2 + 52 + 40 keeps IT020 quiet)
    # severity: 2 / 52 = 3.8 % on an indicator row -> medium
    Case("IT021", "fires", frames(indicators=scores(94, over=52)), 1, actual="52分", expected="50分", severity="medium"),
    Case("IT021", "quiet", frames(indicators=scores(82)), 0),
]
