"""Fire / quiet cases per check code. Expected values computed by hand (shown in comments)."""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.checks.builders import F, L, frames
from tests.checks.builders import Ind as I

E, I3, G, B06, S7 = "expense", "income_expense_summary", "gpb_expense", "gpb_basic_expense", "sangong"


@dataclass
class Case:
    code: str
    name: str
    frames: dict
    fires: int  # number of findings of this code expected
    expected: str | None = None
    actual: str | None = None
    kind: str | None = None
    contains: list[str] = field(default_factory=list)
    max_severity: str | None = None


def _t03(second: float) -> list[dict]:
    return [L("t03", E, "total", 30.00, row=1, key="total", name="合计"),
            L("t03", E, "total", 10.00, row=2, code="2101101", name="行政单位医疗"),
            L("t03", E, "total", second, row=3, code="2101102", name="事业单位医疗")]


def _t01(c221: float, carry: float | None = None) -> list[dict]:
    rows = [L("t01", I3, "final", 100.00, row=1, key="income_gpb", section="income"),
            L("t01", I3, "final", 100.00, row=2, key="income_total", section="income"),
            L("t01", I3, "final", 100.00, row=3, key="grand_total", section="income"),
            L("t01", I3, "final", 60.00, row=1, code="210", name="卫生健康支出", section="expense"),
            L("t01", I3, "final", c221, row=2, code="221", name="住房保障支出", section="expense"),
            L("t01", I3, "final", 100.00, row=3, key="expense_total", section="expense"),
            L("t01", I3, "final", 100.00, row=4, key="grand_total", section="expense")]
    if carry is not None:
        rows.append(L("t01", I3, "final", carry, row=5, key="carryover_end", section="expense"))
    return rows


def _rotated(b02: float, a03: float, b03: float) -> list[dict]:
    return (_t01(40.00) + [
        L("t02", "income", "total", 100.00, row=1, key="total"),
        L("t02", "income", "total", 60.00, row=2, code="2101501", name="行政运行"),
        L("t02", "income", "total", b02, row=3, code="2210201", name="住房公积金"),
        L("t03", E, "total", 100.00, row=1, key="total"),
        L("t03", E, "total", a03, row=2, code="2101501", name="行政运行"),
        L("t03", E, "total", b03, row=3, code="2210201", name="住房公积金")])


def _self_eval(total: float, rate_raw: float, score: float, executed: float = 1.976) -> list[dict]:
    t = "project_self_eval"
    return [L("t11", t, "budget_full", 86.031, key="fund_total", dec=3),
            L("t11", t, "executed", executed, key="fund_total", dec=3),
            L("t11", t, "exec_rate", rate_raw, key="fund_total", dec=1, unit="%", scale=1.0),
            L("t11", t, "weight", 10, key="fund_total", dec=0, unit="分", scale=1.0),
            L("t11", t, "score", score, key="fund_total", dec=0, unit="分", scale=1.0)]


def _fund_block(total_exec: float) -> list[dict]:
    t = "project_self_eval"
    return [L("t11", t, m, v, row=1, key="fund_total", dec=d) for m, v, d in
            (("budget_initial", 90, 0), ("budget_full", 89.974, 3), ("executed", total_exec, 3))] + [
            L("t11", t, m, v, row=2, key="fund_current", dec=d) for m, v, d in
            (("budget_initial", 90, 0), ("budget_full", 89.974, 3), ("executed", 89.974, 3))]


def _scores(total_score: float, over: float = 40) -> list[dict]:
    return [I("t11", 1, "budget_execution", 10, 2, level1="预算执行率"),
            I("t11", 2, "indicator", 50, over, level1="产出指标", level1_weight=50),
            I("t11", 3, "indicator", 40, 40, level1="效益指标", level1_weight=40),
            I("t11", 4, "total", 100, total_score)]


def _growth(rate: float) -> list[dict]:
    return [F("expense_total", "amount", 519.07, "万元", start=0),
            F("expense_total", "change", 32.19, "万元", start=20, direction="increase"),
            F("expense_total", "growth", rate, "%", start=40, direction="increase")]



