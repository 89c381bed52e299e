"""A whole table printed on one line (or its cells one per line, blanks dropped): rebuild its rows.

The header run gives the columns; the body tokens are laid into rows by kind. A 自评表 run together
keeps its project, fund-block and goal rows above the indicator header, and a 总分 printed after its
figures (``… 100 91 总分``) heads its row.

Header words printed with a space inside (``项 目``, ``年 度 指 标 值``) are joined back; a row of
words over the lanes of a two-lane header (收入 … 支出) is a row of its own; a 栏次 row numbers the
figure columns. A table of its own words (no header word known) whose body rows are all full is
read by the period of its rows (:func:`full_rows_table`). Cell spans are (line, start, end) of each
token in the line.
"""

from __future__ import annotations

import logging
import re

from toolkit.extract.text_grid_lanes import relay_lanes
from toolkit.extract.text_grid_layout import (
    _FIGURE_KINDS,
    _TOKEN,
    _TOTAL_WORDS,
    CellSpan,
    TextTable,
    _header_run,
    _lay_out,
    header_kind,
    token_kind,
)
from toolkit.extract.text_grid_place import place_figures
from toolkit.normalize.text import squash

log = logging.getLogger(__name__)

Token = tuple[str, CellSpan]


def single_line_table(line: str, line_no: int) -> tuple[str, TextTable] | None:
    """(text before the header, table) when ``line`` holds a whole table; None otherwise.

    The table runs to the end of the line: text after its last figures stays in the table (a note column
    when the header has one, else a row of its own).
    """
    matches = _joined_header_words(line, list(_TOKEN.finditer(line)))
    if len(matches) < 6:
        return None
    tokens = [(line[x:y], (line_no, x, y)) for x, y in matches]
    got = table_from_tokens(tokens, line_no, line_no + 1, "single_line")
    if got is None:
        return None
    first, table = got
    return line[: matches[first][0]].strip(), table


def table_from_tokens(tokens: list[Token], first_line: int, end_line: int, shape: str) -> tuple[int, TextTable] | None:
    """(index of the table's first token, table) from a stream of cell tokens without blanks: a header
    run, the body laid into rows by kind, and the rows of a 自评表 printed above its indicator header."""
    words = [t for t, _ in tokens]
    run = _header_run(words)
    if run is None:
        return None
    a, b = run
    if b - a > 3 and squash(words[b - 1]) in _TOTAL_WORDS and b < len(words) and token_kind(words[b]) in _FIGURE_KINDS:
        b -= 1  # 合计 followed by figures is the body's first row, not a column of the header
    kinds = [header_kind(w) or "label" for w in words[a:b]]
    extra = _extra_lead_labels(kinds) or _lane_group_words(kinds)
    a, kinds = a + extra, kinds[extra:]
    body = _rejoin_fragments(tokens[b:])
    if sum(token_kind(t) in ("num", "seq") for t, _ in body) < 2:
        return None
    header = [words[a:b]]
    head_spans: list[list[CellSpan | None]] = [[sp for _, sp in tokens[a:b]]]
    two_rows = _two_header_rows(tokens[a:b], kinds)
    if two_rows is not None:  # 项目 (amounts …) over 科目编码 科目名称 (amounts …): two header rows run together
        kinds, header, head_spans = two_rows
    numbered = _numbered_columns(body)
    if numbered is not None and numbered != sum(1 for k in kinds if k == "num"):
        return None  # the 栏次 row numbers more (or fewer) figure columns than the header run has
    rows, spans = _lay_out(kinds, _total_label_first(body, kinds))
    if len(rows) < 2 or _code_in_amounts(rows, kinds):
        return None
    relaid = relay_lanes(rows, spans, kinds)
    if relaid is not None:  # two lanes of unequal length: the items' numbering says which lane each is in
        rows, spans = relaid  # every item full: no figure to place
        note = suspect = None
    else:
        rows, spans, note, suspect = place_row_figures(rows, spans, header, kinds)
    group = _group_header(words[:a], kinds)
    if group is not None:  # 收入 … 支出 over the two lanes of the header: a row of its own
        cols, first = group
        header.insert(0, [words[first + cols.index(k)] if k in cols else "" for k in range(len(kinds))])
        head_spans.insert(0, [tokens[first + cols.index(k)][1] if k in cols else None for k in range(len(kinds))])
        a = first
    preamble = selfeval_preamble(tokens[:a])
    if preamble is not None:  # a whole 自评表: its project, fund and goal rows came before the indicator header
        pre_rows, pre_spans, used = preamble
        width = max(len(kinds), *(len(r) for r in pre_rows))
        header = [r + [""] * (width - len(r)) for r in [*pre_rows, *header]]
        head_spans = [sp + [None] * (width - len(sp)) for sp in [*pre_spans, *head_spans]]
        rows = [r + [""] * (width - len(r)) for r in rows]
        spans = [sp + [None] * (width - len(sp)) for sp in spans]
        a = used
    return a, TextTable([*header, *rows], [*head_spans, *spans], first_line, end_line, shape, kinds,
                        [note] if note else [], [suspect] if suspect else [])


