"""Fire / quiet cases of DP002; expected values worked out by hand (comments beside each case)."""

from __future__ import annotations

from tests.checks.case import Case
from tests.checks.peer_corpus import amounts_corpus

# 300 amounts whose last two digits run 00 … 99 three times: exactly uniform, χ² = 0
UNIFORM = [f"{1234 + 7 * i}.{i % 100:02d}" for i in range(300)]
# 300 amounts all ending in .50: χ² = (300 − 3)²/3 + 99 × 3 = 29,700: p ≈ 0
FIFTY = [f"{1234 + 7 * i}.50" for i in range(300)]

CASES: list[Case] = [
    Case("DP002", "fires", amounts_corpus([FIFTY]), 1, kind="last_digits_nonuniform", contains=["50（300次）"],
         severity="low"),
    Case("DP002", "quiet", amounts_corpus([UNIFORM]), 0),
    # 299 amounts: below the 300 guard (coverage: skipped)
    Case("DP002", "quiet-small-sample", amounts_corpus([FIFTY[:299]]), 0),
]
