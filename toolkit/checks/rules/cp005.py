"""CP005: Template placeholders or instructions left in the published text (XX县, ××月××日, （200字以内）, 【填写】)."""

from __future__ import annotations

import json

import polars as pl

from toolkit.checks.copies import shorten
from toolkit.checks.framework import Check, CheckResult, get, hits_frame
from toolkit.checks.placeholders import placeholders_in
from toolkit.checks.registry import register


@register
class TemplateResidue(Check):
    """Template placeholders or instructions left in the published text (XX县, ××月××日, （200字以内）, 【填写】).

    What it does: scans passage text, headings and table cells for placeholders (XX/××/○○ not part of a Latin
    word), filling instructions in brackets (（200字以内）, （单位名称）, 【请填写…】, （请对照…说明）,
    （当表格数据为空时，应有此说明）). A masked personal name (张××) is not a placeholder.

    Why it matters: a document published with the template's instructions still in it was not read
    before publication; the figures next to a placeholder are often the template's sample figures.

    Example: “截至XX月XX日，全县参保…”; “（当表格数据为空时，应有此说明）” under an empty 政府性基金 table.

    Known false positives: “XX” used on purpose in a quoted slogan or a product code written in
    full-width letters.
    """

    code = "CP005"
    name = "template-residue"
    category = "copy_paste"
    detects = ("template_residue",)
    label = "模板占位内容未删除"
    requires = ("frame:passages", "frame:cells")

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        hits, evals = [], []
        seen = set()
        pas = get(frames, "passages")
        heads = pas.filter(pl.col("heading").is_not_null()).unique(["document_id", "heading"], keep="first").select(
            "document_id", pl.concat_str([pl.col("passage_id"), pl.lit(":heading")]).alias("passage_id"), "page",
            pl.col("heading").alias("text"))
        p = pl.concat([pas.select("document_id", "passage_id", "page", "text"), heads])
        c = get(frames, "cells").filter(pl.col("raw_text").str.contains(r"[XxＸｘ×○]{2}|字以内|名称|填|应")).select(
            "document_id", pl.concat_str([pl.col("table_id"), pl.lit(":r"), pl.col("row").cast(pl.String),
                                          pl.lit("c"), pl.col("col").cast(pl.String)]).alias("passage_id"),
            "page", pl.col("raw_text").alias("text"))
        for src, df in (("text", p), ("table", c)):
            for r in df.iter_rows(named=True):
                text = r["text"] or ""
                for m in placeholders_in(text):
                    key = (r["document_id"], m.group(0))
                    if key in seen:
                        continue  # one finding per placeholder per document
                    seen.add(key)
                    ctx = text[max(0, m.start() - 30): m.end() + 30]
                    hits.append({"document_id": r["document_id"], "location": f"C-5|{r['passage_id']}|{m.start()}",
                                 "kind": "template_residue",
                                 "message": f"{'正文' if src == 'text' else '表格'}中留有模板占位符或填写说明“{m.group(0)}”"
                                            f"（上下文：“{shorten(ctx, 70)}”）：文件发布前未按模板填写完整。",
                                 "evidence": json.dumps([{"passage_id": r["passage_id"], "page": r["page"],
                                                          "raw_text": m.group(0), "sentence": ctx,
                                                          "span": [m.start(), m.end()]}], ensure_ascii=False),
                                 "expected": "已填写的内容", "actual": m.group(0), "difference": "1处", "rel_diff": 0.02,
                                 "severity": "medium"})
                    evals.append({"document_id": r["document_id"], "identity": "C-5", "status": "failed", "reason": None})
        return CheckResult.of([hits_frame(hits)], [pl.DataFrame(evals)] if evals else [])
