"""Real PDFs end to end: loader -> extract_document -> recognised tables whose rows foot.

For every PDF shipped in datasets/realdocs: the standard 决算/预算 tables are recognised
(``frames["tables"].table_type``) and, in every table the extraction made checkable,
the detail rows add up to the table's own total within printed rounding.

The footing rule here is deliberately independent of ``toolkit.checks``:
* 科目 tables: per column, the top-level 科目 rows (类) sum to the 合计 row;
* the 收入支出(预算)总表: per lane, the item rows sum to 本年收入合计 / 本年支出合计.
Tolerance: half a unit of the last printed digit per addend and for the total.

The documents were checked by hand on the rendered pages: every table tested here foots
in print (e.g. 规划和自然资源局 01表 754.75 + 236.63 + 3845.25 + 4461.67 + 461.08 = 9759.38).
So a failure is an extraction defect; the xfail markers name the ones still open.
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

JIANGSU_SUMMARY_XFAIL = pytest.mark.xfail(
    reason="extraction: in the Jiangsu 收支预算总表 the income rows '1.一般公共预算'/'2.政府性基金预算' are "
    "sub-items of '一、财政拨款' but are summed as items (Σ = 3 × 收入合计)",
    strict=False,
)

JUSTICE_SPLIT_CODES_XFAIL = pytest.mark.xfail(
    reason="extraction: 科目编码 printed over three columns 类|款|项 ('204','06','01') are not joined into "
    "one code, and the bottom 合计 row is not a total row, so no 科目 table of this budget is checkable",
    strict=False,
)

# file, expected table types, footing comparisons the extraction must be able to make
DOCUMENTS = [
    ("上海市普陀区规划和自然资源局 2024 年度部门决算.pdf", FINAL_ACCOUNTS_NINE, 12, "planning-final", ()),
    ("中共上海市普陀区委社会工作部 2024 年度部门决算.pdf", FINAL_ACCOUNTS_NINE, 12, "social-work-final", ()),
    ("附件2：部门决算模板.pdf", FINAL_ACCOUNTS_NINE, 0, "final-template", ()),
    ("dept_budget.pdf", SHANGHAI_BUDGET, 6, "justice-budget", (JUSTICE_SPLIT_CODES_XFAIL,)),
    ("江苏省人大常委会办公厅2019年部门预算公开表.pdf", JIANGSU_BUDGET, 4, "jiangsu-npc-budget", (JIANGSU_SUMMARY_XFAIL,)),
    ("江苏省委办公厅2018年度部门预算公开表.pdf", JIANGSU_BUDGET, 4, "jiangsu-party-budget", (JIANGSU_SUMMARY_XFAIL,)),
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


def footing(frames: dict[str, pl.DataFrame]) -> tuple[list[str], list[str]]:
    """(footed, not footed): one line per table column compared."""
    li = frames["line_items"].filter(pl.col("value").is_not_null())
    titles = dict(frames["tables"].select("table_id", "title").iter_rows())
    good: list[str] = []
    bad: list[str] = []
    keys = ["table_id", "table_type", "measure", "section", "lane"]
    for (table_id, table_type, measure, section, lane), g in li.group_by(keys, maintain_order=True):
        totals = g.filter(pl.col("row_kind") == "total")
        if totals.height != 1:
            continue
        if table_type == "income_expense_summary":
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


@pytest.mark.xfail(reason="recognition: '一般公共预算机关运行经费支出预算表' (经济科目 302xx rows) is typed "
                   "gpb_expense; it is the 机关运行经费 table, not the 一般公共预算支出 (功能科目) table", strict=False)
def test_running_cost_table_is_not_taken_for_the_general_budget_expense_table() -> None:
    tables = frames_of("江苏省委办公厅2018年度部门预算公开表.pdf")["tables"]
    running = tables.filter(pl.col("title").str.contains("机关运行经费"))
    assert running.height == 1
    assert running["table_type"][0] != "gpb_expense"