_WEIGHT_FRAGMENT = re.compile(r"^[(（]\s*\d+(?:\.\d+)?\s*分\s*[)）]$")
_UNIT_FRAGMENT = re.compile(r"^(?:万元|万|元|亿元|家|人|个|年|次|天|户|人次|%)$")


def _rejoin_fragments(tokens: list[Token]) -> list[Token]:
    """Tokens split at a space inside a cell joined back: a weight ``(50分)`` after its indicator
    name, a unit (``万``, ``家``) after its figure."""
    out: list[Token] = []
    for text, span in tokens:
        prev = out[-1] if out else None
        joins = prev is not None and (
            (_WEIGHT_FRAGMENT.match(text) and token_kind(prev[0]) == "text")
            or (_UNIT_FRAGMENT.match(text) and token_kind(prev[0]) in _FIGURE_KINDS)
        )
        if joins and prev is not None:
            out[-1] = (f"{prev[0]} {text}", (prev[1][0], prev[1][1], span[2]))
        else:
            out.append((text, span))
    return out


def _numbered_columns(tokens: list[Token]) -> int | None:
    """How many figure columns the 栏次 row numbers (栏次 1 栏次 2 3 4 5 -> 5); None without one."""
    words = [squash(t) for t, _ in tokens]
    at = next((k for k, w in enumerate(words) if w == "栏次"), None)
    if at is None:
        return None
    expect = 1
    for w in words[at + 1 :]:
        if w == str(expect):
            expect += 1
        elif w != "栏次":
            break
    return expect - 1


def _code_in_amounts(rows: list[list[str]], kinds: list[str]) -> bool:
    """A subject code laid into an amount column: a 款/项 code where the header has no code column,
    or a code printed in parts (类 款 项: ``204 06 01``; no amount prints as ``06``). Where the codes go
    cannot be known; such a table is left as text, not guessed."""
    return any(kinds[c] == "num" and row[c] and (
        (token_kind(row[c]) == "code" and len(squash(row[c])) >= 5) or _CODE_PART.match(squash(row[c])))
        for row in rows for c in range(len(kinds)))


_CODE_PART = re.compile(r"^0\d$")


def place_row_figures(rows: list[list[str]], spans: list[list[CellSpan | None]], header: list[list[str]],
            kinds: list[str]) -> tuple[list[list[str]], list[list[CellSpan | None]], str | None, str | None]:
    """Rows with the figures of rows that fill only some amount columns moved to the columns the
    table's arithmetic allows (``text_grid_place``), a note on the figures it cannot settle (they
    are left out of the table, in no cell, so no measure and no check reads them, rather than guessed)
    and a note naming the figure(s) that had to be taken as wrong for the placement to fit."""
    body_from = next((r + 1 for r, row in enumerate(rows) if any(squash(c) == "栏次" for c in row)), 0)
    words = [next((h[c] for h in reversed(header) if h[c]), "") for c in range(len(kinds))]  # the lowest word over each column
    got = place_figures(rows, words, kinds, body_from)
    out = [[row[c] if c is not None else "" for c in src] for row, src in zip(rows, got.source, strict=True)]
    out_spans = [[sp[c] if c is not None else None for c in src] for sp, src in zip(spans, got.source, strict=True)]
    suspect = None
    if got.suspect:
        named = [f"{_row_label(rows[r], kinds)} {rows[r][c]}" for r, c in got.suspect]
        suspect = (f"a table printed without its empty cells: no placement of its figures fits all of its sums; they "
                   f"fit when one of these is taken as wrong, and all such readings agree: {'、'.join(named[:5])}"
                   f"{' …' if len(named) > 5 else ''}")
    if not got.unplaced:
        return out, out_spans, None, suspect
    labels = [_row_label(rows[r], kinds) for r in sorted(got.unplaced)]
    figures = [rows[r][c] for r in sorted(got.unplaced) for c in got.unplaced[r]]
    note = (f"a table printed without its empty cells: {len(figures)} figure(s) of {len(labels)} row(s) "
            f"({'、'.join(labels[:5])}{' …' if len(labels) > 5 else ''}: {' '.join(figures[:8])}"
            f"{' …' if len(figures) > 8 else ''}) left out of the columns, not checked: {got.reason}")
    return out, out_spans, note, None


