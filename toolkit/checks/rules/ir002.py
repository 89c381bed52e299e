"""IR002: A 政策范围内住院费用基金支付比例 outside its plausible band (职工 75–95 %, 居民 55–85 %)."""

from __future__ import annotations

import polars as pl

from toolkit.checks.framework import Check, CheckResult, hits_frame
from toolkit.checks.rates import (
    band_text,
    bands,
    dedupe,
    eval_row,
    judge,
    rate_evidence,
    rate_facts,
    shorten,
)
from toolkit.checks.registry import register
from toolkit.checks.tolerance import fmt_number


@register
class ReimbursementRateBand(Check):
    """A 政策范围内住院费用基金支付比例 outside its plausible band (职工 75–95 %, 居民 55–85 %).

    What it does: reads each 职工/居民 政策范围内（目录内）住院费用基金支付（报销）比例 stated in the
    narrative, names its scheme from the clause (“职工、居民…分别为A和B” is read in order) and compares
    it with the hard limits of the sourced bands in ``toolkit/data/bands.csv`` (national 统计公报). Rates of 医疗救助,
    困难群体 一站式 综合报销, 大病, 门诊, 离休 and stated targets (不低于, 确保) are not read; a rate
    whose scheme is not named is skipped.

    Why it matters: these ratios are the headline benefit indicators (national 2023: 职工 84.6 %,
    居民 68.1 %); a county far outside the band either mis-states the indicator (e.g. 实际报销比例
    including 救助) or reports a number nobody computed.

    Example: “职工医保政策范围内住院费用基金支付比例98.20%” (hard limit 95 %).

    Known false positives: 一级医院-only or 离休 rates phrased like the general one; a scheme named only
    in an earlier sentence (then the extractor's scheme is used).
    """

    code = "IR002"
    name = "reimbursement-rate-out-of-band"
    category = "implausible_ratio"
    detects = ("rate_out_of_band",)
    label = "住院报销比例超出合理区间"
    requires = ("frame:facts",)

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        rates = rate_facts(frames)
        if rates.height == 0:
            return CheckResult.of([], [])
        rates = dedupe(rates.filter(pl.col("band").str.starts_with("reimb_")))
        hits, evals = [], []
        for r in rates.iter_rows(named=True):
            if r["band"] == "reimb_unnamed":
                evals.append(eval_row(r["document_id"], "R-reimb", "skipped", "scheme (职工/居民) not named"))
                continue
            b = bands()[r["band"]]
            status, kind, beyond = judge(r["value"], b)
            evals.append(eval_row(r["document_id"], f"R-{r['band']}", status))
            if kind is None:
                continue
            high = r["value"] > (b["hard_high"] or 0)
            limit = b["hard_high"] if high else b["hard_low"]
            msg = (f"文字说明“{shorten(r['quote'])}”中{b['label']}为{r['raw']}，"
                   f"{'高于' if high else '低于'}合理{'上' if high else '下'}限{fmt_number(limit, 0)}%"
                   f"（{band_text(b)}；全国2023年职工84.6%、居民68.1%）。请核实是否混入了医疗救助/大病保险，或口径有误。")
            hits.append({
                "document_id": r["document_id"], "location": f"IR002|{r['band']}|{r['where']}", "kind": kind,
                "message": msg, "evidence": rate_evidence(r), "expected": f"{band_text(b)}",
                "actual": r["raw"], "difference": f"{fmt_number(beyond, 2)}个百分点",
                "rel_diff": beyond / max(abs(r["value"]), 1e-9), "severity": "medium" if beyond >= 3 else "low",
            })
        return CheckResult.of([hits_frame(hits)], [pl.DataFrame(evals)] if evals else [])
