"""One cell per line: merged header rows and tables the page broke in two.

Figures from ``../shared``: the seed 003 fund table (6个镇街合计 487,632.00 = 8,600.00 + 62,462.00 +
366,202.00 = 437,264.00 小计, + 50,368.00 结余) and the tail of a 2024 部门决算 basic/project expenditure
table (221 住房保障支出 461.08 … 合计 9746.50 = 5364.75 + 4381.74). Header words are generic.
"""

from __future__ import annotations

from toolkit.extract.text_grid import TextTable, find_text_tables


def _cells(rows: list[list[str]]) -> list[str]:
    """The table as a reader view copies it: every cell on a line, an empty cell an empty line."""
    width = max(len(r) for r in rows)
    return [c for r in rows for c in r + [""] * (width - len(r))]


def _tables(lines: list[str]) -> list[TextTable]:
    return [x for x in find_text_tables(lines) if isinstance(x, TextTable)]


MERGED_HEADER = [
    ["项目", "下拨经费金额", "经费使用情况", "结余金额"],  # merged cells print once: four cells over seven columns
    ["", "", "宣传", "办公经费", "拨付金额", "小计", ""],
]
FUND_BODY = [
    ["6个镇街合计", "487,632.00", "8,600.00", "62,462.00", "366,202.00", "437,264.00", "50,368.00"],
    ["占比（%）", "100.00%", "1.76%", "12.81%", "75.10%", "89.67%", "10.33%"],
    ["3个街道合计", "298,482.00", "6,000.00", "39,597.00", "212,266.50", "257,863.50", "40,618.50"],
    ["占比（%）", "100.00%", "2.01%", "13.27%", "71.12%", "86.39%", "13.61%"],
]


def test_a_merged_header_takes_its_width_from_the_body_and_leaves_the_next_heading_out() -> None:
    lines = ["单位：元", "", *_cells(MERGED_HEADER + FUND_BODY), "", "（二）下一节的标题"]
    (table,) = _tables(lines)
    assert [len(r) for r in table.rows] == [7] * 6
    assert table.rows[0] == ["项目", "下拨经费金额", "经费使用情况", "结余金额", "", "", ""]
    assert table.rows[2:] == FUND_BODY
    assert table.end_line == len(lines) - 2  # the blank and the heading after the table stay text
    assert lines[table.spans[2][5][0]] == "437,264.00"


def test_a_body_with_no_label_column_or_gaps_among_its_figures_stays_text() -> None:
    figures_only = [r[1:] for r in FUND_BODY]
    assert _tables(["", *_cells(MERGED_HEADER + figures_only)]) == []
    sparse = [list(r) for r in FUND_BODY]
    for k, row in enumerate(sparse):  # a blank here and there in every figure column
        row[2 + k % 5] = ""
        row[1 + (k + 2) % 6] = ""
    assert _tables(["", *_cells(MERGED_HEADER + sparse)]) == []


BREAK_HEAD = [["项目", "", "合计", "基本支出", "项目支出"], ["科目编码", "科目名称", "", "", ""]]
ABOVE_BREAK = [
    ["208", "社会保障和就业支出", "754.75", "754.75", "0.00"],
    ["20805", "行政事业单位养老支出", "754.75", "754.75", "0.00"],
    ["2080501", "行政单位离退休", "54.53", "54.53", "0.00"],
    ["2080502", "事业单位离退休", "28.11", "28.11", "0.00"],
    ["2080505", "机关事业单位基本养老保险缴费支出", "446.11", "446.11", "0.00"],
    ["210", "卫生健康支出", "236.64", "236.64", "0.00"],
    ["212", "城乡社区支出", "3832.36", "1572.70", "2259.65"],
    ["220", "自然资源海洋气象等支出", "4461.67", "2339.58", "2122.09"],
    ["22001", "自然资源事务", "4461.67", "2339.58", "2122.09"],
    ["2200150", "事业运行", "4416.67", "2339.58", "2077.09"],
    ["2200199", "其他自然资源事务支出", "45.00", "0.00", "45.00"],
]
BELOW_BREAK = [
    ["221", "住房保障支出", "461.08", "461.08", "0.00"],
    ["22102", "住房改革支出", "461.08", "461.08", "0.00"],
    ["2210201", "住房公积金", "289.59", "289.59", "0.00"],
    ["2210203", "购房补贴", "171.49", "171.49", "0.00"],
    ["合计", "", "9746.50", "5364.75", "4381.74"],
]


def test_a_table_the_page_broke_in_two_reads_as_its_two_parts() -> None:
    # the one blank line between two blocks slides every later cell one column on if read as a cell;
    # the part above the break is the longer one here, as in the 决算 tables (it sets the width)
    lines = ["", *_cells(BREAK_HEAD + ABOVE_BREAK), "", *_cells(BELOW_BREAK)]
    first, second = _tables(lines)
    assert first.rows == BREAK_HEAD + ABOVE_BREAK
    assert second.rows == BELOW_BREAK
    assert lines[second.spans[4][3][0]] == "5364.75"


def test_a_row_that_starts_with_an_empty_cell_is_no_page_break() -> None:
    # the blank line is the empty first cell of a row: the columns fit as cut, nothing splits
    rows = BREAK_HEAD + ABOVE_BREAK + [["", "其中：事业运行", "4416.67", "2339.58", "2077.09"]] + BELOW_BREAK
    (table,) = _tables(["", *_cells(rows)])
    assert table.rows == rows


# ---------------------------------------------------------------- a whole table on one line, every row full

def test_a_one_line_table_of_full_rows_is_read_by_its_period() -> None:
    header = [c for r in MERGED_HEADER for c in r if c]  # 8 header words over 7 columns: merged cells
    line = " ".join(header + [c for r in FUND_BODY for c in r])
    (table,) = _tables(["单位：元", line])
    assert table.rows[1:] == FUND_BODY
    # the header words' columns are not in the text: kept together in the first cell, not guessed
    assert table.rows[0] == [" ".join(header), "", "", "", "", "", ""]
    line_no, a, b = table.spans[1][5]
    assert (line_no, line[a:b]) == (1, "437,264.00")
    same_count = " ".join(["项目", "下拨", "宣传", "办公", "拨付", "小计", "结余"] + [c for r in FUND_BODY for c in r])
    (table,) = _tables([same_count])
    assert table.rows[0] == ["项目", "下拨", "宣传", "办公", "拨付", "小计", "结余"]


def test_a_one_line_run_that_breaks_its_period_or_has_no_labels_stays_text() -> None:
    header = " ".join(c for r in MERGED_HEADER for c in r if c)
    body = [list(r) for r in FUND_BODY]
    body[2] = body[2][:4] + body[2][5:]  # an empty cell dropped: the rows no longer repeat
    assert _tables([header + " " + " ".join(c for r in body for c in r)]) == []
    figures = " ".join(c for r in FUND_BODY for c in r[1:])  # figures alone: no label column
    assert _tables([header + " " + figures]) == []
    sentence = "各镇街经费使用情况如下：" + " ".join(c for r in FUND_BODY for c in r)
    assert _tables(["项目 金额 " + sentence]) == []
