"""Statistical findings are capped per category so they never outrank one hard arithmetic error."""

from __future__ import annotations

import polars as pl
import pytest

from toolkit import schemas
from toolkit.rank import CATEGORY_CAPS, rank_bureaus, rank_documents


def _f(fid: str, doc: str, code: str, score: float, category: str, bureau: str, severity: str = "medium") -> dict:
    return {"finding_id": fid, "check_code": code, "category": category, "severity": severity, "score": score,
            "document": f"{doc}.pdf", "document_id": doc, "bureau": bureau, "region_code": "430621",
            "fiscal_year": 2023, "message": code}


def test_flood_of_statistical_hits_stays_below_one_high_arithmetic_error() -> None:
    # bureau 甲: one broken footing of weight 0.6 (the least a high-severity finding scores)
    rows = [_f("h1", "a", "IT001", 0.6, "inconsistent_total", "甲县医疗保障局", "high")]
    # bureau 乙: 10 peer checks and 9 digit checks, each firing three times at score 0.9
    for i in range(10):
        rows += [_f(f"p{i}{k}", "b", f"PO0{10 + i}", 0.9, "peer_outlier", "乙县医疗保障局") for k in range(3)]
    for i in range(9):
        rows += [_f(f"d{i}{k}", "b", f"DP00{1 + i}", 0.9, "digit_pattern", "乙县医疗保障局") for k in range(3)]
    findings = schemas.frame(rows, schemas.FINDINGS)
    for ranked, key in ((rank_documents(findings), "document_id"), (rank_bureaus(findings), "bureau")):
        order = ranked[key].to_list()
        assert order.index("a" if key == "document_id" else "甲县医疗保障局") == 0
        risk = dict(zip(ranked[key], ranked["risk_score"], strict=True))
        statistical = risk["b" if key == "document_id" else "乙县医疗保障局"]
        # capped: 1 − (1 − 0.4)(1 − 0.25) = 0.55 exactly, below the 0.6 of the single hard error
        expected = 1 - (1 - CATEGORY_CAPS["peer_outlier"]) * (1 - CATEGORY_CAPS["digit_pattern"])
        assert statistical == pytest.approx(expected)
        assert statistical < 0.6


def test_statistical_hits_still_add_to_a_hard_error() -> None:
    base = [_f("h1", "a", "IT001", 0.6, "inconsistent_total", "甲县医疗保障局", "high")]
    plus = base + [_f("p1", "a", "PO010", 0.5, "peer_outlier", "甲县医疗保障局")]
    r0 = rank_documents(schemas.frame(base, schemas.FINDINGS))["risk_score"][0]
    r1 = rank_documents(schemas.frame(plus, schemas.FINDINGS))["risk_score"][0]
    # 1 − 0.4 × (1 − min(0.5, 0.4)) = 0.76 against 0.6
    assert r0 == pytest.approx(0.6) and r1 == pytest.approx(0.76)
    assert pl.Series([r0, r1]).is_sorted()
