"""A whole table printed on one line: find its header run, then lay its tokens into rows.

Header words printed with a space inside (``项 目``, ``年 度 指 标 值``) are joined back; a row of
words over the lanes of a two-lane header (收入 … 支出) is a row of its own; a 栏次 row numbers the
figure columns. Cell spans are (line, start, end) of each token in the line.
"""

from __future__ import annotations

import re

from toolkit.extract.text_grid_layout import (
    _TOKEN,
    CellSpan,
    TextTable,
    _header_run,
    _lay_out,
    header_kind,
    token_kind,
)


def single_line_table(line: str, line_no: int) -> tuple[str, TextTable] | None:
    """(text before the header, table) when ``line`` holds a whole table; None otherwise.

    The table runs to the end of the line: text after its last figures stays in the table (a note column
    when the header has one, else a row of its own).
    """
    matches = _joined_header_words(line, list(_TOKEN.finditer(line)))
    if len(matches) < 6:
        return None
    words = [line[x:y] for x, y in matches]
    run = _header_run(words)
    if run is None:
        return None
    a, b = run
    kinds = [header_kind(w) or "label" for w in words[a:b]]
    extra = _extra_lead_labels(kinds)
    a, kinds = a + extra, kinds[extra:]
    tokens = [(line[x:y], (line_no, x, y)) for x, y in matches[b:]]
    if sum(token_kind(t) in ("num", "seq") for t, _ in tokens) < 2:
        return None
    rows, spans = _lay_out(kinds, tokens)
    if len(rows) < 2:
        return None
    header_spans: list[CellSpan | None] = [(line_no, x, y) for x, y in matches[a:b]]
    header = [words[a:b]]
    head_spans = [header_spans]
    group = _group_header(words[:a], kinds)
    if group is not None:  # 收入 … 支出 over the two lanes of the header: a row of its own
        cols, first = group
        header.insert(0, [words[first + cols.index(k)] if k in cols else "" for k in range(len(kinds))])
        head_spans.insert(0, [(line_no, *matches[first + cols.index(k)]) if k in cols else None for k in range(len(kinds))])
        a = first
    table = TextTable([*header, *rows], [*head_spans, *spans], line_no, line_no + 1, "single_line", kinds)
    return line[: matches[a][0]].strip(), table


def _extra_lead_labels(kinds: list[str]) -> int:
    """Label words before a header with lanes that its other lanes do not have: 收入 支出 printed
    over 项目 行次 决算数 项目 行次 决算数 are a row above the header, not columns."""
    starts = [k for k, kind in enumerate(kinds) if kind == "label" and (k == 0 or kinds[k - 1] != "label")]
    if len(starts) < 2:
        return 0
    first_len = next((k for k in range(starts[0], len(kinds)) if kinds[k] != "label"), len(kinds)) - starts[0]
    last_len = next((k for k in range(starts[-1], len(kinds)) if kinds[k] != "label"), len(kinds)) - starts[-1]
    return max(first_len - last_len, 0)


def _joined_header_words(line: str, matches: list[re.Match[str]]) -> list[tuple[int, int]]:
    """Token spans, with a header word printed with spaces inside (``项 目``, ``年 度 指 标 值``) as one."""
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(matches):
        for k in range(min(6, len(matches) - i), 1, -1):
            joined = "".join(m.group() for m in matches[i : i + k])
            if (header_kind(joined) or joined == "栏次") and not header_kind(matches[i].group()):
                out.append((matches[i].start(), matches[i + k - 1].end()))
                i += k
                break
        else:
            out.append((matches[i].start(), matches[i].end()))
            i += 1
    return out


def _group_header(before: list[str], kinds: list[str]) -> tuple[list[int], int] | None:
    """(columns, index in ``before``) of words just before a header with lanes that name each lane
    (收入 支出 over 项目 行次 决算数 | 项目 行次 决算数); None when there is no such row."""
    lanes = [k for k, kind in enumerate(kinds) if kind == "label" and (k == 0 or kinds[k - 1] != "label")]
    if len(lanes) < 2 or len(before) < len(lanes):
        return None
    tail = before[len(before) - len(lanes):]
    if not all(header_kind(w) == "label" for w in tail):
        return None
    return lanes, len(before) - len(lanes)
