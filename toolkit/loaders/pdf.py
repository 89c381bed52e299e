"""PDF -> :class:`RawDocument` with pdfplumber (never PyMuPDF: AGPL).

Per page, in reading order (top to bottom): paragraphs of running text and table grids.

How a page is read (one pdfminer parse per page; every later step reuses its chars):

1. ``page.chars`` once; overprinted duplicates (fake bold) and ``(cid:N)`` glyphs are dropped.
2. Ruled tables: pdfplumber's lattice finder on the page's *visible* ruling lines (white
   background boxes of spreadsheet exports are dropped; a rule-less top/bottom row of a
   table cut by a page break is closed). Each char goes to the cell containing its centre
   through a sorted search over the grid (pdfplumber's own ``Table.extract`` scans every char for
   every cell). Grids drawn side by side with the same rows become one table (lanes); a
   table opening a page is laid onto the column grid of the table closing the previous one.
3. Pages without ruled tables: lines whose words sit in aligned, widely separated columns
   with numbers in them become a table by clustering the words' x-extents.
4. What is left is running text: chars are grouped into lines by vertical *overlap* (not by
   equal ``top``), so a number printed in another font on a slightly lower baseline stays
   on its label's line (seen in a real ONLYOFFICE 决算 where pdfplumber's own text puts
   every number on a line of its own), then lines are joined into paragraphs.

Step 2 is :mod:`toolkit.loaders.pdf_ruling`; steps 3 and 4 are page geometry without pdfplumber:
:mod:`toolkit.loaders.pdf_layout`.

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
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial

import numpy as np
import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdftypes import resolve1
from pdfminer.psparser import PSEOF
from pdfplumber.utils.exceptions import PdfminerException

from toolkit import settings
from toolkit.loaders.formats import Format
from toolkit.loaders.ocr import recognise_scanned_pages
from toolkit.loaders.pdf_layout import (
    Char,
    Line,
    PageTable,
    group_lines,
    join_lines,
    paragraphs,
    unruled_tables,
)
from toolkit.loaders.pdf_pdfium import PageObjects, PdfiumSource
from toolkit.loaders.pdf_ruling import find_ruled_tables
from toolkit.loaders.pdf_streams import check_streams
from toolkit.model import Block, Limits, LoadIssue, RawDocument
from toolkit.normalize.text import is_page_artifact
from toolkit.normalize.visible import visible_counter

log = logging.getLogger(__name__)

# --- tunables (in units of the font size, "em", unless said otherwise) -----------------
_CID_GARBAGE_SHARE = 0.5

_CID_RE = re.compile(r"^\(cid:\d+\)$")
_HEX_TITLE_RE = re.compile(r"^<([0-9A-Fa-f]{4,})>$")


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
    visible: Counter | None = None  # character accounting: visible chars of the page's text layer
    lead: _Edge | None = None  # table that opens the page (a continuation candidate)
    tail: _Edge | None = None  # table that closes the page


class _PageTimeout(BaseException):
    """Raised by the per-page alarm; a BaseException so that no library ``except Exception`` swallows it."""


# ---------------------------------------------------------------------------------------
# entry point
# ---------------------------------------------------------------------------------------


def load_pdf(data: bytes, path: str, limits: Limits, *, source: str | None = None) -> RawDocument:
    """Read a PDF; ``source`` is ``"pdfium"`` or ``"pdfplumber"`` (default: :data:`toolkit.settings.PDF_SOURCE`)."""
    doc, opened = _read_text_layer(data, path, limits, source)
    if opened:
        recognise_scanned_pages(doc, data, limits)  # pages without a text layer, when the OCR extra is installed
    return doc


def read_text_layer(data: bytes, path: str, limits: Limits, *, source: str | None = None) -> RawDocument:
    """:func:`load_pdf` without OCR: the text layer only (what the benchmark and the source diff compare)."""
    return _read_text_layer(data, path, limits, source)[0]


def _read_text_layer(data: bytes, path: str, limits: Limits, source: str | None) -> tuple[RawDocument, bool]:
    """The document and whether the file opened (a refused or unopenable file gets no OCR)."""
    doc = RawDocument(path=path, format="pdf")
    if not data:
        doc.issues.append(LoadIssue("empty", "file is empty (0 bytes)", severity="high", fatal=True))
        return doc, False
    if len(data) > limits.max_file_bytes:
        doc.issues.append(
            LoadIssue("too_large", f"file is {len(data)} bytes, above the limit of {limits.max_file_bytes}",
                      severity="high", fatal=True)
        )
        return doc, False
    bomb = check_streams(data, limits)
    if bomb is not None:
        doc.issues.append(bomb)
        return doc, False
    source = source or settings.PDF_SOURCE
    if source == "pdfplumber":
        _load_with_pdfplumber(data, doc, limits)
    elif source == "pdfium":
        _load_with_pdfium(data, doc, limits)
    else:
        raise ValueError(f"unknown PDF source {source!r} (pdfium or pdfplumber)")
    if doc.failed:  # could not be opened
        return doc, False
    _finish(doc, data)
    return doc, True


def _say_page_limit(doc: RawDocument, limits: Limits) -> None:
    if doc.pages > limits.max_pages:
        doc.issues.append(
            LoadIssue("too_many_pages", f"document has {doc.pages} pages; only the first {limits.max_pages} were read",
                      severity="medium")
        )


def _load_with_pdfium(data: bytes, doc: RawDocument, limits: Limits) -> None:
    try:
        pdf = PdfiumSource(data)
    except pdfium.PdfiumError as exc:
        doc.issues.append(_pdfium_open_failure(exc, data))
        return
    with pdf:
        doc.meta = _clean_metadata(pdf.metadata())
        doc.pages = len(pdf)
        _say_page_limit(doc, limits)
        count = min(doc.pages, limits.max_pages)
        _read_pages(((k + 1, partial(pdf.page, k)) for k in range(count)), doc, limits)


def _load_with_pdfplumber(data: bytes, doc: RawDocument, limits: Limits) -> None:
    try:
        pdf = pdfplumber.open(io.BytesIO(data), pages=list(range(1, limits.max_pages + 1)))
    except Exception as exc:  # noqa: BLE001 - a hostile file may raise anything
        inner = _unwrap(exc)
        if isinstance(inner, TimeoutError):
            raise inner from exc
        doc.issues.append(_open_failure(inner, data))
        return
    with pdf:
        doc.meta = _metadata(pdf)
        try:
            pages = pdf.pages
        except Exception as exc:  # noqa: BLE001 - a broken page tree
            inner = _unwrap(exc)
            if isinstance(inner, TimeoutError):
                raise inner from exc
            doc.issues.append(_open_failure(inner, data))
            return
        doc.pages = _page_count(pdf, len(pages))
        _say_page_limit(doc, limits)
        _read_pages(((page.page_number, partial(_plumber_objects, page)) for page in pages), doc, limits)


def _read_pages(pages: Iterable[tuple[int, Callable[[], PageObjects]]], doc: RawDocument, limits: Limits) -> None:
    """Read each page's objects (``pages`` yields a page number and a function returning them)."""
    chars_left = limits.max_text_chars
    prev_tail: _Edge | None = None
    for p, objects in pages:
        try:
            with _deadline(limits.pdf_page_timeout_s):
                result = read_page_objects(objects())
        except _PageTimeout:
            result = _PageResult(issues=[LoadIssue("timeout", f"page {p} used more than its {limits.pdf_page_timeout_s:g} s CPU limit (pdf_page_timeout_s); skipped",
                                                   severity="high", page=p)])
        except Exception as exc:  # noqa: BLE001 - one bad page must not lose the others
            inner = _unwrap(exc)
            if isinstance(inner, TimeoutError):
                raise inner from exc  # the caller's per-file budget (toolkit.worker.soft_deadline) ends the file
            log.debug("page %s of %s failed", p, doc.path, exc_info=True)
            result = _PageResult(issues=[LoadIssue("page_error", f"page {p} could not be read: {_describe(inner)}",
                                                   severity="high", page=p)])
        if prev_tail is not None and result.lead is not None:
            _align_continuation(prev_tail, result.lead)
        prev_tail = result.tail
        doc.blocks.extend(result.blocks)
        if result.visible is not None:
            doc.visible_chars[p] = result.visible
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


