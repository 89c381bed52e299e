"""Tiny builders for hand-made frames: one document, a few tables, a few cells (and a few peers).

The table-type shorthands and the frames several codes' cases share live here; a helper used by one
code's cases stays in that code's case file (``tests/checks/rules/<code>.py``).
"""

from __future__ import annotations

import polars as pl

from toolkit import schemas

DOC = "d1"


def L(tid: str, ttype: str, measure: str, value: float | None, *, row: int = 0, code: str | None = None,
      key: str | None = None, section: str | None = None, name: str | None = None, dec: int = 2,
      unit: str = "万元", scale: float = 1e4, row_kind: str | None = None) -> dict:
    level = {3: 1, 5: 2, 7: 3}.get(len(code)) if code else None
    return {
        "document_id": DOC, "table_id": tid, "table_type": ttype, "page": 1, "row": row, "col": 0,
        "section": section, "code": code, "level": level, "name": name or key or code, "item_key": key,
        "row_kind": row_kind or ("total" if key in ("total",) else "item"), "measure": measure,
        "measure_label": measure, "raw_text": None if value is None else f"{value:.{dec}f}", "value": value,
        "unit": unit, "scale": scale, "decimals": dec,
        "code_kind": ("economic" if code and code[0] == "3" else "function") if code else None,
    }


def F(metric: str | None, qualifier: str, value: float, unit: str, *, dec: int = 2, start: int = 0,
      passage: str = "p1", subject: str | None = None, direction: str | None = None, scheme: str | None = None,
      sentence: str = "", period: str | None = None) -> dict:
    from toolkit.normalize.numbers import unit_scale

    raw = f"{value:.{dec}f}{unit}"
    return {"document_id": DOC, "passage_id": passage, "page": 1, "metric": metric, "subject": subject or metric,
            "scheme": scheme, "qualifier": qualifier, "direction": direction, "value": value, "unit": unit,
            "scale": unit_scale(unit)[1], "decimals": dec, "raw_text": raw, "period": period,
            "sentence": sentence or raw, "span_start": start, "span_end": start + len(raw)}


def Ind(tid: str, row: int, row_kind: str, weight: float | None, score: float | None, *, level1: str | None = None,
      level1_weight: float | None = None, level2: str | None = None, level2_weight: float | None = None,
      level3: str | None = None) -> dict:
    return {"document_id": DOC, "table_id": tid, "page": 1, "row": row, "project": "测试项目", "row_kind": row_kind,
            "level1": level1, "level1_weight": level1_weight, "level2": level2, "level2_weight": level2_weight,
            "level3": level3 or (f"指标{row}" if row_kind == "indicator" else None), "weight": weight,
            "weight_decimals": 0, "score": score, "score_decimals": 0}


def frames(line_items: list[dict] = (), *, facts: list[dict] = (), indicators: list[dict] = (),
           parse_issues: list[dict] = (), fiscal_year: int = 2023) -> dict[str, pl.DataFrame]:
    tables = {}
    for r in list(line_items):
        tables.setdefault(r["table_id"], r["table_type"])
    for r in list(indicators):
        tables.setdefault(r["table_id"], "project_self_eval")
    docs = [{"document_id": DOC, "path": "case.txt", "sha256": "ab" * 32, "bureau": "测试县医疗保障局",
             "region_code": "430000", "fiscal_year": fiscal_year, "status": "ok"}]
    return {
        "documents": schemas.frame(docs, schemas.DOCUMENTS),
        "tables": schemas.frame([{"document_id": DOC, "table_id": t, "table_type": tt, "title": None, "page": 1,
                                  "project": "测试项目" if "self_eval" in tt else None}
                                 for t, tt in tables.items()], schemas.TABLES),
        "line_items": schemas.frame(list(line_items), schemas.LINE_ITEMS),
        "facts": schemas.frame(list(facts), schemas.FACTS),
        "indicators": schemas.frame(list(indicators), schemas.INDICATORS),
        "parse_issues": schemas.frame(list(parse_issues), schemas.PARSE_ISSUES),
    }


