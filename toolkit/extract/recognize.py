"""Which table is this? Recognise tables by title keywords, then by header words — never by number.

Local variants renumber and rename the 决算 tables (10–15 tables, 按单位/按科目 splits,
公开07表 being 三公 in one province and 政府性基金 in another), so a table's type comes
from the words of its title, or, when no title is found, from its column headers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from toolkit.normalize.text import squash

# Lines above a table that are not its title. A bare table number ("公开01表", "公开表十二") is
# noise; "公开01表：收支预算总表" is a title behind a number (see TABLE_NUMBER_PREFIX).
TITLE_NOISE = re.compile(
    r"^(公开\d+表[:：]?$|公开表[一二三四五六七八九十\d]+$|单位[:：]|金额单位|部门[:：]|单位名称|编制单位|编制部门|注[:：]|说明[:：]|填表|备注)"
)
TABLE_NUMBER_PREFIX = re.compile(r"^公开\d+表[:：]?|^公开表[一二三四五六七八九十]+[:：]?")


@dataclass(frozen=True, slots=True)
class TitleRule:
    table_type: str
    all_of: tuple[str, ...]
    none_of: tuple[str, ...] = ()


# words of tables that name 支出 but are not 科目 × amount tables (政府采购预算表, 项目绩效目标表)
_NOT_AMOUNT_TABLES = ("采购", "绩效目标")

# Ordered: the first rule whose words all appear (and none of its excluded words) wins.
TITLE_RULES: tuple[TitleRule, ...] = (
    TitleRule("score_sheet", ("计分表",)),
    TitleRule("score_sheet", ("评分表",), ("自评表",)),
    TitleRule("basic_data", ("基础数据表",)),
    TitleRule("project_self_eval", ("项目支出绩效自评表",)),
    TitleRule("project_self_eval", ("项目", "绩效自评表"), ("整体",)),
    TitleRule("dept_self_eval", ("整体支出绩效自评表",)),
    TitleRule("dept_self_eval", ("整体", "绩效自评表")),
    TitleRule("sangong", ("三公",)),
    # 一般公共预算机关运行经费支出预算表: 经济分类 rows; a 三公 table that also names 机关运行经费 is 三公
    TitleRule("running_cost", ("机关运行经费",), ("三公",)),
    TitleRule("gov_fund", ("政府性基金",)),
    TitleRule("soe_capital", ("国有资本经营",)),
    TitleRule("gpb_basic_expense", ("基本支出",), ("项目支出",)),
    # matched on fragments that survive a dropped first character ("四、政拨款收入支出决算总表")
    TitleRule("fiscal_summary", ("拨款收入支出",)),
    TitleRule("fiscal_summary", ("拨款收支",)),
    TitleRule("gpb_expense", ("公共预算", "支出"), _NOT_AMOUNT_TABLES),
    TitleRule("income_expense_summary", ("收入支出", "总表")),
    TitleRule("income_expense_summary", ("收支", "总表")),
    # 财政拨款支出预算表(功能科目) (Jiangsu 公开表五): 财政拨款 only, beside the all-funds 支出(预算)总表
    TitleRule("fiscal_expense", ("财政拨款", "支出", "表"), ("收入", "基本支出", *_NOT_AMOUNT_TABLES)),
    TitleRule("project_expense", ("项目支出", "表"), ("绩效",)),
    TitleRule("income", ("收入", "表"), ("支出",)),
    TitleRule("expense", ("支出", "表"), ("收入", *_NOT_AMOUNT_TABLES)),
    TitleRule("expense", ("出决算表",), ("收入", *_NOT_AMOUNT_TABLES)),
    TitleRule("expense", ("出预算表",), ("收入", *_NOT_AMOUNT_TABLES)),
    TitleRule("income", ("入决算表",), ("支出",)),
    TitleRule("income", ("入预算表",), ("支出",)),
)

TITLE_HINT_WORDS = ("决算", "预算", "表")


def classify_title(title: str) -> str | None:
    t = TABLE_NUMBER_PREFIX.sub("", squash(title))
    if not t or TITLE_NOISE.match(t):
        return None
    if not any(w in t for w in TITLE_HINT_WORDS):
        return None
    if len(t) > 60:  # running text that merely mentions a table
        return None
    for rule in TITLE_RULES:
        if all(w in t for w in rule.all_of) and not any(w in t for w in rule.none_of):
            return rule.table_type
    return None


def classify_header(labels: list[str], first_rows: list[list[str]]) -> str | None:
    """Fallback when no title was found: decide from header words."""
    text = squash("".join(labels) + "".join("".join(r) for r in first_rows))
    if "三级指标" in text and ("自评分" in text) and "年度指标值" not in text:
        return "score_sheet"
    if ("三级指标" in text or "年度指标值" in text) and ("分值" in text or "得分" in text or "权重" in text):
        return "dept_self_eval" if "部门名称" in text or "整体" in text else "project_self_eval"
    if "项目支出名称" in text or ("项目名称" in text and "年度资金总额" in text):
        return "project_self_eval"
    if "科目编码" in text or "科目代码" in text:
        if "财政拨款收入" in text or "上级补助收入" in text:
            return "income"
        if "上缴上级支出" in text or "对附属单位补助" in text:
            return "expense"
        if "基本支出" in text and "项目支出" in text:
            return "gpb_expense"
    return None
