"""Tiny builders for hand-made frames: one document, a few tables, a few cells."""

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
