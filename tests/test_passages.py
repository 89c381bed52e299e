"""Passages: headings, roles, clean-up of page artefacts and broken sentences (seed documents)."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from toolkit.extract.passages import ROLES, build_passages
from toolkit.model import Block, RawDocument
from toolkit.schemas import PASSAGES

SEEDS = Path(__file__).resolve().parents[1] / "datasets" / "seeds"


def raw_from_text(text: str, page: int | None = None) -> RawDocument:
    """One paragraph block per non-empty line, as a plain-text loader would give."""
    blocks = [Block.para(line, page=page) for line in text.splitlines() if line.strip()]
    return RawDocument(path="mem.txt", format="txt", blocks=blocks)


def seed(prefix: str) -> RawDocument:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return raw_from_text(path.read_text(encoding="utf-8"))


def test_schema_ids_and_roles_are_in_vocabulary():
    df = build_passages(seed("004"), "doc004")
    assert df.schema == pl.Schema(PASSAGES)
    assert df["passage_id"].to_list()[:2] == ["doc004:p0", "doc004:p1"]
    assert df["order"].to_list() == list(range(df.height))
    assert set(df["role"].unique()) <= set(ROLES)


def test_final_accounts_sections_get_their_roles():
    df = build_passages(seed("004"), "d")

    def role_of(snippet: str) -> str:
        hits = df.filter(pl.col("text").str.contains(snippet, literal=True))
        assert hits.height >= 1, snippet
        return hits["role"][0]

    assert role_of("拟订全区社会医疗保险") == "duties"
    assert role_of("区医疗保障局下设区医疗保障事务中心") == "organisation"
    assert role_of("2023年度总收入362.62万元") == "statement"
    # (一)…决算总体情况 sits under 五、…决算情况说明: still the 情况说明
    assert role_of("占本年支出合计的100%") == "statement"
    assert role_of("财政拨款收入:指单位从同级财政部门取得") == "glossary"
    assert role_of("在预算编制过程中,存在编制不够规范的问题") == "problems"
    assert role_of("加强培训,提升财务人员") == "improvements"


def test_self_evaluation_roles_and_inline_headings():
    df = build_passages(seed("000"), "d")
    fund = df.filter(pl.col("text").str.contains("职工医保基金收入总额13129万元", literal=True))
    assert fund["role"].to_list() == ["fund_operation"]
    assert fund["heading"].to_list() == ["医保基金筹集情况"]
    assert df.filter(pl.col("heading") == "部门职能职责")["role"].to_list() == ["duties"]
    assert "problems" in df["role"].to_list() and "improvements" in df["role"].to_list()


def test_page_artefacts_removed_and_broken_sentence_rejoined():
    text = (
        "七、财政拨款三公经费支出决算情况说明\n"
        "公务用车购置费支出预算为0万元，支出决算为0万元，上年公务用车购\n"
        "—23—\n"
        "7\n"
        "置费支出决算为0万元（本单位无公务车辆）。\n"
        "[bookmark: _Toc123]八、政府性基金预算收入支出决算情况\n"
        "本单位2023年无政府性基金收支。\n"
    )
    df = build_passages(raw_from_text(text), "d")
    texts = df["text"].to_list()
    assert "上年公务用车购置费支出决算为0万元(本单位无公务车辆)。" in texts[0]
    assert "23" not in texts[0].replace("2023", "")
    assert df["heading"].to_list() == ["财政拨款三公经费支出决算情况说明", "政府性基金预算收入支出决算情况"]
    assert all("bookmark" not in t for t in texts)


def test_title_line_is_not_glued_to_the_next_paragraph_line():
    text = "益阳市赫山区医疗保障事务中心2021年度医疗救助补助资金项目支出绩效评价报告\n为深入贯彻落实意见精神，现报告如下：\n"
    df = build_passages(raw_from_text(text), "d")
    assert df["text"][0].split("\n")[0].endswith("绩效评价报告")


def test_table_rows_flattened_to_text_are_left_out():
    text = "一、收入支出决算总体情况说明\n一般公共预算财政拨款收入\t1\t362.62\n2023年度总收入362.62万元。\n"
    df = build_passages(raw_from_text(text), "d")
    assert df["text"].to_list() == ["2023年度总收入362.62万元。"]
