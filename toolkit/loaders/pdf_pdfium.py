"""PDF page objects from pdfium (pypdfium2, Apache-2.0/BSD): what the page reader needs, fast.

The page reader (:mod:`toolkit.loaders.pdf`) needs, per page, the characters (text, box in
top-left page coordinates, font size), the unmapped glyphs counted, and the ruling edges
(lines, rectangles and curves with their stroke/fill flags and colours) in the dict shape
pdfplumber's table finder takes. pdfplumber builds both from pdfminer's pure-Python content
stream interpreter, which is most of the time of a PDF read; pdfium interprets the page in C.

Why pdfium and not playa-pdf (MIT, pure Python, pdfminer's successor): measured in one run over
the 128 pages of ``datasets/realdocs`` on a loaded 2-core machine, CPU time of the page objects
alone (characters with boxes, paths with stroke/fill), playa-pdf 1.1.0 read 29 pages per
CPU-second and this source 84 (edges included), about 3x; fed to the same page reader,
playa-pdf would stay below the 120 pages/s target on an idle core. pdfium is already
installed (pdfplumber and the OCR extra use it to render) and interprets content streams in C.
What pdfium costs: it is not thread-safe (we read in worker processes only, one file at a
time), a call into it cannot be interrupted by a signal (the worker's hard wall-clock kill
is the timeout of last resort), and it decompresses streams without a size limit (the
loader checks the file's stream sizes before handing it over:
:func:`toolkit.loaders.pdf_streams.check_streams`).

How pdfium's model is mapped onto pdfplumber's:

* characters: pdfium's text page, in content order; the size is the font size through the
  character's text matrix (pdfminer's), not pdfium's bare ``Tf`` operand. Characters pdfium *generated* (the
  spaces and line breaks it infers from gaps) are dropped -- pdfplumber never has them --
  while spaces printed in the content stream are kept. The box is pdfium's "loose" box
  horizontally (origin to advance width, as pdfminer); vertically pdfminer's box is rebuilt
  from the baseline: the font's descent below it, one font size high (pdfium's own boxes
  follow each glyph's outline, so punctuation would fall off its line). A glyph with a
  Unicode map error is counted as unmapped (pdfminer's ``(cid:N)``).
* paths: each subpath is classified as pdfminer does (one segment: a line; four segments
  closing on an axis-aligned box: a rectangle; else a curve through its end points) and
  turned into edges as pdfplumber does; objects inside form XObjects are included with the
  form's matrix applied.
* coordinates: PDF user space -> pdfminer's device space for the page's /Rotate (its
  rotation matrix over the media box) -> top-left origin (``top = height - y``).
"""

from __future__ import annotations

import ctypes
import math
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from toolkit.loaders.pdf_layout import Char

Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_MAX_FORM_DEPTH = 12  # nested form XObjects deeper than this are not followed (a cycle guard)
_CID_FONT_SHARE = 0.5  # a font with this share of its glyphs unmapped on a page has no usable map
_UNMAPPED_TEXT = frozenset("\x00\ufffe\uffff")


@dataclass(slots=True)
class PageObjects:
    """One page as the page reader consumes it (from either source)."""

    number: int  # 1-based
    chars: list[Char]
    n_unmapped: int  # glyphs without a Unicode map (dropped from ``chars``)
    has_text: bool  # the page has a text layer at all (mapped or not)
    edges: list[dict] = field(default_factory=list)  # pdfplumber edge dicts
    bbox: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)


