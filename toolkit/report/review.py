"""Auditors' review decisions on findings: ``DIR/reviews.csv``, append-only, keyed by the stable finding_id.

Each decision is one row (finding_id, status, note, reviewer, timestamp); the latest row per
finding wins. Because finding ids hash the check, the document's content and the location,
a decision made on one run applies to the same finding on the next run of the same documents.

Decisions arrive two ways: ``yibao-audit review DIR --finding ID --status 排除 …`` and
``yibao-audit review DIR --import workpapers.xlsx`` (the 复核状态/复核人/复核意见 columns an
auditor filled in the 发现 sheet). Importing appends only what changed, so importing the same
workbook twice adds nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from toolkit.report.masking import mask_text
from toolkit.store import RunDir

log = logging.getLogger(__name__)

UNREVIEWED = "未复核"
CONFIRMED = "确认问题"
EXCLUDED = "排除"
NEEDS_MORE = "需补充资料"
STATUSES: tuple[str, ...] = (UNREVIEWED, CONFIRMED, EXCLUDED, NEEDS_MORE)

# Headers of the review columns in the workpapers' 发现 sheet (shared with toolkit.report.workpapers).
SHEET_FINDINGS = "发现"
COL_ID = "发现编号"
COL_STATUS = "复核状态"
COL_REVIEWER = "复核人"
COL_NOTE = "复核意见"


@dataclass(slots=True, frozen=True)
class Review:
    finding_id: str
    status: str
    note: str = ""
    reviewer: str = ""
    timestamp: str = ""


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def validate_status(status: str) -> str:
    status = (status or "").strip()
    if status not in STATUSES:
        raise ValueError(f"复核状态 must be one of {', '.join(STATUSES)}; got {status!r}")
    return status


def read_reviews(out_dir: Path | str) -> pl.DataFrame:
    """Every decision in ``DIR/reviews.csv`` in the order written (empty frame when there is none)."""
    return RunDir(out_dir).read_reviews()


def latest_reviews(reviews: pl.DataFrame) -> pl.DataFrame:
    """The current decision per finding: the last row written for it (file order, not clock order)."""
    if reviews.height == 0:
        return reviews
    return (
        reviews.with_row_index("_order")
        .sort("_order")
        .unique("finding_id", keep="last", maintain_order=True)
        .drop("_order")
    )


def excluded_ids(reviews: pl.DataFrame) -> set[str]:
    latest = latest_reviews(reviews)
    return set(latest.filter(pl.col("status") == EXCLUDED)["finding_id"].to_list())


def append_reviews(out_dir: Path | str, reviews: Iterable[Review]) -> int:
    """Append decisions to ``DIR/reviews.csv`` (created with a BOM so Excel reads it as UTF-8)."""
    return RunDir(out_dir).append_reviews(
        [r.finding_id, r.status, r.note, r.reviewer, r.timestamp or now_iso()] for r in reviews
    )


def known_finding_ids(out_dir: Path | str) -> set[str]:
    return RunDir(out_dir).finding_ids()


def record_review(
    out_dir: Path | str, finding_id: str, status: str, note: str = "", reviewer: str = ""
) -> Review:
    """Append one decision; the finding must exist in this run's findings."""
    status = validate_status(status)
    if finding_id not in known_finding_ids(out_dir):
        raise ValueError(f"no finding {finding_id!r} in {RunDir(out_dir).findings_path}")
    review = Review(finding_id, status, note or "", reviewer or "", now_iso())
    append_reviews(out_dir, [review])
    return review


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    return str(value).strip()


def read_workpaper_reviews(xlsx: Path | str) -> list[Review]:
    """The review columns of the 发现 sheet, found by their headers (auditors may move columns)."""
    from openpyxl import load_workbook

    wb = load_workbook(xlsx, read_only=True, data_only=True)
    try:
        if SHEET_FINDINGS not in wb.sheetnames:
            raise ValueError(f"{xlsx}: no sheet named {SHEET_FINDINGS}")
        rows = wb[SHEET_FINDINGS].iter_rows(values_only=True)
        header = [_cell_text(h) for h in next(rows, ())]
        missing = [c for c in (COL_ID, COL_STATUS) if c not in header]
        if missing:
            raise ValueError(f"{xlsx}: sheet {SHEET_FINDINGS} has no column {', '.join(missing)}")
        at = {
            name: header.index(name)
            for name in (COL_ID, COL_STATUS, COL_REVIEWER, COL_NOTE)
            if name in header
        }
        out = []
        for row in rows:

            def get(name: str, row: tuple = row) -> str:
                i = at.get(name)
                return _cell_text(row[i]) if i is not None and i < len(row) else ""

            fid, status = get(COL_ID), get(COL_STATUS)
            if fid and status:
                out.append(Review(fid, status, get(COL_NOTE), get(COL_REVIEWER)))
        return out
    finally:
        wb.close()


def import_workpapers(out_dir: Path | str, xlsx: Path | str) -> tuple[int, list[str]]:
    """Append the decisions in ``xlsx`` that differ from the current ones; returns (appended, problems).

    A row whose status is 未复核 and that has no current decision is skipped (nothing decided);
    unknown statuses and finding ids not in this run are reported, not imported.
    """
    known = known_finding_ids(out_dir)
    current = {
        r["finding_id"]: (r["status"], r["note"], r["reviewer"])
        for r in latest_reviews(read_reviews(out_dir)).iter_rows(named=True)
    }
    problems: list[str] = []
    new: list[Review] = []
    stamp = now_iso()
    for r in read_workpaper_reviews(xlsx):
        if r.status not in STATUSES:
            problems.append(f"{r.finding_id}: unknown 复核状态 {r.status!r}")
            continue
        if known and r.finding_id not in known:
            problems.append(f"{r.finding_id}: not a finding of this run")
            continue
        before = current.get(r.finding_id)
        if before is not None and r.note and r.note != before[1] and r.note == mask_text(before[1]):
            r = replace(r, note=before[1])  # the workbook shows notes masked: an untouched note is the same note
        if before == (r.status, r.note, r.reviewer):
            continue
        if before is None and r.status == UNREVIEWED and not r.note:
            continue
        new.append(Review(r.finding_id, r.status, r.note, r.reviewer, stamp))
    append_reviews(out_dir, new)
    for p in problems:
        log.warning("review import: %s", p)
    return len(new), problems
