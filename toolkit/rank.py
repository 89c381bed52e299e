"""Findings -> risk per document and per bureau(-year), with the reasons in one Chinese sentence.

Scoring (deterministic, 0..1, higher = look here first):

* Each finding carries a score in 0..1 (``toolkit.findings``), capped at ``MAX_FINDING_WEIGHT``
  so that one finding alone never reaches 1. Within one group (a document,
  or a bureau-year) and one check, the findings are sorted by score and the k-th counts
  ``score × DECAY**k``: the tenth broken footing of one table says little more than the third,
  and one upstream error often breaks many identities of the same check.
* A check's evidence is the noisy-OR of its weighted findings, ``1 − Π(1 − w)``; the group's
  risk is the noisy-OR over checks. Independent checks firing together push the risk up
  faster than many hits of one check.
* Statistical categories are capped (:data:`CATEGORY_CAPS`): the noisy-OR of every check of
  ``peer_outlier`` and of ``digit_pattern`` in a group counts at most its cap, and their summed
  weights too. Together they stay below one high-severity arithmetic finding (weight ≥ 0.6), so
  however many peer or digit hits a bureau collects, a hard inconsistency elsewhere ranks above it.
* Ties (several groups at 1.0) are broken by the summed weights (``evidence``), then by the
  number of high-severity findings, then by name, so the order never depends on input order.
* Parse issues (category ``parse_issue``) are not risk: an unreadable file is "could not read",
  counted in ``n_unread`` and said in the explanation, never in the score.
* Findings an auditor marked 排除 (``exclude_ids``) drop out of the score and the counts.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import polars as pl

DECAY = 0.5
# No single finding makes a group certain (a misread cell can fake any inconsistency), so
# corroboration by more findings and more checks still moves a group up the ranking.
MAX_FINDING_WEIGHT = 0.9
PARSE_CATEGORY = "parse_issue"
# statistical evidence (comparisons with peers, digit distributions) is capped per category and group:
# 1 − (1 − 0.4)(1 − 0.25) = 0.55 < 0.6, the least weight of one high-severity finding
CATEGORY_CAPS: dict[str, float] = {"peer_outlier": 0.4, "digit_pattern": 0.25}
TOP_CHECKS_IN_EXPLANATION = 3
UNIDENTIFIED = "（未识别单位）"

CATEGORY_LABELS: dict[str, str] = {
    "inconsistent_total": "数据勾稽不符",
    "implausible_ratio": "比例不合常理",
    "copy_paste": "疑似照抄套用",
    "peer_outlier": "与同类单位偏离",
    "digit_pattern": "数字规律异常",
    "disclosure_gap": "公开内容缺失",
    "parse_issue": "文件未能读取",
}

SEVERITY_LABELS: dict[str, str] = {"high": "高", "medium": "中", "low": "低", "info": "提示"}
SEVERITIES: tuple[str, ...] = ("high", "medium", "low", "info")

DOCUMENT_KEYS: tuple[str, ...] = ("document_id",)
BUREAU_YEAR_KEYS: tuple[str, ...] = ("bureau_key", "fiscal_year")
BUREAU_KEYS: tuple[str, ...] = ("bureau_key",)


def check_label(code: str, category: str | None = None) -> str:
    """The check's Chinese ``label`` (declared on the check); unknown codes are named by their category."""
    from toolkit.checks.registry import label_of

    return label_of(code) or CATEGORY_LABELS.get(category or "", "") or code


# --------------------------------------------------------------------------- scoring core


def _with_bureau_key(findings: pl.DataFrame) -> pl.DataFrame:
    """A bureau that could not be identified is its own group per document, never lumped together."""
    return findings.with_columns(
        bureau_key=pl.coalesce(pl.col("bureau"), pl.lit(UNIDENTIFIED) + pl.col("document").fill_null(""))
    )


def weighted_findings(findings: pl.DataFrame, keys: Sequence[str]) -> pl.DataFrame:
    """Risk findings with ``weight`` = score × DECAY**(rank of the finding within its group and check)."""
    keys = list(keys)
    return (
        findings.filter(pl.col("category") != PARSE_CATEGORY)
        .with_columns(pl.col("score").fill_null(0.0).clip(0.0, 1.0))
        .sort(
            [*keys, "check_code", "score", "finding_id"],
            descending=[False] * len(keys) + [False, True, False],
            nulls_last=True,
        )
        .with_columns(_k=pl.int_range(pl.len()).over([*keys, "check_code"]))
        .with_columns(weight=pl.col("score").clip(0.0, MAX_FINDING_WEIGHT) * pl.lit(DECAY).pow(pl.col("_k")))
        .drop("_k")
    )


