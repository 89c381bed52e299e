"""Fire / quiet cases of CP005; expected values worked out by hand (comments beside each case)."""

from __future__ import annotations

from tests.checks.builders import P, frames, with_passages
from tests.checks.case import Case

CASES: list[Case] = [
    # CP005
    # severity: the check's fixed severity: medium
    Case("CP005", "fires", with_passages(frames(), [P("截至XX月XX日，全县参保人数稳步增长。"),
                                                        P("故本表无数据。（当表格数据为空时，应有此说明）", pid="p2")]), 2,
             contains=["XX"], severity="medium"),
    Case("CP005", "quiet", with_passages(frames(), [P("经查，张××等3人存在冒名就医行为，已追回基金。")]), 0),
]
