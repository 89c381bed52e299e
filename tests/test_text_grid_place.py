"""Figures of a table printed without its empty cells are placed only where the table's arithmetic
leaves a single choice (``toolkit.extract.text_grid_place``); the rest are left out, never guessed.

Small tables written here; every expected placement was worked out by hand in the docstrings.
"""

from __future__ import annotations

from toolkit.extract.text_grid import TextTable, find_text_tables
from toolkit.extract.text_grid_place import place_figures

HEADER = ["科目编码", "科目名称", "合计", "基本支出", "项目支出"]
KINDS = ["code", "label", "num", "num", "num"]


def _laid(rows: list[list[str]]) -> tuple[list[list[str]], dict[int, list[int]]]:
    got = place_figures(rows, HEADER, KINDS)
    return [[row[c] if c is not None else "" for c in src] for row, src in zip(rows, got.source, strict=True)], got.unplaced


def test_column_totals_settle_which_part_a_row_fills() -> None:
    """合计 10 = 基本 6 + 项目 4. Row 201 prints 6 6, row 202 prints 4 4: each second figure could be
    基本 or 项目 (合计 = the one part either way). Only 201 → 基本, 202 → 项目 gives 基本 6 and 项目 4."""
    rows = [["", "合计", "10", "6", "4"], ["201", "甲", "6", "6", ""], ["202", "乙", "4", "4", ""]]
    laid, unplaced = _laid(rows)
    assert laid == [["", "合计", "10", "6", "4"], ["201", "甲", "6", "6", ""], ["202", "乙", "4", "", "4"]]
    assert unplaced == {}


def test_two_placements_that_fit_leave_the_figures_out() -> None:
    """合计 10 = 5 + 5, and both rows print 5 5: 201 → 基本 with 202 → 项目, or the other way round; both
    keep every total. The 合计 column is certain (a blank total cannot equal a part of 5); the part is not."""
    rows = [["", "合计", "10", "5", "5"], ["201", "甲", "5", "5", ""], ["202", "乙", "5", "5", ""]]
    laid, unplaced = _laid(rows)
    assert laid == [["", "合计", "10", "5", "5"], ["201", "甲", "5", "", ""], ["202", "乙", "5", "", ""]]
    assert unplaced == {1: [3], 2: [3]}


def test_rounding_never_rejects_the_placement() -> None:
    """合计 10.1 = 6.04 + 4.04 (10.08, printed to one decimal): within half a unit of each last digit.
    基本 6.04 and 项目 4.04 are printed in full on the 合计 row; rows 201 (6.04 6.04) and 202 (4.04 4.04)
    can only go 201 → 基本, 202 → 项目."""
    rows = [["", "合计", "10.1", "6.04", "4.04"], ["201", "甲", "6.04", "6.04", ""], ["202", "乙", "4.04", "4.04", ""]]
    laid, unplaced = _laid(rows)
    assert laid[2] == ["202", "乙", "4.04", "", "4.04"] and unplaced == {}


def test_a_broken_column_total_places_nothing_by_guess() -> None:
    """The 合计 row says 10.00 = 基本 7.00 + 项目 3.00, but its rows' parts (6.00, 4.00) can only make a
    基本 of 0, 4, 6 or 10: no placement keeps the column totals, so only what each row's own total
    settles is placed (the 合计 column) and the parts are left out."""
    rows = [["", "合计", "10.00", "7.00", "3.00"], ["201", "甲", "6.00", "6.00", ""], ["202", "乙", "4.00", "4.00", ""]]
    laid, unplaced = _laid(rows)
    assert [r[3:] for r in laid[1:]] == [["", ""], ["", ""]] and unplaced == {1: [3], 2: [3]}


def test_a_one_line_table_is_rebuilt_with_the_placed_figures() -> None:
    """The first test's table printed on one line under a 栏次 row: the figures land in their columns,
    each cell's span holds its text in the line."""
    line = ("科目编码 科目名称 合计 基本支出 项目支出 栏次 1 2 3 合计 10 6 4 "
            "2010101 行政运行 6 6 2010102 一般行政管理事务 4 4")
    tables = [x for x in find_text_tables([line]) if isinstance(x, TextTable)]
    assert len(tables) == 1
    rows = tables[0].rows
    assert rows[-2:] == [["2010101", "行政运行", "6", "6", ""], ["2010102", "一般行政管理事务", "4", "", "4"]]
    assert not tables[0].unplaced
    for row, spans in zip(tables[0].rows, tables[0].spans, strict=True):
        for text, span in zip(row, spans, strict=True):
            assert (span is None) == (not text)
            if span is not None:
                assert line[span[1] : span[2]] == text


def test_a_wrapped_name_stays_in_its_lane() -> None:
    """Two lanes of 科目编码 科目名称 决算数 (figures of seed 004's 基本支出 table). 机关事业单位基本养老保险缴费
    printed wrapped (``…养老保 险缴费``) is one name: the next lane starts with its code, not a name."""
    line = ("经济分类科目编码 科目名称 决算数 经济分类科目编码 科目名称 决算数 301 工资福利支出 95.22 302 商品和服务支出 "
            "18.74 30108 机关事业单位基本养老保 险缴费 14.82 30206 电费 0 30109 职业年金缴费 2.37 30207 邮电费 0.56")
    tables = [x for x in find_text_tables([line]) if isinstance(x, TextTable)]
    assert len(tables) == 1
    assert tables[0].rows[1:] == [["301", "工资福利支出", "95.22", "302", "商品和服务支出", "18.74"],
                                  ["30108", "机关事业单位基本养老保 险缴费", "14.82", "30206", "电费", "0"],
                                  ["30109", "职业年金缴费", "2.37", "30207", "邮电费", "0.56"]]


