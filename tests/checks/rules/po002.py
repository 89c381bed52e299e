"""Fire / quiet cases of PO002; expected values worked out by hand (comments beside each case)."""

from __future__ import annotations

from tests.checks.builders import DOC, PEERS, corpus, spend
from tests.checks.case import Case


def yoy_case(jump: float) -> dict:
    # the same bureau (测试县, 430000) in 2022 (d0) and 2023 (d1); six peers with 2022/2023 changes of ±5 %
    docs = [{"document_id": "d0", "bureau": "测试县医疗保障局", "region_code": "430000", "region_name": "测试县",
             "fiscal_year": 2022, "path": "d0.txt"}]
    li = [spend("d0", 1000.0), spend(DOC, 1000.0 * jump)]
    for i, (d, c, n) in enumerate(PEERS):
        docs += [{"document_id": d, "bureau": f"{n}医疗保障局", "region_code": c, "region_name": n, "path": f"{d}.txt"},
                 {"document_id": d + "p", "bureau": f"{n}医疗保障局", "region_code": c, "region_name": n,
                  "fiscal_year": 2022, "path": f"{d}p.txt"}]
        li += [spend(d + "p", 500.0), spend(d, 500.0 * (0.95 + 0.02 * i))]
    return corpus(docs, li)


CASES: list[Case] = [
    # PO002: 2023 = 3.2 × 2022 (peers change by −5 … +5 %)
    # severity: ln 3.2 = 1.16 against a 0.10 floor, z ≥ 6: the check sets high
    Case("PO002", "fires", yoy_case(3.2), 1, kind="yoy_jump", contains=["3.20倍"], severity="high"),
    Case("PO002", "quiet", yoy_case(1.08), 0),
]
