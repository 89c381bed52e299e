"""Recognise a file's real format from its bytes, not its name.

Government sites serve HTML tables named ``.xls``, PDFs named ``.doc`` and GBK text
named ``.pdf``. :func:`sniff` looks at magic numbers and content and returns the
format to parse with; when the extension says something else, it adds an info
:class:`~toolkit.model.LoadIssue` ``wrong_extension`` and the content wins.

Formats returned: those the loaders declare (:mod:`toolkit.loaders.formats`: their magic
bytes, container members, text signatures and extensions are all this module knows of them)
and ``unknown`` (with a fatal issue that names what the content is: legacy Word ``.doc``, an
image, an archive, binary data ...). Zip containers are only *listed* here (central
directory, no decompression); decompression limits are :mod:`toolkit.loaders.safety`'s job.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

from toolkit.loaders.formats import OLE2_MAGIC, ZIP_MAGICS, formats, plain_text_formats
from toolkit.model import LoadIssue

# Extensions of formats no loader reads, so that a mislabelled file is named: extension -> what it promises.
# The extensions of the formats we read are declared by their loaders.
_UNREAD_EXTENSIONS: dict[str, str] = {
    ".doc": "doc",
    ".wps": "doc",  # WPS writer, OLE2 like .doc
}

# How many bytes of a text file the text test decodes (enough to judge, cheap on big files).
TEXT_SAMPLE_BYTES = 256 * 1024
# Share of control characters above which decoded "text" is really binary data.
MAX_CONTROL_SHARE = 0.01
MAX_REPLACEMENT_SHARE = 0.005

# Magic numbers of formats we recognise but do not parse: (prefix, description).
_UNSUPPORTED_MAGIC: list[tuple[bytes, str]] = [
    (b"{\\rtf", "RTF document"),
    (b"\x89PNG\r\n\x1a\n", "PNG image (a scan: OCR is not supported)"),
    (b"\xff\xd8\xff", "JPEG image (a scan: OCR is not supported)"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"II*\x00", "TIFF image (a scan: OCR is not supported)"),
    (b"MM\x00*", "TIFF image (a scan: OCR is not supported)"),
    (b"\x1f\x8b", "gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"AT&TFORM", "DjVu document"),
    (b"%!PS", "PostScript document"),
]

@dataclass(slots=True)
class Sniffed:
    format: str  # the name of a declared Format, or "unknown"
    description: str  # what the content is, in words (for reasons and logs)
    encoding: str | None = None  # text formats: the encoding that decoded cleanly
    issues: list[LoadIssue] = field(default_factory=list)


def _unsupported(description: str, hint: str = "") -> Sniffed:
    reason = f"unsupported format: {description}" + (f"; {hint}" if hint else "")
    return Sniffed(
        "unknown", description, issues=[LoadIssue("unsupported_format", reason, severity="high", fatal=True)]
    )


def _zip_kind(data: bytes) -> Sniffed:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        return Sniffed(
            "unknown",
            "damaged zip container",
            issues=[
                LoadIssue(
                    "truncated",
                    f"zip container (DOCX/XLSX) is damaged or truncated: {exc}",
                    severity="high",
                    fatal=True,
                )
            ],
        )
    for fmt in formats():
        if fmt.container == "zip" and any(m in names for m in fmt.members):
            return Sniffed(fmt.name, fmt.description)
    if "xl/workbook.bin" in names:
        return _unsupported("Excel binary workbook (XLSB)", "save it as .xlsx")
    if any(n.startswith("ppt/") for n in names):
        return _unsupported("PowerPoint presentation (PPTX)")
    if "content.xml" in names and "mimetype" in names:
        return _unsupported("OpenDocument file (ODT/ODS)", "save it as .docx or .xlsx")
    if any(n.startswith("word/") for n in names):
        return Sniffed(
            "unknown",
            "damaged DOCX",
            issues=[LoadIssue("unreadable", "DOCX without word/document.xml", severity="high", fatal=True)],
        )
    return _unsupported(f"zip archive ({len(names)} members) that is not a DOCX or XLSX")


def _ole2_kind(data: bytes) -> Sniffed:
    """Tell apart the OLE2 compound files by their stream names (stored UTF-16LE in the directory)."""

    def has(name: str) -> bool:
        return name.encode("utf-16-le") in data

    if has("EncryptedPackage") or has("EncryptionInfo"):
        return Sniffed(
            "unknown",
            "password-protected Office file",
            issues=[
                LoadIssue(
                    "encrypted",
                    "password-protected (encrypted) Office document: the content cannot be read without the password",
                    severity="high",
                    fatal=True,
                )
            ],
        )
    # WordDocument first: a .doc with an embedded spreadsheet also holds a "Workbook" stream.
    if has("WordDocument"):
        return _unsupported("legacy Word .doc (OLE2 binary)", "save it as .docx or PDF and load that")
    for fmt in formats():
        if fmt.container == "ole2" and any(has(m) for m in fmt.members):
            return Sniffed(fmt.name, fmt.description)
    if has("PowerPoint Document"):
        return _unsupported("legacy PowerPoint .ppt")
    return _unsupported("OLE2 compound file that is neither .xls nor .doc")


# UTF-16 without a BOM (Windows "Unicode" text saved by some tools): every ASCII character --
# digits, newlines, spaces -- leaves a NUL byte on one side of its pair and never on the other.
UTF16_SAMPLE_BYTES = 8192
MIN_UTF16_NUL_SHARE = 0.02  # of the pairs: a page of Chinese with a digit or newline every 50 characters
UTF16_SIDE_RATIO = 4  # NULs on the ASCII side at least this many times those on the other


def bomless_utf16(data: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` when ``data`` (no BOM) is UTF-16 text by its NUL pattern, else None.

    Judged on the first bytes: NULs mostly on one side of the byte pairs, and a strict decode with
    no control characters other than whitespace. Binary data has NULs on both sides.
    """
    sample = data[: UTF16_SAMPLE_BYTES & ~1]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even_nuls, odd_nuls = sample[0::2].count(0), sample[1::2].count(0)
    for encoding, high, low in (("utf-16-le", odd_nuls, even_nuls), ("utf-16-be", even_nuls, odd_nuls)):
        # a few NULs on the other side are characters U+xx00 (一 is U+4E00): far fewer than ASCII's
        if high >= max(2, MIN_UTF16_NUL_SHARE * pairs) and low * UTF16_SIDE_RATIO <= high:
            try:
                text = codecs.getincrementaldecoder(encoding)("strict").decode(sample, final=False)
            except UnicodeDecodeError:
                return None
            if "\x00" not in text and _control_share(text) <= MAX_CONTROL_SHARE:
                return encoding
    return None


