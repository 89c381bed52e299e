"""One evaluator for every claim stated in the text (``toolkit.claims``), rules IT070–IT077.

Each claim is recomputed from its operands with the printed-precision interval model
(``tolerance``): a figure printed with d decimals stands for ±half a unit of its last digit; a rate
printed with d decimals may also have been truncated, so it stands for [p − h, p + 2h]. A claim fails
only when the stated and the recomputed intervals do not meet. A failing claim that holds once one
money operand's unit is read the other way (元 ↔ 万元) is a unit slip (IT076), not an arithmetic error.
A claim with a missing operand, an approximate figure (约/近/以上) or a base that may be zero is skipped,
with its reason, and counts in coverage as not checked.

The per-claim arithmetic runs over Python scalars: a claim has two to a dozen operands of its own
shape, and a document has tens of claims, so vectorising it would only obscure the rules.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from toolkit.checks.framework import conform_hits, get, per_frames
from toolkit.checks.text_amounts import (
    SUBJECT_WORDS,
    metric_cells,
    shorten,
    text_amounts_vs_tables,
    text_facts,
)
from toolkit.checks.tolerance import fmt_number, scalar_overlap
from toolkit.claims.frame import claims_of
from toolkit.claims.numbers import Num
from toolkit.claims.resolve import TableFigure

# claim kind -> (rule code, identity in coverage, anomaly kind)
RULES: dict[str, tuple[str, str, str]] = {
    "change": ("IT070", "C-change", "wrong_growth_rate"),
    "share": ("IT071", "C-share", "wrong_percentage"),
    "completion": ("IT072", "C-completion", "wrong_percentage"),
    "partition": ("IT073", "C-partition", "fund_arithmetic"),
    "comparison": ("IT074", "C-comparison", "comparison_contradicted"),
    "product": ("IT075", "C-product", "product_mismatch"),
    "balance": ("IT077", "C-balance", "fund_arithmetic"),
}
UNIT_SLIP = ("IT076", "C-unit", "unit_slip")

_APPROX_BEFORE = re.compile(r"(?:约|近|将近|接近|超|逾|大约|不到|不足|达)$")
_APPROX_AFTER = re.compile(r"^(?:以上|以下|左右|多|余|及以上|上下)")
_SIGN = {"increase": 1.0, "decrease": -1.0, "flat": 0.0}

Iv = tuple[float, float]


@dataclass(slots=True)
class Op:
    role: str
    value: float
    decimals: int
    scale: float
    unit: str
    base_unit: str
    raw: str
    start: int | None
    passage_id: str | None
    name: str | None
    resolved_by: str | None

    @property
    def base(self) -> float:
        return self.value * self.scale

    def iv(self) -> Iv:
        h = 0.5 * 10 ** -self.decimals * self.scale
        return self.base - h, self.base + h

    def rate_iv(self) -> Iv:
        """A stated rate: rounded or truncated to its printed decimals."""
        h = 0.5 * 10 ** -self.decimals
        return self.value - h, self.value + 2 * h


def _ops(row: dict) -> dict[str, Op]:
    out: dict[str, Op] = {}
    for o in row["operands"] or []:
        if o["value"] is None:
            continue
        op = Op(o["role"], o["value"], o["decimals"] or 0, o["scale"] or 1.0, o["unit"] or "", o["base_unit"] or "",
                o["raw"] or "", o["start"], o["passage_id"], o["name"], o["resolved_by"])
        key = o["role"] if row["kind"] != "partition" or not o["role"].startswith("part") else f"{o['role']}#{len(out)}"
        out[key] = op
    return out


def _sub(a: Iv, b: Iv) -> Iv:
    return a[0] - b[1], a[1] - b[0]


def _meet(a: Iv, b: Iv) -> Iv:
    """The intersection of two intervals known to overlap (the first when they do not)."""
    lo, hi = max(a[0], b[0]), min(a[1], b[1])
    return (lo, hi) if lo <= hi else a


def _ratio(n: Iv, d: Iv) -> Iv | None:
    if d[0] <= 0 <= d[1]:
        return None
    c = [n[0] / d[0], n[0] / d[1], n[1] / d[0], n[1] / d[1]]
    return min(c) * 100, max(c) * 100


@dataclass(slots=True)
class Verdict:
    status: str  # passed|failed|skipped
    reason: str | None = None
    expected: str | None = None  # the recomputed side
    actual: str | None = None  # the stated side
    computed: float | None = None
    stated: float | None = None
    near: bool = False
    formula: str = ""


def _pct(iv: Iv) -> str:
    return f"{fmt_number((iv[0] + iv[1]) / 2, 2)}%"


def _amount(x: float, like: Op) -> str:
    return f"{fmt_number(x / like.scale, like.decimals)}{like.unit}"


def _compare_rate(stated: Op, computed: Iv | None, formula: str) -> Verdict:
    if computed is None:
        return Verdict("skipped", "the base may be zero")
    lo, hi = stated.rate_iv()
    c = (computed[0] + computed[1]) / 2
    if scalar_overlap((lo, hi), computed):
        return Verdict("passed", formula=formula)
    width = (hi - lo) + (computed[1] - computed[0])
    near = scalar_overlap((lo - width, hi + width), computed)
    return Verdict("failed", None, _pct(computed), stated.raw, c, stated.value, near, formula)


def _compare_amount(stated: Op, computed: Iv, formula: str) -> Verdict:
    s = stated.iv()
    if scalar_overlap(s, computed):
        return Verdict("passed", formula=formula)
    width = (s[1] - s[0]) + (computed[1] - computed[0])
    near = scalar_overlap((s[0] - width, s[1] + width), computed)
    return Verdict("failed", None, _amount((computed[0] + computed[1]) / 2, stated), stated.raw,
                   (computed[0] + computed[1]) / 2, stated.base, near, formula)


def _change(row: dict, o: dict[str, Op]) -> Verdict:
    old, new, delta, rate = o.get("old"), o.get("new"), o.get("delta"), o.get("rate")
    d_dir = row["direction"]
    if delta is not None and rate is not None and row.get("_rate_direction") not in (None, d_dir):
        return Verdict("failed", None, "增减方向一致", f"{delta.raw} 与 {rate.raw} 方向相反", None, None, False,
                       "增减额与增减率方向相反")
    s = _SIGN.get(d_dir or "", None)
    if old is not None and new is not None:
        diff = _sub(new.iv(), old.iv())
        if s is not None and s != 0 and (diff[1] < 0 if s > 0 else diff[0] > 0):
            word = "增加" if s > 0 else "减少"
            return Verdict("failed", None, f"{'减少' if s > 0 else '增加'} {_amount(abs((diff[0] + diff[1]) / 2), new)}",
                           f"{word}（{old.raw} → {new.raw}）", None, None, False, f"{new.raw} − {old.raw}")
        signed = diff if s is None or s >= 0 else (-diff[1], -diff[0])
        base = old.iv()
        if delta is not None and s:
            v = _compare_amount(delta, signed, f"{new.raw} − {old.raw}")
            if v.status == "failed":
                return v
            # the change amount narrows both: old = new ∓ change, change = |new − old|
            signed = _meet(signed, delta.iv())
            d = delta.iv()
            base = _meet(base, _sub(new.iv(), d) if s > 0 else (new.iv()[0] + d[0], new.iv()[1] + d[1]))
        if rate is not None and s:
            formula = f"({new.raw} − {old.raw}) ÷ {old.raw}"
            if base[0] <= 0 <= base[1] and s > 0 and signed[0] > 0:
                return _from_nothing(rate, formula)
            return _compare_rate(rate, _ratio(signed, base), formula)
        return Verdict("passed") if delta is not None else Verdict("skipped", "no rate or change amount")
    if delta is not None and rate is not None and s:
        if new is not None:
            base = _sub(new.iv(), delta.iv()) if s > 0 else (new.iv()[0] + delta.iv()[0], new.iv()[1] + delta.iv()[1])
            formula = f"{delta.raw} ÷ （{new.raw} {'−' if s > 0 else '+'} {delta.raw}）"
        elif old is not None:
            base, formula = old.iv(), f"{delta.raw} ÷ {old.raw}"
        else:
            return Verdict("skipped", "no amount the change is of")
        if base[0] <= 0 <= base[1] and s > 0 and delta.iv()[0] > 0:
            return _from_nothing(rate, formula)
        if base[1] <= 0:
            return Verdict("failed", None, "上年数为正", f"{formula} 的上年数不为正", None, None, False, formula) \
                if base[1] < -abs(base[1] - base[0]) else Verdict("skipped", "the base may be zero")
        return _compare_rate(rate, _ratio(delta.iv(), base), formula)
    return Verdict("skipped", "missing: " + (row["missing"] or "operands"))


def _from_nothing(rate: Op, formula: str) -> Verdict:
    """An increase from last year's nothing (a unit founded this year) is stated as 增长100% by convention."""
    lo, hi = rate.rate_iv()
    if lo <= 100 <= hi:
        return Verdict("passed", formula=formula)
    return Verdict("failed", None, "100%（上年数为零）", rate.raw, 100.0, rate.value, False, formula)


