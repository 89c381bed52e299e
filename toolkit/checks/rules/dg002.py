"""DG002: the document's own 目录 lists a table the document does not contain."""

from __future__ import annotations

import json
import re
from typing import ClassVar

import polars as pl

from toolkit.checks.disclosure import documents, printed_titles
from toolkit.checks.framework import EVALS, Check, CheckResult, get, hits_frame
from toolkit.checks.registry import register
from toolkit.extract.recognize import classify_title
from toolkit.normalize.text import squash

_NUMBERING = re.compile(r"^[-\s]*(?:[一二三四五六七八九十]+[、.．]|\d+\s*[、.．]|[（(][一二三四五六七八九十\d]+[)）])\s*")
_YEAR = re.compile(r"20\d{2}\s*年(?:度)?")


def listed_tables(toc_text: str) -> list[tuple[str, str]]:
    """(entry, table type) for each 目录 entry that names a known table (情况说明 sections are not tables)."""
    out = []
    for line in (toc_text or "").split("\n"):
        entry = _NUMBERING.sub("", line.strip())
        if not entry.endswith("表") or "说明" in entry:
            continue
        t = classify_title(entry)
        if t and t != "generic":
            out.append((entry, t))
    return out


@register
class TocTableMissing(Check):
    """The document's 目录 lists a table that the document does not contain.

    What it does: reads the document's own table of contents (the lines after “目录”), keeps the entries
    that name a table of a known type (收入支出决算总表, “三公”经费支出决算表 …; 情况说明 sections are
    not tables), and checks that the document has a table of that type or a table whose title contains
    the entry's name. A document that prints none of the listed tables (tables published as a separate
    file) is not judged, nor is an entry whose title is printed in the text (outside the 目录) though no
    table under it was read: the table is there, in a shape the reader could not rebuild.

    Why it matters: the 目录 is the document's own promise of what it discloses; a listed table that is
    not there was dropped while assembling the file.

    Example: 目录 “九、国有资本经营预算财政拨款收入支出决算表” and no such table in the document → finding.

    Known false positives: a listed table printed as an image; an entry whose words match a known table
    type though the entry names a different local table.
    """

    code = "DG002"
    name = "toc-table-missing"
    category = "disclosure_gap"
    detects = ("toc_table_missing",)
    label: ClassVar[str] = "目录所列表格未公开"
    requires = ("frame:passages", "frame:tables")
    scope = "document"

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        toc = get(frames, "passages").filter(pl.col("role") == "toc")
        docs = {r["document_id"]: r for r in documents(frames).iter_rows(named=True)}
        hits, evals = [], []
        for r in toc.iter_rows(named=True):
            doc = r["document_id"]
            listed = listed_tables(r["text"])
            if not listed:
                continue
            info = docs.get(doc) or {}
            types = set(info.get("types") or [])
            titles = [squash(_YEAR.sub("", t)) for t in (info.get("titles") or []) if t]
            if not any(t in types for _, t in listed):
                evals.append({"document_id": doc, "identity": "DG-2", "status": "skipped",
                              "reason": "not checked: none of the tables the 目录 lists is printed in this file"})
                continue
            printed = printed_titles(get(frames, "passages"), doc)
            for entry, t in listed:
                core = squash(_YEAR.sub("", entry))
                if t in types or any(core in x for x in titles):
                    evals.append({"document_id": doc, "identity": f"DG-2:{t}", "status": "passed", "reason": None})
                    continue
                if t in printed:
                    evals.append({"document_id": doc, "identity": f"DG-2:{t}", "status": "skipped",
                                  "reason": f"not checked: its title is printed (“{printed[t][:40]}”) but no table "
                                            "under it was read"})
                    continue
                evals.append({"document_id": doc, "identity": f"DG-2:{t}", "status": "failed", "reason": None})
                hits.append({
                    "document_id": doc, "location": f"DG-2|{t}|{core}", "kind": "toc_table_missing",
                    "message": f"文件目录列有“{entry}”，但文件中未见此表：目录所列内容未公开或被遗漏。",
                    "evidence": json.dumps([{"passage_id": r["passage_id"], "page": r["page"], "raw_text": entry}],
                                           ensure_ascii=False),
                    "expected": entry, "actual": "（缺失）", "difference": "1张", "rel_diff": 0.02, "severity": "medium",
                })
        return CheckResult.of([hits_frame(hits)], [pl.DataFrame(evals, schema=EVALS)] if evals else [])
