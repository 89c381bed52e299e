"""IT053 cases: 其中 rows against their parent."""

from __future__ import annotations

import copy

import polars as pl

from tests.checks.case import Case
from tests.checks.grid_builder import table_frames

_t = [["项目", "预算数", "决算数"],
      ["基本支出", "120.00", "118.00"],
      ["其中：人员经费", "80.00", "79.50"],
      ["项目支出", "60.00", "58.00"],
      ["其中：专项业务费", "40.00", "45.00"]]
_bad = copy.deepcopy(_t)
_bad[4][2] = "65.00"  # 其中 65.00 > 项目支出 58.00


def _form(total: str, fiscal: str, fiscal_year_col: str) -> list[list[str]]:
    """One project's 绩效目标表 fund block (元): 总额 and 年度申请 columns, 其中 财政资金, 其他资金 0."""
    return [["项目资金（元）", "项目资金", "申请资金"],
            ["项目资金总额", total, total],
            ["其中：财政资金", fiscal, fiscal_year_col],
            ["其他资金", "0.00", "0.00"]]


def _copies(forms: list[list[list[str]]]) -> dict[str, pl.DataFrame]:
    """One document printing one form per project, each its own table."""
    parts = [table_frames(f, title="财政项目支出绩效目标填报表", table_id=f"t{i + 1:02d}") for i, f in enumerate(forms)]
    out = parts[0]
    for name in ("cells", "tables"):
        out[name] = pl.concat([p[name] for p in parts])
    return out


# figures of a real 街道 budget's project forms (元); its fourth form prints 当年财政拨款 11,419,043.00 under a
# 年度资金申请总额 of 10,903,043.00 (上年结转 0.00, 其他资金 0.00)
_FORMS = [_form("4,100,000.00", "4,100,000.00", "4,100,000.00"), _form("7,595,500.00", "7,595,500.00", "7,595,500.00"),
          _form("2,360,000.00", "2,360,000.00", "2,360,000.00")]
_OVER = _form("10,903,043.00", "10,903,043.00", "11,419,043.00")

CASES: list[Case] = [
    # each form alone has 2 places (too few); 4 copies pool 8: 7 hold, 11,419,043 > 10,903,043 fails →
    # 7 of 8 ≥ 3/4, accepted from the copies, never strong → low
    Case("IT053", "qizhong-over-parent-in-one-of-four-form-copies", _copies([*_FORMS, _OVER]), fires=1,
         severity="low", expected="10903043.00", actual="11,419,043.00", kind="broken_footing",
         contains=["4张同式样表格", "大于"]),
    Case("IT053", "qizhong-form-copies-quiet", _copies([*_FORMS, _form("10,903,043.00", "10,903,043.00",
                                                                        "10,903,043.00")]), fires=0),
    # two copies: 3 of their 4 places hold, but two copies are too few to pool
    Case("IT053", "qizhong-two-form-copies-quiet", _copies([_FORMS[0], _OVER]), fires=0),

    # 80 ≤ 120, 79.5 ≤ 118, 40 ≤ 60 hold; 65 > 58 fails → 3 of 4, accepted; 3 holding is not strong → low
    Case("IT053", "qizhong-over-parent", table_frames(_bad, title="支出情况表", unit="万元"), fires=1, severity="low",
         expected="58.00", actual="65.00", kind="broken_footing", contains=["专项业务费", "大于"]),
    Case("IT053", "qizhong-quiet", table_frames(_t, title="支出情况表", unit="万元"), fires=0),
]
