"""Fire / quiet cases of PO012; expected values worked out by hand (comments beside each case)."""

from __future__ import annotations

from tests.checks.case import Case
from tests.checks.peer_corpus import yoy_corpus

CASES: list[Case] = [
    # d1's 行政运行 300 -> 960万元 (×3.2) while the nine peers change by −4 … +4 % (median 0 %):
    # z = ln 3.2 / 0.15 (floor) = 7.8 ≥ 6 and ×3.2 ≥ 2.5: medium
    Case("PO012", "fires", yoy_corpus(3.2), 1, kind="feature_yoy_jump", actual="上年的3.20倍",
         contains=["变为上年的3.20倍", "上年为10.00元/人"], severity="medium"),
    # ×1.3: z = ln 1.3 / 0.15 = 1.7: quiet
    Case("PO012", "quiet", yoy_corpus(1.3), 0),
]
