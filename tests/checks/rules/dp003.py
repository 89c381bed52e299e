"""Fire / quiet cases of DP003; expected values worked out by hand (comments beside each case)."""

from __future__ import annotations

from tests.checks.case import Case
from tests.checks.peer_corpus import amounts_corpus


def _amounts(n: int, rounds: int) -> list[str]:
    # n distinct amounts of ≥ 4 digits; the first ``rounds`` end in 00 (whole 元), the rest in 01 … 99
    return [f"{5000 + 100 * i}.00" if i < rounds else f"{5000 + 100 * i}.{1 + i % 99:02d}" for i in range(n)]


CASES: list[Case] = [
    # 12 of 60 end in 00 (20 %): P(X ≥ 12 | n 60, p 1 %) ≈ 1e-13 < 1e-4 and ≥ 5 %: fires
    Case("DP003", "fires", amounts_corpus([_amounts(60, 12)]), 1, kind="round_number_excess",
         contains=["有12个末两位为00（20.0%"], severity="low"),
    # 2 of 60 (3.3 %): P(X ≥ 2) = 0.12: quiet
    Case("DP003", "quiet", amounts_corpus([_amounts(60, 2)]), 0),
    # 12 of 40: below the 50 guard (coverage: skipped)
    Case("DP003", "quiet-small-sample", amounts_corpus([_amounts(40, 12)]), 0),
]
