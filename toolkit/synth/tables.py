"""部门决算 公开表 and 自评表 as drafts, laid out like the real seed 004 (屈原管理区 2023).

Each builder is a pure view of a :class:`~toolkit.synth.finance.BureauYear`; numbers are
printed from ledger integers, so totals are exact at the printed precision.
"""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal

from toolkit.extract import table_types as tt
from toolkit.synth.draft import TableDraft
from toolkit.synth.finance import CLASS_ORDER, ECON_NAMES, FUNCTION_CODES, BureauYear
from toolkit.synth.money import pct
from toolkit.synth.style import BureauStyle

EMPTY_CLASSES = (("一", "一般公共服务支出", "201"), ("二", "外交支出", "202"), ("三", "国防支出", "203"),
                 ("四", "公共安全支出", "204"), ("五", "教育支出", "205"), ("六", "科学技术支出", "206"))


def _meta(no: int, by: BureauYear, st: BureauStyle, rng: random.Random) -> list[str]:
    unit_line = rng.choice(("单位：", "金额单位：")) + st.unit
    lines = [f"公开{rng.choice(('', ' '))}{no:02d}{rng.choice(('', ' '))}表", unit_line, f"部门：{by.full_name}"]
    if rng.random() < 0.4:
        lines[1], lines[2] = lines[2], lines[1]
    return lines


def table_numbers(st: BureauStyle) -> dict[str, int]:
    base = {tt.INCOME_EXPENSE_SUMMARY: 1, tt.INCOME: 2, tt.EXPENSE: 3, tt.FISCAL_SUMMARY: 4, tt.GPB_EXPENSE: 5,
            tt.GPB_BASIC_EXPENSE: 6}
    if st.national_numbering:
        base.update({tt.SANGONG: 7, tt.GOV_FUND: 8, tt.SOE_CAPITAL: 9})
    else:
        base.update({tt.GOV_FUND: 7, tt.SOE_CAPITAL: 8, tt.SANGONG: 9})
    return base


def _draft(key: str, title: str, meta: list[str], header: list[list[str]], st: BureauStyle) -> TableDraft:
    return TableDraft(key=key, title=title, meta=meta, rows=[list(r) for r in header], header_rows=len(header),
                      row_keys=[None] * len(header), col_keys=[], fmt=st.amt)


def _add(t: TableDraft, key: str | None, cells: list[str], amounts: dict[str, int] | None = None) -> None:
    t.rows.append(cells)
    t.row_keys.append(key)
    for ck, v in (amounts or {}).items():
        t.amounts[(key or "", ck)] = v


# ------------------------------------------------------------------ 01 收入支出决算总表
def income_expense_summary(by: BureauYear, st: BureauStyle, no: int, rng: random.Random) -> TableDraft:
    t = _draft(tt.INCOME_EXPENSE_SUMMARY, "收入支出决算总表", _meta(no, by, st, rng), [
        ["收入", "", "", "支出", "", ""],
        ["项 目", "行次", "决算数", "项 目", "行次", "决算数"],
        ["栏 次", "", "1", "栏 次", "", "2"],
    ], st)
    t.col_keys = ["in_label", "in_line", "in_amount", "out_label", "out_line", "out_amount"]
    left = [
        ("income_gpb", "一、一般公共预算财政拨款收入", by.income_fiscal),
        ("income_govfund", "二、政府性基金预算财政拨款收入", 0),
        ("income_soe", "三、国有资本经营预算财政拨款收入", 0),
        ("income_upper", "四、上级补助收入", 0),
        ("income_business", "五、事业收入", 0),
        ("income_operating", "六、经营收入", 0),
        ("income_affiliated", "七、附属单位上缴收入", 0),
        ("income_other", "八、其他收入", by.income_other),
    ]
    classes = [(CLASS_ORDER[c][0], CLASS_ORDER[c][1], c) for c in sorted(CLASS_ORDER) if by.class_expense(c)]
    n_empty = max(0, len(left) + 1 - len(classes))
    right = [(f"class_{code}", f"{o}、{name}", 0) for o, name, code in EMPTY_CLASSES[: min(n_empty, 6)]]
    right += [(f"class_{code}", f"{o}、{name}", by.class_expense(code)) for o, name, code in classes]
    left.append((None, "", None))
    while len(right) < len(left):
        right.append((None, "", None))
    line_in, line_out = 1, len(left) + 5
    for (lk, ll, lv), (rk, rl, rv) in zip(left, right, strict=True):
        key = f"{lk or ''}|{rk or ''}"
        _add(t, key, [ll, str(line_in), st.amt(lv) if lv is not None else "", rl, str(line_out) if rl else "",
                      st.amt(rv) if rv is not None else ""],
             {"in_amount": lv or 0, "out_amount": rv or 0})
        line_in += 1
        line_out += 1
    summary = [
        ("income_total", "本年收入合计", by.income_total, "expense_total", "本年支出合计", by.expense_total),
        ("use_nonfiscal_balance", "使用非财政拨款结余（含专用结余）", 0, "balance_distribution", "结余分配", 0),
        ("carryover_begin", "年初结转和结余", by.carry_begin, "carryover_end", "年末结转和结余", by.carry_end),
        ("grand_total_in", "总计", by.grand_total, "grand_total_out", "总计", by.expense_total + by.carry_end),
    ]
    for lk, ll, lv, rk, rl, rv in summary:
        _add(t, f"{lk}|{rk}", [ll, str(line_in), st.amt(lv), rl, str(line_out), st.amt(rv)],
             {"in_amount": lv, "out_amount": rv})
        line_in += 1
        line_out += 1
    t.notes = ["注：本表反映部门本年度的总收支和年末结转结余情况。"]
    return t


