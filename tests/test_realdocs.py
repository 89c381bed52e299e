"""Real PDFs end to end: loader -> extract_document -> recognised tables whose rows foot.

For every PDF shipped in datasets/realdocs: the standard 决算/预算 tables are recognised
(``frames["tables"].table_type``) and, in every table the extraction made checkable,
the detail rows add up to the table's own total within printed rounding.

The footing rule here is deliberately independent of ``toolkit.checks``:
* 科目 tables: per column, the top-level 科目 rows (类) sum to the 合计 row;
* the 总表 (01 收入支出(预算)总表, 04 财政拨款收支总表): per lane, the item rows sum to 本年收入合计 /
  本年支出合计 (预算: 当年收入小计; without 结转 rows, 收入总计). Sub-items such as '1.一般公共预算' under
  '一、财政拨款' are ``part`` rows and do not count again.
Tolerance: half a unit of the last printed digit per addend and for the total.

The documents were checked by hand on the rendered pages: every table tested here foots
in print (e.g. 规划和自然资源局 01表 754.75 + 236.63 + 3845.25 + 4461.67 + 461.08 = 9759.38).
So a failure is an extraction defect. The same harness over the 39 PDFs of the shared real documents (`../shared/realdocs`) (Shanghai
决算/预算 2024–2026, Jiangsu budgets 2017–2019) finds no table that does not foot.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import polars as pl
import pytest

from toolkit.extract.document import extract_document
from toolkit.loaders.pdf import load_pdf
from toolkit.model import Limits

REALDOCS = Path(__file__).resolve().parents[1] / "datasets" / "realdocs"

FINAL_ACCOUNTS_NINE = {
    "income_expense_summary", "income", "expense", "fiscal_summary", "gpb_expense",
    "gpb_basic_expense", "sangong", "gov_fund", "soe_capital",
}
# Shanghai 部门预算 (2026): the same nine, titled 财务收支预算总表, 收入预算总表, 支出预算总表,
# 财政拨款收支预算总表, 一般公共预算支出功能分类预算表, 政府性基金/国有资本经营预算支出功能分类预算表,
# 一般公共预算基本支出部门预算经济分类预算表, “三公”经费和机关运行经费预算表.
SHANGHAI_BUDGET = FINAL_ACCOUNTS_NINE
# Jiangsu 部门预算公开表 (公开表一…十二): no 国有资本经营 table.
JIANGSU_BUDGET = FINAL_ACCOUNTS_NINE - {"soe_capital"}

# file, expected table types, footing comparisons the extraction must be able to make
DOCUMENTS = [
    ("上海市普陀区规划和自然资源局 2024 年度部门决算.pdf", FINAL_ACCOUNTS_NINE, 13, "planning-final", ()),
    ("中共上海市普陀区委社会工作部 2024 年度部门决算.pdf", FINAL_ACCOUNTS_NINE, 13, "social-work-final", ()),
    ("附件2：部门决算模板.pdf", FINAL_ACCOUNTS_NINE, 0, "final-template", ()),
    ("dept_budget.pdf", SHANGHAI_BUDGET, 19, "justice-budget", ()),
    ("江苏省人大常委会办公厅2019年部门预算公开表.pdf", JIANGSU_BUDGET, 7, "jiangsu-npc-budget", ()),
    ("江苏省委办公厅2018年度部门预算公开表.pdf", JIANGSU_BUDGET, 7, "jiangsu-party-budget", ()),
]
RECOGNITION_CASES = [pytest.param(name, expected, id=ident) for name, expected, _, ident, _ in DOCUMENTS]
FOOTING_CASES = [pytest.param(name, least, id=ident, marks=marks) for name, _, least, ident, marks in DOCUMENTS]


def test_every_shipped_pdf_is_covered() -> None:
    assert {d[0] for d in DOCUMENTS} == {p.name for p in REALDOCS.glob("*.pdf")}


@cache
def frames_of(name: str) -> dict[str, pl.DataFrame]:
    data = (REALDOCS / name).read_bytes()
    raw = load_pdf(data, name, Limits())
    sha = hashlib.sha256(data).hexdigest()
    return extract_document(raw, document_id=sha[:16], path=name, sha256=sha, size_bytes=len(data))


def _half_units(df: pl.DataFrame) -> float:
    return float(sum(0.5 * 10 ** -(d or 0) for d in df["decimals"].to_list()))


SUMMARY_TYPES = ("income_expense_summary", "fiscal_summary")


def footing(frames: dict[str, pl.DataFrame]) -> tuple[list[str], list[str]]:
    """(footed, not footed): one line per table column compared."""
    li = frames["line_items"].filter(pl.col("value").is_not_null())
    titles = dict(frames["tables"].select("table_id", "title").iter_rows())
    good: list[str] = []
    bad: list[str] = []
    keys = ["table_id", "table_type", "measure", "section", "lane"]
    for (table_id, table_type, measure, section, lane), g in li.group_by(keys, maintain_order=True):
        totals = g.filter(pl.col("row_kind") == "total")
        if table_type in SUMMARY_TYPES and totals.height == 0 and g.filter(pl.col("row_kind") == "subtotal").height == 0:
            # a 预算 总表 without 结转 rows prints only 收入总计/支出总计: the items foot to it
            totals = g.filter(pl.col("row_kind") == "grand_total")
        if totals.height != 1:
            continue
        if table_type in SUMMARY_TYPES:
            parts = g.filter(pl.col("row_kind") == "item")
        else:
            coded = g.filter(pl.col("code").is_not_null() & (pl.col("row_kind") == "item"))
            if coded.height == 0:
                continue
            parts = coded.filter(pl.col("level") == coded["level"].min())
        if parts.height == 0:
            continue
        total = totals["value"][0]
        found = sum(parts["value"].to_list())
        line = f"{table_id} {titles.get(table_id)} [{measure} {section or ''} {lane}]: Σ {parts.height} rows = {found:.2f}, 合计 = {total:.2f}"
        (good if abs(found - total) <= _half_units(parts) + _half_units(totals) + 1e-9 else bad).append(line)
    return good, bad


@pytest.mark.parametrize(("name", "expected"), RECOGNITION_CASES)
def test_standard_tables_are_recognised(name: str, expected: set[str]) -> None:
    types = set(frames_of(name)["tables"]["table_type"].to_list())
    assert expected <= types, f"missing: {sorted(expected - types)}"


@pytest.mark.parametrize(("name", "min_checked"), FOOTING_CASES)
def test_table_rows_foot(name: str, min_checked: int) -> None:
    good, bad = footing(frames_of(name))
    assert not bad, "\n".join(bad)
    assert len(good) >= min_checked, f"only {len(good)} table columns were checkable:\n" + "\n".join(good)


def test_scanned_page_reaches_the_parse_issues_frame() -> None:
    issues = frames_of("dept_budget.pdf")["parse_issues"]
    assert issues.filter(pl.col("code") == "scanned")["page"].to_list() == [3]


def _items(name: str, title_word: str) -> pl.DataFrame:
    f = frames_of(name)
    ids = f["tables"].filter(pl.col("title").str.contains(title_word))["table_id"].to_list()
    assert len(ids) == 1, f"{title_word}: {ids}"
    return f["line_items"].filter(pl.col("table_id") == ids[0])


def _value(li: pl.DataFrame, **where: object) -> list[float]:
    for col, v in where.items():
        li = li.filter(pl.col(col) == v)
    return li["value"].to_list()


def test_split_class_sub_item_codes_are_joined_and_the_bottom_total_is_read() -> None:
    """司法局 2026 预算, p11 (收入预算总表): '204 | 06 | 01 | 行政运行 | 16726725.44 …', bottom '合计 96282213.44'."""
    li = _items("dept_budget.pdf", "收入预算总表")
    assert _value(li, code="2040601", measure="total") == [16726725.44]
    assert _value(li, code="20406", measure="total") == [87267272.44]
    assert _value(li, code="2080505", measure="fiscal") == [1839485.00]
    assert _value(li, row_kind="total", measure="total") == [96282213.44]
    # p12–13 (支出预算总表) runs over a page break: its 合计 row is on p13
    li = _items("dept_budget.pdf", "支出预算总表")
    total = li.filter(pl.col("row_kind") == "total")
    assert dict(zip(total["measure"], total["value"], strict=True)) == {
        "total": 96282213.44, "basic": 25741666.44, "project": 70540547.00}
    assert set(total["page"].to_list()) == {13}
    assert _value(li, code="2210203", measure="total") == [2433600.00]


@pytest.mark.parametrize(("name", "income", "parts"), [
    # p1: 一、财政拨款 18,330.37 / 1.一般公共预算 18,330.37 / 当年收入小计 18,330.37 / 收入合计 18,330.37;
    # 支出用途: 基本 9,312.90 + 项目 6,459.58 + 单位预留机动经费 2,557.89 = 当年支出小计 18,330.37
    ("江苏省人大常委会办公厅2019年部门预算公开表.pdf", 18330.37, [9312.90, 6459.58, 2557.89]),
    # p3: 一、财政拨款 24,458.43; 基本 10,403.11 + 项目 12,081.46 + 预留 1,973.86 = 24,458.43
    ("江苏省委办公厅2018年度部门预算公开表.pdf", 24458.43, [10403.11, 12081.46, 1973.86]),
], ids=["jiangsu-npc", "jiangsu-party"])
def test_jiangsu_summary_income_parts_and_totals(name: str, income: float, parts: list[float]) -> None:
    li = _items(name, "^收支预算总表$")
    inc = li.filter(pl.col("section") == "income")
    assert _value(inc, item_key="income_fiscal") == [income]
    assert _value(inc, item_key="income_gpb", row_kind="part") == [income]  # 1.一般公共预算: inside 一、财政拨款
    assert _value(inc, item_key="income_total") == [income]  # 当年收入小计
    assert _value(inc, item_key="grand_total") == [income]  # 收入合计 (after 上年结转资金)
    use = li.filter((pl.col("section") == "expense") & pl.col("code").is_null())
    assert _value(use, row_kind="item") == parts
    assert _value(use, item_key="expense_total") == [income]  # 当年支出小计, printed across both lanes


def test_sangong_columns_under_a_stage_row_are_read() -> None:
    """规划 决算 p17: each item prints 预算数 | 决算数 below it; 合计 2.85 | 0.39, 出国 0.00 | 0.00, 车辆 0.00 | 0.00,
    接待 2.85 | 0.39. (公务接待费 is merged over two header rows: its blank lower cell is not 公务用车运行维护费.)"""
    li = _items("上海市普陀区规划和自然资源局 2024 年度部门决算.pdf", "三公")
    got = dict(zip(li["measure"], li["value"], strict=True))
    assert got == {
        "budget_total": 2.85, "final_total": 0.39, "budget_abroad": 0.0, "final_abroad": 0.0,
        "budget_vehicle": 0.0, "final_vehicle": 0.0, "budget_vehicle_purchase": 0.0, "final_vehicle_purchase": 0.0,
        "budget_vehicle_operation": 0.0, "final_vehicle_operation": 0.0, "budget_reception": 2.85, "final_reception": 0.39,
    }


@pytest.mark.parametrize(("name", "expected"), [
    # p21: 三公 合计 10.81 | 出国 0 | 接待 0.83 | 车辆 小计 9.98 | 购置 0 | 运行 9.98 | 机关运行经费预算数 217.83
    ("dept_budget.pdf", {"budget_total": 10.81, "budget_abroad": 0.0, "budget_reception": 0.83, "budget_vehicle": 9.98,
                         "budget_vehicle_purchase": 0.0, "budget_vehicle_operation": 9.98, "budget_running_cost": 217.83}),
    # p9: 合计 2,600.71 (三公 + 会议费 1,469.73 + 培训费 363.38) | 三公 小计 767.60 | 出国 199.25 | 车辆 183.60 | 运行 183.60 | 接待 384.75
    ("江苏省人大常委会办公厅2019年部门预算公开表.pdf", {"final_total": 767.60, "final_abroad": 199.25, "final_vehicle": 183.60,
                                         "final_vehicle_operation": 183.60, "final_reception": 384.75}),
], ids=["justice-budget", "jiangsu-npc"])
def test_sangong_total_is_the_sangong_subtotal_and_running_cost_is_apart(name: str, expected: dict[str, float]) -> None:
    li = _items(name, "三公")
    assert dict(zip(li["measure"], li["value"], strict=True)) == expected


def test_numbered_title_is_not_taken_for_noise() -> None:
    from toolkit.extract.recognize import classify_title

    assert classify_title("公开01表：收支预算总表") == "income_expense_summary"
    assert classify_title("公开 05 表 一般公共预算财政拨款支出决算表") == "gpb_expense"
    assert classify_title("公开表十二") is None


@pytest.mark.parametrize(("name", "total", "n_items"), [
    # p11: 合计 1,642.08 = 302 商品和服务支出 1,642.08 = 570.00 + 50.00 + … + 22.90 (10 款)
    ("江苏省人大常委会办公厅2019年部门预算公开表.pdf", 1642.08, 10),
    # p13: 合计 2,094.58 = 302 2,094.58 = 489.30 + 46.00 + … + 297.08 (14 款)
    ("江苏省委办公厅2018年度部门预算公开表.pdf", 2094.58, 14),
], ids=["jiangsu-npc", "jiangsu-party"])
def test_running_cost_table_is_its_own_type_and_foots(name: str, total: float, n_items: int) -> None:
    """一般公共预算机关运行经费支出预算表 is typed running_cost, not 一般公共预算支出 (功能科目)."""
    from toolkit.extract.document import recognise_tables
    from toolkit.extract.final_accounts import extract_line_items
    from toolkit.extract.grid import make_grid
    from toolkit.extract.table_types import RUNNING_COST, spec

    tables = frames_of(name)["tables"]
    running = tables.filter(pl.col("title").str.contains("机关运行经费"))
    assert running["table_type"].to_list() == ["running_cost"]
    # read the items directly: whether document.py extracts this type is its own business
    raw = load_pdf((REALDOCS / name).read_bytes(), name, Limits())
    rec = next(r for r in recognise_tables(raw) if r.table_type == "running_cost")
    li = pl.DataFrame(extract_line_items(make_grid(rec.rows, rec.row_pages), spec(RUNNING_COST), rec.unit, {}))
    assert _value(li, row_kind="total") == [total]
    assert _value(li, code="302") == [total]
    details = li.filter(pl.col("level") == 2)
    assert details.height == n_items
    assert abs(sum(details["value"]) - total) < 0.005 * n_items
    assert set(li["code_kind"].drop_nulls()) == {"economic"}


@pytest.mark.parametrize("name", ["江苏省人大常委会办公厅2019年部门预算公开表.pdf", "江苏省委办公厅2018年度部门预算公开表.pdf"])
def test_fiscal_expense_table_is_told_from_the_all_funds_expense_table(name: str) -> None:
    tables = frames_of(name)["tables"]
    types = dict(zip(tables["title"].str.replace_all(r"[(（].*", ""), tables["table_type"], strict=True))
    assert types["财政拨款支出预算表"] == "fiscal_expense"
    assert types["支出预算总表"] == "expense"
    assert types["一般公共预算支出预算表"] == "gpb_expense"
    assert types["一般公共预算机关运行经费支出预算表"] == "running_cost"
