"""Edit DOCX and XLSX packages in place: the one XML part holding the text is rewritten with
lxml (the run, text node or cell), every other zip member is copied unchanged.

DOCX: the ``w:t`` nodes of the main part, paragraph by paragraph; a row removal drops its
``w:tr``, a table removal its ``w:tbl`` and the title paragraph above it.
XLSX: each cell's displayed text (shared/inline strings, numbers through their number format);
a changed number keeps its style (so it prints in the same format) and loses its formula, a
changed string becomes an inline string (shared strings may be used by other cells); a row
removal shifts the rows below it up; a table removal takes the sheet out of the workbook.
"""

from __future__ import annotations

import io
import re
import zipfile

from lxml import etree

from toolkit.mutate.edits import DeleteRow, DeleteTable, Edit, EditError, Replace, replacements
from toolkit.mutate.spans import compact, contains_in_order, locate, locate_all, rewrite, rewrite_many

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_NUMBER = re.compile(r"^[-−]?[\d,]*\.?\d+$")


def _rezip(data: bytes, replaced: dict[str, bytes]) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = replaced.get(info.filename)
            dst.writestr(info, body if body is not None else src.read(info.filename))
    return out.getvalue()


def _serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _only(found: list, what: str):
    if len(found) != 1:
        raise EditError(f"{what} found {len(found)} times")
    return found[0]


# --------------------------------------------------------------------------- DOCX


def _docx_nodes(root: etree._Element) -> tuple[list[str], list[etree._Element | None]]:
    """Text of every w:t in order, a "\\n" pseudo-piece (no node) closing each paragraph."""
    pieces: list[str] = []
    nodes: list[etree._Element | None] = []
    for p in root.iter(f"{_W}p"):
        for t in p.iter(f"{_W}t"):
            pieces.append(t.text or "")
            nodes.append(t)
        pieces.append("\n")
        nodes.append(None)
    return pieces, nodes


def _docx_replace(root: etree._Element, reps: list[Replace]) -> None:
    pieces, nodes = _docx_nodes(root)
    hits = locate_all(pieces, reps)
    new = rewrite_many(pieces, hits)
    for i in {pi for hit, _ in hits for pi, _ in hit.chars}:
        node = nodes[i]
        if node is not None:
            node.text = new[i]
            if new[i] != new[i].strip():
                node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def _text(el: etree._Element) -> str:
    return compact("".join(t.text or "" for t in el.iter(f"{_W}t")))


def _docx_delete_row(root: etree._Element, edit: DeleteRow) -> None:
    rows = [tr for tr in root.iter(f"{_W}tr") if contains_in_order(_text(tr), edit.cells)]
    tr = _only(rows, "row")
    tr.getparent().remove(tr)


def _docx_delete_table(root: etree._Element, edit: DeleteTable) -> None:
    title = compact(edit.title)
    tables = [t for t in root.iter(f"{_W}tbl") if t.getparent().tag != f"{_W}tc"]
    found = []
    for tbl in tables:
        if title in _text(tbl):
            found.append((tbl, None))
            continue
        prev = tbl.getprevious()
        while prev is not None and prev.tag == f"{_W}p" and not _text(prev):
            prev = prev.getprevious()
        if prev is not None and prev.tag == f"{_W}p" and title in _text(prev):
            found.append((tbl, prev))
    tbl, para = _only(found, "table")
    for el in (tbl, para):
        if el is not None:
            el.getparent().remove(el)


def _main_part(zf: zipfile.ZipFile) -> str:
    from toolkit.loaders.docx import _main_part_name

    return _main_part_name(zf)


def apply_docx_edits(data: bytes, edits: list[Edit]) -> bytes:
    zf = zipfile.ZipFile(io.BytesIO(data))
    part = _main_part(zf)
    root = etree.fromstring(zf.read(part), _PARSER)
    for edit in edits:
        reps = replacements(edit)
        if reps:
            _docx_replace(root, reps)
        elif isinstance(edit, DeleteRow):
            _docx_delete_row(root, edit)
        else:
            _docx_delete_table(root, edit)
    return _rezip(data, {part: _serialise(root)})


