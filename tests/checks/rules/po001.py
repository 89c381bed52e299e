"""Fire / quiet cases of PO001; expected values worked out by hand (comments beside each case)."""

from __future__ import annotations

from tests.checks.builders import DOC, PEERS, F, corpus, spend
from tests.checks.case import Case


def _insured(doc: str, persons: int) -> dict:
    f = F("insured_persons", "count", persons, "人", dec=0, subject="基本医保参保总人数")
    f["document_id"] = doc
    return f


def peer_case(d1_wan: float) -> dict:
    # peers spend 300, 310, 290, 320, 305, 295 万元 for 300000 人: 10.0–10.7 元/人 (median 10.08)
    # d1: 930 万元 for 300000 人 = 31 元/人: ×3.08, log distance 1.12 over MAD floor 0.15 -> z 7.5
    peers = [300, 310, 290, 320, 305, 295]
    docs = [{"document_id": d, "bureau": f"{n}医疗保障局", "region_code": c, "region_name": n, "path": f"{d}.txt"}
            for d, c, n in PEERS]
    li = [spend(DOC, d1_wan)] + [spend(d, w) for (d, _, _), w in zip(PEERS, peers, strict=True)]
    facts = [_insured(DOC, 300000)] + [_insured(d, 300000) for d, _, _ in PEERS]
    return corpus(docs, li, facts)


CASES: list[Case] = [
    # PO001: d1 spends 31 元 per insured person against a peer median of ~10.1 (×3.08)
    # severity: z 7.5 ≥ 5: the check sets high
    Case("PO001", "fires", peer_case(930.0), 1, kind="peer_outlier", contains=["3.1倍"], severity="high"),
    Case("PO001", "quiet", peer_case(315.0), 0),
]
