"""Fire / quiet cases of IT011; expected values worked out by hand (comments beside each case)."""

from __future__ import annotations

from tests.checks.builders import I3, E, G, L, frames, t01
from tests.checks.case import Case


def _rotated(b02: float, a03: float, b03: float) -> list[dict]:
    return (t01(40.00) + [
        L("t02", "income", "total", 100.00, row=1, key="total"),
        L("t02", "income", "total", 60.00, row=2, code="2101501", name="行政运行"),
        L("t02", "income", "total", b02, row=3, code="2210201", name="住房公积金"),
        L("t03", E, "total", 100.00, row=1, key="total"),
        L("t03", E, "total", a03, row=2, code="2101501", name="行政运行"),
        L("t03", E, "total", b03, row=3, code="2210201", name="住房公积金")])


def _subject_carry(fiscal_carry: float | None) -> list[dict]:
    """01 年初结转和结余 112.88, all income 一般公共预算; 03 2120101 1105.68, 05 1092.80 (no 02)."""
    rows = [L("t01", I3, "final", 9746.50, row=1, key="income_gpb", section="income"),
            L("t01", I3, "final", 112.88, row=2, key="carryover_begin", section="income"),
            L("t03", E, "total", 1105.68, row=1, code="2120101"),
            L("t05", G, "total", 1092.80, row=1, code="2120101")]
    if fiscal_carry is not None:
        rows.append(L("t04", "fiscal_summary", "amount", fiscal_carry, row=2, key="carryover_begin", section="income"))
    return rows


def _misprinted_code(code03: str, name03: str) -> list[dict]:
    """02 prints 2101102 事业单位医疗 50.37; 03 the same amount under ``code03`` / ``name03`` (a real budget
    PDF printed its 类 as 7 in 03/05: 7 11 02)."""
    return (t01(40.00) + [
        L("t02", "income", "total", 100.00, row=1, key="total"),
        L("t02", "income", "total", 49.63, row=2, code="2101501", name="行政运行"),
        L("t02", "income", "total", 50.37, row=3, code="21011", name="行政事业单位医疗"),
        L("t02", "income", "total", 50.37, row=4, code="2101102", name="事业单位医疗"),
        L("t03", E, "total", 100.00, row=1, key="total"),
        L("t03", E, "total", 49.63, row=2, code="2101501", name="行政运行"),
        L("t03", E, "total", 50.37, row=3, code="21011", name="行政事业单位医疗"),  # a leaf in 03 only
        L("t03", E, "total", 50.37, row=4, code=code03, name=name03)])


CASES: list[Case] = [
    # one 科目 under two codes, same name and amount (02: 2101102, 03: 71102, both 50.37): one low finding
    # naming both codes, not two high "amount moved" findings
    Case("IT011", "fires-code-misprinted", frames(_misprinted_code("71102", "事业单位医疗")), 1,
         contains=["编码 2101102", "编码 71102", "疑为科目编码印错"], expected="编码 2101102", actual="编码 71102",
         kind="cross_table_mismatch", severity="low"),
    # another name under the other code: not the same 科目, so each side stays an amount finding
    # (2101102 50.37 vs 0; 71102 0 vs 50.37; 21011, a leaf in 03 only, 50.37 vs 0 -> 100 % each -> high)
    Case("IT011", "fires-two-subjects-not-a-code-slip", frames(_misprinted_code("71102", "其他医疗支出")), 3,
         severity="high"),
    # IT011: rows swapped between 02 and 03 (no 结转): one finding per 科目, naming the other row
    # severity: 20 / 60 = 33 % -> high
    Case("IT011", "fires", frames(_rotated(40.00, 40.00, 60.00)), 2, contains=["见于", "疑为金额错行"],
         kind="cross_table_mismatch", severity="high"),
    Case("IT011", "quiet", frames(_rotated(40.00, 60.00, 40.00)), 0),
    # with 结转 in 01 the per-科目 comparison of 02 and 03 is not required
    Case("IT011", "quiet-carryover", frames([r for r in _rotated(40.00, 40.00, 60.00)]
                                            + [L("t01", I3, "final", 5.0, row=9, key="carryover_begin", section="income")]), 0),
    # 03 prints no 科目 rows (支出预算总表 by 用途), 05 prints 2101501 60.00 and 2210201 40.00: nothing to compare
    # (before: each 05 科目 > "0" in 03)
    Case("IT011", "quiet-03-without-subjects", frames(t01(40.00) + [
        L("t03", E, "total", 100.00, key="total"),
        L("t05", G, "total", 100.00, key="total"),
        L("t05", G, "total", 60.00, row=1, code="2101501"), L("t05", G, "total", 40.00, row=2, code="2210201")]), 0),
    # all income 一般公共预算 but 01 年初结转和结余 112.88 with no 财政拨款 结转 in 04: non-fiscal money, so 03 may
    # exceed 05 (the 规划 决算: 03 2120101 1105.68 vs 05 1092.80 is allowed, 05 ≤ 03)
    Case("IT011", "quiet-05-below-03-nonfiscal-carryover", frames(_subject_carry(fiscal_carry=None)), 0),
    # the same 结转 shown in 04 as 年初财政拨款结转和结余 112.88: fiscal money, so 05 = 03 is required and
    # 1092.80 ≠ 1105.68 fires (expected = 03 1105.68, actual = 05 1092.80)
    # severity: 12.88 / 1105.68 = 1.2 % on a 科目 row -> medium
    Case("IT011", "fires-05-below-03-fiscal-carryover", frames(_subject_carry(fiscal_carry=112.88)), 1,
         expected="1105.68万元", actual="1092.80万元", severity="medium"),
    # 05 above 03 is still wrong with 结转: 03 lists 2101501 60.00 only, 05 also 2210201 0.50 > 0 (a 科目 absent
    # from a table that lists 科目 is 0); amounts in the printed unit (0.50万元, not 5000.00万元)
    # severity: 0.50 vs 0.00 = 100 % -> high
    Case("IT011", "fires-05-above-03", frames(t01(40.00, carry=100.00) + [
        L("t03", E, "total", 60.00, row=1, code="2101501"),
        L("t05", G, "total", 60.00, row=1, code="2101501"), L("t05", G, "total", 0.50, row=2, code="2210201")]), 1,
         actual="0.50万元", expected="0.00万元", severity="high"),
]
