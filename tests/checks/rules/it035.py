"""Fire / quiet cases of IT035; expected values worked out by hand (comments beside each case)."""

from __future__ import annotations

from tests.checks.builders import F, frames
from tests.checks.case import Case


def _deficit(balance: float) -> list[dict]:
    return [F("fund_income", "amount", 105519.85, "万元", start=0, scheme="resident"),
            F("fund_expense", "amount", 107170.34, "万元", start=20, scheme="resident"),
            F("fund_balance_current", "amount", balance, "万元", start=40, scheme="resident")]


CASES: list[Case] = [
    # IT035: 5.2 − 4.8 = 0.4 亿元 but 结余 0.6
    # severity: 0.2 / 0.6 = 33 % -> high
    Case("IT035", "fires", frames(facts=[F("fund_income", "amount", 5.2, "亿元", dec=1, start=0),
                                         F("fund_expense", "amount", 4.8, "亿元", dec=1, start=20),
                                         F("fund_balance_current", "amount", 0.6, "亿元", dec=1, start=40)]), 1,
         expected="0.4亿元", severity="high"),
    Case("IT035", "quiet", frames(facts=[F("fund_income", "amount", 5.2, "亿元", dec=1, start=0),
                                         F("fund_expense", "amount", 4.8, "亿元", dec=1, start=20),
                                         F("fund_balance_current", "amount", 0.4, "亿元", dec=1, start=40)]), 0),
    # a deficit: 105519.85 − 107170.34 = −1650.49 万元 ; stated −1650.49 quiet, −975.18 fires
    Case("IT035", "quiet-deficit", frames(facts=_deficit(-1650.49)), 0),
    # severity: 675.31 / 1650.49 = 41 % -> high
    Case("IT035", "fires-deficit", frames(facts=_deficit(-975.18)), 1, expected="-1650.49万元", severity="high"),
]