# ------------------------------------------------------------------ 科目 rows (02/03/05)
def subject_rows(by: BureauYear, st: BureauStyle, value_of) -> list[tuple[str, str, list[int]]]:
    """(code, name, values) in print order: hierarchical (类/款/项) or flat (项 only)."""
    codes = [c for c in by.codes() if any(value_of(c))]
    if not st.hierarchical:
        return [(c, FUNCTION_CODES[c][0], value_of(c)) for c in codes]
    out: list[tuple[str, str, list[int]]] = []
    for cls in sorted({FUNCTION_CODES[c][3] for c in codes}):
        in_cls = [c for c in codes if FUNCTION_CODES[c][3] == cls]
        out.append((cls, FUNCTION_CODES[in_cls[0]][4], _sum_vals(value_of, in_cls)))
        for kuan in sorted({FUNCTION_CODES[c][1] for c in in_cls}):
            in_kuan = [c for c in in_cls if FUNCTION_CODES[c][1] == kuan]
            out.append((kuan, FUNCTION_CODES[in_kuan[0]][2], _sum_vals(value_of, in_kuan)))
            out.extend((c, FUNCTION_CODES[c][0], value_of(c)) for c in in_kuan)
    return out


def _sum_vals(value_of, codes: list[str]) -> list[int]:
    vals = [value_of(c) for c in codes]
    return [sum(col) for col in zip(*vals, strict=True)]


def _subject_table(key: str, title: str, by: BureauYear, st: BureauStyle, no: int, rng: random.Random,
                   header: list[list[str]], col_keys: list[str], value_of, note: str) -> TableDraft:
    t = _draft(key, title, _meta(no, by, st, rng), header, st)
    t.col_keys = ["code", "name", *col_keys]
    codes = [c for c in by.codes() if any(value_of(c))]
    totals = _sum_vals(value_of, codes)
    _add(t, "total", ["合计", "", *[st.amt(v) for v in totals]], dict(zip(col_keys, totals, strict=True)))
    for code, name, vals in subject_rows(by, st, value_of):
        _add(t, code, [code, name, *[st.amt(v) for v in vals]], dict(zip(col_keys, vals, strict=True)))
    t.notes = [note]
    return t


def income_table(by: BureauYear, st: BureauStyle, no: int, rng: random.Random) -> TableDraft:
    cols = ["total", "fiscal", "upper", "business", "operating", "affiliated", "other"]

    def value_of(c: str) -> list[int]:
        i = by.items[c]
        return [i.income, i.income_fiscal, 0, 0, 0, 0, i.income_other]

    header = [
        ["项 目", "", "本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"],
        ["功能分类科目编码", "科目名称", "", "", "", "", "", "", ""],
        ["栏次", "", "1", "2", "3", "4", "5", "6", "7"],
    ]
    return _subject_table(tt.INCOME, "收入决算表", by, st, no, rng, header, cols, value_of,
                          "注：本表反映部门本年度取得的各项收入情况。")


