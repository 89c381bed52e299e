"""Fire / quiet cases of IT074 (comparison claims); expected values worked out by hand beside each case."""

from __future__ import annotations

from tests.checks.builders import P, frames, with_passages
from tests.checks.case import Case


def _text(text: str) -> dict:
    return with_passages(frames(), [P(text, role="indicator_analysis")])


CASES: list[Case] = [
    Case("IT074", "quiet-figures", _text("重特大疾病医疗救助人次占直接救助人次比重40.65%，大于28%的标准值。"), 0),
    # 40.65 % is not below 28 %
    Case("IT074", "fires-figures", _text("重特大疾病医疗救助人次占直接救助人次比重40.65%，小于28%的标准值。"), 1,
         expected="40.65% 大于 28%", kind="comparison_contradicted", severity="high"),
    Case("IT074", "quiet-named", _text("年初预算为15.24万元，支出决算为15.24万元，决算数等于年初预算数。"), 0),
    # 12.24 ≠ 15.24
    Case("IT074", "fires-named", _text("年初预算为15.24万元，支出决算为12.24万元，决算数等于年初预算数。"), 1,
         expected="12.24万元 小于 15.24万元", severity="high"),
    # a threshold compares no two figures
    Case("IT074", "quiet-threshold", _text("共筛查出单次住院医疗费用个人自付超过7200元以上157人次。"), 0),
]
