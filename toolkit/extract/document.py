"""One raw document -> the canonical frames (see ``toolkit.schemas``).

Contract used by ``toolkit.run``::

    frames = extract_document(raw, document_id=..., path=..., sha256=..., size_bytes=...)
    # dict[str, pl.DataFrame] keyed like toolkit.schemas.FRAME_SCHEMAS

Steps: recognise each table from the paragraphs just above it (its title) or, failing
that, from its header words; merge a table that continues on the next page into the
one it continues; read the 单位 for each table; then hand each recognised table to its
extractor (决算 line items, 自评表 indicators, 计分表) and every cell to ``cells``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

import polars as pl

from toolkit import schemas
from toolkit.extract.basic_data import extract_basic_data
from toolkit.extract.final_accounts import extract_line_items
from toolkit.extract.grid import Grid, find_unit, make_grid
from toolkit.extract.recognize import TITLE_NOISE, classify_header, classify_title
from toolkit.extract.selfeval import extract_score_sheet, extract_selfeval, project_name
from toolkit.extract.toc import toc_passage
from toolkit.model import Block, RawDocument
from toolkit.normalize.numbers import parse_number, unit_scale
from toolkit.normalize.text import clean_text, is_page_artifact, squash

log = logging.getLogger(__name__)

FINAL_ACCOUNT_TYPES = {
    "income_expense_summary", "income", "expense", "fiscal_summary", "gpb_expense", "gpb_basic_expense",
    "sangong", "gov_fund", "soe_capital", "project_expense", "running_cost", "fiscal_expense",
}
SELF_EVAL_TYPES = {"project_self_eval", "dept_self_eval"}
CONTEXT_WINDOW = 8
_AMOUNT = re.compile(r"^-?[\d,，]+\.\d+$")
_CONTINUATION_NOISE = re.compile(r"^(续表|续|接上表|\(续\)|（续）|单位[:：].*|金额单位.*|公开\d+表|第\d+页.*)$")


@dataclass(slots=True)
class Recognised:
    table_id: str
    table_type: str
    title: str
    recognized_by: str
    unit: str | None
    page: int | None
    sheet: str | None
    rows: list[list[str]]
    row_pages: list[int | None] = field(default_factory=list)
    project: str | None = None


def _title_for(context: list[Block], caption: str) -> tuple[str | None, str, str]:
    """(table_type, title, how) from the nearest paragraph above that names a table."""
    for block in reversed(context[-CONTEXT_WINDOW:]):
        ttype = classify_title(block.text)
        if ttype:
            return ttype, squash(block.text), "title"
    if caption:
        ttype = classify_title(caption)
        if ttype:
            return ttype, squash(caption), "caption"
    return None, "", ""


def _title_in_rows(rows: list[list[str]]) -> tuple[str | None, str]:
    """Some files (XLS, PDF) put the title inside the grid's first rows."""
    for row in rows[:3]:
        cells = [c for c in row if c and c.strip()]
        if len(cells) == 1:
            ttype = classify_title(cells[0])
            if ttype:
                return ttype, squash(cells[0])
    return None, ""


def _has_amounts(rows: list[list[str]]) -> bool:
    return any(_AMOUNT.match(squash(c)) for r in rows for c in r if c)


def _is_continuation(context: list[Block], prev: Recognised | None, rows: list[list[str]]) -> bool:
    if prev is None or prev.table_type == "generic":
        return False
    width = max((len(r) for r in rows), default=0)
    prev_width = max((len(r) for r in prev.rows), default=0)
    # A page that carries only a table's header (the body starts on the next page) may be laid out
    # with merged header cells, so its width need not match the body's.
    if width != prev_width and _has_amounts(prev.rows):
        return False
    for b in context:
        t = squash(b.text)
        if t and not is_page_artifact(b.text) and not _CONTINUATION_NOISE.match(t) and not t.startswith("部门"):
            return False
    return True


