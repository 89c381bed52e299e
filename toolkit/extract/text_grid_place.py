"""Figures of a table printed without its empty cells: place them in their columns from the table's arithmetic.

A table run together on one line loses its blank cells, so a row that fills two of three amount
columns (``… 15.24 15.24 …`` under 小计 基本支出 项目支出) could be read as 小计 + 基本支出 or as
小计 + 项目支出. What is certain comes first: the row's label, subject code and 行次 cells fix which
run of amount columns (a *segment*) its figures fall in, and the figures keep their printed order.
Of the placements left, only those consistent with the table's own arithmetic are kept:

* a row's total: a column headed 合计 / 小计 equals the sum of the amount columns after it;
* a column total: the 合计 / 总计 row equals the sum of the rows at the top subject level, and a
  subject row equals the sum of its direct sub-subjects (类 = Σ 款, 款 = Σ 项).

Tolerance is half a unit of each figure's last printed digit, summed, so rounding never rejects a
placement. A rule more than one fully printed row breaks is not used. A figure is laid in a column
when every placement that fits puts it there; a figure the placements disagree on (or, when no
joint placement fits, the row's own total does not settle) is left out of the columns: abstaining,
never guessing. A blank cell is what the table checks then see, and they skip an identity with a
blank part unless the other parts already add up.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from toolkit.normalize.numbers import parse_number
from toolkit.normalize.text import squash

_BLANK_MARKS = ("-", "—", "－", "–", "--", "——")
MAX_NODES = 200_000  # search steps before the column totals are given up on (each row on its own then)
MAX_SOLUTIONS = 64


@dataclass(slots=True)
class Placed:
    """Where every figure of every row went: ``source[r][c]`` is the column of the input row ``r`` whose
    figure now sits in column ``c`` (None: empty); ``unplaced[r]`` the input columns of the figures of
    row ``r`` that fit more than one column (they are left out of the columns, in printed order)."""

    source: list[list[int | None]]
    unplaced: dict[int, list[int]]
    reason: str | None  # why figures were left out (None: every figure was placed)
    suspect: list[tuple[int, int]] | None = None  # (row, input column) of the figures that, taken as wrong, let every sum fit


Cells = list[str]
Placement = tuple[int, ...]  # the column of each figure of a segment, in printed order


@dataclass(slots=True)
class _Segment:
    row: int
    columns: list[int]  # the amount columns the segment's figures may take
    figures: list[int]  # columns they were laid in (leftmost first)
    candidates: list[Placement]


_SUSPECT = "\x00"  # marks the figure taken as wrong: it fits any sum it is part of


def _value(text: str) -> tuple[float, float] | None:
    """(value, half a unit of its last digit); a dash is an empty cell (0, 0); None: not a number."""
    if text.startswith(_SUSPECT):
        n = _value(text[1:])
        return None if n is None else (n[0], float("inf"))
    t = squash(text)
    if not t or t in _BLANK_MARKS:
        return 0.0, 0.0
    n = parse_number(t)
    return None if n is None else (n.value, n.half_unit)


def _total_heads(header: list[str], kinds: list[str]) -> dict[int, list[int]]:
    """Column -> the amount columns it totals: a 合计 / 小计 column sums the run of amount columns after it."""
    out: dict[int, list[int]] = {}
    for c, word in enumerate(header):
        w = squash(word)
        if kinds[c] != "num" or not (w.endswith("合计") or w in ("小计", "总计")):
            continue
        parts = []
        k = c + 1
        while k < len(kinds) and kinds[k] == "num" and not squash(header[k]).endswith(("合计", "小计")):
            parts.append(k)
            k += 1
        if parts:
            out[c] = parts
    return out


def _adds_up(total: tuple[float, float], parts: list[tuple[float, float]]) -> bool:
    return abs(total[0] - sum(v for v, _ in parts)) <= total[1] + sum(h for _, h in parts) + 1e-9


def _row_fits(cells: Cells, heads: dict[int, list[int]]) -> bool:
    for head, parts in heads.items():
        values = [_value(cells[k]) for k in (head, *parts)]
        if any(v is None for v in values):
            return False
        if not _adds_up(values[0], values[1:]):  # type: ignore[arg-type]
            return False
    return True


def _segments(row: Cells, kinds: list[str], r: int) -> list[_Segment]:
    """The runs of amount columns between the row's filled non-amount cells, with their figures."""
    out, cur = [], []
    for c, kind in enumerate([*kinds, "end"]):
        if kind == "num":
            cur.append(c)
            continue
        if kind == "end" or row[c]:
            figures = [k for k in cur if row[k]]
            if cur:
                out.append(_Segment(r, cur, figures, []))
            cur = []
    return out


