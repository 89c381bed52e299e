"""Fire / quiet cases of IR002; expected values worked out by hand (comments beside each case)."""

from __future__ import annotations

from tests.checks.builders import rate_frames
from tests.checks.case import Case

# ---- IR002: 职工、居民 … 分别为 A 和 B (B is the 居民 rate: 46.55 < hard low 55)
REIMB_BAD = "待遇保障水平稳步提高：职工、居民政策范围内住院费用基金支付比例分别为82.39%和46.55%。"


REIMB_OK = "待遇保障水平稳步提高：职工、居民政策范围内住院费用基金支付比例分别为82.39%和66.55%。"


REIMB_AID = "低收入人口住院报销6811人次，一站式综合保障后政策范围内报销比例达到92.68%。"


CASES: list[Case] = [
    # IR002: the second rate of “职工、居民…分别为” is the 居民 rate: 46.55 < 55
    # severity: 8.45 points below the hard low 55 (≥ 3 points): the check sets medium
    Case("IR002", "fires", rate_frames(REIMB_BAD, "82.39%", "46.55%", schemes=("employee", "employee")), 1,
             actual="46.55%", contains=["居民医保政策范围内住院费用基金支付比例为46.55%"], severity="medium"),
    Case("IR002", "quiet", rate_frames(REIMB_OK, "82.39%", "66.55%", schemes=("employee", "employee")), 0),
    # a 一站式综合保障 rate for 低收入人口 is not the 职工/居民 ratio
    Case("IR002", "quiet-assistance", rate_frames(REIMB_AID, "92.68%"), 0),
]
