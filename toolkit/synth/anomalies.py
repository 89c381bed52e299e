"""Inject labelled anomalies of every kind in ``toolkit.kinds`` into bureau-year drafts.

Two kinds change the finance model before documents are built (``peer_outlier``: the bureau's
spending is ×3 its normal size in every year; ``yoy_jump``: the last year jumps ×2.5–3.5).
Every other kind edits one printed value or passage of one document draft and records what
was printed before. A bureau-year without a label is left exactly as generated (clean).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from decimal import Decimal

from toolkit.extract import table_types as tt
from toolkit.kinds import KINDS
from toolkit.synth.draft import DocDraft, Para, TableDraft
from toolkit.synth.money import fmt_amount, fmt_pct, pct

MODEL_KINDS = ("peer_outlier", "yoy_jump")
# injected into generated frames, not documents (toolkit.synth.peer_anomalies): never drawn for a document
FRAME_KINDS = ("line_item_peer_outlier", "profile_outlier", "feature_yoy_jump", "first_digits_nonconforming",
               "last_digits_nonuniform", "round_number_excess", "duplicated_amount")
# kinds injected into real documents by ``toolkit.mutate`` only (claims over the text), not by this generator
MUTATION_ONLY_KINDS = ("comparison_contradicted", "product_mismatch", "restatement_mismatch")
TEXT_KINDS = tuple(k for k in KINDS if k not in MODEL_KINDS and k not in FRAME_KINDS and k not in MUTATION_ONLY_KINDS)


@dataclass(slots=True)
class Label:
    doc_type: str
    kind: str
    location: str
    injected_value: str
    original_value: str
    description: str
    category: str = ""
    document: str = ""  # filled by the corpus writer (path relative to the corpus dir)
    bureau: str = ""
    region_code: str = ""
    fiscal_year: int = 0

    def __post_init__(self) -> None:
        self.category = KINDS[self.kind]


@dataclass(slots=True)
class Target:
    """What an injector may touch: one bureau-year's drafts and a few peers' texts."""

    drafts: dict[str, DocDraft]
    year: int
    unit: str
    strip: bool
    rng: random.Random
    peer_work_paragraphs: list[str] = field(default_factory=list)


def _num_re(s: str) -> re.Pattern[str]:
    # the printed number as a whole token (not the tail of a longer number)
    return re.compile(r"(?<![\d.,，])" + re.escape(s))


def _replace_in_para(p: Para, old: str, new: str) -> bool:
    m = _num_re(old).search(p.text)
    if not m:
        return False
    p.text = p.text[: m.start()] + new + p.text[m.end():]
    return True


def _section_para(d: DocDraft, section: str) -> Para | None:
    ps = d.paras(section)
    return ps[0] if ps else None


def _money_tokens(text: str, unit: str) -> list[str]:
    return re.findall(r"(?<![\d.,])-?\d[\d,]*(?:\.\d+)?" + unit + r"(?!/)", text)


def _shift_amount(tok: str, unit: str, rng: random.Random, strip: bool) -> str:
    raw = tok[: -len(unit)].replace(",", "")
    v = int((Decimal(raw) * 100).to_integral_value())
    delta = max(137, int(abs(v) * rng.uniform(0.03, 0.15)))
    nv = v + delta if rng.random() < 0.6 else max(1, v - delta)
    return fmt_amount(nv, thousands="," in tok, strip=strip) + unit


def _shift_cell(t: TableDraft, row: str, col: str, delta: int) -> tuple[str, str]:
    v = t.amounts.get((_row_key(t, row), col))
    if v is None:
        raise KeyError((row, col))
    new = t.fmt(v + delta) if t.fmt else str(v + delta)
    old = t.set(row, col, new)
    t.amounts[(_row_key(t, row), col)] = v + delta
    return old, new


def _row_key(t: TableDraft, row: str) -> str:
    r, _ = t.locate(row, t.col_keys[0])
    return t.row_keys[r] or ""


def _delta(v: int, rng: random.Random) -> int:
    return max(100, int(abs(v) * rng.uniform(0.04, 0.2)))


# ------------------------------------------------------------------ table kinds
def broken_footing(x: Target) -> Label | None:
    t = x.drafts["final_accounts"].tables(tt.EXPENSE)[0]
    rows = [k for k in t.row_keys if k and len(k) == 7 and t.amounts.get((k, "basic"), 0) > 0]
    if not rows:
        return None
    row = x.rng.choice(rows)
    d = _delta(t.amounts[(row, "total")], x.rng)
    old, new = _shift_cell(t, row, "total", d)
    _shift_cell(t, row, "basic", d)
    return Label("final_accounts", "broken_footing", f"支出决算表/{row}/本年支出合计", new, old,
                 f"科目{row}的本年支出合计与基本支出同增{t.fmt(d)}，列合计未变：合计行不等于各科目之和")


def cross_table_mismatch(x: Target) -> Label | None:
    t = x.drafts["final_accounts"].tables(tt.GPB_EXPENSE)[0]
    rows = [k for k in t.row_keys if k and len(k) == 7 and t.amounts.get((k, "basic"), 0) > 0]
    if not rows:
        return None
    row = x.rng.choice(rows)
    d = _delta(t.amounts[(row, "total")], x.rng)
    for key in {row, row[:5], row[:3], "total"}:
        if t.has(key, "total") and (key, "total") in t.amounts:
            _shift_cell(t, key, "total", d)
            _shift_cell(t, key, "basic", d)
    return Label("final_accounts", "cross_table_mismatch", "一般公共预算财政拨款支出决算表/合计/小计",
                 t.get("total", "total"), t.fmt(t.amounts[("total", "total")] - d),
                 f"05表（含合计行）整体多计{t.fmt(d)}，与04表本年支出、03表及01表不一致，05表内部仍平衡")


def score_sum_mismatch(x: Target) -> Label | None:
    t = x.rng.choice(x.drafts["project_self_eval"].tables(tt.PROJECT_SELF_EVAL))
    old = t.get("score_total", "score")
    k = x.rng.choice((-5, -3, -2, 2, 3, 4))
    new = str(Decimal(old) + k)
    t.set("score_total", "score", new)
    return Label("project_self_eval", "score_sum_mismatch", f"项目支出绩效自评表[{t.project}]/总分/得分", new, old,
                 f"总分改为{new}，不等于各项得分之和{old}")


def target_copied_across_projects(x: Target) -> Label | None:
    tabs = x.drafts["project_self_eval"].tables(tt.PROJECT_SELF_EVAL)
    if len(tabs) < 2:
        return None
    a, b = x.rng.sample(tabs, 2)
    ia = [i for i, k in enumerate(a.row_keys) if k and k.startswith("ind")]
    ib = [i for i, k in enumerate(b.row_keys) if k and k.startswith("ind")]
    for ra, rb in zip(ia, ib, strict=False):
        for col in (3, 4):  # 三级指标, 年度指标值
            b.rows[rb][col] = a.rows[ra][col]
    return Label("project_self_eval", "target_copied_across_projects", f"项目支出绩效自评表[{b.project}]/绩效指标",
                 f"copied from [{a.project}]", "", f"项目“{b.project}”的三级指标和年度指标值照抄项目“{a.project}”")


def actual_copied_from_target(x: Target) -> Label | None:
    t = x.rng.choice(x.drafts["project_self_eval"].tables(tt.PROJECT_SELF_EVAL))
    for i, k in enumerate(t.row_keys):
        if k and k.startswith("ind"):
            t.rows[i][5] = t.rows[i][4]
    g = t.row_keys.index("goal")
    t.rows[g][4] = t.rows[g][1]
    return Label("project_self_eval", "actual_copied_from_target", f"项目支出绩效自评表[{t.project}]/实际完成值",
                 "实际完成值 = 年度指标值", "", "每行实际完成值与年度指标值相同，实际完成情况照抄预期目标")


# ------------------------------------------------------------------ narrative kinds
def text_table_mismatch(x: Target) -> Label | None:
    d = x.drafts["final_accounts"]
    for sec in ("final.basic", "final.expense", "final.income"):
        p = _section_para(d, sec)
        if p is None:
            continue
        toks = _money_tokens(p.text, x.unit)
        if toks:
            old = toks[0]
            new = _shift_amount(old, x.unit, x.rng, x.strip)
            if _replace_in_para(p, old, new):
                return Label("final_accounts", "text_table_mismatch", f"情况说明/{sec}: {p.text[:24]}", new, old,
                             f"情况说明中的金额{old}被改为{new}，与对应表格数不符")
    return None


_PCT = re.compile(r"(?<![\d.])\d+(?:\.\d+)?%")


def _replace_pct(x: Target, d: DocDraft, sections: tuple[str, ...], kind: str, what: str) -> Label | None:
    for sec in sections:
        p = _section_para(d, sec)
        if p is None:
            continue
        m = _PCT.search(p.text)
        if not m:
            continue
        old = m.group(0)
        v = Decimal(old[:-1])
        shift = Decimal(str(round(x.rng.uniform(2.0, 9.0), 2)))
        nv = v + shift if v < 50 or x.rng.random() < 0.3 else v - shift
        new = fmt_pct(nv.quantize(Decimal("0.01")), strip=x.strip)
        p.text = p.text[: m.start()] + new + p.text[m.end():]
        return Label(d.doc_type, kind, f"情况说明/{sec}: {p.text[:24]}", new, old, f"{what}由{old}改为{new}")
    return None


def wrong_percentage(x: Target) -> Label | None:
    return _replace_pct(x, x.drafts["final_accounts"], ("final.basic", "final.expense", "final.income"),
                        "wrong_percentage", "占比")


def wrong_growth_rate(x: Target) -> Label | None:
    d = x.drafts["final_accounts"]
    for sec in ("final.overall", "final.fiscal", "final.gpb_total"):
        p = _section_para(d, sec)
        if p is None:
            continue
        m = re.search(r"[增减][加少](?:幅度为|)(\d+(?:\.\d+)?%)", p.text) or _PCT.search(p.text)
        if not m:
            continue
        span = m.span(1) if m.re.groups else m.span(0)
        old = p.text[span[0]: span[1]]
        v = Decimal(old[:-1])
        nv = v + Decimal(str(round(x.rng.uniform(1.5, 6.0), 2)))
        new = fmt_pct(nv.quantize(Decimal("0.01")), strip=x.strip)
        p.text = p.text[: span[0]] + new + p.text[span[1]:]
        return Label("final_accounts", "wrong_growth_rate", f"情况说明/{sec}: {p.text[:24]}", new, old,
                     f"增长率由{old}改为{new}，与增减额和上年数不符")
    return None


def unit_slip(x: Target) -> Label | None:
    d = x.drafts["final_accounts"]
    for sec in ("final.expense", "final.basic", "final.income"):
        p = _section_para(d, sec)
        if p is None:
            continue
        toks = _money_tokens(p.text, x.unit)
        if len(toks) >= 2:
            old = toks[1]
            other = "元" if x.unit == "万元" else "万元"
            new = old[: -len(x.unit)] + other
            if _replace_in_para(p, old, new):
                return Label("final_accounts", "unit_slip", f"情况说明/{sec}: {p.text[:24]}", new, old,
                             f"同一金额的单位由{x.unit}误写为{other}")
    return None


def _fund_tokens(p: Para) -> list[str]:
    return re.findall(r"(?<![\d.,])-?\d+(?:\.\d+)?万元", p.text)


def fund_arithmetic(x: Target) -> Label | None:
    d = x.drafts["dept_self_eval"]
    p = _section_para(d, x.rng.choice(("eval.emp_fund", "eval.res_fund")))
    if p is None:
        return None
    toks = _fund_tokens(p)
    if len(toks) < 3:
        return None
    old = toks[2]  # 当期结余
    new = _shift_amount(old, "万元", x.rng, x.strip)
    if not _replace_in_para(p, old, new):
        return None
    return Label("dept_self_eval", "fund_arithmetic", f"自评报告/{p.section}: 当期结余", new, old,
                 f"当期结余改为{new}，不等于基金收入减支出")


def fund_spending_over_income(x: Target) -> Label | None:
    d = x.drafts["dept_self_eval"]
    p = _section_para(d, "eval.res_fund")
    if p is None:
        return None
    toks = _fund_tokens(p)
    if len(toks) < 4:
        return None

    def cents(tok: str) -> int:
        return int((Decimal(tok[:-2]) * 100).to_integral_value())

    inc, exp, bal, cum = (cents(t) for t in toks[:4])
    new_exp = int(inc * x.rng.uniform(1.15, 1.30))
    new_bal = inc - new_exp
    new_cum = cum - bal + new_bal
    new = [fmt_amount(v, strip=x.strip) + "万元" for v in (new_exp, new_bal, new_cum)]
    # replace right to left so earlier spans stay valid
    for old_tok, new_tok in reversed(list(zip(toks[1:4], new, strict=True))):
        idx = p.text.rfind(old_tok)
        p.text = p.text[:idx] + new_tok + p.text[idx + len(old_tok):]
    return Label("dept_self_eval", "fund_spending_over_income", "自评报告/eval.res_fund: 居民医保基金支出", new[0],
                 toks[1], f"居民医保基金支出{new[0]}，为收入的{pct(new_exp, inc)}%，当期结余为负")


def coverage_over_100(x: Target) -> Label | None:
    d = x.drafts["dept_self_eval"]
    p = _section_para(d, "eval.coverage")
    if p is None:
        return None
    m_pop = re.search(r"户籍人口(\d+)人", p.text)
    m_cov = _PCT.search(p.text)
    ints = re.findall(r"(?<![\d.])(\d{3,})人", p.text)
    if not (m_pop and m_cov and ints):
        return None
    pop = int(m_pop.group(1))
    # 参保人数 = the largest count that is not the population; 职工 = the smallest
    counts = sorted({int(v) for v in ints if int(v) != pop})
    if len(counts) < 3:
        return None
    emp, _res, ins = counts[0], counts[1], counts[-1]
    new_ins = int(pop * x.rng.uniform(1.01, 1.05))
    new_res = new_ins - emp
    new_cov = f"{pct(new_ins, pop)}%"
    old_cov = m_cov.group(0)
    text = p.text.replace(f"{ins}人", f"{new_ins}人").replace(f"{_res}人", f"{new_res}人")
    text = text.replace(old_cov, new_cov, 1)
    p.text = text
    return Label("dept_self_eval", "coverage_over_100", "自评报告/eval.coverage: 参保率", new_cov, old_cov,
                 f"参保人数{new_ins}超过户籍人口{pop}，参保率{new_cov}")


def rate_out_of_band(x: Target) -> Label | None:
    d = x.drafts["dept_self_eval"]
    p = _section_para(d, "eval.benefits")
    if p is None:
        return None
    pcts = _PCT.findall(p.text)
    if len(pcts) < 2:
        return None
    if x.rng.random() < 0.5:
        old, new = pcts[0], f"{x.rng.uniform(96.0, 99.5):.2f}%"
        what = "职工政策范围内住院费用基金支付比例"
    else:
        old, new = pcts[1], f"{x.rng.uniform(42.0, 52.0):.2f}%"
        what = "居民政策范围内住院费用基金支付比例"
    p.text = p.text.replace(old, new, 1)
    return Label("dept_self_eval", "rate_out_of_band", f"自评报告/eval.benefits: {what}", new, old,
                 f"{what}{new}，超出合理区间")


def paragraph_copied_across_bureaus(x: Target) -> Label | None:
    d = x.drafts["dept_self_eval"]
    p = _section_para(d, "eval.work")
    if p is None or not x.peer_work_paragraphs:
        return None
    src = x.rng.choice(x.peer_work_paragraphs)
    old = p.text
    p.text = src
    return Label("dept_self_eval", "paragraph_copied_across_bureaus", "自评报告/eval.work", src[:40], old[:40],
                 "工作开展情况段落与另一局的段落逐字相同（含对方地名）")


def stale_year_text(x: Target) -> Label | None:
    d = x.rng.choice([x.drafts["final_accounts"], x.drafts["dept_self_eval"]])
    stale = f"{x.year - 2}年"
    for p in d.paras():
        if p.section and p.section not in ("eval.work",) and f"{x.year}年" in p.text:
            p.text = p.text.replace(f"{x.year}年", stale, 1)
            return Label(d.doc_type, "stale_year_text", f"{p.section}: {p.text[:24]}", stale, f"{x.year}年",
                         f"{x.year}年度报告中出现过期年份“{stale}”（沿用旧年度文本）")
    return None


RESIDUES = ("（200字以内）", "（100字以内）", "XX县医疗保障局", "截至XX月XX日", "对照年度目标，说明XX")


def template_residue(x: Target) -> Label | None:
    d = x.drafts["dept_self_eval"]
    residue = x.rng.choice(RESIDUES)
    heads = [p for p in d.paras() if not p.section and p.text.startswith(("四、", "五、", "三、"))]
    if residue.startswith("（") and heads:
        p = x.rng.choice(heads)
        p.text += residue
        where = p.text
    else:
        p = _section_para(d, "eval.problems") or d.paras()[1]
        p.text = residue + "。" + p.text
        where = p.section
    return Label("dept_self_eval", "template_residue", f"自评报告/{where[:24]}", residue, "",
                 f"模板说明文字/占位符“{residue}”未删除")


# ------------------------------------------------------------------ disclosure gaps
def _fa(x: Target) -> DocDraft | None:
    return x.drafts.get("final_accounts")


def required_table_missing(x: Target) -> Label | None:
    d = _fa(x)
    t = d.tables("sangong") if d else []
    if not t:
        return None
    d.items.remove(t[0])
    return Label("final_accounts", "required_table_missing", f"部门决算/{t[0].title}", "（缺失）", t[0].title,
                 f"应公开的“{t[0].title}”被删去")


def toc_table_missing(x: Target) -> Label | None:
    d = _fa(x)
    if not d or not d.tables():
        return None
    numbers = "一二三四五六七八九十"
    entries = [Para("目 录"), Para("第二部分 部门决算表")]
    entries += [Para(f"{numbers[i] if i < 10 else i + 1}、{t.title}") for i, t in enumerate(d.tables())]
    extra = "项目支出决算表"
    entries.append(Para(f"十{numbers[len(d.tables()) - 10] if len(d.tables()) > 10 else ''}、{extra}"))
    d.items[1:1] = entries
    return Label("final_accounts", "toc_table_missing", f"部门决算/目录/{extra}", extra, "",
                 f"目录列有“{extra}”，文件中没有此表")


def empty_table_unstated(x: Target) -> Label | None:
    d = _fa(x)
    t = d.tables("gov_fund") if d else []
    if not t or not t[0].notes:
        return None
    old = t[0].notes
    t[0].notes = []
    for p in d.paras():  # the 情况说明 sentence saying the unit has no such funds is a statement too
        if "政府性基金" in p.text:
            p.text = "。".join(s for s in p.text.split("。") if not re.search(r"没有|无|为0|为零|空表", s))
    return Label("final_accounts", "empty_table_unstated", f"部门决算/{t[0].title}", "（无说明）", old[0],
                 f"空表“{t[0].title}”的“本表无数据”说明被删去")


def empty_statement_contradicted(x: Target) -> Label | None:
    d = _fa(x)
    t = d.tables("gov_fund") if d else []
    if not t or not t[0].notes or not t[0].has("total", "c1"):
        return None
    v = max(100, int(x.rng.uniform(5_000, 200_000)))
    text = t[0].fmt(v) if t[0].fmt else str(v)
    for col in ("c1", "c2", "c4"):  # 本年收入 = 本年支出 小计 = 项目支出
        t[0].set("total", col, text)
    return Label("final_accounts", "empty_statement_contradicted", f"部门决算/{t[0].title}/合计", text, "",
                 f"“{t[0].title}”注明本表无数据，却填有本年收入和支出{text}")


INJECTORS = {
    "broken_footing": broken_footing,
    "cross_table_mismatch": cross_table_mismatch,
    "text_table_mismatch": text_table_mismatch,
    "wrong_percentage": wrong_percentage,
    "wrong_growth_rate": wrong_growth_rate,
    "score_sum_mismatch": score_sum_mismatch,
    "unit_slip": unit_slip,
    "fund_arithmetic": fund_arithmetic,
    "coverage_over_100": coverage_over_100,
    "fund_spending_over_income": fund_spending_over_income,
    "rate_out_of_band": rate_out_of_band,
    "target_copied_across_projects": target_copied_across_projects,
    "actual_copied_from_target": actual_copied_from_target,
    "paragraph_copied_across_bureaus": paragraph_copied_across_bureaus,
    "stale_year_text": stale_year_text,
    "template_residue": template_residue,
    "required_table_missing": required_table_missing,
    "toc_table_missing": toc_table_missing,
    "empty_table_unstated": empty_table_unstated,
    "empty_statement_contradicted": empty_statement_contradicted,
}
assert set(INJECTORS) | set(MODEL_KINDS) | set(FRAME_KINDS) | set(MUTATION_ONLY_KINDS) == set(KINDS), \
    "every kind needs an injector"


def inject(kind: str, target: Target) -> Label | None:
    return INJECTORS[kind](target)