def _ratio_claim(o: dict[str, Op], num: str, den: str) -> Verdict:
    a, b, r = o.get(num), o.get(den), o.get("rate")
    if a is None or b is None or r is None:
        return Verdict("skipped", f"missing: {num if a is None else den}")
    if b.resolved_by == "table" and scalar_overlap(a.iv(), b.iv()):
        # the table's total found for the whole is the part itself (占本年支出合计的99.92% of a 财政拨款 total
        # met in the 财政拨款 table): the whole the text means is another figure
        return Verdict("skipped", "the table figure found for the whole equals the part")
    return _compare_rate(r, _ratio(a.iv(), b.iv()), f"{a.raw} ÷ {b.raw}")


def _partition(row: dict, o: dict[str, Op]) -> Verdict:
    """The parts (less the ``part_minus`` ones: 调减, a reason of the other direction) against the whole."""
    whole = o.get("whole")
    plus = [v for k, v in o.items() if k.startswith("part#")]
    minus = [v for k, v in o.items() if k.startswith("part_minus#")]
    if whole is None or not plus:
        return Verdict("skipped", "missing: whole or parts")
    lo = sum(p.iv()[0] for p in plus) - sum(p.iv()[1] for p in minus)
    hi = sum(p.iv()[1] for p in plus) - sum(p.iv()[0] for p in minus)
    w = whole.iv()
    f = " + ".join(p.raw for p in plus) + "".join(f" − {p.raw}" for p in minus)
    if row["relation"] == "=":  # a list closed by 其他…, a netted list of reasons, a budget and its adjustments
        if scalar_overlap((lo, hi), w):
            return Verdict("passed")
        width = (hi - lo) + (w[1] - w[0])
        near = scalar_overlap((w[0] - width, w[1] + width), (lo, hi))
        return Verdict("failed", None, f"= {whole.raw}", _amount((lo + hi) / 2, whole), (lo + hi) / 2, whole.base,
                       near, f)
    if lo <= w[1] + 1e-9 * (abs(w[1]) + 1):
        return Verdict("passed")
    return Verdict("failed", None, f"≤ {whole.raw}", _amount((lo + hi) / 2, whole), (lo + hi) / 2, w[1], False, f)


