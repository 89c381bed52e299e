"""Every recognised table type, declared once: key, Chinese name, title rules, header fallbacks,
measures, row keys and extractor.

Recognition (``toolkit.extract.recognize``) reads the title and header rules, extraction
(``toolkit.extract.document``) the extractor and grid settings, line-item extraction
(``toolkit.extract.final_accounts``) the measure words and layout flags, and checks and
reports the Chinese names (:func:`table_names`). Adding a table type is one :class:`TableType`
in :data:`TABLE_TYPES` plus, when no existing extractor reads it, an extractor function.

Local variants renumber and rename the 决算 tables (10–15 tables, 按单位/按科目 splits,
公开07表 being 三公 in one province and 政府性基金 in another), so a type is never a table
number: it comes from the words of the title, or, when no title is found, from the header.

Title rules of all types are tried in ``rank`` order (lower first); the first whose words
all appear (and none of its excluded words) wins. The rank is global because rules of
different types overlap (a 三公 table that also names 机关运行经费 is 三公), so a new rule
is placed by choosing its rank between the rules it must come after and before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from toolkit.extract import basic_data, final_accounts, selfeval
from toolkit.extract.grid import Grid

# --- keys (the values stored in ``tables.table_type`` / ``line_items.table_type``) -----------
INCOME_EXPENSE_SUMMARY = "income_expense_summary"
INCOME = "income"
EXPENSE = "expense"
FISCAL_SUMMARY = "fiscal_summary"
GPB_EXPENSE = "gpb_expense"
GPB_BASIC_EXPENSE = "gpb_basic_expense"
SANGONG = "sangong"
GOV_FUND = "gov_fund"
SOE_CAPITAL = "soe_capital"
PROJECT_EXPENSE = "project_expense"
FISCAL_EXPENSE = "fiscal_expense"
RUNNING_COST = "running_cost"
DEPT_SELF_EVAL = "dept_self_eval"
PROJECT_SELF_EVAL = "project_self_eval"
BASIC_DATA = "basic_data"
SCORE_SHEET = "score_sheet"
GENERIC = "generic"  # any other table: kept as cells only


@dataclass(frozen=True, slots=True)
class TitleRule:
    """All of ``all_of`` and none of ``none_of`` appear in the squashed title."""

    rank: int
    all_of: tuple[str, ...]
    none_of: tuple[str, ...] = ()

    def matches(self, title: str) -> bool:
        return all(w in title for w in self.all_of) and not any(w in title for w in self.none_of)


@dataclass(frozen=True, slots=True)
class HeaderRule:
    """Fallback when no title was found: each group of ``any_of`` has a word in the header text,
    and none of ``none_of`` appears. Tried in ``rank`` order across types, like title rules."""

    rank: int
    any_of: tuple[tuple[str, ...], ...]
    none_of: tuple[str, ...] = ()

    def matches(self, text: str) -> bool:
        return all(any(w in text for w in group) for group in self.any_of) and not any(w in text for w in self.none_of)


# (measure key, words): a column whose deepest header label holds one of the words; first match wins
MeasureWords = tuple[tuple[str, tuple[str, ...]], ...]
# what a column is when no measure word matched: (joined header path, deepest label) -> measure
MeasureFallback = Callable[[str, str], str | None]


class Extractor(Protocol):
    """Reads one recognised table: ``base`` holds the fields every output row starts with
    (document, table, type, page), ``project`` the project a 自评表 names. Returns rows by frame:
    ``line_items``, ``indicators`` and ``goals`` (the goal passages of a 自评表)."""

    def __call__(
        self, grid: Grid, spec: TableType, unit: str | None, base: dict, project: str | None
    ) -> dict[str, list[dict]]: ...


@dataclass(frozen=True, slots=True)
class TableType:
    key: str
    name: str  # Chinese name, shown when a table's own title is not at hand
    description: str
    family: str  # final_accounts | self_eval | basic_data | score_sheet | generic
    title_rules: tuple[TitleRule, ...] = ()
    header_rules: tuple[HeaderRule, ...] = ()
    measures: tuple[str, ...] = ()  # the measure keys its line_items may carry
    measure_words: MeasureWords = ()
    measure_fallback: MeasureFallback | None = None
    row_keys: tuple[str, ...] = ()  # the item_key values of its named rows
    extract: Extractor | None = None
    header_rows: int | None = None  # None: the grid finds its header rows; 0: the grid has none
    extract_header_rows: int | None = None  # the extractor wants another header setting than the cells
    code_kind: str = "function"  # what the 科目编码 of its rows classify: function | economic
    summary: bool = False  # a 总表: named rows in lanes (收入 | 支出), 1./2. parts under 一、/二、
    staff_summaries: bool = False  # '人员经费合计 … 公用经费合计 …' rows between its lanes (06)
    names_project: bool = False  # the grid names the project it evaluates (自评表)


# words of tables that name 支出 but are not 科目 × amount tables (政府采购预算表, 项目绩效目标表)
_NOT_AMOUNT_TABLES = ("采购", "绩效目标")
_CODED = ("科目编码", "科目代码")

_EXPENSE_WORDS: MeasureWords = (
    ("basic", ("基本支出",)),
    ("project", ("项目支出",)),
    ("upper_remit", ("上缴上级",)),
    ("operating", ("经营支出",)),
    ("affiliated_subsidy", ("附属单位",)),
    ("total", ("合计", "小计", "本年支出", "支出总计", "总计")),
)
_EXPENSE_MEASURES = ("total", "basic", "project", "upper_remit", "operating", "affiliated_subsidy")
_FUND_WORDS: MeasureWords = (
    ("carryover_begin", ("年初",)),
    ("carryover_end", ("年末",)),
    ("basic", ("基本支出",)),
    ("project", ("项目支出",)),
    ("income", ("本年收入",)),
    ("total", ("小计", "合计", "本年支出")),
)
_FUND_MEASURES = ("carryover_begin", "income", "total", "basic", "project", "carryover_end")
_SELF_EVAL_MEASURES = ("budget_initial", "budget_full", "executed", "weight", "exec_rate", "score")

# item_key of the named (code-less) rows a 决算/预算 table may print (see final_accounts.named_row_key)
NAMED_ROW_KEYS = (
    "income_gpb", "income_govfund", "income_soe", "income_upper", "income_business", "income_operating",
    "income_affiliated", "income_other", "income_fiscal", "income_special_account", "income_total",
    "use_nonfiscal_balance", "carryover_begin", "carryover_begin_gpb", "carryover_begin_govfund",
    "carryover_begin_soe", "grand_total", "expense_total", "balance_distribution", "carryover_end", "total",
)


def _final(key: str, name: str, description: str, **kw) -> TableType:
    kw.setdefault("extract", final_accounts.extract_line_item_table)
    kw.setdefault("row_keys", NAMED_ROW_KEYS)
    return TableType(key, name, description, "final_accounts", **kw)


TABLE_TYPES: tuple[TableType, ...] = (
    TableType(
        SCORE_SHEET, "绩效自评指标计分表", "绩效自评指标计分表 (一级/二级/三级指标 × 自评分)", "score_sheet",
        title_rules=(TitleRule(10, ("计分表",)), TitleRule(20, ("评分表",), ("自评表",))),
        header_rules=(HeaderRule(10, (("三级指标",), ("自评分",)), ("年度指标值",)),),
        extract=selfeval.extract_score_sheet_table,
    ),
    TableType(
        BASIC_DATA, "部门整体支出绩效评价基础数据表", "部门整体支出绩效评价基础数据表", "basic_data",
        title_rules=(TitleRule(30, ("基础数据表",)),),
        measures=("prior_final", "budget", "final"),
        row_keys=("sangong", "project_total", "public_total", "basic_total"),
        extract=basic_data.extract_basic_data_table, extract_header_rows=0,
    ),
    TableType(
        PROJECT_SELF_EVAL, "项目支出绩效自评表", "项目支出绩效自评表", "self_eval",
        title_rules=(TitleRule(40, ("项目支出绩效自评表",)), TitleRule(50, ("项目", "绩效自评表"), ("整体",))),
        header_rules=(
            HeaderRule(30, (("三级指标", "年度指标值"), ("分值", "得分", "权重"))),
            HeaderRule(40, (("项目支出名称",),)),
            HeaderRule(41, (("项目名称",), ("年度资金总额",))),
        ),
        measures=_SELF_EVAL_MEASURES, row_keys=selfeval.FUND_ROW_KEYS,
        extract=selfeval.extract_selfeval_table, header_rows=0, names_project=True,
    ),
    TableType(
        DEPT_SELF_EVAL, "部门整体支出绩效自评表", "部门整体支出绩效自评表", "self_eval",
        title_rules=(TitleRule(60, ("整体支出绩效自评表",)), TitleRule(70, ("整体", "绩效自评表"))),
        # before the project rule of the same words (rank 30): 部门名称/整体 tell the 部门整体 table
        header_rules=(HeaderRule(20, (("三级指标", "年度指标值"), ("分值", "得分", "权重"), ("部门名称", "整体"))),),
        measures=_SELF_EVAL_MEASURES, row_keys=selfeval.FUND_ROW_KEYS,
        extract=selfeval.extract_selfeval_table, header_rows=0, names_project=True,
    ),
    _final(
        SANGONG, "财政拨款“三公”经费支出决算表",
        "财政拨款“三公”经费支出决算表: 预算数 and 决算数 × 合计/出国/车辆(购置+运行)/接待",
        title_rules=(TitleRule(80, ("三公",)),),
        measures=final_accounts.SANGONG_MEASURES, row_keys=(final_accounts.SANGONG_ROW,),
        extract=final_accounts.extract_sangong_table,
    ),
    _final(
        RUNNING_COST, "一般公共预算机关运行经费支出预算表",
        "一般公共预算机关运行经费支出预算表: 经济分类 rows × 机关运行经费支出",
        # 经济分类 rows; a 三公 table that also names 机关运行经费 is 三公 (rank 80 comes first)
        title_rules=(TitleRule(90, ("机关运行经费",), ("三公",)),),
        measures=("total",), measure_fallback=final_accounts.every_column_is_total, code_kind="economic",
    ),
    _final(
        GOV_FUND, "政府性基金预算财政拨款收入支出决算表", "政府性基金预算财政拨款收入支出决算表",
        title_rules=(TitleRule(100, ("政府性基金",)),),
        measures=_FUND_MEASURES, measure_words=_FUND_WORDS, measure_fallback=final_accounts.income_by_header_path,
    ),
    _final(
        SOE_CAPITAL, "国有资本经营预算财政拨款支出决算表", "国有资本经营预算财政拨款(收入)支出决算表",
        title_rules=(TitleRule(110, ("国有资本经营",)),),
        measures=_FUND_MEASURES, measure_words=_FUND_WORDS, measure_fallback=final_accounts.income_by_header_path,
    ),
    _final(
        GPB_BASIC_EXPENSE, "一般公共预算财政拨款基本支出决算表",
        "一般公共预算财政拨款基本支出决算(明细)表 (06): 经济分类 rows in lanes (人员经费 | 公用经费)",
        title_rules=(TitleRule(120, ("基本支出",), ("项目支出",)),),
        # 预算 layout: 合计 | 人员经费 | 公用经费 columns (the 决算 layout prints them as lanes instead)
        measures=("final", "budget", "personnel", "public"), measure_fallback=final_accounts.staff_or_stage,
        row_keys=(*NAMED_ROW_KEYS, "personnel_total", "public_total"), code_kind="economic", staff_summaries=True,
    ),
    _final(
        FISCAL_SUMMARY, "财政拨款收入支出决算总表",
        "财政拨款收入支出决算总表 (04): 收入 by fund | 支出 by 类 × 合计/一般公共预算/政府性基金/国有资本经营",
        # matched on fragments that survive a dropped first character ("四、政拨款收入支出决算总表")
        title_rules=(TitleRule(130, ("拨款收入支出",)), TitleRule(140, ("拨款收支",))),
        measures=("amount", "total", "gpb", "govfund", "soe"),
        measure_words=(
            ("gpb", ("一般公共预算",)),
            ("govfund", ("政府性基金",)),
            ("soe", ("国有资本",)),
            ("total", ("合计", "小计")),
            ("amount", ("金额", "决算数", "预算数")),
        ),
        summary=True,
    ),
    _final(
        GPB_EXPENSE, "一般公共预算财政拨款支出决算表", "一般公共预算财政拨款支出决算表 (05): 科目 rows × 合计/基本支出/项目支出",
        title_rules=(TitleRule(150, ("公共预算", "支出"), _NOT_AMOUNT_TABLES),),
        header_rules=(HeaderRule(62, (_CODED, ("基本支出",), ("项目支出",))),),
        measures=_EXPENSE_MEASURES, measure_words=_EXPENSE_WORDS, measure_fallback=final_accounts.amount_is_total,
    ),
    _final(
        INCOME_EXPENSE_SUMMARY, "收入支出决算总表", "收入支出决算总表 (national 公开01表): 收入 lane | 支出 lane by 类",
        title_rules=(TitleRule(160, ("收入支出", "总表")), TitleRule(170, ("收支", "总表"))),
        measures=("final", "budget"), measure_fallback=final_accounts.stage_of_column, summary=True,
    ),
    _final(
        FISCAL_EXPENSE, "财政拨款支出预算表",
        "财政拨款支出预算表(功能科目) (Jiangsu 公开表五): 科目 rows × 金额/合计/基本/项目, 财政拨款 only",
        # 财政拨款 only, beside the all-funds 支出(预算)总表
        title_rules=(TitleRule(180, ("财政拨款", "支出", "表"), ("收入", "基本支出", *_NOT_AMOUNT_TABLES)),),
        measures=_EXPENSE_MEASURES, measure_words=_EXPENSE_WORDS, measure_fallback=final_accounts.amount_is_total,
    ),
    _final(
        PROJECT_EXPENSE, "项目支出决算表", "项目支出决算表 (local variant)",
        title_rules=(TitleRule(190, ("项目支出", "表"), ("绩效",)),),
        measures=_EXPENSE_MEASURES, measure_words=_EXPENSE_WORDS, measure_fallback=final_accounts.amount_is_total,
    ),
    _final(
        INCOME, "收入决算表", "收入决算表 (02): 科目 rows × 本年收入合计/财政拨款收入/上级补助/事业/经营/附属单位上缴/其他",
        title_rules=(
            TitleRule(200, ("收入", "表"), ("支出",)),
            TitleRule(240, ("入决算表",), ("支出",)),
            TitleRule(250, ("入预算表",), ("支出",)),
        ),
        header_rules=(HeaderRule(60, (_CODED, ("财政拨款收入", "上级补助收入"))),),
        measures=("total", "fiscal", "upper", "business", "operating", "affiliated", "other"),
        measure_words=(
            ("fiscal", ("财政拨款",)),
            ("upper", ("上级补助",)),
            ("business", ("事业收入",)),
            ("operating", ("经营收入",)),
            ("affiliated", ("附属单位",)),
            ("other", ("其他收入",)),
            ("total", ("合计", "小计", "收入总计", "本年收入")),
        ),
    ),
    _final(
        EXPENSE, "支出决算表", "支出决算表 (03): 科目 rows × 本年支出合计/基本支出/项目支出/上缴上级/经营/对附属单位补助",
        title_rules=(
            TitleRule(210, ("支出", "表"), ("收入", *_NOT_AMOUNT_TABLES)),
            TitleRule(220, ("出决算表",), ("收入", *_NOT_AMOUNT_TABLES)),
            TitleRule(230, ("出预算表",), ("收入", *_NOT_AMOUNT_TABLES)),
        ),
        header_rules=(HeaderRule(61, (_CODED, ("上缴上级支出", "对附属单位补助"))),),
        measures=_EXPENSE_MEASURES, measure_words=_EXPENSE_WORDS, measure_fallback=final_accounts.amount_is_total,
    ),
    TableType(GENERIC, "其他表格", "any other table: kept as cells only", "generic"),
)

BY_KEY: dict[str, TableType] = {t.key: t for t in TABLE_TYPES}


def spec(key: str) -> TableType:
    """The spec of ``key`` (an unknown key reads as a generic table)."""
    return BY_KEY.get(key, BY_KEY[GENERIC])


def table_names() -> dict[str, str]:
    """table_type -> Chinese name, for every type but ``generic``."""
    return {t.key: t.name for t in TABLE_TYPES if t.key != GENERIC}


TITLE_RULES: tuple[tuple[TitleRule, str], ...] = tuple(
    sorted(((r, t.key) for t in TABLE_TYPES for r in t.title_rules), key=lambda rk: rk[0].rank)
)
HEADER_RULES: tuple[tuple[HeaderRule, str], ...] = tuple(
    sorted(((r, t.key) for t in TABLE_TYPES for r in t.header_rules), key=lambda rk: rk[0].rank)
)


def _check_ranks() -> None:
    for rules in (TITLE_RULES, HEADER_RULES):
        ranks = [r.rank for r, _ in rules]
        if len(ranks) != len(set(ranks)):
            raise ValueError(f"two rules share a rank: {sorted(ranks)}")


_check_ranks()
