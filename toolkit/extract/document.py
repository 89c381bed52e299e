"""One raw document -> the canonical frames (see ``toolkit.schemas``).

Contract used by ``toolkit.worker``::

    frames = extract_document(raw, document_id=..., path=..., sha256=..., size_bytes=...)
    # dict[str, pl.DataFrame] keyed like toolkit.schemas.FRAME_SCHEMAS

Steps: recognise each table from the paragraphs just above it (its title) or, failing
that, from its header words; merge a table that continues on the next page into the
one it continues; read the 单位 for each table; then hand each recognised table to its
extractor (declared with its type in ``toolkit.extract.table_types``) and every cell to ``cells``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

import polars as pl

from toolkit import schemas
from toolkit.extract import table_types
from toolkit.extract.accounting import account, looks_like_disclosure
from toolkit.extract.document_row import document_row, issue_reason, issue_rows, issue_status
from toolkit.extract.facts import extract_facts
from toolkit.extract.grid import Grid, clean_cell, find_unit, is_data_row, make_grid
from toolkit.extract.metadata import detect_metadata
from toolkit.extract.ocr_marks import mark_ocr
from toolkit.extract.passages import build_passages
from toolkit.extract.recognize import TITLE_NOISE, classify_header, classify_title
from toolkit.extract.selfeval import project_name
from toolkit.extract.split_codes import align_code_rows, code_cells
from toolkit.extract.text_grid import with_text_tables
from toolkit.extract.toc import toc_passage
from toolkit.extract.units import cell_unit, column_units, inherit_fact_units
from toolkit.model import Block, LoadIssue, RawDocument
from toolkit.normalize.numbers import parse_number, unit_scale
from toolkit.normalize.text import is_page_artifact, squash

log = logging.getLogger(__name__)

TEXT_LAYER_FORMATS = {"docx", "pdf", "html"}
CONTEXT_WINDOW = 8
_AMOUNT = re.compile(r"^-?[\d,，]+\.\d+$")
_CONTINUATION_NOISE = re.compile(
    r"^(续表|续|接上表|\(续\)|（续）|单位[:：].*|金额单位.*|公开\d+表|第\d+页.*|-*PAGE_?BREAK-*|分页符)$", re.I)
# a page-break marker a text dump of a PDF prints between pages (“-- PAGE_BREAK --”)
_PAGE_MARKER = re.compile(r"^-*PAGE_?BREAK-*$|^分页符$", re.I)
_TOTAL_CELL = re.compile(r"^(?:合\s*计|总\s*计|共\s*计|小\s*计)$")


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
    spans: list[list[tuple[int | None, int, int] | None]] | None = None  # per cell, for tables rebuilt from text


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


def _is_continuation(context: list[Block], prev: Recognised | None, rows: list[list[str]], page: int | None) -> bool:
    if prev is None:
        return False
    width = max((len(r) for r in rows), default=0)
    prev_width = max((len(r) for r in prev.rows), default=0)
    if prev.table_type == table_types.GENERIC and not _headless_after_break(context, prev, rows, page, width, prev_width):
        return False
    # A page that carries only a table's header (the body starts on the next page) may be laid out
    # with merged header cells, so its width need not match the body's.
    if width != prev_width and _has_amounts(prev.rows):
        return False
    for b in context:
        t = squash(b.text)
        if t and not is_page_artifact(b.text) and not _CONTINUATION_NOISE.match(t) and not t.startswith("部门"):
            return False
    return True


def _headless_after_break(context: list[Block], prev: Recognised, rows: list[list[str]], page: int | None,
                          width: int, prev_width: int) -> bool:
    """A table no template names continues only across a page break, as wide as before, and
    without a header of its own (its first row is data), and with more than one row: two tables
    that merely follow each other keep their own headers or their own widths, and a single row
    after a break joins only as the table's 合计 (:func:`lone_total_row`)."""
    prev_page = next((p for p in reversed(prev.row_pages) if p is not None), prev.page)
    marker = any(_PAGE_MARKER.match(squash(b.text)) for b in context)
    broke = marker or (page is not None and prev_page is not None and page > prev_page)
    return (broke and width == prev_width and len(rows) > 1 and is_data_row([clean_cell(c) for c in rows[0]])
            and any(parse_number(c) is not None for r in prev.rows for c in r if c))


def _only_noise(context: list[Block]) -> bool:
    for b in context:
        t = squash(b.text)
        if t and not is_page_artifact(b.text) and not _CONTINUATION_NOISE.match(t):
            return False
    return True


def _amount_positions(row: list[str]) -> list[int]:
    """Columns of the numbers after a row's last text cell (its amounts; codes before the name are not)."""
    text = [k for k, c in enumerate(row) if c and c.strip() and parse_number(c) is None]
    start = text[-1] + 1 if text else 0
    return [k for k in range(start, len(row)) if row[k] and parse_number(row[k]) is not None]


