"""Tables that arrive as text: rebuild their rows so they reach recognition like any other grid.

Web pages saved as text or Markdown, PDF copies and hand-typed reports carry tables in four
shapes besides the TAB layouts the text loader reads itself:

* **pipe tables** (``| 四、滚存结余 | 1,234.56 |``, Markdown separator lines, rows of empty cells);
* **space-aligned tables**: columns padded with runs of spaces; column boundaries come from the
  display positions of the body rows (a CJK character is two columns wide); rows with one filled
  cell, an indented goal text and a closing 合计 row stay in the table up to the next blank line;
* **one cell per line**: with empty cells kept as blank lines, the row width comes from the body
  (``text_grid_cells``: a 栏次 row or a 1..k numbering row fixes it, else the narrowest width whose
  columns hold one kind of cell; with merged headers, the narrowest width whose body rows do); the
  table runs to the next title, 单位/注 line or prose line, and on past a 自评表's goal texts; a table
  the page broke in two is read as its two parts, the second at the first's width. Without blank
  lines the header words give the columns (below);
* **a whole table on one line** (``text_grid_line``): the header words give the columns, the body
  tokens are laid into rows by the kinds of the columns (label, 行次, code, amount, free value, note);
  a whole 自评表 keeps its project, fund and goal rows. A row that fills some of several amount
  columns has its figures placed by the table's own arithmetic (``text_grid_place``: row totals,
  column totals, subject levels) where exactly one placement fits; a figure more than one placement
  fits is left out of the table and the table's ``unplaced`` note says so (a ``figures_unplaced``
  parse issue), never guessed. Without a header word the reader knows, a table whose body rows all
  print every cell (a label and its figures) is read by their period, its header words kept in one
  cell when their count is not the width (``full_rows_table``); so is a header followed by one row of
  figures (``figures_row_table``, a 三公 table). A table whose codes print in parts
  (类 款 项 columns: ``204 06 01 行政运行 …``) is cut at its names (``text_grid_codes``).

Rebuilding from kinds (``text_grid_layout``): a table whose header has one label column per lane (决算 tables: 项目 行次 决算数
…) is filled left to right, a token going to the next column that accepts its kind (a blank amount leaves
its column empty); a table with several label columns before its figures (自评表 一级/二级/三级指标) ends a
row after its run of figures, and its labels are right-aligned, because merged upper-level labels print
only on the first row of their group.

Every cell keeps where it came from: the line (0-based, within the lines handed in) and the character
span in that line, so a number read from a rebuilt table can be found in the source text.
"""

from __future__ import annotations

from toolkit.extract.recognize import TITLE_NOISE, classify_title
from toolkit.extract.text_grid_cells import (
    PeriodFit,
    fit_body,
    fit_period,
    numbered_width,
    rows_at,
    shifted_split,
)
from toolkit.extract.text_grid_codes import code_parts_table
from toolkit.extract.text_grid_layout import (  # noqa: F401 - TextTable, header_kind, token_kind, display_width are this module's API
    _FIGURE_KINDS,
    _PIPE_SEPARATOR,
    _PROSE,
    _SPACE_SPLIT,
    _TOTAL_WORDS,
    CLEAR_AGREEMENT,
    MAX_CELL_CHARS,
    CellSpan,
    TextTable,
    _accepts,
    _lay_out,
    display_width,
    header_kind,
    token_kind,
)
from toolkit.extract.text_grid_line import (
    _PROJECT_KEYS,
    figures_row_table,
    full_rows_table,
    place_row_figures,
    single_line_table,
    table_from_tokens,
)
from toolkit.model import Block, RawTable
from toolkit.normalize.text import squash

# ---------------------------------------------------------------- pipe tables

def _is_pipe_line(line: str) -> bool:
    s = line.strip()
    return s.count("|") >= 2 or (s.startswith("|") and len(s) > 1)


