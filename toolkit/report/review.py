"""Auditors' review decisions on findings: ``DIR/reviews.csv``, append-only, under a file lock.

Each decision is one row (finding_id, status, note, reviewer, timestamp, fingerprint). The
**latest by timestamp** wins (file order breaks ties). Finding ids hash the document's content, so
any edit to a document renames its findings; the fingerprint (:mod:`toolkit.job.fingerprint`,
stored in the run's ``changes.parquet``) does not, and a decision follows its finding by it
(:func:`resolve_decisions`). A decision whose finding is no longer found is an **orphan**: reported
by the run (run.json) and by ``yibao-audit review DIR --orphans``, never silently dropped.

Decisions arrive two ways: ``yibao-audit review DIR --finding ID --status 排除 …`` and
``yibao-audit review DIR --import workpapers.xlsx`` (the 复核状态/复核人/复核意见 columns an
auditor filled in the 发现 sheet). Importing appends only rows the auditor changed: a row equal to
the decision the workbook was written with is untouched and never reverts a newer decision. A
changed row whose finding got a newer decision after the workbook was written is a conflict:
the later of the two (the workbook's save time against the decision's time) wins, with a warning.
Importing the same workbook twice adds nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

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
# custom document property of workpapers.xlsx: when its review columns were read (ISO, microseconds)
PROP_REVIEWS_AS_OF = "yibao_reviews_as_of"
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
    fingerprint: str = ""


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _as_utc(value: Any) -> datetime | None:
    """An ISO timestamp (or a naive datetime, taken as UTC) as an aware datetime; None if unreadable."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def validate_status(status: str) -> str:
    status = (status or "").strip()
    if status not in STATUSES:
        raise ValueError(f"复核状态 must be one of {', '.join(STATUSES)}; got {status!r}")
    return status


def read_reviews(out_dir: Path | str) -> pl.DataFrame:
    """Every decision in ``DIR/reviews.csv`` in the order written, each under the id its finding has
    in this run (decisions follow their finding's fingerprint across edits of the document)."""
    run_dir = RunDir(out_dir)
    reviews = run_dir.read_reviews()
    changes = read_changes(run_dir)
    if reviews.height == 0 or changes is None:
        return reviews
    current = _current_ids(changes)
    fps = _fingerprints_of(reviews, changes)
    return reviews.with_columns(
        fingerprint=fps,
        finding_id=pl.coalesce(fps.replace_strict(current, default=None, return_dtype=pl.String), pl.col("finding_id")),
    )


def read_changes(run_dir: RunDir) -> pl.DataFrame | None:
    """The run's changes.parquet (fingerprints and new/recurring/changed/resolved), None without one."""
    path = run_dir.changes_path
    return pl.read_parquet(path) if path.exists() else None


def _current_ids(changes: pl.DataFrame) -> dict[str, str]:
    """fingerprint -> the finding id it has in this run."""
    present = changes.filter(pl.col("finding_id").is_not_null())
    return dict(zip(present["fingerprint"].to_list(), present["finding_id"].to_list(), strict=True))


def _fingerprints_of(reviews: pl.DataFrame, changes: pl.DataFrame) -> pl.Series:
    """Each decision's fingerprint: as recorded, else the one its finding id has in this run or had
    in the previous one."""
    by_id: dict[str, str] = {}
    for fid, prev, fp in changes.select("finding_id", "previous_finding_id", "fingerprint").iter_rows():
        for key in (prev, fid):
            if key:
                by_id[key] = fp
    looked_up = [by_id.get(f) for f in reviews["finding_id"].to_list()]
    recorded = reviews["fingerprint"].to_list() if "fingerprint" in reviews.columns else [""] * reviews.height
    return pl.Series("fingerprint", [r or u or "" for r, u in zip(recorded, looked_up, strict=True)], dtype=pl.String)


def latest_reviews(reviews: pl.DataFrame) -> pl.DataFrame:
    """The current decision per finding: the one with the latest timestamp (file order breaks ties)."""
    if reviews.height == 0:
        return reviews
    return (
        reviews.with_row_index("_order")
        .sort("timestamp", "_order", nulls_last=False)
        .unique("finding_id", keep="last", maintain_order=True)
        .sort("_order")
        .drop("_order")
    )


DECISION_SCHEMA = {
    "fingerprint": pl.String, "finding_id": pl.String, "status": pl.String, "note": pl.String,
    "reviewer": pl.String, "timestamp": pl.String, "applies_to": pl.String,
}


