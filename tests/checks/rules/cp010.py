"""CP010 cases: placeholders in table titles."""

from __future__ import annotations

from tests.checks.case import Case
from tests.checks.grid_builder import NINE, disclosure_frames

_xx = [("t01", "income_expense_summary", "上海市普陀区XX单位2026年财务收支预算总表"), *NINE[1:]]

CASES: list[Case] = [
    Case("CP010", "xx-in-title", disclosure_frames(_xx, doc_type="budget", fiscal_year=2026), fires=1, actual="XX",
         kind="template_residue", severity="medium"),
    Case("CP010", "filled-title-quiet", disclosure_frames(NINE), fires=0),
]
