"""Assemble one bureau-year's three documents as drafts (tables + narrative).

- 部门决算 (final_accounts): 公开01–09表 then 情况说明 with amounts, shares and changes;
- 部门整体支出绩效自评报告 (dept_self_eval): fund-supervision narrative, 基础数据表, 自评表;
- 项目支出绩效自评表 (project_self_eval): 2–5 project tables.

All percentages are computed from the printed amounts (ledger integers) and rounded half-up.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from toolkit.extract import table_types as tt
from toolkit.synth import narrative as nv
from toolkit.synth import tables as tb
from toolkit.synth.draft import DocDraft, PageBreak, Para
from toolkit.synth.finance import CLASS_ORDER, BureauYear
from toolkit.synth.indicators import goals, make_indicators
from toolkit.synth.money import fmt_amount, pct
from toolkit.synth.regions import Region
from toolkit.synth.style import BureauStyle


@dataclass(slots=True)
class Context:
    region: Region
    by: BureauYear
    prev: BureauYear
    st: BureauStyle
    rng: random.Random


def _change(cur: int, prev: int, st: BureauStyle) -> tuple[str, str, str]:
    """(direction word, printed change amount, printed growth rate) as real 情况说明 print them."""
    diff = cur - prev
    word = "增加" if diff >= 0 else "减少"
    return word, st.money(abs(diff)), st.pct(pct(abs(diff), prev))


def _wan(v: int, st: BureauStyle) -> str:
    """Fund amounts are quoted in 万元 whatever the 决算's unit."""
    return fmt_amount(v, strip=st.strip_zeros) + "万元"


def _bp(bp: int) -> str:
    return f"{bp / 100:.2f}%"


def fields(c: Context) -> dict[str, str]:
    by, prev, st = c.by, c.prev, c.st
    f = by.fund
    gdir, gchg, ggr = _change(by.grand_total, prev.grand_total, st)
    fdir, fchg, fgr = _change(by.fiscal_expense, prev.fiscal_expense, st)
    sdir, schg, sgr = _change(by.sangong_total("final"), prev.sangong_total("final"), st)
    run_diff = by.public - by.running_budget
    struct = []
    for cls in sorted(CLASS_ORDER):
        v = by.class_expense(cls, fiscal_only=True)
        if v:
            name = CLASS_ORDER[cls][1].removesuffix("支出")
            struct.append(f"{name}（类）支出{st.money(v)}，占{st.pct(pct(v, by.fiscal_expense))}")
    vals = {
        "Y": str(by.year), "PY": str(by.year - 1), "B": by.bureau, "R": c.region.name,
        "SCOPE": c.region.scope_word, "UNIT_WORD": c.region.scope_word[1:],
        "GT": st.money(by.grand_total), "PGT": st.money(prev.grand_total), "DIR": gdir, "GT_CHG": gchg, "GT_GR": ggr,
        "REASON": c.rng.choice(nv.REASONS),
        "INC": st.money(by.income_total), "INC_F": st.money(by.income_fiscal), "INC_O": st.money(by.income_other),
        "INC_F_SH": st.pct(pct(by.income_fiscal, by.income_total)),
        "INC_O_SH": st.pct(pct(by.income_other, by.income_total)),
        "EXP": st.money(by.expense_total), "BAS": st.money(by.basic_total), "PRJ": st.money(by.project_total),
        "BAS_SH": st.pct(pct(by.basic_total, by.expense_total)), "PRJ_SH": st.pct(pct(by.project_total, by.expense_total)),
        "FIN": st.money(by.income_fiscal), "FEX": st.money(by.fiscal_expense),
        "FGT": st.money(by.income_fiscal + by.carry_begin), "FDIR": fdir, "F_CHG": fchg, "F_GR": fgr,
        "FEX_SH": st.pct(pct(by.fiscal_expense, by.expense_total)), "STRUCT": "；".join(struct),
        "BUD": st.money(by.gpb_budget_initial), "BUD_SH": st.pct(pct(by.fiscal_expense, by.gpb_budget_initial)),
        "FBAS": st.money(by.fiscal_basic), "PER": st.money(by.personnel), "PUB": st.money(by.public),
        "PER_SH": st.pct(pct(by.personnel, by.fiscal_basic)), "PUB_SH": st.pct(pct(by.public, by.fiscal_basic)),
        "SG_B": st.money(by.sangong_total("budget")), "SG_F": st.money(by.sangong_total("final")),
        "SG_SH": st.pct(pct(by.sangong_total("final"), by.sangong_total("budget"))),
        "SG_DIR": sdir, "SG_CHG": schg, "SG_GR": sgr,
        "SG_R": st.money(by.sangong_final["reception"]),
        "SG_V": st.money(by.sangong_final["vehicle_purchase"] + by.sangong_final["vehicle_operation"]),
        "SG_N": str(by.sangong_counts["batches"]), "SG_G": str(by.sangong_counts["guests"]),
        "SG_CAR": str(by.sangong_counts["vehicles"]),
        "RUN_B": st.money(by.running_budget), "RUN_DIR": "增加" if run_diff >= 0 else "减少",
        "RUN_CHG": st.money(abs(run_diff)),
        # self-evaluation
        "DBI": st.money(by.dept_budget_initial), "DBF": st.money(by.dept_budget_full),
        "DER": st.pct(pct(by.expense_total, by.dept_budget_full)),
        "POP": str(f.population), "INS": str(f.insured), "INS_E": str(f.insured_employee),
        "INS_R": str(f.insured_resident), "COV": f"{pct(f.insured, f.population)}%", "SPC": _bp(f.special_coverage_bp),
        "EI": _wan(f.emp_income, st), "EE": _wan(f.emp_expense, st), "EB": _wan(f.emp_balance, st),
        "EC": _wan(f.emp_balance_cum, st), "RI": _wan(f.res_income, st), "RE": _wan(f.res_expense, st),
        "RB": _wan(f.res_balance, st), "RC": _wan(f.res_balance_cum, st),
        "EPR": _bp(f.emp_pay_ratio_bp), "RPR": _bp(f.res_pay_ratio_bp),
        "AV": str(f.assistance_visits), "AA": _wan(f.assistance_amount, st),
        "INSP": str(f.inspections), "REC": _wan(f.recovered, st),
        "NP": str(len(by.projects)), "PX": st.money(sum(p.executed for p in by.projects)),
    }
    return vals


