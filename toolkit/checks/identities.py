"""A vectorised engine for additive identities: whole (=|≤|≥) Σ ± parts.

Checks describe each identity instance as *terms* (schema :data:`TERMS`): one row per
cell taking part, with ``group`` naming the instance, ``role`` whole/part, ``sign`` for
parts, and the cell's value/decimals/scale and locator. :func:`evaluate` computes the
reported and computed intervals per group (group_by, no Python loop over rows), decides
passed/failed/skipped, and :func:`render_hits` writes the Chinese message and evidence
for the failed groups only.

Rules (the published 部门决算 table identities):
* intervals from printed precision; violated only when they do not overlap;
* a blank part does not count as zero unless the totals prove it (the non-blank parts
  already add up) — otherwise the instance is ``skipped: blank cell``;
* a blank whole with non-zero parts is ``skipped: blank total``.
"""

from __future__ import annotations

import json

import polars as pl

from toolkit.checks.framework import EVALS, HITS, conform_hits
from toolkit.checks.tolerance import fmt_number, gap, half_unit, overlaps
from toolkit.schemas import conform, empty

TERMS: dict[str, pl.DataType] = {
    "document_id": pl.String,
    "table_id": pl.String,
    "identity": pl.String,  # T03-2 ...
    "group": pl.String,  # unique per identity instance within a document
    "relation": pl.String,  # eq: whole = Σ; le: whole ≤ Σ; ge: whole ≥ Σ
    "desc": pl.String,  # Chinese description of the whole (table · row · column)
    "parts_desc": pl.String,  # Chinese description of what the parts are
    "role": pl.String,  # whole|part
    "sign": pl.Float64,
    "value": pl.Float64,
    "decimals": pl.Int32,
    "scale": pl.Float64,
    "unit": pl.String,
    "title": pl.String,
    "page": pl.Int32,
    "row": pl.Int32,
    "col": pl.Int32,
    "label": pl.String,  # row label as printed (code + name)
    "measure_label": pl.String,
    "raw_text": pl.String,
    "is_total": pl.Boolean,
}


def conform_terms(df: pl.DataFrame) -> pl.DataFrame:
    return conform(df, TERMS, {"sign": 1.0, "relation": "eq", "is_total": False})


KEYS = ["document_id", "identity", "group"]


def evaluate(terms: pl.DataFrame) -> pl.DataFrame:
    """One row per group: intervals, status, reason, rel_diff, near_rounding."""
    if terms.height == 0:
        return pl.DataFrame(schema={**{k: pl.String for k in KEYS}, "status": pl.String, "reason": pl.String})
    t = terms.with_columns(
        h=half_unit(pl.col("decimals"), pl.col("scale")),
        b=pl.col("value") * pl.col("scale").fill_null(1.0),
    )
    whole = (
        t.filter(pl.col("role") == "whole")
        .group_by(KEYS)
        .agg(
            pl.col("b").first().alias("w_b"),
            pl.col("h").first().alias("w_h"),
            pl.col("scale").first().fill_null(1.0).alias("w_scale"),
            pl.col("unit").first().alias("w_unit"),
            pl.col("decimals").first().alias("w_dec"),
            pl.col("table_id").first().alias("table_id"),
            pl.col("relation").first().alias("relation"),
            pl.col("is_total").first().alias("is_total"),
            pl.len().alias("n_whole"),
        )
    )
    parts = (
        t.filter(pl.col("role") == "part")
        .group_by(KEYS)
        .agg(
            (pl.col("sign") * pl.col("b")).sum().alias("p_b"),
            pl.col("h").filter(pl.col("b").is_not_null()).sum().alias("p_h"),
            pl.col("b").is_null().sum().alias("n_blank"),
            pl.col("b").is_not_null().sum().alias("n_parts"),
            pl.col("decimals").max().alias("p_dec"),
            (pl.col("b").abs().fill_null(0.0).sum()).alias("p_abs"),
        )
    )
    g = whole.join(parts, on=KEYS, how="full", coalesce=True).with_columns(
        pl.col("n_parts").fill_null(0),
        pl.col("n_blank").fill_null(0),
        pl.col("p_b").fill_null(0.0),
        pl.col("p_h").fill_null(0.0),
        pl.col("relation").fill_null("eq"),
        pl.col("is_total").fill_null(False),
    )
    w_lo, w_hi = pl.col("w_b") - pl.col("w_h"), pl.col("w_b") + pl.col("w_h")
    c_lo, c_hi = pl.col("p_b") - pl.col("p_h"), pl.col("p_b") + pl.col("p_h")
    rel = pl.col("relation")
    ok = (
        pl.when(rel == "le").then(w_lo <= c_hi + 1e-9 * (c_hi.abs() + 1))
        .when(rel == "ge").then(w_hi + 1e-9 * (w_hi.abs() + 1) >= c_lo)
        .otherwise(overlaps(w_lo, w_hi, c_lo, c_hi))
    )
    g_all = pl.when(rel == "le").then(pl.max_horizontal(pl.lit(0.0), w_lo - c_hi)).when(rel == "ge").then(
        pl.max_horizontal(pl.lit(0.0), c_lo - w_hi)
    ).otherwise(gap(w_lo, w_hi, c_lo, c_hi))
    g = g.with_columns(ok=ok, gap=g_all)
    status = (
        # extractors drop blank cells, so a missing whole is a blank whole: zero only if the parts prove it
        pl.when(pl.col("w_b").is_null() & (pl.col("p_b").abs() <= pl.col("p_h") + 1e-9)).then(pl.lit("passed"))
        .when(pl.col("n_whole").is_null()).then(pl.lit("skipped"))
        .when(pl.col("w_b").is_null()).then(pl.lit("skipped"))
        .when((pl.col("n_parts") == 0) & (pl.col("n_blank") == 0)).then(pl.lit("skipped"))
        .when(pl.col("ok")).then(pl.lit("passed"))
        .when(pl.col("n_blank") > 0).then(pl.lit("skipped"))
        .otherwise(pl.lit("failed"))
    )
    reason = (
        pl.when(pl.col("w_b").is_null() & (pl.col("p_b").abs() <= pl.col("p_h") + 1e-9)).then(pl.lit(None))
        .when(pl.col("n_whole").is_null()).then(pl.lit("blank or missing total"))
        .when(pl.col("w_b").is_null()).then(pl.lit("blank cell (total)"))
        .when((pl.col("n_parts") == 0) & (pl.col("n_blank") == 0)).then(pl.lit("no parts"))
        .when(pl.col("ok")).then(pl.lit(None))
        .when(pl.col("n_blank") > 0).then(pl.lit("blank cell"))
        .otherwise(pl.lit(None))
    )
    diff = (pl.col("w_b") - pl.col("p_b")).abs()
    denom = pl.max_horizontal(pl.col("w_b").abs(), pl.col("p_b").abs())
    return g.with_columns(
        status=status,
        reason=reason,
        rel_diff=pl.when(denom > 0).then(diff / denom).otherwise(0.0),
        # within twice the rounding envelope: a different rounding convention could explain it
        near_rounding=pl.col("gap") <= (pl.col("w_h").fill_null(0.0) + pl.col("p_h")),
    )