def _comparison(row: dict, o: dict[str, Op]) -> Verdict:
    a, b = o.get("a"), o.get("b")
    if a is None or b is None:
        return Verdict("skipped", "missing: " + ("a" if a is None else "b"))
    ai, bi = a.iv(), b.iv()
    rel = row["relation"]
    # 基本持平 (“~”): equal within a twentieth of the larger figure, beyond their printed precision
    band = 0.05 * max(abs(ai[1]), abs(bi[1]))
    bad = {">": ai[1] < bi[0], "<": ai[0] > bi[1], "<=": ai[0] > bi[1], "=": not scalar_overlap(ai, bi),
           "~": not scalar_overlap((ai[0] - band, ai[1] + band), bi)}[rel]
    if not bad:
        return Verdict("passed")
    truth = "大于" if ai[0] > bi[1] else "小于" if ai[1] < bi[0] else "等于"
    return Verdict("failed", None, f"{a.raw} {truth} {b.raw}", f"{a.raw} {row['form'].strip('XY名')} {b.raw}",
                   None, None, False, f"{a.raw} 与 {b.raw}")


def _product(o: dict[str, Op]) -> Verdict:
    n, per, total = o.get("count"), o.get("per_unit"), o.get("total")
    if n is None or per is None or total is None:
        return Verdict("skipped", "missing operands")
    ni, pi = n.iv(), per.iv()
    if ni[0] < 0 or pi[0] < 0:
        return Verdict("skipped", "negative operand")
    return _compare_amount(total, (ni[0] * pi[0], ni[1] * pi[1]), f"{n.raw} × {per.raw}")


