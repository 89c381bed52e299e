"""Fire / quiet cases of IT077 (收入 − 支出 = 当期结余 over claims); expected values worked out by hand."""

from __future__ import annotations

from tests.checks.builders import P, frames, with_passages
from tests.checks.case import Case


def _text(*texts: str) -> dict:
    return with_passages(frames(), [P(t, pid=f"p{i}", order=i, role="fund_operation") for i, t in enumerate(texts)])


CASES: list[Case] = [
    # 13129 − 12050 = 1079, the figures in three paragraphs
    Case("IT077", "quiet", _text("职工医保基金收入13129万元。", "职工医保基金支出12050万元。", "职工医保当期结余1079万元。"), 0),
    # 1179 against 1079 (100 / 1179 = 8.5 % -> high)
    Case("IT077", "fires", _text("职工医保基金收入13129万元。", "职工医保基金支出12050万元。", "职工医保当期结余1179万元。"), 1,
         expected="1079万元", actual="1179万元", kind="fund_arithmetic", severity="high"),
    # income called 征缴: same scheme, same relation
    Case("IT077", "fires-income-called-collected", _text("职工医保基金征缴收入13129万元，职工医保基金支出12050万元，职工医保当期结余1179万元。"),
         1, expected="1079万元", severity="high"),
    # two different 职工 income figures in the document: ambiguous, not checked
    Case("IT077", "quiet-ambiguous-income", _text(
        "职工医保基金收入13129万元。", "职工医保基金收入13500万元。", "职工医保基金支出12050万元。", "职工医保当期结余1179万元。"), 0),
]