def evals_of(g: pl.DataFrame) -> pl.DataFrame:
    if g.height == 0:
        return empty(EVALS)
    return g.select(list(EVALS)).cast(EVALS)


_REL_WORD = {"eq": "应等于", "le": "应不大于", "ge": "应不小于"}


def _unit_text(unit: str | None) -> str:
    return unit or ""


def _cell_evidence(r: dict) -> dict:
    return {
        "table": r.get("title"),
        "table_id": r.get("table_id"),
        "page": r.get("page"),
        "row": r.get("row"),
        "col": r.get("col"),
        "row_label": r.get("label"),
        "col_label": r.get("measure_label"),
        "raw_text": r.get("raw_text"),
    }


def render_hits(g: pl.DataFrame, terms: pl.DataFrame, kind: str, *, max_parts: int = 12) -> pl.DataFrame:
    """Messages and evidence for the failed groups (only they are looped over)."""
    failed = g.filter(pl.col("status") == "failed")
    if failed.height == 0:
        return empty(HITS)
    fterms = terms.join(failed.select(KEYS), on=KEYS, how="semi").sort(["row", "col"], nulls_last=True)
    by_group: dict[tuple, list[dict]] = {}
    for r in fterms.iter_rows(named=True):
        by_group.setdefault((r["document_id"], r["identity"], r["group"]), []).append(r)
    rows = []
    for f in failed.iter_rows(named=True):
        cells = by_group.get((f["document_id"], f["identity"], f["group"]), [])
        whole = next((c for c in cells if c["role"] == "whole"), None)
        parts = [c for c in cells if c["role"] == "part"]
        if whole is None:
            continue
        scale = f["w_scale"] or 1.0
        precisions = [x for x in (f["w_dec"], f["p_dec"]) if x is not None and x < 6]
        dec = max(precisions, default=9 if (f["w_dec"] or 0) >= 6 else 0)
        unit = _unit_text(whole["unit"])
        reported = f["w_b"] / scale
        computed = f["p_b"] / scale
        terms_txt = []
        for p in parts[:max_parts]:
            v = "（空）" if p["value"] is None else fmt_number(p["value"], p["decimals"] or 0)
            sign = "−" if (p["sign"] or 1) < 0 else "+"
            p_unit = "" if (p["unit"] or "") == (whole["unit"] or "") else (p["unit"] or "")
            terms_txt.append(f"{sign} {p['label'] or ''} {v}{p_unit}".strip())
        more = f" 等共{len(parts)}项" if len(parts) > max_parts else ""
        expr = " ".join(terms_txt).lstrip("+ ").strip()
        rel_word = _REL_WORD.get(f["relation"], "应等于")
        msg = (
            f"{whole['desc']} 为 {fmt_number(reported, dec)}{unit}，{rel_word}{whole['parts_desc'] or '各组成项之和'}"
            f" {fmt_number(computed, dec)}{unit}（{expr}{more}），相差 {fmt_number(reported - computed, dec)}{unit}，"
            f"超出按印刷精度计算的舍入误差范围。"
        )
        evidence = [_cell_evidence(whole)] + [_cell_evidence(p) for p in parts]
        rows.append(
            {
                "document_id": f["document_id"],
                "table_id": f["table_id"],
                "location": f"{f['identity']}|{f['group']}",
                "kind": kind,
                "message": msg,
                "evidence": json.dumps(evidence, ensure_ascii=False),
                "expected": f"{fmt_number(computed, dec)}{unit}",
                "actual": f"{fmt_number(reported, dec)}{unit}",
                "difference": f"{fmt_number(reported - computed, dec)}{unit}",
                "rel_diff": f["rel_diff"],
                "near_rounding": f["near_rounding"],
                "is_total": bool(f["is_total"]),
            }
        )
    if not rows:
        return empty(HITS)
    return conform_hits(pl.DataFrame(rows, infer_schema_length=None))


def run_terms(terms: pl.DataFrame, kind: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """evaluate + render: (hits, evals)."""
    terms = conform_terms(terms)
    g = evaluate(terms)
    if g.height == 0:
        return empty(HITS), empty(EVALS)
    return render_hits(g, terms, kind), evals_of(g)