def check_contributions(findings: pl.DataFrame, keys: Sequence[str]) -> pl.DataFrame:
    """One row per group and check: n findings, best score, noisy-OR evidence ``p_check`` and ``mass``."""
    keys = list(keys)
    w = weighted_findings(findings, keys)
    return (
        w.group_by([*keys, "check_code"])
        .agg(
            category=pl.col("category").first(),
            n=pl.len(),
            max_score=pl.col("score").max(),
            p_check=1.0 - (1.0 - pl.col("weight")).product(),
            mass=pl.col("weight").sum(),
        )
        .sort([*keys, "p_check", "mass", "check_code"], descending=[False] * len(keys) + [True, True, False])
    )


def capped_contributions(contrib: pl.DataFrame, keys: Sequence[str]) -> pl.DataFrame:
    """Per group and category: the noisy-OR ``p`` and summed ``mass`` of its checks, capped for the
    statistical categories (:data:`CATEGORY_CAPS`); other categories pass through uncapped."""
    keys = list(keys)
    cap = pl.col("category").replace_strict(CATEGORY_CAPS, default=1.0, return_dtype=pl.Float64)
    return contrib.group_by([*keys, "category"]).agg(
        p=1.0 - (1.0 - pl.col("p_check")).product(), mass=pl.col("mass").sum()
    ).with_columns(p=pl.min_horizontal(pl.col("p"), cap), mass=pl.min_horizontal(pl.col("mass"), cap))


def _group_scores(findings: pl.DataFrame, keys: Sequence[str]) -> pl.DataFrame:
    keys = list(keys)
    contrib = check_contributions(findings, keys)
    capped = capped_contributions(contrib, keys).group_by(keys).agg(
        risk_score=1.0 - (1.0 - pl.col("p")).product(), evidence=pl.col("mass").sum())
    scores = contrib.group_by(keys).agg(
        n_checks=pl.len(),
        top_checks=pl.col("check_code"),
        top_counts=pl.col("n"),
        top_max=pl.col("max_score"),
        top_categories=pl.col("category"),
    ).join(capped, on=keys, how="left", nulls_equal=True)
    risky = findings.filter(pl.col("category") != PARSE_CATEGORY)
    counts = risky.group_by(keys).agg(
        n_findings=pl.len(),
        **{f"n_{s}": (pl.col("severity") == s).sum().cast(pl.Int64) for s in SEVERITIES},
    )
    unread = (
        findings.filter(pl.col("category") == PARSE_CATEGORY)
        .sort("severity", "finding_id")
        .group_by(keys)
        .agg(
            n_unread=pl.col("document_id").n_unique().cast(pl.Int64), unread_reason=pl.col("message").first()
        )
    )
    return scores.join(counts, on=keys, how="full", coalesce=True, nulls_equal=True).join(
        unread, on=keys, how="full", coalesce=True, nulls_equal=True
    )


# --------------------------------------------------------------------------- explanation


def explain_row(row: dict) -> str:
    """One Chinese sentence: how many findings, which checks contributed most, what could not be read."""
    n = row.get("n_findings") or 0
    parts: list[str] = []
    if n:
        by_sev = "、".join(
            f"{SEVERITY_LABELS[s]} {row.get(f'n_{s}') or 0}" for s in SEVERITIES if row.get(f"n_{s}")
        )
        codes = row.get("top_checks") or []
        counts = row.get("top_counts") or []
        maxes = row.get("top_max") or []
        cats = row.get("top_categories") or [None] * len(codes)
        top = []
        for code, cnt, best, cat in list(zip(codes, counts, maxes, cats, strict=False))[
            :TOP_CHECKS_IN_EXPLANATION
        ]:
            top.append(f"{code} {check_label(code, cat)} {cnt} 条（最高分 {best:.2f}）")
        more = len(codes) - len(top)
        tail = f"等 {len(codes)} 项检查" if more > 0 else ""
        parts.append(f"共 {n} 条发现（{by_sev}），主要为 " + "、".join(top) + tail)
    unread = row.get("n_unread") or 0
    if unread:
        what = "未能完整读取，结论不完整" if n else "未能完整读取，未发现问题不代表没有问题"
        parts.append(f"{unread} 个文件{what}")
    if not parts:
        parts.append("未发现问题")
    excluded = row.get("n_excluded") or 0
    if excluded:
        parts.append(f"已有 {excluded} 条经复核排除、不计入风险分")
    return "；".join(parts) + "。"


def _finish(df: pl.DataFrame, sort_keys: Sequence[str]) -> pl.DataFrame:
    int_cols = ["n_findings", "n_checks", "n_unread", "n_excluded", *(f"n_{s}" for s in SEVERITIES)]
    df = df.with_columns(
        pl.col("risk_score").fill_null(0.0),
        pl.col("evidence").fill_null(0.0),
        *(pl.col(c).fill_null(0).cast(pl.Int64) for c in int_cols if c in df.columns),
    )
    df = df.with_columns(
        explanation=pl.Series([explain_row(r) for r in df.iter_rows(named=True)], dtype=pl.String)
    )
    df = df.with_columns(
        top_checks=pl.col("top_checks").list.join("、").fill_null(""),
    ).drop("top_counts", "top_max", "top_categories")
    df = df.sort(
        ["risk_score", "evidence", "n_high", *sort_keys],
        descending=[True, True, True, *([False] * len(sort_keys))],
        nulls_last=True,
    )
    return df.with_columns(rank=pl.int_range(1, pl.len() + 1, dtype=pl.Int64)).select(
        "rank", pl.exclude("rank")
    )


