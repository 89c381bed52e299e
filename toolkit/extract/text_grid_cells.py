"""One cell per line with empty cells kept as blank lines: find the row width from the body's pattern.

A table copied out of a browser or a reader view arrives with every cell on a line of its own and an
empty cell as an empty line. Its header rarely gives the column count (merged header cells print one
word and leave blanks, ``项 目`` prints with a space inside), so the width is read from the body: cut
at the right width, every column holds one kind of cell (a label column text, a figure column figures
or blanks), cut at a wrong width the kinds mix. The narrowest width whose columns are (almost) as
consistent as the best one wins. The first line of the run is taken as the table's first cell.

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
