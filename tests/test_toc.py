"""The document's own 目录 read into a passage of role ``toc``."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.checks.rules.dg002 import listed_tables
from toolkit.extract.toc import toc_entries, toc_passage
from toolkit.model import Block, RawDocument

ROOT = Path(__file__).resolve().parents[1]


def test_toc_entries_strip_leaders_and_join_wrapped_lines() -> None:
    raw = RawDocument(path="x.txt", format="txt", blocks=[
        Block.para("2024年度部门决算", page=1),
        Block.para("目 录", page=2),
        Block.para("一、收入支出决算总表……………………3", page=2),
        Block.para("二、一般公共预算“三公”经费、会议费、培训费支出决算", page=2),
        Block.para("表", page=2),
        Block.para("三、收入支出决算总体情况说明 ........ 12", page=2),
        Block.para("本部门主要职责是贯彻落实国家医疗保障的方针政策和决策部署，负责全区医疗保障工作，"
                   "拟订医疗保险、生育保险、医疗救助等医疗保障制度的政策、规划、标准并组织实施。", page=3),
    ])
    page, entries = toc_entries(raw)
    assert page == 2
    assert entries == ["一、收入支出决算总表", "二、一般公共预算“三公”经费、会议费、培训费支出决算表",
                       "三、收入支出决算总体情况说明"]
    # 情况说明 sections are not tables
    assert [t for _, t in listed_tables("\n".join(entries))] == ["income_expense_summary", "sangong"]
    assert toc_passage(raw, "d1", 7)["role"] == "toc"


def test_no_toc_no_passage() -> None:
    raw = RawDocument(path="x.txt", format="txt", blocks=[Block.para("关于2023年度部门整体支出绩效自评的报告", page=1)])
    assert toc_passage(raw, "d1", 0) is None


def test_real_final_accounts_toc_lists_its_nine_tables() -> None:
    path = ROOT / "datasets" / "realdocs" / "上海市普陀区规划和自然资源局 2024 年度部门决算.pdf"
    if not path.exists():
        pytest.skip("real document not shipped")
    from toolkit.loaders import load_path
    from toolkit.loaders.safety import Limits

    _, entries = toc_entries(load_path(path, Limits()))
    types = [t for _, t in listed_tables("\n".join(entries))]
    # read by hand from page 2: 一、收入支出决算总表 … 九、国有资本经营预算财政拨款收入支出决算表
    assert types == ["income_expense_summary", "income", "expense", "fiscal_summary", "gpb_expense",
                     "gpb_basic_expense", "sangong", "gov_fund", "soe_capital"]
