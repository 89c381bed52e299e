"""DG001 cases: the 部门决算 table set."""

from __future__ import annotations

from tests.checks.case import Case
from tests.checks.grid_builder import NINE, disclosure_frames

_no_sangong = [t for t in NINE if t[1] != "sangong"]
_no_govfund = [t for t in NINE if t[1] != "gov_fund"]

CASES: list[Case] = [
    Case("DG001", "sangong-missing", disclosure_frames(_no_sangong), fires=1, expected="财政拨款“三公”经费支出决算表",
         kind="required_table_missing", contains=["三公", "已识别8张"], severity="medium"),
    Case("DG001", "complete-quiet", disclosure_frames(NINE), fires=0),
    # 政府性基金 table left out, the text says the unit has none: not judged
    Case("DG001", "govfund-stated-none-quiet", disclosure_frames(
        _no_govfund, passages=["本部门本年度没有政府性基金预算财政拨款收入和支出。"]), fires=0),
    # 三公 folded into a local table (its title carries 三公; the table is not recognised as sangong)
    Case("DG001", "sangong-folded-quiet", disclosure_frames(
        [*_no_sangong, ("t10", "generic", "“三公”经费和机关运行经费预算表")]), fires=0),
    # two tables only: not a full disclosure, not judged
    Case("DG001", "excerpt-quiet", disclosure_frames(NINE[:2]), fires=0),
    # the 国有资本经营 table is not required before 2020 (2019 预算 with 8 tables)
    Case("DG001", "budget-2019-quiet", disclosure_frames(NINE[:8], doc_type="budget", fiscal_year=2019), fires=0),
    # the 三公 table's title is printed, its table run together in a shape that was not read: not judged
    Case("DG001", "sangong-title-printed-quiet", disclosure_frames(
        _no_sangong, passages=["财政拨款“三公”经费支出决算表", "项目 因公出国(境)费 公务接待费 12.00 3.00"]), fires=0),
    # the same title printed only in the 目录 does not count: the table is still missing
    Case("DG001", "sangong-title-in-toc-only", disclosure_frames(
        _no_sangong, toc=["目录", "七、财政拨款“三公”经费支出决算表"]), fires=1, expected="财政拨款“三公”经费支出决算表",
         severity="medium"),
    Case("DG001", "budget-2024-soe-missing", disclosure_frames(NINE[:8], doc_type="budget"), fires=1, severity="medium",
         expected="国有资本经营预算支出表"),
]
