"""Which files a run reads: directories walked recursively and sorted, and the companion-file policy.

Sorted walking makes runs deterministic (same inputs, same output files). Hidden files and
Office lock files met while walking are ignored; companion files (notes, data, code that sit
beside documents but are never a bureau's publication) are listed in the manifest as
``skipped`` instead of being read, so a README or labels.parquet does not turn into findings.
A file named explicitly is always read, even a missing one (it fails in the manifest).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path

log = logging.getLogger(__name__)

SKIPPED_PREFIXES = (".", "~$")  # hidden files, Office lock files (only when walking directories)
COMPANION_SUFFIXES = frozenset(
    {".md", ".markdown", ".rst", ".parquet", ".json", ".jsonl", ".py", ".ipynb", ".yml", ".yaml", ".toml",
     ".log", ".sha256", ".md5", ".lock"}
)
COMPANION_REASON = "companion file (not a bureau document format); name it explicitly to read it"


def collect_files(
    inputs: Sequence[Path | str], companions: list[tuple[Path, str]] | None = None
) -> list[tuple[Path, str]]:
    """Every file under ``inputs`` as (path, display path): directories walked recursively, sorted.

    Files named explicitly are always kept (even missing ones: they fail in the manifest);
    hidden files and Office lock files (``~$x.docx``) found while walking are skipped. Companion
    files (:data:`COMPANION_SUFFIXES`) found while walking go to ``companions`` when it is given.
    """
    found: list[tuple[Path, str]] = []
    seen: set[str] = set()

    def add(path: Path, shown: str) -> None:
        key = os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            found.append((path, shown))

    for given in inputs:
        root = Path(given)
        if not root.is_dir():
            add(root, str(given))
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if name.startswith(SKIPPED_PREFIXES):
                    log.debug("skipping %s/%s", dirpath, name)
                    continue
                path = Path(dirpath) / name
                if not path.is_file():
                    continue
                if path.suffix.lower() in COMPANION_SUFFIXES:
                    if companions is not None:
                        companions.append((path, str(path)))
                    continue
                add(path, str(path))
    return found


def size_or_zero(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def companion_row(path: Path, shown: str) -> dict:
    """The manifest row of a companion file: listed, not read."""
    return {
        "path": shown, "sha256": None, "format": path.suffix.lower().lstrip("."), "size_bytes": size_or_zero(path),
        "status": "skipped", "reason": COMPANION_REASON, "seconds": 0.0,
    }
