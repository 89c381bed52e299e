"""IT004: 财政拨款收入支出决算总表 (04) does not add up: T04-1…T04-3 (收入 by fund, per-fund roll-forward, 总计)."""

from __future__ import annotations

import polars as pl

from toolkit.checks.framework import Check, CheckResult, skipped_missing_tables
from toolkit.checks.named import NamedIdentity as N
from toolkit.checks.named import run_named
from toolkit.checks.registry import register

S04 = "fiscal_summary"


_FUNDS = {"gpb": "一般公共预算", "govfund": "政府性基金预算", "soe": "国有资本经营预算"}


SPECS_04 = [
    N("T04-1", S04, ("income", "income_total", "amount"),
      tuple(("income", f"income_{f}", "amount", 1.0) for f in _FUNDS), "本年收入合计",
      "一般公共预算 + 政府性基金 + 国有资本经营 财政拨款收入之和"),
    N("T04-cb", S04, ("income", "carryover_begin", "amount"),
      tuple(("income", f"carryover_begin_{f}", "amount", 1.0) for f in _FUNDS), "年初财政拨款结转和结余",
      "分资金来源的年初结转和结余之和"),
    N("T04-gi", S04, ("income", "grand_total", "amount"),
      (("income", "income_total", "amount", 1.0), ("income", "carryover_begin", "amount", 1.0)),
      "收入总计", "本年收入合计 + 年初财政拨款结转和结余"),
    N("T04-e", S04, ("expense", "expense_total", "*"), (("expense", "@class", "*", 1.0),),
      "本年支出合计", "支出各类（功能分类）之和"),
    N("T04-u", S04, ("expense", "expense_total", "*"), (("expense", "@use", "*", 1.0),),
      "本年支出合计", "支出各用途（基本支出、项目支出、机动经费…）之和"),
    N("T04-ge", S04, ("expense", "grand_total", "*"),
      (("expense", "expense_total", "*", 1.0), ("expense", "carryover_end", "*", 1.0)),
      "支出总计", "本年支出合计 + 年末财政拨款结转和结余"),
    N("T04-3", S04, ("income", "grand_total", "amount"), (("expense", "grand_total", "total", 1.0),),
      "收入总计", "支出总计"),
] + [
    N(f"T04-2-{f}", S04, ("expense", "carryover_end", f),
      (("income", f"carryover_begin_{f}", "amount", 1.0), ("income", f"income_{f}", "amount", 1.0),
       ("expense", "expense_total", f, -1.0)),
      f"年末财政拨款结转和结余（{name}）", f"{name}年初结转和结余 + 本年收入 − 本年支出")
    for f, name in _FUNDS.items()
]


@register
class FiscalSummaryIdentities(Check):
    """财政拨款收入支出决算总表 (04) does not add up: T04-1…T04-3 (收入 by fund, per-fund roll-forward, 总计).

    What it does: 本年收入合计 = 一般公共预算 + 政府性基金 + 国有资本经营; 收入总计 = 本年收入合计 +
    年初结转和结余; 本年支出合计 = Σ 类 rows (per column), or, where a 预算 总表 lists 支出 by use
    (基本支出, 项目支出, 机动经费 …) instead of by 类, Σ of those rows; 支出总计 = 本年支出合计 + 年末结转和结余;
    收入总计 = 支出总计; per fund: 年初结转 + 本年收入 − 本年支出 = 年末结转.

    Why it matters: 04 is the 财政拨款 account the budget office reconciles; a broken roll-forward
    hides unspent appropriations or spending without appropriation.

    Example: 一般公共预算 年初结转 0 + 收入 362.62 − 支出 352.62 but 年末结转 printed blank/0.

    Known false positives: layouts printing per-fund 年末结转 on unlabelled rows the parser maps
    differently (skipped when the cells are blank).
    """

    code = "IT004"
    name = "fiscal-summary-identities"
    detects = ("broken_footing",)
    label = "财政拨款收支总表不平"
    requires = (S04,)

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        hits, evals = run_named(frames, SPECS_04, "broken_footing")
        return CheckResult.of([hits], [evals, skipped_missing_tables(frames, (S04,), "T04")])