def expense_table(by: BureauYear, st: BureauStyle, no: int, rng: random.Random) -> TableDraft:
    cols = ["total", "basic", "project", "upper_remit", "operating", "affiliated_subsidy"]

    def value_of(c: str) -> list[int]:
        i = by.items[c]
        return [i.expense, i.basic, i.project, 0, 0, 0]

    header = [
        ["项 目", "", "本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"],
        ["功能分类科目编码", "科目名称", "", "", "", "", "", ""],
        ["栏次", "", "1", "2", "3", "4", "5", "6"],
    ]
    return _subject_table(tt.EXPENSE, "支出决算表", by, st, no, rng, header, cols, value_of,
                          "注：本表反映部门本年度各项支出情况。")


def gpb_expense_table(by: BureauYear, st: BureauStyle, no: int, rng: random.Random) -> TableDraft:
    cols = ["total", "basic", "project"]

    def value_of(c: str) -> list[int]:
        i = by.items[c]
        return [i.fiscal, i.basic_fiscal, i.project_fiscal]

    header = [
        ["项 目", "", "本年支出", "", ""],
        ["功能分类科目编码", "科目名称", "小计", "基本支出", "项目支出"],
        ["栏次", "", "1", "2", "3"],
    ]
    return _subject_table(tt.GPB_EXPENSE, "一般公共预算财政拨款支出决算表", by, st, no, rng, header, cols, value_of,
                          "注：本表反映部门本年度一般公共预算财政拨款支出情况。")


# ------------------------------------------------------------------ 04 财政拨款收入支出决算总表
def fiscal_summary(by: BureauYear, st: BureauStyle, no: int, rng: random.Random) -> TableDraft:
    t = _draft(tt.FISCAL_SUMMARY, "财政拨款收入支出决算总表", _meta(no, by, st, rng), [
        ["收入", "", "", "支出", "", "", "", "", ""],
        ["项 目", "行次", "金 额", "项 目", "行次", "合 计", "一般公共预算财政拨款", "政府性基金预算财政拨款",
         "国有资本经营预算财政拨款"],
        ["栏 次", "", "1", "栏 次", "", "2", "3", "4", "5"],
    ], st)
    t.col_keys = ["in_label", "in_line", "amount", "out_label", "out_line", "total", "gpb", "govfund", "soe"]
    left = [("income_gpb", "一、一般公共预算财政拨款", by.income_fiscal),
            ("income_govfund", "二、政府性基金预算财政拨款", 0),
            ("income_soe", "三、国有资本经营预算财政拨款", 0)]
    classes = [(CLASS_ORDER[c][0], CLASS_ORDER[c][1], c) for c in sorted(CLASS_ORDER) if by.class_expense(c, True)]
    right = [(f"class_{code}", f"{o}、{n}", 0) for o, n, code in EMPTY_CLASSES[:3]]
    right += [(f"class_{code}", f"{o}、{n}", by.class_expense(code, True)) for o, n, code in classes]
    while len(left) < len(right):
        left.append((None, "", None))
    while len(right) < len(left):
        right.append((None, "", None))
    li, lo = 1, len(left) + 6
    for (lk, ll, lv), (rk, rl, rv) in zip(left, right, strict=True):
        cells = [ll, str(li), st.amt(lv) if lv is not None else "", rl, str(lo) if rl else "",
                 st.amt(rv) if rv is not None else "", st.amt(rv) if rv is not None else "", "", ""]
        _add(t, f"{lk or ''}|{rk or ''}", cells, {"amount": lv or 0, "total": rv or 0, "gpb": rv or 0})
        li += 1
        lo += 1
    fexp = by.fiscal_expense
    rows = [
        ("income_total", "本年收入合计", by.income_fiscal, "expense_total", "本年支出合计", fexp),
        ("carryover_begin", "年初财政拨款结转和结余", by.carry_begin, "carryover_end", "年末财政拨款结转和结余",
         by.carry_end),
        ("carryover_begin_gpb", "一般公共预算财政拨款", by.carry_begin, None, "", None),
        ("carryover_begin_govfund", "政府性基金预算财政拨款", 0, None, "", None),
        ("carryover_begin_soe", "国有资本经营预算财政拨款", 0, None, "", None),
        ("grand_total_in", "总计", by.income_fiscal + by.carry_begin, "grand_total_out", "总计", fexp + by.carry_end),
    ]
    for lk, ll, lv, rk, rl, rv in rows:
        cells = [ll, str(li), st.amt(lv), rl, str(lo) if rl else "", st.amt(rv) if rv is not None else "",
                 st.amt(rv) if rv is not None else "", "", ""]
        _add(t, f"{lk}|{rk or ''}", cells, {"amount": lv, "total": rv or 0, "gpb": rv or 0})
        li += 1
        lo += 1
    t.notes = ["注：本表反映部门本年度一般公共预算财政拨款、政府性基金预算财政拨款和国有资本经营预算财政拨款的总收支和年末结转结余情况。"]
    return t


