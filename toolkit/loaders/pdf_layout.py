"""PDF page geometry -> lines, paragraphs and unruled tables (steps 3 and 4 of :mod:`toolkit.loaders.pdf`).

Pure geometry over the chars pdfplumber found on a page: no pdfplumber call is made here.
Chars are grouped into lines by vertical *overlap* (not by equal ``top``), so a number
printed in another font on a slightly lower baseline stays on its label's line; lines are
joined into paragraphs; runs of lines whose words sit in aligned, widely separated columns
with numbers in them become a table by clustering the words' x-extents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import median

# --- tunables (in units of the font size, "em", unless said otherwise) -----------------
_LINE_OVERLAP = 0.5  # chars share a line when they overlap by half the smaller height
_CJK_JOIN_GAP = 1.5  # CJK-to-CJK gaps below this are justification, not a word break
_SPACE_GAP = 0.25  # other gaps above this become one space
_COLUMN_GAP = 1.5  # a gap this wide separates columns of an unruled table
_MIN_TEXT_ROWS = 3  # an unruled table needs this many aligned rows with numbers
_NUMBER_RE = re.compile(r"^[-−(（]?\d[\d,，]*(?:\.\d+)?[)）%]?$")


@dataclass(slots=True)
class Char:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


@dataclass(slots=True)
class Line:
    chars: list[Char]
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


@dataclass(slots=True)
class PageTable:
    top: float
    rows: list[list[str]]
    bbox: tuple[float, float, float, float] | None = None
    row_tops: list[float] | None = None  # one per row, for side-by-side merging
    lefts: list[float] | None = None  # column left edges, to align a table's continuation


# ---------------------------------------------------------------------------------------
# lines and running text
# ---------------------------------------------------------------------------------------


def is_cjk(ch: str) -> bool:
    o = ord(ch[0]) if ch else 0
    return 0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFFEF or 0x3000 <= o <= 0x303F


def group_lines(chars: list[Char]) -> list[Line]:
    """Group chars into lines by vertical overlap with the line's first char.

    Overlap (rather than equal tops within a tolerance) keeps a number set in a Latin font
    on a baseline a few points lower on the same line as its Chinese label. A char is tried
    against the four most recent lines, newest first.
    """
    tops: list[float] = []
    bottoms: list[float] = []
    members: list[list[Char]] = []
    for ch in sorted(chars, key=_top):
        top, bottom = ch.top, ch.bottom
        h = bottom - top
        if h < 0.1:
            h = 0.1
        k = len(members) - 1
        stop = k - 4 if k >= 4 else -1
        while k > stop:
            line_top, line_bottom = tops[k], bottoms[k]
            overlap = (line_bottom if line_bottom < bottom else bottom) - (line_top if line_top > top else top)
            span = line_bottom - line_top
            if overlap >= _LINE_OVERLAP * (h if h < span else span):
                members[k].append(ch)
                break
            k -= 1
        else:
            tops.append(top)
            bottoms.append(bottom if bottom > top + 0.1 else top + 0.1)
            members.append([ch])
    lines = [make_line(m) for m in members]
    lines = [ln for ln in lines if ln.text]
    lines.sort(key=lambda ln: (ln.top, ln.x0))
    return lines


def _top(ch: Char) -> float:
    return ch.top


_CJK_OF: dict[str, bool] = {}  # is_cjk by first character, filled as characters are met


def make_line(chars: list[Char]) -> Line:
    chars.sort(key=_x0)
    parts: list[str] = []
    ink: list[Char] = []
    prev: Char | None = None
    prev_cjk = False
    spaced = True  # nothing to separate from: the line's start, or a space just written
    cjk_of = _CJK_OF
    for ch in chars:
        text = ch.text
        if text.isspace():
            if not spaced:
                parts.append(" ")
                spaced = True
            continue
        ink.append(ch)
        lead = text[:1]
        cjk = cjk_of.get(lead)
        if cjk is None:
            cjk = cjk_of[lead] = is_cjk(lead)
        if not spaced:
            gap = ch.x0 - prev.x1
            em = prev.size if prev.size < ch.size else ch.size
            if em < 1.0:
                em = 1.0
            if prev_cjk and cjk:
                if gap > _CJK_JOIN_GAP * em:
                    parts.append(" ")
            elif gap > _SPACE_GAP * em:
                parts.append(" ")
        parts.append(text)
        spaced = False
        prev, prev_cjk = ch, cjk
    text = "".join(parts).strip()
    ink = ink or chars  # leading blanks are not indentation
    if len(ink) == 1:  # most table cells
        ch = ink[0]
        return Line(chars=ink, text=text, x0=ch.x0, x1=ch.x1, top=ch.top, bottom=ch.bottom, size=ch.size)
    return Line(
        chars=ink,
        text=text,
        x0=ink[0].x0,  # sorted by x0
        x1=max([c.x1 for c in ink]),
        top=min([c.top for c in ink]),
        bottom=max([c.bottom for c in ink]),
        size=_median([c.size for c in ink]),
    )


def _x0(ch: Char) -> float:
    return ch.x0


def _median(values: list[float]) -> float:
    """``statistics.median`` without its generality (the same arithmetic)."""
    values.sort()
    n = len(values)
    mid = n // 2
    return values[mid] if n % 2 else (values[mid - 1] + values[mid]) / 2


_LIST_MARKER = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}[.．、](?!\d)|第[一二三四五六七八九十]+部分)")


def paragraphs(lines: list[Line]) -> list[list[Line]]:
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
    paras: list[list[Line]] = [[lines[0]]]
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


def _first_token_width(line: Line) -> float:
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
        if is_cjk(ch.text) and ch.text not in _CLOSING and ch.text not in "（《「『【“‘":
            seen_ideograph = True
    return end - line.x0


def join_lines(lines: list[Line]) -> str:
    out = lines[0].text
    for ln in lines[1:]:
        a, b = out[-1:], ln.text[:1]
        out += ("" if (is_cjk(a) or is_cjk(b)) else " ") + ln.text
    return out



# ---------------------------------------------------------------------------------------
# unruled tables: columns from word positions
# ---------------------------------------------------------------------------------------


def _segments(line: Line) -> list[tuple[float, float, str]]:
    """Split a line at wide gaps: the cells of an unruled table row."""
    segs: list[list[Char]] = [[line.chars[0]]]
    for prev, ch in zip(line.chars, line.chars[1:], strict=False):
        em = max(min(prev.size, ch.size), 1.0)
        if ch.x0 - prev.x1 > _COLUMN_GAP * em:
            segs.append([ch])
        else:
            segs[-1].append(ch)
    out = []
    for seg in segs:
        text = make_line(list(seg)).text
        if text:
            out.append((seg[0].x0, seg[-1].x1, text))
    return out


def _is_number(text: str) -> bool:
    return bool(_NUMBER_RE.match(text.replace(" ", "")))


def unruled_tables(lines: list[Line]) -> tuple[list[PageTable], list[Line]]:
    """Find runs of lines laid out in aligned columns with numbers in them.

    A run needs ``_MIN_TEXT_ROWS`` consecutive lines each split by wide gaps into two or
    more segments, at least one a number. Up to three header lines directly above whose
    segments fall into the run's columns are taken along. Running text never qualifies:
    its gaps are narrow.
    """
    segs = [_segments(ln) if ln.chars else [] for ln in lines]
    tabular = [len(s) >= 2 and any(_is_number(t) for _, _, t in s) for s in segs]
    tables: list[PageTable] = []
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
                tables.append(PageTable(top=lines[start].top, rows=rows))
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