_S1 = "预算为472.9万元，支出决算为500.12万元，完成预算的X%"
_S2 = "本年“三公”经费支出0.86万元，年初预算1.13万元，完成预算X%"
_S3 = "支出0.86万元，其他支出1.13万元，完成X%"
_S4 = "本年支出合计766万元，基本支出459.16元，占59.94%"
_S5 = "2023年度一般公共预算财政拨款基本支出382.76万元，其中：人员经费355.84万元，占基本支出的80.75%"


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


def _growth_change_after(rate: float) -> list[dict]:
    s = "本年度一般公共预算财政拨款支出共计1986.61万元，同比增加X%（增加103.61万元）"
    return [F("expense_total", "amount", 1986.61, "万元", start=0, subject="一般公共预算财政拨款支出", sentence=s),
            F("expense_total", "growth", rate, "%", start=20, direction="increase", sentence=s),
            F("expense_total", "change", 103.61, "万元", start=40, direction="increase", sentence=s)]


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


def _deficit(balance: float) -> list[dict]:
    return [F("fund_income", "amount", 105519.85, "万元", start=0, scheme="resident"),
            F("fund_expense", "amount", 107170.34, "万元", start=20, scheme="resident"),
            F("fund_balance_current", "amount", balance, "万元", start=40, scheme="resident")]


def _project_pair(basic_final: float) -> list[dict]:
    """A 项目支出绩效自评表 (project 测试项目) and the 基础数据表 row 测试项目经费 for the same project."""
    return [
        L("t12", "project_self_eval", "budget_full", 25.0, key="fund_total"),
        L("t12", "project_self_eval", "executed", 10.44, key="fund_total"),
        L("t10", "basic_data", "budget", 25.0, section="project", name="测试项目经费", row_kind="item"),
        L("t10", "basic_data", "final", basic_final, section="project", name="测试项目经费", row_kind="item"),
    ]

def _b06_columns(personnel_subtotal: float) -> list[dict]:
    """A 预算 06 table printing 合计 | 人员经费 | 公用经费 as columns (each class once per column).

    合计: 301 95.22 = 30101 32.15 + 30102 63.07; 302 10.00 = 30201 10.00; 合计 105.22.
    人员经费 column: 301 95.22 (same 款), 302 0.00; 公用经费 column: 301 0.00, 302 10.00.
    """
    rows = []
    for measure, v301, v302 in (("final", 95.22, 10.00), ("personnel", 95.22, 0.00), ("public", 0.00, 10.00)):
        k = 1.0 if v301 else 0.0
        rows += [L("t06", B06, measure, v301, row=1, code="301"),
                 L("t06", B06, measure, 32.15 * k, row=2, code="30101"),
                 L("t06", B06, measure, 63.07 * k, row=3, code="30102"),
                 L("t06", B06, measure, v302, row=4, code="302"),
                 L("t06", B06, measure, v302, row=5, code="30201")]
    rows += [L("t06", B06, "final", 105.22, row=6, key="total"),
             L("t06", B06, "personnel", personnel_subtotal, row=6, key="total"),
             L("t06", B06, "public", 10.00, row=6, key="total")]
    return rows


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


