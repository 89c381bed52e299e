"""Identities inside the 总表 (01, 04), the 三公 table and the 08/09 fund tables."""

from __future__ import annotations

import polars as pl

from toolkit.checks.framework import Check, CheckResult, skipped_missing_tables
from toolkit.checks.identities import run_terms
from toolkit.checks.named import NamedIdentity as N
from toolkit.checks.named import run_named
from toolkit.checks.registry import register
from toolkit.checks.select import items

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
    requires = (S01,)

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        hits, evals = run_named(frames, SPECS_01, "broken_footing")
        return CheckResult.of([hits], [evals, skipped_missing_tables(frames, (S01,), "T01")])


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
    年初结转和结余; 本年支出合计 = Σ 类 rows (per column); 支出总计 = 本年支出合计 + 年末结转和结余;
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
    requires = (S04,)

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        hits, evals = run_named(frames, SPECS_04, "broken_footing")
        return CheckResult.of([hits], [evals, skipped_missing_tables(frames, (S04,), "T04")])


SPECS_07 = []
for p, word in (("budget", "预算数"), ("final", "决算数")):
    SPECS_07.append(
        N(f"T07-1-{p}", "sangong", (None, "sangong", f"{p}_total"),
          tuple((None, "sangong", f"{p}_{m}", 1.0) for m in ("abroad", "vehicle", "reception")),
          f"“三公”经费{word}合计", "因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费")
    )
    SPECS_07.append(
        N(f"T07-2-{p}", "sangong", (None, "sangong", f"{p}_vehicle"),
          tuple((None, "sangong", f"{p}_{m}", 1.0) for m in ("vehicle_purchase", "vehicle_operation")),
          f"公务用车购置及运行维护费（{word}）", "公务用车购置费 + 公务用车运行维护费", is_total=False)
    )


@register
class SangongFooting(Check):
    """“三公”经费 table does not add up: 合计 = 出国 + 车辆 + 接待, 车辆 = 购置 + 运行 (预算 and 决算).

    What it does: checks T07-1 and T07-2 separately for the 预算数 and 决算数 halves of the table.

    Why it matters: 三公 spending is the most scrutinised line of a 部门决算; a total that is
    not the sum of its items is a disclosure error the public notices first.

    Example: 决算 合计 0.89 but 出国 0 + 车辆 0 + 接待 0.98 = 0.98.

    Known false positives: local variants adding 会议费/培训费 columns inside the same 合计.
    """

    code = "IT006"
    name = "sangong-footing"
    detects = ("broken_footing",)
    requires = ("sangong",)

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        hits, evals = run_named(frames, SPECS_07, "broken_footing")
        return CheckResult.of([hits], [evals, skipped_missing_tables(frames, ("sangong",), "T07")])


@register
class FundTableRollForward(Check):
    """政府性基金/国有资本经营 table row does not roll forward: 年初结转 + 本年收入 − 本年支出 ≠ 年末结转.

    What it does: for every row of the 08/09 tables with these columns, 年末结转和结余 must equal
    年初结转和结余 + 本年收入 − 本年支出合计 (blank cells are not zero unless the row proves it).

    Why it matters: a broken roll-forward in a fund table means money appeared or vanished
    between the opening and closing balances.

    Example: 年初 0 + 收入 9.56 − 支出 9.56 but 年末 9.56.

    Known false positives: 09 templates without 收入/结转 columns are not tested.
    """

    code = "IT007"
    name = "fund-table-roll-forward"
    detects = ("broken_footing",)
    requires = ("gov_fund", "soe_capital")

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        roles = pl.DataFrame(
            {"measure": ["carryover_end", "carryover_begin", "income", "total"],
             "role": ["whole", "part", "part", "part"], "sign": [1.0, 1.0, 1.0, -1.0]}
        )
        li = items(frames, ("gov_fund", "soe_capital")).join(roles, on="measure", how="inner")
        # rows of templates without 年初/收入 columns (09 支出 only) have nothing to roll forward
        rolling = li.filter(pl.col("measure").is_in(["carryover_begin", "income"])).select(
            "document_id", "table_id", "row").unique()
        li = li.join(rolling, on=["document_id", "table_id", "row"], how="semi")
        terms = li.with_columns(
            group=pl.concat_str([pl.col("table_id"), pl.lit("|r"), pl.col("row").cast(pl.String)]),
            identity=pl.lit("T08"),
            desc=pl.concat_str([pl.col("title"), pl.lit(" "), pl.col("label"), pl.lit(" 行 · 年末结转和结余")]),
            parts_desc=pl.lit("年初结转和结余 + 本年收入 − 本年支出"),
            is_total=pl.col("code").is_null(),
        )
        hits, evals = run_terms(terms, "broken_footing")
        return CheckResult.of([hits], [evals])
