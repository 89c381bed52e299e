"""CSV files -> one table block (encoding and delimiter detected)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from toolkit.loaders.formats import Format
from toolkit.loaders.html import detect_encoding
from toolkit.model import Block, Limits, LoadIssue, RawDocument
from toolkit.normalize.visible import visible_counter

_DELIMITERS = ",\t;|"
# No disclosure table is this wide (a worksheet of the old .xls format stops here). A row
# past it is a damaged line (lost line breaks, a stray delimiter run): its surplus fields are cut,
# and said so, because every later step pads the table to its widest row.
MAX_CSV_COLUMNS = 256


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


def wide_rows_issue(cut: list[tuple[int, int]], where: str) -> LoadIssue:
    """The issue for rows cut to ``MAX_CSV_COLUMNS`` fields; ``cut`` holds (line, fields) per row."""
    line, fields = max(cut, key=lambda c: c[1])
    at = f"on line {line}" if line else "line unknown"
    return LoadIssue(
        "too_large",
        f"{len(cut)} row(s) {where}wider than {MAX_CSV_COLUMNS} fields (the widest: {fields} fields, "
        f"{at}): the fields past {MAX_CSV_COLUMNS} were not read",
    )


def _read_rows(text: str, delimiter: str, limits: Limits, issues: list[LoadIssue]) -> list[list[str]]:
    """The rows of ``text``, bounded: the table as later padded (rows x widest row) stays within
    ``max_sheet_cells``, and no row keeps more than ``MAX_CSV_COLUMNS`` fields."""
    rows: list[list[str]] = []
    cut_rows: list[tuple[int, int]] = []  # (line of the row, fields it had)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        _append_rows(reader, rows, cut_rows, limits, issues)
    except csv.Error as exc:  # an unclosed quote runs a field to the end of the file: keep the rows before it
        if not rows:
            raise
        issues.append(
            LoadIssue("truncated", f"line {reader.line_num}: {exc}: the rest was not read", severity="medium")
        )
    if cut_rows:
        issues.append(wide_rows_issue(cut_rows, ""))
    return rows


def _append_rows(
    reader: Iterator[list[str]], rows: list[list[str]], cut_rows: list[tuple[int, int]], limits: Limits,
    issues: list[LoadIssue],
) -> None:
    width = 0
    for row in reader:
        if len(row) > MAX_CSV_COLUMNS:
            cut_rows.append((reader.line_num, len(row)))  # type: ignore[attr-defined]
            row = row[:MAX_CSV_COLUMNS]
        width = max(width, len(row))
        if (len(rows) + 1) * width > limits.max_sheet_cells:
            issues.append(
                LoadIssue(
                    "too_large",
                    f"more than {limits.max_sheet_cells} cells ({len(rows) + 1} rows x {width} columns): "
                    "the rest was not read",
                )
            )
            break
        rows.append(row)


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
        rows = _read_rows(text, delimiter, limits, doc.issues)
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