# --------------------------------------------------------------------------- XLSX


class _Sheets:
    """The workbook's visible sheets, parsed lazily, with each cell's displayed text."""

    def __init__(self, zf: zipfile.ZipFile):
        from toolkit.loaders.xlsx import _workbook

        self.zf = zf
        self.book = _workbook(zf)
        self.roots: dict[str, etree._Element] = {}
        self.dirty: set[str] = set()

    def parts(self, sheet: str | None) -> list[tuple[str, str]]:
        return [(n, p) for n, p, state in self.book.sheets
                if state == "visible" and (sheet is None or n == sheet)]

    def root(self, part: str) -> etree._Element:
        if part not in self.roots:
            self.roots[part] = etree.fromstring(self.zf.read(part), _PARSER)
        return self.roots[part]

    def cell_text(self, c: etree._Element) -> str:
        from toolkit.loaders.numfmt import format_number
        from toolkit.loaders.xlsx import _text_of, _unescape

        kind = c.get("t", "n")
        v = c.find("{*}v")
        if kind == "inlineStr":
            is_ = c.find("{*}is")
            return _text_of(is_) if is_ is not None else ""
        if v is None or v.text is None:
            return ""
        if kind == "s":
            i = int(v.text)
            return self.book.shared[i] if 0 <= i < len(self.book.shared) else ""
        if kind in ("str", "e"):
            return _unescape(v.text)
        if kind in ("b", "d"):
            return v.text
        style = int(c.get("s", "0") or 0)
        fmt = self.book.formats[style] if 0 <= style < len(self.book.formats) else "General"
        return format_number(float(v.text), fmt, self.book.date1904)


def _set_cell(c: etree._Element, text: str, old_text: str) -> None:
    ns = c.tag[: c.tag.index("}") + 1] if c.tag.startswith("{") else ""
    numeric_before = c.get("t", "n") == "n" and c.find(f"{ns}v") is not None
    for child in list(c):
        if child.tag in (f"{ns}f", f"{ns}v", f"{ns}is"):
            c.remove(child)
    percent = text.endswith("%")
    plain = text.rstrip("%").replace(",", "").replace("−", "-")
    if numeric_before and percent == old_text.endswith("%") and _NUMBER.match(plain):
        # keep the style: the number prints in the cell's own format; 12.5% stays a fraction
        value = float(plain)
        if percent:
            value /= 100
        c.attrib.pop("t", None)
        v = etree.SubElement(c, f"{ns}v")
        v.text = repr(value) if value != int(value) else str(int(value))
        return
    c.set("t", "inlineStr")
    is_ = etree.SubElement(c, f"{ns}is")
    t = etree.SubElement(is_, f"{ns}t")
    t.text = text
    if text != text.strip():
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def _xlsx_locate(sheets: _Sheets, edit: Replace) -> tuple:
    found = []
    for _, part in sheets.parts(edit.sheet):
        cells = list(sheets.root(part).iter("{*}c"))
        pieces: list[str] = []
        for c in cells:
            pieces.append(sheets.cell_text(c))
            pieces.append("\n")
        try:
            hit = locate(pieces, edit.anchor, edit.old, edit.offset, numeric=edit.numeric,
                         occurrence=edit.occurrence, expected=edit.expected)
        except EditError as exc:
            if "occurs" in str(exc):
                raise
            continue
        found.append((part, cells, pieces, hit))
    return _only(found, f"{edit.old!r} in the workbook")


