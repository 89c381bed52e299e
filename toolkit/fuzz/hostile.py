"""A hostile corpus: one directory entry per way an input can go wrong, and what the manifest must say.

:func:`build_hostile_corpus` writes them under a folder and returns, per entry, the statuses allowed
and the words its manifest reason must contain. It covers damaged and hostile files (zip and
PDF-stream bombs, billion laughs, XXE, encrypted, truncated, 200 MB sparse, scanned, mislabelled),
encodings (GBK, UTF-16 without BOM), file names that are not UTF-8 or that start like a spreadsheet
formula, and directory entries that are not plain files (hidden, Office lock files, FIFOs, links
that loop, dangle, lead out of the folder or back into it, a directory that cannot be listed).

:func:`hostile_table` ingests such a corpus in a child process and counts: entries given, entries in
the manifest, entries whose row is as expected, crashes, hangs and the peak RSS of a worker.
"""

from __future__ import annotations

import io
import os
import random
import struct
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

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
PDF_LINES = "某县医疗保障局2021年度部门决算\n一、收入支出决算总体情况\n收入合计1234.56万元"
# A text outside the corpus that a followed link would pull in; its words must never reach the frames.
OUTSIDE_SECRET = "OUTSIDE-SECRET 某县医疗保障局 收入合计 999.99万元 13812345678\n"


@dataclass(slots=True, frozen=True)
class Expect:
    statuses: frozenset[str]
    words: tuple[str, ...] = ()  # the manifest reason must contain each (case-insensitive)


