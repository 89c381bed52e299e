"""IT023: 自评表 年度资金总额 ≠ 当年财政拨款 + 上年结转资金 + 其他资金 (年初预算数, 全年预算数, 全年执行数)."""

from __future__ import annotations

import polars as pl

from toolkit.checks.framework import Check, CheckResult
from toolkit.checks.named import NamedIdentity as N
from toolkit.checks.named import run_named
from toolkit.checks.registry import register

SPECS_FUND = [
    N(f"S-8|{tt}", tt, (None, "fund_total", "*"),
      tuple((None, k, "*", 1.0) for k in ("fund_current", "fund_carryover", "fund_other")),
      "年度资金总额", "当年财政拨款 + 上年结转资金 + 其他资金", measures=("budget_initial", "budget_full", "executed"))
    for tt in ("project_self_eval", "dept_self_eval")
]


@register
class FundBlockSum(Check):
    """自评表 年度资金总额 ≠ 当年财政拨款 + 上年结转资金 + 其他资金 (年初预算数, 全年预算数, 全年执行数).

    What it does: in the 项目资金 block, for each money column, the 年度资金总额 row must equal the sum of
    its printed source rows (blank sources are not zero unless the total proves it).

    Why it matters: the block is where the 自评表 meets the 决算; a total that does not match its sources
    means the 执行率 and the amounts quoted in the report rest on the wrong base.

    Example: 棠溪镇 2022: 年度资金总额 0 / 0 / 0 while 本年财政拨款 90 / 89.974 / 89.974.

    Known false positives: forms splitting sources as 中央/省/市/县 (those rows are not recognised as parts).
    """

    code = "IT023"
    name = "self-eval-fund-block"
    detects = ("broken_footing",)
    label = "自评表年度资金总额不符"
    requires = ("project_self_eval", "dept_self_eval")

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        hits, evals = run_named(frames, SPECS_FUND, "broken_footing")
        return CheckResult.of([hits], [evals])
