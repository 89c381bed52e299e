"""Checks that run before any parser touches an untrusted file.

* :func:`check_size` refuses a file from its size on disk, before reading it.
* :func:`check_zip` inspects a DOCX/XLSX container from its central directory and the
  first bytes of each XML part: member count, total declared uncompressed size,
  per-member compression ratio (zip bomb), encrypted members, path-traversal names,
  nested archives, and ``<!DOCTYPE``/``<!ENTITY`` declarations (billion laughs, XXE).

A DOCTYPE is never legitimate here: the Open Packaging Conventions (ECMA-376 Part 2)
forbid DTD declarations in package parts, so rejecting them costs no real document.

Declared sizes can lie, but Python's :mod:`zipfile` (used by python-docx and openpyxl)
never returns more than the declared size of a member and fails the CRC check when
the stream holds more, so a lying header turns into a read error, not a bomb.

Every problem is a fatal :class:`~toolkit.model.LoadIssue` whose reason names the
problem and the numbers.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from pathlib import PurePosixPath

from toolkit.model import Limits, LoadIssue

MAX_ZIP_MEMBERS = 10_000  # a large real XLSX has a few hundred parts
# Ratios are only judged above this size: tiny XML parts of repeated markup compress very well.
RATIO_MIN_BYTES = 1024 * 1024
# XML prolog bytes scanned per part; DOCTYPE/ENTITY may only appear before the root element.
PROLOG_SCAN_BYTES = 64 * 1024
# Where Office keeps embedded objects (a chart's workbook inside a DOCX is itself a zip).
# Our parsers never open these, so they are counted in the size limits but not rejected.
EMBEDDING_DIRS = ("word/embeddings/", "xl/embeddings/", "ppt/embeddings/")
NESTED_ARCHIVE_SUFFIXES = (".zip", ".docx", ".xlsx", ".xlsm", ".pptx", ".jar", ".7z", ".rar", ".gz")
XML_SUFFIXES = (".xml", ".rels", ".vml")

_DECLARATION = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_ROOT_START = re.compile(rb"<[A-Za-z_]")


def _fatal(code: str, reason: str) -> LoadIssue:
    return LoadIssue(code, reason, severity="high", fatal=True)


def _mb(n: float) -> str:
    """A size people read at a glance: KB below a megabyte (a bomb's few KB must not print as 0.0 MB)."""
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


def check_size(size_bytes: int, limits: Limits) -> LoadIssue | None:
    if size_bytes > limits.max_file_bytes:
        return _fatal(
            "too_large",
            f"file is {_mb(size_bytes)}, above the {_mb(limits.max_file_bytes)} limit; not read "
            "(raise --max-file-mb to read it)",
        )
    if size_bytes == 0:
        return _fatal("empty", "file is empty (0 bytes)")
    return None


def _unsafe_name(name: str) -> bool:
    p = PurePosixPath(name.replace("\\", "/"))
    return p.is_absolute() or ".." in p.parts or bool(re.match(r"^[A-Za-z]:", name))


def _scan_prolog(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> str | None:
    """Return a problem description when the part's prolog declares a DOCTYPE or ENTITY."""
    with zf.open(info) as fh:
        head = fh.read(PROLOG_SCAN_BYTES)
    root = _ROOT_START.search(head)
    prolog = head[: root.start()] if root else head
    m = _DECLARATION.search(prolog)
    if m:
        return f"{info.filename} declares <!{m.group(1).decode().upper()}> (entity expansion / XXE risk)"
    if root is None and len(head) == PROLOG_SCAN_BYTES:
        return f"{info.filename} has no root element in its first {PROLOG_SCAN_BYTES} bytes"
    return None


def check_zip(data: bytes, limits: Limits) -> list[LoadIssue]:
    """Fatal issues of a zip-based document (DOCX/XLSX); empty when it is safe to parse."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        return [_fatal("truncated", f"zip container is damaged or truncated: {exc}")]
    with zf:
        infos = zf.infolist()
        max_members = getattr(limits, "max_zip_members", MAX_ZIP_MEMBERS)  # a Limits field, if it gets one
        if len(infos) > max_members:
            return [
                _fatal(
                    "zip_bomb",
                    f"zip container has {len(infos)} members, above the limit of {max_members}",
                )
            ]
        total = sum(i.file_size for i in infos)
        if total > limits.max_decompressed_bytes:
            return [
                _fatal(
                    "zip_bomb",
                    f"zip container declares {_mb(total)} uncompressed from {_mb(len(data))} on disk, "
                    f"above the {_mb(limits.max_decompressed_bytes)} limit (zip bomb)",
                )
            ]
        for info in infos:
            name = info.filename
            if _unsafe_name(name):
                return [
                    _fatal("hostile_zip", f"zip member name {name!r} escapes the container (path traversal)")
                ]
            if info.flag_bits & 0x1:
                return [_fatal("encrypted", f"zip member {name} is encrypted (password-protected)")]
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size >= RATIO_MIN_BYTES and ratio > limits.max_compression_ratio:
                return [
                    _fatal(
                        "zip_bomb",
                        f"zip member {name} expands {_mb(info.compress_size)} to {_mb(info.file_size)} "
                        f"(ratio {ratio:,.0f}:1, limit {limits.max_compression_ratio:,.0f}:1; zip bomb)",
                    )
                ]
            lower = name.lower()
            if lower.endswith(NESTED_ARCHIVE_SUFFIXES) and not lower.startswith(EMBEDDING_DIRS):
                return [_fatal("zip_bomb", f"zip member {name} is itself an archive (nested zip)")]
        for info in infos:
            if not info.filename.lower().endswith(XML_SUFFIXES) or info.is_dir():
                continue
            try:
                problem = _scan_prolog(zf, info)
            except (
                zipfile.BadZipFile,
                zlib.error,
                OSError,
                ValueError,
                EOFError,
                NotImplementedError,
            ) as exc:
                return [_fatal("truncated", f"zip member {info.filename} cannot be decompressed: {exc}")]
            if problem:
                return [_fatal("hostile_xml", f"refused XML: {problem}")]
    return []


# ---- PDF streams: what they expand to, counted without keeping it

_STREAM_START = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")
STREAM_DICT_LOOKBACK = 4096  # bytes before ``stream`` searched for its dictionary
INFLATE_CHUNK = 1024 * 1024  # output produced (and thrown away) per step


def _inflated_size(data: bytes, start: int, budget: int) -> int:
    """Bytes the Flate stream at ``start`` expands to, counting stopped once above ``budget``.

    A damaged stream counts what decompressed before the damage (the parser will find the rest).
    """
    inflater = zlib.decompressobj()
    total = 0
    pos = start
    while pos < len(data) and total <= budget and not inflater.eof:
        piece = data[pos : pos + INFLATE_CHUNK]
        pos += len(piece)
        try:
            out = inflater.decompress(piece, INFLATE_CHUNK)
            total += len(out)
            # past the end of the stream zlib keeps the rest as unconsumed_tail and returns nothing
            while inflater.unconsumed_tail and total <= budget and not inflater.eof and out:
                out = inflater.decompress(inflater.unconsumed_tail, INFLATE_CHUNK)
                total += len(out)
        except zlib.error:
            break
        if inflater.unconsumed_tail:  # stopped for the budget, or at the end of the stream
            break
    return total


def check_pdf_streams(data: bytes, limits: Limits) -> list[LoadIssue]:
    """Fatal issue when the PDF's Flate streams (content, fonts, object streams; images are not
    decoded to extract text, so not counted) expand to more than ``limits.max_decompressed_bytes``.

    Counted chunk by chunk and thrown away, so checking a 3 GB bomb costs at most the limit's
    worth of CPU and one chunk of memory -- the parser would otherwise hold all of it at once.
    """
    limit = limits.max_decompressed_bytes
    total = 0
    for match in _STREAM_START.finditer(data):
        head = data[max(0, match.start() - STREAM_DICT_LOOKBACK) : match.start()]
        obj_at = head.rfind(b" obj")
        dictionary = head[obj_at:] if obj_at >= 0 else head
        if b"FlateDecode" not in dictionary and b"/Fl " not in dictionary and b"/Fl/" not in dictionary:
            continue
        if b"/Image" in dictionary:
            continue
        total += _inflated_size(data, match.end(), limit - total)
        if total > limit:
            return [
                _fatal(
                    "pdf_bomb",
                    f"PDF streams expand to more than {_mb(limit)} from {_mb(len(data))} on disk, above the "
                    f"max_decompressed_bytes limit of {_mb(limit)} (decompression bomb); not parsed",
                )
            ]
    return []


# ---- PDF cross-reference tables that point at the wrong bytes

_STARTXREF = re.compile(rb"startxref\s+(\d+)")
_XREF_ENTRY = re.compile(rb"(\d{10}) (\d{5}) n")
_OBJ_AT = re.compile(rb"\s*\d+\s+\d+\s+obj")
XREF_ENTRIES_CHECKED = 200


def pdf_xref_repaired(data: bytes) -> bytes | None:
    """The PDF with its cross-reference pointer disabled when its xref table points elsewhere, else None.

    A file edited by a tool that did not rewrite the offsets (or cut and re-joined) keeps an xref
    table whose entries do not land on ``N G obj``: a parser that trusts it finds no pages and calls
    the file empty. Pointing ``startxref`` past the end makes the parser rebuild the table by
    scanning for objects, which is what a viewer does.
    """
    pointers = list(_STARTXREF.finditer(data))
    if not pointers:
        return None
    last = pointers[-1]
    offset = int(last.group(1))
    if not data[offset : offset + 4] == b"xref":
        return None  # an xref stream, or a pointer the parser already rejects (and then scans)
    table = data[offset : last.start()]
    entries = [int(m.group(1)) for m in _XREF_ENTRY.finditer(table, 0)][:XREF_ENTRIES_CHECKED]
    if not entries:
        return None
    landing = sum(1 for at in entries if _OBJ_AT.match(data, at))
    if landing * 2 >= len(entries):
        return None
    return data[: last.start(1)] + str(len(data) + 1).encode().rjust(len(last.group(1)), b"0") + data[last.end(1) :]