def _pipe_cells(line: str, line_no: int) -> tuple[list[str], list[CellSpan | None]] | None:
    if _PIPE_SEPARATOR.match(line) and "-" in line:
        return None  # Markdown |---|---| rule
    cuts = [i for i, ch in enumerate(line) if ch == "|"]
    bounds = [-1, *cuts, len(line)]
    cells, spans = [], []
    for a, b in zip(bounds, bounds[1:], strict=False):
        raw = line[a + 1 : b]
        lead = len(raw) - len(raw.lstrip())
        text = raw.strip()
        cells.append(text)
        spans.append((line_no, a + 1 + lead, a + 1 + lead + len(text)) if text else None)
    s = line.strip()
    if s.startswith("|"):
        cells, spans = cells[1:], spans[1:]
    if s.endswith("|"):
        cells, spans = cells[:-1], spans[:-1]
    return cells, spans


def _pipe_table(lines: list[str], start: int) -> TextTable | None:
    end = start
    while end < len(lines) and _is_pipe_line(lines[end]):
        end += 1
    if end - start < 2:
        return None
    rows, spans = [], []
    for i in range(start, end):
        got = _pipe_cells(lines[i], i)
        if got is not None:
            rows.append(got[0])
            spans.append(got[1])
    if len([r for r in rows if any(r)]) < 2:
        return None
    return TextTable(rows, spans, start, end, "pipe")


# ---------------------------------------------------------------- space-aligned tables

def _fields(line: str) -> list[tuple[int, int, int, int, str]]:
    """(char start, char end, display start, display end, text) of the fields of an aligned line."""
    out = []
    pos = 0
    for part in _SPACE_SPLIT.split(line):
        idx = line.find(part, pos) if part else pos
        if part.strip():
            lead = len(part) - len(part.lstrip())
            a = idx + lead
            text = part.strip()
            d0 = display_width(line[:a])
            out.append((a, a + len(text), d0, d0 + display_width(text), text))
        pos = idx + len(part)
    return out


def _is_aligned_line(line: str) -> bool:
    return len(_fields(line)) >= 2 and not _PROSE.search(line)


def _aligned_ahead(lines: list[str], start: int, limit: int = 40) -> bool:
    """An aligned row follows ``start`` before the next blank line (within ``limit`` lines)."""
    for line in lines[start : start + limit]:
        if not line.strip():
            return False
        if _is_aligned_line(line):
            return True
    return False


def _aligned_table(lines: list[str], start: int) -> TextTable | None:
    end = start
    while end < len(lines) and lines[end].strip():
        line = lines[end]
        many = len(_fields(line)) >= 2
        indented = line.startswith("  ")  # its first cell is empty: the text sits in a column
        in_cells = many and end > start and (indented or not _PROSE.search(line[: _fields(line)[1][0]]))
        if _PROSE.search(line) and not in_cells:
            break  # a sentence; inside a table a cell may hold one (a goal text), but not a row's label
        # a row with one filled cell belongs to the table when an aligned row follows it in the same block
        closing_total = end > start and squash(line) in _TOTAL_WORDS  # a 合计 row with every figure blank
        if not many and not closing_total and not _aligned_ahead(lines, end + 1):
            break
        end += 1
    if end - start < 3:
        return None
    fields = [_fields(lines[i]) for i in range(start, end)]
    body = [f for f in fields if sum(token_kind(x[4]) in ("num", "seq") for x in f) >= 1]
    if len(body) < 2 and any(sum(1 for x in f if header_kind(x[4])) >= 2 for f in fields[:3]):
        body = [f for f in fields if len(f) >= 2]  # a blank form: header words, rows of labels, no figures
    if len(body) < 2:
        return None
    # Column boundaries: union of the display intervals of the body rows' fields.
    intervals = sorted((f[2], f[3]) for row in body for f in row)
    columns: list[list[int]] = []
    for a, b in intervals:
        if columns and a <= columns[-1][1]:
            columns[-1][1] = max(columns[-1][1], b)
        else:
            columns.append([a, b])
    # Header fields over a column no body row fills (a lead 绩效指标, an empty 备注) are columns of their own.
    for row in fields:
        for f in row:
            if not any(f[2] < c1 and f[3] > c0 for c0, c1 in columns):
                columns.append([f[2], f[3]])
    columns.sort()
    columns = _merge_split_columns(columns, fields)
    rows, spans = [], []
    for r_i, row in enumerate(fields):
        cells = [""] * len(columns)
        cell_spans: list[CellSpan | None] = [None] * len(columns)
        for a, b, d0, d1, text in row:
            overlap = [k for k, (c0, c1) in enumerate(columns) if d0 < c1 and d1 > c0]
            k = overlap[0] if overlap else min(range(len(columns)), key=lambda j: abs(columns[j][0] - d0))
            cells[k] = f"{cells[k]} {text}".strip()
            cell_spans[k] = (start + r_i, a, b) if cell_spans[k] is None else (start + r_i, cell_spans[k][1], b)
        rows.append(cells)
        spans.append(cell_spans)
    return TextTable(rows, spans, start, end, "aligned")