def _row_label(row: list[str], kinds: list[str]) -> str:
    return (next((c for c, k in zip(row, kinds, strict=False) if c and k in ("label", "code") and token_kind(c) == "text"), "")
            or next((c for c in row if c), ""))


def _two_header_rows(run: list[Token], kinds: list[str]) -> tuple[list[str], list[list[str]], list[list[CellSpan | None]]] | None:
    """(column kinds, header rows, their spans) of a header run that is two header rows run together:
    项目 and the amounts' upper words, then 科目编码 科目名称 and the amounts' own words (if any). 项目
    spans the code and name columns; the upper words head the first amount columns (when the second
    row has no amount words of its own, they are the amount columns). None for any other run."""
    if len(kinds) < 4 or kinds[0] != "label" or kinds[1] != "num":
        return None
    p = next((k for k in range(1, len(kinds)) if kinds[k] != "num"), len(kinds))
    q = p
    while q < len(kinds) and kinds[q] in ("code", "label"):
        q += 1
    if "code" not in kinds[p:q] or q - p < 2 or any(k != "num" for k in kinds[q:]):
        return None
    upper, names, own = run[1:p], run[p:q], run[q:]
    if own and len(upper) > len(own):
        return None
    amounts = len(own) or len(upper)
    width = len(names) + amounts
    top = [run[0], *[None] * (len(names) - 1), *upper, *[None] * (amounts - len(upper))]
    second = [*names, *own, *[None] * (width - len(names) - len(own))]
    rows = [[t[0] if t else "" for t in r] for r in (top, second)]
    spans = [[t[1] if t else None for t in r] for r in (top, second)]
    return kinds[p:q] + ["num"] * amounts, rows, spans


def _total_label_first(tokens: list[Token], kinds: list[str]) -> list[Token]:
    """Tokens with a 总分/合计 label printed after its figures (``… 100 91 总分``) moved before them:
    a total word that ends the stream right after a run of figures longer than a row's own."""
    figures = sum(1 for k in kinds if k in ("num", "seq"))
    if not tokens or squash(tokens[-1][0]) not in _TOTAL_WORDS or figures == 0:
        return tokens
    run = 0
    while run < len(tokens) - 1 and token_kind(tokens[-2 - run][0]) in _FIGURE_KINDS:
        run += 1
    if run <= figures:
        return tokens
    cut = len(tokens) - 1 - figures
    return [*tokens[:cut], tokens[-1], *tokens[cut:-1]]


_PROJECT_KEYS = ("项目支出名称", "项目名称", "主管部门", "实施单位", "预算单位", "部门名称")
_FUND_HEADER = ("年初预算数", "全年预算数", "全年执行数", "预算数", "执行数", "分值", "执行率", "得分")
_GOAL_WORDS = ("年度总体目标", "总体目标", "预期目标", "实际完成情况")

