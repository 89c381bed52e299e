"""IT054 cases: a relation most bureaus' copies of a table follow, broken in one small copy."""

from __future__ import annotations

import copy

import polars as pl

from tests.checks.case import Case
from tests.checks.grid_builder import ZHENJIE, table_frames

# five bureaus print the 镇街 table of seed 003; bureau 5's 3个街道合计 结余 is 41,618.50 where
# 拨付 298,482.00 − 小计 257,863.50 = 40,618.50. Its own table cannot accept 结余 = 拨付 − 小计 (2 of 3
# rows), the other four accept it in 3 of 3 rows each.


def _corpus(bad: bool) -> dict[str, pl.DataFrame]:
    parts: dict[str, list[pl.DataFrame]] = {}
    for k in range(5):
        rows = copy.deepcopy(ZHENJIE)
        if bad and k == 4:
            rows[3][6] = "41,618.50"
        f = table_frames(rows, title="抽取的街道（镇）经费使用情况")
        doc = f"d{k}"
        f = {n: (df.with_columns(document_id=pl.lit(doc)) if "document_id" in df.columns else df)
             for n, df in f.items()}
        f["documents"] = f["documents"].with_columns(bureau=pl.lit(f"测试{k}区医疗保障局"), sha256=pl.lit(f"{k}" * 64))
        for n, df in f.items():
            parts.setdefault(n, []).append(df)
    return {n: pl.concat(dfs, how="vertical_relaxed") for n, dfs in parts.items()}


CASES: list[Case] = [
    Case("IT054", "one-copy-breaks", _corpus(True), fires=1, expected="40618.50", actual="41,618.50",
         kind="broken_footing", contains=["其他4个单位", "有4个符合", "结余金额 = "], severity="low"),
    Case("IT054", "all-copies-hold-quiet", _corpus(False), fires=0),
]
