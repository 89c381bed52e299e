"""Fire / quiet cases of IT033; expected values worked out by hand (comments beside each case)."""

from __future__ import annotations

from tests.checks.builders import F, frames
from tests.checks.case import Case

_S1 = "预算为472.9万元，支出决算为500.12万元，完成预算的X%"


_S2 = "本年“三公”经费支出0.86万元，年初预算1.13万元，完成预算X%"


_S3 = "支出0.86万元，其他支出1.13万元，完成X%"


def _completion(rate: float) -> list[dict]:
    return [F("budget_total", "amount", 472.9, "万元", dec=1, start=0, subject="预算", sentence=_S1),
            F("expense_total", "amount", 500.12, "万元", start=20, subject="支出决算", sentence=_S1),
            F("budget_total", "completion", rate, "%", start=40, subject="完成预算", sentence=_S1)]


def _completion_big(rate: float) -> list[dict]:
    s = "一般公共预算财政拨款支出年初预算为10210.34万元，支出决算为9746.50万元，完成年初预算的X%"
    return [F("budget_total", "amount", 10210.34, "万元", start=0, subject="一般公共预算财政拨款支出年初预算", sentence=s),
            F("expense_total", "amount", 9746.50, "万元", start=20, subject="支出决算", sentence=s),
            F("budget_total", "completion", rate, "%", start=40, subject="完成年初预算", sentence=s)]


def _completion_final_first(rate: float) -> list[dict]:
    return [F("sangong", "amount", 0.86, "万元", start=0, subject="本年三公经费支出", sentence=_S2),
            F("budget_total", "amount", 1.13, "万元", start=20, subject="年初预算", sentence=_S2),
            F("budget_total", "completion", rate, "%", start=40, subject="完成预算", sentence=_S2)]


def _clause_completion(sub_budget: float | None, sub_final: float, sub_rate: float) -> list[dict]:
    """“预算10.00万元，决算8.00万元，完成80.00%，其中：会议费[预算B万元，]决算F万元，完成预算的R%”."""
    s = "预算10.00万元，决算8.00万元，完成80.00%，其中：会议费预算B万元，决算F万元，完成预算的R%"
    facts = [F("budget_total", "amount", 10.00, "万元", start=0, subject="预算", sentence=s),
             F("expense_total", "amount", 8.00, "万元", start=10, subject="决算", sentence=s),
             F("budget_total", "completion", 80.00, "%", start=20, subject="完成", sentence=s)]
    if sub_budget is not None:
        facts.append(F("budget_total", "amount", sub_budget, "万元", start=35, subject="会议费预算", sentence=s))
    return facts + [F("expense_total", "part", sub_final, "万元", start=45, subject="会议费决算", sentence=s),
                    F("budget_total", "completion", sub_rate, "%", start=60, subject="完成预算", sentence=s)]


CASES: list[Case] = [
    # IT033: 500.12 / 472.9 = 105.756% ; 27.22% fires
    # severity: 78.54 / 105.76 = 74 % -> high
    Case("IT033", "fires", frames(facts=_completion(27.22)), 1, expected="105.76%", severity="high"),
    Case("IT033", "quiet", frames(facts=_completion(105.76)), 0),
    # 决算 stated before 预算: “三公经费支出0.86万元，年初预算1.13万元，完成预算76.11%”: 0.86 / 1.13 = 76.106%
    Case("IT033", "quiet-final-first", frames(facts=_completion_final_first(76.11)), 0),
    # severity: 55.29 / 131.40 = 42 % -> high
    Case("IT033", "fires-final-first", frames(facts=_completion_final_first(131.40)), 1, expected="76.11%", severity="high"),
    # 9746.50 / 10210.34 = 95.4574%: printed 95.45% is truncated (截位), not wrong; 95.44% is wrong
    Case("IT033", "quiet-truncated", frames(facts=_completion_big(95.45)), 0),
    # severity: 0.02 / 95.46 = 0.02 %, beyond twice the rounding envelope -> low
    Case("IT033", "fires-below-truncation", frames(facts=_completion_big(95.44)), 1, expected="95.46%", severity="low"),
    # a rate in a 其中 clause pairs only with its own clause: 会议费 决算 2.00 with no 预算 in the clause is
    # skipped (before: 2.00 ÷ 10.00 = 20% and 8.00 ÷ 10.00 = 80% ≠ 50% fired); the outer 8.00 ÷ 10.00 = 80.00% ✓
    Case("IT033", "quiet-own-clause", frames(facts=_clause_completion(None, 2.00, 50.00)), 0),
    # in its own clause: 会议费 2.00 ÷ 4.00 = 50.00%, printed 60.00%
    # severity: 10 / 60 = 17 % -> high
    Case("IT033", "fires-own-clause", frames(facts=_clause_completion(4.00, 2.00, 60.00)), 1, expected="50.00%", severity="high"),
    # 0 ÷ 0 (nothing budgeted, nothing spent) printed as 0.00% is no error
    Case("IT033", "quiet-zero-over-zero", frames(facts=_clause_completion(0.00, 0.00, 0.00)), 0),
    # no amount named as the budget: nothing to divide by with confidence, skipped
    Case("IT033", "quiet-no-budget-named", frames(facts=[
        F(None, "amount", 0.86, "万元", start=0, subject="支出", sentence=_S3),
        F(None, "amount", 1.13, "万元", start=12, subject="其他支出", sentence=_S3),
        F(None, "completion", 131.40, "%", start=24, sentence=_S3)]), 0),
]
