"""Plain-text rendition, as PDF-to-text or Word-to-text converters print a document."""

from __future__ import annotations

from pathlib import Path

from toolkit.model import Block
from toolkit.render.layout import padded, page_label
from toolkit.render.text_tables import TEXT_SHAPES


def _one_line(text: str) -> str:
    # A TSV row cannot hold line breaks or tabs: converters print wrapped cell text with spaces.
    return " ".join(text.replace("\t", " ").split("\n")).strip()


def tsv_table(rows: list[list[str]]) -> str:
    return "\n".join("\t".join(_one_line(c) for c in row) for row in padded(rows))


def word_table(rows: list[list[str]]) -> str:
    """Word style: each cell on a line of its own starting with TAB, a blank line between rows.

    Continuation lines of a multi-line cell carry no TAB; a cell never ends with a blank line
    (that would read as the end of the row).
    """
    out_rows = []
    for row in padded(rows):
        cells = []
        for cell in row:
            lines = [ln.replace("\t", " ") for ln in cell.strip("\n").split("\n")]
            cells.append("\t" + "\n".join(lines))
        out_rows.append("\n".join(cells))
    return "\n\n".join(out_rows)


def render_txt(blocks: list[Block], options: frozenset[str]) -> str:
    word = "word" in options
    shape = next((TEXT_SHAPES[o] for o in sorted(options) if o in TEXT_SHAPES), None)
    pagenum = "pagenum" in options
    parts: list[str] = []
    page = 1
    for b in blocks:
        if b.kind == "page_break":
            parts.append(page_label(page) if pagenum else "\f")
            page += 1
        elif b.kind == "table" and b.table is not None:
            if shape is not None:
                parts.append(shape(b.table.rows))
                continue
            # Word-to-text leaves an extra blank line after a table: two blank lines end it.
            parts.append(word_table(b.table.rows) + "\n" if word else tsv_table(b.table.rows))
        elif b.kind == "para":
            parts.append(b.text)
    return "\n\n".join(parts) + "\n"


def write_txt(blocks: list[Block], path: Path, options: frozenset[str]) -> None:
    path.write_text(render_txt(blocks, options), encoding="utf-8")
