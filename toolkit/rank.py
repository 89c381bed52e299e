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
TOP_CHECKS_IN_EXPLANATION = 3
UNIDENTIFIED = "（未识别单位）"

# Short Chinese names of the checks, for explanations. A check missing here is named by its category.
CHECK_LABELS: dict[str, str] = {
    "IT001": "科目层级合计不符",
    "IT002": "行内合计与分项之和不符",
    "IT003": "收入支出决算总表不平",
    "IT004": "财政拨款收支总表不平",
    "IT005": "基本支出明细表合计不符",
    "IT006": "“三公”经费合计不符",
    "IT007": "基金表结转不衔接",
    "IT010": "总表与明细表金额不一致",
    "IT011": "同一科目跨表金额不一致",
    "IT012": "基本支出与财政拨款支出表不一致",
    "IT013": "基本支出明细超出“三公”经费表",
    "IT020": "自评表得分合计不符",
    "IT021": "指标得分超过分值",
    "IT022": "自评表执行率计算或得分不符",
    "IT023": "自评表年度资金总额不符",
    "IT024": "项目金额在自评表与基础数据表不一致",
    "IT030": "文字说明金额与表格不符",
    "IT031": "文字说明占比计算不符",
    "IT032": "文字说明增长率计算不符",
    "IT033": "文字说明完成率计算不符",
    "IT034": "同一事项金额前后不一致",
    "IT035": "基金收支结余计算不符",
    "IT036": "文字说明金额单位错写（元/万元）",
    "IT050": "表内推断的列间勾稽关系不符",
    "IT051": "表内推断的行间合计不符",
    "IT052": "表内推断的比率或占比计算不符",
    "IT053": "“其中”项大于所属总数",
    "IT054": "同类表格勾稽关系在本单位不成立",
    "DG001": "公开表格缺失",
    "DG002": "目录所列表格未公开",
    "DG003": "空表未作说明",
    "DG004": "表格注明无数据却有数据",
    "CP001": "不同项目绩效指标照抄",
    "CP002": "实际完成情况照抄预期目标",
    "CP003": "段落与其他单位雷同",
    "CP004": "文字沿用往年年份",
    "CP005": "模板占位内容未删除",
    "CP010": "表格标题留有模板占位符",
    "CP011": "标题年度与文件年度不符",
    "CP012": "截至日期与文件年度不符",
    "IR001": "参保率不合常理",
    "IR002": "住院报销比例超出合理区间",
    "IR003": "基金支出与收入比例异常",
    "PO001": "人均支出偏离同省单位",
    "PO002": "支出年度间异常跳变",
    "PI001": "文件未能完整读取",
}

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
    return CHECK_LABELS.get(code) or CATEGORY_LABELS.get(category or "", "") or code


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


def _group_scores(findings: pl.DataFrame, keys: Sequence[str]) -> pl.DataFrame:
    keys = list(keys)
    contrib = check_contributions(findings, keys)
    scores = contrib.group_by(keys).agg(
        risk_score=1.0 - (1.0 - pl.col("p_check")).product(),
        evidence=pl.col("mass").sum(),
        n_checks=pl.len(),
        top_checks=pl.col("check_code"),
        top_counts=pl.col("n"),
        top_max=pl.col("max_score"),
        top_categories=pl.col("category"),
    )
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
