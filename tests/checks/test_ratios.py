"""Implausible-ratio checks: the bands table, the clause reader and the seed documents' figures."""

from __future__ import annotations

from tests.checks.builders import rate_frames
from tests.checks.rules.ir001 import COV_OVER
from tests.checks.rules.ir002 import REIMB_BAD
from tests.checks.rules.ir003 import fund_frames
from toolkit.checks.rates import bands, rate_context
from toolkit.checks.rules.ir001 import CoverageRate
from toolkit.checks.rules.ir002 import ReimbursementRateBand
from toolkit.checks.rules.ir003 import FundSpendingVersusIncome


def test_bands_are_sourced_and_ordered():
    b = bands()
    assert {"coverage_total", "reimb_employee", "reimb_resident", "balance_resident", "balance_employee"} <= set(b)
    for key, row in b.items():
        assert row["basis"], key
        if key in ("coverage_total", "reimb_employee", "reimb_resident", "balance_resident", "balance_employee"):
            assert "全国医疗保障事业发展统计公报" in row["basis"], key  # the national figures' public source
        if row["hard_low"] is not None:
            assert row["hard_low"] <= row["typical_low"]
        if row["hard_high"] is not None:
            assert row["typical_high"] <= row["hard_high"]
    # hard limits around the 统计公报 figures: 职工 <75 or >95, 居民 <55 or >85
    assert (b["reimb_employee"]["hard_low"], b["reimb_employee"]["hard_high"]) == (75, 95)
    assert (b["reimb_resident"]["hard_low"], b["reimb_resident"]["hard_high"]) == (55, 85)


def test_enumerated_schemes_are_read_in_order():
    i = REIMB_BAD.index("46.55%")
    assert rate_context(REIMB_BAD, i)["scheme"] == "resident"
    assert rate_context(REIMB_BAD, REIMB_BAD.index("82.39%"))["scheme"] == "employee"
    text = "住院待遇方面，政策范围内基金支付比例职工为86.61%、居民为71.69%；"
    assert rate_context(text, text.index("71.69%"))["scheme"] == "resident"


def test_coverage_over_100_is_high_severity():
    r = CoverageRate().run(rate_frames(COV_OVER, "102.02%"))
    assert r.hits.height == 1
    h = r.hits.row(0, named=True)
    assert h["severity"] == "high" and h["kind"] == "coverage_over_100"
    assert abs(h["rel_diff"] - 2.02 / 102.02) < 1e-9


def test_mild_and_strong_rates_rank_apart():
    mild = ReimbursementRateBand().run(rate_frames("职工医保政策范围内住院费用基金支付比例95.80%。", "95.80%",
                                                   schemes=("employee",)))
    strong = ReimbursementRateBand().run(rate_frames("职工医保政策范围内住院费用基金支付比例99.20%。", "99.20%",
                                                     schemes=("employee",)))
    assert mild.hits["severity"].to_list() == ["low"] and strong.hits["severity"].to_list() == ["medium"]


def test_fund_deficit_severity_follows_its_size():
    # 12500 / 11155.30 = 112.05 % -> medium ; 13688.72 / 11155.30 = 122.71 % -> high
    assert FundSpendingVersusIncome().run(fund_frames(12500.00)).hits["severity"].to_list() == ["medium"]
    assert FundSpendingVersusIncome().run(fund_frames(13688.72)).hits["severity"].to_list() == ["high"]
    assert FundSpendingVersusIncome().run(fund_frames(11900.00)).hits.height == 0  # 106.68 %: within −10 %
