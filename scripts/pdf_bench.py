"""Pages per CPU-second of the PDF loader's pdfium source and of its pdfplumber fallback, from one run.

    .venv/bin/python scripts/pdf_bench.py ../shared/realdocs [--json out.json]

Each PDF is read by both sources in turn in this process (text layer, no OCR); CPU time,
not wall time, so other work on the machine matters little. Exit status 1 when the targets
(>= 120 pages/s for pdfium, >= 3.5 times pdfplumber) are not met.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from toolkit.bench import format_pdf_sources, pdf_sources


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="+", type=Path)
    ap.add_argument("--json", type=Path, help="also write the measurements here")
    args = ap.parse_args(argv)
    result = pdf_sources(args.folders)
    print(format_pdf_sources(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0 if result.get("meets_target") else 1


if __name__ == "__main__":
    sys.exit(main())
