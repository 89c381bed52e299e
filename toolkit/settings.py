"""Every tunable default of a run, in one place; the CLI's option defaults read them from here.

Per-file safety limits (size, pages, decompression, CPU budget) are the fields of
:class:`toolkit.model.Limits` (the loaders receive them); run-wide settings (workers,
batching) are below. Nothing else in the toolkit repeats these numbers.
"""

from __future__ import annotations

from toolkit.model import Limits

MB = 1024 * 1024

WORKERS = 0  # parallel worker processes; 0 = every local core
BATCH_DOCS = 200  # documents per written batch (and per document-scope check pass): bounds parent memory
CHUNKSIZE = 1  # files handed to a worker at a time

DEFAULT_LIMITS = Limits()
MAX_FILE_MB = DEFAULT_LIMITS.max_file_bytes / MB  # the CLI speaks megabytes
MAX_PAGES = DEFAULT_LIMITS.max_pages


def limits_for(max_file_mb: float = MAX_FILE_MB, max_pages: int = MAX_PAGES) -> Limits:
    """The default limits with the two a user most often changes (the CLI's --max-file-mb, --max-pages)."""
    return Limits(max_file_bytes=int(max_file_mb * MB), max_pages=max_pages)


__all__ = ["BATCH_DOCS", "CHUNKSIZE", "DEFAULT_LIMITS", "MAX_FILE_MB", "MAX_PAGES", "WORKERS", "Limits", "limits_for"]