def selfeval_preamble(tokens: list[Token]) -> tuple[list[list[str]], list[list[CellSpan | None]], int] | None:
    """The rows of a 自评表 above its indicator header, from the tokens before it on the same line:
    项目支出名称/主管部门 … rows (a key, then its value), the fund block (a label such as 项目资金(万元),
    its header words, then rows of a label and the figures in header order, blank figures at the end
    dropped) and the goal header. The goal texts go under 预期目标 and 实际完成情况 only when the two
    halves repeat each other (预期目标 copied into 实际完成情况); otherwise where one ends cannot be
    known and they stay together in the first column, under neither. Returns (rows, spans, index of
    the first token used) or None without a fund block."""
    words = [squash(t) for t, _ in tokens]
    f0 = next((k for k in range(len(words) - 2) if all(w in _FUND_HEADER for w in words[k : k + 3])), None)
    if f0 is None:
        return None
    f1 = f0
    while f1 < len(words) and words[f1] in _FUND_HEADER:
        f1 += 1
    label_at = f0 - 1 if f0 > 0 and "资金" in words[f0 - 1] else f0
    first = next((k for k in range(label_at) if words[k] in _PROJECT_KEYS), label_at)
    rows: list[list[str]] = []
    spans: list[list[CellSpan | None]] = []

    def add(cells: list[Token | None]) -> None:
        rows.append([c[0] if c else "" for c in cells])
        spans.append([c[1] if c else None for c in cells])

    k = first
    while k < label_at:  # key, value tokens up to the next key
        j = k + 1
        while j < label_at and words[j] not in _PROJECT_KEYS:
            j += 1
        value = tokens[k + 1 : j]
        add([tokens[k], _joined_span(value) if value else None])
        k = j
    add([tokens[label_at] if label_at < f0 else None, None, *tokens[f0:f1]])
    goal_at = next((k for k in range(f1, len(words)) if words[k] in _GOAL_WORDS), len(words))
    k = f1
    while k < goal_at:
        label = tokens[k] if token_kind(tokens[k][0]) == "text" else None
        k += 1 if label else 0
        figures = []
        while k < goal_at and token_kind(tokens[k][0]) != "text" and len(figures) < f1 - f0:
            figures.append(tokens[k])
            k += 1
        if label is None and not figures:
            k += 1
            continue
        if len(figures) not in (0, min(3, f1 - f0), f1 - f0):
            return None  # a blank inside the row was dropped: which figure is which cannot be known
        add([None, label, *figures])
    if goal_at < len(words):
        g1 = goal_at
        while g1 < len(words) and words[g1] in _GOAL_WORDS:
            g1 += 1
        add(list(tokens[goal_at:g1]))
        texts = tokens[g1:]
        half = len(texts) // 2
        if texts and len(texts) % 2 == 0 and [t for t, _ in texts[:half]] == [t for t, _ in texts[half:]]:
            add([None, _joined_span(texts[:half]), _joined_span(texts[half:])])
        elif texts:  # where 预期目标 ends cannot be known: the texts stay in the table under neither column
            add([_joined_span(texts)])
    return rows, spans, first


def _joined_span(tokens: list[Token]) -> Token:
    """Several tokens read as one cell: their text joined by a space, the span from first to last."""
    (line, start, _), (_, _, end) = tokens[0][1], tokens[-1][1]
    return " ".join(t for t, _ in tokens), (line, start, end)


def _extra_lead_labels(kinds: list[str]) -> int:
    """Label words before a header with lanes that its other lanes do not have: 收入 支出 printed
    over 项目 行次 决算数 项目 行次 决算数 are a row above the header, not columns."""
    starts = [k for k, kind in enumerate(kinds) if kind == "label" and (k == 0 or kinds[k - 1] != "label")]
    if len(starts) < 2:
        return 0
    first_len = next((k for k in range(starts[0], len(kinds)) if kinds[k] != "label"), len(kinds)) - starts[0]
    last_len = next((k for k in range(starts[-1], len(kinds)) if kinds[k] != "label"), len(kinds)) - starts[-1]
    return max(first_len - last_len, 0)


def _lane_group_words(kinds: list[str]) -> int:
    """Figure-column words before a header with lanes, one per lane (本年收入 本年支出 over 项目 预算数 项目
    预算数): a row above the header naming the lanes, not columns. Their count, or 0."""
    lead = next((k for k, kind in enumerate(kinds) if kind == "label"), 0)
    rest = kinds[lead:]
    lanes = sum(1 for k, kind in enumerate(rest) if kind == "label" and (k == 0 or rest[k - 1] != "label"))
    return lead if lead >= 2 and lead == lanes else 0


def _joined_header_words(line: str, matches: list[re.Match[str]]) -> list[tuple[int, int]]:
    """Token spans, with a header word printed with spaces inside (``项 目``, ``年 度 指 标 值``, ``本年支出 合计``) as one."""
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(matches):
        for k in range(min(6, len(matches) - i), 1, -1):
            joined = "".join(m.group() for m in matches[i : i + k])
            first = header_kind(matches[i].group())
            if (header_kind(joined) or joined == "栏次") and (not first or (k == 2 and joined.endswith("合计"))):
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
    if not all(header_kind(w) for w in tail):
        return None
    return lanes, len(before) - len(lanes)


MIN_FULL_ROWS = 3  # a line read by its period alone: body rows it needs


