"""Word (.docx) -> paragraphs and tables in body order.

The main part is parsed with plain lxml (no entity resolution, no network) and walked directly: paragraphs and
tables keep their order, content controls (``w:sdt``, e.g. a table of contents) are
entered, deleted revisions and field instructions are skipped (Word shows neither),
field results and Word artefacts stay as printed (``toolkit.extract`` cleans them).
Merged cells (``gridSpan``, ``vMerge``, legacy ``hMerge``) give their text once with the
covered positions empty; nested tables are flattened into their cell's text; text
boxes become paragraphs after the paragraph that anchors them. Explicit page breaks
and next-page section breaks become ``page_break`` blocks.

A table typed as paragraphs with TABs between its cells (one paragraph per printed row) is read as a
table, as the text loader reads TAB rows: a run of at least two such paragraphs with a figure after
the first cell. A table of contents (a title, a TAB, a page number) stays text.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from toolkit.loaders.formats import Format
from toolkit.model import Block, Limits, LoadIssue, RawDocument, RawTable
from toolkit.normalize.numbers import parse_number
from toolkit.normalize.visible import visible_counter

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W_NS}}}"
_PAGE = object()  # marker for a page break inside a paragraph's text
_SKIP = {
    "pPr",
    "rPr",
    "delText",
    "instrText",
    "del",
    "moveFrom",
    "Fallback",
    "tblPr",
    "trPr",
    "tcPr",
    "sectPr",
}
_CONTAINERS = {"sdt", "sdtContent", "customXml", "smartTag", "ins", "moveTo"}
_SKIP_TAGS = frozenset(_W + t for t in _SKIP)
_T, _R, _HYPERLINK, _TAB, _BR, _CR = (_W + t for t in ("t", "r", "hyperlink", "tab", "br", "cr"))
_NB_HYPHEN, _TXBX = _W + "noBreakHyphen", _W + "txbxContent"
_TRPR, _TCPR, _VAL = _W + "trPr", _W + "tcPr", _W + "val"
_P = _W + "p"
_CONTENT_TAGS = frozenset(_W + t for t in ("p", "tc", "tbl", "sdt"))
_GRID_BEFORE, _GRID_SPAN, _VMERGE, _HMERGE = (_W + t for t in ("gridBefore", "gridSpan", "vMerge", "hMerge"))


def _children_of(el, prop_tag: str):
    """Children of ``el``'s property element (``w:trPr``/``w:tcPr``), which Word writes first."""
    for child in el:
        if child.tag == prop_tag:
            return child
        if child.tag in _CONTENT_TAGS:
            break  # properties come before content
    return ()


_LOCAL_NAMES: dict[str, str] = {}


def _local(tag: object) -> str:
    """Local name of an element tag (cached: a body has few distinct tags and very many elements)."""
    if not isinstance(tag, str):
        return ""  # comments, processing instructions
    name = _LOCAL_NAMES.get(tag)
    if name is None:
        name = _LOCAL_NAMES[tag] = tag.rsplit("}", 1)[-1]
    return name


