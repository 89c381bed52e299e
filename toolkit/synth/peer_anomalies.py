"""Generated bureau-years as canonical frames, with peer anomalies injected into one line item.

The peer checks compare bureaus, so measuring them needs hundreds of bureau-years; rendering and
re-reading that many documents would measure the parsers instead. Here the generator's finance
chains (:mod:`toolkit.synth.generate`) become the frames extraction produces for them (01/03/06/07
表 line items, the 自评表's 执行率, the 自评报告's 参保人数 and fund figures) directly.

An injected anomaly multiplies one 项级科目 of the 03 表 (never the total) by ``k``: the bureau's
clean figure is what its size explains, so ``k`` is the multiple of it. The 03 表 合计, the 01 表
class and 本年支出合计 grow by the same amount, so the document stays internally consistent and
only a comparison with peers can see it. Digit fabrication (:func:`fabricate_amounts`) replaces a
bureau-year's amounts with invented ones: uniform leading digits, or a surplus of round numbers.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass

import polars as pl

from toolkit import schemas
from toolkit.synth.finance import ECON_NAMES, FUNCTION_CODES, BureauYear
from toolkit.synth.generate import BureauYearDocs, generate
from toolkit.synth.money import QUANTUM_YUAN

UNIT_SCALE = {"万元": 1e4, "元": 1.0}


@dataclass(frozen=True, slots=True)
class PeerLabel:
    bkey: str
    fiscal_year: int
    code: str  # the 项级科目 multiplied
    multiplier: float


def _doc_id(*parts: object) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:16]


def _printed(ledger: int, unit: str) -> tuple[float, str]:
    """Ledger integer (hundredths of the printed unit) -> (value in the printed unit, raw text)."""
    v = ledger / 100
    return v, f"{v:,.2f}"


def _li(doc: str, tid: str, ttype: str, row: int, measure: str, ledger: int, unit: str, *, code: str | None = None,
        name: str | None = None, key: str | None = None, section: str | None = None, row_kind: str = "item") -> dict:
    v, raw = _printed(ledger, unit)
    return {"document_id": doc, "table_id": tid, "table_type": ttype, "page": 1, "row": row, "col": 0,
            "section": section, "code": code, "level": {3: 1, 5: 2, 7: 3}.get(len(code)) if code else None,
            "name": name, "item_key": key, "row_kind": row_kind, "measure": measure, "measure_label": measure,
            "raw_text": raw, "value": v, "unit": unit, "scale": UNIT_SCALE[unit], "decimals": 2,
            "code_kind": ("economic" if code[0] == "3" else "function") if code else None}


def _fact(doc: str, metric: str, qualifier: str, value: float, unit: str, scale: float, *, scheme: str | None = None,
          subject: str = "", start: int = 0, decimals: int = 2) -> dict:
    raw = f"{value:.{decimals}f}{unit}"
    return {"document_id": doc, "passage_id": "p1", "page": 1, "metric": metric, "subject": subject or metric,
            "scheme": scheme, "qualifier": qualifier, "value": value, "unit": unit, "scale": scale,
            "decimals": decimals, "raw_text": raw, "sentence": raw, "span_start": start, "span_end": start + len(raw)}


def final_accounts_rows(by: BureauYear, doc: str, boost: dict[str, int]) -> list[dict]:
    """01 / 03 / 06 / 07 表 line items; ``boost`` adds ledger amounts to 03 表 items (an injection)."""
    u = by.unit
    rows: list[dict] = []
    items = {c: by.items[c] for c in by.codes()}
    total = sum(i.expense for i in items.values()) + sum(boost.values())
    classes: dict[str, int] = {}
    for c, i in items.items():
        classes[FUNCTION_CODES[c][3]] = classes.get(FUNCTION_CODES[c][3], 0) + i.expense + boost.get(c, 0)
    for r, (cls, v) in enumerate(sorted(classes.items())):
        rows.append(_li(doc, "t01", "income_expense_summary", r + 1, "final", v, u, code=cls,
                        name=FUNCTION_CODES[next(c for c in items if FUNCTION_CODES[c][3] == cls)][4],
                        section="expense"))
    rows.append(_li(doc, "t01", "income_expense_summary", 20, "final", total, u, name="本年支出合计",
                    key="expense_total", section="expense", row_kind="total"))
    basic_total = sum(i.basic for i in items.values()) + sum(b for c, b in boost.items() if items[c].basic)
    rows += [_li(doc, "t03", "expense", 0, "total", total, u, name="合计", row_kind="total"),
             _li(doc, "t03", "expense", 0, "basic", basic_total, u, name="合计", row_kind="total")]
    for r, (c, i) in enumerate(items.items()):
        b = boost.get(c, 0)
        rows.append(_li(doc, "t03", "expense", r + 1, "total", i.expense + b, u, code=c, name=FUNCTION_CODES[c][0]))
        if i.basic:
            rows.append(_li(doc, "t03", "expense", r + 1, "basic", i.basic + (b if i.basic else 0), u, code=c,
                            name=FUNCTION_CODES[c][0]))
        if i.project:
            rows.append(_li(doc, "t03", "expense", r + 1, "project", i.project + (0 if i.basic else b), u, code=c,
                            name=FUNCTION_CODES[c][0]))
    for r, (c, v) in enumerate(sorted(by.econ.items())):
        rows.append(_li(doc, "t06", "gpb_basic_expense", r, "final", v, u, code=c, name=ECON_NAMES.get(c, c)))
    rows += [_li(doc, "t06", "gpb_basic_expense", 90, "final", by.personnel, u, name="人员经费合计", row_kind="summary"),
             _li(doc, "t06", "gpb_basic_expense", 91, "final", by.public, u, name="公用经费合计", row_kind="summary"),
             _li(doc, "t07", "sangong", 1, "final_total", by.sangong_total("final"), u, name="三公经费",
                 section="final")]
    return rows


def self_eval_rows(by: BureauYear, doc: str) -> tuple[list[dict], list[dict]]:
    f = by.fund
    rate = round(100.0 * min(1.0, by.expense_total / by.dept_budget_full), 2) if by.dept_budget_full else 0.0
    li = [{**_li(doc, "t01", "dept_self_eval", 1, "exec_rate", 0, "元"), "value": rate, "raw_text": f"{rate:.2f}%",
           "unit": "%", "scale": 1.0}]
    facts = [_fact(doc, "insured_persons", "count", float(f.insured), "人", 1.0, subject="基本医疗保险参保总人数",
                   decimals=0)]
    for scheme, inc, exp, bal, pay in (("employee", f.emp_income, f.emp_expense, f.emp_balance_cum, f.emp_pay_ratio_bp),
                                       ("resident", f.res_income, f.res_expense, f.res_balance_cum, f.res_pay_ratio_bp)):
        facts += [_fact(doc, "fund_income", "amount", inc / 100, "万元", 1e4, scheme=scheme, start=10),
                  _fact(doc, "fund_expense", "amount", exp / 100, "万元", 1e4, scheme=scheme, start=20),
                  _fact(doc, "fund_balance_accumulated", "amount", bal / 100, "万元", 1e4, scheme=scheme, start=30),
                  _fact(doc, "reimbursement_rate", "rate", pay / 100, "%", 1.0, scheme=scheme, start=40)]
    return li, facts


def corpus_frames(items: list[BureauYearDocs], boosts: dict[tuple[str, int], dict[str, int]] | None = None,
                  doc_prefix: str = "") -> dict[str, pl.DataFrame]:
    """Canonical frames of every bureau-year (one 决算 and one 自评 document each)."""
    boosts = boosts or {}
    docs, li, facts = [], [], []
    for it in items:
        key = (bkey_of(it), it.year)
        fa, se = _doc_id(doc_prefix, *key, "fa"), _doc_id(doc_prefix, *key, "se")
        for d, t in ((fa, "final_accounts"), (se, "dept_self_eval")):
            docs.append({"document_id": d, "path": f"{it.region.province}/{it.bureau}/{it.year}/{t}.txt",
                         "sha256": d * 4, "format": "txt", "bureau": it.bureau, "region_code": key[0],
                         "region_name": it.region.name, "province": it.region.province, "level": it.region.level,
                         "fiscal_year": it.year, "doc_type": t, "status": "ok"})
        li += final_accounts_rows(it.finance, fa, boosts.get(key, {}))
        s_li, s_facts = self_eval_rows(it.finance, se)
        li += s_li
        facts += s_facts
    return {"documents": schemas.frame(docs, schemas.DOCUMENTS), "line_items": schemas.frame(li, schemas.LINE_ITEMS),
            "facts": schemas.frame(facts, schemas.FACTS),
            "tables": schemas.frame([], schemas.TABLES)}


def bkey_of(it: BureauYearDocs) -> str:
    # two bureaus of one region get distinct keys the way documents would: region code, then the name
    return it.region.code if it.dir_name in ("", it.bureau) else f"{it.region.code}:{it.bureau}"


def plan_injections(items: list[BureauYearDocs], multiplier: float, rate: float, seed: int
                    ) -> tuple[dict[tuple[str, int], dict[str, int]], list[PeerLabel]]:
    """Pick bureau-years (last year only, at most one per bureau) and one 03 表 item each to multiply."""
    rng = random.Random(f"peer-inject-{seed}")
    last = max(it.year for it in items)
    boosts: dict[tuple[str, int], dict[str, int]] = {}
    labels: list[PeerLabel] = []
    for it in items:
        if it.year != last or rng.random() >= rate:
            continue
        codes = [c for c in it.finance.codes() if it.finance.items[c].expense > 0]
        code = rng.choice(codes)
        extra = int(round(it.finance.items[code].expense * (multiplier - 1)))
        key = (bkey_of(it), it.year)
        boosts[key] = {code: extra}
        labels.append(PeerLabel(key[0], it.year, code, multiplier))
    return boosts, labels


def generated(n_bureaus: int, years: int, seed: int) -> list[BureauYearDocs]:
    """Clean bureau-years of the document generator (no document-level anomalies)."""
    return generate(n_bureaus, years, seed=seed, anomaly_rate=0.0)


def clean_amounts(items: list[BureauYearDocs]) -> list[float]:
    """Every printed amount of the generated 决算 (03/06 表 items), in the printed unit."""
    out: list[float] = []
    for it in items:
        by = it.finance
        out += [i.expense / 100 for i in by.items.values() if i.expense > 0]
        out += [v / 100 for v in by.econ.values() if v > 0]
        out += [p.executed / 100 for p in by.projects if p.executed > 0]
    return out


def fabricate_amounts(n: int, how: str, rng: random.Random, like: list[float] | None = None) -> list[float]:
    """Invented amounts: ``uniform`` (uniform leading digits and uniform magnitude within a decade span),
    ``round`` (clean amounts of which a third are rounded to whole hundreds of the printed unit)."""
    if how == "uniform":
        return [round(rng.uniform(1, 10) * 10 ** rng.randint(2, 4), 2) for _ in range(n)]
    if how == "round":
        base = like or [rng.lognormvariate(7, 1.5) for _ in range(n)]
        picks = [rng.choice(base) for _ in range(n)]
        return [round(v, -2) if rng.random() < 1 / 3 and v >= 1000 else v for v in picks]
    raise ValueError(how)


def yuan(ledger: int, unit: str) -> float:
    return ledger * QUANTUM_YUAN[unit]
