"""Formats are declared by their loaders; sniffing and dispatch read only those declarations."""

from __future__ import annotations

import io
import zipfile

from toolkit.loaders.formats import by_name, formats, plain_text_formats
from toolkit.loaders.sniff import extension_format, sniff


def _zip(members: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, text in members.items():
            zf.writestr(name, text)
    return buf.getvalue()


def test_every_loader_module_declares_its_formats_once():
    names = [f.name for f in formats()]
    assert len(names) == len(set(names))
    assert {"csv", "docx", "html", "pdf", "txt", "xls", "xlsx"} <= set(names)
    extensions = [e for f in formats() for e in f.extensions]
    assert len(extensions) == len(set(extensions)), "two formats claim one extension"
    assert all(e.startswith(".") and e == e.lower() for e in extensions)
    for f in formats():
        recognisable = f.magic or f.container or f.text
        assert recognisable, f"{f.name}: no way to recognise it from its bytes"
        assert callable(f.load)


def test_extensions_come_from_the_declarations():
    assert extension_format("a.XLSM") == "xlsx"
    assert extension_format("b.et") == "xls"
    assert extension_format("c.doc") == "doc"  # named so that a mislabelled file says what it claims
    assert extension_format("d.unknown") is None


def test_recognition_order_is_fixed_where_two_formats_could_claim_a_file():
    both = _zip({"word/document.xml": "<w/>", "xl/workbook.xml": "<x/>"})
    assert sniff(both, "x.zip").format == "docx"
    assert [f.name for f in plain_text_formats()][-1] == "txt"  # the format without a shape test takes the rest


def test_sniffed_descriptions_are_the_declared_ones():
    pdf = sniff(b"junk%PDF-1.7\n...", "a.bin")
    assert (pdf.format, pdf.description) == ("pdf", by_name()["pdf"].description)
    csv = sniff("科目,金额\n201,1.00\n202,2.00\n203,3.00\n".encode(), "table.dat")
    assert csv.format == "csv"
    wrong = sniff("科目,金额\n201,1.00\n202,2.00\n".encode(), "table.pdf")
    assert [i.code for i in wrong.issues] == ["wrong_extension"]