def _excluded_counts(findings: pl.DataFrame, exclude_ids: Collection[str], keys: list[str]) -> pl.DataFrame:
    excluded = findings.filter(pl.col("finding_id").is_in(list(exclude_ids)))
    return excluded.group_by(keys).agg(n_excluded=pl.len().cast(pl.Int64))


# --------------------------------------------------------------------------- public


def rank_documents(
    findings: pl.DataFrame,
    documents: pl.DataFrame | None = None,
    *,
    exclude_ids: Collection[str] = (),
) -> pl.DataFrame:
    """One row per document, riskiest first: rank, identity, risk_score, counts, top checks, explanation.

    ``documents`` (the documents frame) adds documents without findings (risk 0) and their read status.
    """
    keys = list(DOCUMENT_KEYS)
    kept = findings.filter(~pl.col("finding_id").is_in(list(exclude_ids)))
    scores = _group_scores(kept, keys)
    meta_cols = ["document_id", "document", "bureau", "region_code", "fiscal_year"]
    meta = findings.select(meta_cols).unique("document_id", keep="first", maintain_order=True)
    if documents is not None and documents.height:
        docs = documents.select(
            "document_id",
            pl.col("path").alias("document"),
            "bureau",
            "region_code",
            "province",
            "fiscal_year",
            pl.col("status").alias("read_status"),
        ).unique("document_id", keep="first", maintain_order=True)
        meta = docs.join(
            meta.select("document_id"), on="document_id", how="full", coalesce=True, nulls_equal=True
        ).join(meta, on="document_id", how="left", suffix="_f")
        meta = meta.with_columns(
            *(pl.coalesce(c, f"{c}_f").alias(c) for c in ("document", "bureau", "region_code", "fiscal_year"))
        ).drop([f"{c}_f" for c in ("document", "bureau", "region_code", "fiscal_year")])
    else:
        meta = meta.with_columns(province=pl.lit(None, pl.String), read_status=pl.lit(None, pl.String))
    out = meta.join(scores, on="document_id", how="left").join(
        _excluded_counts(findings, exclude_ids, keys), on="document_id", how="left"
    )
    out = out.with_columns(
        pl.col("read_status").fill_null(
            pl.when(pl.col("n_unread").fill_null(0) > 0).then(pl.lit("partial")).otherwise(pl.lit("ok"))
        )
    )
    return _finish(out, ["document", "document_id"])


def rank_bureaus(
    findings: pl.DataFrame,
    documents: pl.DataFrame | None = None,
    *,
    by_year: bool = True,
    exclude_ids: Collection[str] = (),
) -> pl.DataFrame:
    """One row per bureau-year (or per bureau with ``by_year=False``), riskiest first, with the reasons.

    The same check firing in two copies of one document (PDF and XLSX of one disclosure) decays
    like repeated hits in one document, so publishing twice does not double the risk.
    """
    keys = list(BUREAU_YEAR_KEYS if by_year else BUREAU_KEYS)
    base = _with_bureau_key(findings)
    kept = base.filter(~pl.col("finding_id").is_in(list(exclude_ids)))
    scores = _group_scores(kept, keys)
    doc_rows = base.select("document_id", "document", "bureau", "bureau_key", "region_code", "fiscal_year")
    if documents is not None and documents.height:
        doc_rows = pl.concat(
            [
                doc_rows,
                _with_bureau_key(
                    documents.select(
                        "document_id",
                        pl.col("path").alias("document"),
                        "bureau",
                        "region_code",
                        "fiscal_year",
                    )
                ).select(doc_rows.columns),
            ],
            how="vertical_relaxed",
        )
    groups = (
        doc_rows.unique(["document_id", *keys])
        .group_by(keys)
        .agg(
            bureau=pl.col("bureau").drop_nulls().first(),
            region_code=pl.col("region_code").drop_nulls().mode().sort().first(),
            n_documents=pl.col("document_id").n_unique().cast(pl.Int64),
            documents=pl.col("document").unique().sort(),
        )
    )
    if not by_year:
        years = doc_rows.group_by(keys).agg(fiscal_years=pl.col("fiscal_year").drop_nulls().unique().sort())
        groups = groups.join(years, on=keys, how="left")
    out = groups.join(scores, on=keys, how="left", nulls_equal=True).join(
        _excluded_counts(base, exclude_ids, keys), on=keys, how="left", nulls_equal=True
    )
    out = out.with_columns(bureau=pl.coalesce("bureau", "bureau_key"))
    return _finish(out, keys)
