"""The PDF loader's pdfium source against its pdfplumber fallback, and the stream-size cap.

The differential test reads every PDF shipped in ``datasets/realdocs`` with both sources (the
first ``SAMPLE_PAGES`` pages of each, to keep the suite fast; ``scripts/pdf_diff.py`` reads them
whole) and requires the same tables (cells equal ignoring whitespace) and paragraphs. The generated
cases cover what those files lack: a rotated page, ruling lines drawn inside a form
XObject, a filled white box, and a decompression bomb.
"""

from __future__ import annotations

import io
import zlib
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from toolkit.fuzz.hostile import one_page_pdf
from toolkit.loaders.pdf import load_pdf, read_text_layer
from toolkit.loaders.pdf_diff import compare_sources
from toolkit.loaders.pdf_streams import check_streams
from toolkit.model import Limits

REALDOCS = Path(__file__).resolve().parents[1] / "datasets" / "realdocs"
PDFS = sorted(REALDOCS.glob("*.pdf"))
SAMPLE_PAGES = 10  # every file has its first tables within its first ten pages


@pytest.mark.parametrize("path", PDFS, ids=[p.stem[:12] for p in PDFS])
def test_pdfium_reads_the_same_tables_and_paragraphs_as_pdfplumber(path: Path) -> None:
    diff = compare_sources(path.read_bytes(), path.name, Limits(max_pages=SAMPLE_PAGES))
    assert diff.tables > 0 and diff.paragraphs > 0
    assert diff.differences == []


def _tables(doc) -> list[list[list[str]]]:
    return [b.table.rows for b in doc.blocks if b.kind == "table"]


def _both(data: bytes) -> tuple:
    return (read_text_layer(data, "x.pdf", Limits(), source="pdfium"),
            read_text_layer(data, "x.pdf", Limits(), source="pdfplumber"))


def test_a_rotated_page_reads_the_same_with_both_sources() -> None:
    reader = PdfReader(io.BytesIO((REALDOCS / "江苏省人大常委会办公厅2019年部门预算公开表.pdf").read_bytes()))
    writer = PdfWriter()
    for k in (1, 2):
        writer.add_page(reader.pages[k])
    writer.pages[0].rotate(90)
    writer.pages[1].rotate(270)
    out = io.BytesIO()
    writer.write(out)
    new, old = _both(out.getvalue())
    assert new.pages == old.pages == 2
    assert _tables(new) == _tables(old) and len(_tables(new)) == 2
    assert [b.text for b in new.blocks if b.kind == "para"] == [b.text for b in old.blocks if b.kind == "para"]


def _canvas():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    return buf, canvas.Canvas(buf, pagesize=(595, 842))


ROWS = [("项目", "决算数"), ("基本工资", "10.00"), ("合计", "10.00")]


def test_ruling_lines_inside_a_form_xobject_make_a_table() -> None:
    buf, c = _canvas()
    c.beginForm("grid")
    c.grid([60, 200, 280], [700, 680, 660, 640])
    c.endForm()
    c.saveState()
    c.translate(0, -100)  # the form is placed 100 pt lower: its matrix must be applied
    c.doForm("grid")
    c.restoreState()
    c.setFont("STSong-Light", 10)
    for (a, b), y in zip(ROWS, [600, 580, 560], strict=True):
        c.drawString(65, y - 14, a)
        c.drawRightString(275, y - 14, b)
    c.drawString(60, 500, "单位：万元")
    c.save()
    new, old = _both(buf.getvalue())
    assert _tables(new) == _tables(old) == [[list(r) for r in ROWS]]


def test_a_white_box_behind_the_title_is_not_a_ruling_line() -> None:
    buf, c = _canvas()
    c.setFillColorRGB(1, 1, 1)
    c.rect(50, 720, 300, 40, stroke=0, fill=1)  # a spreadsheet export's white cell background
    c.setFillColorRGB(0, 0, 0)
    c.setFont("STSong-Light", 12)
    c.drawString(60, 735, "收入支出决算总表")
    c.grid([60, 200, 280], [700, 680, 660, 640])
    c.setFont("STSong-Light", 10)
    for (a, b), y in zip(ROWS, [700, 680, 660], strict=True):
        c.drawString(65, y - 14, a)
        c.drawRightString(275, y - 14, b)
    c.save()
    new, old = _both(buf.getvalue())
    assert _tables(new) == _tables(old) == [[list(r) for r in ROWS]]
    assert [b.text for b in new.blocks if b.kind == "para"] == ["收入支出决算总表"]


def _bomb(inflated: int) -> bytes:
    """A one-page PDF whose content stream is ``inflated`` bytes of spaces, Flate-compressed."""
    return one_page_pdf(zlib.compress(b" " * inflated, 9))


def test_a_stream_inflating_past_its_cap_is_refused_before_parsing() -> None:
    data = _bomb(4 * 1024 * 1024)  # 4 MB of spaces compress to a few KB
    assert len(data) < 20_000
    issue = check_streams(data, Limits(), stream_cap=1024 * 1024)
    assert issue is not None and issue.code == "zip_bomb" and issue.fatal
    assert check_streams(data, Limits(), stream_cap=8 * 1024 * 1024) is None


def test_a_file_whose_streams_inflate_past_the_file_limit_is_a_fatal_issue() -> None:
    data = _bomb(3 * 1024 * 1024)
    doc = load_pdf(data, "bomb.pdf", Limits(max_decompressed_bytes=2 * 1024 * 1024))
    assert doc.failed and [i.code for i in doc.issues] == ["zip_bomb"]
    assert "2 MB" in doc.issues[0].reason
    # under the limit the same file opens: a page with no text
    doc = read_text_layer(data, "bomb.pdf", Limits(max_decompressed_bytes=8 * 1024 * 1024))
    assert doc.pages == 1 and [i.code for i in doc.issues] == ["scanned", "scanned"]


def test_unknown_source_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown PDF source"):
        read_text_layer(_bomb(10), "x.pdf", Limits(), source="mupdf")
