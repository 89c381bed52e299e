"""CP011 cases: a year in a title that is not the document's."""

from __future__ import annotations

from tests.checks.case import Case
from tests.checks.grid_builder import NINE, disclosure_frames

_old = [("t02", "income", "2023年度收入决算表") if t[0] == "t02" else t for t in NINE]
_own = [("t02", "income", "2024年度收入决算表") if t[0] == "t02" else t for t in NINE]
_exec = [("t10", "generic", "2023年预算执行情况表"), *NINE]

CASES: list[Case] = [
    Case("CP011", "old-year-title", disclosure_frames(_old), fires=1, severity="medium", expected="2024年", actual="2023年",
         kind="stale_year_text"),
    Case("CP011", "own-year-quiet", disclosure_frames(_own), fires=0),
    # last year's execution in a 2024 budget is a comparison, not a stale title
    Case("CP011", "execution-quiet", disclosure_frames(_exec, doc_type="budget"), fires=0),
]
