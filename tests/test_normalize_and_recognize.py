"""Number normalisation and table-title recognition on forms seen in real documents."""

from __future__ import annotations

import pytest

from toolkit.extract.recognize import classify_title
from toolkit.normalize.numbers import parse_number


@pytest.mark.parametrize(
    ("raw", "value", "decimals", "unit", "op"),
    [
        ("362.62", 362.62, 2, None, None),
        ("25,754,899.39", 25754899.39, 2, None, None),  # 大关县 01表, comma separators
        ("55 951.65万人", 55951.65, 2, "万人", None),  # space separators (审计署 公告)
        ("3543.206", 3543.206, 3, None, None),  # 长安区: 万元 with 3 decimals
        ("663萬", 663.0, 0, "万", None),  # traditional 萬 (临河)
        ("27,362.00?", 27362.0, 2, None, None),  # replacement character after the number
        ("≥85%", 85.0, 0, "%", ">="),
        ("》80%", 80.0, 0, "%", ">="),  # mistyped ≥ in a real 自评表
        ("≥100百分比", 100.0, 0, "%", ">="),  # 棠溪镇
        ("不低于90%", 90.0, 0, "%", ">="),
        ("60%以上", 60.0, 0, "%", ">="),
        ("≤5天", 5.0, 0, "天", "<="),
        ("１２３．４５", 123.45, 2, None, None),  # full-width digits
        ("三", 3.0, 0, None, None),  # Chinese numeral count
        ("8.86万", 8.86, 2, "万", None),
    ],
)
def test_parse_number(raw, value, decimals, unit, op):
    n = parse_number(raw)
    assert n is not None
    assert (n.value, n.decimals, n.unit, n.op) == (value, decimals, unit, op)


@pytest.mark.parametrize("raw", ["", "  ", "-", "—", "/", "无", "2023年12月31日前", "逐步扩大", "持续"])
def test_blank_and_non_numbers_are_null_not_zero(raw):
    assert parse_number(raw) is None


def test_scale_to_base_unit():
    n = parse_number("1384.75万元")
    assert n.base_unit == "元" and n.scale == 1e4 and n.base_value == pytest.approx(13847500.0)
    assert parse_number("0.89", default_unit="万元").scale == 1e4
    assert parse_number("12.5").half_unit == 0.05


@pytest.mark.parametrize(
    ("title", "table_type"),
    [
        ("收入支出决算总表", "income_expense_summary"),
        ("部门收支总表", "income_expense_summary"),
        ("一、收支预算总表", "income_expense_summary"),
        ("收入决算表", "income"),
        ("三、出决算表", "expense"),  # dropped first character (海原卫生院 2023)
        ("四、政拨款收入支出决算总表", "fiscal_summary"),  # dropped first character
        ("财政拨款收支预算总表", "fiscal_summary"),
        ("六、般公共预算财政拨款支出决算表", "gpb_expense"),  # dropped first character
        ("一般公共预算支出功能分类预算表", "gpb_expense"),
        ("一般公共预算财政拨款基本支出决算明细表", "gpb_basic_expense"),
        ("财政拨款“三公”经费支出决算表", "sangong"),
        ("政府性基金预算财政拨款收入支出决算表", "gov_fund"),
        ("国有资本经营预算财政拨款支出决算表", "soe_capital"),
        ("项目支出决算表", "project_expense"),
        ("2023 年度项目支出绩效自评表", "project_self_eval"),
        ("2023 年度部门整体支出绩效自评表", "dept_self_eval"),
        ("2023 年度部门整体支出绩效评价基础数据表", "basic_data"),
        ("2021年度项目支出绩效自评指标计分表", "score_sheet"),
        ("公开01表：收支预算总表", "income_expense_summary"),  # a table number before the title
        ("公开08表 “三公”经费和机关运行经费预算表", "sangong"),
        ("一般公共预算机关运行经费支出预算表", "running_cost"),  # Jiangsu 公开表十一: 经济分类 rows
        ("财政拨款支出预算表（功能科目）", "fiscal_expense"),  # Jiangsu 公开表五
        ("2019年政府采购预算表", None),
        ("2024年部门预算项目绩效目标表", None),
    ],
)
def test_classify_title(title, table_type):
    assert classify_title(title) == table_type


@pytest.mark.parametrize("text", ["单位：万元", "公开 01 表", "公开表十二", "编制部门：上海市普陀区司法局 单位：元", "注：本表反映部门本年度一般公共预算财政拨款基本支出明细情况。",
                                  "部门：岳阳市屈原管理区医疗保障局", "本部门2023年度一般公共预算财政拨款支出决算数为362.62万元，较上年减少，主要原因是三级经办下沉到乡镇，相关经费不再列入本部门预算。"])
def test_non_titles_are_not_tables(text):
    assert classify_title(text) is None
