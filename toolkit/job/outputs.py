"""The job's own outputs: ``ranking.parquet``/``ranking.csv`` and the summary in ``run.json``.

The ranking is :func:`toolkit.rank.rank_bureaus` (bureau-years, riskiest first) with the columns
a scheduler or a spreadsheet wants flat: ``risk_score`` on 0–100, findings by category and by
severity, the top reasons (the Chinese explanation) and how many findings are new since the last
run. Findings an auditor excluded (排除) do not count, as in the report; per-check or per-category
``weights`` from the job file scale finding scores before ranking (1.0 = as the check scored it).
"""

from __future__ import annotations

import os
import time
from collections.abc import Collection, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from toolkit import __version__
from toolkit.job import diff
from toolkit.job.cache import ReusePlan, file_stamp
from toolkit.job.config import JobConfig
from toolkit.kinds import CATEGORIES
from toolkit.rank import SEVERITIES, _with_bureau_key, rank_bureaus

RANKING_COLUMNS: tuple[str, ...] = (
    "rank", "bureau", "region_code", "province", "level", "fiscal_year", "risk_score", "n_findings",
    *(f"n_{c}" for c in CATEGORIES), *(f"n_{s}" for s in SEVERITIES), "new_since_last_run",
    "top_reasons", "top_checks", "n_documents", "n_unread", "n_excluded", "documents",
)


def weighted(findings: pl.DataFrame, weights: Mapping[str, float]) -> pl.DataFrame:
    """Scores scaled by ``weights[check_code]``, else ``weights[category]``, else 1; clipped to 0..1."""
    if not weights or findings.height == 0:
        return findings
    by_code = pl.col("check_code").replace_strict(dict(weights), default=None, return_dtype=pl.Float64)
    by_cat = pl.col("category").replace_strict(dict(weights), default=None, return_dtype=pl.Float64)
    factor = pl.coalesce(by_code, by_cat, pl.lit(1.0))
    return findings.with_columns((pl.col("score").fill_null(0.0) * factor).clip(0.0, 1.0).alias("score"))


def ranking(
    findings: pl.DataFrame,
    documents: pl.DataFrame,
    changes: pl.DataFrame,
    *,
    exclude_ids: Collection[str] = (),
    weights: Mapping[str, float] | None = None,
) -> pl.DataFrame:
    """One row per bureau-year, riskiest first (:data:`RANKING_COLUMNS`)."""
    scored = weighted(findings, weights or {})
    ranked = rank_bureaus(scored, documents, exclude_ids=exclude_ids)
    keys = ["bureau_key", "fiscal_year"]
    kept = _with_bureau_key(scored).filter(~pl.col("finding_id").is_in(list(exclude_ids)))
    per_category = (
        kept.group_by(keys).agg(
            **{f"n_{c}": (pl.col("category") == c).sum().cast(pl.Int64) for c in CATEGORIES}
        )
        if kept.height
        else pl.DataFrame(schema={"bureau_key": pl.String, "fiscal_year": pl.Int32,
                                  **{f"n_{c}": pl.Int64 for c in CATEGORIES}})
    )
    new_ids = changes.filter(pl.col("change").is_in(["new", "changed"]))["finding_id"].drop_nulls().to_list()
    fresh = kept.filter(pl.col("finding_id").is_in(new_ids)).group_by(keys).agg(
        new_since_last_run=pl.len().cast(pl.Int64)
    )
    place = (
        _with_bureau_key(documents.select("document_id", pl.col("path").alias("document"), "bureau",
                                          "fiscal_year", "province", "level"))
        .group_by(keys)
        .agg(province=pl.col("province").drop_nulls().first(), level=pl.col("level").drop_nulls().first())
    )
    out = (
        ranked.join(per_category, on=keys, how="left", nulls_equal=True)
        .join(fresh, on=keys, how="left", nulls_equal=True)
        .join(place, on=keys, how="left", nulls_equal=True)
        .with_columns(
            *(pl.col(c).fill_null(0) for c in (*(f"n_{k}" for k in CATEGORIES), "new_since_last_run")),
            risk_score=(pl.col("risk_score") * 100).round(1),
            top_reasons=pl.col("explanation"),
        )
        .sort("rank")
    )
    return out.select(RANKING_COLUMNS)


