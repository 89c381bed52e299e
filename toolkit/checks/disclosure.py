"""What a complete disclosure contains, per document type, and how to tell a table is (stated) empty.

The required table sets follow the 财政部 部门决算/部门预算 公开 templates (see
``docs/disclosure-completeness.md`` for the sources and the local variants). Tables are matched by
their recognised type (title and header words), never by their number: 公开07表 is 三公 in one
province and 政府性基金 in another, and some provinces number 10–15.
"""

from __future__ import annotations

import re

import polars as pl

from toolkit.checks.framework import get
from toolkit.checks.select import TABLE_NAMES

# the nine 部门决算 tables (national template, used since c. 2017)
FINAL_REQUIRED: tuple[str, ...] = ("income_expense_summary", "income", "expense", "fiscal_summary", "gpb_expense",
                                   "gpb_basic_expense", "sangong", "gov_fund", "soe_capital")
# the 部门预算 / 单位预算 set: eight tables, and the 国有资本经营预算 table from SOE_SINCE on
BUDGET_REQUIRED: tuple[str, ...] = ("income_expense_summary", "income", "expense", "fiscal_summary", "gpb_expense",
                                    "gpb_basic_expense", "sangong", "gov_fund", "soe_capital")
SOE_SINCE = 2020
# a document is judged only when it prints at least this many of its set: fewer means the tables
# were published elsewhere (a 情况说明 alone, or one table excerpted), not that they are missing
MIN_PRESENT = 4
REQUIRED_BY_TYPE = {"final_accounts": FINAL_REQUIRED, "budget": BUDGET_REQUIRED}
DOC_TYPE_NAMES = {"final_accounts": "部门决算", "budget": "部门（单位）预算"}

BUDGET_NAMES = {
    "income_expense_summary": "财务收支预算总表（收支预算总表）",
    "income": "收入预算总表",
    "expense": "支出预算总表",
    "fiscal_summary": "财政拨款收支预算总表",
    "gpb_expense": "一般公共预算支出功能分类预算表",
    "gpb_basic_expense": "一般公共预算基本支出经济分类预算表",
    "sangong": "“三公”经费预算表",
    "gov_fund": "政府性基金预算支出表",
    "soe_capital": "国有资本经营预算支出表",
}

# words that name a table's subject in a sentence (for statements made in the text, not the table)
TYPE_KEYWORDS = {
    "gov_fund": "政府性基金", "soe_capital": "国有资本经营", "sangong": "三公",
    "income_expense_summary": "收入支出决算总表|收支预算总表|财务收支预算总表", "income": "收入决算表|收入预算",
    "expense": "支出决算表|支出预算总表", "fiscal_summary": "财政拨款收入支出|财政拨款收支",
    "gpb_expense": "一般公共预算财政拨款支出|一般公共预算支出", "gpb_basic_expense": "基本支出",
}
EMPTY_STATEMENT = (r"本表无数据|本表为空|为空表|空表|无数据|无相关数据|无相关收支|无相关收入|无相关支出|本表无|不涉及|无此项"
                   r"|无该项|本部门无|本单位无")
# the tables a unit may legitimately print empty (it has no such funds, or no 三公 spending)
MAY_BE_EMPTY = ("gov_fund", "soe_capital", "sangong")
# in the text, a sentence saying the unit has none of these funds also explains a table left out
NONE_IN_TEXT = (r"(?:没有|无|未安排|未使用|不涉及)[^。；;]{0,30}{kw}"
                r"|{kw}[^。；;]{0,40}(?:为0|为零|无数据|空表|没有|未安排|(?<![\d.,])0(?:\.0+)?\s*万?元)")


SANGONG_NONE = r"(?:无|没有|未发生|未安排)[“\"]?三公|三公[”\"]?经费(?:支出|预算|决算)?(?:数)?均?(?:为0|为零|为0\.00)"


def table_name(table_type: str, doc_type: str | None) -> str:
    if doc_type == "budget" and table_type in BUDGET_NAMES:
        return BUDGET_NAMES[table_type]
    return TABLE_NAMES.get(table_type, table_type)


def required_for(doc_type: str | None, fiscal_year: int | None) -> tuple[str, ...]:
    req = REQUIRED_BY_TYPE.get(doc_type or "", ())
    if fiscal_year is not None and fiscal_year < SOE_SINCE:
        req = tuple(t for t in req if t != "soe_capital")
    return req


def documents(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """document_id, doc_type, fiscal_year and the set of recognised table types."""
    docs = get(frames, "documents").select("document_id", "doc_type", "fiscal_year")
    types = get(frames, "tables").sort("document_id", "table_id").group_by("document_id", maintain_order=True).agg(
        pl.col("table_type").unique().sort().alias("types"), pl.col("title").drop_nulls().alias("titles"))
    return docs.join(types, on="document_id", how="left")


_LEADER = re.compile(r"(?:…{2,}|\.{4,}|·{4,})")
_UNIT_NOTE = re.compile(r"单位\s*[:：]\s*(?:万元|元|千元|亿元)")


def printed_titles(passages: pl.DataFrame, document_id: str) -> dict[str, str]:
    """Table type -> a title of that type printed in the document's text outside its 目录: a table whose
    title is there but which was not read as a table (printed in a shape the reader could not rebuild)
    is not missing; it is not checked. A title printed after a page header on the same line
    (``部门：… 单位：万元 收入预算总表``) counts."""
    from toolkit.extract.recognize import classify_title

    mine = passages.filter((pl.col("document_id") == document_id) & (pl.col("role") != "toc"))
    out: dict[str, str] = {}
    for text in mine["text"].to_list():
        for line in (text or "").split("\n"):
            if _LEADER.search(line) or "。" in line:
                continue  # a 目录 entry outside the 目录 passage (its leader dots), or a sentence naming a table
            for candidate in (line, _UNIT_NOTE.split(line)[-1]):
                t = classify_title(candidate.strip())
                if t and t != "generic":
                    out.setdefault(t, candidate.strip())
    return out


def text_says_none(passages: pl.DataFrame, document_id: str, table_type: str, page: int | None = None) -> str | None:
    """The sentence saying the unit has none of the table's funds, or that the table is empty.

    With ``page``, a note printed on the table's own page (“注：本部门无相关收支项目”) also counts.
    """
    mine = passages.filter(pl.col("document_id") == document_id).sort("order", "passage_id", nulls_last=True)
    if page is not None:
        near = mine.filter((pl.col("page") == page) & pl.col("text").str.contains(EMPTY_STATEMENT))
        if near.height:
            return re.search(EMPTY_STATEMENT, near["text"][0]).group(0)
    kw = TYPE_KEYWORDS.get(table_type)
    if not kw or table_type not in MAY_BE_EMPTY:
        return None
    if table_type == "sangong":  # “因公出国（境）费为0” is about one item, not the table
        pat = re.compile(SANGONG_NONE)
    else:
        pat = re.compile(NONE_IN_TEXT.replace("{kw}", f"(?:{kw})"))
    empty = re.compile(f"(?:{kw})[^。]{{0,80}}(?:{EMPTY_STATEMENT})")
    for text in mine["text"].to_list():
        m = pat.search(text or "") or empty.search(text or "")
        if m:
            return m.group(0)
    return None
