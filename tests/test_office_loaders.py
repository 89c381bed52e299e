"""DOCX, XLSX, XLS, HTML and CSV loaders on real templates and hand-made files."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
import xlsxwriter

from toolkit.loaders.csv import load_csv
from toolkit.loaders.docx import load_docx
from toolkit.loaders.html import load_html
from toolkit.loaders.numfmt import format_number
from toolkit.loaders.xls import load_xls
from toolkit.loaders.xlsx import load_xlsx
from toolkit.model import Limits, RawDocument

TEMPLATES = Path(__file__).resolve().parents[2] / "shared" / "realdocs" / "tianbaoxitong" / "templates"  # shared/ beside the checkout
LIMITS = Limits()


def blocks_of(doc: RawDocument, sheet: str) -> list:
    return [b for b in doc.blocks if b.sheet == sheet]


def only_table(doc: RawDocument, sheet: str | None = None) -> list[list[str]]:
    tables = [b.table for b in doc.blocks if b.kind == "table" and (sheet is None or b.sheet == sheet)]
    assert len(tables) == 1
    return tables[0].rows


# ----------------------------------------------------------------------------- real templates

needs_templates = pytest.mark.skipif(not TEMPLATES.exists(), reason="shared real templates not mounted")


@needs_templates
@pytest.mark.parametrize(
    ("name", "loader"), [("budget_template.xls", load_xls), ("excel/unit_budget_template.xlsx", load_xlsx)]
)
def test_unit_budget_template(name: str, loader) -> None:
    doc = loader((TEMPLATES / name).read_bytes(), name, LIMITS)
    assert not doc.issues
    sheets = list(dict.fromkeys(b.sheet for b in doc.blocks))
    assert sheets[:7] == [
        "封面",
        "目录",
        "单位职能",
        "单位机构设置",
        "名词解释",
        "单位编制说明",
        "单位收支总表",
    ]
    assert len(sheets) == 16 and sheets[-1] == "其他相关情况说明"

    income = blocks_of(doc, "单位收入总表")
    assert [b.kind for b in income] == ["para", "para", "table"]
    assert income[0].text == "2026年预算单位收入预算总表"  # merged title row A2:I2
    assert "单位：元" in income[1].text  # 编制单位：  ...  单位：元 line
    rows = income[2].table.rows
    assert rows[0][0] == "项目" and rows[0][4] == "收入预算"  # merged A6:D6, E6:I6: text once
    assert rows[0][1:4] == ["", "", ""]
    assert rows[1][:6] == ["功能分类科目编码", "", "", "功能分类科目名称", "合计", "财政拨款收入"]
    assert rows[1][7] == "事业单位\n经营收入"
    assert rows[2][:3] == ["类", "款", "项"]
    assert rows[3][0] == "205" and rows[3][3] == "教育支出"  # stored as the number 205.0, printed 205

    # a sheet of running text only: paragraphs, no table
    assert {b.kind for b in blocks_of(doc, "单位职能")} == {"para"}
    sangong = only_table(doc, "单位“三公”经费和机关运行费预算表")
    assert sangong[0][0] == "“三公”经费预算数" and sangong[0][6] == "机关运行经费预算数"
    assert sangong[2][3:6] == ["小计", "购置费", "运行费"]


@needs_templates
def test_xls_and_xlsx_templates_read_the_same() -> None:
    xls = load_xls((TEMPLATES / "budget_template.xls").read_bytes(), "a.xls", LIMITS)
    xlsx = load_xlsx((TEMPLATES / "excel/unit_budget_template.xlsx").read_bytes(), "b.xlsx", LIMITS)
    key = [(b.kind, b.sheet, b.text, b.table.rows if b.table else None) for b in xls.blocks]
    assert key == [(b.kind, b.sheet, b.text, b.table.rows if b.table else None) for b in xlsx.blocks]
    # load_xlsx also takes .xls bytes (the dispatcher maps both formats to it)
    again = load_xlsx((TEMPLATES / "budget_template.xls").read_bytes(), "a.xls", LIMITS)
    assert [b.text for b in again.blocks] == [b.text for b in xls.blocks]


@needs_templates
def test_department_template_sheets() -> None:
    doc = load_xlsx((TEMPLATES / "excel/department_budget_template.xlsx").read_bytes(), "d.xlsx", LIMITS)
    sheets = list(dict.fromkeys(b.sheet for b in doc.blocks))
    assert sheets[-1] == "项目经费情况说明" and "部门“三公”经费和机关运行费预算表" in sheets
    rows = only_table(doc, "部门财政拨款收支总表")
    assert rows[1][:7] == [
        "项目",
        "预算数",
        "项目",
        "合计",
        "一般公共预算",
        "政府性基金预算",
        "国有资本经营预算",
    ]


# ----------------------------------------------------------------------------- numbers as printed


def test_numbers_print_with_their_number_format() -> None:
    assert format_number(362.61999999999995, "#,##0.00") == "362.62"
    assert format_number(1234.5, "#,##0.00") == "1,234.50"
    assert format_number(0.1033, "0.00%") == "10.33%"
    assert format_number(0.30000000000000004, "General") == "0.3"
    assert format_number(2080505.0, "General") == "2080505"
    assert format_number(0.125, "0.00") == "0.13"  # Excel rounds halves away from zero
    assert format_number(-5.5, "#,##0.00;[Red]-#,##0.00") == "-5.50"
    assert format_number(0.0, '_(* #,##0.00_);_(* (#,##0.00);_(* "-"??_);_(@_)') == "-"
    assert format_number(12.5, '0.00"万元"') == "12.50万元"
    assert format_number(45292.0, 'yyyy"年"m"月"d"日"') == "2024年1月1日"


def _workbook_bytes() -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    money = wb.add_format({"num_format": "#,##0.00"})
    pct = wb.add_format({"num_format": "0.00%"})
    ws = wb.add_worksheet("收入支出决算总表")
    ws.merge_range(0, 0, 0, 3, "收入支出决算总表")
    ws.write_string(1, 0, "部门：某某医疗保障局")
    ws.write_string(1, 3, "单位：万元")
    ws.merge_range(2, 0, 3, 0, "项目")  # header cell merged downwards
    ws.merge_range(2, 1, 2, 3, "本年支出")
    ws.write_row(3, 1, ["合计", "基本支出", "项目支出"])
    ws.write_string(4, 0, "合计")
    ws.write_number(4, 1, 362.61999999999995, money)
    ws.write_number(4, 2, 0.1 + 0.2)  # General
    ws.write_number(4, 3, 1234.5, money)
    ws.write_string(5, 0, "占比")
    ws.write_number(5, 1, 0.1033, pct)
    ws.write_string(7, 0, "注：本表反映部门本年度支出情况，金额单位转换时可能存在尾数误差。")
    wb.add_worksheet("空表")
    hidden = wb.add_worksheet("lookup")
    hidden.write_string(0, 0, "隐藏数据")
    hidden.hide()
    wb.close()
    return buf.getvalue()


def test_xlsx_layout_titles_grid_notes() -> None:
    doc = load_xlsx(_workbook_bytes(), "t.xlsx", LIMITS)
    assert [(b.kind, b.sheet) for b in doc.blocks] == [("para", "收入支出决算总表")] * 2 + [
        ("table", "收入支出决算总表"),
        ("para", "收入支出决算总表"),
    ]  # empty sheet 空表 and hidden sheet lookup are skipped
    assert doc.blocks[0].text == "收入支出决算总表"
    assert doc.blocks[1].text == "部门：某某医疗保障局  单位：万元"
    assert doc.blocks[2].table.rows == [
        ["项目", "本年支出", "", ""],
        ["", "合计", "基本支出", "项目支出"],
        ["合计", "362.62", "0.3", "1,234.50"],
        ["占比", "10.33%", "", ""],
    ]
    assert doc.blocks[3].text.startswith("注：本表反映")
    assert [i.code for i in doc.issues] == ["hidden_sheet"]


def test_sheet_cell_limit_skips_the_sheet() -> None:
    doc = load_xlsx(_workbook_bytes(), "t.xlsx", Limits(max_sheet_cells=5))
    assert "too_large" in {i.code for i in doc.issues}


# ----------------------------------------------------------------------------- docx


def _docx_bytes() -> bytes:
    d = docx.Document()
    d.add_paragraph("财政拨款支出决算表")
    table = d.add_table(rows=4, cols=4)
    cells = [[table.cell(r, c) for c in range(4)] for r in range(4)]
    cells[0][0].text = "项目"
    cells[0][0].merge(cells[1][0])  # vertical merge
    cells[0][1].text = "本年支出"
    cells[0][1].merge(cells[0][3])  # horizontal merge over three columns
    for c, text in zip(range(1, 4), ["合计", "基本支出", "项目支出"], strict=True):
        cells[1][c].text = text
    for c, text in enumerate(["行政运行", "105.6", "0", "105.6"]):
        cells[2][c].text = text
    cells[3][0].text = "城乡医疗救助"
    inner = cells[3][1].add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "15.13"
    inner.cell(0, 1).text = "万元"
    d.add_page_break()
    d.add_paragraph("注：本表反映财政拨款支出情况。")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_docx_merged_cells_body_order_and_breaks() -> None:
    doc = load_docx(_docx_bytes(), "m.docx", LIMITS)
    assert not doc.issues
    assert [b.kind for b in doc.blocks] == ["para", "table", "page_break", "para"]
    rows = doc.blocks[1].table.rows
    assert rows[0] == ["项目", "本年支出", "", ""]
    assert rows[1] == ["", "合计", "基本支出", "项目支出"]
    assert rows[2] == ["行政运行", "105.6", "0", "105.6"]
    assert rows[3][0] == "城乡医疗救助" and "15.13 万元" in rows[3][1]  # nested table flattened into its cell


# ----------------------------------------------------------------------------- html

GBK_PAGE = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>2023年部门决算公开</title><style>p {color: red}</style><script>var x = "<p>不是正文</p>";</script></head>
<body><h1>2023年度部门决算</h1><div>部门：某某县医疗保障局<br>单位：万元</div>
<table border="1"><tr><td rowspan="2">项目</td><td colspan="2">本年支出</td></tr>
<tr><th>基本支出</th><th>项目支出</th></tr>
<tr><td>合&nbsp;计</td><td>122.83</td><td>239.79</td></tr></table>
<ul><li>注：本表反映部门本年度支出情况。</li></ul></body></html>"""


