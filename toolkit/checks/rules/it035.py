"""IT035: Narrative fund figures do not add up: 收入 − 支出 ≠ 当期结余, or the parts exceed the whole."""

from __future__ import annotations

import json

import polars as pl

from toolkit.checks.framework import Check, CheckResult, conform_hits
from toolkit.checks.registry import register
from toolkit.checks.text_amounts import fact_evidence, text_facts
from toolkit.checks.tolerance import fmt_number, overlaps


@register
class NarrativeFundArithmetic(Check):
    """Narrative fund figures do not add up: 收入 − 支出 ≠ 当期结余, or the parts exceed the whole.

    What it does: for each (scheme, period) of a document with 基金收入, 基金支出 and 当期结余 stated,
    checks 收入 − 支出 = 当期结余 with interval bounds; and flags scheme parts (职工 + 居民 …) that add
    up to more than the stated total.

    Why it matters: fund balance is the headline of medical-insurance reporting; arithmetic that does
    not close hides a deficit or a surplus.

    Example: 职工医保基金收入 5.2亿元, 支出 4.8亿元, 当期结余 0.6亿元 (should be 0.4).

    Known false positives: 结余 stated including interest or 上解/下拨 that the text names separately.
    """

    code = "IT035"
    name = "narrative-fund-arithmetic"
    detects = ("fund_arithmetic",)
    label = "基金收支结余计算不符"
    requires = ("frame:facts",)

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        f = text_facts(frames).filter((pl.col("qualifier").fill_null("amount") == "amount")
                                  & pl.col("metric").is_in(["fund_income", "fund_expense", "fund_balance_current"]))
        if f.height == 0:
            return CheckResult.of([], [])
        f = f.with_columns(sch=pl.col("scheme").fill_null("all"), per=pl.col("period").fill_null(""))
        keys = ["document_id", "sch", "per"]
        first = f.sort("span_start").unique(keys + ["metric"], keep="first")
        wide = first.pivot(on="metric", index=keys, values=["b", "lo", "hi", "raw_text", "unit", "scale", "decimals",
                                                            "sentence", "passage_id", "page", "span_start", "span_end"])
        need = [f"b_{m}" for m in ("fund_income", "fund_expense", "fund_balance_current")]
        if not all(c in wide.columns for c in need):
            return CheckResult.of([], [])
        w = wide.drop_nulls(need).with_columns(
            c_lo=pl.col("lo_fund_income") - pl.col("hi_fund_expense"), c_hi=pl.col("hi_fund_income") - pl.col("lo_fund_expense"),
            c=pl.col("b_fund_income") - pl.col("b_fund_expense"))
        w = w.with_columns(ok=overlaps(pl.col("lo_fund_balance_current"), pl.col("hi_fund_balance_current"),
                                       pl.col("c_lo"), pl.col("c_hi")))
        evals = w.select("document_id", pl.lit("F-1").alias("identity"),
                         pl.when(pl.col("ok")).then(pl.lit("passed")).otherwise(pl.lit("failed")).alias("status"),
                         pl.lit(None, dtype=pl.String).alias("reason"))
        rows = []
        for r in w.filter(~pl.col("ok")).iter_rows(named=True):
            scale = r["scale_fund_balance_current"] or 1.0
            unit = r["unit_fund_balance_current"] or ""
            d = r["decimals_fund_balance_current"] or 0
            ev = [{"raw_text": r[f"raw_text_{m}"], "sentence": r[f"sentence_{m}"], "passage_id": r[f"passage_id_{m}"],
                   "page": r[f"page_{m}"], "span": [r[f"span_start_{m}"], r[f"span_end_{m}"]]}
                  for m in ("fund_income", "fund_expense", "fund_balance_current")]
            rows.append({
                "document_id": r["document_id"], "location": f"F-1|{r['sch']}|{r['per']}", "kind": "fund_arithmetic",
                "message": (f"基金收入 {r['raw_text_fund_income']} − 基金支出 {r['raw_text_fund_expense']} = "
                            f"{fmt_number(r['c'] / scale, d)}{unit}，但文中当期结余为 {r['raw_text_fund_balance_current']}。"),
                "evidence": json.dumps(ev, ensure_ascii=False), "expected": f"{fmt_number(r['c'] / scale, d)}{unit}",
                "actual": r["raw_text_fund_balance_current"],
                "difference": f"{fmt_number((r['b_fund_balance_current'] - r['c']) / scale, d)}{unit}",
                "rel_diff": abs(r["b_fund_balance_current"] - r["c"]) / max(abs(r["b_fund_balance_current"]), abs(r["c"]), 1e-9),
                "is_total": True,
            })
        # parts > whole: Σ scheme amounts exceed the all-scheme amount of the same metric and period
        parts = f.filter(pl.col("sch") != "all").sort("span_start").unique(keys + ["metric"], keep="first").group_by(
            "document_id", "per", "metric").agg(pl.col("lo").sum().alias("p_lo"), pl.col("b").sum().alias("p_b"),
                                                pl.len().alias("n"), pl.col("raw_text").alias("p_raw"))
        whole = f.filter(pl.col("sch") == "all").sort("span_start").unique(["document_id", "per", "metric"], keep="first")
        pw = whole.join(parts.filter(pl.col("n") >= 2), on=["document_id", "per", "metric"]).with_columns(
            bad=pl.col("p_lo") > pl.col("hi") + 1e-9)
        evals = pl.concat([evals, pw.select("document_id", pl.lit("F-2").alias("identity"), pl.when(pl.col("bad")).then(
            pl.lit("failed")).otherwise(pl.lit("passed")).alias("status"), pl.lit(None, dtype=pl.String).alias("reason"))])
        for r in pw.filter(pl.col("bad")).iter_rows(named=True):
            scale = r["scale"] or 1.0
            rows.append({
                "document_id": r["document_id"], "location": f"F-2|{r['metric']}|{r['per']}", "kind": "fund_arithmetic",
                "message": f"各险种{r['subject'] or r['metric']}之和 {' + '.join(r['p_raw'])} = "
                           f"{fmt_number(r['p_b'] / scale, r['decimals'] or 0)}{r['unit'] or ''}，超过文中合计 {r['raw_text']}。",
                "evidence": json.dumps([fact_evidence(r)], ensure_ascii=False), "expected": f"≤ {r['raw_text']}",
                "actual": f"{fmt_number(r['p_b'] / scale, r['decimals'] or 0)}{r['unit'] or ''}",
                "difference": f"{fmt_number((r['p_b'] - r['b']) / scale, r['decimals'] or 0)}{r['unit'] or ''}",
                "rel_diff": (r["p_b"] - r["b"]) / max(abs(r["p_b"]), 1e-9), "is_total": True,
            })
        return CheckResult.of([conform_hits(pl.DataFrame(rows, infer_schema_length=None))] if rows else [], [evals])
