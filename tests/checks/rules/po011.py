"""Fire / quiet cases of PO011; expected values worked out by hand (comments beside each case)."""

from __future__ import annotations

from tests.checks.case import Case
from tests.checks.peer_corpus import profile_corpus

CASES: list[Case] = [
    # 110 peers whose items vary by ±3 % (robust z within ±0.12 over the 0.25 floor); d1: 行政运行 ×2.4,
    # 行政单位医疗 ×0.5, 事业运行 ×1.9 -> per insured z = ln 2.4/0.25 = 3.5, ln 0.5/0.25 = −2.8, ln 1.9/0.25 = 2.6
    # (below PO010's 4), 行政单位医疗's share 50/1150 = 4.3 % against 16.7 % (z −5.4, downward: PO010 ignores it):
    # by far the most isolated profile of 111, the top of both detectors -> tail share 1/111 < 1 %: fires, low
    Case("PO011", "fires", profile_corpus((2.4, 0.5, 1.9)), 1, kind="profile_outlier",
         contains=["孤立森林", "行政运行"], severity="low"),
    # d1 like its peers: someone is always the rarest 1 %, but no feature is 3 robust z away: quiet
    Case("PO011", "quiet", profile_corpus((1.0, 1.0, 1.0)), 0),
    # the same outlier among 60 bureaus: below the 100 bureau-years the detectors need (coverage): quiet
    Case("PO011", "quiet-small-corpus", profile_corpus((2.4, 0.5, 1.9), n_peers=60), 0),
]
