"""DG003 / DG004 share the emptiness test; DG003: an empty required table without the 本表无数据 statement."""

from __future__ import annotations

import json
import re
from typing import ClassVar

import polars as pl

from toolkit.checks.disclosure import EMPTY_STATEMENT, REQUIRED_BY_TYPE, table_name, text_says_none
from toolkit.checks.framework import EVALS, Check, CheckResult, get, hits_frame
from toolkit.checks.registry import register
from toolkit.checks.relations.grid import numeric_cells
from toolkit.normalize.text import squash

_CELL_STATEMENT = re.compile(f"^无$|{EMPTY_STATEMENT}")


def table_emptiness(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Per required-type table of a 决算/预算: non-zero numbers, and the empty statement in its cells or title."""
    docs = get(frames, "documents").select("document_id", "doc_type")
    req = sorted({t for ts in REQUIRED_BY_TYPE.values() for t in ts})
    tables = get(frames, "tables").filter(pl.col("table_type").is_in(req)).join(docs, on="document_id").filter(
        pl.col("doc_type").is_in(list(REQUIRED_BY_TYPE)))
    if tables.height == 0:
        return tables.with_columns(nonzero=pl.lit(0, pl.UInt32), cell_statement=pl.lit(None, pl.String))
    num = numeric_cells(frames)
    nz = num.filter(pl.col("base") != 0).group_by("document_id", "table_id").agg(nonzero=pl.len())
    cells = get(frames, "cells").join(tables.select("document_id", "table_id"), on=["document_id", "table_id"],
                                      how="semi")
    stated = cells.with_columns(s=pl.col("raw_text").fill_null("").map_elements(squash, return_dtype=pl.String)).filter(
        pl.col("s").str.contains(_CELL_STATEMENT.pattern)).group_by("document_id", "table_id").agg(
        cell_statement=pl.col("raw_text").sort_by("row", "col").first())
    out = tables.join(nz, on=["document_id", "table_id"], how="left").join(
        stated, on=["document_id", "table_id"], how="left")
    title_stated = pl.col("title").fill_null("").str.contains(EMPTY_STATEMENT)
    return out.sort("document_id", "table_id").with_columns(
        nonzero=pl.col("nonzero").fill_null(0),
        cell_statement=pl.coalesce(pl.col("cell_statement"), pl.when(title_stated).then(pl.col("title"))))


def _blank_forms(frames: dict[str, pl.DataFrame], t: pl.DataFrame) -> dict[str, str]:
    """Documents that are forms, not disclosures: every table empty, or template placeholders in them."""
    from toolkit.checks.placeholders import PLACEHOLDER

    out = {}
    for doc, nz in t.group_by("document_id").agg(pl.col("nonzero").sum()).iter_rows():
        if nz == 0:
            out[doc] = "not checked: every required table is empty (a blank form)"
    texts = pl.concat([get(frames, "passages").select("document_id", "text"),
                       get(frames, "tables").select("document_id", pl.col("title").alias("text"))])
    rough = texts.filter(pl.col("text").str.contains(r"[XxＸｘ×○]{2}|字以内|填写|填报"))
    marked = {d for d, x in rough.iter_rows() if PLACEHOLDER.search(x or "")}
    for doc in sorted(marked):
        out.setdefault(doc, "not checked: the document still carries template placeholders (CP005/CP010)")
    return out


@register
class EmptyTableUnstated(Check):
    """A required table is printed empty without the “本表无数据” statement the templates require.

    What it does: in a 部门决算 / 预算, a table of a required type with no non-zero number (栏次 rows and
    codes are not numbers) needs a statement that it is empty: in the table (“本表无数据”, “无”, 空表) or
    in the text (“本单位没有政府性基金预算财政拨款收入和支出，故本表无数据”). Without one, a finding.

    Why it matters: a blank table with no explanation cannot be told from a table whose figures were
    lost; the templates require the statement for exactly this reason.

    Example: 国有资本经营预算财政拨款支出决算表 printed with headers only, and no sentence about
    国有资本经营 funds anywhere in the document → finding.

    A note on the table's own page (“注：本部门无相关收支项目”) counts as its statement. Blank forms (every
    table empty) and templates (placeholders such as XX单位 still in them) are not judged.

    Known false positives: a table whose figures the parser could not read (a scanned page); the
    statement printed as an image.
    """

    code = "DG003"
    name = "empty-table-unstated"
    category = "disclosure_gap"
    detects = ("empty_table_unstated",)
    label: ClassVar[str] = "空表未作说明"
    requires = ("frame:tables", "frame:cells")
    scope = "document"

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        t = table_emptiness(frames)
        passages = get(frames, "passages")
        blank = _blank_forms(frames, t)
        hits, evals = [], []
        for r in t.iter_rows(named=True):
            doc, tid = r["document_id"], r["table_id"]
            ident = f"DG-3:{tid}"
            if doc in blank:
                evals.append({"document_id": doc, "identity": ident, "status": "skipped", "reason": blank[doc]})
                continue
            if r["nonzero"] > 0:
                evals.append({"document_id": doc, "identity": ident, "status": "passed", "reason": "has data"})
                continue
            said = r["cell_statement"] or text_says_none(passages, doc, r["table_type"], r["page"])
            if said:
                evals.append({"document_id": doc, "identity": ident, "status": "passed", "reason": "stated empty"})
                continue
            name = r["title"] or table_name(r["table_type"], r["doc_type"])
            evals.append({"document_id": doc, "identity": ident, "status": "failed", "reason": None})
            hits.append({
                "document_id": doc, "table_id": tid, "location": f"DG-3|{tid}", "kind": "empty_table_unstated",
                "message": f"“{name}”为空表（无非零数据），表内和正文均未说明“本表无数据”及原因：不符合公开模板要求。",
                "evidence": json.dumps([{"table": tid, "page": r["page"], "raw_text": name}], ensure_ascii=False),
                "expected": "本表无数据（及原因）", "actual": "（无说明）", "difference": "1张", "rel_diff": 0.01,
                "severity": "low",
            })
        return CheckResult.of([hits_frame(hits)], [pl.DataFrame(evals, schema=EVALS)] if evals else [])
