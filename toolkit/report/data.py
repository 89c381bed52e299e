"""Everything a report shows, read from one ``screen`` output directory and ranked once.

Inputs are the run's public files only, read through :class:`toolkit.store.RunDir`: findings,
coverage, manifest, reviews and the frames (documents and parse issues). Masking happens here,
once, so the HTML report and the workpapers show the same (masked) text.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from toolkit.rank import PARSE_CATEGORY, UNIDENTIFIED, check_label, rank_bureaus, rank_documents
from toolkit.report.labels import translate_reason
from toolkit.report.masking import mask_evidence, mask_text
from toolkit.report.review import UNREVIEWED, excluded_ids, latest_reviews, now_iso, read_reviews
from toolkit.store import RunDir

log = logging.getLogger(__name__)

# Text columns of a finding that may quote the document (masked before anything is shown).
MASKED_TEXT_COLUMNS: tuple[str, ...] = ("document", "location", "message", "expected", "actual", "difference")
# The one risk scale an auditor sees (HTML, workbook, ranking.csv): toolkit.rank scores 0..1.
RISK_SCALE = 100
RANKING_CSV = "ranking.csv"


@dataclass(slots=True)
class ReportData:
    out_dir: Path
    findings: pl.DataFrame  # masked text, with review columns and check_label
    manifest: pl.DataFrame
    coverage: pl.DataFrame
    documents: pl.DataFrame
    parse_issues: pl.DataFrame
    reviews: pl.DataFrame  # latest decision per finding
    document_ranking: pl.DataFrame  # ``risk`` 0..100
    bureau_ranking: pl.DataFrame  # identified bureaus only, ``risk`` 0..100, ranked 1..n
    unidentified_ranking: pl.DataFrame  # files without a recognised bureau (templates, blank forms), ranked apart
    tables: pl.DataFrame  # document_id, table_id, title, table_type: names for locations
    masked: bool
    # when reviews.csv was read, to the microsecond: the workbook records it so an import can tell
    # the decisions it was written with from later ones (core properties keep whole seconds only)
    reviews_as_of: str = ""
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


def with_risk_100(ranking: pl.DataFrame) -> pl.DataFrame:
    """``risk_score`` (0..1, from toolkit.rank) replaced by ``risk`` on the 0..100 scale, one decimal."""
    return ranking.with_columns(risk=(pl.col("risk_score") * RISK_SCALE).round(1)).drop("risk_score")


def split_unidentified(bureau_ranking: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(bureaus, files without a bureau): each ranked 1..n on its own, order kept."""
    unidentified = pl.col("bureau_key").str.starts_with(UNIDENTIFIED)
    rerank = pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("rank")
    return (
        bureau_ranking.filter(~unidentified).with_columns(rerank),
        bureau_ranking.filter(unidentified).with_columns(rerank),
    )


def load_report_data(out_dir: Path | str, *, mask: bool = True) -> ReportData:
    run_dir = RunDir(out_dir)
    out = run_dir.root
    raw = run_dir.read_findings()
    frames = run_dir.frames()  # read on demand: the report never loads cells or passages
    documents = frames["documents"]
    reviews_as_of = now_iso()
    reviews = read_reviews(out)
    latest = latest_reviews(reviews)
    excluded = excluded_ids(reviews)
    doc_rank = with_risk_100(rank_documents(raw, documents, exclude_ids=excluded)).with_columns(
        # the bureau group a document belongs to, as toolkit.rank forms it (before masking the name)
        bureau_key=pl.coalesce(pl.col("bureau"), pl.lit(UNIDENTIFIED) + pl.col("document").fill_null(""))
    )
    bureau_rank = with_risk_100(rank_bureaus(raw, documents, exclude_ids=excluded))
    findings = _mask_findings(raw) if mask else raw
    if mask:
        doc_rank = doc_rank.with_columns(
            document=pl.Series([mask_text(v) for v in doc_rank["document"].to_list()], dtype=pl.String),
            unread_reason=pl.Series(
                [mask_text(v) for v in doc_rank["unread_reason"].to_list()], dtype=pl.String
            ),
        )
        bureau_rank = bureau_rank.with_columns(
            # a file without a bureau is named by its path, which may carry personal data
            bureau=pl.Series([mask_text(v) for v in bureau_rank["bureau"].to_list()], dtype=pl.String),
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
    bureaus, unidentified = split_unidentified(bureau_rank)
    return ReportData(
        out_dir=out,
        findings=findings,
        manifest=manifest,
        coverage=run_dir.read_coverage(),
        documents=documents,
        parse_issues=parse_issues,
        reviews=latest,
        document_ranking=doc_rank,
        bureau_ranking=bureaus,
        unidentified_ranking=unidentified,
        tables=frames["tables"].select("document_id", "table_id", "title", "table_type"),
        masked=mask,
        reviews_as_of=reviews_as_of,
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
            *(pl.col(c).cast(pl.Int64) for c in ("run", "passed", "failed", "skipped", "error", "documents")),
            pl.col("top_skip_reason").map_elements(translate_reason, return_dtype=pl.String),
        )
        .sort("check_code")
    )


