"""A header and one row of figures on one line: a 三公经费 table run together.

Figures from a real 2026 district 部门预算 (``datasets/realdocs/dept_budget.pdf``, 三公经费和机关运行经费预算表,
万元): 三公 合计 10.81 = 因公出国(境) 0 + 公务接待 0.83 + 公务用车 9.98, the car line 9.98 = 购置 0 + 运行 9.98
(both sums checked by hand), 机关运行经费 217.83. Its header is three rows over seven columns.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from toolkit.extract.document import extract_document
from toolkit.extract.text_grid import TextTable, find_text_tables
from toolkit.loaders import load_bytes
from toolkit.model import Limits

FIGURES = ["10.81", "0", "0.83", "9.98", "0", "9.98", "217.83"]
HEADER_WORDS = "“三公”经费预算数 机关运行经费预算数 合计 因公出国(境)费 公务接待费 公务用车购置及运行费 小计 购置费 运行费"


def _tables(lines: list[str]) -> list[TextTable]:
    return [x for x in find_text_tables(lines) if isinstance(x, TextTable)]


def test_a_three_row_header_over_one_row_of_figures_keeps_its_words_over_no_figure() -> None:
    """Ten header words over seven figures: which word heads which column is not in the text, so the
    words get a first column of their own and every figure column has no header word."""
    (table,) = _tables([f"{HEADER_WORDS} {' '.join(FIGURES)}"])
    assert table.rows == [[HEADER_WORDS, *[""] * 7], ["", *FIGURES]]
    assert table.header_kinds == ["label", *["num"] * 7]


def test_the_table_is_recognised_by_its_title_and_no_figure_is_read_as_a_measure(tmp_path: Path) -> None:
    path = tmp_path / "sangong.txt"
    path.write_text("\n".join(["2026年部门“三公”经费和机关运行经费预算表", "单位:万元",
                               f"{HEADER_WORDS} {' '.join(FIGURES)}"]), encoding="utf-8")
    data = path.read_bytes()
    frames = extract_document(load_bytes(data, path.name, Limits()), document_id="d", path=path.name,
                              sha256="0" * 64, size_bytes=len(data))
    assert frames["tables"]["table_type"].to_list() == ["sangong"]
    # 10.81 under a header cell naming 机关运行经费 would be read as that: it is not read as anything
    assert frames["line_items"].filter(pl.col("table_type") == "sangong").is_empty()


def test_as_many_words_as_figures_are_the_header_row() -> None:
    words = ["合计", "因公出国(境)费", "公务接待费", "公务用车购置及运行费"]
    (table,) = _tables([" ".join(words + FIGURES[:4])])
    assert table.rows == [words, FIGURES[:4]]


def test_a_sentence_ending_in_numbers_is_no_such_table() -> None:
    lines = ["联系人 王某 联系电话 021 5288 1234", "本年 收入 合计 同比 增长 2 3 4。"]
    assert _tables(lines) == []