def recognise_tables(raw: RawDocument) -> list[Recognised]:
    out: list[Recognised] = []
    context: list[Block] = []
    for block in raw.blocks:
        if block.kind == "para":
            context.append(block)
            continue
        if block.kind != "table" or block.table is None or not block.table.rows:
            continue
        table = block.table
        rows = [list(r) for r in table.rows if any((c or "").strip() for c in r)]
        if not rows:
            continue
        ttype, title, how = _title_for(context, table.caption)
        if ttype is None:
            ttype, title = _title_in_rows(rows)
            how = "title_in_grid" if ttype else ""
        prev = out[-1] if out else None
        if ttype is None and _is_continuation(context, prev, rows):
            header = [squash("".join(r)) for r in prev.rows[:4]]
            body = [r for r in rows if squash("".join(r)) not in header]
            prev.rows.extend(body)
            prev.row_pages.extend([block.page] * len(body))
            context = []
            continue
        if ttype is None:
            grid_probe = make_grid(rows[:6])
            ttype = classify_header(grid_probe.labels, rows[:4])
            how = "header" if ttype else "none"
            if ttype is None:
                ttype = "generic"
            title = title or next(
                (squash(b.text) for b in reversed(context[-3:]) if squash(b.text) and not TITLE_NOISE.match(squash(b.text))), ""
            )
        unit = find_unit([b.text for b in context[-CONTEXT_WINDOW:]] + [table.caption] + ["".join(r) for r in rows[:3]])
        rec = Recognised(
            table_id=f"t{len(out) + 1:02d}",
            table_type=ttype,
            title=title,
            recognized_by=how,
            unit=unit,
            page=block.page,
            sheet=block.sheet or table.sheet,
            rows=rows,
            row_pages=list(table.row_pages) if table.row_pages else [block.page] * len(rows),
        )
        if ttype in SELF_EVAL_TYPES:
            rec.project = project_name(rows)
        out.append(rec)
        context = []
    return out


def _cells_rows(rec: Recognised, grid: Grid, document_id: str) -> list[dict]:
    _, scale = unit_scale(rec.unit)
    out = []
    for r_i, row in enumerate(grid.rows):
        row_label = next((squash(c) for c in row[:3] if squash(c) and parse_number(c) is None), None)
        for c, raw in enumerate(row):
            if not raw and r_i >= grid.header_rows:
                # blank body cells are kept: blank is not zero, and checks must see it
                pass
            num = parse_number(raw) if raw else None
            out.append(
                {
                    "document_id": document_id,
                    "table_id": rec.table_id,
                    "table_type": rec.table_type,
                    "page": grid.row_pages[r_i] if r_i < len(grid.row_pages) else rec.page,
                    "sheet": rec.sheet,
                    "row": r_i,
                    "col": c,
                    "row_label": row_label,
                    "col_label": grid.labels[c] if c < len(grid.labels) else None,
                    "raw_text": raw,
                    "value": num.value if num else None,
                    "unit": (num.unit or rec.unit) if num else None,
                    "scale": (num.scale if num.unit else scale) if num else None,
                    "decimals": num.decimals if num else None,
                    "is_percent": num.is_percent if num else None,
                }
            )
    return out


def _fallback_passages(raw: RawDocument, document_id: str) -> pl.DataFrame:
    rows = []
    for i, b in enumerate(x for x in raw.blocks if x.kind == "para"):
        text = clean_text(b.text).strip()
        if text and not is_page_artifact(text):
            rows.append({"document_id": document_id, "passage_id": f"{document_id}:p{i}", "page": b.page,
                         "order": i, "heading": None, "role": "other", "project": None, "text": text})
    return schemas.frame(rows, schemas.PASSAGES)


def _narrative(raw: RawDocument, document_id: str) -> tuple[dict, pl.DataFrame, pl.DataFrame]:
    """Metadata, passages and facts (modules owned by the narrative extractor; tolerate their absence)."""
    try:
        from toolkit.extract.metadata import detect_metadata

        meta = detect_metadata(raw)
    except ImportError:
        meta = {}
    try:
        from toolkit.extract.passages import build_passages

        passages = build_passages(raw, document_id)
    except ImportError:
        passages = _fallback_passages(raw, document_id)
    try:
        from toolkit.extract.facts import extract_facts

        facts = extract_facts(passages)
    except ImportError:
        facts = schemas.empty(schemas.FACTS)
    return meta, passages, facts


