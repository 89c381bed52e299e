"""Everything a report shows, read from one ``screen`` output directory and ranked once.

Inputs are the run's public files only, read through :class:`toolkit.store.RunDir`: findings,
coverage, manifest, reviews and the frames (documents and parse issues). Masking happens here,
once, so the HTML report and the workpapers show the same (masked) text.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from toolkit.rank import PARSE_CATEGORY, check_label, rank_bureaus, rank_documents
from toolkit.report.masking import mask_evidence, mask_text
from toolkit.report.review import UNREVIEWED, excluded_ids, latest_reviews, read_reviews
from toolkit.store import RunDir

log = logging.getLogger(__name__)

# Text columns of a finding that may quote the document (masked before anything is shown).
MASKED_TEXT_COLUMNS: tuple[str, ...] = ("document", "location", "message", "expected", "actual", "difference")


@dataclass(slots=True)
class ReportData:
    out_dir: Path
    findings: pl.DataFrame  # masked text, with review columns and check_label
    manifest: pl.DataFrame
    coverage: pl.DataFrame
    documents: pl.DataFrame
    parse_issues: pl.DataFrame
    reviews: pl.DataFrame  # latest decision per finding
    document_ranking: pl.DataFrame
    bureau_ranking: pl.DataFrame
    masked: bool
    generated_at: str = field(default_factory=lambda: datetime.now(UTC).replace(microsecond=0).isoformat())


def _mask_findings(findings: pl.DataFrame) -> pl.DataFrame:
    cols = {
        c: pl.Series(c, [mask_text(v) for v in findings[c].to_list()], dtype=pl.String)
        for c in MASKED_TEXT_COLUMNS
    }
    cols["evidence"] = pl.Series(
        "evidence", [mask_evidence(v) for v in findings["evidence"].to_list()], dtype=pl.String
    )
    return findings.with_columns(**cols)


def _with_reviews(findings: pl.DataFrame, latest: pl.DataFrame) -> pl.DataFrame:
    review = latest.select(
        "finding_id",
        pl.col("status").alias("review_status"),
        pl.col("note").alias("review_note"),
        pl.col("reviewer").alias("reviewer"),
        pl.col("timestamp").alias("reviewed_at"),
    )
    return findings.join(review, on="finding_id", how="left", maintain_order="left").with_columns(
        pl.col("review_status").fill_null(UNREVIEWED)
    )


def load_report_data(out_dir: Path | str, *, mask: bool = True) -> ReportData:
    run_dir = RunDir(out_dir)
    out = run_dir.root
    raw = run_dir.read_findings()
    frames = run_dir.load_frames()
    documents = frames["documents"]
    reviews = read_reviews(out)
    latest = latest_reviews(reviews)
    excluded = excluded_ids(reviews)
    doc_rank = rank_documents(raw, documents, exclude_ids=excluded)
    bureau_rank = rank_bureaus(raw, documents, exclude_ids=excluded)
    findings = _mask_findings(raw) if mask else raw
    if mask:
        doc_rank = doc_rank.with_columns(
            document=pl.Series([mask_text(v) for v in doc_rank["document"].to_list()], dtype=pl.String),
            unread_reason=pl.Series(
                [mask_text(v) for v in doc_rank["unread_reason"].to_list()], dtype=pl.String
            ),
        )
        bureau_rank = bureau_rank.with_columns(
            documents=pl.Series(
                [[mask_text(d) for d in docs or []] for docs in bureau_rank["documents"].to_list()],
                dtype=pl.List(pl.String),
            ),
            unread_reason=pl.Series(
                [mask_text(v) for v in bureau_rank["unread_reason"].to_list()], dtype=pl.String
            ),
        )
    findings = _with_reviews(findings, latest)
    if mask:  # reviewers quote the document too (联系人、电话): the workbook shows the note masked
        findings = findings.with_columns(
            review_note=pl.Series([mask_text(v) for v in findings["review_note"].to_list()], dtype=pl.String)
        )
    findings = findings.with_columns(
        check_label=pl.Series(
            [check_label(c, k) for c, k in zip(findings["check_code"], findings["category"], strict=True)],
            dtype=pl.String,
        ),
        is_parse_issue=pl.col("category") == PARSE_CATEGORY,
    )
    manifest = run_dir.read_manifest()
    parse_issues = frames["parse_issues"]
    if mask:
        manifest = manifest.with_columns(
            path=pl.Series([mask_text(v) for v in manifest["path"].to_list()], dtype=pl.String),
            reason=pl.Series([mask_text(v) for v in manifest["reason"].to_list()], dtype=pl.String),
        )
        parse_issues = parse_issues.with_columns(
            path=pl.Series([mask_text(v) for v in parse_issues["path"].to_list()], dtype=pl.String),
            reason=pl.Series([mask_text(v) for v in parse_issues["reason"].to_list()], dtype=pl.String),
        )
    return ReportData(
        out_dir=out,
        findings=findings,
        manifest=manifest,
        coverage=run_dir.read_coverage(),
        documents=documents,
        parse_issues=parse_issues,
        reviews=latest,
        document_ranking=doc_rank,
        bureau_ranking=bureau_rank,
        masked=mask,
    )


def coverage_summary(coverage: pl.DataFrame) -> pl.DataFrame:
    """Per check: identities evaluated, passed, failed, skipped (and errors), summed over documents."""
    if coverage.height == 0:
        return pl.DataFrame(
            schema={
                "check_code": pl.String,
                **{k: pl.Int64 for k in ("run", "passed", "failed", "skipped", "error")},
                "documents": pl.Int64,
                "top_skip_reason": pl.String,
            }
        )
    n = pl.col("n").fill_null(1)
    reasons = (
        coverage.filter(pl.col("status") == "skipped")
        .group_by("check_code", "reason")
        .agg(n=n.sum())
        .sort(["check_code", "n", "reason"], descending=[False, True, False])
        .group_by("check_code", maintain_order=True)
        .agg(top_skip_reason=pl.col("reason").first())
    )
    return (
        coverage.group_by("check_code")
        .agg(
            passed=n.filter(pl.col("status") == "passed").sum(),
            failed=n.filter(pl.col("status") == "failed").sum(),
            skipped=n.filter(pl.col("status") == "skipped").sum(),
            error=n.filter(pl.col("status") == "error").sum(),
            documents=pl.col("document_id").n_unique(),
        )
        .with_columns(run=pl.col("passed") + pl.col("failed"))
        .join(reasons, on="check_code", how="left")
        .select("check_code", "run", "passed", "failed", "skipped", "error", "documents", "top_skip_reason")
        .with_columns(
            pl.col(c).cast(pl.Int64) for c in ("run", "passed", "failed", "skipped", "error", "documents")
        )
        .sort("check_code")
    )


def evidence_cells(evidence: str | None) -> list[dict[str, Any]]:
    """The evidence JSON as a list of dicts (a malformed value becomes one quoted-text item)."""
    if not evidence:
        return []
    try:
        cells = json.loads(evidence)
    except (TypeError, ValueError):
        return [{"raw_text": evidence}]
    if isinstance(cells, dict):
        cells = [cells]
    if not isinstance(cells, list):
        return [{"raw_text": str(cells)}]
    return [c if isinstance(c, dict) else {"raw_text": str(c)} for c in cells]


def describe_place(cell: dict[str, Any]) -> str:
    """Where a piece of evidence is, in words an auditor can follow in the original document."""
    parts = []
    for key in ("path", "document", "bureau"):  # evidence from another document (copied paragraphs)
        if cell.get(key):
            parts.append(str(cell[key]))
    if cell.get("page") is not None:
        parts.append(f"第{cell['page']}页")
    if cell.get("sheet"):
        parts.append(f"工作表 {cell['sheet']}")
    if cell.get("table"):
        parts.append(str(cell["table"]))
    if cell.get("role"):
        parts.append(str(cell["role"]))
    label = " × ".join(str(cell[k]) for k in ("row_label", "col_label") if cell.get(k))
    if label:
        parts.append(label)
    grid = []
    if cell.get("row") is not None:
        grid.append(f"行{int(cell['row']) + 1}")
    if cell.get("col") is not None:
        grid.append(f"列{int(cell['col']) + 1}")
    if grid:
        parts.append("(" + "、".join(grid) + ")")
    if cell.get("passage_id") and not cell.get("sentence"):
        parts.append(f"段落 {cell['passage_id']}")
    return " · ".join(parts)


def evidence_text(evidence: str | None) -> str:
    """Evidence in one line per cell: place → value (workpapers)."""
    lines = []
    for cell in evidence_cells(evidence):
        value = cell.get("raw_text")
        line = describe_place(cell)
        if value not in (None, ""):
            line += f" → {value}"
        if cell.get("sentence"):
            line += f"：“{cell['sentence']}”"
        if cell.get("note"):
            line += f"（{cell['note']}）"
        lines.append(line)
    return "\n".join(lines)
