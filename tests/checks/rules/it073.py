"""Fire / quiet cases of IT073 (partition claims); expected values worked out by hand beside each case."""

from __future__ import annotations

from tests.checks.builders import P, frames, with_passages
from tests.checks.case import Case


def _text(text: str) -> dict:
    return with_passages(frames(), [P(text, role="fund_operation")])


CASES: list[Case] = [
    # 7972 + 4572 + 585 = 13129 = the whole
    Case("IT073", "quiet", _text("职工医保基金收入总额13129万元，其中统筹基金7972万元，个人账户基金4572万元，大病互助基金585万元。"), 0),
    # 9972 + 4572 + 585 = 15129 > 13129 (2000 / 15129 = 13 % -> high)
    Case("IT073", "fires", _text("职工医保基金收入总额13129万元，其中统筹基金9972万元，个人账户基金4572万元，大病互助基金585万元。"), 1,
         expected="≤ 13129万元", actual="15129万元", kind="fund_arithmetic", severity="high"),
    # the list ends where a clause opens a new topic (a date): 58548.19 is no part of 13129
    Case("IT073", "quiet-list-ends-at-new-topic", _text(
        "职工医保基金收入总额13129万元，其中统筹基金7972万元，个人账户基金4572万元；截止2021年11月30日，城乡居民医保已到位58548.19万元。"), 0),
    # parts of a change are change amounts of the same direction: 399.09 + 9.56 = 408.65
    Case("IT073", "quiet-parts-of-change", _text("与上年相比减少408.65万元，其中财政拨款收入减少399.09万元，政府性基金收入减少9.56万元。"), 0),
]

# a list closed by its residual item names every part: 950.12 + 262.00 + 0.00 = 1212.12 quiet; with the whole
# printed 2212.12 the parts fall short by 1000 (1000 / 2212.12 = 45 % -> high)
_CLOSED = "收入预算{}万元，其中：财政拨款收入950.12万元，比上年增加0.46万元；事业收入262.00万元；其他收入0.00万元。"
CASES += [
    Case("IT073", "quiet-closed-list", _text(_CLOSED.format("1212.12")), 0),
    Case("IT073", "fires-closed-list", _text(_CLOSED.format("2212.12")), 1, expected="= 2212.12万元",
         actual="1212.12万元", severity="high"),
]

# reasons netted against each other: 423.62 + 9.56 + 3.23 − 15.13 = 421.28; stated 431.28 is 10.00 off
# (10 / 431.28 = 2.3 % -> medium)
_REASONS = "支出比上年减少{}万元，主要是因为减少卫生健康支出423.62万元、其他支出9.56万元、一般公共服务支出3.23万元，增加住房保障支出15.13万元。"
# a budget and its adjustment: 140.07 + 99.72 = 239.79; printed 249.79 is 10.00 off (10 / 249.79 = 4.0 % -> medium)
_BUDGET = "项目支出全年预算数{}万元，年初预算数为140.07万元，年中追加预算99.72万元。"
CASES += [
    Case("IT073", "quiet-netted-reasons", _text(_REASONS.format("421.28")), 0),
    Case("IT073", "fires-netted-reasons", _text(_REASONS.format("431.28")), 1, expected="= 431.28万元",
         actual="421.28万元", kind="fund_arithmetic", severity="medium"),
    Case("IT073", "quiet-budget-adjustment", _text(_BUDGET.format("239.79")), 0),
    Case("IT073", "fires-budget-adjustment", _text(_BUDGET.format("249.79")), 1, expected="= 249.79万元",
         actual="239.79万元", kind="fund_arithmetic", severity="medium"),
]
