"""IR001: A 参保率 above 100 % (or a 综合参保率 below 90 %): more insured than people, or a wrong denominator."""

from __future__ import annotations

import re

import polars as pl

from toolkit.checks.framework import Check, CheckResult, get, hits_frame
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


def indicator_rates(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """参保率 reported as 实际完成值 in 自评表 indicator rows."""
    ind = get(frames, "indicators").filter(
        pl.col("level3").str.contains("参保率") & (pl.col("actual_unit") == "%") & pl.col("actual_value").is_not_null()
        & pl.col("actual_op").is_null())
    rows = []
    req = bands()["coverage_vulnerable"]["require"]
    for r in ind.iter_rows(named=True):
        band = "coverage_vulnerable" if re.search(req, r["level3"]) else "coverage_total"
        rows.append({"document_id": r["document_id"], "band": band, "value": r["actual_value"], "raw": r["actual_raw"],
                     "where": f"{r['table_id']}|r{r['row']}", "page": r["page"],
                     "quote": f"{r['project'] or ''} {r['level3']} 年度指标值 {r['target_raw'] or ''} 实际完成值 {r['actual_raw']}".strip(),
                     "source": "table", "passage_id": None, "span": None})
    return pl.DataFrame(rows, infer_schema_length=None) if rows else pl.DataFrame()


@register
class CoverageRate(Check):
    """A 参保率 above 100 % (or a 综合参保率 below 90 %): more insured than people, or a wrong denominator.

    What it does: reads every 参保率 stated in the narrative or as 实际完成值 of an indicator row and
    compares it with the sourced bands in ``toolkit/data/bands.csv`` (national 统计公报): any 参保率 above
    100 % is impossible (coverage_over_100, high); a 综合参保率 below 90 % is out of band
    (rate_out_of_band, low/medium). Targets (≥95 %), changes (提高2个百分点) and rates of another
    year are not read. 困难群体 rates below 100 % are noted in coverage, not flagged, and so is an
    indicator row's shortfall against its own target (the 自评表 scores and explains it).

    Why it matters: a 参保率 over 100 % means duplicate enrolment (people insured twice, in two places
    or two schemes) or a denominator that is not the population — either way the headline figure is
    not what it claims, and duplicate enrolment wastes 财政补助.

    Example: 屈原管理区 2023: “总计75646人，综合参保率达到102.02%”.

    Known false positives: 参保率 computed on 常住人口 in a county with heavy in-migration can exceed
    100 % honestly (the message says so); a “完成参保任务的102%” phrased as 参保率.
    """

    code = "IR001"
    name = "coverage-rate-implausible"
    category = "implausible_ratio"
    detects = ("coverage_over_100", "rate_out_of_band")
    label = "参保率不合常理"
    requires = ("frame:facts", "frame:indicators")

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        parts = [x for x in (rate_facts(frames), indicator_rates(frames)) if x.height]
        if not parts:
            return CheckResult.of([], [])
        rates = dedupe(pl.concat(parts, how="diagonal_relaxed").filter(
            pl.col("band").is_in(["coverage_total", "coverage_vulnerable"])))
        hits, evals = [], []
        for r in rates.iter_rows(named=True):
            b = bands()[r["band"]]
            status, kind, beyond = judge(r["value"], b)
            over = kind == "coverage_over_100"
            if r["source"] == "table" and kind is not None and not over:
                # a shortfall against the row's own target is scored (and explained) by the 自评表 itself
                status, kind = "passed", None
            evals.append(eval_row(r["document_id"], f"R-{r['band']}", status))
            if kind is None:
                continue
            where = "文字说明" if r["source"] == "text" else "绩效自评表"
            if over:
                msg = (f"{where}“{shorten(r['quote'])}”中{b['label']}为{r['raw']}，超过100%：参保人数多于其计算基数，"
                       f"可能存在重复参保，或分母用的不是户籍/常住人口（{band_text(b)}；依据国家医保局统计公报）。")
                sev = "high"
            else:
                msg = (f"{where}“{shorten(r['quote'])}”中{b['label']}为{r['raw']}，低于{fmt_number(b['hard_low'], 0)}%，"
                       f"远低于全国“稳定在95%以上”的水平（{band_text(b)}）；请核实口径或是否漏统计。")
                sev = "medium" if beyond >= 3 else "low"
            limit = b["hard_high"] if over else b["hard_low"]
            hits.append({
                "document_id": r["document_id"], "location": f"IR001|{r['band']}|{r['where']}", "kind": kind,
                "message": msg, "evidence": rate_evidence(r), "expected": ("≤" if over else "≥") + f"{fmt_number(limit, 0)}%",
                "actual": r["raw"], "difference": f"{fmt_number(beyond, 2)}个百分点",
                "rel_diff": beyond / max(abs(r["value"]), 1e-9), "severity": sev,
            })
        return CheckResult.of([hits_frame(hits)], [pl.DataFrame(evals)] if evals else [])