def _merge_split_columns(columns: list[list[int]], fields: list[list[tuple]]) -> list[list[int]]:
    """Join neighbouring columns that are one printed column: text left-aligned and figures right-aligned
    leave two separate ink intervals in a wide column. They are one column when a single field spans
    both (the column's widest cell) and no row has a field in each of them."""

    def hits(f: tuple, col: list[int]) -> bool:
        return f[2] < col[1] and f[3] > col[0]

    k = 0
    while k + 1 < len(columns):
        a, b = columns[k], columns[k + 1]
        bridged = any(hits(f, a) and hits(f, b) for row in fields for f in row)
        both = any(
            any(hits(f, a) and not hits(f, b) for f in row) and any(hits(f, b) and not hits(f, a) for f in row)
            for row in fields
        )
        if bridged and not both:
            columns[k : k + 2] = [[a[0], max(a[1], b[1])]]
            continue
        k += 1
    return columns


def _is_cell_line(line: str) -> bool:
    s = line.strip()
    return len(s) <= MAX_CELL_CHARS and not _PROSE.search(s) and not _is_pipe_line(s)


def _ends_table(line: str) -> bool:
    """A line after a table: the next table's title, a 单位/注/填表 line (a bare header word is a cell)."""
    s = squash(line)
    if not s or header_kind(s):
        return False
    is_title = "表" in s and classify_title(s) is not None  # a row label may name 政府性基金预算… without being a title
    return bool(is_title or TITLE_NOISE.match(s) or s.startswith(("注", "备注", "填表", "说明")))


def _span_of(lines: list[str], k: int) -> CellSpan | None:
    text = lines[k].strip()
    if not text:
        return None
    a = lines[k].find(text)
    return (k, a, a + len(text))


def _chunk_fits(chunk: list[int], lines: list[str]) -> bool:
    """A block of lines above a header that reads as one row of the same table (empty cells kept)."""
    texts = [lines[k].strip() for k in chunk]
    return (
        any(texts)
        and any(not t for t in texts)
        and all(_is_cell_line(t) and not _ends_table(t) for t in texts if t)
    )


_BLANK_CELLS = ("", "-", "—", "–", "/", "／", "－")


def _line_kind(line: str) -> str:
    s = line.strip()
    if s in _BLANK_CELLS:
        return "b"
    return "f" if token_kind(s) in _FIGURE_KINDS else "t"


def _cell_run_end(lines: list[str], start: int) -> int:
    """End of the run of cell lines and blank lines from ``start`` (trailing blank lines left out)."""
    end = start
    while end < len(lines) and (not lines[end].strip() or (_is_cell_line(lines[end]) and not _ends_table(lines[end]))):
        end += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return end


