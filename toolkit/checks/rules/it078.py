"""IT078: The same item's amount is stated differently in two places of the text."""

from __future__ import annotations

import json

import polars as pl

from toolkit.checks.framework import Check, CheckResult, conform_hits
from toolkit.checks.registry import register
from toolkit.checks.text_amounts import shorten
from toolkit.checks.text_ratios import document_claims
from toolkit.checks.tolerance import fmt_number
from toolkit.claims.restate import Statement, restatements

EVALS = {"document_id": pl.String, "identity": pl.String, "status": pl.String, "reason": pl.String}


def _evidence(a: Statement, b: Statement) -> str:
    return json.dumps([{"passage_id": s.passage_id, "page": s.page, "sentence": s.sentence, "raw_text": s.raw,
                        "span": [s.start, s.start + len(s.raw)] if s.start is not None else None, "name": s.subject}
                       for s in (a, b)], ensure_ascii=False)


def _hit(a: Statement, b: Statement) -> dict:
    where = (f"第{a.page}页" if a.page else "") + (f"与第{b.page}页" if b.page and b.page != a.page else "")
    return {
        "document_id": a.document_id, "table_id": None,
        "location": f"C-restatement|{b.passage_id.rpartition(':')[2]}|{b.span_start}|{b.start}",
        "kind": "restatement_mismatch",
        "message": (f"文字说明{where}两处所述“{a.subject}”金额不一致：“{shorten(a.sentence, 60)}”为 {a.raw}，"
                    f"“{shorten(b.sentence, 60)}”为 {b.raw}。"),
        "evidence": _evidence(a, b), "expected": a.raw, "actual": b.raw,
        "difference": fmt_number(b.value - a.value, 2),
        "rel_diff": min(1.0, abs(b.value - a.value) / max(abs(a.value), abs(b.value), 1e-9)),
        "near_rounding": False, "is_total": False,
    }


@register
class TextRestatement(Check):
    """The same item's amount is stated differently in two places of the text.

    What it does: groups the amount claims of a document's text (``toolkit.claims``) by their subject
    as printed, their period and unit; an item named specifically (公务接待费支出决算, 信息化系统日常维护费,
    not a bare 预算安排/执行数/一是…) that is stated in two or more sentences with one amount everywhere but
    one place is flagged, both statements quoted. Amounts agree when their printed-precision intervals
    meet. An item stated with three different amounts, or two amounts each stated more than once, is a
    name shared by several things: not compared (coverage: skipped).

    Why it matters: a reader quotes whichever statement they read; two amounts for one item mean one is
    a typo or was not updated when the figures changed.

    Example: “公务接待费支出决算0.39万元” on page 25 and “公务接待费支出决算0.49万元” on page 27 → flagged;
    “预算安排30.00万元” of two different projects → not compared (generic name).

    Known false positives: one name used for two scopes (one fund and all funds) each stated once.
    """

    code = "IT078"
    version = "1"
    name = "text-restatement"
    detects = ("restatement_mismatch",)
    label = "文字说明同一事项金额前后不一致"
    requires = ("frame:passages",)

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        pairs, evals = restatements(document_claims(frames)[0])
        hits = [conform_hits(pl.DataFrame([_hit(a, b) for a, b in pairs], infer_schema_length=None))] if pairs else []
        return CheckResult.of(hits, [pl.DataFrame(evals, schema=EVALS)] if evals else [])
