"""CSV files -> one table block (encoding and delimiter detected)."""

from __future__ import annotations

import csv
import io

from toolkit.loaders.formats import Format
from toolkit.loaders.html import detect_encoding
from toolkit.model import Block, Limits, LoadIssue, RawDocument
from toolkit.normalize.visible import visible_counter

_DELIMITERS = ",\t;|"


def sniff_delimiter(sample: str) -> str:
    try:
        return csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        # The sniffer gives up on ragged files: take the candidate most frequent per line.
        lines = [ln for ln in sample.splitlines()[:50] if ln.strip()]
        counts = {d: sum(ln.count(d) for ln in lines) for d in _DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def looks_delimited(text: str) -> bool:
    """True when the start of the text is a table of delimited rows (CSV/TSV), not prose."""
    lines = [ln for ln in text.splitlines()[:60] if ln.strip()]
    if len(lines) < 3:
        return False
    if text and not text.endswith(("\n", "\r")):
        lines = lines[:-1]  # the sample may cut the last line
    for delim in (",", "\t", ";"):
        try:
            widths = [len(row) for row in csv.reader(lines, delimiter=delim)]
        except csv.Error:
            continue
        if not widths:
            continue
        common = max(set(widths), key=widths.count)
        if common >= 2 and widths.count(common) >= 0.9 * len(widths):
            return True
    return False


def load_csv(data: bytes, path: str, limits: Limits) -> RawDocument:
    doc = RawDocument(path=path, format="csv")
    try:
        encoding = detect_encoding(data)
        text = data.decode(encoding, errors="replace")
        if "\ufffd" in text:
            doc.issues.append(
                LoadIssue("encoding", f"bytes not valid in {encoding} were replaced", severity="low")
            )
        text = text.lstrip("\ufeff")
        delimiter = sniff_delimiter(text[:20_000])
        rows: list[list[str]] = []
        n_cells = 0
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            n_cells += len(row)
            if n_cells > limits.max_sheet_cells:
                doc.issues.append(
                    LoadIssue("too_large", f"more than {limits.max_sheet_cells} cells: the rest was not read")
                )
                break
            rows.append(row)
    except Exception as exc:  # noqa: BLE001 - bad input never crashes
        doc.issues.append(
            LoadIssue(
                "unreadable", f"cannot read the CSV file: {type(exc).__name__}: {exc}", "high", fatal=True
            )
        )
        return doc
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    doc.meta.update(encoding=encoding, delimiter=delimiter)
    if rows:
        doc.visible_chars[None] = visible_counter("".join(c for r in rows for c in r))
        doc.blocks.append(Block.tab(rows))
    else:
        doc.issues.append(LoadIssue("empty", "the CSV file has no rows", severity="high", fatal=True))
    return doc


FORMATS = (
    Format("csv", "delimited text (CSV)", (".csv", ".tsv"), load_csv, text=True, looks_like=looks_delimited),
)
