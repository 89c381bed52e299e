"""Refuse a PDF whose compressed streams expand past a limit, before any PDF library expands them.

Neither pdfium nor pdfminer caps what a Flate stream decompresses to: a 3 MB file whose
content stream expands to 3 GB takes gigabytes of memory inside the C library, where no
signal reaches it. So the loader first walks the file's bytes for Flate-encoded streams and
inflates each in bounded chunks (the output is counted and thrown away; memory stays at one
chunk), stopping as soon as one stream passes :data:`toolkit.settings.PDF_MAX_STREAM_BYTES`
or all of them together pass ``Limits.max_decompressed_bytes``.

Image streams are not counted: text extraction never decodes them (only OCR renders a
page, one at a time), and a scanned file's images legitimately add up to gigabytes.
Streams of an encrypted file cannot be inflated without the key and are not counted either
(a known gap: the worker's memory limit is the guard there).
"""

from __future__ import annotations

import re
import zlib

from toolkit import settings
from toolkit.model import Limits, LoadIssue

_STREAM = re.compile(rb"(?<=[>\s])stream\r?\n")
_DICT_WINDOW = 4096  # bytes before ``stream`` searched for the stream's dictionary
_IN_CHUNK = 64 * 1024
_OUT_CHUNK = 1024 * 1024
_FLATE = re.compile(rb"/(?:FlateDecode|Fl)\b")
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:,.0f} MB" if n >= 1024 * 1024 else f"{n / 1024:,.1f} KB"


def _inflated_size(data: bytes, start: int, cap: int) -> int:
    """Bytes the Flate stream at ``start`` inflates to, counting stopped just past ``cap``."""
    d = zlib.decompressobj()
    total = 0
    pos = start
    pending = b""
    try:
        while total <= cap and not d.eof:
            if not pending:
                if pos >= len(data):
                    break
                pending = data[pos:pos + _IN_CHUNK]
                pos += _IN_CHUNK
            total += len(d.decompress(pending, _OUT_CHUNK))
            pending = d.unconsumed_tail
    except zlib.error:
        pass  # encrypted, damaged or not Flate after all: what inflated so far counts
    return total


def check_streams(data: bytes, limits: Limits, stream_cap: int | None = None) -> LoadIssue | None:
    """A fatal ``zip_bomb`` issue (a decompression bomb, as for zip containers) when the file's Flate streams inflate past the limits, else None."""
    stream_cap = settings.PDF_MAX_STREAM_BYTES if stream_cap is None else stream_cap
    file_cap = limits.max_decompressed_bytes
    total = 0
    for m in _STREAM.finditer(data):
        head = data[max(0, m.start() - _DICT_WINDOW):m.start()]
        obj_at = head.rfind(b" obj")
        if obj_at >= 0:
            head = head[obj_at:]
        if not _FLATE.search(head) or _IMAGE.search(head):
            continue
        size = _inflated_size(data, m.end(), min(stream_cap, file_cap - total))
        total += size
        if size > stream_cap:
            return LoadIssue("zip_bomb", f"a compressed stream at byte {m.end():,} expands past {_mb(stream_cap)} "
                             f"(the file is {_mb(len(data))}); refused before reading", severity="high", fatal=True)
        if total > file_cap:
            return LoadIssue("zip_bomb", f"the file's compressed streams expand past {_mb(file_cap)} "
                             f"(the file is {_mb(len(data))}); refused before reading", severity="high", fatal=True)
    return None
