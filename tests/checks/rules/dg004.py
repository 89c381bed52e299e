"""DG004 cases: a table stated empty that carries data."""

from __future__ import annotations

from tests.checks.case import Case
from tests.checks.grid_builder import NINE, disclosure_frames

_DATA = {"t08": [["项目", "年初结转和结余", "本年收入", "本年支出", "年末结转和结余"], ["栏次", "1", "2", "3", "4"],
                 ["合计", "0.00", "12.00", "12.00", "0.00"]]}
_STATEMENT = "说明：本部门本年度没有政府性基金预算财政拨款收入和支出，故本表无数据。"

CASES: list[Case] = [
    # 12.00 twice: two non-zero cells (the 栏次 row 1–4 is not data)
    Case("DG004", "stated-empty-has-data", disclosure_frames(NINE, cells=_DATA, passages=[_STATEMENT]), fires=1,
         actual="2个非零数据", kind="empty_statement_contradicted", severity="medium"),
    Case("DG004", "data-no-statement-quiet", disclosure_frames(NINE, cells=_DATA), fires=0),
]
