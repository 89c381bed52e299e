"""Chinese words for the machine values an auditor reads: read statuses, coverage reasons, table types.

The machine value stays beside its translation (``已读取（ok）``), so a reader can still search the
CSV files and the docs for it. A reason without a translation is shown as it is: a new reason
added by a check is never hidden, only left untranslated.
"""

from __future__ import annotations

import re

# GB/T 2260: the first two digits of a region code name the province
PROVINCES: dict[str, str] = {
    "11": "北京", "12": "天津", "13": "河北", "14": "山西", "15": "内蒙古", "21": "辽宁", "22": "吉林",
    "23": "黑龙江", "31": "上海", "32": "江苏", "33": "浙江", "34": "安徽", "35": "福建", "36": "江西",
    "37": "山东", "41": "河南", "42": "湖北", "43": "湖南", "44": "广东", "45": "广西", "46": "海南",
    "50": "重庆", "51": "四川", "52": "贵州", "53": "云南", "54": "西藏", "61": "陕西", "62": "甘肃",
    "63": "青海", "64": "宁夏", "65": "新疆", "71": "台湾", "81": "香港", "82": "澳门",
}

READ_STATUS_LABELS: dict[str, str] = {
    "ok": "已读取",
    "partial": "部分读取",
    "failed": "未能读取",
    "not_a_disclosure": "非公开材料",
    "skipped": "已跳过",
}

COVERAGE_STATUS_LABELS: dict[str, str] = {
    "passed": "通过",
    "failed": "未通过",
    "skipped": "跳过",
    "error": "出错",
}

TABLE_TYPE_LABELS: dict[str, str] = {
    "income_expense_summary": "收入支出决算总表",
    "income": "收入决算表",
    "expense": "支出决算表",
    "fiscal_summary": "财政拨款收入支出决算总表",
    "gpb_expense": "一般公共预算财政拨款支出决算表",
    "gpb_basic_expense": "一般公共预算财政拨款基本支出决算表",
    "sangong": "“三公”经费支出决算表",
    "gov_fund": "政府性基金预算财政拨款收入支出决算表",
    "soe_capital": "国有资本经营预算财政拨款支出决算表",
    "project_expense": "项目支出表",
    "fiscal_expense": "财政拨款支出表",
    "running_cost": "机关运行经费表",
    "dept_self_eval": "部门整体支出绩效自评表",
    "project_self_eval": "项目支出绩效自评表",
    "basic_data": "基本数字表",
    "score_sheet": "评分表",
    "generic": "其他表",
}

DOC_TYPE_LABELS: dict[str, str] = {
    "final_accounts": "部门决算",
    "budget": "部门预算",
    "dept_self_eval": "部门整体绩效自评",
    "project_self_eval": "项目绩效自评",
    "evaluation_report": "绩效评价报告",
    "mixed": "综合材料",
    "other": "其他",
}


def _tables(match: re.Match[str]) -> str:
    return "、".join(TABLE_TYPE_LABELS.get(t, t) for t in match.group(1).split("+"))


def _doc_type(match: re.Match[str]) -> str:
    return DOC_TYPE_LABELS.get(match.group(1), match.group(1))


# (pattern on the English reason, Chinese text: a format string over the groups or a function of the match)
REASON_RULES: tuple[tuple[re.Pattern[str], str | object], ...] = (
    (re.compile(r"^table not found: ([\w+]+)$"), lambda m: "未找到所需的表：" + _tables(m)),
    (re.compile(r"^no relation inferred: best candidate holds (\d+) of (\d+) places$"),
     "未能推断表内勾稽关系（最佳候选仅满足 {0}/{1} 处）"),
    (re.compile(r"^no relation applies: too few amount rows/columns$"), "不适用：金额行列过少"),
    (re.compile(r"^no relation applies: no numeric cells$"), "不适用：没有数值单元格"),
    (re.compile(r"^no relation applies$"), "不适用：没有可检验的勾稽关系"),
    (re.compile(r"^not checked: no required-table set for document type (\w+)$"),
     lambda m: f"未检查：{_doc_type(m)}类文件没有规定的必备表"),
    (re.compile(r"^not checked: every required table is empty \(a blank form\)$"), "未检查：必备表均为空（空白表样）"),
    (re.compile(r"^blank or missing total$"), "合计为空或缺失"),
    (re.compile(r"^no parts$"), "没有分项"),
    (re.compile(r"^no amounts beside the rate$"), "比率旁没有金额"),
    (re.compile(r"^the whole is not named beside the rate$"), "比率旁未写明总数"),
    (re.compile(r"^declared identity checks this cell$"), "该单元格已由表内声明的恒等式检查"),
    (re.compile(r"^no money cell printed with decimals and four significant digits$"),
     "没有带小数且四位有效数字的金额单元格"),
    (re.compile(r"^no size measure \((.*)\)$"), "没有规模指标（{0}）"),
    (re.compile(r"^fewer than (\d+) peer bureaus in (.+)$"), "{1}同类单位少于 {0} 个"),
    (re.compile(r"^fewer than (\d+) other bureaus with consecutive years$"), "有连续年度数据的其他单位少于 {0} 个"),
    (re.compile(r"^scheme \(职工/居民\) not named$"), "未写明险种（职工/居民）"),
    (re.compile(r"^(.+) has no 科目 \(类\) rows in this layout: a missing 类 is not 0$"),
     "{0}在此版式中没有科目（类）行：缺少的类不按 0 计"),
    (re.compile(r"^(.+) has no 科目 rows in this layout: a missing 科目 is not 0$"),
     "{0}在此版式中没有科目行：缺少的科目不按 0 计"),
    (re.compile(r"^结转和结余 not zero \(or 01 missing\): 02 vs 03 per 科目 not required$"),
     "结转和结余不为零（或缺 01 表）：不要求 02 表与 03 表逐科目一致"),
)


def translate_reason(reason: str | None) -> str:
    """A coverage or read reason in Chinese with the original kept in brackets; unknown ones unchanged."""
    if not reason:
        return ""
    text = reason.strip()
    for pattern, target in REASON_RULES:
        match = pattern.match(text)
        if match is None:
            continue
        chinese = target(match) if callable(target) else str(target).format(*match.groups())
        return f"{chinese}（{text}）"
    return text


def status_label(status: str | None, labels: dict[str, str] = READ_STATUS_LABELS) -> str:
    """``已读取（ok）``: the Chinese word with the machine value beside it."""
    if not status:
        return ""
    word = labels.get(status)
    return f"{word}（{status}）" if word else status


def table_type_label(table_type: str | None) -> str:
    return TABLE_TYPE_LABELS.get(table_type or "", table_type or "")
