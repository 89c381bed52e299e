"""Fire / quiet cases of IT031; expected values worked out by hand (comments beside each case)."""

from __future__ import annotations

from tests.checks.builders import F, G, L, frames
from tests.checks.case import Case

_S4 = "本年支出合计766万元，基本支出459.16元，占59.94%"


_S5 = "2023年度一般公共预算财政拨款基本支出382.76万元，其中：人员经费355.84万元，占基本支出的80.75%"


def _unnamed_share(rate: float) -> list[dict]:
    s = "人员经费1041.05万元，占X%"
    return [F("basic_expense", "amount", 1297.94, "万元", start=0, subject="一般公共预算财政拨款基本支出",
              sentence="一般公共预算财政拨款基本支出1297.94万元。"),
            F("personnel_expense", "amount", 1041.05, "万元", start=30, subject="人员经费", sentence=s),
            F("personnel_expense", "share", rate, "%", start=45, subject="人员经费", sentence=s)]


def _misstated_whole(rate: float) -> list[dict]:
    return [F("basic_expense", "amount", 382.76, "万元", start=0, subject="一般公共预算财政拨款基本支出", sentence=_S5),
            F("personnel_expense", "part", 355.84, "万元", start=30, subject="人员经费", sentence=_S5),
            F("basic_expense", "share", rate, "%", start=50, subject="人员经费", sentence=_S5)]


CASES: list[Case] = [
    # IT031: 104.09 / 122.83 = 84.744% ; printed 94.74% fires, 84.74% quiet
    # severity: 10 / 94.74 = 10.6 % -> high
    Case("IT031", "fires", frames(facts=[F("basic_expense", "amount", 122.83, "万元", start=0, subject="基本支出"),
                                         F("personnel_expense", "amount", 104.09, "万元", start=30),
                                         F("personnel_expense", "share", 94.74, "%", start=50,
                                           sentence="人员经费104.09万元，占基本支出的94.74%")]), 1, expected="84.74%", severity="high"),
    # the whole is not named beside the share: skipped, not flagged
    Case("IT031", "quiet-unnamed-whole", frames(facts=[F("basic_expense", "amount", 122.83, "万元", start=0),
                                                       F("personnel_expense", "amount", 104.09, "万元", start=30),
                                                       F("personnel_expense", "share", 94.74, "%", start=50,
                                                         sentence="占总拨付资金比例为94.74%")]), 0),
    Case("IT031", "quiet", frames(facts=[F("basic_expense", "amount", 122.83, "万元", start=0),
                                         F("personnel_expense", "amount", 104.09, "万元", start=30),
                                         F("personnel_expense", "share", 84.74, "%", start=50)]), 0),
    # the whole in the previous sentence, unnamed by the share, but 人员经费 is a part of 基本支出:
    # 1041.05 / 1297.94 = 80.21% ; printed 77.25% fires
    # severity: 2.96 / 80.21 = 3.7 %, not a total -> medium
    Case("IT031", "fires-part-of-named-whole", frames(facts=_unnamed_share(77.25)), 1, expected="80.21%", severity="medium"),
    Case("IT031", "quiet-part-of-named-whole", frames(facts=_unnamed_share(80.21)), 0),
    # unit slip of the part: 459.16 / 766 = 59.94% for the digits; the slip is IT030's, the share is right
    Case("IT031", "quiet-unit-slip", frames(facts=[
        F("expense_total", "amount", 766, "万元", dec=0, start=0, subject="本年支出合计", sentence=_S4),
        F("basic_expense", "amount", 459.16, "元", start=12, subject="基本支出", sentence=_S4),
        F("basic_expense", "share", 59.94, "%", start=24, subject="基本支出", sentence=_S4)]), 0),
    # the text misstates the whole (382.76) but the share is of the table's 基本支出 440.69:
    # 355.84 / 440.69 = 80.747% -> the amount is the error (IT030), the share stays quiet
    Case("IT031", "quiet-share-of-table-figure", frames([L("t05", G, "basic", 440.69, key="total")],
                                                        facts=_misstated_whole(80.75)), 0),
    # same text, table agrees with the text: 355.84 / 382.76 = 92.97% ; 80.75% is wrong
    # severity: 12.22 / 92.97 = 13 % -> high
    Case("IT031", "fires-table-agrees", frames([L("t05", G, "basic", 382.76, key="total")],
                                               facts=_misstated_whole(80.75)), 1, expected="92.97%", severity="high"),
]
