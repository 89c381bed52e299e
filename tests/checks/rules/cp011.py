"""CP011 cases: a year in a title that is not the document's."""

from __future__ import annotations

from tests.checks.case import Case
from tests.checks.grid_builder import NINE, disclosure_frames

_old = [("t02", "income", "2023年度收入决算表") if t[0] == "t02" else t for t in NINE]
_own = [("t02", "income", "2024年度收入决算表") if t[0] == "t02" else t for t in NINE]
_exec = [("t10", "generic", "2023年预算执行情况表"), *NINE]

_summary = [("t01", "income_expense_summary", "收支预算总表")]
# a 2024 budget whose cover was left at 2023: the metadata reads 2023 from the cover, the text says 2024 three times
_body = ["某某局2024年度收入、支出预算总计100.00万元。", "某某局2024年度财政拨款收、支总预算100.00万元。",
         "某某局2024年一般公共预算财政拨款支出预算100.00万元。"]
_cover = "某某局2023年度部门预算"

CASES: list[Case] = [
    Case("CP011", "old-year-title", disclosure_frames(_old), fires=1, severity="medium", expected="2024年", actual="2023年",
         kind="stale_year_text"),
    Case("CP011", "own-year-quiet", disclosure_frames(_own), fires=0),
    # last year's execution in a 2024 budget is a comparison, not a stale title
    Case("CP011", "execution-quiet", disclosure_frames(_exec, doc_type="budget"), fires=0),
    Case("CP011", "cover-year-against-text", disclosure_frames(_summary, doc_type="budget", fiscal_year=2023,
                                                              passages=[_cover, *_body]),
         fires=1, severity="medium", expected="2024年", actual="2023年", kind="stale_year_text"),
    # the text also names the cover's year once: the years are mixed, nothing says which is stale
    Case("CP011", "cover-year-also-in-text-quiet",
         disclosure_frames(_summary, doc_type="budget", fiscal_year=2023,
                           passages=[_cover, *_body, "某某局2023年度部门预算收支总额100.00万元。"]), fires=0),
    # two mentions are too few to doubt the cover
    Case("CP011", "cover-year-two-mentions-quiet",
         disclosure_frames(_summary, doc_type="budget", fiscal_year=2023, passages=[_cover, *_body[:2]]), fires=0),
]
