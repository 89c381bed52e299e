"""Edit a PDF where the text is drawn: the string operands of the page's text-showing operators.

Each operand is decoded into glyph codes through its font's ToUnicode CMap (``pdf_cmap``); a
replacement is written with glyph codes the font already has, char by char when the lengths
agree, so every glyph keeps its position. A table removal drops the pages the table fills.
What cannot be placed raises :class:`EditError` and the caller re-renders instead.
"""

from __future__ import annotations

import io
import logging

from toolkit.mutate.edits import DeleteRow, DeleteTable, Edit, EditError, Replace, replacements
from toolkit.mutate.pdf_cmap import FontMap, font_map
from toolkit.mutate.spans import Hit, locate, locate_all

log = logging.getLogger(__name__)

_SHOW = {b"Tj", b"'", b'"', b"TJ"}


class _Page:
    """A page's content stream with its text operands decoded into code units."""

    def __init__(self, writer, page) -> None:
        from pypdf.generic import ContentStream

        self.page = page
        self.content = ContentStream(page.get_contents(), writer)
        resources = page.get("/Resources")
        resources = resources.get_object() if resources is not None else {}
        fonts = resources.get("/Font")
        self.fonts = fonts.get_object() if fonts is not None else {}
        self.maps: dict[str, FontMap | None] = {}
        self.units: list[list[tuple[bytes, str]]] = []  # per string operand
        self.slots: list[tuple[int, int | None, FontMap]] = []  # (operation index, array index, font)
        self._read()

    def _map(self, name: str) -> FontMap | None:
        if name not in self.maps:
            font = self.fonts.get(name)
            self.maps[name] = font_map(font.get_object()) if font is not None else None
        return self.maps[name]

    def _read(self) -> None:
        current: FontMap | None = None
        for i, (operands, op) in enumerate(self.content.operations):
            if op == b"Tf" and operands:
                current = self._map(str(operands[0]))
            elif op in _SHOW and operands:
                if op == b"TJ":
                    for j, item in enumerate(operands[0]):
                        if isinstance(item, (bytes, str)):
                            self._add(i, j, item, current)
                else:
                    self._add(i, None, operands[-1], current)
            elif op == b"ET":
                self.units.append([(b"", "\n")])
                self.slots.append((-1, None, FontMap(1)))

    def _add(self, i: int, j: int | None, s: object, fm: FontMap | None) -> None:
        raw = s.original_bytes if hasattr(s, "original_bytes") else bytes(s)
        if fm is None:
            units = [(b"", "\ue000")]
        else:
            units = fm.decode(raw)
        self.units.append(units)
        self.slots.append((i, j, fm if fm is not None else FontMap(1)))

    def pieces(self) -> list[str]:
        return ["".join(t for _, t in u) for u in self.units]

    def set_chars(self, hit: Hit, new: str, *, dry: bool = False) -> None:
        """Write ``new`` over the located glyphs (char by char when the lengths agree); with
        ``dry`` only check that the font has every glyph needed."""
        chars = list(hit.chars)
        if len(new) == len(chars):
            plan = [(pos, ch) for pos, ch in zip(chars, new, strict=True)]
        else:
            plan = [(chars[0], new)] + [(pos, "") for pos in chars[1:]]
        for (pi, ci), text in plan:
            if self.units[pi][ci][1] == text:
                continue
            fm = self.slots[pi][2]
            code = fm.encode(text)
            if code is None:
                raise EditError(f"the font has no glyph for {text!r}")
            if not dry:
                self.units[pi][ci] = (code, text)
        if not dry:
            self._write_back({pi for (pi, _), _ in plan})

    def _write_back(self, touched: set[int]) -> None:
        from pypdf.generic import ArrayObject, ByteStringObject

        for pi in touched:
            i, j, _ = self.slots[pi]
            data = ByteStringObject(b"".join(code for code, _ in self.units[pi]))
            operands, op = self.content.operations[i]
            if j is None:
                operands[-1] = data
            else:
                arr = ArrayObject(operands[0])
                arr[j] = data
                operands[0] = arr
            self.content.operations[i] = (operands, op)

    def save(self) -> None:
        self.page.replace_contents(self.content)


def _replace(page: _Page, reps: list[Replace]) -> None:
    for hit, new in locate_all(page.pieces(), reps, across_pieces=False):
        page.set_chars(hit, new)


def _delete_row(page: _Page, edit: DeleteRow) -> None:
    hits = []
    for cell in edit.cells:
        hits.append(locate(page.pieces(), cell, cell, 0, numeric=cell[:1].isdigit(), across_pieces=False))
    for hit in hits:
        page.set_chars(hit, "")


def _precheck(reader, edits: list[Edit], cache: dict) -> None:
    """Locate every replacement on a page read once per document (cheap) before the whole file is
    cloned for writing (costly): most candidates that fail, fail here."""
    for edit in edits:
        reps = replacements(edit)
        if not reps:
            continue
        page_no = reps[0].page
        if page_no is None or not 1 <= page_no <= len(reader.pages):
            raise EditError("the edit has no page in the file")
        key = ("page", page_no)
        if key not in cache:
            try:
                cache[key] = _Page(reader, reader.pages[page_no - 1])
            except Exception as exc:  # noqa: BLE001 - a content stream pypdf cannot parse
                cache[key] = exc
        page = cache[key]
        if isinstance(page, Exception):
            raise EditError(f"cannot parse page {page_no}: {type(page).__name__}")
        for hit, new in locate_all(page.pieces(), reps, across_pieces=False):
            page.set_chars(hit, new, dry=True)


def apply_pdf_edits(data: bytes, edits: list[Edit], cache: dict | None = None) -> bytes:
    """``cache`` (one dict per source document) keeps the parsed reader and pages between candidates."""
    from pypdf import PdfReader, PdfWriter

    cache = {} if cache is None else cache
    try:
        if "reader" not in cache:
            cache["reader"] = PdfReader(io.BytesIO(data))
        reader = cache["reader"]
        if reader.is_encrypted:
            raise EditError("encrypted PDF")
        _precheck(reader, edits, cache)
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    except EditError:
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf cannot rewrite this file
        raise EditError(f"pypdf cannot open the PDF: {type(exc).__name__}: {exc}") from exc
    pages: dict[int, _Page] = {}
    drop: set[int] = set()
    try:
        for edit in edits:
            if isinstance(edit, DeleteTable):
                if not edit.pages:
                    raise EditError("the table's pages are not known")
                drop.update(p - 1 for p in edit.pages)
                continue
            reps = replacements(edit)
            page_no = reps[0].page if reps else edit.page
            if page_no is None or (reps and any(r.page != page_no for r in reps)):
                raise EditError("the edit has no single page")
            index = page_no - 1
            if not 0 <= index < len(writer.pages):
                raise EditError(f"page {edit.page} out of range")
            if index not in pages:
                pages[index] = _Page(writer, writer.pages[index])
            if reps:
                _replace(pages[index], reps)
            elif isinstance(edit, DeleteRow):
                _delete_row(pages[index], edit)
        for page in pages.values():
            page.save()
        for index in sorted(drop, reverse=True):
            writer.remove_page(index)
        out = io.BytesIO()
        writer.write(out)
    except EditError:
        raise
    except Exception as exc:  # noqa: BLE001 - a content stream pypdf cannot rewrite: re-render instead
        raise EditError(f"cannot rewrite the content stream: {type(exc).__name__}: {exc}") from exc
    return out.getvalue()