def _balance(o: dict[str, Op]) -> Verdict:
    inc, exp, bal = o.get("income"), o.get("expense"), o.get("balance")
    if inc is None or exp is None or bal is None:
        return Verdict("skipped", "missing: income or expense")
    return _compare_amount(bal, _sub(inc.iv(), exp.iv()), f"{inc.raw} − {exp.raw}")


def _judge(row: dict, o: dict[str, Op]) -> Verdict:
    kind = row["kind"]
    if kind == "change":
        return _change(row, o)
    if kind == "share":
        return _ratio_claim(o, "part", "whole")
    if kind == "completion":
        return _ratio_claim(o, "actual", "budget")
    if kind == "partition":
        return _partition(row, o)
    if kind == "comparison":
        return _comparison(row, o)
    if kind == "product":
        return _product(o)
    if kind == "balance":
        return _balance(o)
    return Verdict("skipped", "not a relation")


def _approximate(row: dict, o: dict[str, Op]) -> bool:
    s = row["sentence"] or ""
    at = row["span_start"] or 0
    for op in o.values():
        if op.start is None or op.passage_id:
            continue
        i = op.start - at
        if i < 0:
            continue  # a figure of the sentence before: its words are not in this row
        if _APPROX_BEFORE.search(s[max(0, i - 2):i]) or _APPROX_AFTER.match(s[i + len(op.raw):i + len(op.raw) + 3]):
            return True
    return False


def _flip(op: Op) -> Op | None:
    if op.unit in ("万元", "万"):
        return Op(**{**_fields(op), "scale": 1.0, "unit": "元"})
    if op.unit == "元":
        return Op(**{**_fields(op), "scale": 1e4, "unit": "万元"})
    return None


def _fields(op: Op) -> dict:
    return {k: getattr(op, k) for k in Op.__slots__}


def _unit_slip(row: dict, o: dict[str, Op]) -> list[Op] | None:
    """The money operands whose unit, read the other way, makes the failing claim hold (any one of them
    may be the slip: 362.62元 beside 408.65万元 holds as 万元/万元 and as 元/元)."""
    money = {k: v for k, v in o.items() if v.base_unit == "元"}
    if len({v.unit.replace("万元", "万") for v in money.values()}) < 2:
        return None  # one unit throughout: no slip between units to find
    fixes = []
    for k, v in money.items():
        f = _flip(v)
        if f is not None and _judge(row, {**o, k: f}).status == "passed":
            fixes.append(v)
    return fixes or None