def _plumber_objects(page) -> PageObjects:
    """A pdfplumber page as the page reader's input (pdfminer parses the page here); its caches are dropped."""
    try:
        raw_chars = page.chars
        chars, n_cid = _clean_chars(raw_chars)
        return PageObjects(page.page_number, chars, n_cid, bool(raw_chars), list(page.edges), tuple(page.bbox))
    finally:
        page.close()  # drop pdfplumber's per-page caches: memory stays flat on long files


def _read_page(page) -> _PageResult:
    """One pdfplumber page read (kept for callers that already hold a pdfplumber page)."""
    return read_page_objects(_plumber_objects(page))


def read_page_objects(page: PageObjects) -> _PageResult:
    """The page reader: characters and edges -> paragraphs and tables, whichever source produced them."""
    p = page.number
    chars, n_cid = page.chars, page.n_unmapped
    result = _PageResult(n_chars=len(chars), visible=visible_counter("".join(c.text for c in chars)))
    if not page.has_text:
        result.issues.append(LoadIssue("scanned", f"page {p} has no text layer (scanned image?)", severity="medium", page=p))
        return result
    if n_cid and n_cid >= _CID_GARBAGE_SHARE * (n_cid + len(chars)):
        result.issues.append(LoadIssue("cid_garbage", f"page {p}: {n_cid} of {n_cid + len(chars)} characters are unmapped "
                                       "glyphs (cid:N); the font has no Unicode map", severity="medium", page=p))
    ruled = find_ruled_tables(page.edges, page.bbox)
    tables, free = _fill_ruled_tables(ruled, chars)
    lines = group_lines(free)
    if not tables:
        tables, lines = unruled_tables(lines)
    result.blocks, placed = _page_blocks(tables, lines, p)
    _mark_page_edges(result, placed)
    return result


