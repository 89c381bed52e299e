"""DG001: a table the document type requires is not in the document."""

from __future__ import annotations

import json
from typing import ClassVar

import polars as pl

from toolkit.checks.disclosure import (
    DOC_TYPE_NAMES,
    MIN_PRESENT,
    documents,
    printed_titles,
    required_for,
    table_name,
    text_says_none,
)
from toolkit.checks.framework import EVALS, Check, CheckResult, get, hits_frame
from toolkit.checks.registry import register


@register
class RequiredTableMissing(Check):
    """A 部门决算 or 部门预算 lacks one of the tables its template requires (九张表).

    What it does: for a document whose type is known (部门决算 / 部门（单位）预算) and that prints at
    least 4 of the required tables (so the tables were meant to be in it), each required table type
    that no table of the document has is a finding. Local variants are accepted: tables are matched
    by title and header words, not by number (公开01–09 or 10–15); a 三公 table folded into another
    (“三公”经费和机关运行经费预算表) counts; a 政府性基金 / 国有资本经营 table left out while the text
    says the unit has none of those funds is not judged (coverage: skipped), nor is a table whose title
    is printed in the text (outside the 目录) though no table under it was read: it is there, in a shape
    the reader could not rebuild. The 国有资本经营 table is required from fiscal year 2020.

    Why it matters: a table left out of a disclosure hides the figures it would show; an auditor
    comparing bureaus needs the full set.

    Example: a 2024 部门决算 with 01–06 and 08–09 tables but no 三公 table and no mention of one → finding.

    Known false positives: a table printed as an image or a scanned page (no text, not recognised);
    a title so unusual that recognition misses it (the table then shows as generic in coverage).
    """

    code = "DG001"
    name = "required-table-missing"
    category = "disclosure_gap"
    detects = ("required_table_missing",)
    label: ClassVar[str] = "公开表格缺失"
    requires = ("frame:tables", "frame:documents")
    scope = "document"

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        passages = get(frames, "passages")
        hits, evals = [], []
        for r in documents(frames).iter_rows(named=True):
            doc, dt = r["document_id"], r["doc_type"]
            req = required_for(dt, r["fiscal_year"])
            if not req:
                evals.append(_ev(doc, "DG-1", "skipped", f"not checked: no required-table set for document type {dt}"))
                continue
            types = set(r["types"] or [])
            present = [t for t in req if t in types]
            if len(present) < MIN_PRESENT:
                evals.append(_ev(doc, "DG-1", "skipped", f"not checked: only {len(present)} of {len(req)} "
                                 "required tables recognised (tables published separately, or not a full disclosure)"))
                continue
            titles = [t for t in (r["titles"] or []) if t]
            printed = printed_titles(passages, doc)
            for t in req:
                if t in types:
                    evals.append(_ev(doc, f"DG-1:{t}", "passed", None))
                    continue
                if t == "sangong" and any("三公" in x for x in titles):
                    evals.append(_ev(doc, f"DG-1:{t}", "passed", "folded into another table"))
                    continue
                if t in printed:
                    evals.append(_ev(doc, f"DG-1:{t}", "skipped", f"not checked: its title is printed "
                                     f"(“{printed[t][:40]}”) but no table under it was read"))
                    continue
                said = text_says_none(passages, doc, t)
                if said:
                    evals.append(_ev(doc, f"DG-1:{t}", "skipped", f"text states none: {said[:60]}"))
                    continue
                name = table_name(t, dt)
                evals.append(_ev(doc, f"DG-1:{t}", "failed", None))
                hits.append({
                    "document_id": doc, "location": f"DG-1|{t}", "kind": "required_table_missing",
                    "message": (f"{DOC_TYPE_NAMES.get(dt, dt)}应公开“{name}”，本文件未见此表（已识别"
                                f"{len(present)}张应公开表格），正文也未说明无此项内容：公开内容不完整。"),
                    "evidence": json.dumps([{"table": None, "raw_text": x} for x in titles[:12]], ensure_ascii=False),
                    "expected": name, "actual": "（缺失）", "difference": "1张", "rel_diff": 0.02, "severity": "medium",
                })
        return CheckResult.of([hits_frame(hits)], [pl.DataFrame(evals, schema=EVALS)] if evals else [])


def _ev(doc: str, identity: str, status: str, reason: str | None) -> dict:
    return {"document_id": doc, "identity": identity, "status": status, "reason": reason}
