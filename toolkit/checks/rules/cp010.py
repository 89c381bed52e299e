"""CP010: a template placeholder left in a table title (CP005 reads text, headings and cells)."""

from __future__ import annotations

import json
from typing import ClassVar

import polars as pl

from toolkit.checks.framework import EVALS, Check, CheckResult, get, hits_frame
from toolkit.checks.placeholders import placeholders_in
from toolkit.checks.registry import register


@register
class PlaceholderInTitle(Check):
    """A table title (or a 自评表's project name) still carries a template placeholder (XX局, ××, 【填写】).

    What it does: scans the titles of every table and the project names of 自评表 with the same
    placeholder patterns as CP005 (XX/××/○○ not part of a Latin word, （200字以内）, 【请填写…】,
    （单位名称）…). CP005 covers running text, headings and table cells; titles are read only here.

    Why it matters: a title left as “XX局2024年度收入决算表” shows the table was pasted from the template
    and perhaps never filled in; its figures may be the template's.

    Example: table title “上海市普陀区XX单位2026年财务收支预算总表” → finding “XX”.

    Known false positives: a masked personal name in a title (张××) is skipped; product codes in
    full-width letters.
    """

    code = "CP010"
    name = "placeholder-in-title"
    category = "copy_paste"
    detects = ("template_residue",)
    label: ClassVar[str] = "表格标题留有模板占位符"
    requires = ("frame:tables",)
    scope = "document"

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        t = get(frames, "tables")
        t = pl.concat([t.select("document_id", "table_id", "page", pl.col("title").alias("text"), pl.lit("标题").alias("what")),
                       t.select("document_id", "table_id", "page", pl.col("project").alias("text"),
                                pl.lit("项目名称").alias("what"))]).filter(pl.col("text").is_not_null()).unique(
            ["document_id", "text"], keep="first", maintain_order=True)
        hits, evals, seen = [], [], set()
        for r in t.iter_rows(named=True):
            text = r["text"]
            for m in placeholders_in(text):
                key = (r["document_id"], m.group(0))
                if key in seen:
                    continue
                seen.add(key)
                evals.append({"document_id": r["document_id"], "identity": "C-10", "status": "failed", "reason": None})
                hits.append({
                    "document_id": r["document_id"], "table_id": r["table_id"],
                    "location": f"C-10|{r['table_id']}|{m.start()}", "kind": "template_residue",
                    "message": f"表格{r['what']}“{text[:60]}”中留有模板占位符“{m.group(0)}”：表格套用模板后未填写完整。",
                    "evidence": json.dumps([{"table": r["table_id"], "page": r["page"], "raw_text": text}],
                                           ensure_ascii=False),
                    "expected": "已填写的名称", "actual": m.group(0), "difference": "1处", "rel_diff": 0.02,
                    "severity": "medium",
                })
        return CheckResult.of([hits_frame(hits)], [pl.DataFrame(evals, schema=EVALS)] if evals else [])
