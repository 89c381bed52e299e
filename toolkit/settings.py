"""Every tunable default of a run, in one place; the CLI's option defaults read them from here.

Per-file safety limits (size, pages, decompression, CPU budget) are the fields of
:class:`toolkit.model.Limits` (the loaders receive them); run-wide settings (workers,
batching) are below. Nothing else in the toolkit repeats these numbers.
"""

from __future__ import annotations

import os

from toolkit.model import Limits

MB = 1024 * 1024

WORKERS = 0  # parallel worker processes; 0 = every local core
BATCH_DOCS = 200  # documents per written batch (and per document-scope check pass): bounds parent memory
CHUNKSIZE = 1  # files handed to a worker at a time

# Where the PDF loader gets characters and ruling lines from: "pdfium" (fast, C) or "pdfplumber"
# (pdfminer, pure Python: the fallback). Worker processes inherit the environment variable.
PDF_SOURCES = ("pdfium", "pdfplumber")
PDF_SOURCE = os.environ.get("YIBAO_AUDIT_PDF_SOURCE", "pdfium")
# Decompressed size of one PDF stream (content, font, object stream; images are decoded only to be
# rendered) above which the file is refused before pdfium or pdfminer expand it. The file's total is
# capped by Limits.max_decompressed_bytes.
PDF_MAX_STREAM_BYTES = 64 * MB

DEFAULT_LIMITS = Limits()
MAX_FILE_MB = DEFAULT_LIMITS.max_file_bytes / MB  # the CLI speaks megabytes
MAX_PAGES = DEFAULT_LIMITS.max_pages


def limits_for(max_file_mb: float = MAX_FILE_MB, max_pages: int = MAX_PAGES) -> Limits:
    """The default limits with the two a user most often changes (the CLI's --max-file-mb, --max-pages)."""
    return Limits(max_file_bytes=int(max_file_mb * MB), max_pages=max_pages)


__all__ = ["BATCH_DOCS", "CHUNKSIZE", "DEFAULT_LIMITS", "MAX_FILE_MB", "MAX_PAGES", "PDF_MAX_STREAM_BYTES", "PDF_SOURCE",
           "PDF_SOURCES", "WORKERS", "Limits", "limits_for"]
