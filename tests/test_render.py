"""Round trips: render a document to every format, load it back, get the same text and cells."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest

from toolkit.loaders import load_bytes
from toolkit.model import Block, Limits
from toolkit.normalize.text import is_page_artifact
from toolkit.render import style_options, write_document
from toolkit.render.layout import sheet_names, titled_tables
from toolkit.render.to_txt import render_txt

HEADER = [
    ["项 目", "", "本年支出合计", "基本支出", "项目支出"],
    ["功能分类科目编码", "科目名称", "", "", ""],
    ["栏次", "", "1", "2", "3"],
]
BODY = [
    ["合计", "", "362.62", "122.83", "239.79"],
    ["2101501", "行政运行", "1,234.50", "0", "1,234.50"],
    ["2101505", "医疗保障政策管理", "45.83", "43", "2.83"],
    ["2210201", "住房公积金", "15.13", "15.13", ""],
]
SELF_EVAL = [
    ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
    ["产出指标", "数量指标", "医疗救助对象", "≥3000人", "3125人", "10", "10"],
    ["效益指标", "满意度指标", "参保群众满意度 <&> 测试", "≥85%", "92.5%", "10", "9.5"],
]


def sample_blocks() -> list[Block]:
    return [
        Block.para("2023年度屈原管理区医疗保障局部门决算"),
        Block.para(
            "2023年度总收入362.62万元，与上年相比减少408.65万元，减少52.98%；“三公”经费（境）〔2022〕1号。"
        ),
        Block.para("一般公共预算财政拨款支出决算表"),
        Block.para("单位：万元"),
        Block.tab(HEADER + BODY),
        Block.para("注：本表反映部门本年度一般公共预算财政拨款支出情况。"),
        Block("page_break"),
        Block.para("2023年度项目支出绩效自评表"),
        Block.tab(SELF_EVAL),
        Block.para("说明：符号 <b>&amp; 与 “引号” 原样保留。"),
    ]


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s or "")


def grid(rows: list[list[str]]) -> list[list[str]]:
    """Cells without whitespace; empty rows and all-empty edge columns dropped."""
    rows = [[squash(c) for c in r] for r in rows if any(squash(c) for c in r)]
    width = max((len(r) for r in rows), default=0)
    rows = [r + [""] * (width - len(r)) for r in rows]
    while width and all(not r[width - 1] for r in rows):
        width -= 1
    lead = 0
    while lead < width and all(not r[lead] for r in rows):
        lead += 1
    return [r[lead:width] for r in rows]


def load(path: Path):
    doc = load_bytes(path.read_bytes(), str(path), Limits())
    assert not doc.failed, doc.issues
    return doc


CASES = [
    ("txt", "tsv"),
    ("txt", "word"),
    ("txt", "word+pagenum"),
    ("docx", "default"),
    ("docx", "merged"),
    ("pdf", "default"),
    ("xlsx", "default"),
    ("xlsx", "numeric+merged"),
    ("html", "default"),
    ("html", "gbk"),
]


@pytest.mark.parametrize(("fmt", "style"), CASES)
def test_round_trip_keeps_paragraphs_and_cells(tmp_path: Path, fmt: str, style: str) -> None:
    blocks = sample_blocks()
    path = write_document(blocks, tmp_path / f"doc.{fmt}", fmt, style=style)
    doc = load(path)

    want_tables = [grid(b.table.rows) for b in blocks if b.kind == "table"]
    got_tables = [grid(b.table.rows) for b in doc.blocks if b.kind == "table"]
    assert got_tables == want_tables

    want_paras = [squash(b.text) for b in blocks if b.kind == "para"]
    # a "—1—" page-number line is a page artefact the extract layer drops, not running text
    got_paras = [squash(b.text) for b in doc.blocks if b.kind == "para" and not is_page_artifact(b.text)]
    if fmt == "xlsx":  # running text sits in sheet 说明, titles above their table: same lines, other order
        assert Counter(got_paras) == Counter(want_paras)
    else:
        assert got_paras == want_paras


def test_csv_holds_the_tables(tmp_path: Path) -> None:
    for style, encoding in (("default", "utf-8"), ("gbk", "gb18030"), ("bom", "utf-8-sig")):
        path = write_document(sample_blocks(), tmp_path / f"t-{style}.csv", "csv", style=style)
        doc = load(path)
        assert doc.meta["encoding"] == encoding
        (table,) = [b.table for b in doc.blocks if b.kind == "table"]
        # both tables, one after the other (the empty separator row is dropped by grid())
        padded_eval = [r + [""] * (5 - len(r)) if len(r) < 5 else r for r in SELF_EVAL]
        assert grid(table.rows) == grid(HEADER + BODY + padded_eval)


def test_page_breaks_survive_txt_docx_and_html(tmp_path: Path) -> None:
    for fmt in ("txt", "docx", "html"):
        doc = load(write_document(sample_blocks(), tmp_path / f"p.{fmt}", fmt))
        kinds = [b.kind for b in doc.blocks]
        assert kinds.count("page_break") == 1, fmt
        # the break sits between the note under table 1 and the title of table 2
        i = kinds.index("page_break")
        assert (
            doc.blocks[i - 1].text.startswith("注：")
            and doc.blocks[i + 1].text == "2023年度项目支出绩效自评表"
        )


def test_txt_word_style_looks_like_word_to_text() -> None:
    blocks = [Block.para("标题"), Block.tab([["项目", "金额\n(万元)"], ["合计", "1.5"]]), Block.para("尾")]
    assert (
        render_txt(blocks, style_options("word"))
        == "标题\n\n\t项目\n\t金额\n(万元)\n\n\t合计\n\t1.5\n\n\n尾\n"
    )
    assert render_txt(blocks, style_options("tsv")) == "标题\n\n项目\t金额 (万元)\n合计\t1.5\n\n尾\n"
    assert "\n—1—\n" in render_txt(
        [Block.para("a"), Block("page_break"), Block.para("b")], style_options("pagenum")
    )


def test_pdf_text_is_unicode_and_exact(tmp_path: Path) -> None:
    path = write_document(sample_blocks(), tmp_path / "d.pdf", "pdf")
    with pdfplumber.open(path) as pdf:
        text = "".join(p.extract_text() for p in pdf.pages)
        tables = [t for p in pdf.pages for t in p.extract_tables()]
    flat = squash(text)
    assert "总收入362.62万元，与上年相比减少408.65万元，减少52.98%" in flat
    assert "“三公”经费（境）〔2022〕1号" in flat
    assert len(tables) == 2
    assert tables[0][3][:3] == ["合计", "", "362.62"]  # ruled grid: every cell found where it was drawn
    assert tables[0][4][2] == "1,234.50"


def test_pdf_long_table_repeats_its_header_on_the_next_page(tmp_path: Path) -> None:
    rows = HEADER + [[f"21015{i:02d}", f"科目{i}", f"{i}.5", f"{i}", "0.5"] for i in range(120)]
    path = write_document([Block.para("支出决算表"), Block.tab(rows)], tmp_path / "long.pdf", "pdf")
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) >= 2
        first, second = (p.extract_tables()[0] for p in pdf.pages[:2])
    assert [squash(c or "") for c in second[0]] == [squash(c) for c in HEADER[0]]
    body = [r for r in first + second if r[0] and r[0].startswith("21015")]
    assert len({r[0] for r in body}) == len(body)  # no data row printed twice


def test_wide_table_switches_pdf_to_landscape(tmp_path: Path) -> None:
    # 14 columns of numbers that cannot be wrapped do not fit across a portrait A4 page
    wide = [[f"列{c}" for c in range(14)], [f"{c}2,345,678.25" for c in range(14)]]
    path = write_document([Block.tab(wide)], tmp_path / "wide.pdf", "pdf")
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        assert page.width > page.height
        assert page.extract_tables()[0][1] == [f"{c}2,345,678.25" for c in range(14)]


def test_xlsx_sheets_are_named_after_table_titles() -> None:
    tables = titled_tables(sample_blocks())
    assert [t.name for t in tables] == ["一般公共预算财政拨款支出决算表", "2023年度项目支出绩效自评表"]
    assert [t.title_indexes for t in tables] == [[2, 3], [7]]
    names = sheet_names(
        ["财政拨款“三公”经费支出决算表", "a/b:c", "财政拨款“三公”经费支出决算表", "x" * 40, ""]
    )
    assert names == [
        "财政拨款“三公”经费支出决算表",
        "abc",
        "财政拨款“三公”经费支出决算表(2)",
        "x" * 31,
        "表5",
    ]
    assert all(len(n) <= 31 for n in names)


def test_unknown_format_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown document format"):
        write_document(sample_blocks(), tmp_path / "x.rtf", "rtf")
