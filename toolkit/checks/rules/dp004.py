"""DP004: The same many-digit amount is printed by two different bureaus."""

from __future__ import annotations

from typing import ClassVar

import polars as pl

from toolkit.checks.framework import EVALS, Check, CheckResult, hits_frame
from toolkit.checks.registry import register
from toolkit.peers.digits import DUPLICATE_MIN_DIGITS, amounts, duplicated
from toolkit.peers.explain import evidence_json


@register
class AmountDuplicatedAcrossBureaus(Check):
    """The same many-digit amount is printed by two different bureaus.

    What it does: over the corpus, finds printed 决算 amounts of at least 9 digits (1,234,567.89 元;
    not ending in 00) that appear in the line items of two or more bureaus with different resolved
    regions. One finding per bureau-year holding such a figure, naming the other bureaus and the
    rows; medium when two or more figures are shared with the same bureau, else low. Bureaus whose
    region is not resolved are not compared (coverage).

    Why it matters: two bureaus' ledgers do not produce the same amount to the 分; a shared figure
    means one copied the other's table (or both filled in a template's example numbers).

    Example: 行政运行 2,113,826.37 in both 甲县 2023 and 乙县 2023 决算 03 表.

    Known false positives: provincial standard allocations split identically to several counties;
    the evidence gives both rows so the reader can tell.
    """

    code = "DP004"
    name = "amount-duplicated-across-bureaus"
    category = "digit_pattern"
    detects = ("duplicated_amount",)
    label = "金额与其他单位雷同"
    requires = ("frame:line_items",)
    scope: ClassVar[str] = "corpus"

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        am = amounts(frames)
        if am.height == 0:
            return CheckResult.of([], [])
        dup = duplicated(am)
        hits, evals = [], []
        checked = am.filter(pl.col("region_code").is_not_null())["document_id"].unique().sort().to_list()
        unresolved = am.filter(pl.col("region_code").is_null())["document_id"].unique().sort().to_list()
        flagged_docs: set[str] = set()
        for (bkey, year), g in dup.group_by(["bkey", "fiscal_year"], maintain_order=True):
            others = dup.filter(pl.col("digits").is_in(g["digits"].implode()) & (pl.col("region_code") !=
                                                                                 g["region_code"][0]))
            per_other = others.group_by("bkey").len()
            sev = "medium" if (per_other["len"].max() or 0) >= 2 else "low"
            names = others["bureau"].fill_null(others["bkey"]).unique().sort().to_list()
            first = g.row(0, named=True)
            bureau = first["bureau"] or bkey
            msg = (f"{bureau}{year}年决算中{g.height}个金额（如{first['name'] or ''}{first['raw_text']}）与"
                   f"{'、'.join(names[:5])}{'等' if len(names) > 5 else ''}公开的金额完全相同（{DUPLICATE_MIN_DIGITS}位以上）；"
                   f"不同单位的账目不会得出分毫不差的数字，需核实是否照抄他单位报表。")
            ev = [{"document_id": r["document_id"], "table_id": r["table_id"], "page": r["page"], "row_label": r["name"],
                   "raw_text": r["raw_text"], "bureau": r["bureau"], "fiscal_year": r["fiscal_year"]}
                  for r in pl.concat([g.head(5), others.head(10)], how="diagonal_relaxed").to_dicts()]
            hits.append({"document_id": first["document_id"], "table_id": first["table_id"],
                         "location": f"DP004|{bkey}|{year}", "kind": "duplicated_amount", "message": msg,
                         "evidence": evidence_json(ev), "expected": "各单位金额互不相同",
                         "actual": f"{first['raw_text']}（另见{names[0]}）", "difference": f"{g.height}个相同金额",
                         "rel_diff": 0.05, "severity": sev})
            flagged_docs.add(first["document_id"])
        evals += [{"document_id": d, "identity": "D-4", "status": "failed" if d in flagged_docs else "passed",
                   "reason": None} for d in checked]
        evals += [{"document_id": d, "identity": "D-4", "status": "skipped", "reason": "region not resolved"}
                  for d in unresolved if d not in set(checked)]
        return CheckResult.of([hits_frame(hits)], [pl.DataFrame(evals, schema=EVALS)] if evals else [])
