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
    """pdfium's function ``name`` with its opaque handles (text page, page object, font, path
    segment) passed and returned as plain integer addresses: no pointer object is built per
    call and none has to be cast back to an address, which in the per-character and
    per-segment loops costs as much as the call itself."""
    fn = getattr(pdfium_c, name)

    def plain(t):
        if isinstance(t, type) and issubclass(t, ctypes._Pointer) and t._type_.__name__.startswith("struct_fpdf_"):
            return ctypes.c_void_p
        return t

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


def _handle(raw) -> int:
    """The address of a pypdfium2 handle (a ctypes pointer)."""
    return ctypes.cast(raw, ctypes.c_void_p).value or 0


def _page_text(tp: int, n: int) -> str | None:
    """All characters of the text page in one call, or None when they do not map one to one
    onto character indices (a character outside the BMP takes two UTF-16 units)."""
    buf = (ctypes.c_ushort * (n + 1))()
    got = _get_text(tp, 0, n, buf)
    text = ctypes.string_at(buf, 2 * max(got - 1, 0)).decode("utf-16-le", "replace")
    return text if len(text) == n else None


class _ObjectMetrics:
    """Font size, box start and font of a text object, with the out-parameters pdfium writes
    into allocated once per page."""

    __slots__ = ("tp", "cm", "cm_p", "ox", "oy", "ox_p", "oy_p", "descent", "descent_p", "descents")

    def __init__(self, tp: int) -> None:
        self.tp = tp
        self.cm = pdfium_c.FS_MATRIX()
        self.cm_p = ctypes.byref(self.cm)
        self.ox, self.oy = ctypes.c_double(), ctypes.c_double()
        self.ox_p, self.oy_p = ctypes.byref(self.ox), ctypes.byref(self.oy)
        self.descent = ctypes.c_float()
        self.descent_p = ctypes.byref(self.descent)
        self.descents: dict[int, float] = {}  # per font

    def __call__(self, i: int, obj: int | None) -> tuple[float, int, float, int]:
        """Font size (through the text matrix), the user-space axis the text's "up" runs along
        (1: y, 2: x, 0: slanted), where pdfminer's box starts on it and the font's address, for
        character ``i`` of text object ``obj``.

        pdfium's font size is the ``Tf`` operand; pdfminer's is that through the text matrix (the
        char's height). pdfminer's box runs from the font's descent below the baseline up one
        font size; pdfium's own boxes follow each glyph's outline and would break lines apart.
        The baseline is the same for every character of one text object.
        """
        tp, cm = self.tp, self.cm
        scale = math.hypot(cm.c, cm.d) if _char_matrix(tp, i, self.cm_p) else 1.0
        size = _font_size(tp, i) * scale
        _char_origin(tp, i, self.ox_p, self.oy_p)
        font = (_object_font(obj) or 0) if obj else 0
        descent = self.descents.get(font)
        if descent is None:
            descent = self.descents[font] = self._unit_descent(font)
        return (*_box_start(cm, self.ox.value, self.oy.value, size, descent), font)

    def _unit_descent(self, font: int) -> float:
        """A font's descent at size 1 (negative: below the baseline), as pdfminer takes it."""
        if not font or not _font_descent(font, 1.0, self.descent_p):
            return 0.0
        return min(0.0, max(-1.0, self.descent.value))


def _chars(textpage, m: Matrix) -> tuple[list[Char], int, bool]:
    """The page's characters. Per character three calls into pdfium (its text object, its box,
    its Unicode-map flag); size, descent and baseline are taken once per text object (one font,
    one size and one matrix each)."""
    tp = _handle(textpage)
    n = _count_chars(tp)
    if n <= 0:
        return [], 0, False
    text = _page_text(tp, n)
    a, b, c, d, e, f = m
    rect = pdfium_c.FS_RECTF()
    rect_p = ctypes.byref(rect)
    is_generated, map_error, loose_box, text_object = _is_generated, _map_error, _loose_box, _text_object
    metrics = _ObjectMetrics(tp)
    current = -1  # the text object of the previous character
    size, axis, low, font = 0.0, 0, 0.0, 0
    tally = [0, 0]
    fonts: list[int] = []  # the font of each kept character
    font_chars: dict[int, list[int]] = {}  # font -> [characters, unmapped]
    seen: set[tuple[str, int, int]] = set()
    out: list[Char] = []
    n_unmapped = 0
    has_text = False
    for i in range(n):
        ch = text[i] if text is not None else _chr(_get_unicode(tp, i))
        if ch in "\r\n":  # line breaks (pdfium's own or printed) carry no position worth keeping
            if is_generated(tp, i) != 1:
                has_text = True
            continue
        if ch.isspace() and is_generated(tp, i) == 1:
            continue  # pdfium's guess at a word gap; the line builder makes its own
        has_text = True
        obj = text_object(tp, i)
        if obj != current:
            current = obj
            size, axis, low, font = metrics(i, obj)
            tally = font_chars.setdefault(font, [0, 0])
        tally[0] += 1
        if ch in _UNMAPPED_TEXT or map_error(tp, i) == 1:
            tally[1] += 1
            n_unmapped += 1
            continue
        if not loose_box(tp, i, rect_p):
            continue
        ux0, ux1, uy0, uy1 = rect.left, rect.right, rect.bottom, rect.top
        if axis == 1:  # upright in user space: the box's height is pdfminer's
            uy0, uy1 = low, low + size
        elif axis == 2:  # turned a quarter (a /Rotate page's upright text): its width is
            ux0, ux1 = low, low + size
        # two opposite corners through the page matrix (axis-aligned under any /Rotate)
        xa, ya = ux0 * a + uy1 * c + e, ux0 * b + uy1 * d + f
        xb, yb = ux1 * a + uy0 * c + e, ux1 * b + uy0 * d + f
        x0, x1 = (xa, xb) if xa <= xb else (xb, xa)
        top, bottom = (ya, yb) if ya <= yb else (yb, ya)
        key = (ch, round(x0), round(top))
        if key in seen:  # overprinted duplicate (fake bold)
            continue
        seen.add(key)
        out.append(Char(ch, x0, x1, top, bottom, size))
        fonts.append(font)
    # A font without a Unicode map: pdfium flags most of its glyphs, and passes the others
    # through as their glyph ids (garbage that looks like text). Mostly unmapped = all unmapped.
    unmapped_fonts = {k for k, (total, bad) in font_chars.items() if bad and bad >= _CID_FONT_SHARE * total}
    if unmapped_fonts:
        kept = [ch for ch, k in zip(out, fonts, strict=True) if k not in unmapped_fonts]
        n_unmapped += len(out) - len(kept)
        out = kept
    return out, n_unmapped, has_text


def _chr(code: int) -> str:
    try:
        return chr(code)
    except ValueError:
        return "\ufffe"


def _box_start(cm, ox: float, oy: float, size: float, descent: float) -> tuple[float, int, float]:
    up_x, up_y = cm.c, cm.d  # where the glyphs' "up" points in user space
    if abs(up_x) < 1e-9 < abs(up_y):
        base, sign, axis = oy, (1.0 if up_y > 0 else -1.0), 1
    elif abs(up_y) < 1e-9 < abs(up_x):
        base, sign, axis = ox, (1.0 if up_x > 0 else -1.0), 2
    else:
        return size, 0, 0.0
    start = base + sign * descent * size  # the box's edge below the glyphs
    return size, axis, (start if sign > 0 else start - size)


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
