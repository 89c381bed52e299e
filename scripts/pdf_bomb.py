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
import zlib

from toolkit.loaders.pdf import load_pdf
from toolkit.model import Limits

CHUNK = 16 * 1024 * 1024


def bomb(inflated: int) -> bytes:
    z = zlib.compressobj(9)
    parts, left = [], inflated
    block = b" " * CHUNK
    while left > 0:
        parts.append(z.compress(block[: min(CHUNK, left)]))
        left -= CHUNK
    parts.append(z.flush())
    stream = b"".join(parts)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for k, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % k + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


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
