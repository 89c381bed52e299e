"""Fire / quiet cases of IT020; expected values worked out by hand (comments beside each case)."""

from __future__ import annotations

from tests.checks.builders import frames, scores
from tests.checks.case import Case

CASES: list[Case] = [
    # IT020: 总分 87 vs 2 + 40 + 40 = 82
    # severity: 5 / 87 = 5.7 % -> high
    Case("IT020", "fires", frames(indicators=scores(87)), 1, expected="82分", actual="87分", severity="high"),
    Case("IT020", "quiet", frames(indicators=scores(82)), 0),
]