def _fit_cells(run: list[str]) -> tuple[PeriodFit, list[str]] | None:
    kinds = [_line_kind(x) for x in run]
    if len(run) < 6 or "b" not in kinds:
        return None

    def cells(row: list[int]) -> list[str]:
        return [run[k].strip() if k >= 0 else "" for k in row]

    def header_ok(rows: list[list[int]], words: int = 2) -> bool:
        first_fig = next(r for r, row in enumerate(rows) if any(k >= 0 and kinds[k] == "f" for k in row))
        texts = [cells(row) for row in rows[:first_fig]]
        if any(a == b and any(a) for a, b in zip(texts, texts[1:], strict=False)):
            return False  # a header row printed twice: the width is half a row (the second lane)
        if words == 0:  # a header of the table's own words: a row of several filled cells
            return any(sum(1 for c in row if c) >= 2 for row in texts)
        return any(sum(1 for c in row if header_kind(c)) >= words for row in texts)

    hint = numbered_width(run)
    fit = fit_period(kinds, header_ok, hint)
    if fit is None:  # no header words: only a width whose columns agree clearly and hold 3 figure rows
        fit = fit_period(kinds, lambda rows: header_ok(rows, 0), hint)
        figure_rows = fit and sum(1 for r in fit.rows if any(k >= 0 and kinds[k] == "f" for k in r))
        if fit is None or fit.agreement < CLEAR_AGREEMENT or figure_rows < 3:
            # merged or multi-row headers fit no one width: the body alone gives it (text_grid_cells)
            fit = None if hint else fit_body(kinds, lambda rows: header_ok(rows, 0))
            if fit is None:
                return None
    return fit, kinds


def _long_cell_continues(lines: list[str], at: int, width: int) -> int | None:
    """End of the run after a long line at ``at`` (a goal text in a cell) when the table goes on after
    it: at least a row of cell lines with a figure among them. None: the long line ends the table."""
    k, longs = at, 0
    while k < len(lines) and (not lines[k].strip() or not _is_cell_line(lines[k])):
        if lines[k].strip():
            if _ends_table(lines[k]) or _is_pipe_line(lines[k]) or longs == 2:
                return None
            longs += 1  # the goal texts: 预期目标 and 实际完成情况
        k += 1
    if longs == 0 or k - at > max(2 * width, 24):
        return None
    end = _cell_run_end(lines, k)
    if end - k < width or not any(_line_kind(x) == "f" for x in lines[k:end]):
        return None
    return end


def _blank_kept_table(lines: list[str], start: int, failed: list[int],
                      carry: dict[int, int] | None = None) -> TextTable | None:
    """One cell per line, empty cells as blank lines: the row width from the body (text_grid_cells).

    A long line (a goal text) inside the table does not end it when the table goes on right after it
    (cell lines with figures among them) and the whole run still fits a row width; the width is then
    the whole run's (a sparse fund block says less about it than the indicator rows below it).

    A table the page broke in two arrives as one run with one more blank line between its parts
    (``shifted_split``): the first part ends at that blank, and the part after it is read at the same
    width without a header (``carry``: its first line -> the width), as the DOCX reader reads the
    continuation table under the page break."""
    carry = {} if carry is None else carry
    if start in carry:
        return _continued_table(lines, start, carry.pop(start), carry)
    prev = lines[start - 1] if start else ""
    if prev.strip() and _is_cell_line(prev) and not _ends_table(prev):
        return None  # a table starts a run of cell lines, after a blank line or a line that is no cell
    if start < failed[0]:
        return None  # inside a run that fitted no width: its tail is not tried again
    end = _cell_run_end(lines, start)
    got = _fit_cells(lines[start:end])
    if got is None:
        failed[0] = end
    if got is None:
        return None
    fit, kinds = got
    while (more := _long_cell_continues(lines, end, fit.width)) is not None:
        longer = _fit_cells(lines[start:more])
        if longer is None:
            break
        (fit, kinds), end = longer, more
    rows = fit.rows
    # a fit from the body may leave the run's last lines out of the table: they are read as text again
    end = min(end, start + 1 + max(k for row in rows for k in row))
    split = shifted_split(rows, kinds[: end - start], fit.width)
    if split is not None:
        rows = [row for row in rows if row[0] < split]
        end = start + split
        carry[end + 1] = fit.width
    return _cut_table(lines, start, end, rows, kinds)


def _continued_table(lines: list[str], start: int, width: int, carry: dict[int, int]) -> TextTable | None:
    """The part of a table after a page break: the cell lines from ``start`` cut at the width of the
    part above (it prints no header of its own), up to a further break."""
    end = _cell_run_end(lines, start)
    kinds = [_line_kind(x) for x in lines[start:end]]
    rows = rows_at(len(kinds), width)
    split = shifted_split(rows, kinds, width)
    if split is not None:
        rows = [row for row in rows if row[0] < split]
        end = start + split
        carry[end + 1] = width
    if sum(1 for r in rows if any(k >= 0 and kinds[k] == "f" for k in r)) < 2:
        return None
    return _cut_table(lines, start, end, rows, kinds)


