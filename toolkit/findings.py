"""Hits -> findings: stable ids, severity, score, document metadata (schema ``FINDINGS``).

Severity rule (the same for every consistency check, so findings rank comparably):

* ``info``   — the gap is within twice the rounding envelope (a different rounding
  convention could explain it), or the check marked it informational;
* ``high``   — relative difference ≥ 5 %, or ≥ 1 % on a 合计/总计/总分;
* ``medium`` — relative difference ≥ 0.5 %, or any difference on a 合计/总计/总分;
* ``low``    — anything smaller.

Score (0–1) grows with the relative difference and is higher for totals; info findings
score at most 0.1.
"""

from __future__ import annotations

import hashlib

import polars as pl

from toolkit.schemas import FINDINGS, conform, empty


def finding_id(check_code: str, doc_key: str | None, location: str | None) -> str:
    h = hashlib.sha256(f"{check_code}\x1f{doc_key or ''}\x1f{location or ''}".encode()).hexdigest()
    return f"{check_code}-{h[:16]}"


def severity_expr() -> pl.Expr:
    rel = pl.col("rel_diff").fill_null(0.0)
    tot = pl.col("is_total").fill_null(False)
    derived = (
        pl.when(pl.col("near_rounding").fill_null(False)).then(pl.lit("info"))
        .when((rel >= 0.05) | (tot & (rel >= 0.01))).then(pl.lit("high"))
        .when((rel >= 0.005) | tot).then(pl.lit("medium"))
        .otherwise(pl.lit("low"))
    )
    return pl.coalesce(pl.col("severity"), derived)


def score_expr() -> pl.Expr:
    rel = pl.col("rel_diff").fill_null(0.0).clip(0.0, 1.0)
    tot = pl.col("is_total").fill_null(False).cast(pl.Float64)
    base = (0.35 + 0.45 * (rel * 10).clip(0.0, 1.0) + 0.2 * tot).clip(0.0, 1.0)
    sev = pl.col("_sev")
    return (
        pl.when(sev == "info").then(pl.min_horizontal(base, pl.lit(0.1)))
        .when(sev == "high").then(pl.max_horizontal(base, pl.lit(0.6)))
        .otherwise(base)
    )


def to_findings(check_code: str, check_version: str, category: str, hits: pl.DataFrame,
                documents: pl.DataFrame) -> pl.DataFrame:
    """Turn one check's hits into FINDINGS rows, joining document metadata."""
    if hits.height == 0:
        return empty(FINDINGS)
    docs = documents.select(
        "document_id", pl.col("path").alias("document"), "sha256", "bureau", "region_code", "fiscal_year"
    ).unique("document_id")
    df = hits.join(docs, on="document_id", how="left").with_columns(_sev=severity_expr())
    df = df.with_columns(score=score_expr(), severity=pl.col("_sev"))
    ids = [
        finding_id(check_code, sha or doc, loc)
        for sha, doc, loc in zip(df["sha256"].to_list(), df["document_id"].to_list(), df["location"].to_list(),
                                 strict=True)
    ]
    df = df.with_columns(
        finding_id=pl.Series(ids, dtype=pl.String),
        check_code=pl.lit(check_code),
        check_version=pl.lit(check_version),
        category=pl.lit(category),
    )
    return conform(df, FINDINGS).unique("finding_id", keep="first", maintain_order=True)
