"""CP012: a 截至…年12月31日 date that is not the document's year end."""

from __future__ import annotations

import json
import re
from typing import ClassVar

import polars as pl

from toolkit.checks.framework import EVALS, Check, CheckResult, get, hits_frame
from toolkit.checks.registry import register

COMPARISON = re.compile(r"[比较与同][^|]{0,3}\||\|[^|]*(?:相比|比较|对比|增加|减少|增长|下降)")
YEAR_END = re.compile(r"(?:截至|截止|截止到|截止至)\s*(20\d{2})\s*年\s*(?:12\s*月\s*31\s*日|末|底)")


def allowed_years(doc_type: str | None, year: int) -> set[int]:
    """A 预算 states the position at the end of the year before (截至上年12月31日 资产); others their own year."""
    return {year - 1, year} if doc_type == "budget" else {year}


@register
class StaleYearEndDate(Check):
    """A “截至20xx年12月31日” date in text, headings or table cells is not the document's year end.

    What it does: in a document with a known fiscal year Y, finds 截至/截止 + a year-end date (12月31日,
    年末, 年底) in passages, headings and table cells. For a 决算 or 自评 the year must be Y; for a 预算,
    Y − 1 or Y. In running text only years CP004 does not already flag are reported (Y − 1, or later
    than Y); in headings and cells every other year is.

    Why it matters: a balance “截至2022年12月31日” in a 2023 决算 is last year's figure or last year's
    sentence; either way the reader is given the wrong year's position.

    Example: 2023 决算 情况说明 “截至2022年12月31日，本部门共有车辆3辆” → finding (expected 2023年).

    Known false positives: a sentence comparing with the previous year end without a comparison word.
    """

    code = "CP012"
    name = "stale-year-end-date"
    category = "copy_paste"
    detects = ("stale_year_text",)
    label: ClassVar[str] = "截至日期与文件年度不符"
    requires = ("frame:passages", "frame:cells")
    scope = "document"

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        docs = {d: (y, t) for d, y, t in get(frames, "documents").select("document_id", "fiscal_year", "doc_type").iter_rows()}
        pas = get(frames, "passages").filter(pl.col("role") != "toc")
        text = pas.select("document_id", "passage_id", "page", "text", pl.lit("正文").alias("what"))
        heads = pas.filter(pl.col("heading").is_not_null()).select(
            "document_id", "passage_id", "page", pl.col("heading").alias("text"), pl.lit("标题").alias("what"))
        cells = get(frames, "cells").filter(pl.col("raw_text").str.contains("截[至止]")).select(
            "document_id", pl.concat_str([pl.col("table_id"), pl.lit(":r"), pl.col("row").cast(pl.String), pl.lit("c"),
                                          pl.col("col").cast(pl.String)]).alias("passage_id"), "page",
            pl.col("raw_text").alias("text"), pl.lit("表格").alias("what"))
        src = pl.concat([text, heads, cells]).filter(pl.col("text").str.contains("截[至止]")).unique(
            ["document_id", "text"], keep="first", maintain_order=True)
        hits, evals, seen = [], [], set()
        for r in src.iter_rows(named=True):
            year, dtype = docs.get(r["document_id"], (None, None))
            if year is None:
                continue
            ok = allowed_years(dtype, year)
            for m in YEAR_END.finditer(r["text"] or ""):
                got = int(m.group(1))
                if got in ok:
                    evals.append({"document_id": r["document_id"], "identity": "C-12", "status": "passed", "reason": None})
                    continue
                if r["what"] == "正文" and got <= year - 2:
                    continue  # CP004 reports years two or more before in running text
                around = r["text"][max(0, m.start() - 4): m.start()] + "|" + r["text"][m.end(): m.end() + 6]
                if COMPARISON.search(around):
                    continue  # “较截至2022年12月31日增加…”: a comparison with the year before
                key = (r["document_id"], m.group(0))
                if key in seen:
                    continue
                seen.add(key)
                want = "或".join(f"{y}年" for y in sorted(ok))
                evals.append({"document_id": r["document_id"], "identity": "C-12", "status": "failed", "reason": None})
                s0 = max(0, m.start() - 20)
                hits.append({
                    "document_id": r["document_id"], "location": f"C-12|{r['passage_id']}|{m.start()}",
                    "kind": "stale_year_text",
                    "message": (f"{year}年度文件{r['what']}中“{r['text'][s0:m.end() + 30]}”所写日期为{got}年末，"
                                f"应为{want}末：沿用其他年度的文字或数字。"),
                    "evidence": json.dumps([{"passage_id": r["passage_id"], "page": r["page"], "raw_text": m.group(0),
                                             "span": [m.start(), m.end()]}], ensure_ascii=False),
                    "expected": want, "actual": f"{got}年", "difference": f"{got - year}年", "rel_diff": 0.02,
                    "severity": "medium",
                })
        return CheckResult.of([hits_frame(hits)], [pl.DataFrame(evals, schema=EVALS)] if evals else [])
