"""Text tables rebuilt from a header's words: the kinds of columns and tokens, and laying tokens into rows.

Shared by the shapes of ``toolkit.extract.text_grid`` that lose the column positions (one cell per
line without blanks, a whole table on one line): the header words give the columns and their kinds
(label, 行次, code, amount, free value, note), and the body tokens are laid into rows by kind.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from toolkit.normalize.numbers import parse_number
from toolkit.normalize.text import squash

CellSpan = tuple[int, int, int]  # (line, start, end)

# Header words: a cell that is one of these (spaces removed) reads as a column header.
_LABEL_WORDS = ("项目", "项目名称", "科目名称", "功能分类科目名称", "一级指标", "二级指标", "三级指标", "绩效指标", "指标",
                "指标名称", "名称", "收入", "支出", "收入项目", "支出项目")
_SEQ_WORDS = ("行次", "序号")  # 栏次 labels the row that numbers the columns: a cell, not a header
_CODE_WORDS = ("科目编码", "科目代码", "功能分类科目编码", "经济分类科目编码", "编码", "代码")
_ANY_WORDS = ("年度指标值", "实际完成值", "指标值", "完成值", "全年执行数", "年初预算数", "全年预算数", "执行率")
_NUM_WORDS = ("决算数", "预算数", "金额", "合计", "分值", "得分", "权重", "自评分", "基本支出", "项目支出", "本年收入",
              "本年支出", "年初结转和结余", "年末结转和结余", "财政拨款", "小计", "上年决算数", "本年决算数",
              "执行数", "预算执行率", "本年预算数", "本年收入合计", "本年支出合计", "财政拨款收入", "上级补助收入",
              "事业收入", "经营收入", "附属单位上缴收入", "其他收入", "上缴上级支出", "经营支出", "对附属单位补助支出")
_NOTE_WORDS = ("偏差原因分析及改进措施", "偏差原因", "备注", "说明", "原因分析")
_KIND_OF_WORD = {w: k for k, words in (("label", _LABEL_WORDS), ("seq", _SEQ_WORDS), ("code", _CODE_WORDS),
                                       ("any", _ANY_WORDS), ("num", _NUM_WORDS), ("note", _NOTE_WORDS)) for w in words}
_UNIT_SUFFIX = re.compile(r"[（(]\s*(?:万元|元|亿元|千元|%|分)\s*[)）]$")
_PIPE_SEPARATOR = re.compile(r"^[\s|:：\-—=+]+$")
_SPACE_SPLIT = re.compile(r"(?: {2,}|\u3000+|\t+)")
_TOKEN = re.compile(r"\S+")
_SEQ_TOKEN = re.compile(r"^\d{1,2}$")
_CODE_TOKEN = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
_BLANK_TOKEN = re.compile(r"^[-—－–]{1,2}$")  # an empty cell printed as a dash
_TOTAL_WORDS = ("总分", "合计", "总计")
# "100" looks like a 类 code but in a figure column it is a number; a dash holds a figure column's place
_FIGURE_KINDS = ("num", "seq", "code", "blank")
_PROSE = re.compile(r"[。；;]")
CLEAR_AGREEMENT = 0.75  # a cell-per-line table without header words must fit its width this well
MAX_CELL_CHARS = 40  # a line longer than this (or with sentence punctuation) is prose, not a cell


@dataclass(slots=True)
class TextTable:
    """A rebuilt table: rows of raw cell text and, per cell, its (line, start, end) in the source lines."""

    rows: list[list[str]]
    spans: list[list[CellSpan | None]]
    first_line: int
    end_line: int  # exclusive
    shape: str  # pipe|aligned|cell_per_line|single_line
    header_kinds: list[str] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)  # why figures of the text were left out of the table
    suspects: list[str] = field(default_factory=list)  # figures placed only by taking one of them as wrong


def header_kind(cell: str) -> str | None:
    """The kind of a column whose header cell reads ``cell`` (None: not a header word)."""
    word = _UNIT_SUFFIX.sub("", squash(cell))
    return _KIND_OF_WORD.get(word)


def token_kind(text: str) -> str:
    t = squash(text)
    if _BLANK_TOKEN.match(t):
        return "blank"
    if _SEQ_TOKEN.match(t):
        return "seq"
    if _CODE_TOKEN.match(t):
        return "code"
    if parse_number(t) is not None:
        return "num"
    return "text"


def _accepts(col_kind: str, tok_kind: str) -> bool:
    if col_kind in ("any",) or tok_kind == "blank":  # a dash holds the place of an empty cell in any column
        return True
    if col_kind == "num":
        return tok_kind in _FIGURE_KINDS
    if col_kind == "seq":
        return tok_kind == "seq"
    if col_kind == "code":
        return tok_kind == "code"
    return tok_kind == "text"  # label, note


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)



# ---------------------------------------------------------------- header-driven rebuilding

def _header_run(cells: list[str]) -> tuple[int, int] | None:
    """The first run of >= 3 consecutive header words with at least one label and one figure column."""
    i = 0
    while i < len(cells):
        j = i
        while j < len(cells) and header_kind(cells[j]):
            j += 1
        kinds = [header_kind(c) for c in cells[i:j]]
        if j - i >= 3 and "label" in kinds and any(k in ("num", "any", "seq") for k in kinds):
            return i, j
        i = j + 1
    return None


def _lay_out(kinds: list[str], tokens: list[tuple[str, CellSpan]]) -> tuple[list[list[str]], list[list[CellSpan | None]]]:
    """Rows of ``len(kinds)`` cells from a token stream without blanks (see the module docstring)."""
    first_fig = next((k for k, kind in enumerate(kinds) if kind in ("num", "any", "seq", "code")), len(kinds))
    labels = [k for k in range(first_fig) if kinds[k] == "label"]
    lanes = sum(1 for k in range(1, len(kinds)) if kinds[k] == "label" and kinds[k - 1] != "label")
    if len(labels) >= 2 and lanes == 0:
        return _lay_out_hierarchical(kinds, tokens)
    n = len(kinds)
    rows: list[list[str]] = []
    spans: list[list[CellSpan | None]] = []
    cur: list[str] = [""] * n
    cur_spans: list[CellSpan | None] = [None] * n
    c = 0
    column_numbers = False  # a 栏次 row numbers the figure columns: its numbers skip 行次
    code_col = next((k for k, kind in enumerate(kinds) if kind == "code"), None)
    for i, (text, span) in enumerate(tokens):
        tk = token_kind(text)
        if column_numbers and tk == "seq":
            tk = "num"
        accepts = (lambda kind, t: kind == "num" and t in _FIGURE_KINDS) if column_numbers and tk == "num" else _accepts
        j = next((k for k in range(c, n) if accepts(kinds[k], tk)), None)
        if code_col is not None and tk == "code" and c > code_col and _starts_coded_row(text, tokens[i + 1 : i + 2]):
            # a subject code, not an amount: the next lane's code column, else the next row begins
            j = next((k for k in range(c, n) if kinds[k] == "code"), None)
        if tk == "text" and _name_goes_on(cur, cur_spans, c, kinds, code_col, span):
            prev = cur_spans[c - 1]
            cur[c - 1] = f"{cur[c - 1]} {text}"
            cur_spans[c - 1] = (span[0], prev[1], span[2]) if prev else span
            continue
        if j is None:
            if any(cur):
                rows.append(cur)
                spans.append(cur_spans)
            cur, cur_spans = [""] * n, [None] * n
            column_numbers = False
            tk = token_kind(text)
            j = next((k for k in range(n) if _accepts(kinds[k], tk)), 0)
        if squash(text) == "栏次":
            column_numbers = True
        cur[j] = text
        cur_spans[j] = span
        c = j + 1
    if any(cur):
        rows.append(cur)
        spans.append(cur_spans)
    return rows, spans


def _starts_coded_row(text: str, after: list[tuple[str, CellSpan]]) -> bool:
    """A code token in a table with a code column begins a row: a 款/项 code (5 or 7 digits) always, a
    3-digit 类 code when a name follows it (an amount such as 100 is followed by a figure or a code)."""
    return len(squash(text)) >= 5 or bool(after and token_kind(after[0][0]) == "text")


def _name_goes_on(cur: list[str], cur_spans: list[CellSpan | None], c: int, kinds: list[str], code_col: int | None,
                  span: CellSpan) -> bool:
    """A text token continues the subject name before it (a name printed with a space inside, as a cell
    wrapped in the source): the name's lane has its code, the name was the last cell filled and no
    figure follows it yet. With lanes this comes first: the next lane begins with its code, not a name."""
    if code_col is None or c == 0 or kinds[c - 1] != "label" or not cur[c - 1]:
        return False
    lane_code = next((k for k in range(c - 2, -1, -1) if kinds[k] == "code"), None)
    if lane_code is None or not cur[lane_code] or any(kinds[k] == "label" for k in range(lane_code + 1, c - 1)):
        return False
    prev = cur_spans[c - 1]
    return (prev is None or prev[0] == span[0]) and not any(cur[k] for k in range(c, len(kinds)))


def _lay_out_hierarchical(kinds: list[str], tokens: list[tuple[str, CellSpan]]) -> tuple[list[list[str]], list[list[CellSpan | None]]]:
    n = len(kinds)
    label_cols = [k for k, kind in enumerate(kinds) if kind == "label"]
    any_cols = [k for k, kind in enumerate(kinds) if kind == "any"]
    num_cols = [k for k, kind in enumerate(kinds) if kind in ("num", "seq")]
    note_cols = [k for k, kind in enumerate(kinds) if kind == "note"]
    rows: list[list[str]] = []
    spans: list[list[CellSpan | None]] = []
    buf: list[tuple[str, CellSpan]] = []
    i = 0
    while i < len(tokens):
        buf.append(tokens[i])
        run = 0
        while run < len(buf) and token_kind(buf[-1 - run][0]) in _FIGURE_KINDS:
            run += 1
        next_is_fig = i + 1 < len(tokens) and token_kind(tokens[i + 1][0]) in _FIGURE_KINDS
        i += 1
        if run < len(num_cols) or next_is_fig:
            continue
        row = [""] * n
        row_spans: list[CellSpan | None] = [None] * n
        figs, rest = buf[len(buf) - len(num_cols):], buf[: len(buf) - len(num_cols)]
        for k, (text, span) in zip(num_cols, figs, strict=False):
            row[k], row_spans[k] = text, span
        texts = [t for t, _ in rest]
        is_total = any(w in squash(t) for t in texts for w in _TOTAL_WORDS)
        n_any = 0 if is_total else min(len(any_cols), max(len(rest) - 1, 0))
        for k, (text, span) in zip(any_cols[len(any_cols) - n_any:], rest[len(rest) - n_any:], strict=False):
            row[k], row_spans[k] = text, span
        label_tokens = rest[: len(rest) - n_any]
        if len(label_tokens) > len(label_cols) and rows and note_cols:
            overflow = label_tokens[: len(label_tokens) - len(label_cols)]
            rows[-1][note_cols[0]] = " ".join(t for t, _ in overflow)
            spans[-1][note_cols[0]] = overflow[0][1]
            label_tokens = label_tokens[len(overflow):]
        if is_total:
            used = [k for k in label_cols if any(r[k] for r in rows)] or label_cols
            targets = [k for k in label_cols if k >= used[0]][: len(label_tokens)]
        else:
            targets = label_cols[len(label_cols) - len(label_tokens):]
        for k, (text, span) in zip(targets, label_tokens[-len(label_cols):] if label_cols else [], strict=False):
            row[k], row_spans[k] = text, span
        rows.append(row)
        spans.append(row_spans)
        buf = []
    if buf and rows and note_cols:
        rows[-1][note_cols[0]] = " ".join(t for t, _ in buf)
        spans[-1][note_cols[0]] = buf[0][1]
    return rows, spans