def _whole_in_other_unit(row: dict, o: dict[str, Op]) -> Verdict | None:
    """A 其中 list that holds as printed (parts ≤ whole) only because its whole's unit is the other one:
    two or more parts, all in one unit, add up exactly (at printed precision) to the whole's digits read in
    that unit (“经费1,015,954.00万元，其中街道585,654.00元、镇424,276.00元、学校6,024.00元”). That the sum
    meets the other unit's reading by chance is as unlikely as any printed figure matching to the last digit."""
    whole = o.get("whole")
    plus = [v for k, v in o.items() if k.startswith("part#")]
    if row["kind"] != "partition" or row["relation"] == "=" or whole is None or len(plus) < 2 \
            or any(k.startswith("part_minus#") for k in o):
        return None
    units = {v.unit.replace("万元", "万") for v in plus}
    flipped = _flip(whole)
    if flipped is None or len(units) != 1 or whole.unit.replace("万元", "万") in units \
            or any(v.base_unit != "元" for v in plus):
        return None
    lo, hi = sum(p.iv()[0] for p in plus), sum(p.iv()[1] for p in plus)
    if not scalar_overlap((lo, hi), flipped.iv()):
        return None
    formula = " + ".join(p.raw for p in plus)
    return Verdict("failed", None, f"= {fmt_number(flipped.value, flipped.decimals)}{flipped.unit}",
                   _amount((lo + hi) / 2, flipped), (lo + hi) / 2, whole.base, False, formula)


def evaluate(claims: pl.DataFrame) -> list[dict]:
    """One verdict row per claim: claim fields + status, reason, code, identity, kind and the numbers."""
    out = []
    for row in claims.iter_rows(named=True):
        if row["kind"] not in RULES:
            continue
        code, identity, kind = RULES[row["kind"]]
        o = _ops(row)
        row["_rate_direction"] = _rate_direction(row)
        if row["missing"]:
            v = Verdict("skipped", f"unresolved: {row['missing']}")
        elif _approximate(row, o):
            v = Verdict("skipped", "an approximate figure (约/以上/左右)")
        else:
            v = _judge(row, o)
        slip, exact = None, False
        if v.status == "failed":
            slip = _unit_slip(row, o)
            if slip is not None:
                code, identity, kind = UNIT_SLIP
        elif v.status == "passed" and (other := _whole_in_other_unit(row, o)) is not None:
            v, slip, exact = other, [o["whole"]], True
            code, identity, kind = UNIT_SLIP
        out.append({**row, "ops": o, "verdict": v, "code": code, "identity": identity, "finding_kind": kind,
                    "slip": slip, "slip_exact": exact})
    return out


def _rate_direction(row: dict) -> str | None:
    """The direction word of a change claim's rate, read from the sentence just before the rate."""
    rate = next((r for r in row["operands"] or [] if r["role"] == "rate" and r["start"] is not None), None)
    if rate is None or row["kind"] != "change":
        return None
    s = row["sentence"] or ""
    i = rate["start"] - (row["span_start"] or 0)
    head = re.split(r"[，,；;]", s[:i])[-1]
    from toolkit.claims.tokens import DOWN, UP
    found = list(re.finditer(rf"(?P<up>{UP})|(?P<down>{DOWN})", head))
    if not found or len({bool(m.group("up")) for m in found}) > 1:
        return None
    return "increase" if found[-1].group("up") else "decrease"


_TABLE_WHOLES = ("income_total", "expense_total")


def _table_lookup(frames: Mapping[str, pl.DataFrame]):
    cells = metric_cells(frames)  # type: ignore[arg-type]
    by_doc: dict[tuple[str, str], list[TableFigure]] = {}
    for r in cells.iter_rows(named=True):
        if not r["c_value"]:
            continue
        scale = r["c_b"] / r["c_value"]
        num = Num(r["c_value"], r["c_dec"] or 0, r["c_unit"] or "", "元", scale, r["c_raw"] or str(r["c_value"]), -1, -1)
        where = f"{r['c_title']} {r['c_label']}（{r['c_measure']}）"
        by_doc.setdefault((r["document_id"], r["metric"]), []).append(TableFigure(num, where))

    def lookup(document_id: str, name: str) -> list[TableFigure]:
        # only the 收支总表 totals: a 三公/基本/项目 figure of a table may be of another scope or column than the
        # text's (budget vs final, one fund vs all), and a wrong whole would be an unfounded finding
        metrics = [m for m, words in SUBJECT_WORDS.items() if re.search(words, name)]
        if len(metrics) != 1 or metrics[0] not in _TABLE_WHOLES or re.search(r"[(（](?:类|款|项)[)）]", name):
            return []
        return by_doc.get((document_id, metrics[0]), [])

    return lookup


