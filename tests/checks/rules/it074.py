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

# the names of a sentence without figures read the sentence before: 1511.89 < 1560.05
_BEFORE = "年初预算为1560.05万元，支出决算为1511.89万元。决算数{}预算数的主要原因：人员退休。"
CASES += [
    Case("IT074", "quiet-sentence-before", _text(_BEFORE.format("小于")), 0),
    Case("IT074", "fires-sentence-before", _text(_BEFORE.format("大于")), 1,
         expected="1511.89万元 小于 1560.05万元", severity="high"),
    # 持平 is equality: 202.24 = 202.24 quiet; 182.24 ≠ 202.24 fires
    Case("IT074", "quiet-level", _text("全年预算为202.24万元，支出决算为202.24万元。决算数与全年预算数持平。"), 0),
    Case("IT074", "fires-level", _text("全年预算为202.24万元，支出决算为182.24万元。决算数与全年预算数持平。"), 1,
         expected="182.24万元 小于 202.24万元", severity="high"),
    # 基本持平: 258.00 is within a twentieth of 258.50
    Case("IT074", "quiet-basically-level", _text("年初预算为258.50万元，支出决算为258.00万元。决算数与预算数基本持平。"), 0),
]
