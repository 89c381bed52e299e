"""绩效指标 rows for 部门整体 and 项目 自评表 (weights 10/50/30/10 as in the 财政部 自评 scoring rules, 得分 ≤ 分值).

Clean tables: 分值 sums to 100 with the 执行率 row, 得分 ≤ 分值, 总分 = Σ 得分, and 实际完成值
is written differently from 年度指标值 on most rows (a real table where every actual equals its
target is a copy-paste signal).
"""

from __future__ import annotations

import random

from toolkit.synth.finance import BureauYear, Project

# project code -> (数量, 质量, 时效/成本-specific 三级指标 names, goal, achieved-goal)
PROJECT_SPECIFIC: dict[str, tuple[str, str, str, str]] = {
    "2101506": ("经办业务办理量", "经办业务按时办结率",
                "提升医保经办服务能力，推进经办服务下沉，实现参保登记、异地备案等业务就近办理",
                "经办服务网点覆盖所有乡镇（街道），参保登记、异地备案等高频事项实现就近可办"),
    "2101502": ("检查定点医药机构家次", "违规问题整改到位率",
                "开展医保基金监督检查，保持打击欺诈骗保高压态势，确保基金安全",
                "完成年度监督检查任务，追回违规基金并督促整改，基金运行安全平稳"),
    "2101504": ("信息系统功能模块上线数", "信息系统正常运行率",
                "完成医保信息平台运维和功能升级，保障系统安全稳定运行",
                "医保信息平台全年平稳运行，新增功能模块按期上线，数据质量明显提升"),
    "2101301": ("医疗救助对象人次规模", "重点救助对象政策范围内住院救助比例",
                "落实城乡医疗救助政策，做好困难群众资助参保和住院、门诊救助",
                "困难群众资助参保应资尽资，住院及门诊救助按规定及时足额发放"),
    "2101202": ("城乡居民医保参保人数", "财政补助资金到位率",
                "按标准足额安排城乡居民医保财政补助资金，保障居民医保基金收支平衡",
                "财政补助资金按标准足额拨付到位，居民医保基金收支基本平衡"),
}
DEPT_GOAL = (
    "持续开展医保基金监管，维护基金安全；落实医保待遇政策，确保各类群体应保尽保；提升经办服务水平",
    "完成年度参保扩面任务，保障基金收支平衡，推进支付方式改革，提高群众满意度",
    "巩固全民参保成果，健全基金监管长效机制，推进医保信息化和经办服务一体化",
)
DEPT_ACTUAL = (
    "基金监管实现定点医药机构全覆盖，医保待遇政策全面落实，经办服务水平明显提升",
    "参保扩面任务全面完成，基金运行平稳，支付方式改革覆盖全部统筹区医疗机构",
    "全民参保成果进一步巩固，基金监管长效机制初步建立，经办服务实现“一窗通办”",
)
L1 = {"output": "产出指标（50分）", "effect": "效益指标（30分）", "satisfaction": "满意度指标（10分）"}


def _ind(l1: str, l2: str, l3: str, target: str, actual: str, weight: int, score: float, note: str = "") -> dict:
    s = f"{score:.1f}".rstrip("0").rstrip(".")
    return {"level1": L1[l1], "level2": l2, "level3": l3, "target": target, "actual": actual, "weight": str(weight),
            "score": s, "note": note}


def make_indicators(by: BureauYear, project: Project | None, rng: random.Random) -> list[dict]:
    """Indicator rows (weights 50 + 30 + 10; the 执行率 row's 10 completes 100)."""
    y = by.year
    f = by.fund
    if project is not None:
        qty_name, qual_name, _, _ = PROJECT_SPECIFIC[project.code]
    else:
        qty_name, qual_name = "基本医疗保险参保人数", "基本医保综合参保率"
    out_w = rng.choice(([15, 15, 10, 10], [20, 10, 10, 10], [10, 20, 10, 10]))
    eff_w = rng.choice(([10, 10, 10], [15, 15]))
    # counts that the narrative also quotes are printed as the same number (text and table agree)
    quoted = {None: f.insured, "2101301": f.assistance_visits, "2101202": f.insured_resident,
              "2101502": f.inspections}
    code = project.code if project else None
    if code in quoted:
        n_actual = quoted[code]
        n_target = max(1, int(n_actual * rng.uniform(0.90, 0.99)))
    else:
        n_target = max(10, int(rng.uniform(0.80, 0.95) * f.assistance_visits))
        n_actual = int(n_target * rng.uniform(1.01, 1.12))
    shortfall = rng.random() < 0.15
    qual_target = rng.choice((90, 95, 98))
    qual_actual = round(rng.uniform(qual_target + 0.3, 100), 2) if not shortfall else round(qual_target - rng.uniform(2, 6), 2)
    qual_score = out_w[1] if not shortfall else round(out_w[1] * qual_actual / qual_target, 1)
    unit = by.unit
    budget = project.budget_full if project else by.dept_budget_full
    executed = project.executed if project else by.expense_total
    from toolkit.synth.money import fmt_amount

    rows = [
        _ind("output", "数量指标", qty_name, f"≥{n_target}", f"{n_actual}", out_w[0], out_w[0]),
        _ind("output", "质量指标", qual_name, f"≥{qual_target}%", f"{qual_actual:g}%", out_w[1], qual_score,
             "受参保人员流动影响未完全达标，下一步加强动态管理" if shortfall else ""),
        _ind("output", "时效指标", "资金拨付及时性", f"{y}年12月31日前", f"{y}年12月{rng.randint(10, 28)}日前完成",
             out_w[2], out_w[2]),
        _ind("output", "成本指标", "项目成本控制" if project else "部门整体支出控制",
             f"≤{fmt_amount(budget, strip=True)}{unit}", f"{fmt_amount(executed, strip=True)}{unit}", out_w[3], out_w[3]),
    ]
    effect_names = [("社会效益指标", "参保群众政策知晓率", "≥85%", f"{rng.uniform(86, 97):.1f}%"),
                    ("经济效益指标", "医保基金收支平衡", "收支平衡", "收支平衡、略有结余"),
                    ("可持续影响指标", "医疗保障制度持续有效运行", "长期", "持续发挥作用")]
    if len(eff_w) == 2:
        effect_names = effect_names[:2]
    for (l2, l3, t, a), w in zip(effect_names, eff_w, strict=True):
        rows.append(_ind("effect", l2, l3, t, a, w, w))
    sat = round(rng.uniform(90.5, 98.0), 1)
    rows.append(_ind("satisfaction", "服务对象满意度指标", "参保群众满意度", "≥90%", f"{sat}%", 10, 10))
    return rows


def goals(project: Project | None, rng: random.Random) -> tuple[str, str]:
    if project is not None:
        _, _, goal, achieved = PROJECT_SPECIFIC[project.code]
        return goal, achieved
    i = rng.randrange(len(DEPT_GOAL))
    return DEPT_GOAL[i], DEPT_ACTUAL[i]
