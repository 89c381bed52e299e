"""A table on one line whose codes print in parts (类 款 项 columns).

Figures from a real 2026 district 部门预算 (``datasets/realdocs/dept_budget.pdf``, 收入预算总表), cut
to its one 类: 204 公共安全支出 87,267,272.44 = 06 司法 = 行政运行 16,726,725.44 + 基层司法业务
21,703,947.00 + 普法宣传 1,242,900.00 + 公共法律服务 6,860,000.00 + 信息化建设 2,278,800.00 + 其他司法支出
38,454,900.00 (sum checked by hand: 87,267,272.44), all 财政拨款收入, the other three income columns
0.00. The economic-class rows are from the same document's 基本支出 table (302 07 邮电费 130,000.00 …).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from toolkit.extract.document import extract_document
from toolkit.extract.text_grid import TextTable, find_text_tables
from toolkit.loaders import load_bytes
from toolkit.model import Block, Limits
from toolkit.render import write_document

HEADER = [
    ["项目", "", "", "", "收入预算", "", "", "", ""],
    ["功能分类科目编码", "", "", "功能分类科目名称", "合计", "财政拨款收入", "事业收入", "事业单位 经营收入", "其他收入"],
    ["类", "款", "项", "", "", "", "", "", ""],
]
ITEMS = [("01", "行政运行", "16726725.44"), ("04", "基层司法业务", "21703947.00"), ("05", "普法宣传", "1242900.00"),
         ("07", "公共法律服务", "6860000.00"), ("13", "信息化建设", "2278800.00"), ("99", "其他司法支出", "38454900.00")]
ZEROS = ["0.00", "0.00", "0.00"]
BODY = [
    ["204", "", "", "公共安全支出", "87267272.44", "87267272.44", *ZEROS],
    ["204", "06", "", "司法", "87267272.44", "87267272.44", *ZEROS],
    *[["204", "06", x, name, v, v, *ZEROS] for x, name, v in ITEMS],
    ["合计", "", "", "", "87267272.44", "87267272.44", *ZEROS],
]
TITLE = "2026年部门收入预算总表"


def _one_line(rows: list[list[str]]) -> str:
    return " ".join(c for r in rows for c in r if c)


def _tables(lines: list[str]) -> list[TextTable]:
    return [x for x in find_text_tables(lines) if isinstance(x, TextTable)]


def test_a_one_line_table_with_codes_in_parts_reads_as_its_grid() -> None:
    line = _one_line(HEADER + BODY)
    assert line.startswith("项目 收入预算 功能分类科目编码") and " 204 06 01 行政运行 16726725.44 " in line
    (table,) = _tables(["单位：元", line])
    assert table.rows == HEADER + BODY
    assert table.header_kinds == ["code", "code", "code", "label", "num", "num", "num", "num", "num"]
    # every cell keeps where it is printed: 行政运行's 合计 is the token after its name
    r = table.rows.index(BODY[2])
    line_no, start, end = table.spans[r][4]
    assert (line_no, line[start:end]) == (1, "16726725.44")


def _extract(path: Path) -> dict[str, pl.DataFrame]:
    data = path.read_bytes()
    return extract_document(load_bytes(data, path.name, Limits()), document_id="d", path=path.name,
                            sha256="0" * 64, size_bytes=len(data))


def test_the_one_line_income_table_gives_the_line_items_of_its_tab_rows(tmp_path: Path) -> None:
    blocks = [Block.para("上海市普陀区某部门2026年部门预算"), Block.para(TITLE), Block.para("单位：元"),
              Block.tab(HEADER + BODY)]
    got = {style: _extract(write_document(blocks, tmp_path / f"{style}.txt", "txt", style=style))["line_items"]
           for style in ("tsv", "oneline")}
    columns = ["table_type", "code", "level", "name", "row_kind", "measure", "measure_label", "raw_text", "value"]
    tsv, one = (got[s].select(columns).sort(columns, nulls_last=True) for s in ("tsv", "oneline"))
    assert one.equals(tsv)
    assert one["table_type"].unique().to_list() == ["income"]
    fiscal = one.filter(pl.col("measure_label").str.ends_with("财政拨款收入"))
    by_code = dict(zip(fiscal["code"], fiscal["value"], strict=False))
    assert by_code["204"] == by_code["20406"] == 87267272.44
    assert by_code["2040601"] == 16726725.44 and by_code["2040699"] == 38454900.00
    assert round(sum(by_code[f"20406{x}"] for x, _, _ in ITEMS), 2) == 87267272.44  # the 项 add up to their 款


def test_a_broken_off_part_without_header_reads_its_code_columns_from_its_rows() -> None:
    rows = [["302", "07", "邮电费", "130000.00", "0.00", "130000.00"],
            ["302", "11", "差旅费", "95000.00", "0.00", "95000.00"],
            ["302", "13", "维修(护)费", "45000.00", "0.00", "45000.00"],
            ["303", "", "对个人和家庭的补助", "478680.00", "478680.00", "0.00"]]
    (table,) = _tables([_one_line(rows)])
    assert table.rows == rows
    assert table.header_kinds == ["code", "code", "label", "num", "num", "num"]


def test_a_row_with_a_dropped_blank_leaves_the_line_as_text() -> None:
    """行政运行 prints four figures of five (its 其他收入 blank): which column it left cannot be told."""
    body = [list(r) for r in BODY]
    body[2][-1] = ""
    line = _one_line(HEADER + body)
    assert not any(isinstance(t, TextTable) and t.header_kinds[:3] == ["code"] * 3 for t in find_text_tables([line]))


def test_header_words_that_fit_no_column_stay_together_in_the_first_cell() -> None:
    """One word too many over the figure columns and two places it could come from (上级补助 before 事业收入,
    事业单位 before 经营收入): which two words share a cell cannot be told, so the header words are kept in
    one cell; the body is still read."""
    header = [list(r) for r in HEADER]
    header[1][5] = "上级补助"
    (table,) = _tables([_one_line(header + BODY)])
    assert table.rows[0][0].startswith("项目 收入预算 功能分类科目编码") and table.rows[0][1:] == [""] * 8
    assert table.rows[1] == HEADER[2] and table.rows[2:] == BODY
