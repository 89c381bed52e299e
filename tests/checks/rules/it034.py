"""Fire / quiet cases of IT034; expected values worked out by hand (comments beside each case)."""

from __future__ import annotations

from tests.checks.builders import F, frames
from tests.checks.case import Case

CASES: list[Case] = [
    # IT034: 资金使用率 41.76% then 41.96%
    # severity: 0.20 / 41.96 = 0.48 % (under 0.5 %) -> low
    Case("IT034", "fires", frames(facts=[F("fund_use_rate", "rate", 41.76, "%", subject="资金使用率", start=0),
                                         F("fund_use_rate", "rate", 41.96, "%", subject="资金使用率", start=300,
                                           passage="p2")]), 1,
         contains=["41.76%", "41.96%"], severity="low"),
    Case("IT034", "quiet", frames(facts=[F("fund_use_rate", "rate", 41.76, "%", subject="资金使用率", start=0),
                                         F("fund_use_rate", "rate", 41.76, "%", subject="资金使用率", start=300,
                                           passage="p2")]), 0),
    # 04 表's 支出总计 (财政拨款收入总计X，支出总计X) and 01 表's (决算收入总计Y，支出总计Y) are different items
    Case("IT034", "quiet-different-scope", frames(facts=[
        F("amount", "amount", 1246.05, "万元", subject="支出总计", start=20, passage="p1",
          sentence="2022年度财政拨款收入总计1246.05万元,支出总计1246.05万元;"),
        F("amount", "amount", 1278.20, "万元", subject="支出总计", start=40, passage="p2",
          sentence="本局2022年度决算收入总计1278.20万元,支出总计1278.20万元,同比减少44.10万元")]), 0),
]