def _clean_chars(raw: list[dict]) -> tuple[list[Char], int]:
    """Plain char records; drop overprinted duplicates (fake bold) and unmapped cid glyphs."""
    seen: set[tuple[str, int, int]] = set()
    out: list[Char] = []
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
        out.append(Char(text, c["x0"], c["x1"], c["top"], c["bottom"], c.get("size") or (c["bottom"] - c["top"])))
    return out, n_cid


# ---------------------------------------------------------------------------------------
# ruled tables
# ---------------------------------------------------------------------------------------


class _Grid:
    """Cell lookup for one pdfplumber table: sorted search over the distinct cell edges.

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
        self.cell_chars: dict[tuple[int, int], list[Char]] = {}

    def add_at(self, ch: Char, r: int, c: int) -> None:
        """Put ``ch`` at grid row ``r``, column ``c`` (both >= 0)."""
        hit = self.owner.get((r, c))
        # Text in a spot pdfplumber built no cell for (a merged cell whose outline it could
        # not close) still belongs to the table: keep it at its grid position.
        key = (hit[0], hit[1]) if hit is not None else (r, c)
        self.cell_chars.setdefault(key, []).append(ch)

    def rows(self) -> list[list[str]]:
        grid = [["" for _ in self.lefts] for _ in self.tops]
        for (r, c), chars in self.cell_chars.items():
            grid[r][c] = "\n".join(line.text for line in group_lines(chars))
        return grid


def _fill_ruled_tables(found: list, chars: list[Char]) -> tuple[list[PageTable], list[Char]]:
    """Assign every char to a table cell or leave it as running text."""
    grids = [_Grid(t) for t in found if t.cells]
    if not grids:
        return [], list(chars)
    free: list[Char] = []
    members: list[list[Char]] = [[] for _ in grids]
    # each char's centre, the first grid whose box holds it and its grid position there
    xs = (np.array([ch.x0 for ch in chars]) + np.array([ch.x1 for ch in chars])) / 2
    ys = (np.array([ch.top for ch in chars]) + np.array([ch.bottom for ch in chars])) / 2
    owner = np.full(len(chars), -1)
    rows = np.zeros(len(chars), dtype=np.int64)
    cols = np.zeros(len(chars), dtype=np.int64)
    for k, g in enumerate(grids):
        x0, top, x1, bottom = g.bbox
        r = np.searchsorted(g.tops, ys, side="right") - 1
        c = np.searchsorted(g.lefts, xs, side="right") - 1
        hit = (owner < 0) & (x0 <= xs) & (xs <= x1) & (top <= ys) & (ys <= bottom) & (r >= 0) & (c >= 0)
        owner[hit], rows[hit], cols[hit] = k, r[hit], c[hit]
    for ch, k, r, c in zip(chars, owner.tolist(), rows.tolist(), cols.tolist(), strict=True):
        if k < 0:
            free.append(ch)
        else:
            grids[k].add_at(ch, r, c)
            members[k].append(ch)
    tables: list[PageTable] = []
    for g, mine in zip(grids, members, strict=True):
        rows = g.rows()
        filled = sum(1 for row in rows for cell in row if cell.strip())
        if len(g.lefts) >= 2 and filled >= 2:
            tables.append(PageTable(top=g.bbox[1], rows=rows, bbox=tuple(g.bbox), row_tops=list(g.tops),
                                     lefts=list(g.lefts)))
        else:
            # A box around a paragraph, a one-column list (a boxed table of contents) or an
            # empty frame: not a table. Its text goes back to the running text.
            free.extend(mine)
    return _merge_side_by_side(tables), free


def _merge_side_by_side(tables: list[PageTable]) -> list[PageTable]:
    """Two grids drawn next to each other with the same rows are one table with two lanes.

    (E.g. a 基本支出 table printed as a 人员经费 grid beside a 公用经费 grid.) Downstream
    recognition splits lanes itself; it needs one row per printed row.
    """
    tables = sorted(tables, key=lambda t: (t.bbox[0] if t.bbox else 0.0))
    out: list[PageTable] = []
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


def _same_rows(a: PageTable, b: PageTable, tol: float = 2.0) -> bool:
    if not (a.bbox and b.bbox and a.row_tops and b.row_tops) or len(a.row_tops) != len(b.row_tops):
        return False
    if b.bbox[0] < a.bbox[2] - tol:  # must sit to the right, not overlap
        return False
    if abs(a.bbox[3] - b.bbox[3]) > tol:
        return False
    return all(abs(x - y) <= tol for x, y in zip(a.row_tops, b.row_tops, strict=True))


def _page_blocks(tables: list[PageTable], lines: list[Line], page: int) -> tuple[list[Block], list[tuple[Block, PageTable]]]:
    """Interleave running text and tables by their vertical position."""
    tables = sorted(tables, key=lambda t: t.top)
    blocks: list[Block] = []
    placed: list[tuple[Block, PageTable]] = []
    i = 0
    for t in tables:
        above: list[Line] = []
        while i < len(lines) and lines[i].top < t.top:
            above.append(lines[i])
            i += 1
        blocks.extend(Block.para(join_lines(p), page=page) for p in paragraphs(above))
        block = Block.tab(t.rows, page=page)
        blocks.append(block)
        placed.append((block, t))
    blocks.extend(Block.para(join_lines(p), page=page) for p in paragraphs(lines[i:]))
    return blocks, placed


_CONTINUATION_MARK = re.compile(r"^[(（]?续表?[)）]?$|^续$")


def _is_filler(block: Block) -> bool:
    """Text that may sit between a table and the page break without ending the table."""
    text = block.text.strip()
    return block.kind == "para" and (is_page_artifact(text) or bool(_CONTINUATION_MARK.match(text)))


def _mark_page_edges(result: _PageResult, placed: list[tuple[Block, PageTable]]) -> None:
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


def _pdfium_open_failure(exc: pdfium.PdfiumError, data: bytes) -> LoadIssue:
    if exc.err_code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
        return LoadIssue("encrypted", f"PDF is encrypted and cannot be opened without its password ({_describe(exc)})",
                         severity="high", fatal=True)
    if not data.lstrip()[:5].startswith(b"%PDF"):
        return LoadIssue("unreadable", f"not a PDF file (no %PDF header): {_describe(exc)}", severity="high", fatal=True)
    if _looks_truncated(data):
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
    return _clean_metadata(pdf.metadata or {})


def _clean_metadata(info: dict) -> dict[str, str]:
    meta: dict[str, str] = {}
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
    """Abort a page that uses too much CPU time (ITIMER_PROF/SIGPROF: the same page passes or fails
    whatever the machine's load; only possible in the main thread). The per-file budget uses
    ITIMER_VIRTUAL and RLIMIT_CPU, so the alarms never reset one another."""
    if seconds <= 0 or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def _raise(signum, frame):  # noqa: ARG001
        raise _PageTimeout

    previous = signal.signal(signal.SIGPROF, _raise)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def truncation_hints(data: bytes) -> list[LoadIssue]:
    """Cheap structural hints the PDF loader's errors do not always make clear."""
    if b"%%EOF" not in data[-2048:]:
        return [
            LoadIssue(
                "truncated",
                f"PDF is truncated: no %%EOF marker at the end of its {len(data):,} bytes "
                "(download cut short?); pages after the cut are missing",
                severity="medium",
            )
        ]
    return []


FORMATS = (Format("pdf", "PDF document", (".pdf",), load_pdf, magic=(b"%PDF-",), hints=truncation_hints),)
