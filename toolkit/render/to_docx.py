"""Word (.docx) rendition with python-docx; tables are real Word tables with ruling lines.

Tables are written as WordprocessingML directly: python-docx's cell-by-cell API is
quadratic in the table size and far too slow for a corpus generator.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.sax.saxutils import escape

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from toolkit.model import Block
from toolkit.render.layout import header_row_count, padded

_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_PAGE_WIDTH_TWIPS = 9000  # A4 text width with Word's default margins, roughly
_BORDERS = "".join(
    f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    for side in ("top", "left", "bottom", "right", "insideH", "insideV")
)


def xml_text(text: str) -> str:
    return escape(_XML_ILLEGAL.sub("", text))


def _cell_xml(text: str, width: int, span: int) -> str:
    props = f'<w:tcW w:w="{width * span}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    paras = "".join(
        f'<w:p><w:r><w:t xml:space="preserve">{xml_text(line)}</w:t></w:r></w:p>' if line else "<w:p/>"
        for line in (text.split("\n") or [""])
    )
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{paras}</w:tc>"


def _spans(row: list[str], merge: bool) -> list[tuple[str, int]]:
    """(text, columns spanned) for one row; merging joins a cell with the empty cells to its right."""
    if not merge:
        return [(c, 1) for c in row]
    out: list[tuple[str, int]] = []
    for cell in row:
        if out and out[-1][0] and (cell == "" or cell == out[-1][0]):
            out[-1] = (out[-1][0], out[-1][1] + 1)
        else:
            out.append((cell, 1))
    return out


def table_xml(rows: list[list[str]], merge_header: bool) -> str:
    grid = padded(rows)
    n_cols = max(1, max((len(r) for r in grid), default=1))
    width = max(400, _PAGE_WIDTH_TWIPS // n_cols)
    n_header = header_row_count(grid)
    body = []
    for i, row in enumerate(grid):
        is_header = i < n_header
        tr_pr = "<w:trPr><w:tblHeader/></w:trPr>" if is_header else ""
        cells = "".join(_cell_xml(t, width, span) for t, span in _spans(row, merge_header and is_header))
        body.append(f"<w:tr>{tr_pr}{cells}</w:tr>")
    grid_cols = "".join(f'<w:gridCol w:w="{width}"/>' for _ in range(n_cols))
    return (
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="TableGrid"/>'
        f'<w:tblW w:w="0" w:type="auto"/><w:tblBorders>{_BORDERS}</w:tblBorders>'
        f'<w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>{grid_cols}</w:tblGrid>{"".join(body)}</w:tbl>'
    )


def write_docx(blocks: list[Block], path: Path, options: frozenset[str]) -> None:
    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = "宋体"
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")
    body = document.element.body
    sect_pr = body.find(qn("w:sectPr"))
    merge = "merged" in options
    for b in blocks:
        if b.kind == "para":
            document.add_paragraph(_XML_ILLEGAL.sub("", b.text))
        elif b.kind == "page_break":
            document.add_page_break()
        elif b.kind == "table" and b.table is not None and b.table.rows:
            tbl = parse_xml(table_xml(b.table.rows, merge))
            if sect_pr is not None:
                sect_pr.addprevious(tbl)
            else:
                body.append(tbl)
    document.save(str(path))