def lone_total_row(context: list[Block], prev: Recognised | None, rows: list[list[str]], page: int | None
                   ) -> tuple[list[str], str] | None:
    """A page (or page-break-marked block) that holds nothing but one 合计/总计 row ending the table
    above it: the row laid out on the previous table's columns, and why it is taken as its end.

    Taken only when all of these hold (else it stays a table of its own, never guessed):
    a page break lies between (a later page, or a page-break marker in the text); nothing but page
    noise is printed between; the row is a total label followed by numbers only; and it has exactly
    as many numbers as the previous table's last row has after its label, so each lands in the column it totals.
    """
    if prev is None or len(rows) != 1 or not prev.rows:
        return None
    cells = [c for c in rows[0] if c and c.strip()]
    if len(cells) < 2 or not _TOTAL_CELL.match(squash(cells[0])) or any(parse_number(c) is None for c in cells[1:]):
        return None
    prev_page = next((p for p in reversed(prev.row_pages) if p is not None), prev.page)
    marker = any(_PAGE_MARKER.match(squash(b.text)) for b in context)
    if not (marker or (page is not None and prev_page is not None and page > prev_page)) or not _only_noise(context):
        return None
    last = prev.rows[-1]
    slots = _amount_positions(last)
    if len(slots) != len(cells) - 1 or not slots or slots[0] == 0:
        return None
    width = max(len(r) for r in prev.rows)
    out = [""] * width
    out[0] = cells[0]
    for k, c in zip(slots, cells[1:], strict=True):
        out[k] = c
    why = (f"continued p{page}: a lone {squash(cells[0])} row after a page break, its {len(slots)} numbers on "
           f"the {len(slots)} number columns of the table's last row")
    return out, why


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
        kept = [k for k, r in enumerate(table.rows) if any((c or "").strip() for c in r)]
        rows = [list(table.rows[k]) for k in kept]
        spans = [table.cell_spans[k] for k in kept] if table.cell_spans else None
        if not rows:
            continue
        ttype, title, how = _title_for(context, table.caption)
        if ttype is None:
            ttype, title = _title_in_rows(rows)
            how = "title_in_grid" if ttype else ""
        prev = out[-1] if out else None
        lone = lone_total_row(context, prev, rows, block.page) if ttype is None else None
        if lone is not None:
            prev.rows.append(lone[0])
            prev.row_pages.append(block.page)
            if prev.spans is not None:
                prev.spans.append([])
            prev.recognized_by = f"{prev.recognized_by}; {lone[1]}"
            log.debug("%s: %s", prev.table_id, lone[1])
            context = []
            continue
        if ttype is None and _is_continuation(context, prev, rows, block.page):
            header = [squash("".join(r)) for r in prev.rows[:4]]
            body = [r for r in rows if squash("".join(r)) not in header]
            if prev.spans is not None or spans is not None:
                prev.spans = (prev.spans or [[] for _ in range(len(prev.rows))]) + [
                    (spans[k] if spans else []) for k, r in enumerate(rows) if squash("".join(r)) not in header
                ]
            prev.rows.extend(body)
            prev.row_pages.extend([block.page] * len(body))
            context = []
            continue
        if ttype is None:
            grid_probe = make_grid(rows[:6])
            ttype = classify_header(grid_probe.labels, rows[:4])
            how = "header" if ttype else "none"
            if ttype is None:
                ttype = table_types.GENERIC
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
            spans=spans,
        )
        if table_types.spec(ttype).names_project:
            rec.project = project_name(rows)
        out.append(rec)
        context = []
    return out


def _cells_rows(rec: Recognised, grid: Grid, document_id: str) -> list[dict]:
    _, scale = unit_scale(rec.unit)
    col_units = column_units(grid.labels)
    out = []
    for r_i, row in enumerate(grid.rows):
        # the name after split 类|款|项 code cells is the row's label too
        row_label = next((squash(c) for c in row[:3 + code_cells(row)] if squash(c) and parse_number(c) is None), None)
        for c, raw in enumerate(row):
            if not raw and r_i >= grid.header_rows:
                # blank body cells are kept: blank is not zero, and checks must see it
                pass
            num = parse_number(raw) if raw else None
            unit, unit_scale_, unit_source = cell_unit(num, col_units[c] if c < len(col_units) else None, rec.unit, scale)
            span = rec.spans[r_i][c] if rec.spans and r_i < len(rec.spans) and c < len(rec.spans[r_i]) else None
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
                    "unit": unit,
                    "scale": unit_scale_,
                    "unit_source": unit_source,
                    "src_line": span[0] if span else None,
                    "span_start": span[1] if span else None,
                    "span_end": span[2] if span else None,
                    "decimals": num.decimals if num else None,
                    "is_percent": num.is_percent if num else None,
                }
            )
    return out


