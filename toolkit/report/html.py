"""report.html: one self-contained file (inline CSS, SVG figures as data: URIs, one inline script).

Every string from a document reaches the page through Jinja2 with autoescape on; nothing is
marked safe except the figures and the table script, which are produced here. The page's
Content-Security-Policy allows no network at all and runs only the vendored table script
(``static/tables.js``), named by its SHA-256 hash: text from a document that looks like a script
is escaped, and even if it were not, the browser would refuse to run it.

The page is written as a stream (``Template.generate``): findings are turned into rows one
bureau-year at a time, so a large run never holds a Python object per finding for all of them.
Text is masked before it gets here (``toolkit.report.data``).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import polars as pl
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from toolkit.rank import CATEGORY_LABELS, SEVERITY_LABELS, UNIDENTIFIED
from toolkit.report import plots
from toolkit.report.data import (
    ReportData,
    coverage_by_file,
    coverage_summary,
    describe_place,
    evidence_cells,
    first_page,
    readable_location,
    source_href,
)
from toolkit.report.labels import READ_STATUS_LABELS, status_label
from toolkit.report.masking import mask_name, mask_text
from toolkit.report.review import CONFIRMED, EXCLUDED, NEEDS_MORE, UNREVIEWED
from toolkit.store import RunDir

MAX_RANKING_ROWS = 1000  # the workpapers hold every row; the page stays readable
OPEN_GROUPS = 20  # the riskiest bureau-years' findings are open; the rest start collapsed
SEVERITY_SORT = {"high": 0, "medium": 1, "low": 2, "info": 3}
REVIEW_CLASSES = {
    UNREVIEWED: "rv-none",
    CONFIRMED: "rv-confirmed",
    EXCLUDED: "rv-excluded",
    NEEDS_MORE: "rv-more",
}


def table_script() -> str:
    return resources.files("toolkit.report").joinpath("static/tables.js").read_text(encoding="utf-8")


def script_hash(script: str) -> str:
    """The CSP source that allows exactly this inline script."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def group_anchor(bureau_key: str | None, fiscal_year: int | None) -> str:
    """A stable anchor for one bureau-year's findings (``b-`` and 12 hex digits)."""
    key = f"{bureau_key or ''}|{fiscal_year if fiscal_year is not None else ''}"
    return "b-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def risk_class(risk: float | None) -> str:
    value = risk or 0.0
    return "risk-hi" if value >= 80 else ("risk-mid" if value >= 40 else "risk-lo")


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("toolkit.report", "templates"),
        autoescape=True,  # always, whatever the template's extension
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["risk"] = lambda v: "" if v is None else f"{float(v):.0f}"
    env.filters["score"] = lambda v: "" if v is None else f"{float(v):.2f}"
    env.filters["sev"] = lambda v: SEVERITY_LABELS.get(v or "", v or "")
    env.filters["cat"] = lambda v: CATEGORY_LABELS.get(v or "", v or "")
    env.filters["status"] = lambda v: status_label(v, READ_STATUS_LABELS)
    env.filters["riskclass"] = risk_class
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
    return [
        {
            "place": describe_place(cell),
            "value": "" if cell.get("raw_text") is None else str(cell["raw_text"]),
            "quote": _quote_parts(cell),
            "note": str(cell.get("note") or ""),
        }
        for cell in evidence_cells(evidence)
    ]


def _finding_view(row: dict[str, Any], masked: bool, source: str | None, fmt: str | None,
                  out_dir: Path) -> dict[str, Any]:
    reviewer = row.get("reviewer") or ""
    note = row.get("review_note") or ""
    page = first_page(row.get("evidence"))
    return {
        **row,
        "place": readable_location(row.get("evidence"), row.get("table_title")) or row.get("check_label") or "",
        "page": page,
        "href": source_href(source, out_dir, page, fmt),
        "evidence_cells": _evidence_view(row.get("evidence")),
        "review_class": REVIEW_CLASSES.get(row.get("review_status") or UNREVIEWED, "rv-none"),
        "reviewer_shown": mask_name(reviewer) if masked and reviewer else reviewer,
        "review_note_shown": mask_text(note) if masked else note,
    }


def _group_order(data: ReportData) -> pl.DataFrame:
    """bureau_key, fiscal_year -> position (identified bureaus first, then files without a bureau) and anchor."""
    groups = pl.concat(
        [data.bureau_ranking.select("bureau_key", "fiscal_year", "bureau", "rank", "risk"),
         data.unidentified_ranking.select("bureau_key", "fiscal_year", "bureau", "rank", "risk")],
        how="vertical_relaxed",
    ).with_columns(
        _order=pl.int_range(pl.len()),
        unidentified=pl.col("bureau_key").str.starts_with(UNIDENTIFIED),
    )
    return groups.with_columns(
        anchor=pl.struct("bureau_key", "fiscal_year").map_elements(
            lambda s: group_anchor(s["bureau_key"], s["fiscal_year"]), return_dtype=pl.String
        )
    )


