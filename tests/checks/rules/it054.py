"""IT054 cases: a relation most bureaus' copies of a table follow, broken in one small copy."""

from __future__ import annotations

import copy

import polars as pl

from tests.checks.case import Case
from tests.checks.grid_builder import table_frames

# five bureaus print the same 镇街 allocation table (3 rows, no 合计/小计/结余 words, so one copy cannot
# prove 拨付资金 = 宣传 + 办公 + 补助 from its own rows once a row is wrong). Bureau 5's 乙镇 prints
# 拨付资金 9,950.00 where 1,200.00 + 3,100.00 + 5,560.00 = 9,860.00; its table holds the relation in 2 of
# 3 rows, the other four bureaus' copies in 3 of 3.
_ROWS = [["项目", "拨付资金", "宣传", "办公", "补助"],
         ["甲镇", "12,430.00", "1,500.00", "2,800.00", "8,130.00"],
         ["乙镇", "9,860.00", "1,200.00", "3,100.00", "5,560.00"],
         ["丙镇", "15,075.50", "900.00", "4,210.50", "9,965.00"]]


def _corpus(bad: bool) -> dict[str, pl.DataFrame]:
    parts: dict[str, list[pl.DataFrame]] = {}
    for k in range(5):
        rows = copy.deepcopy(_ROWS)
        if bad and k == 4:
            rows[2][1] = "9,950.00"
        f = table_frames(rows, title="各镇经费拨付情况表")
        doc = f"d{k}"
        f = {n: (df.with_columns(document_id=pl.lit(doc)) if "document_id" in df.columns else df)
             for n, df in f.items()}
        f["documents"] = f["documents"].with_columns(bureau=pl.lit(f"测试{k}区医疗保障局"), sha256=pl.lit(f"{k}" * 64))
        for n, df in f.items():
            parts.setdefault(n, []).append(df)
    return {n: pl.concat(dfs, how="vertical_relaxed") for n, dfs in parts.items()}


CASES: list[Case] = [
    Case("IT054", "one-copy-breaks", _corpus(True), fires=1, expected="9860.00", actual="9,950.00",
         kind="broken_footing", contains=["其他4个单位", "有4个符合", "拨付资金 = 宣传 + 办公 + 补助"], severity="low"),
    Case("IT054", "all-copies-hold-quiet", _corpus(False), fires=0),
]