def full_rows_table(line: str, line_no: int) -> TextTable | None:
    """A table on one line whose body rows are all full, read by their period: no placement needed.

    When no header word tells the columns (a table of its own words), the body can still: a row that
    prints every cell (a label and its figures, none empty) repeats the same kinds, so the tokens from
    the body's first label to the end of the line fall into rows of one width ``p``. The width is the
    smallest whose rows all print the kinds of the first row (a label and at least two figures per
    row, :data:`MIN_FULL_ROWS` rows; a body of figures alone has no period to trust), the body runs to the end of the line, and every token before it
    is a header word. The header words are one row when there are ``p`` of them; when there are not
    (merged or multi-row headers) their columns are unknown, and they are kept together in the row's
    first cell rather than laid in columns by guess. A line with sentence punctuation, a figure among
    the header words or any row that breaks the period is no such table.
    """
    if _PROSE_MARK.search(line):
        return None
    tokens = [(m.group(), (line_no, m.start(), m.end())) for m in _TOKEN.finditer(line)]
    kinds = ["f" if token_kind(t) in _FIGURE_KINDS else "t" for t, _ in tokens]
    n = len(tokens)
    first_figure = next((k for k, kind in enumerate(kinds) if kind == "f"), n)
    for start in range(2, min(first_figure, n - 3 * MIN_FULL_ROWS) + 1):  # the header: text tokens only
        for width in range(3, min(MAX_FULL_WIDTH, (n - start) // MIN_FULL_ROWS) + 1):
            if (n - start) % width:
                continue
            pattern = kinds[start : start + width]
            if "t" not in pattern or pattern.count("f") < 2 or any(kinds[k] != pattern[(k - start) % width] for k in range(start, n)):
                continue
            return _full_rows(tokens, start, width, line_no)
    return None


MAX_FULL_WIDTH = 20
_PROSE_MARK = re.compile(r"[。；;，：]")  # sentence punctuation: a paragraph, not a table


def _full_rows(tokens: list[Token], start: int, width: int, line_no: int) -> TextTable:
    head = tokens[:start]
    if len(head) == width:
        header = [t for t, _ in head]
        head_spans: list[CellSpan | None] = [sp for _, sp in head]
    else:  # merged header cells: their columns are not in the text; the words stay together
        header = [" ".join(t for t, _ in head)] + [""] * (width - 1)
        head_spans = [(line_no, head[0][1][1], head[-1][1][2])] + [None] * (width - 1)
    body = tokens[start:]
    rows = [[t for t, _ in body[k : k + width]] for k in range(0, len(body), width)]
    spans = [[sp for _, sp in body[k : k + width]] for k in range(0, len(body), width)]
    return TextTable([header, *rows], [head_spans, *spans], line_no, line_no + 1, "single_line")


MIN_ROW_FIGURES = 3  # a header then one row of figures: the figures it needs


def figures_row_table(line: str, line_no: int) -> TextTable | None:
    """A table of header words and one row of figures, on one line (a 三公 table: ``… 购置费 运行费 10.81 0
    0.83 9.98 0 9.98 217.83``). The line opens with at least three header words, no figure among them,
    and ends with a run of at least :data:`MIN_ROW_FIGURES` figures, no more than the words (each column
    has a word of its own; more figures are rows of a width the line does not give). When the words are as many as the
    figures they are the header row; otherwise (multi-row headers: group words over their columns)
    their columns are not in the text, and they stay together in a first column of their own, over no
    figure: no figure is read as what a word over another column says."""
    if _PROSE_MARK.search(line):
        return None
    tokens = [(m.group(), (line_no, m.start(), m.end())) for m in _TOKEN.finditer(line)]
    kinds = [token_kind(t) for t, _ in tokens]
    first = next((k for k, kind in enumerate(kinds) if kind != "text"), len(tokens))
    if first < 3 or not MIN_ROW_FIGURES <= len(tokens) - first <= first or any(k not in _FIGURE_KINDS for k in kinds[first:]):
        return None  # every column has a header word: more figures than words are several rows, whose width is unknown
    if not any(header_kind(t) for t, _ in tokens[:first]):
        return None  # words no table header uses: a line of text that ends in numbers
    width = len(tokens) - first
    head, body = tokens[:first], tokens[first:]
    if len(head) == width:
        rows = [[t for t, _ in head], [t for t, _ in body]]
        spans = [[sp for _, sp in head], [sp for _, sp in body]]
        return TextTable(rows, spans, line_no, line_no + 1, "single_line", ["num"] * width)
    # the words over no column: a first column of their own, so no figure is read under a word not its own
    rows = [[" ".join(t for t, _ in head)] + [""] * width, ["", *(t for t, _ in body)]]
    spans = [[(line_no, head[0][1][1], head[-1][1][2])] + [None] * width, [None, *(sp for _, sp in body)]]
    return TextTable(rows, spans, line_no, line_no + 1, "single_line", ["label"] + ["num"] * width)