def test_codes_printed_in_parts_are_cut_at_their_names() -> None:
    """类 款 项 in three columns (``204 06 01``): the parts look like figures, so the header layout does
    not read the line; the header's 类 款 项 says they are parts, and each row is its parts, its name and
    the three figures the last row prints (``text_grid_codes``)."""
    line = ("功能分类科目编码 功能分类科目名称 合计 基本支出 项目支出 类 款 项 204 公共安全支出 100.00 60.00 40.00 "
            "204 06 司法 100.00 60.00 40.00 204 06 01 行政运行 60.00 60.00 0.00")
    (table,) = [x for x in find_text_tables([line]) if isinstance(x, TextTable)]
    assert table.rows == [["功能分类科目编码", "", "", "功能分类科目名称", "合计", "基本支出", "项目支出"],
                          ["类", "款", "项", "", "", "", ""],
                          ["204", "", "", "公共安全支出", "100.00", "60.00", "40.00"],
                          ["204", "06", "", "司法", "100.00", "60.00", "40.00"],
                          ["204", "06", "01", "行政运行", "60.00", "60.00", "0.00"]]


def test_two_header_rows_on_one_line_and_a_total_row_first() -> None:
    """项目 over 科目编码 科目名称, the amount words printed before them, and the body opening with 合计
    and its figures (no 栏次 row): the columns are 科目编码 科目名称 本年支出合计 基本支出 项目支出, and the
    column totals (基本 6.00, 项目 4.00) put 201's second figure under 基本 and 202's under 项目."""
    line = ("项目 本年支出合计 基本支出 项目支出 功能分类 科目编码 科目名称 合计 10.00 6.00 4.00 "
            "201 行政运行 6.00 6.00 202 一般行政管理事务 4.00 4.00")
    tables = [x for x in find_text_tables([line]) if isinstance(x, TextTable)]
    assert len(tables) == 1
    assert tables[0].rows == [["项目", "", "本年支出合计", "基本支出", "项目支出"],
                              ["功能分类 科目编码", "科目名称", "", "", ""],
                              ["", "合计", "10.00", "6.00", "4.00"],
                              ["201", "行政运行", "6.00", "6.00", ""],
                              ["202", "一般行政管理事务", "4.00", "", "4.00"]]


def test_one_cell_per_line_without_blanks_is_placed_the_same_way() -> None:
    """The first test's table with every cell on its own line and the empty cells dropped (no blank
    lines): the header lines give the columns, the column totals put 202's second figure under 项目支出."""
    lines = ["科目编码", "科目名称", "合计", "基本支出", "项目支出", "合计", "10.00", "6.00", "4.00",
             "201", "行政运行", "6.00", "6.00", "202", "一般行政管理事务", "4.00", "4.00"]
    tables = [x for x in find_text_tables(lines) if isinstance(x, TextTable)]
    assert len(tables) == 1 and not tables[0].unplaced
    assert tables[0].rows[1:] == [["", "合计", "10.00", "6.00", "4.00"], ["201", "行政运行", "6.00", "6.00", ""],
                                  ["202", "一般行政管理事务", "4.00", "", "4.00"]]
    assert tables[0].spans[3][4] == (16, 0, 4)  # 202's 4.00 under 项目支出 is the last line


def test_one_wrong_figure_is_placed_where_every_reading_that_takes_one_figure_as_wrong_puts_it() -> None:
    """合计 10.00 = 基本 6.00 + 项目 4.00; 201 prints 6.00 6.50 (its part was mistyped), 202 prints 4.00 4.00.
    No placement keeps every sum: 201's part is 6.50 against its 合计 6.00. Taken as wrong, 6.50 fits
    only in 基本 (in 项目 the 基本 column would miss 6.00 and 202 could not make it up: 202 → 基本 gives
    4.00, 202 → 项目 leaves 项目 at 4.00 + the wrong figure); taken as wrong, 201's 6.00 fits nowhere
    (6.50 in 基本 misses 6.00; in 项目, 项目 would hold 6.50 + 4.00 or 6.50 against 4.00). The other figures
    taken as wrong leave no placement either. So 201 → 基本, 202 → 项目, and the figures named are 201's."""
    rows = [["", "合计", "10.00", "6.00", "4.00"], ["201", "甲", "6.00", "6.50", ""], ["202", "乙", "4.00", "4.00", ""]]
    got = place_figures(rows, HEADER, KINDS)
    laid = [[row[c] if c is not None else "" for c in src] for row, src in zip(rows, got.source, strict=True)]
    assert laid == [["", "合计", "10.00", "6.00", "4.00"], ["201", "甲", "6.00", "6.50", ""], ["202", "乙", "4.00", "", "4.00"]]
    assert got.unplaced == {} and got.suspect == [(1, 3)]


def test_readings_that_disagree_around_a_wrong_figure_leave_the_figures_out() -> None:
    """合计 10 = 5 + 5 and both rows print 5 5, as above, but 202's part reads 6: taken as wrong, 6 fits in
    基本 (201 → 项目) or in 项目 (201 → 基本). Two readings, so nothing is placed and nothing is named."""
    rows = [["", "合计", "10", "5", "5"], ["201", "甲", "5", "5", ""], ["202", "乙", "5", "6", ""]]
    got = place_figures(rows, HEADER, KINDS)
    assert got.suspect is None and got.unplaced == {1: [3], 2: [3]}