# ------------------------------------------------------------------ 06 基本支出决算明细表
def basic_expense_table(by: BureauYear, st: BureauStyle, no: int, rng: random.Random) -> TableDraft:
    t = _draft(tt.GPB_BASIC_EXPENSE, "一般公共预算财政拨款基本支出决算明细表", _meta(no, by, st, rng), [
        ["经济分类科目编码", "科目名称", "决算数"] * 3,
    ], st)
    t.col_keys = ["code0", "name0", "final0", "code1", "name1", "final1", "code2", "name2", "final2"]

    def lane(classes: list[str]) -> list[tuple[str, str, int]]:
        out = []
        for cls in classes:
            out.append((cls, ECON_NAMES[cls], by.econ_class(cls)))
            out += [(k, ECON_NAMES[k], by.econ[k]) for k in sorted(by.econ) if k.startswith(cls)]
        return out

    lanes = [lane(["301", "303"]), lane(["302"]), lane(["310"])]
    depth = max(len(x) for x in lanes)
    for i in range(depth):
        cells: list[str] = []
        keys: list[str] = []
        amounts: dict[str, int] = {}
        for j, ln in enumerate(lanes):
            if i < len(ln):
                code, name, v = ln[i]
                cells += [code, name, st.amt(v, blank_zero=False)]
                keys.append(code)
                amounts[f"final{j}"] = v
            else:
                cells += ["", "", ""]
        t.rows.append(cells)
        t.row_keys.append("|".join(keys))
        for ck, v in amounts.items():
            t.amounts[(t.row_keys[-1], ck)] = v
    _add(t, "personnel_total|public_total",
         ["人员经费合计", "", st.amt(by.personnel, blank_zero=False), "公用经费合计", "",
          st.amt(by.public, blank_zero=False), "", "", ""],
         {"final0": by.personnel, "final1": by.public})
    t.notes = ["注：本表反映部门本年度一般公共预算财政拨款基本支出明细情况。"]
    return t


# ------------------------------------------------------------------ 三公 / empty fund tables
SANGONG_ORDER = ("total", "abroad", "vehicle", "vehicle_purchase", "vehicle_operation", "reception")


def sangong_values(d: dict[str, int]) -> list[int]:
    veh = d["vehicle_purchase"] + d["vehicle_operation"]
    return [d["abroad"] + veh + d["reception"], d["abroad"], veh, d["vehicle_purchase"], d["vehicle_operation"],
            d["reception"]]


def sangong_table(by: BureauYear, st: BureauStyle, no: int, rng: random.Random) -> TableDraft:
    head = ["合计", "因公出国（境）费", "公务用车购置及运行维护费", "", "", "公务接待费"]
    sub = ["", "", "小计", "公务用车购置费", "公务用车运行维护费", ""]
    t = _draft(tt.SANGONG, "财政拨款“三公”经费支出决算表", _meta(no, by, st, rng), [
        ["预算数", "", "", "", "", "", "决算数", "", "", "", "", ""],
        head + head, sub + sub, [str(i) for i in range(1, 13)],
    ], st)
    t.col_keys = [f"budget_{k}" for k in SANGONG_ORDER] + [f"final_{k}" for k in SANGONG_ORDER]
    vals = sangong_values(by.sangong_budget) + sangong_values(by.sangong_final)
    _add(t, "sangong", [st.amt(v, blank_zero=False) for v in vals], dict(zip(t.col_keys, vals, strict=True)))
    t.notes = ["注：本表反映部门本年度财政拨款“三公”经费支出预决算情况。其中，预算数为“三公”经费全年预算数，"
               "反映按规定程序调整后的预算数；决算数是包括当年财政拨款和以前年度结转资金安排的实际支出。"]
    return t


