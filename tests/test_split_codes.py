"""A 类|款|项 table dumped as TAB text, each row holding only the code cells of its level, is read on
straight columns: codes, one name column, the amount columns."""

from __future__ import annotations

import polars as pl

from toolkit.extract.document import extract_document
from toolkit.extract.split_codes import align_code_rows
from toolkit.loaders import load_bytes
from toolkit.model import Limits

# the figures of a 区 街道 支出预算总表 (元): 合计 = 基本支出 + 项目支出 on every row, 类 = Σ 款, 款 = Σ 项
DUMP = "\n".join([
    "2025年部门支出预算总表",
    "单位：元",
    "功能分类科目名称\t合计\t基本支出\t项目支出",
    "类\t款\t项",
    "208\t社会保障和就业支出\t16,091,895\t13,755,695\t2,336,200",
    "208\t05\t行政事业单位养老支出\t7,589,473\t7,589,473\t0",
    "208\t05\t01\t行政单位离退休\t259,320\t259,320\t0",
    "208\t05\t02\t事业单位离退休\t85,260\t85,260\t0",
    "208\t05\t05\t机关事业单位基本养老保险缴费支出\t4,827,156\t4,827,156\t0",
    "208\t05\t06\t机关事业单位职业年金缴费支出\t2,413,577\t2,413,577\t0",
    "208\t05\t99\t其他行政事业单位养老支出\t4,160\t4,160\t0",
    "208\t07\t就业补助\t582,800\t0\t582,800",
    "208\t07\t05\t公益性岗位补贴\t582,800\t0\t582,800",
    "208\t99\t其他社会保障和就业支出\t7,919,622\t6,166,222\t1,753,400",
    "208\t99\t99\t其他社会保障和就业支出\t7,919,622\t6,166,222\t1,753,400",
    "合计\t16,091,895\t13,755,695\t2,336,200",
    "",
])


def _grid(text: str) -> list[list[str]]:
    raw = load_bytes(text.encode("utf-8"), "dump.txt", Limits())
    frames = extract_document(raw, document_id="d", path="dump.txt", sha256="0", size_bytes=len(text))
    cells = frames["cells"].filter(pl.col("table_id") == "t01").sort("row", "col")
    return [g["raw_text"].to_list() for _, g in cells.group_by("row", maintain_order=True)]


def test_every_level_puts_its_name_and_amounts_in_the_same_columns():
    grid = _grid(DUMP)
    assert grid[0] == ["", "", "", "功能分类科目名称", "合计", "基本支出", "项目支出"]
    assert grid[1] == ["类", "款", "项", "", "", "", ""]
    assert grid[2] == ["208", "", "", "社会保障和就业支出", "16,091,895", "13,755,695", "2,336,200"]
    assert grid[3] == ["208", "05", "", "行政事业单位养老支出", "7,589,473", "7,589,473", "0"]
    assert grid[4] == ["208", "05", "01", "行政单位离退休", "259,320", "259,320", "0"]
    assert grid[-1] == ["合计", "", "", "", "16,091,895", "13,755,695", "2,336,200"]


def test_cell_spans_move_with_their_cells():
    raw = load_bytes(DUMP.encode("utf-8"), "dump.txt", Limits())
    frames = extract_document(raw, document_id="d", path="dump.txt", sha256="0", size_bytes=len(DUMP))
    cells = frames["cells"].filter(pl.col("raw_text") == "582,800").sort("row", "col")
    lines = DUMP.split("\n")
    for r in cells.iter_rows(named=True):
        line = lines[r["src_line"] - 1]
        assert line[r["span_start"]:r["span_end"]] == "582,800"
        assert r["col"] in (4, 6)  # 合计 or 项目支出, never a column of another level's layout


def test_the_names_are_the_row_labels():
    raw = load_bytes(DUMP.encode("utf-8"), "dump.txt", Limits())
    frames = extract_document(raw, document_id="d", path="dump.txt", sha256="0", size_bytes=len(DUMP))
    labels = frames["cells"].filter(pl.col("raw_text") == "259,320")["row_label"].unique().to_list()
    assert labels == ["行政单位离退休"]


def test_rows_with_different_amount_counts_are_left_as_printed():
    rows = [["201", "一般公共服务支出", "3,296,600", "0"],
            ["201", "05", "统计信息事务", "438,300", "0", "438,300"],
            ["201", "05", "07", "专项普查活动", "438,300"]]
    assert align_code_rows(rows, None) == (rows, None)


def test_a_table_already_straight_is_unchanged():
    rows = [["类", "款", "项", "科目名称", "合计"],
            ["201", "", "", "一般公共服务支出", "3,296,600"],
            ["201", "05", "", "统计信息事务", "438,300"],
            ["201", "05", "07", "专项普查活动", "438,300"]]
    assert align_code_rows(rows, None) == (rows, None)
