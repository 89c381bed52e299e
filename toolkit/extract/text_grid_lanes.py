"""A two-lane table run together without its empty cells: which lane each item belongs to.

收支总表 print 收入 items in a left lane and 支出 items in a right lane (项目 预算数 | 项目 预算数). When
the lanes are not equally long, the rows below the shorter lane's end have an empty half; on one line
those empty cells are gone, and filling the columns left to right puts the longer lane's last items
into the other lane. The numbering of the items settles it: each lane numbers its items ``一、 二、
三、`` and their parts ``1. 2. 3.``, so a lane's items follow in sequence. The candidates are the ways
one lane can end first (the rows where both lanes print, then the rest in one lane, the closing
总计 row printing both); the one candidate under which both lanes number in sequence is taken. None
or several, or an item with an empty cell, and the rows stay as the columns were filled.
"""

from __future__ import annotations

import re

from toolkit.extract.text_grid_layout import CellSpan
from toolkit.normalize.text import squash

_NUMERALS = {ch: k for k, ch in enumerate("一二三四五六七八九十", start=1)}
_TOP = re.compile(r"^([一二三四五六七八九十]{1,3})[、.．]")
_PART = re.compile(r"^(\d{1,2})[.．、](?!\d)")
_TOTAL = re.compile(r"(?:总计|合计)$")

Item = tuple[list[str], list[CellSpan | None]]  # a lane's cells of one row, and their spans


def _numeral(text: str) -> int | None:
    """一 … 九十九 as a number (十 = 10, 十二 = 12, 二十 = 20)."""
    if text == "十":
        return 10
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_NUMERALS.get(tens, 0) if tens else 1) * 10 + (_NUMERALS.get(ones, 0) if ones else 0)
    return _NUMERALS.get(text) if len(text) == 1 else None


def _in_sequence(labels: list[str]) -> bool:
    """Every numbered label is the next of its level: 一、 二、 …, and 1. 2. … restarting under each 一、."""
    top, part = 0, 0
    for label in labels:
        word = squash(label)
        if m := _TOP.match(word):
            n = _numeral(m.group(1))
            if n != top + 1:
                return False
            top, part = n, 0
        elif m := _PART.match(word):
            if int(m.group(1)) != part + 1:
                return False
            part += 1
    return True


def relay_lanes(rows: list[list[str]], spans: list[list[CellSpan | None]], kinds: list[str],
                ) -> tuple[list[list[str]], list[list[CellSpan | None]]] | None:
    """The body rows re-laid so that both lanes number in sequence; None when no way of ending one
    lane first, or more than one, numbers both in sequence. ``kinds``: the columns' kinds, two lanes
    of one label column and the same columns after it each."""
    starts = [k for k, kind in enumerate(kinds) if kind == "label" and (k == 0 or kinds[k - 1] != "label")]
    if len(starts) != 2 or kinds[: starts[1]] != kinds[starts[1] :]:
        return None
    width = starts[1]
    items: list[Item] = []
    for row, sp in zip(rows, spans, strict=True):
        for lane in (0, width):
            cells = row[lane : lane + width]
            if any(cells):
                items.append((cells, sp[lane : lane + width]))
    if any(not all(cells) for cells, _ in items):
        return None  # an item with an empty cell: where its figures go is a question the numbering does not answer
    tail = 0
    while tail < len(items) and _TOTAL.search(squash(items[len(items) - 1 - tail][0][0])):
        tail += 1
    if tail > 2:
        return None
    body, closing = items[: len(items) - tail], items[len(items) - tail :]
    fits = []
    for both in range(len(body) // 2 + 1):
        for longer in (0, 1):
            left, right = _split(body, both, longer)
            if _in_sequence([c[0] for c, _ in left]) and _in_sequence([c[0] for c, _ in right]):
                fits.append((left, right))
    if len(fits) != 1:
        return None
    left, right = fits[0]
    if len(left) + len(right) != len(body):
        return None
    out_rows: list[list[str]] = []
    out_spans: list[list[CellSpan | None]] = []
    blank: Item = ([""] * width, [None] * width)
    for k in range(max(len(left), len(right))):
        a = left[k] if k < len(left) else blank
        b = right[k] if k < len(right) else blank
        out_rows.append(a[0] + b[0])
        out_spans.append(a[1] + b[1])
    if closing:
        a = closing[0]
        b = closing[1] if len(closing) == 2 else blank
        out_rows.append(a[0] + b[0])
        out_spans.append(a[1] + b[1])
    return out_rows, out_spans


def _split(body: list[Item], both: int, longer: int) -> tuple[list[Item], list[Item]]:
    """The items as ``both`` rows printing both lanes, then the rest in lane ``longer``."""
    paired = body[: 2 * both]
    left, right = paired[0::2], paired[1::2]
    rest = body[2 * both :]
    return (left + rest, right) if longer == 0 else (left, right + rest)
