"""Ratios stated in the text (share, growth, completion) checked against their operands' intervals (IT031–IT033)."""

from __future__ import annotations

import json

import polars as pl

from toolkit.checks.framework import CheckResult, conform_hits
from toolkit.checks.text_amounts import (
    fact_evidence,
    shorten,
    text_facts,
)
from toolkit.checks.tolerance import fmt_number, overlaps

MAX_GAP_CHARS = 160  # how far back in a passage an operand of a ratio may be


def operands(f: pl.DataFrame, targets: pl.DataFrame, qualifiers: tuple[str, ...], suffix: str,
              *, after_in_sentence: bool = False) -> pl.DataFrame:
    """Every fact of ``qualifiers`` before a target fact in the same passage (within MAX_GAP_CHARS);
    with ``after_in_sentence`` also those after it in its sentence (“增长5.5%（增加103.61万元）”)."""
    ops = f.filter(pl.col("qualifier").is_in(qualifiers)).select(
        "document_id", "passage_id", pl.col("fid").alias(f"fid{suffix}"), pl.col("b").alias(f"b{suffix}"),
        pl.col("lo").alias(f"lo{suffix}"), pl.col("hi").alias(f"hi{suffix}"), pl.col("raw_text").alias(f"raw{suffix}"),
        pl.col("span_start").alias(f"s{suffix}"), pl.col("base_unit").alias(f"u{suffix}"),
        pl.col("subject").alias(f"subj{suffix}"), pl.col("sentence").alias(f"sent{suffix}"),
        pl.col("scale").fill_null(1.0).alias(f"sc{suffix}"), pl.col("metric").alias(f"m{suffix}"))
    before = (pl.col(f"s{suffix}") < pl.col("span_start")) & (pl.col("span_start") - pl.col(f"s{suffix}") <= MAX_GAP_CHARS)
    if after_in_sentence:
        before = before | ((pl.col(f"s{suffix}") > pl.col("span_start")) & (pl.col(f"sent{suffix}") == pl.col("sentence")))
    return targets.join(ops, on=["document_id", "passage_id"]).filter(before)


def money_facts(f: pl.DataFrame) -> pl.DataFrame:
    from toolkit.normalize.numbers import unit_scale

    units = f["unit"].unique().to_list()
    m = {u: unit_scale(u)[0] for u in units if u is not None}
    return f.with_columns(base_unit=pl.col("unit").replace_strict(m, default=None, return_dtype=pl.String))


def pct_interval(f: pl.DataFrame) -> pl.DataFrame:
    """A printed rate's interval: rounded (± half a unit of its last digit) or truncated (up to one unit
    away from zero): 9746.50 ÷ 10210.34 = 95.457% printed as 95.45% is 截位, not an error."""
    u = pl.lit(10.0).pow(-pl.col("decimals").fill_null(0).cast(pl.Float64))
    v = pl.col("value")
    return f.with_columns(p=v, p_lo=pl.when(v < 0).then(v - u).otherwise(v - 0.5 * u),
                          p_hi=pl.when(v < 0).then(v + 0.5 * u).otherwise(v + u))


def ratio_check(frames, *, code: str, identity: str, qualifier: str, kind: str, build) -> CheckResult:
    f = money_facts(text_facts(frames))
    targets = pct_interval(f.filter((pl.col("qualifier") == qualifier) & (pl.col("unit") == "%")))
    if targets.height == 0:
        return CheckResult.of([], [])
    cand = build(f, targets)  # rows: target × candidate operand pairing with c_lo/c_hi (percent) and text
    if cand.height == 0:
        return CheckResult.of([], [targets.select("document_id", pl.lit(identity).alias("identity"),
                                                   pl.lit("skipped").alias("status"),
                                                   pl.lit("no amounts beside the rate").alias("reason"))])
    # no bounds: the denominator's interval holds 0. With a finite stated rate (“2万元” printed without
    # decimals may be 1.5–2.5, so 2 − 1.56 may be 0) any rate is within rounding; with a base of 0 (a new
    # item: 增加307.82万元 of 307.82万元) the rate is undefined and 100% is the usual way to print it
    # 0 ÷ 0 (nothing budgeted, nothing spent) has no rate either; 0.00% is how it is printed
    at_100 = (pl.col("p_lo") <= 100.0) & (pl.col("p_hi") >= 100.0)
    at_0 = (pl.col("p_lo") <= 0.0) & (pl.col("p_hi") >= 0.0) & pl.col("c").is_nan()
    unbounded = (pl.col("c_lo").is_null() | pl.col("c_hi").is_null()) & (pl.col("c").is_finite() | at_100 | at_0)
    cand = cand.with_columns(ok=overlaps(pl.col("p_lo"), pl.col("p_hi"), pl.col("c_lo"), pl.col("c_hi")).fill_null(False)
                             | unbounded.fill_null(False),
                             dist=(pl.col("p") - pl.col("c")).abs())
    if "eligible" not in cand.columns:
        cand = cand.with_columns(eligible=pl.lit(True))
    per = cand.group_by("fid").agg(pl.col("ok").any().alias("any_ok"), pl.col("eligible").any().alias("any_eligible"))
    unnamed = per.filter(~pl.col("any_ok") & ~pl.col("any_eligible"))
    per = per.join(unnamed.select("fid"), on="fid", how="anti")
    skipped = targets.join(per, on="fid", how="anti").select(
        "document_id", pl.lit(identity).alias("identity"), pl.lit("skipped").alias("status"),
        pl.lit("no amounts beside the rate").alias("reason"))
    evals = per.join(targets.select("fid", "document_id"), on="fid").select(
        "document_id", pl.lit(identity).alias("identity"),
        pl.when(pl.col("any_ok")).then(pl.lit("passed")).otherwise(pl.lit("failed")).alias("status"),
        pl.lit(None, dtype=pl.String).alias("reason"))
    skipped = pl.concat([skipped, unnamed.join(targets.select("fid", "document_id"), on="fid").select(
        "document_id", pl.lit(identity).alias("identity"), pl.lit("skipped").alias("status"),
        pl.lit("the whole is not named beside the rate").alias("reason"))])
    bad = cand.filter(pl.col("eligible")).join(per.filter(~pl.col("any_ok")), on="fid").sort(
        "prio", "dist").unique("fid", keep="first")
    rows = []
    for r in bad.iter_rows(named=True):
        msg = (f"文字说明“{shorten(r['sentence'])}”中 {r['raw_text']}，但按{r['formula']} = {fmt_number(r['c'], 2)}%，"
               f"超出舍入误差范围（已尝试该段中所有可能的对应金额，均不相符）。")
        rows.append({
            "document_id": r["document_id"], "location": f"{identity}|{r['passage_id']}|{r['span_start']}", "kind": kind,
            "message": msg, "evidence": json.dumps([fact_evidence(r)], ensure_ascii=False),
            "expected": f"{fmt_number(r['c'], 2)}%", "actual": r["raw_text"],
            "difference": f"{fmt_number(r['p'] - r['c'], 2)}个百分点",
            "rel_diff": abs(r["p"] - r["c"]) / max(abs(r["p"]), abs(r["c"]), 1e-9), "is_total": False,
        })
    return CheckResult.of([conform_hits(pl.DataFrame(rows, infer_schema_length=None))] if rows else [],
                          [evals, skipped])