def _cut_table(lines: list[str], start: int, end: int, rows: list[list[int]], kinds: list[str]) -> TextTable:
    run = lines[start:end]
    while rows and all(k < 0 or kinds[k] == "b" for k in rows[-1]):
        rows.pop()
    grid = [[run[k].strip() if k >= 0 else "" for k in row] for row in rows]
    spans = [[_span_of(lines, start + k) if k >= 0 else None for k in row] for row in rows]
    return TextTable(grid, spans, start, end, "cell_per_line")


def _cell_per_line_table(lines: list[str], start: int, failed: list[int],
                         carry: dict[int, int] | None = None) -> TextTable | None:
    blank_kept = _blank_kept_table(lines, start, failed, carry)
    if blank_kept is not None:
        return blank_kept
    if squash(lines[start]) in _PROJECT_KEYS:  # a whole 自评表, one cell per line, blanks dropped
        end = start
        while end < len(lines) and lines[end].strip() and _is_cell_line(lines[end]) and not _ends_table(lines[end]):
            end += 1
        tokens = [(lines[k].strip(), _span_of(lines, k)) for k in range(start, end)]
        got = table_from_tokens(tokens, start, end, "cell_per_line")  # type: ignore[arg-type]
        if got is not None and got[0] == 0:
            return got[1]
    j = start
    while j < len(lines) and lines[j].strip() and header_kind(lines[j]):
        j += 1
    if j - start > 3 and squash(lines[j - 1]) in _TOTAL_WORDS and j < len(lines) and _line_kind(lines[j]) == "f":
        j -= 1  # 合计 followed by its figures is the body's first row, not a column of the header
    if j - start < 3:
        return None
    kinds = [header_kind(lines[k]) or "label" for k in range(start, j)]
    if "label" not in kinds or not any(k in ("num", "any", "seq") for k in kinds):
        return None
    n = j - start
    end = j
    while end < len(lines) and (not lines[end].strip() or (_is_cell_line(lines[end]) and not _ends_table(lines[end]))):
        end += 1
    body = list(range(j, end))
    while body and not lines[body[-1]].strip():
        body.pop()
    if not body:
        return None
    header = list(range(start, j))
    if any(not lines[k].strip() for k in body):  # empty cells are blank lines: cut rows of n lines
        top = start
        while top - n >= 0 and _chunk_fits(list(range(top - n, top)), lines):
            top -= n
        line_rows = [list(range(r0, r0 + n)) for r0 in range(top, start, n)] + [header]
        line_rows += [body[r0 : r0 + n] for r0 in range(0, len(body), n)]  # trailing empty cells were trimmed
        rows = [[lines[k].strip() for k in row] + [""] * (n - len(row)) for row in line_rows]
        spans = [[_span_of(lines, k) for k in row] + [None] * (n - len(row)) for row in line_rows]
        return TextTable(rows, spans, top, body[-1] + 1, "cell_per_line", kinds)
    tokens = [(lines[k].strip(), _span_of(lines, k)) for k in body]
    chunks = [tokens[r0 : r0 + n] for r0 in range(0, len(tokens), n)]
    rows: list[list[str]] = []
    spans: list[list[CellSpan | None]] = []
    if len(tokens) % n == 0 and all(_accepts(kinds[c], token_kind(t)) for ch in chunks for c, (t, _) in enumerate(ch)):
        rows = [[t for t, _ in ch] for ch in chunks]
        spans = [[sp for _, sp in ch] for ch in chunks]
    header_row = [lines[k].strip() for k in header]
    header_spans = [_span_of(lines, k) for k in header]
    notes: list[str] = []
    suspects: list[str] = []
    if not rows:  # blanks dropped: the figures' columns from the table's arithmetic
        rows, spans = _lay_out(kinds, tokens)  # type: ignore[arg-type]
        rows, spans, note, suspect = place_row_figures(rows, spans, [header_row], kinds)
        notes, suspects = [note] if note else [], [suspect] if suspect else []
    return TextTable([header_row, *rows], [header_spans, *spans], start, body[-1] + 1, "cell_per_line", kinds, notes,
                     suspects)


