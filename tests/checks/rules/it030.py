"""Fire / quiet cases of IT030; expected values worked out by hand (comments beside each case)."""

from __future__ import annotations

from tests.checks.builders import B06, I3, E, F, G, L, frames
from tests.checks.case import Case

CASES: list[Case] = [
    # IT030: text 104.90 vs 06 人员经费合计 104.09; unit slip 104.09元
    # severity: 0.81 / 104.90 = 0.77 % -> medium
    Case("IT030", "fires", frames([L("t06", B06, "final", 104.09, key="personnel_total")],
                                  facts=[F("personnel_expense", "amount", 104.90, "万元", subject="人员经费")]), 1,
         kind="text_table_mismatch", expected="104.09万元", severity="medium"),
    Case("IT030", "quiet-unit-slip-is-IT036", frames([L("t06", B06, "final", 104.09, key="personnel_total")],
                                                     facts=[F("personnel_expense", "amount", 104.09, "元", subject="人员经费")]), 0),
    Case("IT030", "quiet", frames([L("t06", B06, "final", 104.09, key="personnel_total")],
                                  facts=[F("personnel_expense", "amount", 104.09, "万元", subject="人员经费")]), 0),
    # a sub-item's "支出决算为4.85万元" is not the table total
    Case("IT030", "quiet-subitem", frames([L("t03", E, "total", 362.62, key="total")],
                                          facts=[F("expense_total", "amount", 4.85, "万元", subject="支出决算")]), 0),
    # “住房改革支出(款)：2018年预算支出合计3660.38万元” is the 款's total, not the 01 table's 本年支出合计 21940.96
    Case("IT030", "quiet-subject-level-total", frames([
        L("t01", I3, "final", 21940.96, key="expense_total", section="expense")], facts=[
        F("expense_total", "amount", 3660.38, "万元", subject="预算支出合计",
          sentence="住房改革支出(款)：2018年预算支出合计3660.38万元。")]), 0),
    # the same sentence without the 科目 level is the table total: 3660.38 ≠ 21940.96 fires
    # severity: 18280.58 / 21940.96 = 83 % -> high
    Case("IT030", "fires-total-without-subject-level", frames([
        L("t01", I3, "final", 21940.96, key="expense_total", section="expense")], facts=[
        F("expense_total", "amount", 3660.38, "万元", subject="预算支出合计",
          sentence="2018年预算支出合计3660.38万元。")]), 1, expected="21940.96万元", severity="high"),
    # “本年支出预算合计21955.35” is every fund's; the 一般公共预算支出表 合计 21940.96 holds 财政拨款 only
    # (21940.96 + 其他资金14.39 = 21955.35): not compared, and no all-funds table -> not checked
    Case("IT030", "quiet-all-funds-total-vs-fiscal-table", frames([L("t07", G, "total", 21940.96, key="total")], facts=[
        F("expense_total", "amount", 21955.35, "万元", subject="本年支出预算合计",
          sentence="本年支出预算合计21955.35万元，其中：")]), 0),
    # the same total against the 收支总表's 本年支出合计 21940.96: every fund on both sides, 14.39 apart fires
    # severity: 14.39 / 21955.35 = 0.066 % -> medium
    Case("IT030", "fires-all-funds-total-vs-summary", frames([
        L("t01", I3, "final", 21940.96, key="expense_total", section="expense")], facts=[
        F("expense_total", "amount", 21955.35, "万元", subject="本年支出预算合计",
          sentence="本年支出预算合计21955.35万元，其中：")]), 1, expected="21940.96万元", severity="medium"),
    # a total naming 一般公共预算 is compared with the 一般公共预算支出表: 21940.96 = 21940.96 passes
    Case("IT030", "quiet-fiscal-total-vs-fiscal-table", frames([L("t07", G, "total", 21940.96, key="total")], facts=[
        F("expense_total", "amount", 21940.96, "万元", subject="一般公共预算支出合计",
          sentence="一般公共预算支出合计21940.96万元。")]), 0),
    Case("IT030", "fires-fiscal-total-vs-fiscal-table", frames([L("t07", G, "total", 21940.96, key="total")], facts=[
        F("expense_total", "amount", 21955.35, "万元", subject="一般公共预算支出合计",
          sentence="一般公共预算支出合计21955.35万元。")]), 1, expected="21940.96万元", severity="medium"),
]
