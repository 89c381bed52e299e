"""PDF -> :class:`RawDocument` with pdfplumber (never PyMuPDF: AGPL).

Per page, in reading order (top to bottom): paragraphs of running text and table grids.

How a page is read (one pdfminer parse per page; every later step reuses its chars):

1. ``page.chars`` once; overprinted duplicates (fake bold) and ``(cid:N)`` glyphs are dropped.
2. Ruled tables: pdfplumber's lattice finder on the page's *visible* ruling lines (white
   background boxes of spreadsheet exports are dropped; a rule-less top/bottom row of a
   table cut by a page break is closed). Each char goes to the cell containing its centre
   through a bisect over the grid (pdfplumber's own ``Table.extract`` scans every char for
   every cell). Grids drawn side by side with the same rows become one table (lanes); a
   table opening a page is laid onto the column grid of the table closing the previous one.
3. Pages without ruled tables: lines whose words sit in aligned, widely separated columns
   with numbers in them become a table by clustering the words' x-extents.
4. What is left is running text: chars are grouped into lines by vertical *overlap* (not by
   equal ``top``), so a number printed in another font on a slightly lower baseline stays
   on its label's line (seen in a real ONLYOFFICE 决算 where pdfplumber's own text puts
   every number on a line of its own), then lines are joined into paragraphs.

Nothing is interpreted: cell and paragraph texts are as printed (numbers keep their
commas and decimals). Problems become :class:`LoadIssue` entries, never exceptions.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import signal
import threading
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from statistics import median

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdftypes import resolve1
from pdfminer.psparser import PSEOF
from pdfplumber.utils.exceptions import PdfminerException

from toolkit.loaders.ocr import recognise_scanned_pages
from toolkit.model import Block, Limits, LoadIssue, RawDocument
from toolkit.normalize.text import is_page_artifact

log = logging.getLogger(__name__)

# --- tunables (in units of the font size, "em", unless said otherwise) -----------------
_LINE_OVERLAP = 0.5  # chars share a line when they overlap by half the smaller height
_CJK_JOIN_GAP = 1.5  # CJK-to-CJK gaps below this are justification, not a word break
_SPACE_GAP = 0.25  # other gaps above this become one space
_COLUMN_GAP = 1.5  # a gap this wide separates columns of an unruled table
_MIN_TEXT_ROWS = 3  # an unruled table needs this many aligned rows with numbers
_CID_GARBAGE_SHARE = 0.5
_TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}

_CID_RE = re.compile(r"^\(cid:\d+\)$")
_NUMBER_RE = re.compile(r"^[-−(（]?\d[\d,，]*(?:\.\d+)?[)）%]?$")
_HEX_TITLE_RE = re.compile(r"^<([0-9A-Fa-f]{4,})>$")


@dataclass(slots=True)
class _Char:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


@dataclass(slots=True)
class _Line:
    chars: list[_Char]
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


@dataclass(slots=True)
class _PageTable:
    top: float
    rows: list[list[str]]
    bbox: tuple[float, float, float, float] | None = None
    row_tops: list[float] | None = None  # one per row, for side-by-side merging
    lefts: list[float] | None = None  # column left edges, to align a table's continuation


@dataclass(slots=True)
class _Edge:
    """A table at the very start or end of a page, with its column left edges."""

    block: Block
    lefts: list[float]
    right: float


@dataclass(slots=True)
class _PageResult:
    blocks: list[Block] = field(default_factory=list)
    issues: list[LoadIssue] = field(default_factory=list)
    n_chars: int = 0
    lead: _Edge | None = None  # table that opens the page (a continuation candidate)
    tail: _Edge | None = None  # table that closes the page


class _PageTimeout(BaseException):
    """Raised by the per-page alarm; a BaseException so that no library ``except Exception`` swallows it."""


# ---------------------------------------------------------------------------------------
# entry point
# ---------------------------------------------------------------------------------------


def load_pdf(data: bytes, path: str, limits: Limits) -> RawDocument:
    doc = RawDocument(path=path, format="pdf")
    if not data:
        doc.issues.append(LoadIssue("empty", "file is empty (0 bytes)", severity="high", fatal=True))
        return doc
    if len(data) > limits.max_file_bytes:
        doc.issues.append(
            LoadIssue("too_large", f"file is {len(data)} bytes, above the limit of {limits.max_file_bytes}",
                      severity="high", fatal=True)
        )
        return doc
    try:
        pdf = pdfplumber.open(io.BytesIO(data), pages=list(range(1, limits.max_pages + 1)))
    except Exception as exc:  # noqa: BLE001 - a hostile file may raise anything
        inner = _unwrap(exc)
        if isinstance(inner, TimeoutError):
            raise inner from exc
        doc.issues.append(_open_failure(inner, data))
        return doc
    with pdf:
        doc.meta = _metadata(pdf)
        try:
            pages = pdf.pages
        except Exception as exc:  # noqa: BLE001 - a broken page tree
            inner = _unwrap(exc)
            if isinstance(inner, TimeoutError):
                raise inner from exc
            doc.issues.append(_open_failure(inner, data))
            return doc
        total = _page_count(pdf, len(pages))
        doc.pages = total
        if total > limits.max_pages:
            doc.issues.append(
                LoadIssue("too_many_pages", f"document has {total} pages; only the first {limits.max_pages} were read",
                          severity="medium")
            )
        _read_pages(pages, doc, limits)
    _finish(doc, data)
    recognise_scanned_pages(doc, data, limits)  # pages without a text layer, when the OCR extra is installed
    return doc


def _read_pages(pages: list, doc: RawDocument, limits: Limits) -> None:
    chars_left = limits.max_text_chars
    prev_tail: _Edge | None = None
    for page in pages:
        p = page.page_number
        try:
            with _deadline(limits.pdf_page_timeout_s):
                result = _read_page(page)
        except _PageTimeout:
            result = _PageResult(issues=[LoadIssue("timeout", f"page {p} took longer than {limits.pdf_page_timeout_s:g} s to read; skipped",
                                                   severity="high", page=p)])
        except Exception as exc:  # noqa: BLE001 - one bad page must not lose the others
            inner = _unwrap(exc)
            if isinstance(inner, TimeoutError):
                raise inner from exc  # the caller's per-file budget (toolkit.run.soft_deadline) ends the file
            log.debug("page %s of %s failed", p, doc.path, exc_info=True)
            result = _PageResult(issues=[LoadIssue("page_error", f"page {p} could not be read: {_describe(inner)}",
                                                   severity="high", page=p)])
        finally:
            page.close()  # drop pdfplumber's per-page caches: memory stays flat on long files
        if prev_tail is not None and result.lead is not None:
            _align_continuation(prev_tail, result.lead)
        prev_tail = result.tail
        doc.blocks.extend(result.blocks)
        doc.issues.extend(result.issues)
        chars_left -= result.n_chars
        if chars_left < 0:
            doc.issues.append(LoadIssue("too_large", f"text exceeds {limits.max_text_chars} characters; stopped after page {p}",
                                        severity="high", page=p))
            break


def _finish(doc: RawDocument, data: bytes) -> None:
    """A file from which nothing was read gets one fatal issue saying why."""
    if doc.blocks or doc.failed:
        return
    codes = {i.code for i in doc.issues}
    if "page_error" in codes and _looks_truncated(data):
        doc.issues.append(LoadIssue("truncated", "file is truncated (no %%EOF marker) and no page could be read",
                                    severity="high", fatal=True))
    elif "page_error" in codes:
        doc.issues.append(LoadIssue("unreadable", "no page could be read", severity="high", fatal=True))
    elif codes & {"scanned", "cid_garbage"} == {"cid_garbage"}:
        doc.issues.append(LoadIssue("cid_garbage", "no page has readable text: the fonts carry no Unicode map (cid:N glyphs)",
                                    severity="high", fatal=True))
    elif "scanned" in codes:
        doc.issues.append(LoadIssue("scanned", "no page has a usable text layer (scanned document? OCR needed)",
                                    severity="high", fatal=True))
    else:
        doc.issues.append(LoadIssue("empty", "the PDF has no pages with content", severity="high", fatal=True))


# ---------------------------------------------------------------------------------------
# one page
# ---------------------------------------------------------------------------------------


def _read_page(page) -> _PageResult:
    p = page.page_number
    raw_chars = page.chars
    chars, n_cid = _clean_chars(raw_chars)
    result = _PageResult(n_chars=len(chars))
    if not raw_chars:
        result.issues.append(LoadIssue("scanned", f"page {p} has no text layer (scanned image?)", severity="medium", page=p))
        return result
    if n_cid and n_cid >= _CID_GARBAGE_SHARE * (n_cid + len(chars)):
        result.issues.append(LoadIssue("cid_garbage", f"page {p}: {n_cid} of {n_cid + len(chars)} characters are unmapped "
                                       "glyphs (cid:N); the font has no Unicode map", severity="medium", page=p))
    ruled = _find_ruled_tables(page)
    tables, free = _fill_ruled_tables(ruled, chars)
    lines = _group_lines(free)
    if not tables:
        tables, lines = _unruled_tables(lines)
    result.blocks, placed = _page_blocks(tables, lines, p)
    _mark_page_edges(result, placed)
    return result


def _find_ruled_tables(page) -> list:
    """pdfplumber's lattice finder on the page's *visible* ruling lines.

    Spreadsheet exports paint white background rectangles (e.g. over the title block
    above a table); their invisible edges would pull the title into the grid.
    """
    edges = page.edges
    if not edges:
        return []
    visible = [e for e in edges if not _invisible(e)]
    closing = _closing_edges(visible)
    if len(visible) == len(edges) and not closing:
        return page.find_tables(_TABLE_SETTINGS)
    v = [e for e in visible if e["orientation"] == "v"]
    h = [e for e in visible if e["orientation"] == "h"] + closing
    if len(v) < 2 or len(h) < 2:
        return []
    return page.find_tables({
        "vertical_strategy": "explicit",
        "horizontal_strategy": "explicit",
        "explicit_vertical_lines": v,
        "explicit_horizontal_lines": h,
    })


def _closing_edges(visible: list[dict], tol: float = 3.0) -> list[dict]:
    """Close a grid whose column rules run past its last drawn row line.

    Word leaves the top border off a table continued from the previous page (and the
    bottom border off one cut at the page end): the first row then has rules on its
    sides only. Where two or more vertical rules end at the same height with no
    horizontal line there, draw one across them.
    """
    verticals = [e for e in visible if e["orientation"] == "v" and e["bottom"] - e["top"] > tol]
    horizontals = [e for e in visible if e["orientation"] == "h" and e["x1"] - e["x0"] > tol]
    out: list[dict] = []
    for end in ("top", "bottom"):
        groups: dict[int, list[dict]] = {}
        for e in verticals:
            groups.setdefault(round(e[end] / tol), []).append(e)
        for members in groups.values():
            xs = sorted({round(e["x0"]) for e in members})
            if len(xs) < 2:
                continue
            y = median(e[end] for e in members)
            x0, x1 = min(e["x0"] for e in members), max(e["x1"] for e in members)
            if any(abs(h["top"] - y) <= tol and h["x0"] < x1 and h["x1"] > x0 for h in horizontals):
                continue
            out.append({"object_type": "synthetic_edge", "orientation": "h", "x0": x0, "x1": x1,
                        "top": y, "bottom": y, "width": x1 - x0, "height": 0.0})
    return out


def _is_white(color) -> bool:
    if color is None or isinstance(color, str):
        return False
    values = color if isinstance(color, tuple | list) else (color,)
    if not values or not all(isinstance(x, int | float) for x in values):
        return False
    if len(values) == 4:  # CMYK: white is no ink
        return all(x <= 0.05 for x in values)
    return all(x >= 0.95 for x in values)


def _invisible(edge: dict) -> bool:
    """An edge nobody sees: a white fill without outline, or a white stroke."""
    if edge.get("object_type") == "rect_edge" and edge.get("fill") and not edge.get("stroke"):
        return _is_white(edge.get("non_stroking_color"))
    if edge.get("stroke", True):
        return _is_white(edge.get("stroking_color"))
    return False


def _clean_chars(raw: list[dict]) -> tuple[list[_Char], int]:
    """Plain char records; drop overprinted duplicates (fake bold) and unmapped cid glyphs."""
    seen: set[tuple[str, int, int]] = set()
    out: list[_Char] = []
    n_cid = 0
    for c in raw:
        text = c["text"]
        if text.startswith("(cid:") and _CID_RE.match(text):
            n_cid += 1
            continue
        key = (text, round(c["x0"]), round(c["top"]))
        if key in seen:
            continue
        seen.add(key)
        out.append(_Char(text, c["x0"], c["x1"], c["top"], c["bottom"], c.get("size") or (c["bottom"] - c["top"])))
    return out, n_cid


# ---------------------------------------------------------------------------------------
# ruled tables
# ---------------------------------------------------------------------------------------


class _Grid:
    """Cell lookup for one pdfplumber table: bisect over the distinct cell edges.

    Rows are the distinct cell tops and columns the distinct cell lefts (pdfplumber's own
    row/column model); a merged cell owns every grid position it covers.
    """

    def __init__(self, table) -> None:
        cells = table.cells
        self.bbox = table.bbox
        self.tops = sorted({c[1] for c in cells})
        self.lefts = sorted({c[0] for c in cells})
        self.owner: dict[tuple[int, int], tuple[int, int, tuple]] = {}
        for cell in cells:
            r = self.tops.index(cell[1])
            c = self.lefts.index(cell[0])
            rr = r
            while rr < len(self.tops) and self.tops[rr] < cell[3] - 0.1:
                cc = c
                while cc < len(self.lefts) and self.lefts[cc] < cell[2] - 0.1:
                    self.owner.setdefault((rr, cc), (r, c, cell))
                    cc += 1
                rr += 1
        self.cell_chars: dict[tuple[int, int], list[_Char]] = {}

    def contains(self, x: float, y: float) -> bool:
        x0, top, x1, bottom = self.bbox
        return x0 <= x <= x1 and top <= y <= bottom

    def add(self, ch: _Char, x: float, y: float) -> bool:
        r = bisect_right(self.tops, y) - 1
        c = bisect_right(self.lefts, x) - 1
        if r < 0 or c < 0:
            return False
        hit = self.owner.get((r, c))
        # Text in a spot pdfplumber built no cell for (a merged cell whose outline it could
        # not close) still belongs to the table: keep it at its grid position.
        key = (hit[0], hit[1]) if hit is not None else (r, c)
        self.cell_chars.setdefault(key, []).append(ch)
        return True

    def rows(self) -> list[list[str]]:
        grid = [["" for _ in self.lefts] for _ in self.tops]
        for (r, c), chars in self.cell_chars.items():
            grid[r][c] = "\n".join(line.text for line in _group_lines(chars))
        return grid


def _fill_ruled_tables(found: list, chars: list[_Char]) -> tuple[list[_PageTable], list[_Char]]:
    """Assign every char to a table cell or leave it as running text."""
    grids = [_Grid(t) for t in found if t.cells]
    free: list[_Char] = []
    members: list[list[_Char]] = [[] for _ in grids]
    for ch in chars:
        x = (ch.x0 + ch.x1) / 2
        y = (ch.top + ch.bottom) / 2
        for k, g in enumerate(grids):
            if g.contains(x, y) and g.add(ch, x, y):
                members[k].append(ch)
                break
        else:
            free.append(ch)
    tables: list[_PageTable] = []
    for g, mine in zip(grids, members, strict=True):
        rows = g.rows()
        filled = sum(1 for row in rows for cell in row if cell.strip())
        if len(g.lefts) >= 2 and filled >= 2:
            tables.append(_PageTable(top=g.bbox[1], rows=rows, bbox=tuple(g.bbox), row_tops=list(g.tops),
                                     lefts=list(g.lefts)))
        else:
            # A box around a paragraph, a one-column list (a boxed table of contents) or an
            # empty frame: not a table. Its text goes back to the running text.
            free.extend(mine)
    return _merge_side_by_side(tables), free


def _merge_side_by_side(tables: list[_PageTable]) -> list[_PageTable]:
    """Two grids drawn next to each other with the same rows are one table with two lanes.

    (E.g. a 基本支出 table printed as a 人员经费 grid beside a 公用经费 grid.) Downstream
    recognition splits lanes itself; it needs one row per printed row.
    """
    tables = sorted(tables, key=lambda t: (t.bbox[0] if t.bbox else 0.0))
    out: list[_PageTable] = []
    for t in tables:
        partner = next((o for o in out if _same_rows(o, t)), None)
        if partner is None:
            out.append(t)
            continue
        width = max(len(r) for r in partner.rows)
        partner.rows = [a + [""] * (width - len(a)) + b for a, b in zip(partner.rows, t.rows, strict=True)]
        x0, top, x1, bottom = partner.bbox
        partner.bbox = (x0, top, max(x1, t.bbox[2]), bottom)
        partner.lefts = (partner.lefts or []) + (t.lefts or []) if partner.lefts and t.lefts else None
    return sorted(out, key=lambda t: t.top)


def _same_rows(a: _PageTable, b: _PageTable, tol: float = 2.0) -> bool:
    if not (a.bbox and b.bbox and a.row_tops and b.row_tops) or len(a.row_tops) != len(b.row_tops):
        return False
    if b.bbox[0] < a.bbox[2] - tol:  # must sit to the right, not overlap
        return False
    if abs(a.bbox[3] - b.bbox[3]) > tol:
        return False
    return all(abs(x - y) <= tol for x, y in zip(a.row_tops, b.row_tops, strict=True))


# ---------------------------------------------------------------------------------------
# lines and running text
# ---------------------------------------------------------------------------------------


def _is_cjk(ch: str) -> bool:
    o = ord(ch[0]) if ch else 0
    return 0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFFEF or 0x3000 <= o <= 0x303F


def _group_lines(chars: list[_Char]) -> list[_Line]:
    """Group chars into lines by vertical overlap with the line's first char.

    Overlap (rather than equal tops within a tolerance) keeps a number set in a Latin font
    on a baseline a few points lower on the same line as its Chinese label.
    """
    open_lines: list[tuple[float, float, list[_Char]]] = []
    for ch in sorted(chars, key=lambda c: c.top):
        h = max(ch.bottom - ch.top, 0.1)
        for top, bottom, members in reversed(open_lines[-4:]):
            overlap = min(bottom, ch.bottom) - max(top, ch.top)
            if overlap >= _LINE_OVERLAP * min(h, bottom - top):
                members.append(ch)
                break
        else:
            open_lines.append((ch.top, max(ch.bottom, ch.top + 0.1), [ch]))
    lines = [_make_line(members) for _, _, members in open_lines]
    lines = [ln for ln in lines if ln.text]
    lines.sort(key=lambda ln: (ln.top, ln.x0))
    return lines


def _make_line(chars: list[_Char]) -> _Line:
    chars.sort(key=lambda c: c.x0)
    parts: list[str] = []
    prev: _Char | None = None
    for ch in chars:
        if ch.text.isspace():
            if parts and parts[-1] != " ":
                parts.append(" ")
            continue
        if prev is not None and parts and parts[-1] != " ":
            gap = ch.x0 - prev.x1
            em = max(min(prev.size, ch.size), 1.0)
            if _is_cjk(prev.text) and _is_cjk(ch.text):
                if gap > _CJK_JOIN_GAP * em:
                    parts.append(" ")
            elif gap > _SPACE_GAP * em:
                parts.append(" ")
        parts.append(ch.text)
        prev = ch
    text = "".join(parts).strip()
    ink = [c for c in chars if not c.text.isspace()] or chars  # leading blanks are not indentation
    return _Line(
        chars=ink,
        text=text,
        x0=min(c.x0 for c in ink),
        x1=max(c.x1 for c in ink),
        top=min(c.top for c in ink),
        bottom=max(c.bottom for c in ink),
        size=median(c.size for c in ink),
    )


_LIST_MARKER = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}[.．、](?!\d)|第[一二三四五六七八九十]+部分)")


def _paragraphs(lines: list[_Line]) -> list[list[_Line]]:
    """Join wrapped lines of running text into paragraphs.

    A line starts a new paragraph when it is indented from the text's left edge, starts
    with a list marker, changes font size, or follows a short line or a wide gap.
    """
    if not lines:
        return []
    left = min(ln.x0 for ln in lines)
    right = max(ln.x1 for ln in lines)
    pitches = [b.top - a.top for a, b in zip(lines, lines[1:], strict=False) if b.top > a.top]
    pitch = median(pitches) if pitches else 0.0
    paras: list[list[_Line]] = [[lines[0]]]
    for prev, ln in zip(lines, lines[1:], strict=False):
        em = max(ln.size, 1.0)
        new = (
            ln.x0 > left + 1.0 * em
            or _LIST_MARKER.match(ln.text) is not None
            or abs(ln.size - prev.size) > 1.0
            or right - prev.x1 > max(2.0 * em, _first_token_width(ln) + 1.0 * em)
            or (pitch and ln.top - prev.top > 1.5 * pitch)
            or ln.top - prev.bottom > 1.5 * em
        )
        if new:
            paras.append([ln])
        else:
            paras[-1].append(ln)
    return paras


_CLOSING = set("，。、；：！？）》」』】”’,.;:!?)%")


def _first_token_width(line: _Line) -> float:
    """Width of what could not have been broken off the start of ``line``.

    Used to tell a paragraph's last line from a line that wrapped early because the next
    unbreakable run (a number, ``（项）``) did not fit: Latin runs never break, a
    Chinese run breaks after any ideograph, closing punctuation never starts a line.
    """
    end = line.chars[0].x1 if line.chars else line.x0
    seen_ideograph = False
    for ch in line.chars:
        if ch.text.isspace():
            break
        if seen_ideograph and ch.text not in _CLOSING:
            break
        end = ch.x1
        if _is_cjk(ch.text) and ch.text not in _CLOSING and ch.text not in "（《「『【“‘":
            seen_ideograph = True
    return end - line.x0


def _join_lines(lines: list[_Line]) -> str:
    out = lines[0].text
    for ln in lines[1:]:
        a, b = out[-1:], ln.text[:1]
        out += ("" if (_is_cjk(a) or _is_cjk(b)) else " ") + ln.text
    return out


def _page_blocks(tables: list[_PageTable], lines: list[_Line], page: int) -> tuple[list[Block], list[tuple[Block, _PageTable]]]:
    """Interleave running text and tables by their vertical position."""
    tables = sorted(tables, key=lambda t: t.top)
    blocks: list[Block] = []
    placed: list[tuple[Block, _PageTable]] = []
    i = 0
    for t in tables:
        above: list[_Line] = []
        while i < len(lines) and lines[i].top < t.top:
            above.append(lines[i])
            i += 1
        blocks.extend(Block.para(_join_lines(p), page=page) for p in _paragraphs(above))
        block = Block.tab(t.rows, page=page)
        blocks.append(block)
        placed.append((block, t))
    blocks.extend(Block.para(_join_lines(p), page=page) for p in _paragraphs(lines[i:]))
    return blocks, placed


_CONTINUATION_MARK = re.compile(r"^[(（]?续表?[)）]?$|^续$")


def _is_filler(block: Block) -> bool:
    """Text that may sit between a table and the page break without ending the table."""
    text = block.text.strip()
    return block.kind == "para" and (is_page_artifact(text) or bool(_CONTINUATION_MARK.match(text)))


def _mark_page_edges(result: _PageResult, placed: list[tuple[Block, _PageTable]]) -> None:
    if not placed:
        return
    blocks = result.blocks
    for block, table in (placed[0], placed[-1]):
        if table.lefts is None or table.bbox is None:
            continue
        k = next(n for n, b in enumerate(blocks) if b is block)
        edge = _Edge(block, table.lefts, table.bbox[2])
        if block is placed[0][0] and all(_is_filler(b) for b in blocks[:k]):
            result.lead = edge
        if block is placed[-1][0] and all(_is_filler(b) for b in blocks[k + 1:]):
            result.tail = edge


def _align_continuation(prev: _Edge, cont: _Edge, tol: float = 2.0) -> None:
    """Give a table continued over a page break one column grid on both pages.

    A row whose label cell spans several columns (a 合计 row over 类|款|项|科目名称) can be
    the only row on a page; that page's grid then lacks the spanned column rules. When one
    page's column edges are a subset of the other's, the narrower grid is re-laid onto the
    wider one, a merged cell in its first column and the covered columns empty.
    """
    if abs(prev.right - cont.right) > 3 * tol or len(prev.lefts) == len(cont.lefts):
        return
    narrow, wide = (prev, cont) if len(prev.lefts) < len(cont.lefts) else (cont, prev)
    mapping: list[int] = []
    for x in narrow.lefts:
        k = next((k for k, w in enumerate(wide.lefts) if abs(w - x) <= tol), None)
        if k is None:
            return
        mapping.append(k)
    table = narrow.block.table
    relaid = []
    for row in table.rows:
        new = ["" for _ in wide.lefts]
        for j, cell in enumerate(row):
            new[mapping[j]] = cell
        relaid.append(new)
    table.rows = relaid
    narrow.lefts = list(wide.lefts)


# ---------------------------------------------------------------------------------------
# unruled tables: columns from word positions
# ---------------------------------------------------------------------------------------


def _segments(line: _Line) -> list[tuple[float, float, str]]:
    """Split a line at wide gaps: the cells of an unruled table row."""
    segs: list[list[_Char]] = [[line.chars[0]]]
    for prev, ch in zip(line.chars, line.chars[1:], strict=False):
        em = max(min(prev.size, ch.size), 1.0)
        if ch.x0 - prev.x1 > _COLUMN_GAP * em:
            segs.append([ch])
        else:
            segs[-1].append(ch)
    out = []
    for seg in segs:
        text = _make_line(list(seg)).text
        if text:
            out.append((seg[0].x0, seg[-1].x1, text))
    return out


def _is_number(text: str) -> bool:
    return bool(_NUMBER_RE.match(text.replace(" ", "")))


def _unruled_tables(lines: list[_Line]) -> tuple[list[_PageTable], list[_Line]]:
    """Find runs of lines laid out in aligned columns with numbers in them.

    A run needs ``_MIN_TEXT_ROWS`` consecutive lines each split by wide gaps into two or
    more segments, at least one a number. Up to three header lines directly above whose
    segments fall into the run's columns are taken along. Running text never qualifies:
    its gaps are narrow.
    """
    segs = [_segments(ln) if ln.chars else [] for ln in lines]
    tabular = [len(s) >= 2 and any(_is_number(t) for _, _, t in s) for s in segs]
    tables: list[_PageTable] = []
    used: set[int] = set()
    i = 0
    while i < len(lines):
        if not tabular[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(lines) and tabular[j + 1]:
            j += 1
        if j - i + 1 >= _MIN_TEXT_ROWS:
            bands = _column_bands([seg for k in range(i, j + 1) for seg in segs[k]])
            if len(bands) >= 2:
                start = i
                while start > 0 and i - start < 3 and len(segs[start - 1]) >= 2 and start - 1 not in used and all(
                    _band_of(bands, s) is not None for s in segs[start - 1]
                ):
                    start -= 1
                rows = [_row_from_segments(segs[k], bands) for k in range(start, j + 1)]
                tables.append(_PageTable(top=lines[start].top, rows=rows))
                used.update(range(start, j + 1))
        i = j + 1
    rest = [ln for k, ln in enumerate(lines) if k not in used]
    return tables, rest


def _column_bands(segs: list[tuple[float, float, str]]) -> list[tuple[float, float]]:
    bands: list[list[float]] = []
    for x0, x1, _ in sorted(segs):
        if bands and x0 <= bands[-1][1]:
            bands[-1][1] = max(bands[-1][1], x1)
        else:
            bands.append([x0, x1])
    return [(a, b) for a, b in bands]


def _band_of(bands: list[tuple[float, float]], seg: tuple[float, float, str]) -> int | None:
    best, best_overlap = None, 0.0
    for k, (a, b) in enumerate(bands):
        overlap = min(b, seg[1]) - max(a, seg[0])
        if overlap > best_overlap:
            best, best_overlap = k, overlap
    return best


def _row_from_segments(segs: list[tuple[float, float, str]], bands: list[tuple[float, float]]) -> list[str]:
    row = ["" for _ in bands]
    for seg in segs:
        k = _band_of(bands, seg)
        if k is None:
            continue
        row[k] = f"{row[k]} {seg[2]}".strip()
    return row


# ---------------------------------------------------------------------------------------
# document-level helpers
# ---------------------------------------------------------------------------------------


def _unwrap(exc: BaseException) -> BaseException:
    """pdfplumber wraps pdfminer's exceptions (and anything raised inside them)."""
    if isinstance(exc, PdfminerException) and exc.args and isinstance(exc.args[0], BaseException):
        return exc.args[0]
    return exc


