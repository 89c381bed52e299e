"""The semantic vocabulary of recognised tables: table types, row keys and column measures.

Checks and the synthetic generator speak this vocabulary, never table numbers: the same
table is 公开07表 in one province and 公开09表 in another, so tables are identified by
their title keywords and columns by their header words.

``line_items`` rows carry ``table_type``, ``section`` (side of a two-lane table),
``code`` / ``item_key`` (which row) and ``measure`` (which column).
"""

from __future__ import annotations

# table_type -> description (决算 names; 预算 documents use the same types, told apart by documents.doc_type)
TABLE_TYPES: dict[str, str] = {
    "income_expense_summary": "收入支出决算总表 (national 公开01表): 收入 lane | 支出 lane by 类",
    "income": "收入决算表 (02): 科目 rows × 本年收入合计/财政拨款收入/上级补助/事业/经营/附属单位上缴/其他",
    "expense": "支出决算表 (03): 科目 rows × 本年支出合计/基本支出/项目支出/上缴上级/经营/对附属单位补助",
    "fiscal_summary": "财政拨款收入支出决算总表 (04): 收入 by fund | 支出 by 类 × 合计/一般公共预算/政府性基金/国有资本经营",
    "gpb_expense": "一般公共预算财政拨款支出决算表 (05): 科目 rows × 合计/基本支出/项目支出",
    "gpb_basic_expense": "一般公共预算财政拨款基本支出决算(明细)表 (06): 经济分类 rows in lanes (人员经费 | 公用经费)",
    "sangong": "财政拨款“三公”经费支出决算表: 预算数 and 决算数 × 合计/出国/车辆(购置+运行)/接待",
    "gov_fund": "政府性基金预算财政拨款收入支出决算表",
    "soe_capital": "国有资本经营预算财政拨款(收入)支出决算表",
    "project_expense": "项目支出决算表 (local variant)",
    "fiscal_expense": "财政拨款支出预算表(功能科目) (Jiangsu 公开表五): 科目 rows × 金额/合计/基本/项目, 财政拨款 only",
    "running_cost": "一般公共预算机关运行经费支出预算表: 经济分类 rows × 机关运行经费支出",
    "dept_self_eval": "部门整体支出绩效自评表",
    "project_self_eval": "项目支出绩效自评表",
    "basic_data": "部门整体支出绩效评价基础数据表",
    "score_sheet": "绩效自评指标计分表 (一级/二级/三级指标 × 自评分)",
    "generic": "any other table: kept as cells only",
}

# measures (column keys) per table type
MEASURES: dict[str, tuple[str, ...]] = {
    "income_expense_summary": ("final", "budget"),
    "income": ("total", "fiscal", "upper", "business", "operating", "affiliated", "other"),
    "expense": ("total", "basic", "project", "upper_remit", "operating", "affiliated_subsidy"),
    "fiscal_summary": ("amount", "total", "gpb", "govfund", "soe"),
    "gpb_expense": ("total", "basic", "project"),
    "fiscal_expense": ("total", "basic", "project"),
    "running_cost": ("total",),
    "gpb_basic_expense": ("final", "personnel", "public"),  # 预算 layout: 合计 | 人员经费 | 公用经费 columns
    "sangong": (
        "budget_total", "budget_abroad", "budget_vehicle", "budget_vehicle_purchase",
        "budget_vehicle_operation", "budget_reception",
        "final_total", "final_abroad", "final_vehicle", "final_vehicle_purchase",
        "final_vehicle_operation", "final_reception",
        "budget_running_cost", "final_running_cost",  # 机关运行经费 column of a “三公”经费和机关运行经费 table
    ),
    "gov_fund": ("carryover_begin", "income", "total", "basic", "project", "carryover_end"),
    "soe_capital": ("carryover_begin", "income", "total", "basic", "project", "carryover_end"),
    "project_self_eval": ("budget_initial", "budget_full", "executed", "weight", "exec_rate", "score"),
    "dept_self_eval": ("budget_initial", "budget_full", "executed", "weight", "exec_rate", "score"),
    "basic_data": ("prior_final", "budget", "final"),
}

# item_key for named (code-less) rows
ITEM_KEYS: dict[str, str] = {
    # 01 / 04 income lane
    "income_gpb": "一般公共预算财政拨款收入",
    "income_govfund": "政府性基金预算财政拨款收入",
    "income_soe": "国有资本经营预算财政拨款收入",
    "income_upper": "上级补助收入",
    "income_business": "事业收入",
    "income_operating": "经营收入",
    "income_affiliated": "附属单位上缴收入",
    "income_other": "其他收入",
    "income_fiscal": "财政拨款(收入) of a 预算 总表; its parts (1.一般公共预算 …) are income_gpb/govfund/soe rows of kind 'part'",
    "income_special_account": "财政专户管理资金 (预算 总表 income row)",
    "income_total": "本年收入合计 (预算: 当年收入小计)",
    "use_nonfiscal_balance": "使用非财政拨款结余(含专用结余)",
    "carryover_begin": "年初结转和结余 (04: 年初财政拨款结转和结余; 预算: 上年结转资金)",
    "carryover_begin_gpb": "年初结转和结余: 一般公共预算财政拨款",
    "carryover_begin_govfund": "年初结转和结余: 政府性基金预算财政拨款",
    "carryover_begin_soe": "年初结转和结余: 国有资本经营预算财政拨款",
    "grand_total": "总计 (per section; 预算: the 收入合计/支出合计 below 上年结转/结转下年)",
    # expense lane
    "expense_total": "本年支出合计",
    "balance_distribution": "结余分配",
    "carryover_end": "年末结转和结余 (预算: 结转下年资金)",
    # code-less class rows in 01/04 carry code = the 3-digit 类 code derived from the name
    # tables with 科目 rows
    "total": "合计 row of a 科目 table",
    # 06
    "personnel_total": "人员经费合计",
    "public_total": "公用经费合计",
    # 三公
    "sangong": "the single data row of the 三公 table",
    # 自评表 fund block
    "fund_total": "年度资金总额",
    "fund_current": "其中：当年财政拨款",
    "fund_carryover": "上年结转资金",
    "fund_other": "其他资金",
}

# 政府收支分类 类 codes by name, for 01/04 expense lanes that print names without codes
FUNCTION_CLASS_CODES: dict[str, str] = {
    "一般公共服务": "201",
    "外交": "202",
    "国防": "203",
    "公共安全": "204",
    "教育": "205",
    "科学技术": "206",
    "文化旅游体育与传媒": "207",
    "文化体育与传媒": "207",
    "社会保障和就业": "208",
    "社会保险基金": "209",
    "卫生健康": "210",
    "医疗卫生与计划生育": "210",
    "节能环保": "211",
    "城乡社区": "212",
    "农林水": "213",
    "交通运输": "214",
    "资源勘探工业信息等": "215",
    "资源勘探信息等": "215",
    "商业服务业等": "216",
    "金融": "217",
    "援助其他地区": "219",
    "自然资源海洋气象等": "220",
    "国土海洋气象等": "220",
    "住房保障": "221",
    "粮油物资储备": "222",
    "国有资本经营预算": "223",
    "灾害防治及应急管理": "224",
    "其他": "229",
    "债务还本": "231",
    "债务付息": "232",
    "债务发行费用": "233",
}

INDICATOR_ROW_KINDS = ("indicator", "budget_execution", "total")
