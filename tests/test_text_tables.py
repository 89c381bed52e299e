"""Tables printed as text: the same 决算 table and the same 自评表 in every text shape read the same.

The figures are those of a real 部门决算 (seed 004: 收入支出决算总表 and the 离休人员医药费 项目支出绩效自评表);
labels and goal texts are written here. The TAB layout (one printed row per line) is the reference the
text loader has always read; pipe tables, space-aligned columns, one cell per line (empty cells as blank
lines, or dropped) and a whole table on one line must give identical ``line_items`` / ``indicators``.
Expected values were worked out by hand from the table below, not taken from the code's output.
"""

from __future__ import annotations

import unicodedata

import polars as pl
import pytest

from toolkit.extract.document import extract_document
from toolkit.loaders import load_bytes
from toolkit.model import Limits

SUMMARY_TITLE = ["2023年度收入支出决算总表", "单位：万元"]
SUMMARY = [
    ["项目", "行次", "决算数", "项目", "行次", "决算数"],
    ["栏次", "", "1", "栏次", "", "2"],
    ["一、一般公共预算财政拨款收入", "1", "362.62", "一、一般公共服务支出", "14", ""],
    ["二、政府性基金预算财政拨款收入", "2", "", "二、外交支出", "15", ""],
    ["三、国有资本经营预算财政拨款收入", "3", "", "三、国防支出", "16", ""],
    ["四、上级补助收入", "4", "", "四、公共安全支出", "17", ""],
    ["五、事业收入", "5", "", "五、教育支出", "18", ""],
    ["六、经营收入", "6", "", "六、科学技术支出", "19", ""],
    ["七、附属单位上缴收入", "7", "", "八、社会保障和就业支出", "20", "17.64"],
    ["八、其他收入", "8", "", "九、卫生健康支出", "21", "329.85"],
    ["", "9", "", "十九、住房保障支出", "22", "15.13"],
    ["本年收入合计", "10", "362.62", "本年支出合计", "23", "362.62"],
    ["使用非财政拨款结余(含专用结余)", "11", "", "结余分配", "24", ""],
    ["年初结转和结余", "12", "", "年末结转和结余", "25", ""],
    ["总计", "13", "362.62", "总计", "26", "362.62"],
]
SELFEVAL_TITLE = ["2023年度项目支出绩效自评表"]
FUND_AND_GOALS = [
    ["项目支出名称", "离休人员医药费", "", "", "", "", "", "", ""],
    ["主管部门", "某区医疗保障局", "", "", "实施单位", "某区医疗保障局", "", "", ""],
    ["项目资金(万元)", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分", ""],
    ["", "年度资金总额", "25", "25", "10.44", "10", "41.76%", "5", ""],
    ["", "其中：当年财政拨款", "25", "25", "10.44", "", "", "", ""],
    ["", "上年结转资金", "", "", "", "", "", "", ""],
    ["", "其他资金", "", "", "", "", "", "", ""],
    ["年度总体目标", "预期目标", "", "", "实际完成情况", "", "", "", ""],
    ["", "按时足额支付离休干部医药费", "", "", "离休干部医药费按规定支付到位", "", "", "", ""],
]
INDICATORS = [
    ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
    ["", "产出指标(50分)", "数量指标(5分)", "服务人员", "≥2", "2", "5", "5", ""],
    ["", "", "质量指标(20分)", "住院费用报销比例", "100%", "100%", "20", "20", ""],
    ["", "", "时效指标(20分)", "报销到位时间", "2023年12月31日前", "2023年12月31日前", "20", "20", ""],
    ["", "", "成本指标(5分)", "项目资金成本控制", "25万", "10.49万", "5", "0", ""],
    ["", "效益指标(30分)", "经济效益指标(10分)", "减轻医药费负担程度", "≥90%", "100%", "10", "10", ""],
    ["", "", "社会效益指标(10分)", "政策知晓度", "≥90%", "100%", "10", "10", ""],
    ["", "", "生态效益指标(10分)", "待遇保障持续性", "≥15年", "持续", "10", "10", ""],
    ["", "满意度指标(10分)", "服务对象满意度指标(10分)", "参保对象满意度", "≥95%", "98%", "10", "10", ""],
    ["", "总分", "", "", "", "", "100", "90", ""],
]
BEFORE = "本部门按规定编制并公开2023年度决算。"
AFTER = "注：本表金额转换时可能存在尾数误差。"

LINE_ITEM_COLUMNS = ["table_type", "section", "lane", "code", "name", "row_kind", "item_key", "measure",
                     "measure_label", "raw_text", "value", "unit", "scale", "decimals"]
INDICATOR_COLUMNS = ["row_kind", "level1", "level1_weight", "level2", "level2_weight", "level3", "target_raw",
                     "target_value", "actual_raw", "actual_value", "weight", "score", "deviation_note"]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def tsv(rows: list[list[str]]) -> list[str]:
    return ["\t".join(r) for r in rows]


def pipe(rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])] + ["| " + " | ".join(r) + " |" for r in rows[1:]]