def _xlsx_write(sheets: _Sheets, edit: Replace, found: tuple) -> None:
    part, cells, pieces, hit = found
    cell_indices = sorted({pi for pi, _ in hit.chars})
    if len(cell_indices) != 1:
        raise EditError("the text runs over several cells")
    new = rewrite(pieces, hit, edit.new)
    i = cell_indices[0]
    _set_cell(cells[i // 2], new[i], pieces[i])
    sheets.dirty.add(part)


_CELL_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")


def _shift_ref(ref: str, removed: int) -> str | None:
    m = _CELL_REF.match(ref)
    if not m:
        return ref
    r = int(m.group(2))
    if r == removed:
        return None
    return f"{m.group(1)}{r - 1}" if r > removed else ref


def _xlsx_delete_row(sheets: _Sheets, edit: DeleteRow) -> None:
    found = []
    for _, part in sheets.parts(edit.sheet):
        root = sheets.root(part)
        for row in root.iter("{*}row"):
            text = compact("\n".join(sheets.cell_text(c) for c in row.iter("{*}c")))
            if contains_in_order(text, edit.cells):
                found.append((part, root, row))
    part, root, row = _only(found, "row")
    sheets.dirty.add(part)
    removed = int(row.get("r"))
    parent = row.getparent()
    parent.remove(row)
    for later in parent.iter("{*}row"):
        r = int(later.get("r", "0"))
        if r > removed:
            later.set("r", str(r - 1))
            for c in later.iter("{*}c"):
                if c.get("r"):
                    c.set("r", _shift_ref(c.get("r"), removed) or c.get("r"))
    for mc in list(root.iter("{*}mergeCell")):
        a, _, b = mc.get("ref", "").partition(":")
        ra, rb = _shift_ref(a, removed), _shift_ref(b or a, removed)
        if ra is None or rb is None:
            mc.getparent().remove(mc)
        else:
            mc.set("ref", f"{ra}:{rb}" if b else ra)


def _xlsx_delete_sheet(zf: zipfile.ZipFile, sheets: _Sheets, edit: DeleteTable) -> tuple[str, bytes]:
    """Take the sheet holding the table out of workbook.xml (its part stays, unreferenced)."""
    from toolkit.loaders.xlsx import _rels

    title = compact(edit.title)
    found = [name for name, part in sheets.parts(edit.sheet)
             if title in compact("".join(sheets.cell_text(c) for c in sheets.root(part).iter("{*}c")))]
    name = _only(found, "sheet holding the table")
    wb_part = next((t for t in _rels(zf, "").values() if t.endswith(".xml") and "workbook" in t), "xl/workbook.xml")
    wb = etree.fromstring(zf.read(wb_part), _PARSER)
    sheet_els = list(wb.iter("{*}sheet"))
    index = next(i for i, s in enumerate(sheet_els) if s.get("name") == name)
    sheet_els[index].getparent().remove(sheet_els[index])
    for dn in list(wb.iter("{*}definedName")):
        local = dn.get("localSheetId")
        if local is not None and int(local) == index:
            dn.getparent().remove(dn)
        elif local is not None and int(local) > index:
            dn.set("localSheetId", str(int(local) - 1))
    return wb_part, _serialise(wb)


def apply_xlsx_edits(data: bytes, edits: list[Edit]) -> bytes:
    zf = zipfile.ZipFile(io.BytesIO(data))
    sheets = _Sheets(zf)
    replaced: dict[str, bytes] = {}
    for edit in edits:
        reps = replacements(edit)
        if reps:
            originals = [_xlsx_locate(sheets, r) for r in reps]  # all found before any is written
            for r, found in zip(reps, originals, strict=True):
                _xlsx_write(sheets, r, found)
        elif isinstance(edit, DeleteRow):
            _xlsx_delete_row(sheets, edit)
        else:
            part, body = _xlsx_delete_sheet(zf, sheets, edit)
            replaced[part] = body
    for part in sheets.dirty:
        replaced.setdefault(part, _serialise(sheets.roots[part]))
    return _rezip(data, replaced)
