"""Fire / quiet cases of IT024; expected values worked out by hand (comments beside each case)."""

from __future__ import annotations

from tests.checks.builders import L, frames
from tests.checks.case import Case


def _project_pair(basic_final: float) -> list[dict]:
    """A 项目支出绩效自评表 (project 测试项目) and the 基础数据表 row 测试项目经费 for the same project."""
    return [
        L("t12", "project_self_eval", "budget_full", 25.0, key="fund_total"),
        L("t12", "project_self_eval", "executed", 10.44, key="fund_total"),
        L("t10", "basic_data", "budget", 25.0, section="project", name="测试项目经费", row_kind="item"),
        L("t10", "basic_data", "final", basic_final, section="project", name="测试项目经费", row_kind="item"),
    ]


CASES: list[Case] = [
    # IT024: 自评表 全年执行数 10.44 vs 基础数据表 决算数 10.49 (name typed differently: 测试项目经费);
    # 0.05 / 10.49 = 0.48 % on the project's whole-year total (全年执行数) -> medium
    Case("IT024", "fires", frames(_project_pair(10.49)), 1, kind="cross_table_mismatch", expected="10.49万元",
         actual="10.44万元", severity="medium"),
    Case("IT024", "quiet", frames(_project_pair(10.44)), 0),
]
