"""OCR for PDF pages without a text layer (the optional extra ``ocr``).

Signed and scanned 自评表 are common at county level: their pages carry only an image. When
the extra is installed, the PDF loader hands each such page here: the page is rendered to
an image with pypdfium2 (Apache-2.0/BSD, already installed with pdfplumber), text boxes are
recognised, and the boxes are laid out again as the PDF loader would lay out a text layer:
lines by vertical overlap, tables where aligned lines carry numbers (columns from the
x-extents of the body rows' boxes), running text joined into paragraphs. Every block is
marked ``source="ocr"`` with a confidence, and every table cell keeps its own confidence
(``RawTable.confidence``), so the frames say which numbers were read from an image and
``toolkit.findings`` can cap what is built on them.

Engine: ``rapidocr`` (≥ 3.10, Apache-2.0; PaddleOCR models under Apache-2.0) with
``onnxruntime``. Its wheel ships the Chinese PP-OCRv6 small detection and recognition models
(about 31 MB), so nothing is downloaded at run time. Compared on a real 决算 table page
rendered at 2× (132 numbers of two or more digits, text layer as truth, shared 2-core machine):
rapidocr 3.10 read 132/132 numbers exactly in 8.8 s; ``rapidocr-onnxruntime`` 1.4.4 (PP-OCRv4
models, also in its wheel, Apache-2.0) read 117/132 in 24.9 s and pins Python < 3.13 and the
full ``opencv-python`` (GUI libraries, about 190 MB) where rapidocr uses
``opencv-python-headless``. The extra installs about 270 MB (onnxruntime 78 MB, OpenCV
headless 150 MB, rapidocr 33 MB). ``rapidocr-onnxruntime`` is still used when it is the one
installed. PaddleOCR itself needs the Paddle framework (far larger); Tesseract needs a system
binary and separate traineddata for Chinese, so neither fits an optional pip extra.

Measured with ``scripts/ocr_accuracy.py`` (three real 决算/预算 table pages rendered at 144 dpi and
wrapped as image-only PDF pages, the loader's OCR path against the same pages' text layer):
422 of 426 numbers exact, digit accuracy 0.996 over 1808 digits, about 13 s CPU per page with one
thread. The misses are two-digit 款/项 codes in narrow columns (e.g. ``04`` read as ``0``), not amounts.

Only PDFs are recognised: an image-only page inside a DOCX/XLSX (a pasted scan) is rare in
these disclosures and is still reported by those loaders as having no text.

Without the extra the loader's ``scanned`` issues stay, with the hint to install it.
"""

from __future__ import annotations

import importlib.util
import logging
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from statistics import median

from toolkit.model import Block, Limits, LoadIssue, RawDocument, RawTable

log = logging.getLogger(__name__)

OCR_HINT = "install the OCR extra to read such pages: pip install 'yibao-audit[ocr]'"

# --- tunables ---------------------------------------------------------------------------
_TARGET_LONG_SIDE_PX = 2000  # render so the page's long side has about this many pixels
_MAX_SCALE = 4.0  # no upscaling beyond this for small pages; large pages are scaled down, never rendered huge
_BUDGET_SHARE = 0.6  # share of the per-file CPU budget OCR may use before it stops (pages left are reported)
_LINE_OVERLAP = 0.5  # boxes share a line when their vertical centres are closer than half the smaller height
_MIN_TABLE_LINES = 3  # a table needs this many aligned lines ...
_MIN_NUMBER_LINES = 2  # ... of which this many carry a number
_GAP_IN_TABLE_EM = 5.0  # a one-box line stays inside a table when it is this close (centre to centre) to its neighbours
_MAX_LONE_LINES = 3  # ... and at most this many such lines follow each other
_WRAP_PITCH = 0.7  # a line without numbers this close (in row pitches) to a row with numbers is its wrapped text
_PARA_PITCH = 1.6  # a line spacing this many times the usual one starts a new paragraph
_INDENT_EM = 1.5  # a line starting this far right of the text's left edge starts a paragraph
_SHORT_LINE_EM = 2.0  # a line ending this far left of the right edge ends its paragraph

_NUMBER_RE = re.compile(r"^[-−(（]?\d[\d,，]*(?:\.\d+)?[)）%]?$")
_AMOUNT_RE = re.compile(r"^[-−]?\d[\d,，]*\.\d+$")
_UNIT_LINE_RE = re.compile(r"单位\s*[:：]")
_LIST_MARKER = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}[.．、](?!\d)|第[一二三四五六七八九十]+部分)")