@dataclass(slots=True)
class _Walker:
    limits: Limits
    blocks: list[Block] = field(default_factory=list)
    chars: int = 0

    # -- inline content -------------------------------------------------------------
    def _inline(self, el, out: list, boxes: list) -> None:
        # Compared on full tags: this loop runs once per XML element of the body.
        for child in el:
            tag = child.tag
            if tag == _T:
                out.append(child.text or "")
            elif tag == _R or tag == _HYPERLINK:
                self._inline(child, out, boxes)
            elif tag == _TAB:
                out.append("\t")
            elif tag == _BR or tag == _CR:
                out.append(_PAGE if child.get(_W + "type") == "page" else "\n")
            elif tag == _NB_HYPHEN:
                out.append("-")
            elif tag == _TXBX:
                boxes.append(child)
            elif tag not in _SKIP_TAGS and isinstance(tag, str):
                self._inline(child, out, boxes)

    def paragraph_pieces(self, p) -> tuple[list[str | object], list]:
        out: list = []
        boxes: list = []
        self._inline(p, out, boxes)
        return out, boxes

    # -- block content --------------------------------------------------------------
    def _emit_para(self, text: str) -> None:
        if text.strip():
            self.chars += len(text)
            self.blocks.append(Block.para(text))

    def paragraph(self, p) -> None:
        pieces, boxes = self.paragraph_pieces(p)
        current: list[str] = []
        for piece in pieces:
            if piece is _PAGE:
                self._emit_para("".join(current))
                current = []
                self.blocks.append(Block("page_break"))
            else:
                current.append(piece)  # type: ignore[arg-type]
        self._emit_para("".join(current))
        for box in boxes:
            self.container(box)
        ppr = p.find(_W + "pPr")
        sect = ppr.find(_W + "sectPr") if ppr is not None else None
        if sect is not None:
            kind = sect.find(_W + "type")
            if kind is None or kind.get(_W + "val", "nextPage") != "continuous":
                self.blocks.append(Block("page_break"))

    def cell_text(self, tc) -> str:
        lines: list[str] = []
        for child in tc:
            if child.tag == _P:
                pieces, boxes = self.paragraph_pieces(child)
                lines.append("".join(x for x in pieces if x is not _PAGE))
                for box in boxes:
                    lines.append(self.cell_text(box))
                continue
            tag = _local(child.tag)
            if tag == "tbl":  # nested table: one line per row, cells separated by spaces
                for row in self.table_rows(child):
                    line = " ".join(c.strip() for c in row if c.strip())
                    if line:
                        lines.append(line)
            elif tag in _CONTAINERS:
                lines.append(self.cell_text(child))
        return "\n".join(lines).strip("\n")

    def _row_elements(self, el, tag: str) -> list:
        full = _W + tag
        out = []
        for child in el:
            if child.tag == full:
                out.append(child)
            elif _local(child.tag) in _CONTAINERS:
                out.extend(self._row_elements(child, tag))
        return out

    def table_rows(self, tbl) -> list[list[str]]:
        # Properties are read by walking the few children of trPr/tcPr once (lxml's find() parses
        # its path on every call, and a large table has thousands of cells).
        rows: list[list[str]] = []
        for tr in self._row_elements(tbl, "tr"):
            row: list[str] = []
            for prop in _children_of(tr, _TRPR):
                if prop.tag == _GRID_BEFORE:
                    row.extend([""] * int(prop.get(_VAL, "0") or 0))
            for tc in self._row_elements(tr, "tc"):
                span, covered = 1, False
                for prop in _children_of(tc, _TCPR):
                    tag = prop.tag
                    if tag == _GRID_SPAN:
                        span = max(1, int(prop.get(_VAL, "1") or 1))
                    elif (tag == _VMERGE or tag == _HMERGE) and prop.get(_VAL, "continue") != "restart":
                        covered = True
                text = "" if covered else self.cell_text(tc)
                self.chars += len(text)
                row.append(text)
                row.extend([""] * (span - 1))
            rows.append(row)
        return rows

    def container(self, el) -> None:
        for child in el:
            if self.chars > self.limits.max_text_chars:
                raise _TooMuchText
            tag = _local(child.tag)
            if tag == "p":
                self.paragraph(child)
            elif tag == "tbl":
                rows = self.table_rows(child)
                if any(any(c.strip() for c in r) for r in rows):
                    self.blocks.append(Block.tab(rows))
            elif tag in _CONTAINERS:
                self.container(child)


class _TooMuchText(Exception):
    pass


_PAGE_NUMBER = re.compile(r"^\d{1,3}$")


def _tab_cells(text: str) -> tuple[list[str], list[tuple[None, int, int] | None]]:
    """Cells of a TAB-separated paragraph and each cell's character span in the paragraph."""
    cells, spans, pos = [], [], 0
    for part in text.split("\t"):
        stripped = part.strip()
        start = pos + (len(part) - len(part.lstrip()))
        cells.append(stripped)
        spans.append((None, start, start + len(stripped)) if stripped else None)
        pos += len(part) + 1
    return cells, spans


def _is_tab_row(block: Block) -> bool:
    return block.kind == "para" and "\t" in block.text.strip("\t \n")


def _is_tab_table(rows: list[list[str]]) -> bool:
    if len(rows) < 2 or max(len(r) for r in rows) < 2:
        return False
    figures = [c for r in rows for c in r[1:] if c and parse_number(c) is not None]
    if not figures:
        return False
    toc = all(len([c for c in r if c]) == 2 and _PAGE_NUMBER.match([c for c in r if c][-1]) for r in rows)
    return not toc


