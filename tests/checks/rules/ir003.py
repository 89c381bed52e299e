"""Fire / quiet cases of IR003; expected values worked out by hand (comments beside each case)."""

from __future__ import annotations

from tests.checks.builders import F, P, frames, with_passages
from tests.checks.case import Case


def fund_frames(exp: float) -> dict:
    # 居民 income 11155.30 万元 then 支出 exp: 13688.72 / 11155.30 = 122.71 % -> 结余率 −22.71 % < −10 %
    text = f"2023年居民医保基金收入11155.30万元、支出{exp:.2f}万元。"
    i = F("fund_income", "amount", 11155.30, "万元", start=text.index("11155.30"), scheme="resident",
          subject="居民医保基金收入", sentence=text)
    e = F("expense_total", "amount", exp, "万元", start=text.index(f"{exp:.2f}"), subject="支出", sentence=text)
    return with_passages(frames(facts=[i, e]), [P(text)])


def _fund_share(pct: float) -> dict:
    text = f"城乡居民医保基金支出13688.72万元，占基金收入的{pct:.2f}%。"
    s = F("fund_income", "share", pct, "%", start=text.index(f"{pct:.2f}"), scheme="resident",
          subject="城乡居民医保基金支出", sentence=text)
    return with_passages(frames(facts=[s]), [P(text)])


CASES: list[Case] = [
    # IR003: 13688.72 / 11155.30 = 122.71 % -> 结余率 −22.71 %, 12.71 points below −10 %
    # severity: 结余率 −22.71 %, 12.71 points beyond −10 %: the check sets high
    Case("IR003", "fires", fund_frames(13688.72), 1, kind="fund_spending_over_income", actual="支出/收入 122.71%",
             contains=["122.71%", "-22.71%"], severity="high"),
    # severity: the same 122.71 %: high
    Case("IR003", "fires-stated-share", _fund_share(122.71), 1, actual="支出/收入 122.71%", severity="high"),
    # 11000.00 / 11155.30 = 98.61 % -> 结余率 +1.39 % (national 2023 +1.1 %)
    Case("IR003", "quiet", fund_frames(11000.00), 0),
]
