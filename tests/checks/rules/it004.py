"""Fire / quiet cases of IT004; expected values worked out by hand (comments beside each case)."""

from __future__ import annotations

from tests.checks.builders import L, frames
from tests.checks.case import Case


def _by_use(basic: float) -> list[dict]:
    rows = [("一、基本支出", basic), ("二、项目支出", 6459.58), ("三、单位预留机动经费", 2557.89)]
    return [*(L("t04", "fiscal_summary", "amount", v, row=3 + k, name=n, section="expense") for k, (n, v) in enumerate(rows)),
            L("t04", "fiscal_summary", "amount", 18330.37, row=6, key="expense_total", section="expense", name="支出合计",
              row_kind="total")]


CASES: list[Case] = [
    # IT004 T04-1: 本年收入合计 101.00 vs 一般公共预算 100.00
    # severity: 1 / 101 = 0.99 % (≥ 0.5 %, under 1 % on a total) -> medium
    Case("IT004", "fires", frames([L("t04", "fiscal_summary", "amount", 100.00, key="income_gpb", section="income"),
                                   L("t04", "fiscal_summary", "amount", 101.00, key="income_total", section="income")]),
         1, expected="100.00万元", actual="101.00万元", severity="medium"),
    Case("IT004", "quiet", frames([L("t04", "fiscal_summary", "amount", 100.00, key="income_gpb", section="income"),
                                   L("t04", "fiscal_summary", "amount", 100.00, key="income_total", section="income")]), 0),
    # IT004 T04-u: a 预算 财政拨款收支总表 listing 支出 by use; 基本支出 printed 8,312.90 instead of 9,312.90:
    # 8,312.90 + 6,459.58 + 2,557.89 = 17,330.37 vs 支出合计 18,330.37; 1000 / 18330.37 = 5.5 % (≥ 5 %) -> high
    Case("IT004", "fires-by-use", frames(_by_use(8312.90)), 1, expected="17330.37万元", actual="18330.37万元",
         severity="high"),
    # the printed figures: 9,312.90 + 6,459.58 + 2,557.89 = 18,330.37
    Case("IT004", "quiet-by-use", frames(_by_use(9312.90)), 0),
    # a 支出 line that is neither a 类 nor a use: the by-use rows may not be the whole, so no sum is checked
    Case("IT004", "quiet-by-use-with-other-line", frames([*_by_use(8312.90), L("t04", "fiscal_summary", "amount", 1000.00, row=7,
                                                          name="四、其他", section="expense")]), 0),
]