@dataclass(slots=True, frozen=True)
class TextBox:
    """One recognised text box, axis-aligned, in image pixels (y grows downwards)."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    confidence: float

    @property
    def height(self) -> float:
        return max(self.y1 - self.y0, 1.0)

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def is_number(self) -> bool:
        return bool(_NUMBER_RE.match(self.text.replace(" ", "")))


Engine = Callable[[object], list[TextBox]]


# ---------------------------------------------------------------------------------------
# engine
# ---------------------------------------------------------------------------------------


def ocr_available() -> bool:
    """True when an OCR engine and the page renderer are importable (the extra is installed)."""
    has_engine = any(importlib.util.find_spec(m) is not None for m in ("rapidocr", "rapidocr_onnxruntime"))
    return has_engine and importlib.util.find_spec("pypdfium2") is not None


def _quad_box(quad: Sequence[Sequence[float]], text: str, score: float) -> TextBox:
    xs = [float(p[0]) for p in quad]
    ys = [float(p[1]) for p in quad]
    return TextBox(min(xs), min(ys), max(xs), max(ys), str(text), float(score))


@cache
def default_engine() -> Engine | None:
    """The installed engine as ``image -> boxes`` (built once per process), or None without the extra.

    An engine that is installed but cannot start (say onnxruntime missing) counts as absent: the
    pages stay ``scanned`` issues with the install hint rather than failing the file.
    """
    if not ocr_available():
        return None
    for build in (_rapidocr, _rapidocr_onnxruntime):
        try:
            engine = build()
        except Exception as exc:  # noqa: BLE001 - ImportError, a missing runtime, a broken model file
            log.warning("OCR engine %s could not start: %s: %s", build.__name__.lstrip("_"), type(exc).__name__, exc)
            continue
        if engine is not None:
            return engine
    return None


def _rapidocr() -> Engine | None:
    if importlib.util.find_spec("rapidocr") is None:
        return None
    from rapidocr import RapidOCR

    rapid = RapidOCR(params={
        "Global.log_level": "error",
        # one thread: files are read in parallel worker processes, and on a busy machine extra
        # onnxruntime threads cost CPU time (measured: 12.6 s CPU per table page with 1, 18.8 s with 2)
        "EngineConfig.onnxruntime.intra_op_num_threads": 1,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
    })

    def run(image: object) -> list[TextBox]:
        out = rapid(image)
        if out is None or getattr(out, "boxes", None) is None:
            return []
        return [_quad_box(q, t, s) for q, t, s in zip(out.boxes, out.txts, out.scores, strict=True)]

    return run


def _rapidocr_onnxruntime() -> Engine | None:
    if importlib.util.find_spec("rapidocr_onnxruntime") is None:
        return None
    from rapidocr_onnxruntime import RapidOCR

    legacy = RapidOCR()

    def run(image: object) -> list[TextBox]:
        result, _ = legacy(image)
        return [_quad_box(q, t, s) for q, t, s in (result or [])]

    return run


def render_page(pdf: object, page_number: int) -> object:
    """Page ``page_number`` (1-based) of a ``pypdfium2.PdfDocument`` as an RGB numpy image."""
    page = pdf[page_number - 1]  # type: ignore[index]
    try:
        width, height = page.get_size()
        scale = min(_TARGET_LONG_SIDE_PX / max(width, height, 1.0), _MAX_SCALE)
        bitmap = page.render(scale=scale, rev_byteorder=True)
        image = bitmap.to_numpy()
        return image[:, :, :3].copy() if image.ndim == 3 else image
    finally:
        page.close()


# ---------------------------------------------------------------------------------------
# the loader's hook
# ---------------------------------------------------------------------------------------


def recognise_scanned_pages(doc: RawDocument, data: bytes, limits: Limits, engine: Engine | None = None) -> None:
    """Read by OCR the pages the PDF loader reported as ``scanned``; without an engine, add the install hint.

    OCR'd pages' blocks are inserted in page order; their ``scanned`` issue becomes an ``info`` ``ocr``
    issue naming the confidence. Pages that could not be recognised keep their issue, with the reason.
    """
    pages = sorted({i.page for i in doc.issues if i.code == "scanned" and i.page is not None})
    if not pages:
        return
    engine = engine or default_engine()
    if engine is None:
        for issue in doc.issues:
            if issue.code == "scanned" and OCR_HINT not in issue.reason:
                issue.reason = f"{issue.reason}; {OCR_HINT}"
        return
    try:
        import pypdfium2

        pdf = pypdfium2.PdfDocument(data)
    except Exception as exc:  # noqa: BLE001 - pdfium may reject what pdfplumber opened
        doc.issues.append(LoadIssue("ocr_error", f"pages could not be rendered for OCR: {type(exc).__name__}: {exc}"[:300],
                                    severity="medium"))
        return
    budget = _BUDGET_SHARE * float(getattr(limits, "file_timeout_s", 120.0))
    started = time.process_time()
    read: dict[int, list[Block]] = {}
    notes: dict[int, LoadIssue] = {}
    try:
        for p in pages:
            if time.process_time() - started >= budget:
                notes[p] = LoadIssue("scanned", f"page {p} has no text layer; not read by OCR: the file's OCR time "
                                     f"budget ({budget:g} s CPU) was used up", severity="medium", page=p)
                continue
            try:
                boxes = engine(render_page(pdf, p))
                blocks = layout_blocks(boxes, p)
            except TimeoutError:
                raise  # the caller's per-file budget (toolkit.worker.soft_deadline) ends the file
            except Exception as exc:  # noqa: BLE001 - one bad page must not lose the others
                log.debug("OCR failed on page %s of %s", p, doc.path, exc_info=True)
                notes[p] = LoadIssue("scanned", f"page {p} has no text layer; OCR failed: {type(exc).__name__}: {exc}"[:300],
                                     severity="medium", page=p)
                continue
            if not blocks:
                notes[p] = LoadIssue("scanned", f"page {p} has no text layer (scanned image?); OCR found no text on it",
                                     severity="medium", page=p)
                continue
            read[p] = blocks
            conf = _mean_confidence(boxes)
            n_cells = sum(len(r) for b in blocks if b.table for r in b.table.rows)
            notes[p] = LoadIssue("ocr", f"page {p} has no text layer; read by OCR ({len(boxes)} text boxes, "
                                 f"{sum(1 for b in blocks if b.kind == 'table')} tables, {n_cells} cells, "
                                 f"mean confidence {conf:.2f})", severity="info", page=p)
    finally:
        pdf.close()
    _merge(doc, read, notes)


def _merge(doc: RawDocument, read: dict[int, list[Block]], notes: dict[int, LoadIssue]) -> None:
    issues: list[LoadIssue] = []
    for issue in doc.issues:
        if issue.code != "scanned":
            issues.append(issue)
        elif issue.page is not None:
            issues.append(notes.get(issue.page, issue))
        elif not read:  # the file-level "nothing readable" issue goes once a page was read
            issues.append(issue)
    doc.issues = issues
    if not read:
        return
    blocks: list[Block] = []
    pending = sorted(read)
    for block in doc.blocks:
        while pending and block.page is not None and pending[0] < block.page:
            blocks.extend(read[pending.pop(0)])
        blocks.append(block)
    for p in pending:
        blocks.extend(read[p])
    doc.blocks = blocks


# ---------------------------------------------------------------------------------------
# layout: boxes -> lines -> tables and paragraphs
# ---------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Line:
    boxes: list[TextBox]

    @property
    def y0(self) -> float:
        return min(b.y0 for b in self.boxes)

    @property
    def cy(self) -> float:
        return median(b.cy for b in self.boxes)

    @property
    def x0(self) -> float:
        return min(b.x0 for b in self.boxes)

    @property
    def x1(self) -> float:
        return max(b.x1 for b in self.boxes)

    @property
    def text(self) -> str:
        return _join([b.text for b in self.boxes])

    @property
    def has_number(self) -> bool:
        return any(b.is_number for b in self.boxes)


def layout_blocks(boxes: Sequence[TextBox], page: int) -> list[Block]:
    """OCR boxes of one page -> paragraph and table blocks in reading order, marked as OCR."""
    pieces = [p for b in boxes if b.text.strip() for p in _split_numbers(b)]
    if not pieces:
        return []
    em = median(b.height for b in pieces)
    lines = _group_lines(pieces)
    blocks: list[Block] = []
    prose: list[_Line] = []
    for kind, run in _runs(lines, em):
        if kind == "table":
            blocks.extend(_paragraph_blocks(prose, em, page))
            prose = []
            blocks.append(_table_block(run, page))
        else:
            prose.extend(run)
    blocks.extend(_paragraph_blocks(prose, em, page))
    return blocks


def _split_numbers(box: TextBox) -> list[TextBox]:
    """A box holding several space-separated numbers (columns set close together) -> one box per number.

    The x-extent is shared out by character count; words that are not numbers stay together.
    """
    tokens = box.text.split()
    if len(tokens) < 2 or not any(_NUMBER_RE.match(t) for t in tokens):
        return [box]
    groups: list[str] = []
    for t in tokens:
        if _NUMBER_RE.match(t) or not groups or _NUMBER_RE.match(groups[-1]):
            groups.append(t)
        else:
            groups[-1] = f"{groups[-1]} {t}"
    if len(groups) < 2:
        return [box]
    total = sum(len(g) for g in groups) + len(groups) - 1
    width = box.x1 - box.x0
    out, x = [], box.x0
    for g in groups:
        w = width * len(g) / total
        out.append(TextBox(x, box.y0, x + w, box.y1, g, box.confidence))
        x += w + width / total
    return out


def _group_lines(boxes: list[TextBox]) -> list[_Line]:
    lines: list[_Line] = []
    for box in sorted(boxes, key=lambda b: (b.cy, b.x0)):
        for line in reversed(lines[-3:]):
            h = min(box.height, median(b.height for b in line.boxes))
            if abs(box.cy - line.cy) < _LINE_OVERLAP * h:
                line.boxes.append(box)
                break
        else:
            lines.append(_Line([box]))
    for line in lines:
        line.boxes.sort(key=lambda b: b.x0)
    lines.sort(key=lambda ln: ln.cy)
    return lines


def _is_row_like(line: _Line) -> bool:
    """Several boxes side by side (not a 单位 line), or a lone amount (its label wrapped onto other lines)."""
    if len(line.boxes) == 1:
        return bool(_AMOUNT_RE.match(line.boxes[0].text.replace(" ", "")))
    return not (_UNIT_LINE_RE.search(line.text) and not line.has_number)


def _runs(lines: list[_Line], em: float) -> list[tuple[str, list[_Line]]]:
    """Split lines into ("table", lines) runs of aligned rows with numbers and ("prose", lines) runs."""
    out: list[tuple[str, list[_Line]]] = []
    i = 0
    while i < len(lines):
        if not _is_row_like(lines[i]):
            out.append(("prose", [lines[i]]))
            i += 1
            continue
        j = i + 1
        while j < len(lines):
            if _is_row_like(lines[j]):
                j += 1
                continue
            # up to three lines of one box (a wrapped label, a lone amount, a sub-heading) inside the
            # table: each close to the line above, and a row-like line right after them
            k = j
            while (k < len(lines) and k - j < _MAX_LONE_LINES and not _is_row_like(lines[k])
                   and _UNIT_LINE_RE.search(lines[k].text) is None and lines[k].cy - lines[k - 1].cy < _GAP_IN_TABLE_EM * em):
                k += 1
            if k > j and k < len(lines) and _is_row_like(lines[k]) and lines[k].cy - lines[k - 1].cy < _GAP_IN_TABLE_EM * em:
                j = k + 1
                continue
            break
        run = lines[i:j]
        if len(run) >= _MIN_TABLE_LINES and sum(ln.has_number for ln in run) >= _MIN_NUMBER_LINES:
            out.append(("table", run))
        else:
            out.append(("prose", run))
        i = j
    return out


def _column_bands(lines: list[_Line]) -> list[tuple[float, float]]:
    """Columns as merged x-intervals of the boxes of the rows that carry numbers (headers may span columns)."""
    body = [b for ln in lines if ln.has_number for b in ln.boxes]
    spans = sorted((b.x0, b.x1) for b in body)
    bands: list[list[float]] = []
    for x0, x1 in spans:
        if bands and x0 < bands[-1][1]:
            bands[-1][1] = max(bands[-1][1], x1)
        else:
            bands.append([x0, x1])
    return [(a, b) for a, b in bands]


def _band_of(bands: list[tuple[float, float]], box: TextBox) -> int:
    overlaps = [min(b1, box.x1) - max(b0, box.x0) for b0, b1 in bands]
    best = max(range(len(bands)), key=lambda k: overlaps[k])
    if overlaps[best] > 0:
        return best
    centre = (box.x0 + box.x1) / 2
    return min(range(len(bands)), key=lambda k: abs((bands[k][0] + bands[k][1]) / 2 - centre))


def _row_groups(lines: list[_Line]) -> list[list[_Line]]:
    """Lines -> table rows: a label wrapped over two or three lines joins the row carrying its numbers.

    Below the header (from the first line with a number on), a line without numbers that sits
    closer than ``_WRAP_PITCH`` (single-line) row pitches to a neighbouring line with numbers is that row's
    wrapped text (its cells sit half a line above or below the row's centre); one further away
    is a row of its own (a sub-heading such as 其中：…).
    """
    numbered = [ln for ln in lines if ln.has_number]
    pitches = [b.cy - a.cy for a, b in zip(numbered, numbered[1:], strict=False)]
    if not pitches:
        return [[ln] for ln in lines]
    pitch = sorted(pitches)[len(pitches) // 4]  # a single-line row's pitch: rows holding a wrapped label are taller
    first = next(i for i, ln in enumerate(lines) if ln.has_number)
    owner: dict[int, int] = {}
    for i, line in enumerate(lines):
        if i <= first or line.has_number:
            continue
        near = [j for j in (i - 1, i + 1) if j < len(lines) and lines[j].has_number
                and abs(lines[j].cy - line.cy) < _WRAP_PITCH * pitch]
        if near:
            owner[i] = min(near, key=lambda j: abs(lines[j].cy - line.cy))
    groups: list[list[_Line]] = []
    index: dict[int, int] = {}
    for i, line in enumerate(lines):
        if i in owner:
            continue
        index[i] = len(groups)
        groups.append([line])
    for i, j in owner.items():
        groups[index[j]].append(lines[i])
    for g in groups:
        g.sort(key=lambda ln: ln.cy)
    return groups


def _table_block(lines: list[_Line], page: int) -> Block:
    bands = _column_bands(lines)
    rows: list[list[str]] = []
    confidence: list[list[float | None]] = []
    for group in _row_groups(lines):
        texts: list[list[str]] = [[] for _ in bands]
        confs: list[list[float]] = [[] for _ in bands]
        for box in (b for line in group for b in line.boxes):
            k = _band_of(bands, box)
            texts[k].append(box.text)
            confs[k].append(box.confidence)
        rows.append([_join(t) for t in texts])
        confidence.append([min(c) if c else None for c in confs])
    table = RawTable(rows=rows, page=page, confidence=confidence)
    scores = [c for r in confidence for c in r if c is not None]
    return Block("table", table=table, page=page, source="ocr",
                 confidence=sum(scores) / len(scores) if scores else None)


def _paragraph_blocks(lines: list[_Line], em: float, page: int) -> list[Block]:
    if not lines:
        return []
    pitches = [b.cy - a.cy for a, b in zip(lines, lines[1:], strict=False)]
    pitch = median(pitches) if pitches else 2 * em
    left = min(ln.x0 for ln in lines)
    right = max(ln.x1 for ln in lines)
    paras: list[list[_Line]] = [[lines[0]]]
    for prev, line in zip(lines, lines[1:], strict=False):
        new = (
            line.cy - prev.cy > _PARA_PITCH * pitch
            or line.x0 > left + _INDENT_EM * em
            or prev.x1 < right - _SHORT_LINE_EM * em
            or bool(_LIST_MARKER.match(line.text))
        )
        if new:
            paras.append([line])
        else:
            paras[-1].append(line)
    out = []
    for para in paras:
        boxes = [b for ln in para for b in ln.boxes]
        text = ""
        for ln in para:
            text = _join([text, ln.text]) if text else ln.text
        out.append(Block("para", text=text, page=page, source="ocr", confidence=_mean_confidence(boxes)))
    return out


def _mean_confidence(boxes: Sequence[TextBox]) -> float:
    """Character-weighted mean of the boxes' confidences."""
    n = sum(len(b.text) for b in boxes)
    return sum(b.confidence * len(b.text) for b in boxes) / n if n else 0.0


def _is_cjk(ch: str) -> bool:
    return "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"


def _join(parts: Sequence[str]) -> str:
    """Join texts as printed: no space between CJK characters, one space otherwise."""
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if out and not (_is_cjk(out[-1]) or _is_cjk(part[0])):
            out += " "
        out += part
    return out
