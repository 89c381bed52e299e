"""Score screening findings against the labels of a synthetic corpus.

Matching rule (also written into metrics.json as ``matching_rule``):

* Paths: label ``document`` is relative to the corpus directory (the directory holding
  ``labels.parquet``); a finding's ``document`` is the path given to ``screen``. Both are
  normalised to a path relative to the corpus directory (resolved against it, else the part
  from the last ``docs/`` component on).
* A **label is detected** when at least one finding of the **same category** hits the
  **same document**. Recall per category/kind = detected labels ÷ labels.
* A **finding is a true positive** when its document carries a label of the same category.
  Precision per category = true-positive findings ÷ findings of that category. Per kind,
  precision counts the findings of checks that declare the kind (``Check.detects``) and is
  a true positive when the document carries a label of that kind; it is null when no check
  declares the kind.
* **False findings per clean document**: findings on documents without any label ÷ number of
  clean documents (from ``truth.parquet`` beside the labels), overall and by category.
* **Ranking**: per bureau-year (bureau, fiscal_year from truth.parquet via the document), the
  risk score is the max (and, separately, the sum) of its findings' scores (0 without
  findings); ROC AUC and precision@k against "the bureau-year has an injected anomaly", with
  k = number of positive bureau-years and k = 10.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path, PurePosixPath

import polars as pl

from toolkit.kinds import CATEGORIES, KINDS

log = logging.getLogger(__name__)

MATCHING_RULE = (
    "A label is detected when >=1 finding of the same category hits the same document (paths normalised "
    "relative to the corpus dir). A finding is a true positive when its document carries a label of its "
    "category. Per-kind precision uses the checks' declared kinds (Check.detects)."
)


def normalise_path(doc: str | None, corpus_dir: Path) -> str | None:
    """A document path as given (absolute, relative to cwd or to the corpus) -> relative to the corpus."""
    if not doc:
        return None
    p = Path(doc)
    root = corpus_dir.resolve()
    candidates = [p] if p.is_absolute() else [Path.cwd() / p, root / p]
    for c in candidates:
        try:
            return c.resolve().relative_to(root).as_posix()
        except ValueError:
            continue
    parts = PurePosixPath(doc.replace("\\", "/")).parts
    if "docs" in parts:
        i = len(parts) - 1 - parts[::-1].index("docs")
        return PurePosixPath(*parts[i:]).as_posix()
    return PurePosixPath(doc.replace("\\", "/")).as_posix()


def _kind_checks() -> dict[str, set[str]]:
    """kind -> check codes declaring it."""
    from toolkit.checks.registry import all_checks

    out: dict[str, set[str]] = {}
    for c in all_checks():
        for k in getattr(c, "detects", ()):
            out.setdefault(k, set()).add(c.code)
    return out


def _prf(tp_labels: int, n_labels: int, tp_findings: int, n_findings: int) -> dict:
    recall = tp_labels / n_labels if n_labels else None
    precision = tp_findings / n_findings if n_findings else None
    f1 = (2 * precision * recall / (precision + recall)) if precision and recall else (0.0 if n_labels else None)
    return {"labels": n_labels, "detected": tp_labels, "findings": n_findings, "true_findings": tp_findings,
            "precision": precision, "recall": recall, "f1": f1}


def _precision_at_k(y: list[int], s: list[float], k: int) -> float | None:
    if k <= 0 or not y:
        return None
    order = sorted(range(len(y)), key=lambda i: (-s[i], i))[:k]
    return sum(y[i] for i in order) / len(order)


def compute_metrics(labels: pl.DataFrame, findings: pl.DataFrame, truth: pl.DataFrame | None,
                    corpus_dir: Path) -> dict:
    findings = findings.with_columns(
        pl.col("document").map_elements(lambda d: normalise_path(d, corpus_dir), return_dtype=pl.String).alias("doc")
    )
    labels = labels.with_columns(pl.col("document").alias("doc"))
    label_cats = {(r["doc"], r["category"]) for r in labels.iter_rows(named=True)}
    label_kinds = {(r["doc"], r["kind"]) for r in labels.iter_rows(named=True)}
    finding_cats = {(r["doc"], r["category"]) for r in findings.iter_rows(named=True)}
    labelled_docs = set(labels["doc"].to_list())

    per_category = {}
    for cat in CATEGORIES:
        lab = labels.filter(pl.col("category") == cat)
        fin = findings.filter(pl.col("category") == cat)
        tp_l = sum((d, cat) in finding_cats for d in lab["doc"].to_list())
        tp_f = sum((d, cat) in label_cats for d in fin["doc"].to_list())
        per_category[cat] = _prf(tp_l, lab.height, tp_f, fin.height)

    kind_checks = _kind_checks()
    per_kind = {}
    for kind, cat in KINDS.items():
        lab = labels.filter(pl.col("kind") == kind)
        tp_l = sum((d, cat) in finding_cats for d in lab["doc"].to_list())
        codes = kind_checks.get(kind, set())
        if codes:
            fin = findings.filter(pl.col("check_code").is_in(sorted(codes)))
            tp_f = sum((d, kind) in label_kinds for d in fin["doc"].to_list())
            m = _prf(tp_l, lab.height, tp_f, fin.height)
        else:
            m = _prf(tp_l, lab.height, 0, 0)
            m["precision"] = None
        m["category"] = cat
        m["checks"] = sorted(codes)
        per_kind[kind] = m

    out: dict = {"matching_rule": MATCHING_RULE, "n_labels": labels.height, "n_findings": findings.height,
                 "per_category": per_category, "per_kind": per_kind}

    if truth is not None and truth.height:
        docs = truth["document"].to_list()
        clean_docs = set(docs) - labelled_docs
        on_clean = findings.filter(pl.col("doc").is_in(sorted(clean_docs)))
        out["n_documents"] = len(docs)
        out["n_clean_documents"] = len(clean_docs)
        out["false_findings_per_clean_document"] = on_clean.height / max(1, len(clean_docs))
        out["false_findings_per_clean_document_by_category"] = {
            cat: on_clean.filter(pl.col("category") == cat).height / max(1, len(clean_docs)) for cat in CATEGORIES
        }
        unknown = findings.filter(~pl.col("doc").is_in(docs))
        out["findings_on_unknown_documents"] = unknown.height
        out["ranking"] = _ranking(labels, findings, truth)
    return out


def _ranking(labels: pl.DataFrame, findings: pl.DataFrame, truth: pl.DataFrame) -> dict:
    from sklearn.metrics import roc_auc_score

    doc_by = truth.select(pl.col("document").alias("doc"), "bureau", "fiscal_year")
    units = doc_by.select("bureau", "fiscal_year").unique().sort(["bureau", "fiscal_year"])
    pos = labels.select("bureau", "fiscal_year").unique().with_columns(pl.lit(1).alias("y"))
    scores = (
        findings.select("doc", "score")  # bureau/year come from truth, not from the findings' own columns
        .join(doc_by, on="doc", how="inner")
        .group_by("bureau", "fiscal_year")
        .agg(pl.col("score").fill_null(0).max().alias("max_score"), pl.col("score").fill_null(0).sum().alias("sum_score"))
    )
    df = (
        units.join(pos, on=["bureau", "fiscal_year"], how="left")
        .join(scores, on=["bureau", "fiscal_year"], how="left")
        .with_columns(pl.col("y").fill_null(0), pl.col("max_score").fill_null(0.0), pl.col("sum_score").fill_null(0.0))
    )
    y = df["y"].to_list()
    res: dict = {"bureau_years": df.height, "positive_bureau_years": int(sum(y))}
    for agg in ("max_score", "sum_score"):
        s = df[agg].to_list()
        auc = roc_auc_score(y, s) if 0 < sum(y) < len(y) else None
        res[agg] = {
            "roc_auc": auc,
            "precision_at_n_positive": _precision_at_k(y, s, int(sum(y))),
            "precision_at_10": _precision_at_k(y, s, 10),
        }
    return res


def evaluate(labels_path: Path, findings_path: Path) -> dict:
    labels_path = Path(labels_path)
    corpus_dir = labels_path.parent
    labels = pl.read_parquet(labels_path)
    findings = pl.read_parquet(findings_path)
    truth_path = corpus_dir / "truth.parquet"
    truth = pl.read_parquet(truth_path) if truth_path.exists() else None
    metrics = compute_metrics(labels, findings, truth, corpus_dir)
    metrics["labels_path"] = str(labels_path)
    metrics["findings_path"] = str(findings_path)
    return metrics


def metrics_path(findings: Path, out: Path | None = None) -> Path:
    """Where metrics.json goes: ``out`` (a .json file or a directory), else beside the findings."""
    if out is None:
        return Path(findings).parent / "metrics.json"
    out = Path(out)
    return out if out.suffix == ".json" else out / "metrics.json"


def evaluate_command(labels: Path, findings: Path, out: Path | None = None) -> dict:
    """CLI entry: compute the metrics and write metrics.json (:func:`metrics_path`); the CLI prints them."""
    metrics = evaluate(labels, findings)
    target = metrics_path(findings, out)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(metrics, ensure_ascii=False, indent=2), encoding="utf-8")
    return metrics
