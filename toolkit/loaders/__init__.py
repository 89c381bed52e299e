"""File -> :class:`~toolkit.model.RawDocument`, whatever the file holds.

:func:`load_path` is the only entry point the orchestrator uses::

    size check (from the file system, before reading) -> read -> sniff the real format
    -> safety checks (zip containers, PDF stream sizes) -> the format's loader, inside try/except

It never raises: every problem becomes a :class:`~toolkit.model.LoadIssue` on the
returned document (``fatal=True`` when nothing usable was read). It does not guard
against a loader that *hangs* (hostile PDFs can): the per-file wall-clock budget is
enforced around it by ``toolkit.worker`` (soft) and ``toolkit.executor``
(hard: the worker process is killed).

The formats and their loaders are declared by the loader modules themselves
(:mod:`toolkit.loaders.formats`); sniffing and dispatch read those declarations.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from toolkit.loaders.formats import by_name
from toolkit.loaders.safety import check_pdf_streams, check_size, check_zip, pdf_xref_repaired
from toolkit.loaders.sniff import Sniffed, sniff
from toolkit.model import Limits, LoadIssue, RawDocument

log = logging.getLogger(__name__)

def _failed(path: str, fmt: str, issue: LoadIssue, meta: dict[str, str] | None = None) -> RawDocument:
    issue.fatal = True
    return RawDocument(path=path, format=fmt, issues=[issue], meta=dict(meta or {}))


def classify_exception(exc: BaseException, fmt: str) -> LoadIssue:
    """Turn a loader's exception into an issue with the most specific code we can tell."""
    name = type(exc).__name__
    message = str(exc).strip() or repr(exc)
    text = f"{name} {message}".lower()
    if isinstance(exc, TimeoutError):
        code = "timeout"
    elif "password" in text or "encrypt" in text or "decrypt" in text:
        code = "encrypted"
    elif isinstance(exc, MemoryError):
        code = "too_large"
    elif any(
        w in text for w in ("pseof", "eof marker", "unexpected eof", "truncated", "startxref", "end of file")
    ):
        code = "truncated"
    else:
        code = "unreadable"
    return LoadIssue(code, f"{fmt} loader failed: {name}: {message[:300]}", severity="high", fatal=True)


def _has_content(doc: RawDocument) -> bool:
    for block in doc.blocks:
        if block.kind == "para" and block.text.strip():
            return True
        if block.kind == "table" and block.table is not None:
            if any(cell.strip() for row in block.table.rows for cell in row if cell):
                return True
    return False


def _dispatch(data: bytes, path: str, sniffed: Sniffed, limits: Limits) -> RawDocument:
    fmt = by_name().get(sniffed.format)
    if fmt is None:
        return _failed(
            path,
            sniffed.format,
            LoadIssue("unsupported_format", f"no loader for {sniffed.description} is available", "high"),
        )
    fn_name = getattr(fmt.load, "__name__", repr(fmt.load))
    try:
        doc = fmt.load(data, path, limits)
    except Exception as exc:  # noqa: BLE001 - bad input (also RecursionError, MemoryError) must never crash the run
        log.debug("loader %s failed on %s", fn_name, path, exc_info=True)
        return _failed(path, sniffed.format, classify_exception(exc, sniffed.format))
    if not isinstance(doc, RawDocument):
        return _failed(
            path, sniffed.format, LoadIssue("unreadable", f"{fn_name} returned {type(doc).__name__}", "high")
        )
    return doc


def load_bytes(data: bytes, path: str, limits: Limits) -> RawDocument:
    """Load a file already read into memory (its size was checked by the caller)."""
    if not data:
        return _failed(path, "unknown", LoadIssue("empty", "file is empty (0 bytes)", "high"))
    sniffed = sniff(data, path)
    pre_issues = list(sniffed.issues)
    if any(i.fatal for i in pre_issues):
        return RawDocument(path=path, format=sniffed.format, issues=pre_issues)
    fmt = by_name().get(sniffed.format)
    if fmt is not None and fmt.container == "zip":
        fatal = check_zip(data, limits)
        if fatal:
            return RawDocument(path=path, format=sniffed.format, issues=pre_issues + fatal)
    if sniffed.format == "pdf":  # before any PDF source: a stream bomb is refused from its bytes
        fatal = check_pdf_streams(data, limits)
        if fatal:
            return RawDocument(path=path, format=sniffed.format, issues=pre_issues + fatal)
        if (repaired := pdf_xref_repaired(data)) is not None:
            data = repaired
            pre_issues.append(
                LoadIssue(
                    "repaired",
                    "the PDF's cross-reference table points at the wrong bytes; objects found by scanning the file",
                    severity="info",
                )
            )
    if fmt is not None and fmt.hints is not None:
        pre_issues += fmt.hints(data)

    doc = _dispatch(data, path, sniffed, limits)
    doc.path = path
    doc.format = sniffed.format  # the content decides, whatever the loader assumed
    loader_codes = {i.code for i in doc.issues}
    # The loader's own word on a problem wins over our structural hint of the same kind.
    doc.issues = [i for i in pre_issues if i.code not in loader_codes] + doc.issues
    if sniffed.encoding and "encoding" not in doc.meta:
        doc.meta["encoding"] = sniffed.encoding
    if not doc.failed and not _has_content(doc):
        flagged = [i for i in doc.issues if i.severity != "info"]
        if flagged:  # the loader said why (scanned, cid_garbage ...): that reason is the one to keep
            for issue in flagged:
                issue.fatal = True
        else:
            doc.issues.append(
                LoadIssue(
                    "empty", f"no text or tables found in the {sniffed.description}", "high", fatal=True
                )
            )
    return doc


def _read_bounded(path: Path, max_bytes: int) -> bytes:
    """Read at most ``max_bytes + 1`` bytes: a file that grew after stat() cannot flood memory."""
    with path.open("rb") as fh:
        return fh.read(max_bytes + 1)


def load_path(path: Path, limits: Limits, *, display_path: str | None = None) -> RawDocument:
    """Load one file. Never raises. ``meta`` gets ``sha256`` and ``size_bytes`` when the file was read."""
    shown = display_path if display_path is not None else str(path)
    path = Path(path)
    try:
        size = path.stat().st_size
        if not path.is_file():
            return _failed(shown, "unknown", LoadIssue("unreadable", "not a regular file", "high"))
    except OSError as exc:
        return _failed(shown, "unknown", LoadIssue("unreadable", f"cannot open file: {exc}", "high"))
    meta = {"size_bytes": str(size)}
    issue = check_size(size, limits)
    if issue is not None:
        return _failed(shown, "unknown", issue, meta)
    try:
        data = _read_bounded(path, limits.max_file_bytes)
    except OSError as exc:
        return _failed(shown, "unknown", LoadIssue("unreadable", f"cannot read file: {exc}", "high"), meta)
    meta = {"size_bytes": str(len(data)), "sha256": hashlib.sha256(data).hexdigest()}
    issue = check_size(len(data), limits)
    if issue is not None:
        return _failed(shown, "unknown", issue, meta)
    doc = load_bytes(data, shown, limits)
    doc.meta.update(meta)
    return doc


__all__ = ["classify_exception", "load_bytes", "load_path"]