@per_frames
def document_claims(frames: Mapping[str, pl.DataFrame]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(claims, numbers) of the frames' passages, resolved with the tables; shared by IT070–IT078."""
    passages = get(frames, "passages")  # type: ignore[arg-type]
    return claims_of({"passages": passages}, _table_lookup(frames))


@per_frames
def claim_verdicts(frames: Mapping[str, pl.DataFrame]) -> list[dict]:
    """Every claim of the frames' passages, resolved (tables included) and judged; shared by IT070–IT077."""
    return evaluate(document_claims(frames)[0])


def _evidence(r: dict) -> str:
    ev = []
    for op in r["ops"].values():
        item = {"role": op.role, "raw_text": op.raw, "passage_id": op.passage_id or r["passage_id"],
                "resolved_by": op.resolved_by, "name": op.name}
        if op.start is not None and op.start >= 0:
            item["span"] = [op.start, op.start + len(op.raw)]
        ev.append(item)
    return json.dumps([{"passage_id": r["passage_id"], "page": r["page"], "sentence": r["sentence"],
                        "span": [r["span_start"], r["span_end"]], "raw_text": r["sentence"]}] + ev, ensure_ascii=False)


_WHAT = {"change": "增减额/增减率", "share": "占比", "completion": "完成率", "partition": "其中各项之和",
         "comparison": "大小比较", "product": "数量×标准", "balance": "收入−支出=结余"}


def _message(r: dict) -> str:
    v: Verdict = r["verdict"]
    quote = f"文字说明“{shorten(r['sentence'])}”"
    if r.get("slip_exact"):
        whole = r["slip"][0]
        return (f"{quote}中其中各项之和 {v.actual}（{v.formula}）恰等于总数 {whole.raw} 读作"
                f"{'元' if whole.unit in ('万元', '万') else '万元'}：疑为总数单位错写（元/万元）。")
    if r["slip"] is not None:
        which = "或".join(f"{op.raw} 读作{'元' if op.unit in ('万元', '万') else '万元'}" for op in r["slip"])
        return (f"{quote}中{_WHAT[r['kind']]}按所列金额不成立，而把 {which} 即成立："
                f"疑为单位错写（元/万元）。")
    if r["kind"] == "partition" and r["form"] == "原因":
        return (f"{quote}中所列增减原因之和 {v.actual}（{v.formula}，反向的原因相减）不等于所说明的增减额 "
                f"{v.expected[2:]}。")
    if r["kind"] == "partition" and r["form"] == "年初+调整":
        return f"{quote}中年初预算加减年中调整 {v.actual}（{v.formula}）不等于全年预算 {v.expected[2:]}。"
    if r["kind"] == "partition":
        if (v.expected or "").startswith("="):
            return f"{quote}中各项（列至“其他”，应为全部）之和 {v.actual}（{v.formula}）不等于总数 {v.expected[2:]}。"
        return f"{quote}中其中各项之和 {v.actual}（{v.formula}）超过总数 {v.expected.lstrip('≤ ')}。"
    if r["kind"] == "comparison":
        return f"{quote}称 {v.actual}，而按所列数字 {v.expected}。"
    if r["kind"] == "change" and v.computed is None:
        return f"{quote}中增减方向与数字不符：{v.actual}，应为 {v.expected}（{v.formula}）。"
    return (f"{quote}中 {v.actual}，但按 {v.formula} = {v.expected}，超出舍入误差范围"
            f"（{_WHAT[r['kind']]}，已计入数字的打印精度）。")


def _first_start(r: dict) -> int | None:
    starts = [op.start for op in r["ops"].values() if op.start is not None and op.start >= 0 and not op.passage_id]
    return min(starts) if starts else None


def claim_hits(code: str, frames: Mapping[str, pl.DataFrame]) -> tuple[list[pl.DataFrame], list[pl.DataFrame]]:
    """(hits, evals) of one rule code over the shared verdicts."""
    rows, evals = [], []
    for r in claim_verdicts(frames):
        if r["code"] != code:
            continue
        v: Verdict = r["verdict"]
        evals.append({"document_id": r["document_id"], "identity": r["identity"], "status": v.status,
                      "reason": v.reason})
        if v.status != "failed":
            continue
        if v.computed is not None and v.stated is not None:
            diff = v.stated - v.computed
            denom = max(abs(v.stated), abs(v.computed), 1e-9)
            rel = abs(diff) / denom
            unit_word = "个百分点" if r["kind"] in ("share", "completion") or (r["kind"] == "change" and "rate" in r["ops"]
                                                                       and "÷" in v.formula) else ""
            difference = f"{fmt_number(diff, 2)}{unit_word}" if unit_word else fmt_number(diff, 2)
        else:
            rel, difference = 1.0, None
        if r["slip"] is not None:
            rel = 1.0
        if r.get("slip_exact"):
            difference = None  # the parts and the whole agree once the unit is read right: no amount is off
        rows.append({
            "document_id": r["document_id"], "table_id": None,
            # the passage's place in its document (p55), not its document-qualified id: the same statement of a
            # re-read or edited copy of the document keeps its location
            "location": f"{r['identity']}|{r['passage_id'].rpartition(':')[2]}|{r['span_start']}|{_first_start(r)}",
            "kind": r["finding_kind"], "message": _message(r), "evidence": _evidence(r),
            "expected": v.expected, "actual": v.actual, "difference": difference, "rel_diff": min(rel, 1.0),
            "near_rounding": v.near, "is_total": False,
        })
    hits = [conform_hits(pl.DataFrame(rows, infer_schema_length=None))] if rows else []
    return hits, [pl.DataFrame(evals, schema={"document_id": pl.String, "identity": pl.String, "status": pl.String,
                                              "reason": pl.String})] if evals else []


def claims_coverage(frames: Mapping[str, pl.DataFrame]) -> pl.DataFrame:
    """Per document: claims found / resolved / checked / abstained, and the share of the text's money
    figures and rates that took part in at least one check (passed or failed)."""
    claims, numbers = document_claims(frames)
    verdicts = evaluate(claims)
    used: set[tuple[str, str, int]] = set()
    rows = []
    for r in verdicts:
        v: Verdict = r["verdict"]
        rows.append({"document_id": r["document_id"], "resolved": not r["missing"], "checked": v.status != "skipped"})
        if v.status == "skipped":
            continue
        for op in r["ops"].values():
            if op.start is not None and op.start >= 0:
                used.add((r["document_id"], op.passage_id or r["passage_id"], op.start))
    # amounts compared with their table twin (IT030/IT036) took part in a check too
    twins, _ = text_amounts_vs_tables(frames)  # type: ignore[arg-type]
    facts = text_facts(frames)  # type: ignore[arg-type]
    for d, pid, start in twins.join(facts.select("fid", "passage_id", "span_start"), on="fid").select(
            "document_id", "passage_id", "span_start").iter_rows():
        used.add((d, pid, start))
    per = pl.DataFrame(rows, schema={"document_id": pl.String, "resolved": pl.Boolean, "checked": pl.Boolean})
    per = per.group_by("document_id").agg(
        pl.len().alias("claims"), pl.col("resolved").sum().alias("resolved"), pl.col("checked").sum().alias("checked"),
        (~pl.col("checked")).sum().alias("abstained"))
    nums = numbers.with_columns(pl.struct("document_id", "passage_id", "start").map_elements(
        lambda s: (s["document_id"], s["passage_id"], s["start"]) in used, return_dtype=pl.Boolean).alias("used")) \
        if numbers.height else numbers.with_columns(pl.lit(False).alias("used"))
    nums = nums.group_by("document_id").agg(pl.len().alias("text_numbers"), pl.col("used").sum().alias("numbers_checked"))
    docs = get(frames, "documents").select("document_id", "path", "doc_type")  # type: ignore[arg-type]
    out = docs.join(per, on="document_id", how="left").join(nums, on="document_id", how="left").fill_null(0)
    return out.with_columns((pl.col("numbers_checked") / pl.col("text_numbers")).fill_nan(None).alias("share_checked"))
