"""PDF rendition with reportlab: text PDF whose Chinese text extracts back as Unicode.

The font is Adobe's built-in CID font ``STSong-Light`` (referenced, not embedded, with
the UniGB-UCS2-H encoding), so no font file is needed and pdfplumber maps every glyph
back to its Unicode character. Tables are drawn with full ruling lines so lattice table
extraction finds every cell; a table longer than a page continues on the next page
with its header rows repeated, as published 决算 PDFs do.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from toolkit.model import Block
from toolkit.render.layout import header_row_count, padded

FONT = "STSong-Light"
BODY_SIZE = 10.5
TITLE_SIZE = 14.0
TABLE_SIZE = 8.0
MIN_TABLE_SIZE = 5.0
CELL_PAD = 3.0  # points left and right inside a cell
MARGIN = 18 * mm

# A table title (收入支出决算总表, 项目支出绩效自评表 ...) is printed centred and larger, as in print.
_TABLE_TITLE = re.compile(r"^[^。；;，,：:]{2,40}表[)）]?$")
# ASCII runs (numbers, codes, Latin words) must not be broken inside; CJK breaks anywhere.
_TOKEN = re.compile(r"[\x21-\x7e]+|\s+|.", re.S)


@lru_cache(maxsize=1)
def _register_font() -> str:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


@lru_cache(maxsize=65536)
def _width(text: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, FONT, size)


def _min_width(text: str, size: float) -> float:
    """Width of the widest unbreakable piece of ``text``."""
    return max((_width(t, size) for t in _TOKEN.findall(text) if not t.isspace()), default=0.0)


def wrap(text: str, width: float, size: float) -> str:
    """Greedy line wrapping of one cell to ``width`` points (existing line breaks are kept)."""
    out_lines: list[str] = []
    for line in text.split("\n"):
        current, current_w = "", 0.0
        for tok in _TOKEN.findall(line):
            w = _width(tok, size)
            if current and current_w + w > width and not tok.isspace():
                out_lines.append(current.rstrip())
                current, current_w = "", 0.0
            if not current and tok.isspace():
                continue
            current += tok
            current_w += w
        out_lines.append(current.rstrip())
    return "\n".join(out_lines)


def column_widths(grid: list[list[str]], avail: float, size: float) -> list[float] | None:
    """Column widths that fit ``avail``: natural widths if they fit, else shrink wrappable columns.

    ``None`` when even the unbreakable pieces do not fit (caller shrinks the font).
    """
    n = max(len(r) for r in grid)
    natural = [
        2 * CELL_PAD + max((_width(ln, size) for r in grid for ln in r[c].split("\n")), default=0)
        for c in range(n)
    ]
    minimum = [2 * CELL_PAD + max((_min_width(r[c], size) for r in grid), default=0) for c in range(n)]
    natural = [max(w, 2 * CELL_PAD + size) for w in natural]
    minimum = [max(w, 2 * CELL_PAD + size) for w in minimum]
    if sum(natural) <= avail:
        return natural
    if sum(minimum) > avail:
        return None
    slack = avail - sum(minimum)
    stretch = [nat - mn for nat, mn in zip(natural, minimum, strict=True)]
    total = sum(stretch) or 1.0
    return [mn + slack * s / total for mn, s in zip(minimum, stretch, strict=True)]


def _table_flowable(rows: list[list[str]], avail: float) -> Table:
    grid = padded(rows)
    size = TABLE_SIZE
    widths = column_widths(grid, avail, size)
    while widths is None and size > MIN_TABLE_SIZE:
        size -= 0.5
        widths = column_widths(grid, avail, size)
    if widths is None:  # still too wide: let the table overflow rather than fail
        widths = [avail / max(len(r) for r in grid)] * max(len(r) for r in grid)
    data = [[wrap(cell, w - 2 * CELL_PAD, size) for cell, w in zip(row, widths, strict=True)] for row in grid]
    table = Table(data, colWidths=widths, repeatRows=header_row_count(grid), splitByRow=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("FONTSIZE", (0, 0), (-1, -1), size),
                ("LEADING", (0, 0), (-1, -1), size * 1.25),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
                ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    return table


def _needs_landscape(blocks: list[Block], portrait_avail: float) -> bool:
    for b in blocks:
        if b.kind == "table" and b.table is not None and b.table.rows:
            if column_widths(padded(b.table.rows), portrait_avail, TABLE_SIZE) is None:
                return True
    return False


def write_pdf(blocks: list[Block], path: Path, options: frozenset[str]) -> None:
    _register_font()
    pagesize = A4
    if "landscape" in options or _needs_landscape(blocks, A4[0] - 2 * MARGIN):
        pagesize = landscape(A4)
    avail = pagesize[0] - 2 * MARGIN
    # Official documents indent each paragraph by two characters and space paragraphs apart;
    # both are what tells a PDF reader where one paragraph ends and the next (a title) begins.
    body = ParagraphStyle(
        "body",
        fontName=FONT,
        fontSize=BODY_SIZE,
        leading=BODY_SIZE * 1.5,
        wordWrap="CJK",
        firstLineIndent=2 * BODY_SIZE,
        spaceAfter=BODY_SIZE,
    )
    title = ParagraphStyle(
        "title",
        fontName=FONT,
        fontSize=TITLE_SIZE,
        leading=TITLE_SIZE * 1.5,
        alignment=TA_CENTER,
        wordWrap="CJK",
        spaceBefore=BODY_SIZE / 2,
        spaceAfter=BODY_SIZE / 2,
    )
    story: list = []
    for b in blocks:
        if b.kind == "para":
            text = escape(b.text).replace("\n", "<br/>")
            style = title if _TABLE_TITLE.match(b.text.strip()) else body
            story.append(Paragraph(text, style) if text.strip() else Spacer(1, BODY_SIZE))
        elif b.kind == "page_break":
            story.append(PageBreak())
        elif b.kind == "table" and b.table is not None and b.table.rows:
            story.append(_table_flowable(b.table.rows, avail))
            story.append(Spacer(1, 4))
    doc = SimpleDocTemplate(
        str(path),
        pagesize=pagesize,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
    )
    doc.build(story or [Spacer(1, 1)])