def _narrative(raw: RawDocument, document_id: str) -> tuple[dict, pl.DataFrame, pl.DataFrame]:
    """Metadata, passages and facts."""
    passages = build_passages(raw, document_id)
    return detect_metadata(raw), passages, extract_facts(passages)


def accounting_issues(accounting: dict) -> list[LoadIssue]:
    """One ``chars_dropped`` parse issue per page (or file) whose visible text did not reach the frames."""
    out = []
    for page, visible, read in accounting["short_pages"]:
        where = f"page {page}" if page is not None else "the file"
        out.append(LoadIssue("chars_dropped",
                             f"{where}: {max(visible - read, 0):,} of {visible:,} visible characters reached no "
                             f"paragraph or cell ({read / visible:.1%} read)", "medium", page=page))
    return out


def extract_document(raw: RawDocument, *, document_id: str, path: str, sha256: str, size_bytes: int) -> dict[str, pl.DataFrame]:
    if raw.format in TEXT_LAYER_FORMATS:  # tables that arrived as paragraph text (the text loader rebuilds its own)
        raw.blocks = with_text_tables(raw.blocks)
    tables = recognise_tables(raw)
    table_rows, cells, items, indicators, goal_passages = [], [], [], [], []
    issues = list(raw.issues)
    issues += [LoadIssue("figures_unplaced", note, "info", page=b.page)  # figures left out rather than guessed
               for b in raw.blocks if b.kind == "table" and b.table is not None for note in b.table.unplaced]
    issues += [LoadIssue("figures_placed_one_wrong", note, "info", page=b.page)  # placed on the reading one figure is wrong
               for b in raw.blocks if b.kind == "table" and b.table is not None for note in b.table.suspects]
    for rec in tables:
        spec = table_types.spec(rec.table_type)
        rec.rows, rec.spans = align_code_rows(rec.rows, rec.spans)
        grid = make_grid(rec.rows, rec.row_pages, header_rows=spec.header_rows)
        base = {"document_id": document_id, "table_id": rec.table_id, "table_type": rec.table_type, "page": rec.page}
        try:
            if spec.extract is not None:
                table_grid = grid
                if spec.extract_header_rows is not None:
                    table_grid = make_grid(rec.rows, rec.row_pages, header_rows=spec.extract_header_rows)
                rows = spec.extract(table_grid, spec, rec.unit, base, rec.project)
                indicators.extend(rows.get("indicators", ()))
                items.extend(rows.get("line_items", ()))
                goal_passages.extend(rows.get("goals", ()))
        except Exception as exc:  # one odd table must not lose the document
            log.exception("table %s of %s could not be read", rec.table_id, path)
            issues.append(LoadIssue("table_unreadable",
                                    f"{rec.table_type} table {rec.table_id} ({rec.title}): {type(exc).__name__}: {exc}",
                                    "medium", page=rec.page))
        cells.extend(_cells_rows(rec, grid, document_id))
        table_rows.append(
            {"document_id": document_id, "table_id": rec.table_id, "table_type": rec.table_type, "title": rec.title,
             "page": rec.page, "sheet": rec.sheet, "n_rows": len(grid.rows), "n_cols": grid.n_cols, "unit": rec.unit,
             "recognized_by": rec.recognized_by, "project": rec.project}
        )

    meta, passages, facts = _narrative(raw, document_id)
    facts = inherit_fact_units(facts)
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

    cells_frame = schemas.frame(cells, schemas.CELLS)
    accounting = account(raw, passages, cells_frame)
    issues.extend(accounting_issues(accounting))
    status = issue_status(issues)
    reason = None
    n_amounts = cells_frame["value"].is_not_null().sum() + facts.height
    if status == "ok" and not looks_like_disclosure(raw, n_amounts):
        status = "not_a_disclosure"
        note = LoadIssue("not_a_disclosure",
                         "no amounts or no disclosure vocabulary (决算/预算/绩效/基金/收入/支出 ...) found", "info")
        issues.append(note)
        reason = "; ".join(x for x in (issue_reason(issues), f"{note.code}: {note.reason}") if x)
    return mark_ocr(raw, {
        "documents": document_row(raw, issues, document_id=document_id, path=path, sha256=sha256,
                                  size_bytes=size_bytes, n_tables=len(tables), meta=meta, status=status,
                                  reason=reason, extra=accounting["columns"]),
        "tables": schemas.frame(table_rows, schemas.TABLES),
        "cells": cells_frame,
        "line_items": schemas.frame(items, schemas.LINE_ITEMS),
        "facts": schemas.conform(facts, schemas.FACTS),
        "indicators": schemas.frame(indicators, schemas.INDICATORS),
        "passages": schemas.conform(passages, schemas.PASSAGES),
        "parse_issues": issue_rows(issues, document_id, path),
    })