E, I3, G, B06, S7 = "expense", "income_expense_summary", "gpb_expense", "gpb_basic_expense", "sangong"


def t01(c221: float, carry: float | None = None) -> list[dict]:
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


def scores(total_score: float, over: float = 40) -> list[dict]:
    return [Ind("t11", 1, "budget_execution", 10, 2, level1="预算执行率"),
            Ind("t11", 2, "indicator", 50, over, level1="产出指标", level1_weight=50),
            Ind("t11", 3, "indicator", 40, 40, level1="效益指标", level1_weight=40),
            Ind("t11", 4, "total", 100, total_score)]


def b06_columns(personnel_subtotal: float) -> list[dict]:
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


def P(text: str, *, pid: str = "p1", role: str = "goal_actual", doc: str = DOC, heading: str | None = None,
      project: str | None = None, order: int = 0) -> dict:
    return {"document_id": doc, "passage_id": pid, "page": 1, "order": order, "heading": heading, "role": role,
            "project": project, "text": text}


def with_passages(fr: dict, passages: list[dict]) -> dict:
    fr = dict(fr)
    fr["passages"] = schemas.frame(passages, schemas.PASSAGES)
    return fr


def rate_fact(text: str, raw: str, *, metric: str = "amount", scheme: str | None = None, period: str = "2023年",
              qualifier: str = "rate") -> dict:
    """A percentage fact located in ``text`` (span computed from the raw text)."""
    start = text.index(raw)
    f = F(metric, qualifier, float(raw.rstrip("%")), "%", start=start, scheme=scheme, sentence=text, period=period,
          dec=len(raw.rstrip("%").partition(".")[2]))
    f["raw_text"], f["span_end"] = raw, start + len(raw)
    return f


def rate_frames(text: str, *raws: str, schemes: tuple = ()) -> dict:
    facts = [rate_fact(text, r, scheme=(schemes[i] if i < len(schemes) else None)) for i, r in enumerate(raws)]
    return with_passages(frames(facts=facts), [P(text)])


# 项目支出绩效自评表 indicator rows with targets and actuals (the copy-paste checks read these)
def indicator_row(tid: str, project: str, row: int, level3: str, target: str, actual: str) -> dict:
    return {"document_id": DOC, "table_id": tid, "page": 1, "row": row, "project": project, "row_kind": "indicator",
            "level1": "产出指标", "level2": "数量指标", "level3": level3, "target_raw": target, "actual_raw": actual,
            "weight": 10, "score": 10}


# corpus cases: several bureaus of one province (d1 is 测试县, the document the case reports on)
PEERS = [("d2", "430102", "芙蓉区"), ("d3", "430103", "天心区"), ("d4", "430104", "岳麓区"), ("d5", "430105", "开福区"),
         ("d6", "430111", "雨花区"), ("d7", "430112", "望城区")]


def corpus(docs: list[dict], line_items: list[dict] = (), facts: list[dict] = (), passages: list[dict] = ()) -> dict:
    base = {"path": "case.txt", "sha256": "ab" * 32, "province": "湖南省", "status": "ok", "fiscal_year": 2023}
    rows = [base | {"document_id": DOC, "bureau": "测试县医疗保障局", "region_code": "430000", "region_name": "测试县"}]
    rows += [base | d for d in docs]
    tables = {(r["document_id"], r["table_id"]): r["table_type"] for r in line_items}
    return {
        "documents": schemas.frame(rows, schemas.DOCUMENTS),
        "tables": schemas.frame([{"document_id": d, "table_id": t, "table_type": tt} for (d, t), tt in tables.items()],
                                schemas.TABLES),
        "line_items": schemas.frame(list(line_items), schemas.LINE_ITEMS),
        "facts": schemas.frame(list(facts), schemas.FACTS),
        "passages": schemas.frame(list(passages), schemas.PASSAGES),
    }


def spend(doc: str, wan: float) -> dict:
    r = L("t01", "income_expense_summary", "final", wan, key="expense_total", section="expense")
    r["document_id"] = doc
    return r
