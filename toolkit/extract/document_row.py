"""The one builder of a document's ``documents`` row and ``parse_issues`` rows.

Used by :func:`toolkit.extract.document.extract_document` for a document that was read and by
the worker (:mod:`toolkit.worker`) for one that could not be read or extracted, so a document's
status and reason follow the same rule whichever way it ended.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import polars as pl

from toolkit import schemas
from toolkit.model import LoadIssue, RawDocument

SEVERITY_RANK = {"info": 0, "low": 1, "medium": 2, "high": 3}
REASON_MAX_CHARS = 1000


def _rank(issue: LoadIssue) -> int:
    return SEVERITY_RANK.get(issue.severity, 2)  # an unknown severity counts as medium


def issue_status(issues: Iterable[LoadIssue]) -> str:
    """``failed`` when nothing usable was read, ``partial`` when a medium or worse issue remains, else ``ok``."""
    issues = list(issues)
    if any(i.fatal for i in issues):
        return "failed"
    if any(_rank(i) >= 2 for i in issues):
        return "partial"
    return "ok"


def issue_reason(issues: Sequence[LoadIssue], *, notes_if_clean: bool = False) -> str | None:
    """The issues in one line: fatal ones first, then by severity (stable); info notes are left out.

    With ``notes_if_clean`` the info notes are given when nothing else is wrong (the manifest
    says why an ``ok`` file still has notes; the ``documents`` row does not).
    """
    ranked = sorted(issues, key=lambda i: (not i.fatal, -_rank(i)))
    chosen = [i for i in ranked if i.severity != "info" or i.fatal]
    if not chosen and notes_if_clean:
        chosen = ranked
    return "; ".join(f"{i.code}: {i.reason}" for i in chosen)[:REASON_MAX_CHARS] or None


def issue_rows(issues: Iterable[LoadIssue], document_id: str, path: str) -> pl.DataFrame:
    """The ``parse_issues`` frame of one document, issues in the order they were met."""
    rows = [
        {"document_id": document_id, "path": path, "severity": i.severity, "code": i.code, "page": i.page,
         "reason": i.reason}
        for i in issues
    ]
    return schemas.frame(rows, schemas.PARSE_ISSUES)


def document_row(
    raw: RawDocument,
    issues: Sequence[LoadIssue],
    *,
    document_id: str,
    path: str,
    sha256: str | None,
    size_bytes: int | None,
    n_tables: int = 0,
    meta: dict | None = None,
    status: str | None = None,
    reason: str | None = None,
    extra: dict | None = None,
) -> pl.DataFrame:
    """The one-row ``documents`` frame: identity, format, size, status and reason (plus detected ``meta``
    and ``extra`` columns such as the character accounting). ``status``/``reason`` override the ones the
    issues give (``not_a_disclosure`` is decided from the content, not from an issue's severity)."""
    row = {
        "document_id": document_id, "path": path, "sha256": sha256, "format": raw.format, "size_bytes": size_bytes,
        "pages": raw.pages, "n_tables": n_tables, "status": status or issue_status(issues),
        "reason": reason if reason is not None else issue_reason(issues), **(meta or {}), **(extra or {}),
    }
    return schemas.frame([row], schemas.DOCUMENTS)


def failure_frames(
    raw: RawDocument, document_id: str, sha256: str | None, size: int | None
) -> dict[str, pl.DataFrame]:
    """The frames of a document we could not (or chose not to) extract: its documents row and issues."""
    return {
        "documents": document_row(raw, raw.issues, document_id=document_id, path=raw.path, sha256=sha256,
                                  size_bytes=size),
        "parse_issues": issue_rows(raw.issues, document_id, raw.path),
    }