def _section(c: Context, section: str, vals: dict[str, str]) -> Para:
    templates = nv.ALL_SECTIONS[section]
    i = c.st.phrasing.get(section, 0) % len(templates)
    text = templates[i].format(**vals)
    return Para(c.st.maybe_fullwidth(text, c.rng), section=section)


def work_paragraph(c: Context) -> str:
    r = c.rng
    tpl = r.choice(nv.WORK_PARAGRAPHS)
    return f"{c.region.name}" + tpl.format(
        SCOPE="", N1=r.randint(4, 40), N2=r.randint(30, 3000), N3=r.randint(5, 60),
        P1=round(r.uniform(3, 15), 1), P2=round(r.uniform(60, 95), 1),
    )


def final_accounts(c: Context) -> DocDraft:
    by, st, rng = c.by, c.st, c.rng
    vals = fields(c)
    d = DocDraft(name="final_accounts", doc_type="final_accounts", title=f"{by.year}年度{by.bureau}部门决算")
    d.items += [Para(d.title), Para("第一部分 部门概况"), Para("一、部门职责"),
                _section(c, "eval.duties", {**vals}), PageBreak(), Para("第二部分 部门决算表")]
    nos = tb.table_numbers(st)
    builders = [
        tb.income_expense_summary(by, st, nos[tt.INCOME_EXPENSE_SUMMARY], rng),
        tb.income_table(by, st, nos[tt.INCOME], rng),
        tb.expense_table(by, st, nos[tt.EXPENSE], rng),
        tb.fiscal_summary(by, st, nos[tt.FISCAL_SUMMARY], rng),
        tb.gpb_expense_table(by, st, nos[tt.GPB_EXPENSE], rng),
        tb.basic_expense_table(by, st, nos[tt.GPB_BASIC_EXPENSE], rng),
        tb.empty_fund_table(tt.GOV_FUND, "政府性基金预算财政拨款收入支出决算表", by, st, nos[tt.GOV_FUND], rng),
        tb.empty_fund_table(tt.SOE_CAPITAL, "国有资本经营预算财政拨款支出决算表", by, st, nos[tt.SOE_CAPITAL], rng),
        tb.sangong_table(by, st, nos[tt.SANGONG], rng),
    ]
    builders.sort(key=lambda t: nos[t.key])
    for t in builders:
        d.items += [PageBreak(), t]
    d.items += [PageBreak(), Para("第三部分"), Para(f"{by.year}年度部门决算情况说明")]
    headings = [
        ("一、收入支出决算总体情况说明", "final.overall"), ("二、收入决算情况说明", "final.income"),
        ("三、支出决算情况说明", "final.expense"), ("四、财政拨款收入支出决算总体情况说明", "final.fiscal"),
        ("五、一般公共预算财政拨款支出决算情况说明", "final.gpb_total"), ("", "final.gpb_structure"),
        ("", "final.gpb_budget"), ("六、一般公共预算财政拨款基本支出决算情况说明", "final.basic"),
        ("七、财政拨款“三公”经费支出决算情况说明", "final.sangong"),
        ("八、政府性基金预算及国有资本经营预算财政拨款收支情况", "final.empty_funds"),
        ("九、关于机关运行经费支出说明", "final.running"),
    ]
    for head, sec in headings:
        if head:
            d.items.append(Para(head))
        d.items.append(_section(c, sec, vals))
    d.items += [Para("第四部分 名词解释"),
                Para("基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。"),
                Para("项目支出：指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。")]
    return d


