"""DG004: a table stated to be empty (本表无数据) carries data."""

from __future__ import annotations

import json
import re
from typing import ClassVar

import polars as pl

from toolkit.checks.disclosure import EMPTY_STATEMENT, MAY_BE_EMPTY, TYPE_KEYWORDS, table_name
from toolkit.checks.framework import EVALS, Check, CheckResult, get, hits_frame
from toolkit.checks.registry import register
from toolkit.checks.rules.dg003 import table_emptiness

# a statement about the table itself, not about the unit's funds (没有…收入 can coexist with 结转 amounts)
_TABLE_EMPTY = r"本表无数据|本表为空|为空表|故本表无"


def _text_statement(passages: pl.DataFrame, doc: str, table_type: str) -> str | None:
    kw = TYPE_KEYWORDS.get(table_type)
    # a combined table (“三公”经费和机关运行经费) may be stated empty for one of its parts only
    if not kw or table_type not in MAY_BE_EMPTY or table_type == "sangong":
        return None
    pat = re.compile(f"(?:{kw})[^。]{{0,80}}(?:{_TABLE_EMPTY})")
    for text in passages.filter(pl.col("document_id") == doc).sort("order", "passage_id", nulls_last=True)["text"].to_list():
        m = pat.search(text or "")
        if m:
            return m.group(0)
    return None


@register
class StatedEmptyHasData(Check):
    """A table is stated to be empty (“本表无数据”, 空表) but prints non-zero figures.

    What it does: for each required-type table of a 部门决算 / 预算 that has non-zero numbers (栏次 rows
    and codes excluded), looks for a statement that the table is empty: in its own cells or title
    (“本表无数据”, “空表”), or a sentence naming its subject (“…政府性基金…故本表无数据”). Both
    together are a contradiction and a finding.

    Why it matters: either the statement was copied from last year's template while the unit now has
    such funds, or the figures were pasted into the wrong table; the reader cannot tell which is true.

    Example: 政府性基金预算财政拨款收入支出决算表 with 本年支出 12.00 while the text says “本单位没有
    政府性基金预算财政拨款收入和支出，故本表无数据” → finding.

    Text statements are read for the 政府性基金 and 国有资本经营 tables only (a combined 三公 table may be
    stated empty for 三公 while its 机关运行经费 has figures).

    Known false positives: a statement about another year's table quoted in a comparison.
    """

    code = "DG004"
    name = "stated-empty-has-data"
    category = "disclosure_gap"
    detects = ("empty_statement_contradicted",)
    label: ClassVar[str] = "表格注明无数据却有数据"
    requires = ("frame:tables", "frame:cells")
    scope = "document"

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        t = table_emptiness(frames).filter(pl.col("nonzero") > 0)
        passages = get(frames, "passages")
        hits, evals = [], []
        for r in t.iter_rows(named=True):
            doc, tid = r["document_id"], r["table_id"]
            cell = r["cell_statement"] if r["cell_statement"] and re.search(EMPTY_STATEMENT, r["cell_statement"]) \
                else None
            said = cell or _text_statement(passages, doc, r["table_type"])
            if not said:
                evals.append({"document_id": doc, "identity": f"DG-4:{tid}", "status": "passed", "reason": None})
                continue
            name = r["title"] or table_name(r["table_type"], r["doc_type"])
            evals.append({"document_id": doc, "identity": f"DG-4:{tid}", "status": "failed", "reason": None})
            hits.append({
                "document_id": doc, "table_id": tid, "location": f"DG-4|{tid}", "kind": "empty_statement_contradicted",
                "message": (f"“{name}”有{r['nonzero']}个非零数据，但文件称“{said[:60]}”：说明与表格内容矛盾，"
                            "其一有误。"),
                "evidence": json.dumps([{"table": tid, "page": r["page"], "raw_text": said}], ensure_ascii=False),
                "expected": "无数据", "actual": f"{r['nonzero']}个非零数据", "difference": f"{r['nonzero']}个",
                "rel_diff": 0.02, "severity": "medium",
            })
        return CheckResult.of([hits_frame(hits)], [pl.DataFrame(evals, schema=EVALS)] if evals else [])
