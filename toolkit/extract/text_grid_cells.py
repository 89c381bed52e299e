"""One cell per line with empty cells kept as blank lines: find the row width from the body's pattern.

A table copied out of a browser or a reader view arrives with every cell on a line of its own and an
empty cell as an empty line. Its header rarely gives the column count (merged header cells print one
word and leave blanks, ``项 目`` prints with a space inside), so the width is read from the body: cut
at the right width, every column holds one kind of cell (a label column text, a figure column figures
or blanks), cut at a wrong width the kinds mix. The narrowest width whose columns are (almost) as
consistent as the best one wins. The first line of the run is taken as the table's first cell.

Merged and multi-row headers print a different number of cells per header row, so no width fits the
whole run; the body alone then gives the width (:func:`fit_body`: every column of the rows from the
first row of figures on holds one kind), and the rows above it are the header whatever their count.
A table the page broke in two prints as two tables with one blank line between them, which in a run
of cell lines slides every later cell one column on: :func:`shifted_split` finds that blank.

The table is the run of short lines (blank lines included) between the text before and after it; it
stops at the next title, ``单位：``/``注：`` line or a long (prose) line. A run with fewer than two rows
of figures, or without a row of header words above its figures, stays text: a list of short lines is
not a table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from toolkit.normalize.text import squash

MAX_WIDTH = 20
SLACK = 0.03  # a narrower width wins when its columns agree within this of the best width's


@dataclass(slots=True)
class PeriodFit:
    width: int
    agreement: float
    rows: list[list[int]]  # line index (into the run) of every cell; -1: a trailing cell not printed


def _rows(n_lines: int, width: int) -> list[list[int]]:
    return [[x if x < n_lines else -1 for x in range(k, k + width)] for k in range(0, n_lines, width)]


def rows_at(n_lines: int, width: int) -> list[list[int]]:
    """The rows (line indexes) of ``n_lines`` cell lines cut at ``width``; -1: a trailing cell not printed."""
    return _rows(n_lines, width)


def _agreement(rows: list[list[int]], kinds: list[str], width: int) -> float:
    """Mean share of a column's cells that have the column's most common kind (text, figure, blank)."""
    good = 0
    for c in range(width):
        col = [kinds[r[c]] if r[c] >= 0 else "b" for r in rows]
        good += max(col.count(k) for k in "tfb")
    return good / (width * len(rows))


def numbered_width(cells: list[str]) -> int | None:
    """The row width a 栏次 row gives: 栏次 starts a row and numbers its figure columns 1, 2, … k, so
    the row runs from 栏次 to the line of k (a second lane repeats 栏次). None without such a row, or
    when 栏次 cannot start a row at that width (the run's first line is its first cell)."""
    at = next((k for k, c in enumerate(cells) if squash(c) == "栏次"), None)
    if at is None:
        return _counted_width(cells)
    last, expect = None, 1
    for k in range(at + 1, len(cells)):
        c = squash(cells[k])
        if c == str(expect):
            last, expect = k, expect + 1
        elif c and c != "栏次":
            break
    if last is None or expect < 3:
        return None
    width = last - at + 1
    return width if width >= 2 and at % width == 0 else None


def _counted_width(cells: list[str]) -> int | None:
    """The width a row that only numbers the columns gives (1 2 3 … k on k lines, no blank between):
    k, when that row starts a row at width k."""
    squashed = [squash(c) for c in cells]
    for at, c in enumerate(squashed):
        if c != "1":
            continue
        k = 1
        while at + k < len(squashed) and squashed[at + k] == str(k + 1):
            k += 1
        if k >= 4 and at % k == 0:
            return k
    return None


def fit_period(kinds: list[str], header_row_ok: Callable[[list[list[int]]], bool],
               width_hint: int | None = None) -> PeriodFit | None:
    """The row width of a run of cell lines of ``kinds`` (``t`` text, ``f`` figure, ``b`` blank).

    The run's first line is its first cell. ``header_row_ok(rows)`` tells whether the rows (line
    indexes) hold a header above their figures; a width whose rows do not is never chosen. A
    ``width_hint`` (from a 栏次 row, :func:`numbered_width`) is the only width tried.
    """
    fits = []
    widths = [width_hint] if width_hint else range(2, min(MAX_WIDTH, len(kinds) // 3) + 1)
    for width in widths:
        rows = _rows(len(kinds), width)
        fig_rows = sum(1 for r in rows if any(k >= 0 and kinds[k] == "f" for k in r))
        if fig_rows >= 2:
            fits.append(PeriodFit(width, _agreement(rows, kinds, width), rows))
    if not fits:
        return None
    best = max(f.agreement for f in fits)
    for fit in sorted((f for f in fits if f.agreement >= best - SLACK), key=lambda f: f.width):
        if header_row_ok(fit.rows):
            return fit
    return None


BODY_AGREEMENT = 0.95  # a width read from the body alone: its columns must hold one kind almost throughout
MAX_TAIL_ROWS = 2  # rows after the body, without figures, that a body fit leaves out of the table
SHIFT_WINDOW = 6  # rows after a blank compared both ways
SHIFT_SLACK = 0.15  # a continuation cut one line on must fit the columns above this well (share of cells)


def _column_modes(rows: list[list[int]], kinds: list[str], width: int) -> list[str]:
    """Per column, the kind (text, figure, blank) most of its printed cells have."""
    modes = []
    for c in range(width):
        col = [kinds[r[c]] for r in rows if r[c] >= 0]
        modes.append(max("tfb", key=col.count) if col else "b")
    return modes


def _mismatches(row: list[int], kinds: list[str], modes: list[str]) -> int:
    """Cells of ``row`` whose kind is not their column's (a trailing cell not printed is no cell)."""
    return sum(1 for k, m in zip(row, modes, strict=True) if k >= 0 and kinds[k] != m)


def fit_body(kinds: list[str], header_row_ok: Callable[[list[list[int]]], bool]) -> PeriodFit | None:
    """The row width read from the body alone, for a table whose header rows fit no one width.

    Merged and multi-row headers print a different number of cells per header row (a header cell
    spanning two columns prints once, a second header row fills the columns under it), so the
    agreement of :func:`fit_period`, taken over every row, stays low at the right width too. Here the
    rows from the first row of figures on decide: cut at the right width, each column holds one kind
    (text, figures or blanks), and the rows above them are the header, whatever their cells. Trailing
    rows without figures that break the body's pattern (a heading after the table, still short enough
    to look like a cell; at most ``MAX_TAIL_ROWS``) are left out of the table. The narrowest width within ``SLACK`` of the best wins, and only
    when its body agrees to ``BODY_AGREEMENT``, holds three rows of figures, has a column of labels
    and one of figures, and a header above. A sparse body (blanks among the figures) fits none:
    such a table stays text rather than be cut at a guessed width.
    """
    fits = []
    for width in range(2, min(MAX_WIDTH, len(kinds) // 3) + 1):
        rows = _rows(len(kinds), width)
        first = next((r for r, row in enumerate(rows) if any(k >= 0 and kinds[k] == "f" for k in row)), None)
        if not first:
            continue  # no figures, or no header row above them
        body = rows[first:]
        modes = _column_modes(body, kinds, width)
        for _ in range(MAX_TAIL_ROWS):  # a heading after the table: a row without figures that fits no column
            if body and _mismatches(body[-1], kinds, modes) and not any(k >= 0 and kinds[k] == "f" for k in body[-1]):
                body = body[:-1]
        if sum(1 for r in body if any(k >= 0 and kinds[k] == "f" for k in r)) < 3:
            continue
        if "t" not in modes or "f" not in modes:
            continue  # a table's body has a label column and a figure column
        filled = sum(1 for r in body for k in r if k >= 0)
        agreement = 1 - sum(_mismatches(r, kinds, modes) for r in body) / filled
        fits.append(PeriodFit(width, agreement, rows[:first] + body))
    if not fits:
        return None
    best = max(f.agreement for f in fits)
    if best < BODY_AGREEMENT:
        return None
    for fit in sorted((f for f in fits if f.agreement >= best - SLACK), key=lambda f: f.width):
        if header_row_ok(fit.rows):
            return fit
    return None


def shifted_split(rows: list[list[int]], kinds: list[str], width: int) -> int | None:
    """The blank line at which a table cut at ``width`` ends and its continuation begins, one line on.

    A table the page broke in two prints as two tables of the same columns, and between them the one
    blank line that separates any two blocks; in a run of cell lines that blank reads as one more empty
    cell, so from there on every row is cut one line early and its cells slide into the next column.
    The split is at the first row boundary that is a blank line where the rows after it, cut from the
    line after the blank, fit the columns of the rows above (their kinds) and cut from the blank they
    clearly do not. None: no such line.
    """
    first = next((r for r, row in enumerate(rows) if any(k >= 0 and kinds[k] == "f" for k in row)), None)
    if first is None:
        return None
    n = len(kinds)
    counts = [dict.fromkeys("tfb", 0) for _ in range(width)]  # kinds of the rows above row r, kept as r moves on
    for r in range(first, len(rows)):
        at = rows[r][0]
        if r >= first + 2 and at >= 0 and kinds[at] == "b":
            # the columns' kinds as _column_modes reads them, from the counts: linear in the rows
            modes = [max("tfb", key=cnt.__getitem__) if any(cnt.values()) else "b" for cnt in counts]
            if _slides_at(rows, kinds, width, modes, r, n):
                return at
        for c, k in enumerate(rows[r]):
            if k >= 0:
                counts[c][kinds[k]] += 1
    return None


def _slides_at(rows: list[list[int]], kinds: list[str], width: int, modes: list[str], r: int, n: int) -> bool:
    """Whether the rows from row ``r`` (its first line a blank) fit ``modes`` cut from the line after the
    blank and clearly do not as cut; only the next :data:`SHIFT_WINDOW` rows are compared."""
    at = rows[r][0]
    as_cut = rows[r : r + SHIFT_WINDOW]  # the rows right after: a later break may shift again
    shifted = [[k + at + 1 if k >= 0 else -1 for k in row] for row in _rows(min(n - at - 1, SHIFT_WINDOW * width), width)]
    if not any(k >= 0 and kinds[k] == "f" for row in shifted for k in row):
        return False
    bad_cut = sum(_mismatches(row, kinds, modes) for row in as_cut)
    bad_shifted = sum(_mismatches(row, kinds, modes) for row in shifted)
    cells = sum(1 for row in shifted for k in row if k >= 0)
    return bad_shifted <= SHIFT_SLACK * cells and bad_cut >= 3 * bad_shifted + 2
