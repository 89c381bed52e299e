"""A PDF Flate bomb (a few MB on disk, gigabytes inflated) through the PDF loader: refused, and at what memory.

    .venv/bin/python scripts/pdf_bomb.py --inflated-gb 3

Builds a one-page PDF whose content stream inflates to ``--inflated-gb`` GB of spaces, loads it
with :func:`toolkit.loaders.pdf.load_pdf` under the default limits and prints the issue, the
seconds it took and the peak RSS of this process (building the file streams, so it adds little).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time

from toolkit.fuzz.hostile import stream_bomb_pdf
from toolkit.loaders.pdf import load_pdf
from toolkit.model import Limits


def bomb(inflated: int) -> bytes:
    """A one-page PDF whose content stream inflates to about ``inflated`` bytes."""
    return stream_bomb_pdf(inflated)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--inflated-gb", type=float, default=3.0)
    args = ap.parse_args(argv)
    data = bomb(int(args.inflated_gb * 1024**3))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0 = time.process_time()
    doc = load_pdf(data, "bomb.pdf", Limits())
    seconds = time.process_time() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"file {len(data) / 1024 / 1024:.1f} MB inflating to {args.inflated_gb:g} GB")
    print(f"issues: {[(i.code, i.reason) for i in doc.issues]}")
    print(f"refused in {seconds:.2f} CPU s; peak RSS {peak:.0f} MB (before loading: {before:.0f} MB)")
    return 0 if doc.failed else 1


if __name__ == "__main__":
    sys.exit(main())