def _decode_sample(sample: bytes) -> tuple[str, str] | None:
    """Decode the start of a file as text; None if no encoding reads it cleanly."""
    if sample.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    elif utf16 := bomless_utf16(sample):
        candidates = [utf16]
    else:
        candidates = ["utf-8", "gb18030"]
    for enc in candidates:
        try:
            # final=False: the sample may end inside a multi-byte character.
            text = codecs.getincrementaldecoder(enc)("strict").decode(sample, final=False)
            return text, enc
        except UnicodeDecodeError:
            continue
    # Tolerate a few bad bytes (a damaged character) but not binary data.
    for enc in candidates:
        text = codecs.getincrementaldecoder(enc)("replace").decode(sample, final=False)
        if text and text.count("\ufffd") / len(text) <= MAX_REPLACEMENT_SHARE:
            return text, enc
    return None


# C0/C1 control characters other than the whitespace ones (\t \n \v \f \r) and DOS EOF (\x1a).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f\x7f-\x9f]")


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    return len(_CONTROL.findall(text)) / len(text)


def _text_kind(data: bytes, ext_format: str | None) -> Sniffed:
    decoded = _decode_sample(data[:TEXT_SAMPLE_BYTES])
    if decoded is None or "\x00" in decoded[0] or _control_share(decoded[0]) > MAX_CONTROL_SHARE:
        head = data[:8].hex(" ")
        return _unsupported(f"binary data of no recognised document format (first bytes {head})")
    text, enc = decoded
    if not text.strip():
        return Sniffed(
            "unknown",
            "blank text",
            encoding=enc,
            issues=[LoadIssue("empty", "file holds only whitespace", severity="high", fatal=True)],
        )
    head = text.lstrip("\ufeff \t\r\n").encode("utf-8", errors="ignore")[:4096]
    for fmt in formats():
        if fmt.text and fmt.signature is not None and fmt.signature.match(head):
            return Sniffed(fmt.name, fmt.description, encoding=enc)
    if head.startswith(b"<?xml"):
        if b"Excel.Sheet" in head or b"office:spreadsheet" in head:
            return _unsupported("Excel 2003 XML spreadsheet", "save it as .xlsx")
        if b"Word.Document" in head:
            return _unsupported("Word 2003 XML document", "save it as .docx")
        return _unsupported("XML data file")
    if head.startswith(b"MIME-Version:") or b"multipart/related" in head[:1024]:
        return _unsupported("MHTML web archive (.mht)", "save it as .docx or HTML")
    # Plain text (.csv vs .txt): trust the extension; judge by shape otherwise (the last one is the rest).
    plain = plain_text_formats()
    fmt = next((f for f in plain if f.name == ext_format), None)
    if fmt is None:
        fmt = next((f for f in plain if f.looks_like is None or f.looks_like(text)), plain[-1])
    return Sniffed(fmt.name, fmt.description, encoding=enc)


def extension_formats() -> dict[str, str]:
    """Extension -> the format it promises. Extensions not listed promise nothing."""
    declared = {ext: f.name for f in formats() for ext in f.extensions}
    return {**declared, **_UNREAD_EXTENSIONS}


def extension_format(path: str) -> str | None:
    return extension_formats().get(PurePath(path).suffix.lower())


def _same_family(a: str, b: str) -> bool:
    """Plain-text formats (CSV, text) may be promised for one another without being wrong."""
    plain = {f.name for f in plain_text_formats()}
    return a == b or (a in plain and b in plain)


def sniff(data: bytes, path: str = "") -> Sniffed:
    """Detect the format of ``data`` (the whole file) read from ``path``."""
    ext_format = extension_format(path)
    head = data[:1024]
    if not data:
        result = Sniffed(
            "unknown",
            "empty file",
            issues=[LoadIssue("empty", "file is empty (0 bytes)", severity="high", fatal=True)],
        )
    elif magic := next((f for f in formats() if any(m in head for m in f.magic)), None):
        result = Sniffed(magic.name, magic.description)  # searched, not prefixed: junk may come first
    elif data.startswith(ZIP_MAGICS):
        result = _zip_kind(data)
    elif data.startswith(OLE2_MAGIC):
        result = _ole2_kind(data)
    else:
        for magic, description in _UNSUPPORTED_MAGIC:
            if data.startswith(magic):
                result = _unsupported(description)
                break
        else:
            result = _text_kind(data, ext_format)

    if ext_format and result.format != "unknown" and not _same_family(ext_format, result.format):
        suffix = PurePath(path).suffix
        result.issues.append(
            LoadIssue(
                "wrong_extension",
                f"extension {suffix} says {ext_format} but the content is {result.description}; read as {result.format}",
                severity="info",
            )
        )
    return result
