"""CSV rendition of a document's tables (running text has no place in CSV).

Several tables are written one after another, separated by an empty row.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from toolkit.model import Block
from toolkit.render.layout import padded


def render_csv(blocks: list[Block]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    first = True
    for b in blocks:
        if b.kind != "table" or b.table is None:
            continue
        if not first:
            writer.writerow([])
        writer.writerows(padded(b.table.rows))
        first = False
    return buf.getvalue()


def write_csv(blocks: list[Block], path: Path, options: frozenset[str]) -> None:
    text = render_csv(blocks)
    if "gbk" in options:
        path.write_bytes(text.encode("gb18030"))
    else:
        path.write_bytes(text.encode("utf-8-sig" if "bom" in options else "utf-8"))
