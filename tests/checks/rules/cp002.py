"""Fire / quiet cases of CP002; expected values worked out by hand (comments beside each case)."""

from __future__ import annotations

from tests.checks.builders import P, frames, indicator_row, with_passages
from tests.checks.case import Case
from toolkit import schemas


def _actuals(copied: bool) -> dict:
    goal = "提升医保经办服务能力，推进经办服务下沉，实现参保登记、异地备案等业务就近办理"
    done = goal if copied else "经办服务网点覆盖所有乡镇（街道），高频事项实现就近可办"
    rows = [indicator_row("t01", "经办服务工作经费", 1, "经办业务办理量", "≥16129", "16616"),
            indicator_row("t01", "经办服务工作经费", 2, "参保群众满意度", "≥90%", "92.6%"),
            indicator_row("t01", "经办服务工作经费", 3, "医保基金收支平衡", "收支平衡", "收支平衡")]
    fr = frames()
    fr["indicators"] = schemas.frame(rows, schemas.INDICATORS)
    return with_passages(fr, [P(goal, pid="g1", role="goal_expected", project="经办服务工作经费", order=1),
                              P(done, pid="g2", role="goal_actual", project="经办服务工作经费", order=2)])


def _actual_thresholds() -> dict:
    # 2 of 2 threshold rows repeat the target with its “≥”: 实际完成值 ≥85% / ≥80%
    rows = [indicator_row("t01", "困难群众救助", 1, "一站式综合报销比例", "≥85%", "≥85%"),
            indicator_row("t01", "困难群众救助", 2, "结算综合报销比例", "≥80%", "≥80%"),
            indicator_row("t01", "困难群众救助", 3, "医保基金收支平衡", "收支平衡", "收支平衡")]
    fr = frames()
    fr["indicators"] = schemas.frame(rows, schemas.INDICATORS)
    return fr


CASES: list[Case] = [
    # CP002
    # severity: the goal copied but no threshold row: the check sets medium
    Case("CP002", "fires-goal", _actuals(copied=True), 1, contains=["完全相同"], severity="medium"),
    # severity: threshold rows copied but not the goal: the check sets medium
    Case("CP002", "fires-thresholds", _actual_thresholds(), 1, contains=["2/2", "≥85%"], severity="medium"),
    Case("CP002", "quiet", _actuals(copied=False), 0),
]