def tab_paragraph_tables(blocks: list[Block]) -> list[Block]:
    """Runs of TAB-separated paragraphs (a table typed with TABs) as table blocks; the rest unchanged."""
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        j = i
        while j < len(blocks) and _is_tab_row(blocks[j]):
            j += 1
        if j == i:
            out.append(blocks[i])
            i += 1
            continue
        parsed = [_tab_cells(b.text) for b in blocks[i:j]]
        rows = [cells for cells, _ in parsed]
        if _is_tab_table(rows):
            width = max(len(r) for r in rows)
            rows = [r + [""] * (width - len(r)) for r in rows]
            spans = [sp + [None] * (width - len(sp)) for _, sp in parsed]
            table = RawTable(rows=rows, page=blocks[i].page, cell_spans=spans, shape="tsv")  # type: ignore[arg-type]
            out.append(Block("table", table=table, page=blocks[i].page))
        else:
            out.extend(blocks[i:j])
        i = j
    return out


def _fatal(path: str, code: str, reason: str) -> RawDocument:
    return RawDocument(
        path=path, format="docx", issues=[LoadIssue(code, reason, severity="high", fatal=True)]
    )


_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_DC = "{http://purl.org/dc/elements/1.1/}"


def _parser():
    from lxml import etree

    # Plain lxml elements (python-docx's proxy classes make walking a body several times slower);
    # entities are not resolved and nothing is fetched, so hostile XML stays inert.
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)


def _main_part_name(package: zipfile.ZipFile) -> str:
    """The main document part named by the package relationships (``word/document.xml`` almost always)."""
    from lxml import etree

    try:
        rels = etree.fromstring(package.read("_rels/.rels"), _parser())
        for rel in rels.iter(f"{{{_REL_NS}}}Relationship"):
            if rel.get("Type") == _OFFICE_DOCUMENT and rel.get("Target"):
                return rel.get("Target").lstrip("/")
    except (KeyError, etree.XMLSyntaxError):
        pass
    return "word/document.xml"


def _core_properties(package: zipfile.ZipFile) -> dict[str, str]:
    from lxml import etree

    try:
        core = etree.fromstring(package.read("docProps/core.xml"), _parser())
    except (KeyError, etree.XMLSyntaxError):
        return {}
    out = {}
    for key, tag in (("title", "title"), ("author", "creator")):
        el = core.find(_DC + tag)
        if el is not None and el.text and el.text.strip():
            out[key] = el.text.strip()
    return out


def load_docx(data: bytes, path: str, limits: Limits) -> RawDocument:
    from lxml import etree

    if not zipfile.is_zipfile(io.BytesIO(data)):
        if data[:4] == b"PK\x03\x04":
            return _fatal(path, "truncated", "zip container is cut short (no central directory)")
        if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            return _fatal(
                path, "encrypted", "OLE container instead of a zip: password-protected or legacy .doc"
            )
        return _fatal(path, "unreadable", "not a zip container (docx expected)")
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        root = etree.fromstring(package.read(_main_part_name(package)), _parser())
        body = root.find(_W + "body")
        if body is None:
            raise ValueError("no w:body in the main document part")
        meta = _core_properties(package)
    except Exception as exc:  # noqa: BLE001 - bad input never crashes
        return _fatal(path, "unreadable", f"cannot open the Word document: {type(exc).__name__}: {exc}")
    walker = _Walker(limits)
    doc = RawDocument(path=path, format="docx")
    try:
        walker.container(body)
    except _TooMuchText:
        doc.issues.append(
            LoadIssue("too_large", f"text beyond {limits.max_text_chars} characters was not read")
        )
    except Exception as exc:  # noqa: BLE001 - a malformed body: keep what was read
        doc.issues.append(LoadIssue("unreadable", f"Word body only partly read: {type(exc).__name__}: {exc}"))
    while walker.blocks and walker.blocks[-1].kind == "page_break":
        walker.blocks.pop()
    doc.blocks = tab_paragraph_tables(walker.blocks)
    # character accounting: every w:t of the body (text boxes, fields and all), as Word would show it
    doc.visible_chars[None] = visible_counter("".join(t.text or "" for t in body.iter(_W + "t")))
    doc.meta.update(meta)
    if not any(b.kind != "page_break" for b in doc.blocks):
        doc.issues.append(LoadIssue("empty", "the Word document has no text", severity="high", fatal=True))
    return doc


FORMATS = (
    Format(
        "docx", "Word document (DOCX)", (".docx", ".docm", ".dotx"), load_docx,
        container="zip", members=("word/document.xml",),
    ),
)