def _laid(row: Cells, seg: _Segment, placement: Placement) -> Cells:
    out = list(row)
    texts = [row[k] for k in seg.figures]
    for k in seg.columns:
        out[k] = ""
    for k, text in zip(placement, texts, strict=True):
        out[k] = text
    return out


def _column_groups(rows: list[Cells], kinds: list[str], code_col: int | None) -> list[tuple[int, list[int]]]:
    """(total row, part rows): the 合计/总计 row over the top-level subject rows, and every subject row over
    its direct sub-subjects. Nothing when some body row has neither a code nor a total label."""
    if code_col is None:
        return []
    label_cols = [c for c, k in enumerate(kinds) if k in ("label", "code")]
    totals = [r for r, row in enumerate(rows) if any(squash(row[c]) in ("合计", "总计") for c in label_cols)]
    coded = {r: squash(rows[r][code_col]) for r in range(len(rows)) if squash(rows[r][code_col]).isdigit()}
    if not coded or len(coded) + len(totals) != len(rows) or len(totals) > 1:
        return []
    top = min(len(c) for c in coded.values())
    groups = [(totals[0], [r for r, c in coded.items() if len(c) == top])] if totals else []
    for r, code in coded.items():
        children = [k for k, c in coded.items() if c.startswith(code) and len(c) > len(code)]
        if children:
            depth = min(len(coded[k]) for k in children)
            groups.append((r, [k for k in children if len(coded[k]) == depth]))
    return groups


def _columns_fit(rows: list[Cells], groups: list[tuple[int, list[int]]], columns: list[int]) -> bool:
    for total, parts in groups:
        for c in columns:
            t = _value(rows[total][c])
            ps = [_value(rows[p][c]) for p in parts]
            if t is None or any(p is None for p in ps) or not _adds_up(t, ps):  # type: ignore[arg-type]
                return False
    return True


def place_figures(rows: list[Cells], header: list[str], kinds: list[str], body_from: int = 0) -> Placed:
    """Each row's figures in the one placement the arithmetic allows (see the module); a figure whose
    column differs between the placements that fit is left out (``Placed.unplaced``). ``body_from``:
    the first row after a 栏次 row (0 without one); the column totals are read from there on."""
    heads = _total_heads(header, kinds)
    full = [r for r in rows[body_from:] if all(r[c] for c in range(len(kinds)) if kinds[c] == "num")]
    if sum(1 for r in full if not _row_fits(r, heads)) > 1:
        heads = {}  # several fully printed rows break the assumed row total: the header does not mean it
        # (one such row is a figure the document got wrong: the checks are there to find it)
    segments = _open_segments(rows, kinds, heads, body_from)
    source: list[list[int | None]] = [[c if row[c] else None for c in range(len(row))] for row in rows]
    if not segments:
        return Placed(source, {}, None)
    code_col = next((c for c, kind in enumerate(kinds) if kind == "code"), None)
    body = rows[body_from:]
    groups = [(t + body_from, [p + body_from for p in ps]) for t, ps in _column_groups(body, kinds, code_col)]
    amount_cols = sorted({c for s in segments for c in s.columns})
    solutions, complete = _solve(rows, segments, groups, amount_cols)
    suspect = None
    if not solutions and complete:  # no placement fits every sum: one figure may be wrong
        around = _around_one_wrong(rows, kinds, heads, body_from, groups, segments)
        if around is not None:
            solutions, suspect = around
    unplaced: dict[int, list[int]] = {}
    for k, seg in enumerate(segments):
        if solutions and complete:
            options = {sol[k] for sol in solutions}
        else:  # the column totals do not settle it: what the row's own total allows
            options = set(seg.candidates) or set(combinations(seg.columns, len(seg.figures)))
        for c in seg.columns:
            source[seg.row][c] = None
        for f, col in enumerate(seg.figures):
            at = {p[f] for p in options}
            if len(at) == 1:
                source[seg.row][at.pop()] = col
            else:
                unplaced.setdefault(seg.row, []).append(col)
    if not unplaced:
        return Placed(source, {}, None, suspect)
    if not solutions or not complete:
        reason = "their columns are not settled by the table's totals (printed blanks were dropped)"
    else:
        reason = f"they fit {len(solutions)} placements of columns (printed blanks were dropped)"
    return Placed(source, unplaced, reason)