def _mul(m: Matrix, n: Matrix) -> Matrix:
    """``m`` then ``n`` (PDF row-vector convention: p' = p · m · n)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def page_matrix(mediabox: tuple[float, float, float, float], rotate: int) -> tuple[Matrix, float]:
    """User space -> pdfplumber's top-left page space, and the page height there.

    pdfminer's device matrix for the page's rotation over its media box, then the flip
    ``top = height - y``.
    """
    x0, y0, x1, y1 = mediabox
    rotate %= 360
    if rotate == 90:
        ctm, height = (0.0, -1.0, 1.0, 0.0, -y0, x1), x1 - x0
    elif rotate == 180:
        ctm, height = (-1.0, 0.0, 0.0, -1.0, x1, y1), y1 - y0
    elif rotate == 270:
        ctm, height = (0.0, 1.0, -1.0, 0.0, y1, -x0), x1 - x0
    else:
        ctm, height = (1.0, 0.0, 0.0, 1.0, -x0, -y0), y1 - y0
    return _mul(ctm, (1.0, 0.0, 0.0, -1.0, 0.0, height)), height


class PdfiumSource:
    """An open PDF: page count, metadata and :class:`PageObjects` per page. Close it when done."""

    def __init__(self, data: bytes) -> None:
        self._pdf = pdfium.PdfDocument(data)

    def __enter__(self) -> PdfiumSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._pdf.close()

    def __len__(self) -> int:
        return len(self._pdf)

    def metadata(self) -> dict[str, str]:
        try:
            return {k: v for k, v in self._pdf.get_metadata_dict(skip_empty=True).items() if isinstance(v, str)}
        except Exception:  # noqa: BLE001 - metadata is a nicety
            return {}

    def pages(self, count: int) -> Iterator[tuple[int, PageObjects | BaseException]]:
        """The first ``count`` pages in order; a page pdfium cannot load yields its exception."""
        for k in range(min(count, len(self._pdf))):
            try:
                yield k + 1, self.page(k)
            except Exception as exc:  # noqa: BLE001 - one bad page must not lose the others
                yield k + 1, exc

    def page(self, index: int) -> PageObjects:
        page = self._pdf[index]
        try:
            box = page.get_mediabox()
            mediabox = (min(box[0], box[2]), min(box[1], box[3]), max(box[0], box[2]), max(box[1], box[3]))
            to_page, height = page_matrix(mediabox, page.get_rotation())
            width = (mediabox[3] - mediabox[1]) if page.get_rotation() % 180 == 90 else (mediabox[2] - mediabox[0])
            textpage = page.get_textpage()
            try:
                chars, n_unmapped, has_text = _chars(textpage.raw, to_page)
            finally:
                textpage.close()
            edges = _edges(page.raw, to_page)
        finally:
            page.close()
        return PageObjects(index + 1, chars, n_unmapped, has_text, edges, (0.0, 0.0, width, height))


# ---------------------------------------------------------------------------------------
# characters
# ---------------------------------------------------------------------------------------


def _plain_handles(name: str):
    """pdfium's function ``name`` with every pointer argument and result passed as a plain
    integer address: no pointer object is built per call and none has to be cast back, which
    in the per-character and per-segment loops costs as much as the call itself, and an
    out-parameter can be a slot of a preallocated array (its base address plus an offset)."""
    fn = getattr(pdfium_c, name)

    def plain(t):
        return ctypes.c_void_p if isinstance(t, type) and issubclass(t, ctypes._Pointer) else t

    proto = ctypes.CFUNCTYPE(plain(fn.restype), *(plain(t) for t in fn.argtypes))
    return proto(ctypes.cast(fn, ctypes.c_void_p).value)


_count_chars = _plain_handles("FPDFText_CountChars")
_get_text = _plain_handles("FPDFText_GetText")
_get_unicode = _plain_handles("FPDFText_GetUnicode")
_is_generated = _plain_handles("FPDFText_IsGenerated")
_map_error = _plain_handles("FPDFText_HasUnicodeMapError")
_loose_box = _plain_handles("FPDFText_GetLooseCharBox")
_text_object = _plain_handles("FPDFText_GetTextObject")
_char_matrix = _plain_handles("FPDFText_GetMatrix")
_font_size = _plain_handles("FPDFText_GetFontSize")
_char_origin = _plain_handles("FPDFText_GetCharOrigin")
_object_font = _plain_handles("FPDFTextObj_GetFont")
_font_descent = _plain_handles("FPDFFont_GetDescent")
_RECT = ctypes.sizeof(pdfium_c.FS_RECTF)  # four floats: left, top, right, bottom
_MATRIX = ctypes.sizeof(pdfium_c.FS_MATRIX)  # six floats: a b c d e f


def _handle(raw) -> int:
    """The address of a pypdfium2 handle (a ctypes pointer)."""
    return ctypes.cast(raw, ctypes.c_void_p).value or 0


def _page_text(tp: int, n: int) -> list[str]:
    """The text page's characters, one string per character index: all of them in one call,
    or one call per character when they do not map one to one onto the UTF-16 text (a
    character outside the BMP takes two units)."""
    buf = np.zeros(n + 1, dtype=np.uint16)
    got = _get_text(tp, 0, n, buf.ctypes.data)
    text = buf[:max(got - 1, 0)].tobytes().decode("utf-16-le", "replace")
    if len(text) == n:
        return list(text)
    return [_chr(_get_unicode(tp, i)) for i in range(n)]


def _chars(textpage, m: Matrix) -> tuple[list[Char], int, bool]:
    """The page's characters.

    pdfium is asked in batches, each a list comprehension filling a preallocated array: per
    character its text object, its Unicode-map flag and its loose box; per run of characters
    of one text object (one font, one size, one matrix, one baseline) the matrix, the font
    size, the origin of the run's first character and the font. The geometry is computed
    on whole arrays.
    """
    tp = _handle(textpage)
    n = _count_chars(tp)
    if n <= 0:
        return [], 0, False
    text = _page_text(tp, n)
    # pdfium's own line breaks and word gaps are dropped; a printed line break only says the
    # page has text (it carries no position worth keeping)
    generated = {i for i, ch in enumerate(text) if ch.isspace() and _is_generated(tp, i) == 1}
    keep = [i for i, ch in enumerate(text) if ch not in "\r\n" and i not in generated]
    if not keep:
        return [], 0, any(ch in "\r\n" and i not in generated for i, ch in enumerate(text))
    text_object, map_error = _text_object, _map_error
    objects = np.array([text_object(tp, i) or 0 for i in keep], dtype=np.uint64)
    starts = np.flatnonzero(np.concatenate(([True], objects[1:] != objects[:-1])))
    runs = np.diff(np.append(starts, len(keep)))
    size, axis, low, font = (np.repeat(v, runs) for v in
                             _run_metrics(tp, [keep[j] for j in starts.tolist()], objects[starts].tolist()))
    texts = [text[i] for i in keep]
    unmapped = np.array([ch in _UNMAPPED_TEXT or map_error(tp, i) == 1 for ch, i in zip(texts, keep, strict=True)],
                        dtype=bool)
    mapped = np.flatnonzero(~unmapped)
    rects = np.zeros((len(mapped), 4), dtype=np.float32)  # left, top, right, bottom
    base, loose_box = rects.ctypes.data, _loose_box
    boxed = np.array([loose_box(tp, keep[j], base + _RECT * k) for k, j in enumerate(mapped.tolist())], dtype=bool)
    sel = mapped[boxed]
    x0, x1, top, bottom = _page_boxes(rects[boxed].astype(np.float64), size[sel], axis[sel], low[sel], m)
    texts = [texts[j] for j in sel.tolist()]
    first = _first_occurrences(texts, x0, top)  # later ones are overprinted duplicates (fake bold)
    # A font without a Unicode map: pdfium flags most of its glyphs, and passes the others
    # through as their glyph ids (garbage that looks like text). Mostly unmapped = all unmapped.
    fonts, total = np.unique(font, return_counts=True)
    bad = np.bincount(np.searchsorted(fonts, font[unmapped]), minlength=len(fonts))
    garbage = np.isin(font[sel], fonts[(bad > 0) & (bad >= _CID_FONT_SHARE * total)])
    out = first & ~garbage
    n_unmapped = int(unmapped.sum()) + int((first & garbage).sum())
    pick = np.flatnonzero(out)
    chars = list(map(Char, [texts[j] for j in pick.tolist()], x0[pick].tolist(), x1[pick].tolist(),
                     top[pick].tolist(), bottom[pick].tolist(), size[sel][pick].tolist()))
    return chars, n_unmapped, True


def _page_boxes(rects: np.ndarray, size: np.ndarray, axis: np.ndarray, low: np.ndarray, m: Matrix
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """pdfminer's character boxes in page space: pdfium's loose box along the text, one font
    size from ``low`` across it (see :func:`_run_metrics`), through the page matrix."""
    ux0, uy1, ux1, uy0 = rects.T
    up = axis == 1  # upright in user space: the box's height is pdfminer's
    uy0, uy1 = np.where(up, low, uy0), np.where(up, low + size, uy1)
    turned = axis == 2  # turned a quarter (a /Rotate page's upright text): its width is
    ux0, ux1 = np.where(turned, low, ux0), np.where(turned, low + size, ux1)
    # two opposite corners through the page matrix (axis-aligned under any /Rotate)
    a, b, c, d, e, f = m
    xa, ya = ux0 * a + uy1 * c + e, ux0 * b + uy1 * d + f
    xb, yb = ux1 * a + uy0 * c + e, ux1 * b + uy0 * d + f
    return np.where(xa <= xb, xa, xb), np.where(xa <= xb, xb, xa), np.where(ya <= yb, ya, yb), np.where(ya <= yb, yb, ya)


def _first_occurrences(texts: list[str], x0: np.ndarray, top: np.ndarray) -> np.ndarray:
    """True for each character not printed before at the same place: same text, same ``x0`` and
    ``top`` to the nearest point (half to even, as ``round``)."""
    if not texts:
        return np.zeros(0, dtype=bool)
    code = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    rx, ry = np.rint(x0), np.rint(top)
    order = np.lexsort((ry, rx, code))  # stable: each group's first member is its first occurrence
    c, x, y = code[order], rx[order], ry[order]
    starts = np.ones(len(order), dtype=bool)
    starts[1:] = (c[1:] != c[:-1]) | (x[1:] != x[:-1]) | (y[1:] != y[:-1])
    first = np.zeros(len(order), dtype=bool)
    first[order[starts]] = True
    return first


def _run_metrics(tp: int, first: list[int], objects: list[int]) -> tuple[np.ndarray, ...]:
    """Font size (through the text matrix), the user-space axis the text's "up" runs along
    (1: y, 2: x, 0: slanted), where pdfminer's box starts on it, and the font's address, per
    run of characters of one text object (``first``: each run's first character).

    pdfium's font size is the ``Tf`` operand; pdfminer's is that through the text matrix (the
    char's height). pdfminer's box runs from the font's descent below the baseline up one
    font size; pdfium's own boxes follow each glyph's outline and would break lines apart.
    The baseline is the same for every character of one text object.
    """
    k = len(first)
    matrices = np.zeros((k, 6), dtype=np.float32)
    origins = np.zeros((k, 2), dtype=np.float64)
    mbase, obase = matrices.ctypes.data, origins.ctypes.data
    char_matrix, char_origin, font_size, object_font = _char_matrix, _char_origin, _font_size, _object_font
    has_matrix = np.array([char_matrix(tp, i, mbase + _MATRIX * r) for r, i in enumerate(first)], dtype=bool)
    for r, i in enumerate(first):
        char_origin(tp, i, obase + 16 * r, obase + 16 * r + 8)
    tf = np.array([font_size(tp, i) for i in first], dtype=np.float64)
    fonts = [(object_font(o) or 0) if o else 0 for o in objects]
    descents = {font: _unit_descent(font) for font in set(fonts)}
    up_x, up_y = matrices[:, 2].astype(np.float64), matrices[:, 3].astype(np.float64)  # the glyphs' "up"
    scale = np.where(up_x == 0, np.abs(up_y), np.abs(up_x))  # hypot with one side zero
    slanted = np.flatnonzero((up_x != 0) & (up_y != 0))
    scale[slanted] = [math.hypot(x, y) for x, y in zip(up_x[slanted].tolist(), up_y[slanted].tolist(), strict=True)]
    size = tf * np.where(has_matrix, scale, 1.0)
    descent = np.array([descents[font] for font in fonts], dtype=np.float64)
    upright = (np.abs(up_x) < 1e-9) & (np.abs(up_y) > 1e-9)
    turned = (np.abs(up_y) < 1e-9) & (np.abs(up_x) > 1e-9)
    axis = np.where(upright, 1, np.where(turned, 2, 0))
    base = np.where(upright, origins[:, 1], origins[:, 0])
    sign = np.where(upright, np.where(up_y > 0, 1.0, -1.0), np.where(up_x > 0, 1.0, -1.0))
    start = base + sign * descent * size  # the box's edge below the glyphs
    low = np.where(axis == 0, 0.0, np.where(sign > 0, start, start - size))
    return size, axis, low, np.array(fonts, dtype=np.uint64)


def _unit_descent(font: int) -> float:
    """A font's descent at size 1 (negative: below the baseline), as pdfminer takes it."""
    out = ctypes.c_float()
    if not font or not _font_descent(font, 1.0, ctypes.addressof(out)):
        return 0.0
    return min(0.0, max(-1.0, out.value))


def _chr(code: int) -> str:
    try:
        return chr(code)
    except ValueError:
        return "\ufffe"


# ---------------------------------------------------------------------------------------
# paths -> pdfplumber edges
# ---------------------------------------------------------------------------------------


_count_objects = _plain_handles("FPDFPage_CountObjects")
_page_object = _plain_handles("FPDFPage_GetObject")
_object_type = _plain_handles("FPDFPageObj_GetType")
_object_matrix = _plain_handles("FPDFPageObj_GetMatrix")
_form_count = _plain_handles("FPDFFormObj_CountObjects")
_form_object = _plain_handles("FPDFFormObj_GetObject")
_draw_mode = _plain_handles("FPDFPath_GetDrawMode")
_stroke_color = _plain_handles("FPDFPageObj_GetStrokeColor")
_fill_color = _plain_handles("FPDFPageObj_GetFillColor")
_count_segments = _plain_handles("FPDFPath_CountSegments")
_path_segment = _plain_handles("FPDFPath_GetPathSegment")
_segment_point = _plain_handles("FPDFPathSegment_GetPoint")
_segment_type = _plain_handles("FPDFPathSegment_GetType")
_segment_close = _plain_handles("FPDFPathSegment_GetClose")
_PATH, _FORM = pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM
_MOVETO, _BEZIERTO = pdfium_c.FPDF_SEGMENT_MOVETO, pdfium_c.FPDF_SEGMENT_BEZIERTO


class _Out:
    """The out-parameters pdfium writes path attributes into, allocated once per page."""

    __slots__ = ("fm", "fm_p", "ints", "int_p", "mode", "mode_p", "x", "y", "x_p", "y_p")

    def __init__(self) -> None:
        self.fm = pdfium_c.FS_MATRIX()
        self.fm_p = ctypes.byref(self.fm)
        self.ints = [ctypes.c_uint() for _ in range(4)]  # r, g, b, a
        self.int_p = [ctypes.byref(v) for v in self.ints]
        self.mode = [ctypes.c_int(), ctypes.c_int()]  # fill mode, stroke flag
        self.mode_p = [ctypes.byref(v) for v in self.mode]
        self.x, self.y = ctypes.c_float(), ctypes.c_float()
        self.x_p, self.y_p = ctypes.byref(self.x), ctypes.byref(self.y)

    def matrix(self, obj: int) -> Matrix:
        if not _object_matrix(obj, self.fm_p):
            return _IDENTITY
        fm = self.fm
        return (fm.a, fm.b, fm.c, fm.d, fm.e, fm.f)

    def color(self, obj: int, getter) -> tuple[float, float, float] | None:
        if not getter(obj, *self.int_p):
            return None
        v = self.ints
        return (v[0].value / 255, v[1].value / 255, v[2].value / 255)


def _edges(page_raw, to_page: Matrix) -> list[dict]:
    out: list[dict] = []
    page = _handle(page_raw)
    buffers = _Out()
    for k in range(_count_objects(page)):
        _object_edges(_page_object(page, k), to_page, out, 0, buffers)
    return out


def _object_edges(obj: int, outer: Matrix, out: list[dict], depth: int, buffers: _Out) -> None:
    kind = _object_type(obj)
    if kind == _PATH:
        _path_edges(obj, _mul(buffers.matrix(obj), outer), out, buffers)
    elif kind == _FORM and depth < _MAX_FORM_DEPTH:
        inner = _mul(buffers.matrix(obj), outer)
        for k in range(_form_count(obj)):
            _object_edges(_form_object(obj, k), inner, out, depth + 1, buffers)


def _subpaths(obj: int, m: Matrix, buffers: _Out) -> Iterator[tuple[str, list[tuple[float, float]]]]:
    """Each subpath as pdfminer spells it: an operator string (m, l, c, h) and one point per operator."""
    a, b, c, d, e, f = m
    x, y, xp, yp = buffers.x, buffers.y, buffers.x_p, buffers.y_p
    get_segment, get_point, get_type, get_close = _path_segment, _segment_point, _segment_type, _segment_close
    ops: list[str] = []
    pts: list[tuple[float, float]] = []
    bezier = 0
    for k in range(_count_segments(obj)):
        seg = get_segment(obj, k)
        if not seg or not get_point(seg, xp, yp):
            continue
        px, py = x.value, y.value
        pt = (round(px * a + py * c + e, 4), round(px * b + py * d + f, 4))
        kind = get_type(seg)
        if kind == _MOVETO:
            if ops:
                yield "".join(ops), pts
            ops, pts, bezier = ["m"], [pt], 0
        elif not ops:
            continue  # a path must start with a move
        elif kind == _BEZIERTO:
            bezier += 1
            if bezier == 3:  # pdfium reports the two control points and the end point of one curve
                ops.append("c")
                pts.append(pt)
                bezier = 0
        else:
            ops.append("l")
            pts.append(pt)
        if ops and get_close(seg):
            ops.append("h")
            pts.append(pts[0])
    if ops:
        yield "".join(ops), pts


def _path_edges(obj: int, m: Matrix, out: list[dict], buffers: _Out) -> None:
    fillmode, stroke_flag = buffers.mode
    if not _draw_mode(obj, *buffers.mode_p):
        return
    stroke, fill = bool(stroke_flag.value), fillmode.value != 0
    if not stroke and not fill:
        return  # a clipping path or an ``n``: nothing is painted
    colours = {"stroke": stroke, "fill": fill,
               "stroking_color": buffers.color(obj, _stroke_color),
               "non_stroking_color": buffers.color(obj, _fill_color)}
    for shape, pts in _subpaths(obj, m, buffers):
        if len(shape) > 3 and shape.endswith("lh") and pts[-2] == pts[0]:
            shape, pts = shape[:-2] + "h", pts[:-2] + pts[-1:]
        if shape in ("ml", "mlh"):
            out.append(_line_edge(pts[0], pts[1], colours))
        elif shape in ("mlllh", "mllll") and _is_box(pts):
            out.extend(_rect_edges(pts, colours))
        elif len(pts) >= 2:
            out.extend(_curve_edges(pts))


def _is_box(pts: list[tuple[float, float]]) -> bool:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3), last = pts
    return last == pts[0] and ((x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0)
                               or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0))