def aligned(rows: list[list[str]]) -> list[str]:
    widths = [max(_width(r[c]) for r in rows) for c in range(len(rows[0]))]
    return ["".join(cell + " " * (widths[c] - _width(cell) + 3) for c, cell in enumerate(r)).rstrip() for r in rows]


def cell_per_line(rows: list[list[str]]) -> list[str]:
    return [cell for r in rows for cell in r]


def cell_per_line_no_blanks(rows: list[list[str]]) -> list[str]:
    return [cell for r in rows for cell in r if cell]


def one_line(rows: list[list[str]]) -> list[str]:
    return [" ".join(cell for r in rows for cell in r if cell)]


def read(lines: list[str]) -> dict[str, pl.DataFrame]:
    data = "\n".join(lines).encode("utf-8")
    raw = load_bytes(data, "table.txt", Limits())
    return extract_document(raw, document_id="d", path="table.txt", sha256="0" * 64, size_bytes=len(data))


def semantic(frame: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    return frame.select(columns).sort(columns, nulls_last=True)


def summary_doc(shape) -> list[str]:
    return [BEFORE, *SUMMARY_TITLE, *shape(SUMMARY), AFTER]


def selfeval_doc(shape) -> list[str]:
    return [BEFORE, *SELFEVAL_TITLE, *shape(FUND_AND_GOALS + INDICATORS), AFTER]


def test_reference_summary_values_checked_by_hand() -> None:
    items = read(summary_doc(tsv))["line_items"]
    final = dict(zip(items["name"].to_list(), items["value"].to_list(), strict=True))
    assert final["一、一般公共预算财政拨款收入"] == 362.62
    assert final["八、社会保障和就业支出"] == 17.64
    assert final["九、卫生健康支出"] == 329.85
    assert final["十九、住房保障支出"] == 15.13  # 17.64 + 329.85 + 15.13 = 362.62 = 本年支出合计
    assert items.filter(pl.col("name") == "总计")["value"].to_list() == [362.62, 362.62]
    assert set(items["unit"].to_list()) == {"万元"}
    # the eight printed amounts (362.62, 17.64, 329.85, 15.13, two 本年合计, two 总计): blank is not zero
    assert items.height == 8


def test_reference_selfeval_values_checked_by_hand() -> None:
    ind = read(selfeval_doc(tsv))["indicators"]
    rows = ind.filter(pl.col("row_kind") == "indicator")
    assert rows.height == 8
    assert rows["weight"].sum() == 90  # 5+20+20+5 (产出) + 10+10+10 (效益) + 10 (满意度)
    assert rows["score"].sum() == 85  # 成本指标 scored 0 of 5
    total = ind.filter(pl.col("row_kind") == "total")
    assert total["weight"].to_list() == [100] and total["score"].to_list() == [90]  # 85 + 5 for 预算执行率
    assert rows.filter(pl.col("level3") == "项目资金成本控制")["actual_raw"].to_list() == ["10.49万"]


SUMMARY_SHAPES = [pipe, aligned, cell_per_line, cell_per_line_no_blanks, one_line]
SELFEVAL_SHAPES = [pipe, aligned, cell_per_line, cell_per_line_no_blanks, one_line]


@pytest.mark.parametrize("shape", SUMMARY_SHAPES, ids=lambda f: f.__name__)
def test_summary_table_reads_the_same_in_every_text_shape(shape) -> None:
    reference = semantic(read(summary_doc(tsv))["line_items"], LINE_ITEM_COLUMNS)
    got = read(summary_doc(shape))
    assert got["tables"]["table_type"].to_list() == ["income_expense_summary"]
    assert semantic(got["line_items"], LINE_ITEM_COLUMNS).equals(reference)


@pytest.mark.parametrize("shape", SELFEVAL_SHAPES, ids=lambda f: f.__name__)
def test_selfeval_reads_the_same_in_every_text_shape(shape) -> None:
    reference = read(selfeval_doc(tsv))
    got = read(selfeval_doc(shape))
    assert got["tables"]["table_type"].to_list() == ["project_self_eval"]
    assert semantic(got["indicators"], INDICATOR_COLUMNS).equals(semantic(reference["indicators"], INDICATOR_COLUMNS))
    assert semantic(got["line_items"], LINE_ITEM_COLUMNS).equals(semantic(reference["line_items"], LINE_ITEM_COLUMNS))


def test_indicator_section_on_one_line_reads_like_its_rows() -> None:
    reference = read([BEFORE, *SELFEVAL_TITLE, *tsv(INDICATORS), AFTER])["indicators"]
    got = read([BEFORE, *SELFEVAL_TITLE, *one_line(INDICATORS), AFTER])["indicators"]
    assert reference.filter(pl.col("row_kind") == "indicator").height == 8
    assert semantic(got, INDICATOR_COLUMNS).equals(semantic(reference, INDICATOR_COLUMNS))


def test_rebuilt_cells_point_back_to_their_line_and_span() -> None:
    lines = summary_doc(pipe)
    cells = read(lines)["cells"].filter(pl.col("raw_text") == "329.85")
    assert cells.height == 1
    line, start, end = cells.row(0, named=True)["src_line"], cells["span_start"][0], cells["span_end"][0]
    assert lines[line - 1][start:end] == "329.85"
    assert cells["unit_source"].to_list() == ["table"]


def test_pipe_rows_of_empty_cells_are_not_lost_text() -> None:
    lines = [BEFORE, *SUMMARY_TITLE, *pipe(SUMMARY), "| ||||||", AFTER]
    doc = read(lines)["documents"]
    assert doc["status"].to_list() == ["ok"]
    assert doc["chars_share"][0] >= 0.95


def test_a_table_that_arrives_as_paragraph_text_in_html_is_rebuilt() -> None:
    paras = "".join(f"<p>{line}</p>" for line in [BEFORE, *SUMMARY_TITLE, *pipe(SUMMARY), AFTER])
    data = f"<html><body>{paras}</body></html>".encode()
    raw = load_bytes(data, "page.html", Limits())
    got = extract_document(raw, document_id="d", path="page.html", sha256="0" * 64, size_bytes=len(data))
    reference = semantic(read(summary_doc(tsv))["line_items"], LINE_ITEM_COLUMNS)
    assert got["tables"]["table_type"].to_list() == ["income_expense_summary"]
    assert semantic(got["line_items"], LINE_ITEM_COLUMNS).equals(reference)
    assert got["cells"].filter(pl.col("raw_text") == "329.85")["span_start"].to_list() != [None]


def aligned_numbers_right(rows: list[list[str]]) -> list[str]:
    """Space-aligned as PDF copies print it: text left-aligned, figures right-aligned in their column."""
    from toolkit.extract.text_grid import token_kind

    widths = [max(_width(r[c]) for r in rows) for c in range(len(rows[0]))]
    out = []
    for r in rows:
        parts = []
        for c, cell in enumerate(r):
            pad = " " * (widths[c] - _width(cell))
            parts.append((pad + cell if token_kind(cell) in ("num", "seq", "code") else cell + pad) + "   ")
        out.append("".join(parts).rstrip())
    return out


@pytest.mark.parametrize("shape", [aligned_numbers_right], ids=lambda f: f.__name__)
def test_right_aligned_figures_read_the_same(shape) -> None:
    reference = semantic(read(summary_doc(tsv))["line_items"], LINE_ITEM_COLUMNS)
    assert semantic(read(summary_doc(shape))["line_items"], LINE_ITEM_COLUMNS).equals(reference)
    ref_ind = read(selfeval_doc(tsv))["indicators"]
    got = read(selfeval_doc(shape))["indicators"]
    assert semantic(got, INDICATOR_COLUMNS).equals(semantic(ref_ind, INDICATOR_COLUMNS))


def test_indicator_section_one_cell_per_line_without_blanks() -> None:
    reference = read([BEFORE, *SELFEVAL_TITLE, *tsv(INDICATORS), AFTER])["indicators"]
    got = read([BEFORE, *SELFEVAL_TITLE, *cell_per_line_no_blanks(INDICATORS), AFTER])["indicators"]
    assert semantic(got, INDICATOR_COLUMNS).equals(semantic(reference, INDICATOR_COLUMNS))
