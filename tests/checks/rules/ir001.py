"""Fire / quiet cases of IR001; expected values worked out by hand (comments beside each case)."""

from __future__ import annotations

from tests.checks.builders import rate_frames
from tests.checks.case import Case

# ---- IR001: 参保率
COV_OVER = "2023年全区居民参保人数67603人，职工参保人数7032人，总计75646人，综合参保率达到102.02%，获得通报表扬。"


COV_OK = "2023年全区参保75646人，综合参保率达到97.02%；特殊及困难人员综合参保率达100%。"


COV_SHARE = "城乡居民医保参保312277人、职工医保参保51325人，合计363602人，占户籍人口346798人的104.85%。"


CASES: list[Case] = [
    # IR001: 102.02 % > 100 -> coverage_over_100 (2.02 points beyond the hard limit)
    # severity: above the hard limit of 100 %: the check sets high
    Case("IR001", "fires", rate_frames(COV_OVER, "102.02%"), 1, actual="102.02%", expected="≤100%",
             kind="coverage_over_100", contains=["102.02%", "重复参保"], severity="high"),
    # 合计363602人，占户籍人口346798人的104.85% is a 参保率 too (363602 / 346798 = 104.85 %)
    # severity: above the hard limit of 100 %: the check sets high
    Case("IR001", "fires-share-of-population", rate_frames(COV_SHARE, "104.85%"), 1, actual="104.85%", severity="high"),
    Case("IR001", "quiet", rate_frames(COV_OK, "97.02%", "100%"), 0),
]