def _groups_view(data: ReportData, groups: pl.DataFrame) -> Iterator[dict[str, Any]]:
    """Bureau-years with findings or unread files, riskiest first, each with its documents and findings."""
    docs = data.document_ranking.join(
        groups.select("bureau_key", "fiscal_year", "_order"), on=["bureau_key", "fiscal_year"],
        how="left", nulls_equal=True,
    ).join(data.documents.select("document_id", pl.col("path").alias("source"), "format"), on="document_id", how="left")
    docs = docs.filter((pl.col("n_findings") > 0) | (pl.col("n_unread") > 0) | (pl.col("n_excluded") > 0))
    titles = data.tables.select("document_id", "table_id", pl.col("title").alias("table_title"))
    findings = (
        data.findings.join(titles, on=["document_id", "table_id"], how="left")
        .join(docs.select("document_id", "_order", pl.col("rank").alias("_doc_rank")), on="document_id", how="inner")
        .with_columns(_sev=pl.col("severity").replace_strict(SEVERITY_SORT, default=9, return_dtype=pl.Int32))
        .sort(["_order", "_doc_rank", "is_parse_issue", "_sev", "score", "finding_id"],
              descending=[False, False, True, False, True, False], nulls_last=True)
    )
    by_group = findings.partition_by("_order", as_dict=True, maintain_order=True)
    docs_by_group = docs.sort("_order", "rank").partition_by("_order", as_dict=True, maintain_order=True)
    for i, group in enumerate(groups.filter(pl.col("_order").is_in(docs["_order"].unique().implode())).iter_rows(named=True)):
        key = (group["_order"],)
        group_docs = docs_by_group.get(key)
        group_findings = by_group.get(key)
        if group_docs is None:
            continue
        per_doc: dict[str, list[dict[str, Any]]] = {}
        sources = {r["document_id"]: (r["source"], r["format"]) for r in group_docs.iter_rows(named=True)}
        if group_findings is not None:
            for row in group_findings.drop("_sev", "_order", "_doc_rank").iter_rows(named=True):
                source, fmt = sources.get(row["document_id"], (None, None))
                per_doc.setdefault(row["document_id"], []).append(
                    _finding_view(row, data.masked, source, fmt, data.out_dir)
                )
        documents = []
        for doc in group_docs.iter_rows(named=True):
            documents.append({**doc, "href": source_href(doc["source"], data.out_dir, None, doc["format"]),
                              "findings": per_doc.get(doc["document_id"], [])})
        yield {**group, "open": i < OPEN_GROUPS, "documents": documents}


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
        "n_unidentified": data.unidentified_ranking.height,
        "unread_files": list(unread_files.iter_rows(named=True)),
        "parse_issues": list(data.parse_issues.sort("path", "page", "code").iter_rows(named=True)),
    }


def _ranking_rows(ranking: pl.DataFrame, groups: pl.DataFrame, linked: set[str]) -> Iterator[dict[str, Any]]:
    anchors = groups.select("bureau_key", "fiscal_year", "anchor")
    rows = ranking.head(MAX_RANKING_ROWS).join(anchors, on=["bureau_key", "fiscal_year"], how="left",
                                               nulls_equal=True, maintain_order="left")
    for row in rows.iter_rows(named=True):
        yield {**row, "link": row["anchor"] if row["anchor"] in linked else None}


def _stream(data: ReportData) -> Iterator[str]:
    figures = {
        "categories": plots.as_data_uri(plots.findings_by_category(data.findings)),
        "risk": plots.as_data_uri(plots.risk_distribution(data.document_ranking, data.bureau_ranking)),
        "provinces": plots.as_data_uri(plots.by_province(data.bureau_ranking)),
    }
    script = table_script()
    groups = _group_order(data)
    linked_docs = data.document_ranking.filter(
        (pl.col("n_findings") > 0) | (pl.col("n_unread") > 0) | (pl.col("n_excluded") > 0)
    ).join(groups.select("bureau_key", "fiscal_year", "anchor"), on=["bureau_key", "fiscal_year"],
           how="left", nulls_equal=True)
    linked = set(linked_docs["anchor"].drop_nulls().to_list())
    template = _environment().get_template("report.html.j2")
    return template.generate(
        title="医保部门公开材料筛查报告",
        out_dir=data.out_dir.name,
        generated_at=data.generated_at,
        masked=data.masked,
        summary=_summary(data),
        figures=figures,
        has_figures=any(figures.values()),
        bureaus=_ranking_rows(data.bureau_ranking, groups, linked),
        n_bureaus=data.bureau_ranking.height,
        unidentified=_ranking_rows(data.unidentified_ranking, groups, linked),
        n_unidentified=data.unidentified_ranking.height,
        doc_ranking=data.document_ranking.head(MAX_RANKING_ROWS).iter_rows(named=True),
        n_doc_ranking=data.document_ranking.height,
        linked_docs=set(linked_docs["document_id"].to_list()),
        groups=_groups_view(data, groups),
        coverage=list(coverage_summary(data.coverage).iter_rows(named=True)),
        coverage_files=coverage_by_file(data.coverage, data.documents).iter_rows(named=True),
        max_rows=MAX_RANKING_ROWS,
        script=script,
        script_hash=Markup(script_hash(script)),  # base64 and quotes, made here
    )


def render_html(data: ReportData) -> str:
    return "".join(_stream(data))


def write_html(data: ReportData, path: Path | str | None = None) -> Path:
    target = Path(path) if path else RunDir(data.out_dir).report_path
    with target.open("w", encoding="utf-8") as fh:
        for chunk in _stream(data):
            fh.write(chunk)
    return target
