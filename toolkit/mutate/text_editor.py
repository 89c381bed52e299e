"""Edit TXT, CSV and HTML sources as text, in their own encoding; every other byte is kept.

HTML is split into text runs between tags, so an anchor is matched in what the page shows and
a row or table removal takes its enclosing ``<tr>``/``<table>`` with it.
"""

from __future__ import annotations

import re

from toolkit.mutate.edits import DeleteRow, DeleteTable, Edit, EditError, Replace, replacements
from toolkit.mutate.spans import compact, locate_all, rewrite_many

_TAG = re.compile(r"<[^>]*>|<!--.*?-->", re.S)


def decode(data: bytes, fmt: str) -> tuple[str, str]:
    if fmt == "txt":
        from toolkit.loaders.text import decode_text

        text, enc = decode_text(data)
        return text, enc.rstrip("?")
    from toolkit.loaders.html import _META_CHARSET, detect_encoding

    declared = None
    if fmt == "html":
        m = _META_CHARSET.search(data[:4096])
        declared = m.group(1).decode("ascii", "ignore") if m else None
    enc = detect_encoding(data, declared)
    text = data.decode(enc)
    if enc == "utf-8-sig":
        text = text.lstrip("\ufeff")
    return text, enc


def encode(text: str, enc: str) -> bytes:
    try:
        return text.encode(enc)
    except UnicodeEncodeError as exc:
        raise EditError(f"the new text cannot be written in the file's encoding {enc}: {exc}") from exc


def _split_html(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    """Text runs between tags and their (start, end) spans in ``text``."""
    pieces, spans, pos = [], [], 0
    for m in _TAG.finditer(text):
        pieces.append(text[pos:m.start()])
        spans.append((pos, m.start()))
        pos = m.end()
    pieces.append(text[pos:])
    spans.append((pos, len(text)))
    return pieces, spans


def _join_html(text: str, pieces: list[str], spans: list[tuple[int, int]]) -> str:
    out, pos = [], 0
    for piece, (a, b) in zip(pieces, spans, strict=True):
        out.append(text[pos:a])
        out.append(piece)
        pos = b
    out.append(text[pos:])
    return "".join(out)


def _replace(text: str, reps: list[Replace], fmt: str) -> str:
    if fmt == "html":
        pieces, spans = _split_html(text)
        return _join_html(text, rewrite_many(pieces, locate_all(pieces, reps)), spans)
    return rewrite_many([text], locate_all([text], reps))[0]


def _cells_pattern(cells: tuple[str, ...], gap: str) -> re.Pattern[str]:
    parts = [r"\s*".join(re.escape(ch) for ch in compact(c)) for c in cells if compact(c)]
    if not parts:
        raise EditError("row has no text")
    return re.compile(gap.join(parts), re.S)


def _unique(pattern: re.Pattern[str], text: str, what: str) -> re.Match[str]:
    found = list(pattern.finditer(text))
    if len(found) != 1:
        raise EditError(f"{what} found {len(found)} times")
    return found[0]


def _line_span(text: str, a: int, b: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, a) + 1
    end = text.find("\n", b)
    return start, (len(text) if end < 0 else end + 1)


def _enclosing(text: str, a: int, b: int, tag: str) -> tuple[int, int]:
    start = max(text.lower().rfind(f"<{tag}>", 0, a), text.lower().rfind(f"<{tag} ", 0, a))
    end = text.lower().find(f"</{tag}>", b)
    if start < 0 or end < 0:
        raise EditError(f"no enclosing <{tag}>")
    return start, end + len(tag) + 3


def _delete_row(text: str, edit: DeleteRow, fmt: str) -> str:
    if fmt == "html":
        pat = _cells_pattern(edit.cells, r"(?:\s|<[^>]*>)*")
        m = _unique(pat, text, "row")
        a, b = _enclosing(text, m.start(), m.end(), "tr")
    else:
        pat = _cells_pattern(edit.cells, r"[^\n]*?" if fmt == "csv" else r"[\s\S]{0,40}?")
        m = _unique(pat, text, "row")
        a, b = _line_span(text, m.start(), m.end())
    return text[:a] + text[b:]


def _delete_table(text: str, edit: DeleteTable, fmt: str) -> str:
    title = _unique(_cells_pattern((edit.title,), ""), text, "table title")
    last = _cells_pattern(edit.last_row, r"(?:\s|<[^>]*>)*" if fmt == "html" else r"[\s\S]{0,40}?")
    m = last.search(text, title.end())
    if m is None:
        raise EditError("last row of the table not found after its title")
    a = _line_span(text, title.start(), title.end())[0] if fmt != "html" else title.start()
    b = _enclosing(text, m.start(), m.end(), "table")[1] if fmt == "html" else _line_span(text, m.start(), m.end())[1]
    return text[:a] + text[b:]


def apply_text_edits(data: bytes, fmt: str, edits: list[Edit]) -> bytes:
    """The source with ``edits`` applied (raises EditError when one cannot be placed)."""
    text, enc = decode(data, fmt)
    for edit in edits:
        reps = replacements(edit)
        if reps:
            text = _replace(text, reps, fmt)
        elif isinstance(edit, DeleteRow):
            text = _delete_row(text, edit, fmt)
        elif isinstance(edit, DeleteTable):
            text = _delete_table(text, edit, fmt)
    return encode(text, enc)
