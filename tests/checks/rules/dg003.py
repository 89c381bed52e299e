"""DG003 cases: empty required tables and their 本表无数据 statement."""

from __future__ import annotations

from tests.checks.case import Case
from tests.checks.grid_builder import NINE, disclosure_frames

# header rows only, with the 栏次 row (1 2 3 …): no figures
_EMPTY = {"t08": [["项目", "年初结转和结余", "本年收入", "本年支出", "年末结转和结余"], ["栏次", "1", "2", "3", "4"],
                  ["合计", "", "", "", ""]]}
_EMPTY_NONE = {"t08": [*_EMPTY["t08"], ["无", "", "", "", ""]]}
_STATEMENT = "说明：本部门本年度没有政府性基金预算财政拨款收入和支出，故本表无数据。"

CASES: list[Case] = [
    Case("DG003", "empty-unstated", disclosure_frames(NINE, cells=_EMPTY), fires=1, kind="empty_table_unstated",
         contains=["政府性基金预算财政拨款收入支出决算表", "本表无数据"], severity="low"),
    Case("DG003", "empty-stated-in-text-quiet", disclosure_frames(NINE, cells=_EMPTY, passages=[_STATEMENT]), fires=0),
    Case("DG003", "empty-stated-in-table-quiet", disclosure_frames(NINE, cells=_EMPTY_NONE), fires=0),
]