def extract_document(raw: RawDocument, *, document_id: str, path: str, sha256: str, size_bytes: int) -> dict[str, pl.DataFrame]:
    tables = recognise_tables(raw)
    table_rows, cells, items, indicators, goal_passages = [], [], [], [], []
    issues = [
        {"document_id": document_id, "path": path, "severity": i.severity, "code": i.code, "page": i.page, "reason": i.reason}
        for i in raw.issues
    ]
    for rec in tables:
        selfeval = rec.table_type in SELF_EVAL_TYPES
        grid = make_grid(rec.rows, rec.row_pages, header_rows=0 if selfeval else None)
        base = {"document_id": document_id, "table_id": rec.table_id, "table_type": rec.table_type, "page": rec.page}
        try:
            if rec.table_type in FINAL_ACCOUNT_TYPES:
                items.extend(extract_line_items(grid, rec.table_type, rec.unit, base))
            elif selfeval:
                ind, fund, goals = extract_selfeval(grid, rec.table_type, rec.unit, base, rec.project)
                indicators.extend(ind)
                items.extend(fund)
                goal_passages.extend(goals)
            elif rec.table_type == "basic_data":
                items.extend(extract_basic_data(make_grid(rec.rows, rec.row_pages, header_rows=0), rec.unit, base))
            elif rec.table_type == "score_sheet":
                indicators.extend(extract_score_sheet(grid, base, rec.project))
        except Exception as exc:  # one odd table must not lose the document
            log.exception("table %s of %s could not be read", rec.table_id, path)
            issues.append({"document_id": document_id, "path": path, "severity": "medium", "code": "table_unreadable",
                           "page": rec.page, "reason": f"{rec.table_type} table {rec.table_id} ({rec.title}): {type(exc).__name__}: {exc}"})
        cells.extend(_cells_rows(rec, grid, document_id))
        table_rows.append(
            {"document_id": document_id, "table_id": rec.table_id, "table_type": rec.table_type, "title": rec.title,
             "page": rec.page, "sheet": rec.sheet, "n_rows": len(grid.rows), "n_cols": grid.n_cols, "unit": rec.unit,
             "recognized_by": rec.recognized_by, "project": rec.project}
        )

    meta, passages, facts = _narrative(raw, document_id)
    toc = toc_passage(raw, document_id, passages.height)
    if toc is not None:  # the document's own 目录, for completeness checks (role "toc")
        passages = pl.concat([passages, schemas.frame([toc], schemas.PASSAGES)], how="vertical_relaxed")
    if goal_passages:
        start = passages.height
        extra = [
            {"document_id": document_id, "passage_id": f"{document_id}:g{start + k}", "page": None, "order": start + k,
             "heading": g["project"], "role": g["role"], "project": g["project"], "text": g["text"]}
            for k, g in enumerate(goal_passages)
        ]
        passages = pl.concat([passages, schemas.frame(extra, schemas.PASSAGES)], how="vertical_relaxed")

    status = "failed" if raw.failed else ("partial" if any(i["severity"] in ("medium", "high") for i in issues) else "ok")
    reason = "; ".join(f"{i['code']}: {i['reason']}" for i in issues if i["severity"] != "info")[:500] or None
    doc_row = {
        "document_id": document_id, "path": path, "sha256": sha256, "format": raw.format, "size_bytes": size_bytes,
        "pages": raw.pages, "n_tables": len(tables), "status": status, "reason": reason, **meta,
    }
    return {
        "documents": schemas.frame([doc_row], schemas.DOCUMENTS),
        "tables": schemas.frame(table_rows, schemas.TABLES),
        "cells": schemas.frame(cells, schemas.CELLS),
        "line_items": schemas.frame(items, schemas.LINE_ITEMS),
        "facts": schemas.conform(facts, schemas.FACTS),
        "indicators": schemas.frame(indicators, schemas.INDICATORS),
        "passages": schemas.conform(passages, schemas.PASSAGES),
        "parse_issues": schemas.frame(issues, schemas.PARSE_ISSUES),
    }
