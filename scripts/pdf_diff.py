"""Compare the PDF loader's pdfium source with its pdfplumber fallback on every PDF under some folders.

Same tables (cell text equal ignoring whitespace) and paragraphs, or the differences listed:

    .venv/bin/python scripts/pdf_diff.py datasets/realdocs ../shared/realdocs

Exit status 1 when any file differs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from toolkit.loaders.pdf_diff import compare_sources


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="+", type=Path)
    args = ap.parse_args(argv)
    files = sorted({p for f in args.folders for p in ([f] if f.is_file() else f.rglob("*.pdf"))})
    n_diff = pages = tables = paragraphs = ws = 0
    for path in files:
        d = compare_sources(path.read_bytes(), str(path))
        pages, tables, paragraphs, ws = pages + d.pages, tables + d.tables, paragraphs + d.paragraphs, ws + d.whitespace_only
        status = "same" if d.same else "DIFFERENT"
        print(f"{status:9} {d.pages:4d} pages {d.tables:4d} tables {d.paragraphs:5d} paragraphs  {path}")
        for line in d.differences:
            print(f"          - {line}")
        n_diff += not d.same
    print(f"\n{len(files)} PDFs, {pages} pages, {tables} tables, {paragraphs} paragraphs: "
          f"{len(files) - n_diff} same, {n_diff} different; {ws} paragraphs differ in whitespace only")
    return 1 if n_diff else 0


if __name__ == "__main__":
    sys.exit(main())