def coverage_by_file(coverage: pl.DataFrame, documents: pl.DataFrame) -> pl.DataFrame:
    """Per file and check: passed, failed, skipped and the commonest skip reason in Chinese."""
    schema = {
        "document": pl.String, "check_code": pl.String,
        **{k: pl.Int64 for k in ("passed", "failed", "skipped", "error")}, "top_skip_reason": pl.String,
    }
    if coverage.height == 0:
        return pl.DataFrame(schema=schema)
    n = pl.col("n").fill_null(1)
    keys = ["document_id", "check_code"]
    reasons = (
        coverage.filter(pl.col("status") == "skipped")
        .group_by(*keys, "reason")
        .agg(n=n.sum())
        .sort([*keys, "n", "reason"], descending=[False, False, True, False])
        .group_by(keys, maintain_order=True)
        .agg(top_skip_reason=pl.col("reason").first())
    )
    names = documents.select("document_id", pl.col("path").alias("document")).unique("document_id")
    per_file = (
        coverage.group_by(keys)
        .agg(**{s: n.filter(pl.col("status") == s).sum().cast(pl.Int64) for s in ("passed", "failed", "skipped", "error")})
        .join(reasons, on=keys, how="left")
        .join(names, on="document_id", how="left")
        .with_columns(pl.coalesce("document", "document_id").alias("document"))
        .sort("document", "check_code")
    )
    return per_file.with_columns(
        top_skip_reason=pl.col("top_skip_reason").map_elements(translate_reason, return_dtype=pl.String)
    ).select(list(schema))


def source_href(path: str | None, out_dir: Path, page: int | None = None, fmt: str | None = None) -> str | None:
    """A link from the report to the source file (relative to the report when the file is found), ``#page=N`` for PDFs."""
    if not path:
        return None
    source = Path(path)
    if not source.is_absolute():
        source = Path.cwd() / source
    if not source.exists():
        return None
    href = Path(os.path.relpath(source.resolve(), out_dir.resolve())).as_posix()
    href = "/".join(_quote(part) for part in href.split("/"))
    is_pdf = (fmt or source.suffix.lower().lstrip(".")) == "pdf"
    return f"{href}#page={int(page)}" if is_pdf and page is not None else href


def _quote(part: str) -> str:
    from urllib.parse import quote

    return quote(part, safe="")


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


def readable_location(evidence: str | None, table_title: str | None = None) -> str:
    """表名 · 行 · 列 of a finding's first evidence cell (the reported one), instead of its location code.

    Empty when the evidence names no table, row or column: the caller then shows the check's own text.
    """
    cells = evidence_cells(evidence)
    first = cells[0] if cells else {}
    parts = []
    table = first.get("table") or table_title
    if table:
        parts.append(str(table))
    if first.get("sheet") and not table:
        parts.append(f"工作表 {first['sheet']}")
    for key in ("row_label", "col_label", "role"):
        if first.get(key):
            parts.append(str(first[key]))
    if first.get("page") is not None:
        parts.append(f"第{first['page']}页")
    return " · ".join(parts)


def first_page(evidence: str | None) -> int | None:
    """The page of the first evidence cell that names one (1-based, as printed in the evidence)."""
    for cell in evidence_cells(evidence):
        page = cell.get("page")
        if isinstance(page, int) and page >= 1:
            return page
    return None


RANKING_CSV_COLUMNS: dict[str, str] = {
    "rank": "排名", "bureau": "单位", "region_code": "地区代码", "fiscal_year": "年度", "risk": "风险分（0–100）",
    "n_findings": "发现数", "n_high": "高", "n_medium": "中", "n_low": "低", "n_info": "提示",
    "n_unread": "未能读取文件", "n_excluded": "已排除", "n_documents": "文件数", "top_checks": "主要检查",
    "explanation": "说明",
}


def write_ranking_csv(data: ReportData, path: Path | str | None = None) -> Path:
    """ranking.csv (UTF-8 with BOM, for Excel): bureau-years, then files without a bureau, risk 0–100."""
    target = Path(path) if path else data.out_dir / RANKING_CSV
    frames = [
        df.select(pl.lit(group).alias("分组"), *(pl.col(c).alias(name) for c, name in RANKING_CSV_COLUMNS.items()))
        for group, df in (("单位", data.bureau_ranking), ("未识别单位", data.unidentified_ranking))
    ]
    pl.concat(frames, how="vertical_relaxed").write_csv(target, include_bom=True)
    return target
