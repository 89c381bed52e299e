"""IT060 cases: the same printed figure under two money units in two tables.

Figures from a real 收入支出决算总表 (本年收入合计 362.62 万元); the second table's unit line is made
wrong by hand (单位：元), so 362.62 appears once as 万元 and once as 元: one finding.
"""

from __future__ import annotations

from tests.checks import builders as b
from tests.checks.case import Case
from toolkit import schemas


def _cell(table_id: str, row: int, label: str, raw: str, value: float, unit: str, source: str = "table") -> dict:
    scale = {"元": 1.0, "万元": 1e4}[unit]
    return {"document_id": b.DOC, "table_id": table_id, "table_type": "income_expense_summary", "page": 1,
            "row": row, "col": 2, "row_label": label, "col_label": "决算数", "raw_text": raw, "value": value,
            "unit": unit, "scale": scale, "decimals": len(raw.split(".")[1]) if "." in raw else 0,
            "is_percent": False, "unit_source": source}


def _frames(cells: list[dict]) -> dict:
    frames = b.frames()
    frames["cells"] = schemas.frame(cells, schemas.CELLS)
    return frames


CASES: list[Case] = [
    Case("IT060", "same-digits-yuan-and-wanyuan",
         _frames([_cell("t01", 12, "本年收入合计", "362.62", 362.62, "万元"),
                  _cell("t04", 8, "收入总计", "362.62", 362.62, "元")]),
         fires=1, expected="362.62元", actual="362.62万元", kind="unit_slip", contains=["362.62", "表头单位行"],
         severity="medium"),  # set by the check: digits alone pair the two cells
    Case("IT060", "same-digits-same-unit",
         _frames([_cell("t01", 12, "本年收入合计", "362.62", 362.62, "万元"),
                  _cell("t04", 8, "收入总计", "362.62", 362.62, "万元")]),
         fires=0),
    # 100.00 has one significant digit: round figures recur by chance under different units
    Case("IT060", "round-figure-is-not-compared",
         _frames([_cell("t01", 3, "分值合计", "100.00", 100.0, "万元"),
                  _cell("t04", 3, "其他", "100.00", 100.0, "元")]),
         fires=0),
    # the same digits with different units inside one table are not this check's (one unit line)
    Case("IT060", "one-table-only",
         _frames([_cell("t01", 3, "甲", "17.64", 17.64, "万元"), _cell("t01", 4, "乙", "17.64", 17.64, "元", "cell")]),
         fires=0),
]
