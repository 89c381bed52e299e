"""Golden tests on the real seed documents. Every expected value below was read off the
document by hand (line numbers refer to the seed text files in datasets/seeds/)."""

from __future__ import annotations

import polars as pl
import pytest

from tests.helpers import extract_text_file, seed_path


@pytest.fixture(scope="module")
def seed004() -> dict[str, pl.DataFrame]:
    return extract_text_file(seed_path("004"))


def _items(frames, table_type: str) -> pl.DataFrame:
    return frames["line_items"].filter(pl.col("table_type") == table_type)


def test_seed004_all_nine_final_account_tables(seed004):
    types = seed004["tables"]["table_type"].to_list()
    for t in ("income_expense_summary", "income", "expense", "fiscal_summary", "gpb_expense",
              "gpb_basic_expense", "gov_fund", "soe_capital", "sangong"):
        assert types.count(t) == 1, t
    assert types.count("project_self_eval") == 5
    assert types.count("dept_self_eval") == 1
    assert types.count("basic_data") == 1
    assert set(seed004["tables"]["unit"].drop_nulls()) == {"万元"}


@pytest.mark.parametrize("table_type", ["income", "expense"])
def test_seed004_income_and_expense_have_13_subjects_totalling_362_62(seed004, table_type):
    totals = _items(seed004, table_type).filter(pl.col("measure") == "total")
    subjects = totals.filter(pl.col("code").is_not_null())
    assert subjects.height == 13
    assert subjects["code"].str.len_chars().unique().to_list() == [7]
    grand = totals.filter(pl.col("item_key") == "total")["value"].to_list()
    assert grand == [362.62]
    assert round(subjects["value"].sum(), 2) == 362.62


def test_seed004_expense_splits_basic_and_project(seed004):
    total_row = _items(seed004, "expense").filter(pl.col("item_key") == "total")
    by_measure = dict(zip(total_row["measure"], total_row["value"], strict=True))
    assert by_measure == {"total": 362.62, "basic": 122.83, "project": 239.79}
    # lines 169/164: 2101501 行政运行 105.6 = 0 + 105.6; 2101101 行政单位医疗 12.54 = 2.11 + 10.43
    row = _items(seed004, "expense").filter(pl.col("code") == "2101101")
    assert dict(zip(row["measure"], row["value"], strict=True)) == {"total": 12.54, "basic": 2.11, "project": 10.43}


def test_seed004_basic_expense_personnel_and_public(seed004):
    t06 = _items(seed004, "gpb_basic_expense")
    keyed = dict(zip(t06["item_key"], t06["value"], strict=False))
    assert keyed["personnel_total"] == 104.09
    assert keyed["public_total"] == 18.74
    classes = dict(t06.filter(pl.col("level") == 1).select("code", "value").iter_rows())
    assert classes == {"301": 95.22, "302": 18.74, "303": 8.87, "307": 0.0, "310": 0.0, "399": 0.0}
    assert t06.filter(pl.col("code") == "30239")["value"].to_list() == [5.35]


def test_seed004_sangong_budget_2_final_0_89(seed004):
    sg = dict(_items(seed004, "sangong").select("measure", "value").iter_rows())
    assert sg["budget_total"] == 2 and sg["final_total"] == 0.89
    assert sg["budget_reception"] == 2 and sg["final_reception"] == 0.89
    assert sg["final_abroad"] == 0 and sg["final_vehicle"] == 0


def test_seed004_summary_tables_by_class(seed004):
    t01 = _items(seed004, "income_expense_summary")
    expense_classes = dict(t01.filter((pl.col("section") == "expense") & pl.col("code").is_not_null())
                           .select("code", "value").iter_rows())
    assert expense_classes == {"208": 17.64, "210": 329.85, "221": 15.13}
    keyed = t01.filter(pl.col("item_key").is_not_null()).select("section", "item_key", "value").rows()
    assert ("income", "income_gpb", 362.62) in keyed
    assert ("income", "grand_total", 362.62) in keyed and ("expense", "grand_total", 362.62) in keyed
    t04 = _items(seed004, "fiscal_summary").filter(pl.col("code") == "210")
    assert dict(t04.select("measure", "value").iter_rows()) == {"total": 329.85, "gpb": 329.85}


def test_seed004_self_evaluation_indicator_rows(seed004):
    ind = seed004["indicators"]
    tables = seed004["tables"]
    dept = tables.filter(pl.col("table_type") == "dept_self_eval")["table_id"].to_list()
    assert ind.filter((pl.col("table_id") == dept[0]) & (pl.col("row_kind") == "indicator")).height == 9
    projects = tables.filter(pl.col("table_type") == "project_self_eval").sort("table_id")
    counts = [
        ind.filter((pl.col("table_id") == t) & (pl.col("row_kind") == "indicator")).height
        for t in projects["table_id"]
    ]
    assert counts == [8, 10, 10, 9, 8]
    assert projects["project"].to_list() == [
        "离休人员医药费", "2022年城乡居民医疗救助区级财政配套资金", "2022年中央财政医疗救助补助资金",
        "区级扶贫捐款专项资金", "医保工作专项经费",
    ]
    rows = ind.filter(pl.col("row_kind") == "indicator")
    assert rows["weight"].null_count() == 0 and rows["score"].null_count() == 0