def _line_edge(p0: tuple[float, float], p1: tuple[float, float], colours: dict) -> dict:
    x0, x1 = sorted((p0[0], p1[0]))
    top, bottom = sorted((p0[1], p1[1]))
    return {"object_type": "line", "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top,
            "width": x1 - x0, "height": bottom - top, "orientation": "h" if top == bottom else "v", **colours}


def _rect_edges(pts: list[tuple[float, float]], colours: dict) -> list[dict]:
    x0, x1 = sorted((pts[0][0], pts[2][0]))
    top, bottom = sorted((pts[0][1], pts[2][1]))
    w, h = x1 - x0, bottom - top
    base = {"object_type": "rect_edge", **colours}
    return [
        {**base, "x0": x0, "x1": x1, "top": top, "bottom": top, "doctop": top, "width": w, "height": 0, "orientation": "h"},
        {**base, "x0": x0, "x1": x1, "top": bottom, "bottom": bottom, "doctop": bottom, "width": w, "height": 0,
         "orientation": "h"},
        {**base, "x0": x0, "x1": x0, "top": top, "bottom": bottom, "doctop": top, "width": 0, "height": h, "orientation": "v"},
        {**base, "x0": x1, "x1": x1, "top": top, "bottom": bottom, "doctop": top, "width": 0, "height": h, "orientation": "v"},
    ]


def _curve_edges(pts: list[tuple[float, float]]) -> list[dict]:
    out = []
    for p0, p1 in zip(pts, pts[1:], strict=False):
        orientation = "v" if p0[0] == p1[0] else ("h" if p0[1] == p1[1] else None)
        if orientation is None:
            continue  # a slanted segment is never a table rule
        top = min(p0[1], p1[1])
        out.append({"object_type": "curve_edge", "x0": min(p0[0], p1[0]), "x1": max(p0[0], p1[0]), "top": top,
                    "bottom": max(p0[1], p1[1]), "doctop": top, "width": abs(p0[0] - p1[0]),
                    "height": abs(p0[1] - p1[1]), "orientation": orientation})
    return out
