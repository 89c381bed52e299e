"""Plain-text documents: text renditions of Word/PDF files, and hand-typed reports.

Two table layouts occur in real renditions and both are read here:

* **row per line** (PDF copy, seed 004): cells joined by TAB, one printed row per line;
* **cell per line** (Word ``docx2txt``-style, seeds 002/003): every cell starts on a line
  beginning with one TAB, lines without a TAB continue the cell (a cell may contain blank
  lines), and a blank line followed by a TAB line starts the next row once the current row
  has as many cells as the widest row so far.

Lines between those tables go through ``toolkit.extract.text_grid``: pipe/Markdown tables,
space-aligned columns, one cell per line without TABs and a whole table on one line are rebuilt
into table blocks whose cells keep their line and character span.

Encodings: UTF-8 (with or without BOM), UTF-16 with BOM or without (by its NUL bytes), otherwise GB18030 (a superset of
GBK/GB2312) when it decodes cleanly, else charset-normalizer's best guess. A form feed
starts a new page.
"""

from __future__ import annotations

import logging

from charset_normalizer import from_bytes

from toolkit.extract.text_grid import TextTable, find_text_tables
from toolkit.loaders.csv import MAX_CSV_COLUMNS, wide_rows_issue
from toolkit.loaders.formats import Format
from toolkit.loaders.sniff import bomless_utf16
from toolkit.model import Block, Limits, LoadIssue, RawDocument, RawTable
from toolkit.normalize.visible import visible_counter

log = logging.getLogger(__name__)


