"""report.html: one self-contained file (inline CSS, figures as base64 PNG, no network assets).

Every string from a document reaches the page through Jinja2 with autoescape on; nothing is
marked safe except the base64 figures, which are produced here. Text is masked before it gets
here (``toolkit.report.data``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
from jinja2 import Environment, PackageLoader, StrictUndefined

from toolkit.rank import CATEGORY_LABELS, SEVERITY_LABELS
from toolkit.report import plots
from toolkit.report.data import ReportData, coverage_summary, describe_place, evidence_cells
from toolkit.report.masking import mask_name, mask_text
from toolkit.report.review import CONFIRMED, EXCLUDED, NEEDS_MORE, UNREVIEWED
from toolkit.store import RunDir

MAX_RANKING_ROWS = 1000  # the workpapers hold every row; the page stays readable
SEVERITY_SORT = {"high": 0, "medium": 1, "low": 2, "info": 3}
REVIEW_CLASSES = {
    UNREVIEWED: "rv-none",
    CONFIRMED: "rv-confirmed",
    EXCLUDED: "rv-excluded",
    NEEDS_MORE: "rv-more",
}


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("toolkit.report", "templates"),
        autoescape=True,  # always, whatever the template's extension
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["pct"] = lambda v: "" if v is None else f"{100 * float(v):.0f}"
    env.filters["score"] = lambda v: "" if v is None else f"{float(v):.2f}"
    env.filters["sev"] = lambda v: SEVERITY_LABELS.get(v or "", v or "")
    env.filters["cat"] = lambda v: CATEGORY_LABELS.get(v or "", v or "")
    return env


def _quote_parts(cell: dict[str, Any]) -> tuple[str, str, str] | None:
    """A quoted sentence split around the reported number, so the template can highlight it."""
    sentence = cell.get("sentence")
    if not sentence:
        return None
    sentence = str(sentence)
    hit = str(cell.get("raw_text") or "")
    at = sentence.find(hit) if hit else -1
    if at < 0:  # masking or normalisation changed the number: show the sentence unhighlighted
        return (sentence, "", "")
    return (sentence[:at], hit, sentence[at + len(hit) :])


def _evidence_view(evidence: str | None) -> list[dict[str, Any]]:
    out = []
    for cell in evidence_cells(evidence):
        out.append(
            {
                "place": describe_place(cell),
                "value": "" if cell.get("raw_text") is None else str(cell["raw_text"]),
                "quote": _quote_parts(cell),
                "note": str(cell.get("note") or ""),
            }
        )
    return out


def _finding_view(row: dict[str, Any], masked: bool) -> dict[str, Any]:
    reviewer = row.get("reviewer") or ""
    note = row.get("review_note") or ""
    return {
        **row,
        "evidence_cells": _evidence_view(row.get("evidence")),
        "review_class": REVIEW_CLASSES.get(row.get("review_status") or UNREVIEWED, "rv-none"),
        "reviewer_shown": mask_name(reviewer) if masked and reviewer else reviewer,
        "review_note_shown": mask_text(note) if masked else note,
    }


def _documents_view(data: ReportData) -> list[dict[str, Any]]:
    findings = data.findings.with_columns(
        _sev=pl.col("severity").replace_strict(SEVERITY_SORT, default=9, return_dtype=pl.Int32)
    ).sort(["is_parse_issue", "_sev", "score", "finding_id"], descending=[True, False, True, False])
    per_doc: dict[str, list[dict[str, Any]]] = {}
    for row in findings.drop("_sev").iter_rows(named=True):
        per_doc.setdefault(row["document_id"], []).append(_finding_view(row, data.masked))
    docs = []
    for row in data.document_ranking.iter_rows(named=True):
        items = per_doc.get(row["document_id"])
        if items:
            docs.append({**row, "findings": items})
    return docs


def _counts(df: pl.DataFrame, column: str) -> list[tuple[str, int]]:
    if df.height == 0:
        return []
    counts = df.group_by(column).len().sort(["len", column], descending=[True, False])
    return [(k if k is not None else "（空）", n) for k, n in counts.iter_rows()]


def _summary(data: ReportData) -> dict[str, Any]:
    f = data.findings
    risky = f.filter(~pl.col("is_parse_issue"))
    status_order = {"ok": 0, "not_a_disclosure": 1, "partial": 2, "failed": 3}
    statuses = sorted(_counts(data.manifest, "status"), key=lambda kv: (status_order.get(kv[0], 9), kv[0]))
    unread_files = data.manifest.filter(pl.col("status").is_in(["partial", "failed"])).sort("path")
    return {
        "n_files": data.manifest.height,
        "statuses": statuses,
        "n_findings": risky.height,
        "n_parse_findings": f.height - risky.height,
        "severities": [(s, risky.filter(pl.col("severity") == s).height) for s in SEVERITY_SORT],
        "categories": _counts(risky, "category"),
        "reviews": _counts(f, "review_status"),
        "n_documents": data.document_ranking.height,
        "n_documents_flagged": data.document_ranking.filter(pl.col("n_findings") > 0).height,
        "n_bureau_years": data.bureau_ranking.height,
        "unread_files": list(unread_files.iter_rows(named=True)),
        "parse_issues": list(data.parse_issues.sort("path", "page", "code").iter_rows(named=True)),
    }


def render_html(data: ReportData) -> str:
    figures = {
        "categories": plots.findings_by_category(data.findings),
        "risk": plots.risk_distribution(data.document_ranking, data.bureau_ranking),
        "provinces": plots.by_province(data.bureau_ranking),
    }
    template = _environment().get_template("report.html.j2")
    return template.render(
        title="医保部门公开材料筛查报告",
        out_dir=data.out_dir.name,
        generated_at=data.generated_at,
        masked=data.masked,
        summary=_summary(data),
        figures=figures,
        has_figures=any(figures.values()),
        bureaus=list(data.bureau_ranking.head(MAX_RANKING_ROWS).iter_rows(named=True)),
        n_bureaus=data.bureau_ranking.height,
        doc_ranking=list(data.document_ranking.head(MAX_RANKING_ROWS).iter_rows(named=True)),
        n_doc_ranking=data.document_ranking.height,
        documents=_documents_view(data),
        coverage=list(coverage_summary(data.coverage).iter_rows(named=True)),
        max_rows=MAX_RANKING_ROWS,
    )


def write_html(data: ReportData, path: Path | str | None = None) -> Path:
    target = Path(path) if path else RunDir(data.out_dir).report_path
    target.write_text(render_html(data), encoding="utf-8")
    return target
