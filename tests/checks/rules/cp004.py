"""Fire / quiet cases of CP004; expected values worked out by hand (comments beside each case)."""

from __future__ import annotations

import polars as pl

from tests.checks.builders import P, frames, with_passages
from tests.checks.case import Case

# figures and sentences of a real 2024 部门决算 (上海市普陀区) and a real 2017 部门预算 (江苏省)
SHEGONG = "中共上海市普陀区委社会工作部"
SHEGONG_2024 = [
    P(f"{SHEGONG}2024年度收入支出总计307.82万元。与 2023 年度相比,收入支出总计增加 307.82 万元,增长100.00%。"
      "主要原因:单位于 2024 年成立。", pid="p12"),
    P("机关运行经费支出10.23 万元,比2023 年度增加 10.23 万元,增长100.00%。", pid="p33"),
]


def _doc(fr: dict, *, bureau: str, doc_type: str) -> dict:
    fr = dict(fr)
    fr["documents"] = fr["documents"].with_columns(pl.lit(bureau).alias("bureau"), pl.lit(doc_type).alias("doc_type"))
    return fr


def _final_2024(passages: list[dict]) -> dict:
    return _doc(with_passages(frames(fiscal_year=2024), passages), bureau=SHEGONG, doc_type="final_accounts")


def _budget_2017(passages: list[dict]) -> dict:
    return _doc(with_passages(frames(fiscal_year=2017), passages), bureau="江苏省委办公厅", doc_type="budget")


CASES: list[Case] = [
    # CP004: “2021年度收入总计” in the 2023 report (2023 − 2 = 2021); comparisons are fine
    # severity: the check's fixed severity: medium
    Case("CP004", "fires", with_passages(frames(), [P("2021年度收入总计1633.52万元，支出总计1633.52万元。与上年相比增加5.2万元。")]),
             1, actual="2021年", expected="2023年", severity="medium"),
    Case("CP004", "quiet", with_passages(frames(), [P("2023年度收入总计1633.52万元，与2022年度相比增加5.2万元；"
                                                          "自2021年9月起执行全市统一政策。")]), 0),
    # CP004: the year before (2024 − 1 = 2023) right after the unit's own name, in a sentence with no
    # comparison: the unit's own period misdated; the two comparison sentences of the same report stay quiet
    # severity: the check's fixed severity: medium
    Case("CP004", "previous-year-own-subject", _final_2024([
        *SHEGONG_2024, P(f"{SHEGONG}2023年度无政府性基金预算财政拨款收入和支出。", pid="p30")]),
             1, actual="2023年", expected="2024年", severity="medium"),
    Case("CP004", "previous-year-comparison-quiet", _final_2024([
        *SHEGONG_2024, P(f"{SHEGONG}2024年度无政府性基金预算财政拨款收入和支出。", pid="p30"),
        P("本部门2023年度决算数与本年相比无变化。", pid="p31")]), 0),
    # CP004: a 2017 budget saying it compiled the 2016 budget (2017 − 1 = 2016)
    # severity: the check's fixed severity: medium
    Case("CP004", "previous-year-compiled-budget", _budget_2017([
        P("坚持勤俭节约,从严从紧编制2016年部门预算。", pid="p20")]),
             1, actual="2016年", expected="2017年", severity="medium"),
    # the same sentence with the right year, last year's budget named with 执行, and the 2017-2019 plan: quiet
    Case("CP004", "previous-year-compiled-budget-quiet", _budget_2017([
        P("坚持勤俭节约,从严从紧编制2017年部门预算。", pid="p20"),
        P("根据《江苏省财政厅关于编制省级 2017 年部门预算和2017-2019 年财政规划的通知》要求,认真编制 2017 年部门预算。",
          pid="p16"),
        P("2016年部门预算执行情况良好。", pid="p21")]), 0),
    # a 决算 is not compiled as a budget: “编制2016年部门预算” in a 2017 决算 is not the document's own period
    Case("CP004", "previous-year-compiled-budget-in-final-accounts-quiet", _doc(
        with_passages(frames(fiscal_year=2017), [P("坚持勤俭节约,从严从紧编制2016年部门预算。", pid="p20")]),
        bureau="江苏省委办公厅", doc_type="final_accounts"), 0),
]
