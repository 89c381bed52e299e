"""Fire / quiet cases of PO010; expected values worked out by hand (comments beside each case)."""

from __future__ import annotations

from tests.checks.case import Case
from tests.checks.peer_corpus import level_corpus

CASES: list[Case] = [
    # d1: 行政运行 930万元 / 300,000 人 = 31.00 元/人; peers 9.5 … 10.67 元/人, median 10.00 (×3.1).
    # robust z on logs: the peers' MAD (≈ 0.03) is below the 0.25 floor -> ln 3.1 / 0.25 = 4.5: fires, low (z < 6)
    Case("PO010", "fires-low", level_corpus(930.0), 1, kind="line_item_peer_outlier", actual="31.00元/人",
         expected="同类单位中位数10.00元/人", contains=["为同类的3.1倍", "同级同规模县级医保局", "9个"], severity="low"),
    # 2000万元 -> 66.67 元/人, ×6.67: z = ln 6.67 / 0.25 = 7.6 ≥ 6 and ×2.5: medium
    Case("PO010", "fires-medium", level_corpus(2000.0), 1, kind="line_item_peer_outlier", severity="medium"),
    # 330万元 -> 11.00 元/人, ×1.1 of the median: quiet
    Case("PO010", "quiet-ordinary", level_corpus(330.0), 0),
    # ×6.67 again, but only 6 peers: below the 8 a peer group needs -> not compared (coverage), quiet
    Case("PO010", "quiet-small-group", level_corpus(2000.0, n_peers=6), 0),
]