def zip_bytes(members: dict[str, bytes | str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    return buf.getvalue()


def pdf_bytes(pages: list[str] | None, *, shapes_only: bool = False) -> bytes:
    """A small PDF with a CJK text layer (``shapes_only``: marks but no text, what a scan looks like)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for text in pages or ["", ""]:
        if shapes_only:
            for k in range(20):
                c.rect(50 + 10 * k, 400 + 7 * k, 200, 12, fill=1)
        else:
            c.setFont("STSong-Light", 11)
            for k, line in enumerate(text.splitlines()):
                c.drawString(50, 800 - 16 * k, line)
        c.showPage()
    c.save()
    return buf.getvalue()


def encrypted_pdf(pdf: bytes) -> bytes | None:
    """``pdf`` password-protected, or None without pypdf (a test dependency)."""
    try:
        from pypdf import PdfReader, PdfWriter
    except ImportError:
        return None
    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret-user", owner_password="secret-owner")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def broken_xref_pdf(pdf: bytes) -> bytes:
    """``pdf`` with every cross-reference offset zeroed (an editor that did not rewrite them)."""
    import re

    return re.sub(rb"\d{10}( \d{5} n)", lambda m: b"0000000000" + m.group(1), pdf)


def one_page_pdf(flate_stream: bytes) -> bytes:
    """A minimal one-page PDF whose content stream is ``flate_stream`` (already Flate-compressed)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(flate_stream) + flate_stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % at for at in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def stream_bomb_pdf(expanded_bytes: int) -> bytes:
    """A one-page PDF whose content stream inflates to ``expanded_bytes`` (a few MB on disk per GB).

    Built from one compressed 16 MB block repeated: after a full flush, deflate blocks do not refer
    back, so the repetition is a valid stream; the Adler-32 at the end is computed for the whole.
    """
    chunk = b"0 0 m\n" * (16 * 1024 * 1024 // 6)
    compressor = zlib.compressobj(9)
    first = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    n = max(1, expanded_bytes // len(chunk))
    adler = 1
    for _ in range(n):
        adler = zlib.adler32(chunk, adler)
    stream = first + block * (n - 1) + b"\x03\x00" + struct.pack(">I", adler)
    return one_page_pdf(stream)


def ole2_bytes(stream_names: list[str]) -> bytes:
    """An OLE2 compound-file header followed by directory entries naming the streams (UTF-16LE)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    entries = b"".join(name.encode("utf-16-le").ljust(128, b"\x00") for name in ["Root Entry", *stream_names])
    return header + entries + bytes(4096)


def good_docx(text: str) -> bytes:
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


GBK_NAME = "医保局2021年决算".encode("gbk") + b".txt"  # what unzipping a Windows archive on Linux leaves
FORMULA_NAMES = ('=HYPERLINK("example.invalid")&"".txt', "+cmd.txt", "-2+3.txt", "@SUM(A1).txt")


def build_hostile_corpus(
    root: Path, seed_text: str, *, bomb_bytes: int = 400 * 1024 * 1024, outside: Path | None = None
) -> dict[str, Expect]:
    """Write one entry per case under ``root``; return ``relative shown path -> Expect``.

    ``seed_text`` is a real document's text (the good files); ``bomb_bytes`` is what the PDF stream
    bomb inflates to (above the default 300 MB cap); ``outside`` is a folder outside ``root`` for
    the file a link points out to (default: a new temporary folder).
    """
    root.mkdir(parents=True, exist_ok=True)
    cases: dict[str, Expect] = {}

    def expect(rel: str, statuses: set[str], *words: str) -> None:
        cases[rel] = Expect(frozenset(statuses), words)

    def case(rel: str, data: bytes, statuses: set[str], *words: str) -> None:
        (root / rel).write_bytes(data)
        expect(rel, statuses, *words)

    def text(name: str, encoding: str = "utf-8") -> bytes:
        """The GBK test text, made unique by its case name (same bytes would be listed as duplicates)."""
        return (GBK_TEXT + f"（{name}）\n").encode(encoding)

    # ---- damaged and hostile files (the cases that already held)
    case("empty.txt", b"", {"failed"}, "empty", "0 bytes")
    case("garbage.xlsx", random.Random(7).randbytes(64 * 1024), {"failed"}, "unsupported_format", "binary data")
    case("text_named.pdf", text("text_named"), {"ok"}, "wrong_extension", ".pdf")
    good_pdf = pdf_bytes([PDF_LINES] * 4)
    case("truncated.pdf", good_pdf[: len(good_pdf) * 6 // 10], {"failed", "partial"}, "truncated")
    if (locked_pdf := encrypted_pdf(good_pdf)) is not None:
        case("encrypted.pdf", locked_pdf, {"failed"}, "encrypted")
    case("scanned.pdf", pdf_bytes(None, shapes_only=True), {"failed"}, "scanned")
    bomb = {"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": DOCUMENT_XML,
            "word/media/pad.bin": bytes(50 * 1024 * 1024)}
    case("bomb.docx", zip_bytes(bomb), {"failed"}, "zip_bomb", "50.0 MB", "ratio")
    case("laughs.docx", zip_bytes({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": BILLION_LAUGHS}),
         {"failed"}, "hostile_xml", "DOCTYPE")
    case("xxe.xlsx", zip_bytes({"[Content_Types].xml": CONTENT_TYPES, "xl/workbook.xml": XXE_WORKBOOK}),
         {"failed"}, "hostile_xml", "xl/workbook.xml")
    with (root / "huge.pdf").open("wb") as fh:  # sparse: 200 MB of nothing on disk
        fh.truncate(200 * 1024 * 1024)
    expect("huge.pdf", {"failed"}, "too_large", "200.0 MB", "100.0 MB")
    case("legacy.doc", ole2_bytes(["WordDocument", "1Table"]), {"failed"}, "unsupported_format", "legacy Word .doc")
    case("locked.xlsx", ole2_bytes(["EncryptionInfo", "EncryptedPackage"]), {"failed"}, "encrypted", "password")
    docx_bytes = good_docx(seed_text)
    case("cut.docx", docx_bytes[: len(docx_bytes) // 2], {"failed"}, "truncated")
    case("gbk.txt", text("gbk", "gbk"), {"ok"})
    case("good_seed.txt", seed_text.encode("utf-8"), {"ok"})
    case("good.docx", docx_bytes, {"ok"})
    html = ("<html><head><meta charset='utf-8'></head><body><table><tr><td>项目</td><td>金额</td></tr>"
            "<tr><td>合计</td><td>1,234.56</td></tr></table></body></html>")
    case("html_named.xls", html.encode("utf-8"), {"ok"}, "wrong_extension", "HTML")

    # ---- the cases that did not hold
    case("stream_bomb.pdf", stream_bomb_pdf(bomb_bytes), {"failed"}, "pdf_bomb", "max_decompressed_bytes")
    case("utf16le_nobom.txt", seed_text.encode("utf-16-le"), {"ok"})
    case("broken_xref.pdf", broken_xref_pdf(good_pdf), {"ok"}, "repaired")
    gbk_path = os.fsencode(root) + b"/" + GBK_NAME
    with open(gbk_path, "wb") as fh:
        fh.write(text("gbk name", "gbk"))
    expect("".join(chr(b) if b < 0x80 else f"\\x{b:02x}" for b in GBK_NAME), {"ok"})
    for name in FORMULA_NAMES:
        case(name, text(name), {"ok"})
    case(".hidden.txt", b"x", {"skipped"}, "hidden")
    (root / ".hiddendir").mkdir()
    (root / ".hiddendir" / "inside.txt").write_bytes(text("hidden dir"))
    expect(".hiddendir", {"skipped"}, "hidden")
    case("~$lock.docx", b"\x00" * 162, {"skipped"}, "lock file")
    os.symlink("loop.txt", root / "loop.txt")
    expect("loop.txt", {"failed"}, "loop")
    os.symlink("missing-target.txt", root / "dangling.txt")
    expect("dangling.txt", {"failed"}, "dangling")
    if outside is None:
        outside = Path(tempfile.mkdtemp(prefix="outside-"))
    (outside / "secret.txt").write_text(OUTSIDE_SECRET, encoding="utf-8")
    os.symlink(outside / "secret.txt", root / "to_outside.txt")
    expect("to_outside.txt", {"skipped"}, "outside the input folders")
    os.symlink("/dev/null", root / "to_devnull.txt")
    expect("to_devnull.txt", {"skipped"}, "outside the input folders")
    os.mkfifo(root / "pipe.txt")
    expect("pipe.txt", {"skipped"}, "named pipe")
    os.symlink("good_seed.txt", root / "same_as_good.txt")
    expect("same_as_good.txt", {"skipped"}, "same file as")
    (root / "sub").mkdir()
    (root / "sub" / "nested.txt").write_bytes(text("nested", "gbk"))
    expect("sub/nested.txt", {"ok"})
    os.symlink("..", root / "sub" / "back_to_root")
    expect("sub/back_to_root", {"skipped"}, "already walked")
    locked = root / "unreadable"
    locked.mkdir()
    (locked / "inside.txt").write_bytes(text("unreadable dir"))
    locked.chmod(0)
    if os.access(locked, os.R_OK):  # root reads it all the same: then its file is read
        expect("unreadable/inside.txt", {"ok"})
    else:
        expect("unreadable", {"failed"}, "cannot be listed")
    return cases


def restore_permissions(root: Path) -> None:
    """Make the corpus removable again (the unreadable folder)."""
    locked = root / "unreadable"
    if locked.exists():
        locked.chmod(0o755)


def manifest_rows(root: Path, manifest_rows: list[dict]) -> dict[str, dict]:
    """Manifest rows by path relative to ``root`` (as shown: escaped where not valid text)."""
    from toolkit.inputs import printable

    prefix = printable(root).rstrip("/") + "/"
    return {row["path"][len(prefix):] if row["path"].startswith(prefix) else row["path"]: row for row in manifest_rows}


def problems(cases: dict[str, Expect], rows: dict[str, dict]) -> list[str]:
    """Each way the manifest differs from what the cases expect (empty: as expected)."""
    found = []
    for rel, want in cases.items():
        row = rows.get(rel)
        if row is None:
            found.append(f"{rel}: not in the manifest")
            continue
        reason = row.get("reason") or ""
        if row["status"] not in want.statuses:
            found.append(f"{rel}: status {row['status']} not in {sorted(want.statuses)} ({reason[:200]})")
        found += [f"{rel}: reason lacks {w!r}: {reason[:200]}" for w in want.words if w.lower() not in reason.lower()]
    found += [f"{rel}: in the manifest but not a case" for rel in rows if rel not in cases]
    return found


def hostile_table(work: Path, seed_text: str, *, bomb_bytes: int = 3 * 1024**3, workers: int = 2) -> dict:
    """Build the corpus under ``work``, ingest it in a child process, and count what came out."""
    from toolkit.fuzz.runner import probe
    from toolkit.store import RunDir

    corpus = work / "corpus"
    cases = build_hostile_corpus(corpus, seed_text, bomb_bytes=bomb_bytes, outside=work)
    try:
        run = probe([corpus], work / "out", workers=workers, timeout_s=900.0, file_timeout_s=None)
    finally:
        restore_permissions(corpus)
    manifest = RunDir(work / "out").read_manifest() if RunDir(work / "out").manifest_path.exists() else None
    rows = manifest_rows(corpus, manifest.to_dicts()) if manifest is not None else {}
    issues = problems(cases, rows)
    reasons = [r.get("reason") or "" for r in rows.values()]
    return {
        "entries_given": len(cases),
        "in_manifest": sum(1 for rel in cases if rel in rows),
        "as_expected": len(cases) - len({p.split(":")[0] for p in issues if not p.endswith("not a case")}),
        "crashes": int(bool(run.get("error")) and not run.get("timed_out"))
        + sum(r.startswith("worker_crash") for r in reasons),
        "hangs": int(bool(run.get("timed_out"))) + sum("worker killed" in r for r in reasons),
        "peak_worker_rss_mb": round(run["peak_worker_rss_kb"] / 1024, 1) if "peak_worker_rss_kb" in run else None,
        "run_seconds": run.get("seconds"),
        "bomb_expands_to_mb": round(bomb_bytes / 1024 / 1024),
        "problems": issues,
        "rows": {rel: {k: row.get(k) for k in ("status", "reason", "seconds")} for rel, row in rows.items()},
    }
