"""CP012 cases: 截至…年12月31日 dates."""

from __future__ import annotations

from tests.checks.case import Case
from tests.checks.grid_builder import NINE, disclosure_frames

_CARS = "截至2022年12月31日，本部门共有车辆3辆，其中：一般公务用车2辆。"
_CELLS = {"t01": [["项目", "金额"], ["截至2020年12月31日资产总额", "12.00"]]}

CASES: list[Case] = [
    # a 2023 决算: the year end must be 2023
    Case("CP012", "last-year-end-in-final", disclosure_frames(NINE, fiscal_year=2023, passages=[_CARS]), fires=1, severity="medium",
         expected="2023年", actual="2022年", kind="stale_year_text"),
    # a 2023 预算 states last year's position: 2022 is right
    Case("CP012", "budget-prior-year-quiet", disclosure_frames(NINE, doc_type="budget", fiscal_year=2023,
                                                               passages=[_CARS]), fires=0),
    Case("CP012", "old-year-end-in-cell", disclosure_frames(NINE, fiscal_year=2023, cells=_CELLS), fires=1, severity="medium",
         actual="2020年"),
    Case("CP012", "own-year-quiet", disclosure_frames(NINE, fiscal_year=2022, passages=[_CARS]), fires=0),
]
