"""IT006: “三公”经费 table does not add up: 合计 = 出国 + 车辆 + 接待, 车辆 = 购置 + 运行 (预算 and 决算)."""

from __future__ import annotations

import polars as pl

from toolkit.checks.framework import Check, CheckResult, skipped_missing_tables
from toolkit.checks.named import NamedIdentity as N
from toolkit.checks.named import run_named
from toolkit.checks.registry import register

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
    label = "“三公”经费合计不符"
    requires = ("sangong",)

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        hits, evals = run_named(frames, SPECS_07, "broken_footing")
        return CheckResult.of([hits], [evals, skipped_missing_tables(frames, ("sangong",), "T07")])
