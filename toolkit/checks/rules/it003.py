"""IT003: 收入支出决算总表 (01) does not add up: T01-1…T01-6 (收入合计, 总计, 收入总计 = 支出总计, 结转 roll-forward)."""

from __future__ import annotations

import polars as pl

from toolkit.checks.framework import Check, CheckResult, skipped_missing_tables
from toolkit.checks.named import NamedIdentity as N
from toolkit.checks.named import run_named
from toolkit.checks.registry import register

_INCOME_ROWS = ("income_gpb", "income_govfund", "income_soe", "income_upper", "income_business",
                "income_operating", "income_affiliated", "income_other")


S01 = "income_expense_summary"


SPECS_01 = [
    N("T01-1", S01, ("income", "income_total", "*"), tuple(("income", k, "*", 1.0) for k in _INCOME_ROWS),
      "本年收入合计", "收入各行（一至八）之和"),
    N("T01-2", S01, ("income", "grand_total", "*"),
      (("income", "income_total", "*", 1.0), ("income", "use_nonfiscal_balance", "*", 1.0),
       ("income", "carryover_begin", "*", 1.0)),
      "收入总计", "本年收入合计 + 使用非财政拨款结余 + 年初结转和结余"),
    N("T01-3", S01, ("expense", "grand_total", "*"),
      (("expense", "expense_total", "*", 1.0), ("expense", "balance_distribution", "*", 1.0),
       ("expense", "carryover_end", "*", 1.0)),
      "支出总计", "本年支出合计 + 结余分配 + 年末结转和结余"),
    N("T01-4", S01, ("income", "grand_total", "*"), (("expense", "grand_total", "*", 1.0),),
      "收入总计", "支出总计"),
    N("T01-5", S01, ("expense", "expense_total", "*"), (("expense", "@class", "*", 1.0),),
      "本年支出合计", "支出各类（功能分类）之和"),
    N("T01-6", S01, ("expense", "carryover_end", "*"),
      (("income", "carryover_begin", "*", 1.0), ("income", "income_total", "*", 1.0),
       ("income", "use_nonfiscal_balance", "*", 1.0), ("expense", "expense_total", "*", -1.0),
       ("expense", "balance_distribution", "*", -1.0)),
      "年末结转和结余", "年初结转和结余 + 本年收入合计 + 使用非财政拨款结余 − 本年支出合计 − 结余分配"),
]


@register
class SummaryTableIdentities(Check):
    """收入支出决算总表 (01) does not add up: T01-1…T01-6 (收入合计, 总计, 收入总计 = 支出总计, 结转 roll-forward).

    What it does: in the 01 总表, 本年收入合计 = Σ income rows 一…八; 收入总计 = 本年收入合计 +
    使用非财政拨款结余 + 年初结转和结余; 支出总计 = 本年支出合计 + 结余分配 + 年末结转和结余;
    收入总计 = 支出总计; 本年支出合计 = Σ 类 rows; 年末结转和结余 = 年初 + 收入 − 支出 − 结余分配.
    It never tests 本年收入合计 = 本年支出合计 (true only without 结转).

    Why it matters: the 01 table is the bureau's whole account on one page; a broken identity
    means the published totals cannot both be right.

    Example: 本年支出合计 362.62 but 社会保障和就业 17.64 + 卫生健康 329.85 + 住房保障 25.28 = 372.77.

    Known false positives: 类 rows the parser could not map to a code (the sum misses them).
    """

    code = "IT003"
    name = "summary-table-identities"
    detects = ("broken_footing",)
    label = "收入支出决算总表不平"
    requires = (S01,)

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        hits, evals = run_named(frames, SPECS_01, "broken_footing")
        return CheckResult.of([hits], [evals, skipped_missing_tables(frames, (S01,), "T01")])
