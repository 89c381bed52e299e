"""A two-lane 收支总表 on one line whose lanes are not equally long.

Figures from a real 2026 district 部门预算 (``datasets/realdocs/dept_budget.pdf``, 财务收支预算总表, 元):
本年收入 一、财政拨款收入 96,282,213.44 (1. 一般公共预算 96,282,213.44, 2. 政府性基金预算 0.00, 3. 国有资本
经营预算 0.00), 二、事业收入 0.00, 三、事业单位经营收入 0.00, 四、其他收入 0.00; 本年支出 一、公共安全支出
87,267,272.44, 二、社会保障和就业支出 3,343,704.00, 三、卫生健康支出 1,149,678.00, 四、住房保障支出
4,521,559.00 (sum checked by hand: 96,282,213.44); 收入总计 = 支出总计 = 96,282,213.44.
The 收入 lane has seven items, the 支出 lane four: the last three rows print the left half only.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from toolkit.extract.document import extract_document
from toolkit.extract.text_grid import TextTable, find_text_tables
from toolkit.extract.text_grid_lanes import _in_sequence, relay_lanes
from toolkit.loaders import load_bytes
from toolkit.model import Block, Limits
from toolkit.render import write_document

INCOME = [("一、财政拨款收入", "96,282,213.44"), ("1.一般公共预算", "96,282,213.44"), ("2.政府性基金预算", "0.00"),
          ("3.国有资本经营预算", "0.00"), ("二、事业收入", "0.00"), ("三、事业单位经营收入", "0.00"), ("四、其他收入", "0.00")]
EXPENSE = [("一、公共安全支出", "87,267,272.44"), ("二、社会保障和就业支出", "3,343,704.00"),
           ("三、卫生健康支出", "1,149,678.00"), ("四、住房保障支出", "4,521,559.00")]
GRID = [["本年收入", "", "本年支出", ""], ["项目", "预算数", "项目", "预算数"],
        *[[*INCOME[k], *(EXPENSE[k] if k < len(EXPENSE) else ("", ""))] for k in range(len(INCOME))],
        ["收入总计", "96,282,213.44", "支出总计", "96,282,213.44"]]


def test_the_numbering_puts_the_longer_lanes_last_items_back_in_their_lane() -> None:
    line = " ".join(c for r in GRID for c in r if c)
    # filled left to right, 二、事业收入 0.00 would sit beside 四、其他收入 … in the 支出 lane
    (table,) = [x for x in find_text_tables([line]) if isinstance(x, TextTable)]
    assert table.rows == GRID
    assert not table.unplaced


def test_the_one_line_table_gives_the_line_items_of_its_tab_rows(tmp_path: Path) -> None:
    blocks = [Block.para("2026年部门财务收支预算总表"), Block.para("单位：元"), Block.tab(GRID)]
    got = {}
    for style in ("tsv", "oneline"):
        path = write_document(blocks, tmp_path / f"{style}.txt", "txt", style=style)
        data = path.read_bytes()
        got[style] = extract_document(load_bytes(data, path.name, Limits()), document_id="d", path=path.name,
                                      sha256="0" * 64, size_bytes=len(data))["line_items"]
    columns = ["table_type", "section", "lane", "name", "row_kind", "item_key", "measure", "raw_text", "value"]
    tsv, one = (got[s].select(columns).sort(columns, nulls_last=True) for s in ("tsv", "oneline"))
    assert one.equals(tsv)
    expense = one.filter((pl.col("section") == "expense") & (pl.col("row_kind") != "grand_total"))
    assert sorted(expense["name"].to_list()) == sorted(n for n, _ in EXPENSE)
    assert round(expense["value"].sum(), 2) == 96282213.44


def test_numbering_in_sequence() -> None:
    assert _in_sequence(["一、甲", "1.子", "2.子", "二、乙", "1.子", "三、丙", "收入总计"])
    assert not _in_sequence(["一、甲", "二、乙", "四、丁"])
    assert not _in_sequence(["一、甲", "1.子", "3.子"])
    assert _in_sequence(["一、甲", "二、乙", "三、丙", "四、丁", "五、戊", "六、己", "七、庚", "八、辛", "九、壬", "十、癸", "十一、子"])


def test_items_without_numbering_are_left_as_filled() -> None:
    """Without numbers every way of ending one lane first reads in sequence: nothing tells them apart."""
    kinds = ["label", "num", "label", "num"]
    rows = [["工资", "5", "办公", "3"], ["奖金", "2", "差旅", "1"], ["其他", "1", "", ""]]
    spans = [[None] * 4 for _ in rows]
    assert relay_lanes(rows, spans, kinds) is None
