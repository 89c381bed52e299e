"""Fire / quiet cases of DP004; expected values worked out by hand (comments beside each case)."""

from __future__ import annotations

from tests.checks.case import Case
from tests.checks.peer_corpus import amounts_corpus

CASES: list[Case] = [
    # 2,113,826.37 has 9 digits and is printed by two bureaus of different regions: one finding each
    Case("DP004", "fires", amounts_corpus([["2,113,826.37", "1,000.11"], ["2,113,826.37", "2,000.22"]]), 2,
         kind="duplicated_amount", contains=["丙1县医疗保障局"], severity="low"),
    # two figures shared with the same bureau: medium
    Case("DP004", "fires-medium", amounts_corpus([["2,113,826.37", "3,456,789.12"], ["2,113,826.37", "3,456,789.12"]]),
         2, kind="duplicated_amount", severity="medium"),
    # 8 digits (213,826.37), or ending in 00 (2,113,800.00): too likely by chance or round: quiet
    Case("DP004", "quiet", amounts_corpus([["213,826.37", "2,113,800.00"], ["213,826.37", "2,113,800.00"]]), 0),
    # the same 9-digit figure but the second bureau's region is not resolved: not compared
    Case("DP004", "quiet-unresolved", amounts_corpus([["2,113,826.37"], ["2,113,826.37"]], regions=["430001", None]),
         0),
]
