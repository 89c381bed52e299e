"""DG002 cases: the document's own 目录 against its tables."""

from __future__ import annotations

from tests.checks.case import Case
from tests.checks.grid_builder import NINE, disclosure_frames

# the 目录 as printed in the 2024 普陀区 部门决算 (entries after “第二部分 … 部门决算表”)
TOC = ["第一部分 部门概况", "一、主要职能", "第二部分 2024年度部门决算表", "一、收入支出决算总表", "二、收入决算表",
       "三、支出决算表", "四、财政拨款收入支出决算总表", "五、一般公共预算财政拨款支出决算表",
       "六、一般公共预算财政拨款基本支出决算表", "七、财政拨款“三公”经费支出决算表",
       "八、政府性基金预算财政拨款收入支出决算表", "九、国有资本经营预算财政拨款收入支出决算表",
       "第三部分 2024年度部门决算情况说明", "八、政府性基金预算财政拨款收入支出决算情况说明"]

CASES: list[Case] = [
    Case("DG002", "listed-soe-missing", disclosure_frames(NINE[:8], toc=TOC), fires=1, severity="medium",
         expected="国有资本经营预算财政拨款收入支出决算表", kind="toc_table_missing", contains=["目录"]),
    # its title printed after the page header on one line, the table under it not read: not judged
    Case("DG002", "listed-soe-title-printed-quiet", disclosure_frames(
        NINE[:8], toc=TOC, passages=["部门：某区医疗保障局 单位：万元国有资本经营预算财政拨款收入支出决算表"]), fires=0),
    # the 目录 printed again elsewhere (entries with leader dots): no title of a table, the table is missing
    Case("DG002", "listed-soe-in-a-second-toc", disclosure_frames(
        NINE[:8], toc=TOC, passages=["九、国有资本经营预算财政拨款收入支出决算表 ……………… 12"]), fires=1, severity="medium",
         expected="国有资本经营预算财政拨款收入支出决算表"),
    Case("DG002", "all-listed-present-quiet", disclosure_frames(NINE, toc=TOC), fires=0),
    # tables published as a separate file: none of the listed tables is here, not judged
    Case("DG002", "tables-elsewhere-quiet", disclosure_frames([("t01", "generic", "部门基本情况")], toc=TOC), fires=0),
]
