"""A PDF font's code -> Unicode map, from its ToUnicode CMap (or the byte itself for a simple font).

Only what the mutation harness needs: decode the string operands of text-showing operators into
per-glyph code units, and encode a replacement using glyph codes the font already has.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_HEX = re.compile(rb"<([0-9A-Fa-f\s]*)>")
_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)
_CODESPACE = re.compile(rb"begincodespacerange\s*<([0-9A-Fa-f]+)>", re.S)
_UNMAPPED = "\ue000"  # a glyph we cannot read (or that reads as several characters)


def _utf16(hexbytes: bytes) -> str:
    raw = bytes.fromhex(hexbytes.decode("ascii").replace(" ", "").replace("\n", ""))
    try:
        return raw.decode("utf-16-be")
    except UnicodeDecodeError:
        return _UNMAPPED


@dataclass(slots=True)
class FontMap:
    width: int  # bytes per code
    to_text: dict[bytes, str] = field(default_factory=dict)
    simple: bool = False  # no ToUnicode in a simple font: ASCII bytes read as themselves

    def decode(self, data: bytes) -> list[tuple[bytes, str]]:
        units = [data[i:i + self.width] for i in range(0, len(data), self.width)]
        out = []
        for u in units:
            text = self.to_text.get(u)
            if text is None and self.simple and len(u) == 1 and 0x20 <= u[0] < 0x7F:
                text = chr(u[0])
            out.append((u, text if text is not None and len(text) == 1 else _UNMAPPED))
        return out

    def encode(self, text: str) -> bytes | None:
        """Codes for ``text`` using only glyphs this font already maps; None when one is missing."""
        reverse: dict[str, bytes] = {}
        for code, ch in self.to_text.items():
            reverse.setdefault(ch, code)
        out = []
        for ch in text:
            code = reverse.get(ch)
            if code is None and self.simple and 0x20 <= ord(ch) < 0x7F and bytes([ord(ch)]) not in self.to_text:
                code = bytes([ord(ch)])
            if code is None:
                return None
            out.append(code)
        return b"".join(out)


def parse_cmap(data: bytes, width: int) -> dict[bytes, str]:
    out: dict[bytes, str] = {}
    for block in _BFCHAR.findall(data):
        vals = _HEX.findall(block)
        for src, dst in zip(vals[0::2], vals[1::2], strict=False):
            out[bytes.fromhex(src.decode().replace(" ", "")).rjust(width, b"\0")[-width:]] = _utf16(dst)
    for block in _BFRANGE.findall(data):
        # <lo> <hi> <dst> or <lo> <hi> [<d0> <d1> ...]
        for m in re.finditer(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])", block):
            lo, hi = int(m.group(1), 16), int(m.group(2), 16)
            if hi - lo > 65535 or hi < lo:
                continue
            dst = m.group(3)
            if dst.startswith(b"["):
                items = _HEX.findall(dst)
                for i, d in enumerate(items[: hi - lo + 1]):
                    out[(lo + i).to_bytes(width, "big")] = _utf16(d)
            else:
                base = bytes.fromhex(dst[1:-1].decode())
                if len(base) < 2:
                    continue
                start = int.from_bytes(base[-2:], "big")
                prefix = base[:-2]
                for i in range(hi - lo + 1):
                    try:
                        text = (prefix + (start + i).to_bytes(2, "big")).decode("utf-16-be")
                    except (UnicodeDecodeError, OverflowError):
                        text = _UNMAPPED
                    out[(lo + i).to_bytes(width, "big")] = text
    return out


def font_map(font: dict) -> FontMap | None:
    """The map of a resolved PDF font dictionary; None when its codes cannot be read back."""
    subtype = str(font.get("/Subtype", ""))
    composite = subtype == "/Type0"
    width = 2 if composite else 1
    if composite and str(font.get("/Encoding", "")) not in ("/Identity-H", "/Identity-V"):
        return None
    tu = font.get("/ToUnicode")
    if tu is not None:
        try:
            data = tu.get_object().get_data()
        except Exception:  # noqa: BLE001 - a broken CMap means we cannot map this font
            return None
        m = _CODESPACE.search(data)
        if m:
            width = max(1, len(m.group(1)) // 2)
        return FontMap(width, parse_cmap(data, width), simple=not composite and not _has_differences(font))
    if composite:
        return None
    if _has_differences(font):
        return None
    return FontMap(1, {}, simple=True)


def _has_differences(font: dict) -> bool:
    enc = font.get("/Encoding")
    try:
        enc = enc.get_object() if enc is not None else None
    except Exception:  # noqa: BLE001
        return True
    return isinstance(enc, dict) and "/Differences" in enc