def dept_self_eval(c: Context) -> DocDraft:
    by, st, rng = c.by, c.st, c.rng
    vals = fields(c)
    d = DocDraft(name="dept_self_eval", doc_type="dept_self_eval",
                 title=f"{by.year}年度{by.bureau}部门整体支出绩效自评报告")
    d.items += [Para(d.title), Para(f"填报单位：{by.full_name}"), Para("一、部门（单位）基本情况"), _section(c, "eval.duties", vals),
                Para("二、一般公共预算支出情况"), _section(c, "eval.spending", vals),
                Para("三、部门整体支出绩效情况"), _section(c, "eval.overall_perf", vals),
                _section(c, "eval.coverage", vals), _section(c, "eval.emp_fund", vals),
                _section(c, "eval.res_fund", vals), _section(c, "eval.benefits", vals),
                _section(c, "eval.supervision", vals),
                Para(work_paragraph(c), section="eval.work"),
                Para("四、存在的问题及原因分析"), _section(c, "eval.problems", vals),
                Para("五、下一步改进措施"), _section(c, "eval.measures", vals)]
    d.items += [PageBreak(), tb.basic_data_table(by, c.prev, st)]
    rate, score = tb.rate_and_score(by.expense_total, by.dept_budget_full, st)
    goal, achieved = goals(None, rng)
    d.items += [PageBreak(), tb.dept_self_eval_table(by, st, goal, achieved, make_indicators(by, None, rng), score, rate)]
    return d


def project_self_eval(c: Context) -> DocDraft:
    by, st, rng = c.by, c.st, c.rng
    vals = fields(c)
    d = DocDraft(name="project_self_eval", doc_type="project_self_eval", title=f"{by.year}年度{by.bureau}项目支出绩效自评表")
    d.items += [Para(d.title), Para(f"填报单位：{by.full_name}"), _section(c, "project.intro", vals)]
    for p in by.projects:
        goal, achieved = goals(p, rng)
        d.items += [PageBreak(), tb.project_self_eval_table(by, st, p, goal, achieved, make_indicators(by, p, rng))]
        d.items.append(Para("备注：一个一级项目支出一张表。"))
    return d


def bureau_year_documents(c: Context) -> list[DocDraft]:
    return [final_accounts(c), dept_self_eval(c), project_self_eval(c)]
