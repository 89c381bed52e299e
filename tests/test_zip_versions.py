"""A zip whose central directory asks for a newer zip version than Python reads (``zipfile``
raises NotImplementedError, not BadZipFile) is a damaged file, never a crash."""

from __future__ import annotations

import io
import struct
import zipfile

from toolkit.loaders import load_bytes
from toolkit.model import Limits


def _docx_needing_version(version: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    data = bytearray(buf.getvalue())
    at = data.find(b"PK\x01\x02")  # first central-directory entry: "version needed" at offset 6
    data[at + 6: at + 8] = struct.pack("<H", version)
    return bytes(data)


def test_a_zip_needing_an_unknown_version_is_reported_not_raised():
    doc = load_bytes(_docx_needing_version(206), "case.docx", Limits())  # "zip file version 20.6"
    assert doc.failed
    assert any(i.fatal and i.code == "truncated" and "20.6" in i.reason for i in doc.issues)