def write_ranking(run_dir, table: pl.DataFrame) -> None:  # noqa: ANN001 - a toolkit.store.RunDir
    """ranking.parquet (lists kept) and ranking.csv (UTF-8 BOM; documents joined with "; ")."""
    table.write_parquet(run_dir.ranking_path)
    flat = table.with_columns(pl.col("documents").list.join("; "))
    flat.write_csv(run_dir.root / run_dir.RANKING_CSV, include_bom=True)


def severity_counts(findings: pl.DataFrame) -> dict[str, dict[str, int]]:
    """{category: {severity: n}} over every finding."""
    out: dict[str, dict[str, int]] = {}
    for cat, sev, n in findings.group_by("category", "severity").len().sort("category", "severity").iter_rows():
        out.setdefault(cat or "", {})[sev or ""] = int(n)
    return out


def run_summary(result: Any, *, run_id: str, started: str, key: str, config: JobConfig,
             inputs: dict, plan_s: float, t0: float, reuse: ReusePlan, incremental: bool,
             task_paths: dict[str, str], mask: bool) -> dict:
    """What run.json says about a finished run (``result`` is a :class:`toolkit.pipeline.ScreenResult`)."""
    run, findings, coverage = result.run, result.findings, result.coverage
    decisions, orphans = result.summary["_decisions"], result.summary["_orphans"]
    manifest = run.manifest
    stamps = dict(reuse.stamps)
    for shown, sha in zip(manifest["path"].to_list(), manifest["sha256"].to_list(), strict=True):
        if shown not in stamps and sha and shown in task_paths:
            stamp = file_stamp(Path(task_paths[shown]))
            if stamp is not None:
                stamps[shown] = (stamp, sha)
    risky = findings.filter(pl.col("category") != "parse_issue")
    coverage_counts = dict(coverage.group_by("status").len().iter_rows()) if coverage.height else {}
    counts = {
        "files": manifest.height,
        "files_by_status": run.by_status(),
        "reused": run.reused,
        "parsed": manifest.height - run.reused - manifest.filter(pl.col("status") == "skipped").height,
        "findings": findings.height,
        "risk_findings": risky.height,
        "changes": diff.counts(result.changes),
        "decisions": decisions.height,
        "orphan_decisions": orphans.height,
    }
    timings = {"total_s": round(time.perf_counter() - t0, 3), "plan_s": round(plan_s, 3), **run.times.as_dict()}
    return {
        "status": "complete",
        "kind": "screen",
        "run_id": run_id,
        "started": started,
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "toolkit_version": __version__,
        "config_hash": config.config_hash(),
        "cache_key": key,
        "incremental": incremental,
        "inputs": inputs,
        "counts": counts,
        "files_by_status": counts["files_by_status"],
        "reused": run.reused,
        "coverage": {k: int(v) for k, v in coverage_counts.items()},
        "findings_by_category_severity": severity_counts(findings),
        "changes": counts["changes"],
        "orphan_decisions": masked_notes(orphans, mask).to_dicts(),
        "timings": timings,
        "file_stamps": stamps,
        "pid": os.getpid(),
        "mask": mask,
    }


def masked_notes(decisions: pl.DataFrame, mask: bool) -> pl.DataFrame:
    """Reviewer notes as the shareable outputs show them (masked unless masking is off)."""
    if not mask or decisions.height == 0:
        return decisions
    from toolkit.report.masking import mask_text

    return decisions.with_columns(note=pl.Series([mask_text(v) for v in decisions["note"].to_list()], dtype=pl.String))