def decode_text(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    if utf16 := bomless_utf16(data):
        return data.decode(utf16, errors="replace"), utf16
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is not None:
        return str(best), best.encoding
    return data.decode("utf-8", errors="replace"), "utf-8?"


def _is_cell_line(line: str) -> bool:
    """A Word-style cell line: one leading TAB and no other TAB."""
    return line.startswith("\t") and line.count("\t") == 1


def _is_row_line(line: str) -> bool:
    """A row-per-line table row: a TAB between cells (not the cell-per-line layout)."""
    return "\t" in line and not _is_cell_line(line)


def tab_cells(line: str, line_no: int) -> tuple[list[str], list[tuple[int, int, int] | None]]:
    """Cells of a TAB row and each cell's (line, start, end) in the source text."""
    cells: list[str] = []
    spans: list[tuple[int, int, int] | None] = []
    pos = 0
    for part in line.split("\t"):
        text = part.strip()
        start = pos + len(part) - len(part.lstrip())
        cells.append(text)
        spans.append((line_no, start, start + len(text)) if text else None)
        pos += len(part) + 1
    return cells, spans


def _read_cell_table(lines: list[str], start: int) -> tuple[list[list[str]], int]:
    """Parse a cell-per-line table from ``start``; return (rows, index after the table)."""
    rows: list[list[str]] = []
    cur: list[str] = []
    width = 0
    blank_before = False
    i = start
    while i < len(lines):
        line = lines[i]
        if _is_cell_line(line):
            if blank_before and cur and len(cur) >= width:
                rows.append(cur)
                width = max(width, len(cur))
                cur = []
            cur.append(line[1:])
            blank_before = False
        elif not line.strip():
            blank_before = True
            if cur:
                cur[-1] += "\n"
        elif _is_row_line(line):
            break
        else:
            row_complete = len(cur) >= max(width, 1)
            if blank_before and (row_complete or width == 0):
                break
            if cur:
                cur[-1] += "\n" + line
            blank_before = False
        i += 1
    if cur:
        rows.append(cur)
    return [[c.strip() for c in r] for r in rows], i


def _plain_blocks(lines: list[str], first_line: int, page: int) -> list[Block]:
    """Paragraphs, and the tables printed as text (pipe, aligned, one cell per line, one line)."""
    out: list[Block] = []
    for item in find_text_tables(lines):
        if isinstance(item, TextTable):
            spans = [[(s[0] + first_line, s[1], s[2]) if s else None for s in row] for row in item.spans]
            table = RawTable(rows=item.rows, page=page, cell_spans=spans, shape=item.shape, unplaced=item.unplaced,
                             suspects=item.suspects)
            out.append(Block("table", table=table, page=page, line=item.first_line + first_line))
        elif isinstance(item, str):
            out.append(Block.para(item, page=page))
        elif lines[item].strip():
            out.append(Block.para(lines[item].strip(), page=page, line=item + first_line))
    return out


def parse_text_blocks(text: str) -> list[Block]:
    """Split decoded text into paragraph and table blocks, in order, with page numbers.

    A form feed starts a new page; a table interrupted by a page break comes out as two
    table blocks (the extract layer merges continuations). Lines between the TAB tables go
    through :func:`toolkit.extract.text_grid.find_text_tables`.
    """
    blocks: list[Block] = []
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    line_no = 1
    for page, page_text in enumerate(text.split("\f"), start=1):
        if page > 1:
            blocks.append(Block("page_break", page=page))
        lines = page_text.split("\n")
        i = 0
        tsv_rows: list[list[str]] = []
        tsv_spans: list[list[tuple[int, int, int] | None]] = []
        plain_start = 0
        while i < len(lines):
            line = lines[i]
            if not (_is_cell_line(line) or _is_row_line(line)):
                i += 1
                continue
            if not tsv_rows:
                blocks.extend(_plain_blocks(lines[plain_start:i], line_no + plain_start, page))
            if _is_cell_line(line):
                rows, i = _read_cell_table(lines, i)
                if rows:
                    blocks.append(Block("table", table=RawTable(rows=rows, page=page), page=page))
                plain_start = i
                continue
            cells, spans = tab_cells(line, line_no + i)
            tsv_rows.append(cells)
            tsv_spans.append(spans)
            i += 1
            if i < len(lines) and _is_row_line(lines[i]):
                continue
            table = RawTable(rows=tsv_rows, page=page, cell_spans=tsv_spans, shape="tsv")
            blocks.append(Block("table", table=table, page=page, line=line_no + i - len(tsv_rows)))
            tsv_rows, tsv_spans = [], []
            plain_start = i
        blocks.extend(_plain_blocks(lines[plain_start:], line_no + plain_start, page))
        line_no += len(lines)
    return blocks


def _cut_wide_rows(blocks: list[Block]) -> list[tuple[int, int]]:
    """Cut table rows to ``MAX_CSV_COLUMNS`` cells (a line of thousands of TABs is damage, and every
    later step pads a table to its widest row); returns (line, cells) of each row cut."""
    cut: list[tuple[int, int]] = []
    for block in blocks:
        table = block.table
        if table is None or table.n_cols <= MAX_CSV_COLUMNS:
            continue
        for r, row in enumerate(table.rows):
            if len(row) <= MAX_CSV_COLUMNS:
                continue
            spans = table.cell_spans[r] if table.cell_spans and r < len(table.cell_spans) else None
            first = next((s for s in spans or [] if s), None)
            cut.append((first[0] if first else (block.line or 0), len(row)))
            table.rows[r] = row[:MAX_CSV_COLUMNS]
            if spans is not None:
                table.cell_spans[r] = spans[:MAX_CSV_COLUMNS]
    return cut


def load_text(data: bytes, path: str, limits: Limits) -> RawDocument:
    doc = RawDocument(path=path, format="txt")
    if not data.strip():
        doc.issues.append(LoadIssue("empty", "file is empty or whitespace only", "high", fatal=True))
        return doc
    text, encoding = decode_text(data)
    doc.meta["encoding"] = encoding
    if len(text) > limits.max_text_chars:
        doc.issues.append(
            LoadIssue(
                "too_large",
                f"text has {len(text):,} characters; only the first {limits.max_text_chars:,} were read",
                "medium",
            )
        )
        text = text[: limits.max_text_chars]
    bad = text.count("\ufffd")
    if bad > max(20, len(text) // 50):
        doc.issues.append(
            LoadIssue("encoding", f"{bad} undecodable characters (encoding guessed as {encoding})", "medium")
        )
    for page, page_text in enumerate(text.split("\f"), start=1):
        doc.visible_chars[page] = visible_counter(page_text)
    doc.blocks = parse_text_blocks(text)
    cut = _cut_wide_rows(doc.blocks)
    if cut:
        doc.issues.append(wide_rows_issue(cut, "of a table "))
    doc.pages = 1 + sum(1 for b in doc.blocks if b.kind == "page_break")
    return doc


# plain text takes what no other format claimed: it has no signature and no shape test
FORMATS = (Format("txt", "plain text", (".txt", ".text", ".md"), load_text, text=True),)
