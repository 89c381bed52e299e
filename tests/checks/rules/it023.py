"""Fire / quiet cases of IT023; expected values worked out by hand (comments beside each case)."""

from __future__ import annotations

from tests.checks.builders import L, frames
from tests.checks.case import Case


def _fund_block(total_exec: float) -> list[dict]:
    t = "project_self_eval"
    return [L("t11", t, m, v, row=1, key="fund_total", dec=d) for m, v, d in
            (("budget_initial", 90, 0), ("budget_full", 89.974, 3), ("executed", total_exec, 3))] + [
            L("t11", t, m, v, row=2, key="fund_current", dec=d) for m, v, d in
            (("budget_initial", 90, 0), ("budget_full", 89.974, 3), ("executed", 89.974, 3))]


CASES: list[Case] = [
    # IT023: 年度资金总额 全年执行数 0 vs 当年财政拨款 89.974
    # severity: 89.974 vs 0 = 100 % -> high
    Case("IT023", "fires", frames(_fund_block(0)), 1, expected="89.974万元", actual="0.000万元", severity="high"),
    Case("IT023", "quiet", frames(_fund_block(89.974)), 0),
]