def find_text_tables(lines: list[str]) -> list[TextTable | str | int]:
    """Split ``lines`` into tables and the indexes of lines that stay text, in order.

    Returns a list whose items are a :class:`TextTable` or an ``int`` (index of a line kept as text) or a
    ``str`` (text left before a table on the same line).
    """
    out: list[TextTable | str | int] = []
    failed_run = [-1]  # end of the last run of cell lines that fitted no row width
    carry: dict[int, int] = {}  # first line of a table's part after a page break -> the width of the part above
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            out.append(i)
            i += 1
            continue
        table = (
            (_pipe_table(lines, i) if _is_pipe_line(line) else None)
            or _cell_per_line_table(lines, i, failed_run, carry)
            or (_aligned_table(lines, i) if _is_aligned_line(line) else None)
        )
        if table is not None:
            out.append(table)
            i = table.end_line
            continue
        single = code_parts_table(line, i) or single_line_table(line, i)
        if single is None and (full := full_rows_table(line, i) or figures_row_table(line, i)) is not None:
            single = ("", full)  # no header word, every body row full: read by its period; or one row of figures
        if single is not None:
            before, table = single
            if before:
                out.append(before)
            out.append(table)
            i += 1
            continue
        out.append(i)
        i += 1
    return out


def with_text_tables(blocks: list[Block]) -> list[Block]:
    """Blocks with tables that arrived as paragraph text (DOCX/PDF/HTML text layers) rebuilt as tables.

    Consecutive paragraphs of one page are read as lines; paragraphs no table touches are kept as they
    were. Cell spans are (None, start, end): the character span within the paragraph line.
    """
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        if blocks[i].kind != "para":
            out.append(blocks[i])
            i += 1
            continue
        j = i
        while j < len(blocks) and blocks[j].kind == "para" and blocks[j].page == blocks[i].page:
            j += 1
        out.extend(_rebuild_run(blocks[i:j]))
        i = j
    return out


def _rebuild_run(run: list[Block]) -> list[Block]:
    lines: list[str] = []
    owner: list[int] = []
    for k, block in enumerate(run):
        for line in block.text.split("\n"):
            lines.append(line)
            owner.append(k)
    items = find_text_tables(lines)
    if not any(isinstance(x, TextTable) for x in items):
        return run
    touched = {owner[ln] for x in items if isinstance(x, TextTable) for ln in range(x.first_line, x.end_line)}
    touched |= {owner[x.first_line] for x in items if isinstance(x, TextTable) and x.shape == "single_line"}
    out: list[Block] = []
    pending: list[str] = []
    last_owner: int | None = None

    def flush() -> None:
        if pending and last_owner is not None:
            b = run[last_owner]
            out.append(Block.para("\n".join(pending), page=b.page, sheet=b.sheet, line=b.line))
        pending.clear()

    emitted: set[int] = set()
    for idx, x in enumerate(items):
        if isinstance(x, TextTable):
            flush()
            b = run[owner[x.first_line]]
            spans = [[(None, s[1], s[2]) if s else None for s in row] for row in x.spans]
            table = RawTable(rows=x.rows, page=b.page, sheet=b.sheet, cell_spans=spans, shape=x.shape,  # type: ignore[arg-type]
                             unplaced=x.unplaced, suspects=x.suspects)
            out.append(Block("table", table=table, page=b.page, sheet=b.sheet, line=b.line))
            continue
        if isinstance(x, str):
            flush()
            nxt = items[idx + 1]
            b = run[owner[nxt.first_line]] if isinstance(nxt, TextTable) else run[0]
            out.append(Block.para(x, page=b.page, sheet=b.sheet, line=b.line))
            continue
        k = owner[x]
        if k not in touched:
            flush()
            if k not in emitted:
                out.append(run[k])
                emitted.add(k)
            continue
        if last_owner != k:
            flush()
        last_owner = k
        if lines[x].strip():
            pending.append(lines[x].strip())
    flush()
    return out