def _describe(exc: BaseException) -> str:
    msg = str(exc).strip()
    return f"{type(exc).__name__}: {msg}" if msg else type(exc).__name__


def _looks_truncated(data: bytes) -> bool:
    return b"%%EOF" not in data[-2048:]


def _open_failure(exc: BaseException, data: bytes) -> LoadIssue:
    if isinstance(exc, PDFPasswordIncorrect | PDFEncryptionError):
        return LoadIssue("encrypted", f"PDF is encrypted and cannot be opened without its password ({_describe(exc)})",
                         severity="high", fatal=True)
    if not data.lstrip()[:5].startswith(b"%PDF"):
        return LoadIssue("unreadable", f"not a PDF file (no %PDF header): {_describe(exc)}", severity="high", fatal=True)
    if isinstance(exc, PSEOF) or _looks_truncated(data):
        return LoadIssue("truncated", f"PDF is truncated or cut off: {_describe(exc)}", severity="high", fatal=True)
    return LoadIssue("unreadable", f"PDF could not be parsed: {_describe(exc)}", severity="high", fatal=True)


def _page_count(pdf, parsed: int) -> int:
    """Pages declared by the page tree (pdfplumber only built the ones we asked for)."""
    try:
        count = resolve1(resolve1(pdf.doc.catalog["Pages"]).get("Count"))
        if isinstance(count, int) and count >= parsed:
            return count
    except Exception:  # noqa: BLE001 - a broken catalog just means we trust what we parsed
        pass
    return parsed


def _metadata(pdf) -> dict[str, str]:
    meta: dict[str, str] = {}
    info = pdf.metadata or {}
    for key, name in (("Producer", "producer"), ("Creator", "creator"), ("Title", "title")):
        value = info.get(key)
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        if isinstance(value, str) and value.strip():
            meta[name] = _fix_text_string(value.strip())
    return meta


def _fix_text_string(s: str) -> str:
    """Recover GBK titles written as hex strings or as bytes decoded with PDFDocEncoding."""
    m = _HEX_TITLE_RE.match(s)
    raw: bytes | None = None
    if m and len(m.group(1)) % 2 == 0:
        raw = bytes.fromhex(m.group(1))
    elif any(0x80 <= ord(c) <= 0xFF for c in s) and all(ord(c) <= 0xFF for c in s):
        raw = s.encode("latin-1")
    if raw is None:
        return s
    for enc in ("utf-8", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return s


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Abort a page that takes too long (SIGALRM; only possible in the main thread)."""
    if seconds <= 0 or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def _raise(signum, frame):  # noqa: ARG001
        raise _PageTimeout

    previous = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
