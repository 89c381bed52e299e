"""Fire / quiet cases of CP004; expected values worked out by hand (comments beside each case)."""

from __future__ import annotations

from tests.checks.builders import P, frames, with_passages
from tests.checks.case import Case

CASES: list[Case] = [
    # CP004: “2021年度收入总计” in the 2023 report (2023 − 2 = 2021); comparisons are fine
    # severity: the check's fixed severity: medium
    Case("CP004", "fires", with_passages(frames(), [P("2021年度收入总计1633.52万元，支出总计1633.52万元。与上年相比增加5.2万元。")]),
             1, actual="2021年", expected="2023年", severity="medium"),
    Case("CP004", "quiet", with_passages(frames(), [P("2023年度收入总计1633.52万元，与2022年度相比增加5.2万元；"
                                                          "自2021年9月起执行全市统一政策。")]), 0),
]