def resolve_decisions(reviews: pl.DataFrame, changes: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(decisions, orphans) of a run: the latest decision per fingerprint, and the finding of this
    run it applies to (``applies_to``; ``orphan`` when its finding is gone).

    ``reviews`` are rows as written (:meth:`toolkit.store.RunDir.read_reviews`); ``changes`` this
    run's :data:`toolkit.job.diff.CHANGE_SCHEMA` rows.
    """
    if reviews.height == 0:
        empty = pl.DataFrame(schema=DECISION_SCHEMA)
        return empty, empty
    current = _current_ids(changes)
    fps = _fingerprints_of(reviews, changes)
    rows = reviews.with_columns(fingerprint=fps).with_columns(
        _key=pl.when(pl.col("fingerprint") != "").then(pl.col("fingerprint")).otherwise(pl.col("finding_id"))
    )
    latest = (
        rows.with_row_index("_order")
        .sort("timestamp", "_order")
        .unique("_key", keep="last", maintain_order=True)
        .sort("_order")
    )
    applies = [current.get(fp) if fp else None for fp in latest["fingerprint"].to_list()]
    ids_now = set(current.values())
    applies = [
        a if a is not None else (fid if fid in ids_now else None)
        for a, fid in zip(applies, latest["finding_id"].to_list(), strict=True)
    ]
    decisions = latest.with_columns(
        applies_to=pl.Series(applies, dtype=pl.String).fill_null("orphan"),
        finding_id=pl.coalesce(pl.Series(applies, dtype=pl.String), pl.col("finding_id")),
    ).select(list(DECISION_SCHEMA))
    orphans = decisions.filter(pl.col("applies_to") == "orphan")
    return decisions, orphans


def orphan_decisions(out_dir: Path | str) -> pl.DataFrame:
    """The decisions of ``DIR`` whose finding this run no longer has."""
    run_dir = RunDir(out_dir)
    changes = read_changes(run_dir)
    if changes is None:
        return pl.DataFrame(schema=DECISION_SCHEMA)
    return resolve_decisions(run_dir.read_reviews(), changes)[1]


def excluded_ids(reviews: pl.DataFrame) -> set[str]:
    latest = latest_reviews(reviews)
    return set(latest.filter(pl.col("status") == EXCLUDED)["finding_id"].to_list())


def append_reviews(out_dir: Path | str, reviews: Iterable[Review]) -> int:
    """Append decisions to ``DIR/reviews.csv`` (created with a BOM so Excel reads it as UTF-8),
    each with its finding's fingerprint when the run has one."""
    run_dir = RunDir(out_dir)
    changes = read_changes(run_dir)
    fp_of = {v: k for k, v in _current_ids(changes).items()} if changes is not None else {}
    return run_dir.append_reviews(
        [r.finding_id, r.status, r.note, r.reviewer, r.timestamp or now_iso(), r.fingerprint or fp_of.get(r.finding_id, "")]
        for r in reviews
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


def refresh_workbook(out_dir: Path | str) -> dict[str, Path]:
    """Write report.html and workpapers.xlsx again so they show the decisions just recorded
    (masked as the run was: run.json's ``mask``, masked when unknown)."""
    from toolkit.report import write_reports

    mask = RunDir(out_dir).read_run_json().get("mask", True)
    return write_reports(out_dir, mask=bool(mask))


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    return str(value).strip()


def read_workpaper_reviews(xlsx: Path | str) -> list[Review]:
    """The review columns of the 发现 sheet, found by their headers (auditors may move columns)."""
    return read_workbook(xlsx)[0]


def _reviews_as_of(wb: Any) -> datetime | None:
    """The microsecond time the workbook's review columns were read from reviews.csv, if it says."""
    try:
        props = {p.name: p.value for p in wb.custom_doc_props.props}
    except AttributeError:  # openpyxl without custom properties
        return None
    return _as_utc(props[PROP_REVIEWS_AS_OF]) if PROP_REVIEWS_AS_OF in props else None


def _written_at(created: datetime | None, as_of: datetime | None) -> datetime | None:
    """When the workbook's review columns were read. dcterms:created has whole seconds, so a decision
    in the same second as the writing would count as newer than the workbook: our own microsecond
    stamp refines it, when it falls within that second (a created time set otherwise wins)."""
    if created is not None and as_of is not None and created <= as_of < created + timedelta(seconds=1):
        return as_of
    return created


def read_workbook(xlsx: Path | str) -> tuple[list[Review], datetime | None, datetime | None]:
    """(rows with a finding id and a status, when the workbook was written, when it was last saved)."""
    from openpyxl import load_workbook

    wb = load_workbook(xlsx, read_only=True, data_only=True)
    try:
        created = _written_at(_as_utc(wb.properties.created), _reviews_as_of(wb))
        saved = _as_utc(wb.properties.modified)
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

            fid, status = get(COL_ID), get(COL_STATUS) or UNREVIEWED
            if fid:
                out.append(Review(fid, status, get(COL_NOTE), get(COL_REVIEWER)))
        return out, created, saved
    finally:
        wb.close()


def _state(latest: pl.DataFrame) -> dict[str, tuple[tuple[str, str, str], datetime | None, str]]:
    """finding_id -> ((status, note, reviewer), when, who) of each latest decision."""
    return {
        r["finding_id"]: ((r["status"], r["note"], r["reviewer"]), _as_utc(r["timestamp"]), r["reviewer"])
        for r in latest.iter_rows(named=True)
    }


def import_workpapers(out_dir: Path | str, xlsx: Path | str) -> tuple[int, list[str]]:
    """Append the decisions the auditor changed in ``xlsx``; returns (appended, problems and conflicts).

    A row equal to the decision the workbook was written with (as of its creation time) was not
    touched and is skipped, whatever was decided since. A changed row whose finding has a decision
    newer than the workbook is a conflict: the workbook wins only if it was saved after that
    decision (the imported row is stamped with the save time), and both cases are reported.
    Unknown statuses and finding ids not in this run are reported, not imported.
    """
    run_dir = RunDir(out_dir)
    known = known_finding_ids(out_dir)
    rows, created, saved = read_workbook(xlsx)
    changes = read_changes(run_dir)
    if changes is not None:  # a workbook of the previous run: its ids, renamed by an edit, by fingerprint
        renamed = {
            prev: fid
            for prev, fid in changes.select("previous_finding_id", "finding_id").iter_rows()
            if prev and fid and prev != fid
        }
        rows = [Review(renamed.get(r.finding_id, r.finding_id), r.status, r.note, r.reviewer) for r in rows]
    problems: list[str] = []
    new: list[Review] = []
    now = datetime.now(UTC)
    stamp_at = min(saved, now) if saved is not None else now
    with run_dir.reviews_lock():
        reviews = read_reviews(out_dir)
        current = _state(latest_reviews(reviews))
        as_written = current
        if created is not None and reviews.height:
            before = reviews.filter(
                pl.Series([(_as_utc(t) or now) <= created for t in reviews["timestamp"].to_list()], dtype=pl.Boolean)
            )
            as_written = _state(latest_reviews(before))
        for r in rows:
            if r.status not in STATUSES:
                problems.append(f"{r.finding_id}: unknown 复核状态 {r.status!r}")
                continue
            if known and r.finding_id not in known:
                problems.append(f"{r.finding_id}: not a finding of this run")
                continue
            written = as_written.get(r.finding_id)
            if written and r.note and r.note != written[0][1] and r.note == mask_text(written[0][1] or ""):
                r = replace(r, note=written[0][1])  # the workbook shows notes masked: an untouched note is the same note
            value = (r.status, r.note, r.reviewer)
            untouched = written[0] == value if written else (r.status == UNREVIEWED and not r.note and not r.reviewer)
            if untouched:
                continue
            now_state = current.get(r.finding_id)
            if now_state is not None and now_state[0] == value:
                continue
            if now_state is not None and created is not None and now_state[1] is not None and now_state[1] > created:
                when = now_state[1].isoformat(timespec="seconds")
                if now_state[1] >= stamp_at:
                    problems.append(f"{r.finding_id}: conflict: the workbook's {r.status} is older than the "
                                    f"decision {now_state[0][0]} by {now_state[2] or '?'} at {when}; kept that decision")
                    continue
                problems.append(f"{r.finding_id}: conflict: the workbook's {r.status} (saved later) replaces "
                                f"{now_state[0][0]} by {now_state[2] or '?'} at {when}")
            new.append(Review(r.finding_id, r.status, r.note, r.reviewer, stamp_at.isoformat(timespec="microseconds")))
        append_reviews(out_dir, new)
    for p in problems:
        log.warning("review import: %s", p)
    return len(new), problems
