"""Hostile and broken inputs: every file ends up in the manifest with a status and a reason
naming its problem, the good files are read, and the run does not crash or hang.

All files are generated here (the 200 MB one is sparse: it costs no disk).
"""

from __future__ import annotations

import dataclasses
import io
import json
import random
import zipfile
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.loaders import load_bytes
from toolkit.loaders.safety import check_zip
from toolkit.loaders.sniff import sniff
from toolkit.model import Limits

SEEDS = Path(__file__).resolve().parents[1] / "datasets" / "seeds"
if not SEEDS.is_dir():
    SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"  # shared/ beside the checkout

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)
DOCUMENT_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>医疗保障局</w:t></w:r></w:p></w:body></w:document>"
)
BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n' for i in range(1, 10)
    )
    + ']>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
)
XXE_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE workbook [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheets><sheet name="&xxe;" sheetId="1"/></sheets></workbook>'
)
GBK_TEXT = (
    "某县医疗保障局2021年度部门整体支出绩效自评报告\n\n"
    "一、部门基本情况\n本局为县政府工作部门，2021年度收入合计1,234.56万元，支出合计1,200.00万元。\n"
    "二、绩效目标完成情况\n参保率达到95%以上，基金监管检查覆盖率100%。\n"
)


def _zip(members: dict[str, bytes | str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    return buf.getvalue()


def _pdf(pages: list[str] | None, *, shapes_only: bool = False) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for text in pages or ["", ""]:
        if shapes_only:  # what a scan looks like to a text extractor: marks, no text layer
            for k in range(20):
                c.rect(50 + 10 * k, 400 + 7 * k, 200, 12, fill=1)
        else:
            c.setFont("STSong-Light", 11)
            for k, line in enumerate(text.splitlines()):
                c.drawString(50, 800 - 16 * k, line)
        c.showPage()
    c.save()
    return buf.getvalue()


def _ole2(stream_names: list[str]) -> bytes:
    """An OLE2 compound-file header followed by directory entries naming the streams (UTF-16LE)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    entries = b"".join(name.encode("utf-16-le").ljust(128, b"\x00") for name in ["Root Entry", *stream_names])
    return header + entries + bytes(4096)


def _good_docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    for line in text.splitlines()[:40]:
        document.add_paragraph(line)
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate(
        [["项目", "预算数", "决算数"], ["基本支出", "100.00", "98.50"], ["合计", "100.00", "98.50"]]
    ):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


SEED_TEXT = sorted(SEEDS.glob("*.txt"))[0].read_text(encoding="utf-8")


def build_hostile_dir(root: Path) -> dict[str, tuple[set[str], tuple[str, ...]]]:
    """Write one file per case; return name -> (allowed statuses, words the reason must contain)."""
    cases: dict[str, tuple[set[str], tuple[str, ...]]] = {}

    def case(name: str, data: bytes, statuses: set[str], *words: str) -> None:
        (root / name).write_bytes(data)
        cases[name] = (statuses, words)

    case("empty.txt", b"", {"failed"}, "empty", "0 bytes")
    case(
        "garbage.xlsx", random.Random(7).randbytes(64 * 1024), {"failed"}, "unsupported_format", "binary data"
    )
    case("text_named.pdf", GBK_TEXT.encode("utf-8"), {"ok"}, "wrong_extension", ".pdf")
    good_pdf = _pdf(["某县医疗保障局2021年度部门决算\n一、收入支出决算总体情况\n收入合计1234.56万元"] * 4)
    case("truncated.pdf", good_pdf[: len(good_pdf) * 6 // 10], {"failed", "partial"}, "truncated")
    case("encrypted.pdf", _encrypted_pdf(good_pdf), {"failed"}, "encrypted")
    case("scanned.pdf", _pdf(None, shapes_only=True), {"failed"}, "scanned")
    case(
        "bomb.docx",
        _zip(
            {
                "[Content_Types].xml": CONTENT_TYPES,
                "word/document.xml": DOCUMENT_XML,
                "word/media/pad.bin": bytes(50 * 1024 * 1024),
            }
        ),
        {"failed"},
        "zip_bomb",
        "50.0 MB",
        "ratio",
    )
    case(
        "laughs.docx",
        _zip({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": BILLION_LAUGHS}),
        {"failed"},
        "hostile_xml",
        "DOCTYPE",
    )
    case(
        "xxe.xlsx",
        _zip({"[Content_Types].xml": CONTENT_TYPES, "xl/workbook.xml": XXE_WORKBOOK}),
        {"failed"},
        "hostile_xml",
        "xl/workbook.xml",
    )
    with (root / "huge.pdf").open("wb") as fh:  # sparse: 200 MB of nothing on disk
        fh.truncate(200 * 1024 * 1024)
    cases["huge.pdf"] = ({"failed"}, ("too_large", "200.0 MB", "100.0 MB"))
    case(
        "legacy.doc", _ole2(["WordDocument", "1Table"]), {"failed"}, "unsupported_format", "legacy Word .doc"
    )
    case("locked.xlsx", _ole2(["EncryptionInfo", "EncryptedPackage"]), {"failed"}, "encrypted", "password")
    good_docx = _good_docx(SEED_TEXT)
    case("cut.docx", good_docx[: len(good_docx) // 2], {"failed"}, "truncated")
    case("gbk.txt", GBK_TEXT.encode("gbk"), {"ok"})
    case("good_seed.txt", SEED_TEXT.encode("utf-8"), {"ok"})
    case("good.docx", good_docx, {"ok"})
    html = (
        "<html><head><meta charset='utf-8'></head><body><table><tr><td>项目</td><td>金额</td></tr>"
        "<tr><td>合计</td><td>1,234.56</td></tr></table></body></html>"
    )
    case("html_named.xls", html.encode("utf-8"), {"ok"}, "wrong_extension", "HTML")
    return cases


def _encrypted_pdf(pdf: bytes) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret-user", owner_password="secret-owner")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def test_hostile_files_through_the_cli(tmp_path: Path):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    cases = build_hostile_dir(inputs)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["ingest", str(inputs), "--out", str(out), "--workers", "2", "--no-progress"]
    )
    assert result.exit_code == 0, result.output + repr(result.exception)

    manifest = pl.read_csv(out / "manifest.csv", schema_overrides={"reason": pl.String})
    rows = {Path(r["path"]).name: r for r in manifest.to_dicts()}
    assert set(rows) == set(cases), set(cases) ^ set(rows)
    problems = []
    for name, (statuses, words) in cases.items():
        row = rows[name]
        reason = row["reason"] or ""
        if row["status"] not in statuses:
            problems.append(f"{name}: status {row['status']} not in {statuses} ({reason[:200]})")
        for word in words:
            if word.lower() not in reason.lower():
                problems.append(f"{name}: reason lacks {word!r}: {reason[:200]}")
    assert not problems, "\n".join(problems)
    # sniffed formats, not extensions
    assert rows["text_named.pdf"]["format"] == "txt"
    assert rows["html_named.xls"]["format"] == "html"
    assert rows["gbk.txt"]["format"] == "txt"
    # a refused file was never read: no hash, but its size is known
    assert rows["huge.pdf"]["sha256"] is None and rows["huge.pdf"]["size_bytes"] == 200 * 1024 * 1024
    # every problem is also a parse_issues row naming the file
    issues = pl.read_parquet(out / "frames" / "parse_issues.parquet")
    failed = {n for n, r in rows.items() if r["status"] == "failed"}
    assert failed <= {Path(p).name for p in issues["path"]}


# ---- the same rules, one function at a time (fast, no processes)


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"%PDF-1.7\n...", "a.pdf", "pdf"),
        (b"\xef\xbb\xbf<!DOCTYPE html><html></html>", "a.xls", "html"),
        ("  \n<table><tr><td>合计</td></tr></table>".encode("gb18030"), "a.xls", "html"),
        ("项目,预算数,决算数\n基本支出,1,2\n合计,1,2\n".encode("gb18030"), "a.dat", "csv"),
        ("项目,预算数\n合计,1\n其中,1\n".encode("utf-16"), "a.txt", "txt"),
        ("一、部门概况\n本局负责医疗保障工作。\n".encode("gb18030"), "a", "txt"),
        (b"\x89PNG\r\n\x1a\n" + bytes(64), "scan.pdf", "unknown"),
        (b"{\\rtf1\\ansi hello}", "a.doc", "unknown"),
    ],
)
def test_sniff_formats(data: bytes, name: str, expected: str):
    assert sniff(data, name).format == expected


def test_sniff_flags_wrong_extension_only_when_content_disagrees():
    assert [i.code for i in sniff(b"%PDF-1.4 x", "report.doc").issues] == ["wrong_extension"]
    assert sniff(b"%PDF-1.4 x", "report.PDF").issues == []
    assert sniff(b"a,b\n1,2\n3,4\n", "t.txt").issues == []  # csv vs txt: one family


def test_check_zip_limits_and_names():
    docx = {"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": DOCUMENT_XML}
    assert check_zip(_zip(docx), Limits()) == []
    # total declared size above a (low) limit
    padded = _zip({**docx, "word/media/a.bin": random.Random(1).randbytes(300_000)})
    (issue,) = check_zip(padded, Limits(max_decompressed_bytes=200_000))
    assert issue.code == "zip_bomb" and issue.fatal and "195.3 KB limit" in issue.reason
    (issue,) = check_zip(_zip({**docx, "../../etc/cron.d/x": "x"}), Limits())
    assert issue.code == "hostile_zip" and "path traversal" in issue.reason
    (issue,) = check_zip(_zip({**docx, "word/media/inner.zip": _zip({"a": "b"})}), Limits())
    assert issue.code == "zip_bomb" and "nested" in issue.reason
    # a chart's workbook embedded in a DOCX is a zip too, and legitimate
    assert (
        check_zip(
            _zip({**docx, "word/embeddings/Microsoft_Excel_Worksheet.xlsx": _zip({"a": "b"})}), Limits()
        )
        == []
    )


def test_load_bytes_never_raises_on_a_loader_bug(monkeypatch: pytest.MonkeyPatch):
    from toolkit.loaders import formats

    monkeypatch.delitem(formats.by_name(), "txt")  # a sniffed format nobody loads
    doc = load_bytes("医疗保障局".encode(), "a.txt", Limits())
    assert doc.failed and doc.issues[-1].code == "unsupported_format"
    monkeypatch.undo()
    txt = formats.by_name()["txt"]
    monkeypatch.setitem(formats.by_name(), "txt", dataclasses.replace(txt, load=json.loads))  # raises: wrong signature
    doc = load_bytes("医疗保障局".encode(), "a.txt", Limits())
    assert doc.failed and doc.issues[-1].code == "unreadable" and "TypeError" in doc.issues[-1].reason
