"""Fire / quiet cases of IT078 (the same item's amount stated twice); expected values worked out by hand."""

from __future__ import annotations

from tests.checks.builders import P, frames, with_passages
from tests.checks.case import Case


def _text(*texts: str) -> dict:
    return with_passages(frames(), [{**P(t, pid=f"p{i}", order=i), "page": i + 1} for i, t in enumerate(texts)])


CASES: list[Case] = [
    # stated 0.39 in the 三公 paragraph and again 0.39 in the summary: one amount
    Case("IT078", "quiet-same-amount", _text("公务接待费支出决算0.39万元，比上年减少0.10万元。",
                                             "2024年公务接待费支出决算0.39万元，主要用于接待上级检查。"), 0),
    # 0.39 twice against 0.49 once (printed to 0.01万元: [0.385, 0.395] and [0.485, 0.495] do not meet)
    Case("IT078", "fires-restated", _text("公务接待费支出决算0.39万元，比上年减少0.10万元。",
                                          "2024年公务接待费支出决算0.49万元，主要用于接待上级检查。",
                                          "公务接待费支出决算0.39万元，接待12批次。"), 1,
         expected="0.39万元", actual="0.49万元", kind="restatement_mismatch",
         contains=["公务接待费支出决算"], severity="high"),
    # the same amount once in 元 and once in 万元 (3900元 = 0.39万元): one amount
    Case("IT078", "quiet-other-unit", _text("公务接待费支出决算0.39万元。", "公务接待费支出决算3900元，接待12批次。"), 0),
    # a generic name (each project's 预算安排): not compared
    Case("IT078", "quiet-generic-name", _text("项目一预算安排30.00万元。", "预算安排40.00万元，用于系统维护。"), 0),
    # three amounts for one name: a name for several items, not compared
    Case("IT078", "quiet-three-amounts", _text("信息化系统日常维护费166.66万元。", "信息化系统日常维护费200.00万元。",
                                               "信息化系统日常维护费50.00万元。"), 0),
    # two statements that differ: one item misstated, or two inspections? not compared
    Case("IT078", "quiet-two-differ", _text("公务接待费支出决算0.39万元。", "公务接待费支出决算0.49万元，接待12批次。"), 0),
    # a 科目 line (款) of two tables' sections, and a subject carrying a comparison: not items
    Case("IT078", "quiet-subject-level", _text("(1)办公费(款)支出 110 万元。", "(1)办公费(款)支出 167.03 万元。",
                                               "(1)办公费(款)支出 110 万元，用于日常办公。"), 0),
    # another period (上年) is another amount
    Case("IT078", "quiet-other-year", _text("2024年公务接待费支出决算0.39万元。", "2023年公务接待费支出决算0.49万元。"), 0),
]