def test_seed004_poverty_fund_table_scores(seed004):
    """区级扶贫捐款专项资金 (lines 714-733): 执行率 得分 2, indicator scores add to 80, 总分 printed 87."""
    ind = seed004["indicators"].filter(pl.col("project") == "区级扶贫捐款专项资金")
    by_kind = {k: g for (k,), g in ind.group_by("row_kind")}
    assert by_kind["budget_execution"]["score"].to_list() == [2.0]
    assert by_kind["indicator"]["score"].sum() == 80
    assert by_kind["total"]["score"].to_list() == [87.0]
    row = by_kind["indicator"].filter(pl.col("level3") == "推动再救助减轻负担成本")
    assert row.select("target_op", "target_value", "actual_value", "weight", "score").row(0) == (">=", 70.0, 60.0, 5.0, 0.0)
    fund = seed004["line_items"].filter((pl.col("item_key") == "fund_total") & (pl.col("table_id") == ind["table_id"][0]))
    assert dict(fund.select("measure", "value").iter_rows()) == {
        "budget_initial": 6.98, "budget_full": 6.98, "executed": 1.4, "weight": 10, "exec_rate": 20, "score": 2,
    }


def test_seed004_goals_become_passages(seed004):
    from_tables = seed004["passages"].filter(pl.col("passage_id").str.contains(":g"))
    goals = from_tables.filter(pl.col("role").is_in(["goal_expected", "goal_actual"]))
    assert goals.height == from_tables.height == 12  # 6 自评表 × (预期, 实际)
    lixiu = goals.filter(pl.col("project") == "离休人员医药费")
    assert set(lixiu["text"]) == {"做好全区离休干部医药待遇支出保障工作"}


def test_seed002_score_sheet_17_indicators_total_99_3():
    frames = extract_text_file(seed_path("002"))
    ind = frames["indicators"]
    rows = ind.filter(pl.col("row_kind") == "indicator")
    assert rows.height == 17
    assert round(rows["score"].sum(), 1) == 99.3
    assert rows["weight"].sum() == 100
    assert ind.filter(pl.col("row_kind") == "total")["score"].to_list() == [99.3]
    # 预算执行率 (4分) scored 3.8; 管理制度健全性 (4分) scored 3.5
    assert rows.filter(pl.col("level3").str.contains("预算执行率")).select("weight", "score").row(0) == (4.0, 3.8)
    assert rows.filter(pl.col("level3").str.contains("管理制度")).select("weight", "score").row(0) == (4.0, 3.5)
    level1 = rows.group_by("level1").agg(pl.col("level1_weight").first(), pl.col("weight").sum())
    assert dict(level1.select("level1", "level1_weight").iter_rows()) == {"决策": 20, "过程": 20, "产出": 40, "效益": 20}


def test_seed003_township_table_6_rows_by_6_amount_columns():
    frames = extract_text_file(seed_path("003"))
    cells = frames["cells"].filter(pl.col("value").is_not_null())
    shape = cells.group_by("row").agg(pl.len()).sort("row")
    assert shape.height == 6 and shape["len"].to_list() == [6] * 6
    total = cells.filter(pl.col("row_label") == "6个镇街合计").sort("col")
    assert total["value"].to_list() == [487632.0, 8600.0, 62462.0, 366202.0, 437264.0, 50368.0]
    assert set(total["unit"]) == {"元"}


def test_seed004_basic_data_table(seed004):
    """基础数据表 (lines 574-599): 项目支出 140.07/119.34 with five projects; 三公 2.4/2/0.89."""
    bd = _items(seed004, "basic_data")
    projects = bd.filter((pl.col("section") == "project") & (pl.col("row_kind") == "item"))
    budgets = dict(projects.filter(pl.col("measure") == "budget").select("name", "value").iter_rows())
    assert budgets == {"医保工作经费": 40, "离休人员医疗费": 25, "2022年城乡居民医疗救助区级财政配套资金": 8.87,
                       "2022年中央财政医疗救助补助资金": 59.22, "区级扶贫捐款专项资金": 6.98}
    total = bd.filter(pl.col("item_key") == "project_total")
    assert dict(total.select("measure", "value").iter_rows()) == {"budget": 140.07, "final": 119.34}
    sangong = bd.filter(pl.col("item_key") == "sangong")
    assert dict(sangong.select("measure", "value").iter_rows()) == {"prior_final": 2.4, "budget": 2, "final": 0.89}