def empty_fund_table(key: str, title: str, by: BureauYear, st: BureauStyle, no: int, rng: random.Random) -> TableDraft:
    if key == tt.GOV_FUND:
        header = [["项 目", "", "年初结转和结余", "本年收入", "本年支出", "", "", "年末结转和结余"],
                  ["科目代码", "科目名称", "", "", "小计", "基本支出", "项目支出", ""],
                  ["栏次", "", "1", "2", "3", "4", "5", "6"]]
        note = "说明：本单位没有政府性基金收入，也没有使用政府性基金安排的支出，故本表无数据。"
    else:
        header = [["项 目", "", "本年支出", "", ""], ["科目代码", "科目名称", "合计", "基本支出", "项目支出"],
                  ["栏次", "", "1", "2", "3"]]
        note = "说明：本单位没有使用国有资本经营预算安排的支出，故本表无数据。"
    t = _draft(key, title, _meta(no, by, st, rng), header, st)
    t.col_keys = ["code", "name"] + [f"c{i}" for i in range(len(header[0]) - 2)]
    _add(t, "total", ["合计", ""] + [""] * (len(header[0]) - 2))
    t.notes = [note]
    return t


# ------------------------------------------------------------------ 自评表
def rate_and_score(executed: int, budget: int, st: BureauStyle) -> tuple[str, str]:
    """执行率 from the printed amounts and the 执行率 得分 (10 × rate, capped at 10, 2 decimals)."""
    p = pct(executed, budget)
    if p is None:
        return "", ""
    score = (min(p, Decimal(100)) / 10).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    score_s = f"{score:f}"
    if "." in score_s:
        score_s = score_s.rstrip("0").rstrip(".")
    return st.pct(p), score_s


def indicator_rows(indicators: list[dict]) -> list[list[str]]:
    rows = []
    last1 = last2 = None
    for ind in indicators:
        l1 = ind["level1"] if ind["level1"] != last1 else ""
        l2 = ind["level2"] if (ind["level2"] != last2 or l1) else ""
        last1, last2 = ind["level1"], ind["level2"]
        rows.append(["", l1, l2, ind["level3"], ind["target"], ind["actual"], ind["weight"], ind["score"],
                     ind.get("note", "")])
    return rows


def dept_self_eval_table(by: BureauYear, st: BureauStyle, goal: str, actual_goal: str, indicators: list[dict],
                         exec_score: str, rate: str) -> TableDraft:
    unit_label = f"年度预算申请（{st.unit}）"
    t = TableDraft(key=tt.DEPT_SELF_EVAL, title=f"{by.year}年度部门整体支出绩效自评表", meta=[], rows=[],
                   header_rows=0, row_keys=[], col_keys=["c0", "label", "budget_initial", "budget_full", "executed",
                                                         "weight", "exec_rate", "score", "note"], fmt=st.amt)
    _add(t, "name", ["部门名称", by.bureau, "", "", "", "", "", "", ""])
    _add(t, "fund_header", [unit_label, "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分", ""])
    _add(t, "fund_total", ["", "年度资金总额", st.amt(by.dept_budget_initial), st.amt(by.dept_budget_full),
                           st.amt(by.expense_total), "10", rate, exec_score, ""],
         {"budget_initial": by.dept_budget_initial, "budget_full": by.dept_budget_full, "executed": by.expense_total})
    _add(t, None, ["", f"其中：基本支出：{st.amt(by.basic_total)}", "", "", f"项目支出：{st.amt(by.project_total)}",
                   "", "", "", ""])
    _add(t, "goal_header", ["年度总体目标", "预期目标", "", "", "实际完成情况", "", "", "", ""])
    _add(t, "goal", ["", goal, "", "", actual_goal, "", "", "", ""])
    _add(t, "ind_header", ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                           "偏差原因分析及改进措施"])
    for i, row in enumerate(indicator_rows(indicators)):
        _add(t, f"ind{i}", row)
    total = _score_total(indicators, exec_score)
    _add(t, "score_total", ["总分", "", "", "", "", "", "100", total, ""])
    return t


