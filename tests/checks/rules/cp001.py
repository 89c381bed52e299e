"""Fire / quiet cases of CP001; expected values worked out by hand (comments beside each case)."""

from __future__ import annotations

from tests.checks.builders import DOC, frames, indicator_row
from tests.checks.case import Case
from toolkit import schemas


def _projects(copy: bool) -> dict:
    a = [indicator_row("t01", "经办服务工作经费", 1, "经办业务办理量", "≥16129", "16616"),
         indicator_row("t01", "经办服务工作经费", 2, "项目成本控制", "≤179.83万元", "179.83万元"),
         indicator_row("t01", "经办服务工作经费", 3, "参保群众满意度", "≥90%", "92.6%")]
    if copy:  # 打击欺诈骗保 prints 经办's two specific targets: 2 distinctive rows shared
        b = [indicator_row("t02", "打击欺诈骗保专项经费", 1, "经办业务办理量", "≥16129", "16420"),
             indicator_row("t02", "打击欺诈骗保专项经费", 2, "项目成本控制", "≤179.83万元", "141.88万元"),
             indicator_row("t02", "打击欺诈骗保专项经费", 3, "参保群众满意度", "≥90%", "92.1%")]
    else:  # only the generic 满意度 row is shared
        b = [indicator_row("t02", "打击欺诈骗保专项经费", 1, "检查定点医药机构家次", "≥132", "144"),
             indicator_row("t02", "打击欺诈骗保专项经费", 2, "项目成本控制", "≤155.87万元", "141.88万元"),
             indicator_row("t02", "打击欺诈骗保专项经费", 3, "参保群众满意度", "≥90%", "92.1%")]
    fr = frames()
    fr["indicators"] = schemas.frame(a + b, schemas.INDICATORS)
    fr["tables"] = schemas.frame([{"document_id": DOC, "table_id": t, "table_type": "project_self_eval",
                                   "project": p} for t, p in (("t01", "经办服务工作经费"), ("t02", "打击欺诈骗保专项经费"))],
                                 schemas.TABLES)
    return fr


CASES: list[Case] = [
    # CP001
    # severity: two specific target rows shared (≥ 2): the check sets high
    Case("CP001", "fires", _projects(copy=True), 1, kind="target_copied_across_projects",
             contains=["打击欺诈骗保专项经费", "≥16129", "≤179.83万元"], severity="high"),
    Case("CP001", "quiet", _projects(copy=False), 0),
]