def _subject_carry(fiscal_carry: float | None) -> list[dict]:
    """01 年初结转和结余 112.88, all income 一般公共预算; 03 2120101 1105.68, 05 1092.80 (no 02)."""
    rows = [L("t01", I3, "final", 9746.50, row=1, key="income_gpb", section="income"),
            L("t01", I3, "final", 112.88, row=2, key="carryover_begin", section="income"),
            L("t03", E, "total", 1105.68, row=1, code="2120101"),
            L("t05", G, "total", 1092.80, row=1, code="2120101")]
    if fiscal_carry is not None:
        rows.append(L("t04", "fiscal_summary", "amount", fiscal_carry, row=2, key="carryover_begin", section="income"))
    return rows


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
    # IT001: 合计 30.00 vs 10.00 + 20.05 = 30.05 -> fires; 20.00 quiet
    Case("IT001", "fires", frames(_t03(20.05)), 1, expected="30.05万元", actual="30.00万元", kind="broken_footing"),
    Case("IT001", "quiet", frames(_t03(20.00)), 0),
    # 30.00 vs 10.00 + 20.01: [29.995, 30.005] and [30.00, 30.02] overlap -> rounding, quiet
    Case("IT001", "quiet-rounding-0.01", frames(_t03(20.01)), 0),
    # rounding only: 合计 30.1 (±0.05) vs 10.04 + 20.04 = 30.08 (±0.01) overlap -> quiet
    Case("IT001", "quiet-rounding", frames([L("t03", E, "total", 30.1, row=1, key="total", dec=1),
                                            L("t03", E, "total", 10.04, row=2, code="2101101"),
                                            L("t03", E, "total", 20.04, row=3, code="2101102")]), 0),
    # IT002: 12.54 vs 2.11 + 10.53 = 12.64
    Case("IT002", "fires", frames([L("t03", E, "total", 12.54, code="2101101"), L("t03", E, "basic", 2.11, code="2101101"),
                                   L("t03", E, "project", 10.53, code="2101101")]), 1, expected="12.64万元",
         actual="12.54万元"),
    Case("IT002", "quiet", frames([L("t03", E, "total", 12.54, code="2101101"), L("t03", E, "basic", 2.11, code="2101101"),
                                   L("t03", E, "project", 10.43, code="2101101")]), 0),
    # IT003 T01-5: 本年支出合计 100.00 vs 60.00 + 45.00 = 105.00
    Case("IT003", "fires", frames(_t01(45.00)), 1, expected="105.00万元", actual="100.00万元",
         contains=["本年支出合计"]),
    Case("IT003", "quiet", frames(_t01(40.00)), 0),
    # IT004 T04-1: 本年收入合计 101.00 vs 一般公共预算 100.00
    Case("IT004", "fires", frames([L("t04", "fiscal_summary", "amount", 100.00, key="income_gpb", section="income"),
                                   L("t04", "fiscal_summary", "amount", 101.00, key="income_total", section="income")]),
         1, expected="100.00万元", actual="101.00万元"),
    Case("IT004", "quiet", frames([L("t04", "fiscal_summary", "amount", 100.00, key="income_gpb", section="income"),
                                   L("t04", "fiscal_summary", "amount", 100.00, key="income_total", section="income")]), 0),
    # IT005: 301 95.22 vs 32.15 + 63.17 = 95.32
    Case("IT005", "fires", frames([L("t06", B06, "final", 95.22, row=1, code="301"),
                                   L("t06", B06, "final", 32.15, row=2, code="30101"),
                                   L("t06", B06, "final", 63.17, row=3, code="30102")]), 1, expected="95.32万元",
         actual="95.22万元"),
    Case("IT005", "quiet", frames([L("t06", B06, "final", 95.22, row=1, code="301"),
                                   L("t06", B06, "final", 32.15, row=2, code="30101"),
                                   L("t06", B06, "final", 63.07, row=3, code="30102"),
                                   L("t06", B06, "final", 95.22, row=4, key="personnel_total")]), 0),
    # IT006: 决算 合计 0.89 vs 0 + 0 + 0.98
    Case("IT006", "fires", frames([L("t07", S7, m, v, key="sangong") for m, v in
                                   (("final_total", 0.89), ("final_abroad", 0), ("final_vehicle", 0),
                                    ("final_reception", 0.98))]), 1, expected="0.98万元", actual="0.89万元"),
    Case("IT006", "quiet", frames([L("t07", S7, m, v, key="sangong") for m, v in
                                   (("final_total", 0.89), ("final_abroad", 0), ("final_vehicle", 0),
                                    ("final_reception", 0.89))]), 0),
    # IT007: 年末 9.56 vs 0 + 9.56 − 9.56 = 0.00
    Case("IT007", "fires", frames([L("t08", "gov_fund", m, v) for m, v in
                                   (("carryover_begin", 0), ("income", 9.56), ("total", 9.56), ("carryover_end", 9.56))]),
         1, expected="0.00万元", actual="9.56万元"),
    Case("IT007", "quiet", frames([L("t08", "gov_fund", m, v) for m, v in
                                   (("carryover_begin", 0), ("income", 9.56), ("total", 9.56), ("carryover_end", 0))]), 0),
    # IT010 X-2: 01 221 = 40.00 but 03 2210201 = 25.28; and 210: 60.00 vs 74.72
    Case("IT010", "fires", frames(_t01(40.00) + [L("t03", E, "total", 100.00, key="total"),
                                                 L("t03", E, "total", 74.72, row=1, code="2101501"),
                                                 L("t03", E, "total", 25.28, row=2, code="2210201")]), 2,
         contains=["25.28"]),
    Case("IT010", "quiet", frames(_t01(40.00) + [L("t03", E, "total", 100.00, key="total"),
                                                 L("t03", E, "total", 60.00, row=1, code="2101501"),
                                                 L("t03", E, "total", 40.00, row=2, code="2210201")]), 0),
    # a 支出预算总表 by 用途 (only a 合计 row, no 科目): 01's 类 210 60.00 / 221 40.00 are not compared with
    # "0" (blank is not zero); the totals 100.00 = 100.00 still are
    Case("IT010", "quiet-detail-without-subjects", frames(_t01(40.00) + [L("t03", E, "total", 100.00, key="total")]), 0),
    # a 04 表 whose 支出 side is by 用途 (no 类 rows) and a 05 table by 科目: X-5 by 类 is not applicable
    Case("IT010", "quiet-04-without-classes", frames([
        L("t04", "fiscal_summary", "gpb", 100.00, key="expense_total", section="expense"),
        L("t05", G, "total", 100.00, key="total"),
        L("t05", G, "total", 60.00, row=1, code="2101501"), L("t05", G, "total", 40.00, row=2, code="2210201")]), 0),
    # IT011: rows swapped between 02 and 03 (no 结转): one finding per 科目, naming the other row
    Case("IT011", "fires", frames(_rotated(40.00, 40.00, 60.00)), 2, contains=["见于", "疑为金额错行"],
         kind="cross_table_mismatch"),
    Case("IT011", "quiet", frames(_rotated(40.00, 60.00, 40.00)), 0),
    # with 结转 in 01 the per-科目 comparison of 02 and 03 is not required
    Case("IT011", "quiet-carryover", frames([r for r in _rotated(40.00, 40.00, 60.00)]
                                            + [L("t01", I3, "final", 5.0, row=9, key="carryover_begin", section="income")]), 0),
    # 预算 06 with 合计/人员经费/公用经费 columns: each column foots by itself (95.22 = 32.15 + 63.07 in 合计
    # and 人员经费, 0 = 0 + 0 in 公用经费; 302 10.00 = 30201 10.00), 人员经费 column 合计 95.22 = 301 95.22 (+ no 303),
    # 公用经费 column 合计 10.00 = 302 10.00. Summing the three columns together gave 301 95.22 vs 190.44.
    Case("IT005", "quiet-budget-columns", frames(_b06_columns(95.22)), 0),
    # the 人员经费 column's 合计 printed 95.32 but 301 + 303 of the 合计 column = 95.22
    Case("IT005", "fires-budget-column-subtotal", frames(_b06_columns(95.32)), 1, expected="95.22万元",
         actual="95.32万元"),
    # 03 prints no 科目 rows (支出预算总表 by 用途), 05 prints 2101501 60.00 and 2210201 40.00: nothing to compare
    # (before: each 05 科目 > "0" in 03)
    Case("IT011", "quiet-03-without-subjects", frames(_t01(40.00) + [
        L("t03", E, "total", 100.00, key="total"),
        L("t05", G, "total", 100.00, key="total"),
        L("t05", G, "total", 60.00, row=1, code="2101501"), L("t05", G, "total", 40.00, row=2, code="2210201")]), 0),
    # all income 一般公共预算 but 01 年初结转和结余 112.88 with no 财政拨款 结转 in 04: non-fiscal money, so 03 may
    # exceed 05 (the 规划 决算: 03 2120101 1105.68 vs 05 1092.80 is allowed, 05 ≤ 03)
    Case("IT011", "quiet-05-below-03-nonfiscal-carryover", frames(_subject_carry(fiscal_carry=None)), 0),
    # the same 结转 shown in 04 as 年初财政拨款结转和结余 112.88: fiscal money, so 05 = 03 is required and
    # 1092.80 ≠ 1105.68 fires (expected = 03 1105.68, actual = 05 1092.80)
    Case("IT011", "fires-05-below-03-fiscal-carryover", frames(_subject_carry(fiscal_carry=112.88)), 1,
         expected="1105.68万元", actual="1092.80万元"),
    # 05 above 03 is still wrong with 结转: 03 lists 2101501 60.00 only, 05 also 2210201 0.50 > 0 (a 科目 absent
    # from a table that lists 科目 is 0); amounts in the printed unit (0.50万元, not 5000.00万元)
    Case("IT011", "fires-05-above-03", frames(_t01(40.00, carry=100.00) + [
        L("t03", E, "total", 60.00, row=1, code="2101501"),
        L("t05", G, "total", 60.00, row=1, code="2101501"), L("t05", G, "total", 0.50, row=2, code="2210201")]), 1,
         actual="0.50万元", expected="0.00万元"),
    # IT012: 05 基本 122.83 vs 104.09 + 28.74 = 132.83
    Case("IT012", "fires", frames([L("t05", G, "basic", 122.83, key="total"),
                                   L("t06", B06, "final", 104.09, key="personnel_total"),
                                   L("t06", B06, "final", 28.74, key="public_total")]), 1, expected="132.83万元",
         actual="122.83万元"),
    Case("IT012", "quiet", frames([L("t05", G, "basic", 122.83, key="total"),
                                   L("t06", B06, "final", 104.09, key="personnel_total"),
                                   L("t06", B06, "final", 18.74, key="public_total")]), 0),
    # 预算 06 columns: 05 基本 105.22 = 合计 column's classes 95.22 + 10.00 (not 210.44 over all three columns)
    Case("IT012", "quiet-budget-columns", frames([L("t05", G, "basic", 105.22, key="total")] + _b06_columns(95.22)), 0),
    Case("IT012", "fires-budget-columns", frames([L("t05", G, "basic", 110.22, key="total")] + _b06_columns(95.22)), 1,
         expected="105.22万元", actual="110.22万元"),
    # IT013: 06 30217 公务接待费 8.31 > 三公 接待 0.30
    Case("IT013", "fires", frames([L("t06", B06, "final", 8.31, code="30217", name="公务接待费"),
                                   L("t07", S7, "final_reception", 0.30, key="sangong")]), 1, actual="8.31万元",
         expected="0.30万元"),
    Case("IT013", "quiet", frames([L("t06", B06, "final", 0.30, code="30217"),
                                   L("t07", S7, "final_reception", 0.30, key="sangong")]), 0),
    # a 三公 table whose unit line was not read (“单位：万” / “元” split over two lines) in a document whose other
    # money tables are all 万元: 06 30231 266.80 ≤ 三公 运行维护费 266.80 (not 0.03万元 read as 元)
    Case("IT013", "quiet-unitless-sangong", frames([
        L("t06", B06, "final", 266.80, code="30231", name="公务用车运行维护费"),
        {**L("t07", S7, "final_vehicle_operation", 266.80, key="sangong"), "unit": None, "scale": 1.0}]), 0),
    # the same table with 运行维护费 26.68: 266.80 > 26.68 fires, in 万元
    Case("IT013", "fires-unitless-sangong", frames([
        L("t06", B06, "final", 266.80, code="30231", name="公务用车运行维护费"),
        {**L("t07", S7, "final_vehicle_operation", 26.68, key="sangong"), "unit": None, "scale": 1.0}]), 1,
         actual="266.80万元", expected="26.68万元"),
    # IT020: 总分 87 vs 2 + 40 + 40 = 82
    Case("IT020", "fires", frames(indicators=_scores(87)), 1, expected="82分", actual="87分"),
    Case("IT020", "quiet", frames(indicators=_scores(82)), 0),
    # IT021: 得分 52 > 分值 50 (总分 92 = 2 + 52 + 40 keeps IT020 quiet)
    Case("IT021", "fires", frames(indicators=_scores(94, over=52)), 1, actual="52分", expected="50分"),
    Case("IT021", "quiet", frames(indicators=_scores(82)), 0),
    # IT022: 1.976 / 86.031 = 2.2968% (printed 2.3 ✓) but 得分 8 of 10 (linear 0.23) -> score finding
    Case("IT022", "fires-score", frames(_self_eval(0, 2.3, 8)), 1, kind="score_sum_mismatch", expected="0.23分"),
    # 39.41 / 86.031 = 45.81% printed 89.5% -> rate finding (score 5 ≈ linear 4.58: quiet)
    Case("IT022", "fires-rate", frames(_self_eval(0, 89.5, 5, executed=39.41)), 1, kind="wrong_percentage",
         expected="45.81%"),
    Case("IT022", "quiet", frames(_self_eval(0, 2.3, 0)), 0),
    # IT023: 年度资金总额 全年执行数 0 vs 当年财政拨款 89.974
    Case("IT023", "fires", frames(_fund_block(0)), 1, expected="89.974万元", actual="0.000万元"),
    Case("IT023", "quiet", frames(_fund_block(89.974)), 0),
    # IT024: 自评表 全年执行数 10.44 vs 基础数据表 决算数 10.49 (name typed differently: 测试项目经费)
    Case("IT024", "fires", frames(_project_pair(10.49)), 1, kind="cross_table_mismatch", expected="10.49万元",
         actual="10.44万元"),
    Case("IT024", "quiet", frames(_project_pair(10.44)), 0),
    # IT030: text 104.90 vs 06 人员经费合计 104.09; unit slip 104.09元
    Case("IT030", "fires", frames([L("t06", B06, "final", 104.09, key="personnel_total")],
                                  facts=[F("personnel_expense", "amount", 104.90, "万元", subject="人员经费")]), 1,
         kind="text_table_mismatch", expected="104.09万元"),
    Case("IT030", "quiet-unit-slip-is-IT036", frames([L("t06", B06, "final", 104.09, key="personnel_total")],
                                                     facts=[F("personnel_expense", "amount", 104.09, "元", subject="人员经费")]), 0),
    # IT036: text 104.09元 vs 06 人员经费合计 104.09 (万元): same digits, wrong unit
    Case("IT036", "fires", frames([L("t06", B06, "final", 104.09, key="personnel_total")],
                                  facts=[F("personnel_expense", "amount", 104.09, "元", subject="人员经费")]), 1,
         kind="unit_slip", expected="104.09万元", actual="104.09元"),
    Case("IT036", "quiet", frames([L("t06", B06, "final", 104.09, key="personnel_total")],
                                  facts=[F("personnel_expense", "amount", 104.09, "万元", subject="人员经费")]), 0),
    # a different amount in 元 is a mismatch (IT030), not a slip: 104.90元 has other digits
    Case("IT036", "quiet-other-digits", frames([L("t06", B06, "final", 104.09, key="personnel_total")],
                                               facts=[F("personnel_expense", "amount", 104.90, "元", subject="人员经费")]), 0),
    Case("IT030", "quiet", frames([L("t06", B06, "final", 104.09, key="personnel_total")],
                                  facts=[F("personnel_expense", "amount", 104.09, "万元", subject="人员经费")]), 0),
    # a sub-item's "支出决算为4.85万元" is not the table total
    Case("IT030", "quiet-subitem", frames([L("t03", E, "total", 362.62, key="total")],
                                          facts=[F("expense_total", "amount", 4.85, "万元", subject="支出决算")]), 0),
    # “住房改革支出(款)：2018年预算支出合计3660.38万元” is the 款's total, not the 07 table's 合计 21940.96
    Case("IT030", "quiet-subject-level-total", frames([L("t07", G, "total", 21940.96, key="total")], facts=[
        F("expense_total", "amount", 3660.38, "万元", subject="预算支出合计",
          sentence="住房改革支出(款)：2018年预算支出合计3660.38万元。")]), 0),
    # the same sentence without the 科目 level is the table total: 3660.38 ≠ 21940.96 fires
    Case("IT030", "fires-total-without-subject-level", frames([L("t07", G, "total", 21940.96, key="total")], facts=[
        F("expense_total", "amount", 3660.38, "万元", subject="预算支出合计",
          sentence="2018年预算支出合计3660.38万元。")]), 1, expected="21940.96万元"),
    # IT031: 104.09 / 122.83 = 84.744% ; printed 94.74% fires, 84.74% quiet
    Case("IT031", "fires", frames(facts=[F("basic_expense", "amount", 122.83, "万元", start=0, subject="基本支出"),
                                         F("personnel_expense", "amount", 104.09, "万元", start=30),
                                         F("personnel_expense", "share", 94.74, "%", start=50,
                                           sentence="人员经费104.09万元，占基本支出的94.74%")]), 1, expected="84.74%"),
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
    Case("IT031", "fires-part-of-named-whole", frames(facts=_unnamed_share(77.25)), 1, expected="80.21%"),
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
    Case("IT031", "fires-table-agrees", frames([L("t05", G, "basic", 382.76, key="total")],
                                               facts=_misstated_whole(80.75)), 1, expected="92.97%"),
    # IT032: 32.19 / (519.07 − 32.19 = 486.88) = 6.6115% ; 6.76% fires, 6.61% quiet
    Case("IT032", "fires", frames(facts=_growth(6.76)), 1, expected="6.61%"),
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
    Case("IT032", "fires-same-direction", frames(facts=_opposite(10.00, "increase")), 1, expected="3.20%"),
    # last year's amount stated in the text: 498.72 ÷ 8648.07 = 5.767% (not 498.72 ÷ (8648.07 − 498.72) = 6.12%)
    Case("IT032", "quiet-base-stated-for-last-year", frames(facts=_last_year_base(5.77)), 0),
    Case("IT032", "fires-base-stated-for-last-year", frames(facts=_last_year_base(6.12)), 1, expected="5.77%"),
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
    Case("IT032", "fires-change-after-rate", frames(facts=_growth_change_after(6.50)), 1, expected="5.50%"),
    # IT033: 500.12 / 472.9 = 105.756% ; 27.22% fires
    Case("IT033", "fires", frames(facts=_completion(27.22)), 1, expected="105.76%"),
    Case("IT033", "quiet", frames(facts=_completion(105.76)), 0),
    # 决算 stated before 预算: “三公经费支出0.86万元，年初预算1.13万元，完成预算76.11%”: 0.86 / 1.13 = 76.106%
    Case("IT033", "quiet-final-first", frames(facts=_completion_final_first(76.11)), 0),
    Case("IT033", "fires-final-first", frames(facts=_completion_final_first(131.40)), 1, expected="76.11%"),
    # 9746.50 / 10210.34 = 95.4574%: printed 95.45% is truncated (截位), not wrong; 95.44% is wrong
    Case("IT033", "quiet-truncated", frames(facts=_completion_big(95.45)), 0),
    Case("IT033", "fires-below-truncation", frames(facts=_completion_big(95.44)), 1, expected="95.46%"),
    # a rate in a 其中 clause pairs only with its own clause: 会议费 决算 2.00 with no 预算 in the clause is
    # skipped (before: 2.00 ÷ 10.00 = 20% and 8.00 ÷ 10.00 = 80% ≠ 50% fired); the outer 8.00 ÷ 10.00 = 80.00% ✓
    Case("IT033", "quiet-own-clause", frames(facts=_clause_completion(None, 2.00, 50.00)), 0),
    # in its own clause: 会议费 2.00 ÷ 4.00 = 50.00%, printed 60.00%
    Case("IT033", "fires-own-clause", frames(facts=_clause_completion(4.00, 2.00, 60.00)), 1, expected="50.00%"),
    # 0 ÷ 0 (nothing budgeted, nothing spent) printed as 0.00% is no error
    Case("IT033", "quiet-zero-over-zero", frames(facts=_clause_completion(0.00, 0.00, 0.00)), 0),
    # no amount named as the budget: nothing to divide by with confidence, skipped
    Case("IT033", "quiet-no-budget-named", frames(facts=[
        F(None, "amount", 0.86, "万元", start=0, subject="支出", sentence=_S3),
        F(None, "amount", 1.13, "万元", start=12, subject="其他支出", sentence=_S3),
        F(None, "completion", 131.40, "%", start=24, sentence=_S3)]), 0),
    # IT034: 资金使用率 41.76% then 41.96%
    Case("IT034", "fires", frames(facts=[F("fund_use_rate", "rate", 41.76, "%", subject="资金使用率", start=0),
                                         F("fund_use_rate", "rate", 41.96, "%", subject="资金使用率", start=300,
                                           passage="p2")]), 1,
         contains=["41.76%", "41.96%"]),
    Case("IT034", "quiet", frames(facts=[F("fund_use_rate", "rate", 41.76, "%", subject="资金使用率", start=0),
                                         F("fund_use_rate", "rate", 41.76, "%", subject="资金使用率", start=300,
                                           passage="p2")]), 0),
    # 04 表's 支出总计 (财政拨款收入总计X，支出总计X) and 01 表's (决算收入总计Y，支出总计Y) are different items
    Case("IT034", "quiet-different-scope", frames(facts=[
        F("amount", "amount", 1246.05, "万元", subject="支出总计", start=20, passage="p1",
          sentence="2022年度财政拨款收入总计1246.05万元,支出总计1246.05万元;"),
        F("amount", "amount", 1278.20, "万元", subject="支出总计", start=40, passage="p2",
          sentence="本局2022年度决算收入总计1278.20万元,支出总计1278.20万元,同比减少44.10万元")]), 0),
    # IT035: 5.2 − 4.8 = 0.4 亿元 but 结余 0.6
    Case("IT035", "fires", frames(facts=[F("fund_income", "amount", 5.2, "亿元", dec=1, start=0),
                                         F("fund_expense", "amount", 4.8, "亿元", dec=1, start=20),
                                         F("fund_balance_current", "amount", 0.6, "亿元", dec=1, start=40)]), 1,
         expected="0.4亿元"),
    Case("IT035", "quiet", frames(facts=[F("fund_income", "amount", 5.2, "亿元", dec=1, start=0),
                                         F("fund_expense", "amount", 4.8, "亿元", dec=1, start=20),
                                         F("fund_balance_current", "amount", 0.4, "亿元", dec=1, start=40)]), 0),
    # a deficit: 105519.85 − 107170.34 = −1650.49 万元 ; stated −1650.49 quiet, −975.18 fires
    Case("IT035", "quiet-deficit", frames(facts=_deficit(-1650.49)), 0),
    Case("IT035", "fires-deficit", frames(facts=_deficit(-975.18)), 1, expected="-1650.49万元"),
    # PI001
    Case("PI001", "fires", frames(parse_issues=[{"document_id": "d1", "path": "case.pdf", "severity": "high",
                                                 "code": "scanned", "page": None, "reason": "no text layer"}]), 1,
         contains=["扫描件"]),
    Case("PI001", "quiet", frames(), 0),
]