@pytest.mark.parametrize("declared", [True, False])
def test_gbk_html_page(declared: bool) -> None:
    page = GBK_PAGE if declared else GBK_PAGE.replace("; charset=gb2312", "")
    doc = load_html(page.encode("gbk"), "p.html", LIMITS)
    assert doc.meta["encoding"] == "gb18030"
    assert doc.meta["title"] == "2023年部门决算公开"
    paras = [b.text for b in doc.blocks if b.kind == "para"]
    assert paras == [
        "2023年度部门决算",
        "部门：某某县医疗保障局\n单位：万元",
        "注：本表反映部门本年度支出情况。",
    ]
    assert only_table(doc) == [
        ["项目", "本年支出", ""],
        ["", "基本支出", "项目支出"],
        ["合\xa0计", "122.83", "239.79"],
    ]


# ----------------------------------------------------------------------------- csv


def test_gbk_csv() -> None:
    text = '项目,本年收入合计,财政拨款收入\r\n合计,362.62,362.62\r\n"2101501 行政运行, 机关",45.83,45.83\r\n'
    doc = load_csv(text.encode("gbk"), "a.csv", LIMITS)
    assert doc.meta == {"encoding": "gb18030", "delimiter": ","}
    assert only_table(doc) == [
        ["项目", "本年收入合计", "财政拨款收入"],
        ["合计", "362.62", "362.62"],
        ["2101501 行政运行, 机关", "45.83", "45.83"],
    ]


def test_csv_with_bom_and_semicolons() -> None:
    doc = load_csv("\ufeff科目;金额\n住房公积金;15.13\n".encode(), "b.csv", LIMITS)
    assert doc.meta["delimiter"] == ";"
    assert only_table(doc) == [["科目", "金额"], ["住房公积金", "15.13"]]


# ----------------------------------------------------------------------------- corrupt input


@pytest.mark.parametrize(
    ("loader", "data"),
    [
        (load_docx, _docx_bytes()[:3000]),
        (load_xlsx, _workbook_bytes()[:2000]),
        (load_docx, b"not a word file at all"),
        (load_xlsx, b"\x00" * 64),
        (load_xls, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100),
        (load_csv, b""),
    ],
)
def test_corrupt_input_is_a_fatal_issue_not_an_exception(loader, data: bytes) -> None:
    doc = loader(data, "bad", LIMITS)
    assert doc.failed
    assert all(i.reason for i in doc.issues)
    assert not doc.blocks


def test_truncated_zip_is_called_truncated() -> None:
    doc = load_xlsx(_workbook_bytes()[:2000], "cut.xlsx", LIMITS)
    assert doc.issues[0].code == "truncated"