def _open_segments(rows: list[Cells], kinds: list[str], heads: dict[int, list[int]], body_from: int) -> list[_Segment]:
    """The segments whose figures fill only some of their columns, with the placements their row's total allows."""
    segments: list[_Segment] = []
    for r in range(len(rows)):
        if r == body_from - 1:
            continue  # the 栏次 row numbers the columns: its numbers are no figures to place
        for seg in _segments(rows[r], kinds, r):
            m, k = len(seg.figures), len(seg.columns)
            if 0 < m < k:
                seg.candidates = [p for p in combinations(seg.columns, m) if _row_fits(_laid(rows[r], seg, p), heads)]
                segments.append(seg)
    return segments


MAX_SUSPECTS = 400  # printed figures tried as the wrong one before the table is left as it is
SUSPECT_NODES = 20_000  # search steps for each figure tried


def _around_one_wrong(rows: list[Cells], kinds: list[str], heads: dict[int, list[int]], body_from: int,
                      groups: list[tuple[int, list[int]]], segments: list[_Segment],
                      ) -> tuple[list[tuple[Placement, ...]], list[tuple[int, int]]] | None:
    """(the placement every figure taken as wrong agrees on, the figures that made the sums fit) or None."""
    figures = [(r, c) for r in range(body_from, len(rows)) for c, kind in enumerate(kinds)
               if kind == "num" and rows[r][c] and _value(rows[r][c]) is not None]
    if not figures or len(figures) > MAX_SUSPECTS:
        return None
    amount_cols = sorted({c for s in segments for c in s.columns})
    agreed: tuple[Placement, ...] | None = None
    suspects: list[tuple[int, int]] = []
    for r, c in figures:
        trial = [list(row) for row in rows]
        trial[r][c] = _SUSPECT + trial[r][c]
        trial_segments = _open_segments(trial, kinds, heads, body_from)
        found, complete = _solve(trial, trial_segments, groups, amount_cols, max_nodes=SUSPECT_NODES)
        if not complete:
            return None  # a search cut short cannot say the placement is the only one
        for sol in found:
            if agreed is not None and sol != agreed:
                return None
            agreed = sol
        if found:
            suspects.append((r, c))
    if agreed is None or len(agreed) != len(segments):
        return None
    return [agreed], suspects
