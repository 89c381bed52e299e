"""A table on one line whose subject codes are printed in parts (类 款 项): rebuild its rows.

Budget and final-account tables often give a subject's code in two or three columns
(``204 | 06 | 01 | 行政运行 | …``). Run together on one line, with the empty cells gone, a 类 row prints
one part, a 款 row two and a 项 row three: the rows differ in length and the parts look like figures,
so neither the header-driven layout nor the period of full rows can read them.

The header says the codes come in parts: its last words are ``类 款 项`` (or ``类 款``). The body is
then cut at its names. Each name follows its row's code parts and is followed by the row's figures;
the number of figure columns is the count after the last name (the closing row, usually 合计). Every
row must then leave, before its name, a run that reads as a code in parts (a three-digit 类, then
two-digit parts, at most as many as the header names) or nothing for a 合计/总计 row. A row that does
not read so (a blank figure cell dropped: which column it left cannot be known) and the line is no
such table: it stays text, nothing is guessed.

A part of such a table the page broke off prints no header; it is read the same way when its first
token is a 类 code, every row reads as above and at least one row prints two parts; its code columns
are as many as its longest code has parts.

The header words over the parts are laid into rows the way such tables print them: ``项目`` and the
amounts' group word (收入预算) over the code, name and figure columns; the code column's word, the
name column's word and one word per figure column; then the parts' own words. A word broken in two by
a line break inside its cell is joined back only where the count of words leaves one way to do so;
otherwise all the header words stay together in the first cell, under no column.
"""

from __future__ import annotations

import re

from toolkit.extract.text_grid_layout import (
    _FIGURE_KINDS,
    _TOKEN,
    _TOTAL_WORDS,
    CellSpan,
    TextTable,
    header_kind,
    token_kind,
)
from toolkit.normalize.text import squash

Token = tuple[str, CellSpan]

_PART_WORDS = ("类", "款", "项")
_CLASS_PART = re.compile(r"^\d{3}$")  # 类: 201 … 234 (functional), 301 … 399 (economic)
_SUB_PART = re.compile(r"^\d{2}$")  # 款, 项
_PROSE_MARK = re.compile(r"[。；;，：]")
MIN_ROWS = 3


def code_parts_table(line: str, line_no: int) -> tuple[str, TextTable] | None:
    """(text before the header, table) when ``line`` holds a whole table whose codes print in parts."""
    if _PROSE_MARK.search(line):
        return None
    tokens = [(m.group(), (line_no, m.start(), m.end())) for m in _TOKEN.finditer(line)]
    words = [squash(t) for t, _ in tokens]
    run = _parts_header(words)
    if run is None:
        if not tokens or not _CLASS_PART.match(words[0]):
            return None
        body = _body_rows(tokens, max_parts=3)
        if body is None or body[1] < 2:  # no row prints a code in parts: nothing says these are codes
            return None
        rows, parts = body
        return "", _table([], [], rows, parts, line_no)
    start, at, parts = run
    body = _body_rows(tokens[at + parts :], max_parts=parts)
    if body is None:
        return None
    rows, _ = body
    head = tokens[start:at]
    figures = len(rows[0][2])
    header, spans = _header_rows(head, tokens[at : at + parts], parts, figures, line_no)
    before = line[: tokens[start][1][1]].strip() if start else ""
    return before, _table(header, spans, rows, parts, line_no)


def _parts_header(words: list[str]) -> tuple[int, int, int] | None:
    """(first header word, index of 类, parts named) for the first ``类 款 [项]`` run right after header words."""
    for at in range(1, len(words) - 1):
        if words[at] != "类" or words[at + 1] != "款":
            continue
        parts = 3 if at + 2 < len(words) and words[at + 2] == "项" else 2
        head = range(at - 1, -1, -1)
        start = at
        for k in head:  # the header: the words before 类 back to the first that is no figure
            if token_kind(words[k]) != "text":
                break
            start = k
        start = next((k for k in range(start, at) if header_kind(words[k])), start)
        if start < at:
            return start, at, parts
    return None


Row = tuple[list[Token], list[Token], list[Token]]  # code parts, name tokens, figures


def _body_rows(tokens: list[Token], *, max_parts: int) -> tuple[list[Row], int] | None:
    """The body cut into rows of (code parts, name, figures), and the most code parts a row has; None
    unless every row reads as the module docstring says."""
    kinds = [token_kind(t) for t, _ in tokens]
    names: list[tuple[int, int]] = []  # [start, end) of each run of text tokens
    k = 0
    while k < len(tokens):
        if kinds[k] == "text":
            j = k
            while j < len(tokens) and kinds[j] == "text":
                j += 1
            names.append((k, j))
            k = j
        else:
            k += 1
    if len(names) < MIN_ROWS:
        return None
    figures = len(tokens) - names[-1][1]
    if figures < 1:
        return None
    rows: list[Row] = []
    lead = 0  # start of the current row's code parts
    for a, b in names:
        parts = tokens[lead:a]
        own = tokens[b : b + figures]
        if len(own) != figures or any(kinds[x] not in _FIGURE_KINDS for x in range(b, b + figures)):
            return None
        if not _reads_as_code([squash(t) for t, _ in parts], max_parts, tokens[a:b]):
            return None
        rows.append((parts, tokens[a:b], own))
        lead = b + figures
    most = max(len(p) for p, _, _ in rows)
    return (rows, most) if most > 0 else None


