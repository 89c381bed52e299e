"""Fire / quiet cases of IT032; expected values worked out by hand (comments beside each case)."""

from __future__ import annotations

from tests.checks.builders import F, frames
from tests.checks.case import Case


def _growth(rate: float) -> list[dict]:
    return [F("expense_total", "amount", 519.07, "万元", start=0),
            F("expense_total", "change", 32.19, "万元", start=20, direction="increase"),
            F("expense_total", "growth", rate, "%", start=40, direction="increase")]


def _growth_change_after(rate: float) -> list[dict]:
    s = "本年度一般公共预算财政拨款支出共计1986.61万元，同比增加X%（增加103.61万元）"
    return [F("expense_total", "amount", 1986.61, "万元", start=0, subject="一般公共预算财政拨款支出", sentence=s),
            F("expense_total", "growth", rate, "%", start=20, direction="increase", sentence=s),
            F("expense_total", "change", 103.61, "万元", start=40, direction="increase", sentence=s)]


def _opposite(rate: float, rate_direction: str) -> list[dict]:
    s = "项目经费6459.58万元，统一压减X%，专项增加200万元"
    return [F("project_expense", "amount", 6459.58, "万元", start=0, subject="项目经费", sentence=s),
            F("amount", "growth", rate, "%", start=20, direction=rate_direction, sentence=s),
            F("amount", "change", 200, "万元", dec=0, start=30, direction="increase", subject="专项", sentence=s)]


def _last_year_base(rate: float) -> list[dict]:
    s = "与2022年度相比(2022年度支出为8648.07万元),增加498.72万元,增长X%"
    return [F("expense_total", "amount", 8648.07, "万元", start=0, period="2022年", sentence=s),
            F("expense_total", "change", 498.72, "万元", start=20, direction="increase", sentence=s),
            F("expense_total", "growth", rate, "%", start=40, direction="increase", sentence=s)]


CASES: list[Case] = [
    # IT032: 32.19 / (519.07 − 32.19 = 486.88) = 6.6115% ; 6.76% fires, 6.61% quiet
    # severity: 0.15 / 6.76 = 2.2 % -> medium
    Case("IT032", "fires", frames(facts=_growth(6.76)), 1, expected="6.61%", severity="medium"),
    Case("IT032", "quiet", frames(facts=_growth(6.61)), 0),
    # rate before its change: “支出1986.61万元，同比增加5.50%（增加103.61万元）”:
    # 103.61 / (1986.61 − 103.61 = 1883.00) = 5.5024%
    # “2万元” printed without decimals is 1.5–2.5, so last year 2 − 1.56 is [−0.065, 0.945]: it may be 0 and
    # any rate is within rounding (354.55% = 1.56 / 0.44 is the rate of the printed digits)
    Case("IT032", "quiet-base-may-be-zero", frames(facts=[
        F("expense_total", "amount", 2, "万元", dec=0, start=0),
        F("expense_total", "change", 1.56, "万元", start=20, direction="increase"),
        F("expense_total", "growth", 354.55, "%", start=40, direction="increase")]), 0),
    # a new item: 增加307.82万元 of 307.82万元 means last year 0; the rate is undefined, 100% is how it is printed
    Case("IT032", "quiet-new-item", frames(facts=[
        F("expense_total", "amount", 307.82, "万元", start=0),
        F("expense_total", "change", 307.82, "万元", start=20, direction="increase"),
        F("expense_total", "growth", 100.00, "%", start=40, direction="increase")]), 0),
    # “项目经费6459.58万元，统一压减10%，…专项增加200万元”: a decrease rate is not paired with an increase
    # (200 ÷ (6459.58 + 200) = 3.00% would have fired); an increase of 200 on 6459.58 is 200 ÷ 6259.58 = 3.195%
    Case("IT032", "quiet-opposite-direction", frames(facts=_opposite(10.00, "decrease")), 0),
    # severity: 6.80 / 10.00 = 68 % -> high
    Case("IT032", "fires-same-direction", frames(facts=_opposite(10.00, "increase")), 1, expected="3.20%", severity="high"),
    # last year's amount stated in the text: 498.72 ÷ 8648.07 = 5.767% (not 498.72 ÷ (8648.07 − 498.72) = 6.12%)
    Case("IT032", "quiet-base-stated-for-last-year", frames(facts=_last_year_base(5.77)), 0),
    # severity: 0.35 / 6.12 = 5.7 % -> high
    Case("IT032", "fires-base-stated-for-last-year", frames(facts=_last_year_base(6.12)), 1, expected="5.77%", severity="high"),
    # a last-year period carried over from an earlier sentence does not make the amount last year's:
    # “预留机动经费预算数为3990.40万元。与上年相比增加1602.36万元，增长67.10%”: 1602.36 ÷ (3990.40 − 1602.36 = 2388.04)
    # = 67.099% ✓ (÷ 3990.40 would give 40.16%)
    Case("IT032", "quiet-carried-period", frames(facts=[
        F("amount", "amount", 3990.40, "万元", start=0, period="2022年", subject="单位预留机动经费预算数",
          sentence="单位预留机动经费预算数为3990.40万元。"),
        F("amount", "change", 1602.36, "万元", start=30, direction="increase", period="2022年",
          sentence="与上年相比增加1602.36万元,增长67.10%"),
        F("amount", "growth", 67.10, "%", start=45, direction="increase", period="2022年",
          sentence="与上年相比增加1602.36万元,增长67.10%")]), 0),
    Case("IT032", "quiet-change-after-rate", frames(facts=_growth_change_after(5.50)), 0),
    # severity: 1.00 / 6.50 = 15 % -> high
    Case("IT032", "fires-change-after-rate", frames(facts=_growth_change_after(6.50)), 1, expected="5.50%", severity="high"),
]