def _solve(rows: list[Cells], segments: list[_Segment], groups: list[tuple[int, list[int]]],
           columns: list[int], *, max_nodes: int = MAX_NODES) -> tuple[list[tuple[Placement, ...]], bool]:
    """Joint placements of every segment that fit every column group, and whether the search was
    complete (it stops after :data:`MAX_SOLUTIONS` placements or :data:`MAX_NODES` steps)."""
    if any(not s.candidates for s in segments):
        return [], True
    open_rows = {s.row for s in segments}
    if not _columns_fit(rows, [g for g in groups if not {g[0], *g[1]} & open_rows], columns):
        return [], True
    checks: dict[int, list[tuple[int, list[int]]]] = {}
    for g in groups:  # a group is checked once the last segment of its rows is placed
        touched = [k for k, s in enumerate(segments) if s.row in {g[0], *g[1]}]
        if touched:
            checks.setdefault(max(touched), []).append(g)
    bounds = _Bounds(rows, segments, groups, columns)
    work = [list(r) for r in rows]
    found: list[tuple[Placement, ...]] = []
    chosen: list[Placement] = []
    nodes = 0

    def walk(k: int) -> bool:
        """False when the search must stop (two found, or too many steps)."""
        nonlocal nodes
        if k == len(segments):
            found.append(tuple(chosen))
            return len(found) < MAX_SOLUTIONS
        seg = segments[k]
        saved = work[seg.row]
        for placement in seg.candidates:
            nodes += 1
            if nodes > max_nodes:
                return False
            if not bounds.reachable(k, placement):
                continue
            work[seg.row] = _laid(saved, seg, placement)
            if _columns_fit(work, checks.get(k, []), columns):
                chosen.append(placement)
                bounds.push(k, placement)
                go_on = walk(k + 1)
                bounds.pop(k, placement)
                chosen.pop()
                if not go_on:
                    work[seg.row] = saved
                    return False
        work[seg.row] = saved
        return True

    complete = walk(0)
    return found, complete


class _Bounds:
    """Prunes the search: for each column group and column, Σ parts − total stays reachable (within
    the figures' rounding) by what the segments not yet placed can still add. The exact test is
    :func:`_columns_fit` once a group's rows are all placed; this only skips hopeless branches early."""

    def __init__(self, rows: list[Cells], segments: list[_Segment], groups: list[tuple[int, list[int]]],
                 columns: list[int]) -> None:
        self.items: list[tuple[float, float, list[dict[Placement, float]]]] = []  # (fixed sum, tol, per segment)
        self.suffix: list[tuple[list[float], list[float]]] = []
        open_cells = {(s.row, c) for s in segments for c in s.columns}
        for total, parts in groups:
            signs = {p: 1.0 for p in parts} | {total: -1.0}
            for c in columns:
                fixed, tol = 0.0, 1e-9
                for r, sign in signs.items():
                    halves = [v[1] for v in (_value(t) for t in rows[r]) if v is not None]
                    tol += max(halves, default=0.0)
                    if (r, c) not in open_cells:
                        v = _value(rows[r][c])
                        fixed += sign * (v[0] if v else 0.0)
                per_seg = []
                for s in segments:
                    sign = signs.get(s.row)
                    values = [(_value(rows[s.row][f]) or (0.0, 0.0))[0] for f in s.figures]
                    per_seg.append({p: (sign * next((v for v, at in zip(values, p, strict=True) if at == c), 0.0)
                                        if sign is not None and c in s.columns else 0.0) for p in s.candidates})
                lows = [min(d.values(), default=0.0) for d in per_seg]
                highs = [max(d.values(), default=0.0) for d in per_seg]
                self.items.append((fixed, tol, per_seg))
                self.suffix.append(([sum(lows[k:]) for k in range(len(lows) + 1)],
                                    [sum(highs[k:]) for k in range(len(highs) + 1)]))
        self.sums = [fixed for fixed, _, _ in self.items]

    def reachable(self, k: int, placement: Placement) -> bool:
        for b, (_, tol, per_seg) in enumerate(self.items):
            now = self.sums[b] + per_seg[k][placement]
            low, high = self.suffix[b][0][k + 1], self.suffix[b][1][k + 1]
            if now + low > tol or now + high < -tol:
                return False
        return True

    def push(self, k: int, placement: Placement) -> None:
        for b, (_, _, per_seg) in enumerate(self.items):
            self.sums[b] += per_seg[k][placement]

    def pop(self, k: int, placement: Placement) -> None:
        for b, (_, _, per_seg) in enumerate(self.items):
            self.sums[b] -= per_seg[k][placement]