def _score_total(indicators: list[dict], exec_score: str) -> str:
    s = sum((Decimal(i["score"]) for i in indicators), Decimal(exec_score or "0"))
    out = f"{s:f}"
    return out.rstrip("0").rstrip(".") if "." in out else out


def project_self_eval_table(by: BureauYear, st: BureauStyle, project, goal: str, actual_goal: str,
                            indicators: list[dict]) -> TableDraft:
    p = project
    rate, score = rate_and_score(p.executed, p.budget_full, st)
    t = TableDraft(key=tt.PROJECT_SELF_EVAL, title=f"{by.year}年度项目支出绩效自评表", meta=[], rows=[],
                   header_rows=0, row_keys=[], col_keys=["c0", "label", "budget_initial", "budget_full", "executed",
                                                         "weight", "exec_rate", "score", "note"], fmt=st.amt,
                   project=p.name)
    init_carry = min(p.budget_carry, p.budget_initial)
    init_current = p.budget_initial - init_carry
    _add(t, "name", ["项目名称", p.name, "", "", "", "", "", "", ""])
    _add(t, "owner", ["主管部门", by.bureau, "", "", "实施单位", by.bureau, "", "", ""])
    _add(t, "fund_header", [f"项目资金（{st.unit}）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率",
                            "得分", ""])
    _add(t, "fund_total", ["", "年度资金总额", st.amt(p.budget_initial), st.amt(p.budget_full), st.amt(p.executed),
                           "10", rate, score, ""],
         {"budget_initial": p.budget_initial, "budget_full": p.budget_full, "executed": p.executed})
    _add(t, "fund_current", ["", "其中：当年财政拨款", st.amt(init_current), st.amt(p.budget_current),
                             st.amt(p.exec_current), "", "", "", ""],
         {"budget_initial": init_current, "budget_full": p.budget_current, "executed": p.exec_current})
    _add(t, "fund_carryover", ["", "上年结转资金", st.amt(init_carry), st.amt(p.budget_carry), st.amt(p.exec_carry),
                               "", "", "", ""],
         {"budget_initial": init_carry, "budget_full": p.budget_carry, "executed": p.exec_carry})
    _add(t, "fund_other", ["", "其他资金", "", "", "", "", "", "", ""])
    _add(t, "goal_header", ["年度总体目标", "预期目标", "", "", "实际完成情况", "", "", "", ""])
    _add(t, "goal", ["", goal, "", "", actual_goal, "", "", "", ""])
    _add(t, "ind_header", ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                           "偏差原因分析及改进措施"])
    for i, row in enumerate(indicator_rows(indicators)):
        _add(t, f"ind{i}", row)
    _add(t, "score_total", ["总分", "", "", "", "", "", "100", _score_total(indicators, score), ""])
    return t


def basic_data_table(by: BureauYear, prev: BureauYear | None, st: BureauStyle) -> TableDraft:
    t = TableDraft(key=tt.BASIC_DATA, title=f"{by.year}年度部门整体支出绩效评价基础数据表", meta=[f"单位：{st.unit}"],
                   rows=[], header_rows=0, row_keys=[], col_keys=["label", "prior_final", "budget", "final"],
                   fmt=st.amt)
    _add(t, "staff", ["财政供养人员情况（人）", f"编制数{by.staff_quota}", f"实际在职人数{by.staff_actual}", ""])
    _add(t, "header", ["经费控制情况", f"{by.year - 1}年决算数", f"{by.year}年预算数", f"{by.year}年决算数"])
    pf = sangong_values(prev.sangong_final) if prev else [0] * 6
    b = sangong_values(by.sangong_budget)
    f = sangong_values(by.sangong_final)
    for key, label, i in (("sangong_total", "三公经费", 0), ("sangong_vehicle", "1、公务用车购置和维护经费", 2),
                          ("sangong_abroad", "2、出国经费", 1), ("sangong_reception", "3、公务接待", 5)):
        _add(t, key, [label, st.amt(pf[i], False), st.amt(b[i], False), st.amt(f[i], False)],
             {"prior_final": pf[i], "budget": b[i], "final": f[i]})
    _add(t, "project", ["项目支出", st.amt(prev.project_total) if prev else "", "", st.amt(by.project_total)],
         {"final": by.project_total})
    _add(t, "public", ["公用经费", st.amt(prev.public) if prev else "", st.amt(by.running_budget), st.amt(by.public)],
         {"final": by.public})
    return t