def _reads_as_code(parts: list[str], max_parts: int, name: list[Token]) -> bool:
    if not parts:
        return squash("".join(t for t, _ in name)) in _TOTAL_WORDS
    return (len(parts) <= max_parts and bool(_CLASS_PART.match(parts[0]))
            and all(_SUB_PART.match(p) for p in parts[1:]))


def _joined(tokens: list[Token], line_no: int) -> tuple[str, CellSpan | None]:
    if not tokens:
        return "", None
    return " ".join(t for t, _ in tokens), (line_no, tokens[0][1][1], tokens[-1][1][2])


def _table(header: list[list[str]], head_spans: list[list[CellSpan | None]], rows: list[Row], parts: int,
           line_no: int) -> TextTable:
    width = parts + 1 + len(rows[0][2])
    body: list[list[str]] = []
    spans: list[list[CellSpan | None]] = []
    for code, name, figures in rows:
        cells: list[Token | None] = [*code, *[None] * (width - len(code))]
        # a 合计 row prints its word over the code and name columns: in the first cell, as the grid has it
        cells[parts if code else 0] = _joined(name, line_no)  # type: ignore[assignment]
        cells[parts + 1 :] = figures
        body.append([c[0] if c else "" for c in cells])
        spans.append([c[1] if c else None for c in cells])
    kinds = ["code"] * parts + ["label"] + ["num"] * (width - parts - 1)
    return TextTable([*header, *body], [*head_spans, *spans], line_no, line_no + 1, "single_line", kinds, [])


def _header_rows(head: list[Token], part_words: list[Token], parts: int, figures: int,
                 line_no: int) -> tuple[list[list[str]], list[list[CellSpan | None]]]:
    """The header words laid into rows (see the module docstring); all in the first cell when their
    columns cannot be told."""
    width = parts + 1 + figures
    code_row: list[Token | None] = [*part_words, *[None] * (width - parts)]
    laid = _lay_header(head, parts, figures)
    if laid is None:
        text, span = _joined(head, line_no)
        rows_tokens = [[(text, span) if span else None, *[None] * (width - 1)]] if head else []
    else:
        rows_tokens = []
        for groups in laid:
            rows_tokens.append([_joined(g, line_no) if g else None for g in groups])
    rows_tokens.append(code_row)
    return ([[c[0] if c else "" for c in r] for r in rows_tokens],
            [[c[1] if c else None for c in r] for r in rows_tokens])


def _lay_header(head: list[Token], parts: int, figures: int) -> list[list[list[Token]]] | None:
    """Header rows as token groups per column, or None. The lower row starts at the code column's word
    (科目编码): it holds that word, the name column's word and one word per figure column; the words
    before it are 项目 and the group word over the figures."""
    width = parts + 1 + figures
    kinds = [header_kind(t) for t, _ in head]
    at = next((k for k in range(len(head) - 1, -1, -1) if kinds[k] == "code"), None)
    if at is None:
        return None
    upper, lower = head[:at], head[at:]
    code_word = [lower[0]]
    if len(upper) == 3 and kinds[2] is None:  # 部门预算经济分类科目 | 编码: one cell broken by a line break
        code_word = [upper[2], lower[0]]
        upper = upper[:2]
    cells = _fit_words(lower[1:], figures + 1)
    if cells is None or len(upper) > 2:
        return None
    rows: list[list[list[Token]]] = []
    if upper:
        top: list[list[Token]] = [[] for _ in range(width)]
        top[0] = [upper[0]]
        if len(upper) == 2:
            top[parts + 1] = [upper[1]]
        rows.append(top)
    low: list[list[Token]] = [[] for _ in range(width)]
    low[0] = code_word
    for c, group in enumerate(cells):
        low[parts + c] = group
    rows.append(low)
    return rows


def _fit_words(words: list[Token], cells: int) -> list[list[Token]] | None:
    """``words`` as ``cells`` cells: as they are when they count so; when there are more, each word no
    header knows joined to the word after it, if exactly so many joins are needed."""
    if len(words) == cells:
        return [[w] for w in words]
    excess = len(words) - cells
    if excess <= 0:
        return None
    fragments = [k for k in range(len(words) - 1) if header_kind(words[k][0]) is None and header_kind(words[k + 1][0])]
    if len(fragments) != excess or any(b - a < 2 for a, b in zip(fragments, fragments[1:], strict=False)):
        return None
    out: list[list[Token]] = []
    k = 0
    while k < len(words):
        if k in fragments:
            out.append([words[k], words[k + 1]])
            k += 2
        else:
            out.append([words[k]])
            k += 1
    return out
