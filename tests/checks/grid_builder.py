"""Hand-made tables as ``cells`` frames: a header row and body rows of printed strings."""

from __future__ import annotations

import polars as pl

from tests.checks.builders import DOC, frames
from toolkit import schemas
from toolkit.normalize.numbers import parse_number, unit_scale


def table_frames(rows: list[list[str]], *, title: str = "测试表", unit: str = "元", table_id: str = "t01",
                 table_type: str = "generic", fiscal_year: int = 2021, extra_tables: list[dict] = (),
                 passages: list[dict] = ()) -> dict[str, pl.DataFrame]:
    """Frames of one document with one table: ``rows[0]`` is the header (column labels)."""
    _, scale = unit_scale(unit)
    header, body = rows[0], rows[1:]
    cells = []
    for r_i, row in enumerate(rows):
        label = next((c for c in row[:3] if c and parse_number(c) is None), None)
        for c_i, raw in enumerate(row):
            num = parse_number(raw) if raw else None
            cells.append({"document_id": DOC, "table_id": table_id, "table_type": table_type, "page": 1, "row": r_i,
                          "col": c_i, "row_label": label, "col_label": header[c_i], "raw_text": raw,
                          "value": num.value if num else None, "unit": unit if num else None,
                          "scale": (num.scale if num and num.unit else scale) if num else None,
                          "decimals": num.decimals if num else None, "is_percent": num.is_percent if num else None})
    f = frames(fiscal_year=fiscal_year)
    f["cells"] = schemas.frame(cells, schemas.CELLS)
    tables = [{"document_id": DOC, "table_id": table_id, "table_type": table_type, "title": title, "page": 1,
               "n_rows": len(body) + 1, "n_cols": len(header), "unit": unit}, *extra_tables]
    f["tables"] = schemas.frame(tables, schemas.TABLES)
    f["passages"] = schemas.frame(list(passages), schemas.PASSAGES)
    return f


# seed 003 (璧山区, 2021): 抽取的街道（镇）经费使用情况, 单位：元 — the printed table, row by row
ZHENJIE = [
    ["项目", "医保局支各镇街城乡居民医保经费金额", "用于医保宣传金额", "办公经费", "拨付给村（居）委会金额", "小计", "结余金额"],
    ["6个镇街合计", "487,632.00", "8,600.00", "62,462.00", "366,202.00", "437,264.00", "50,368.00"],
    ["占比（%）", "100.00%", "1.76%", "12.81%", "75.10%", "89.67%", "10.33%"],
    ["3个街道合计", "298,482.00", "6,000.00", "39,597.00", "212,266.50", "257,863.50", "40,618.50"],
    ["占比（%）", "100.00%", "2.01%", "13.27%", "71.12%", "86.39%", "13.61%"],
    ["3个镇合计", "189,150.00", "2,600.00", "22,865.00", "153,935.50", "179,400.50", "9,749.50"],
    ["占比（%）", "100.00%", "1.37%", "12.09%", "81.38%", "94.85%", "5.15%"],
]

# a fund statement around seed 000's figures (洞口县 2021, 万元): 职工医保 收入 13129, 支出 12050, 累计结余 24016;
# 城乡居民 支出 46866.29, 当期结余 15639.24, 累计结余 57908.69. Derived by the statement's own identity
# (上年结余 + 本年收入 − 本年支出 = 滚存结余): 职工 上年 = 24016 − 13129 + 12050 = 22937;
# 居民 收入 = 46866.29 + 15639.24 = 62505.53, 上年 = 57908.69 − 15639.24 = 42269.45. A third fund
# (大病保险) uses 职工's 大病互助 income 585 and its 补偿 503, 上年 120 (assumed) → 滚存 202.
FUND = [
    ["险种", "上年结余", "本年收入", "本年支出", "滚存结余"],
    ["职工基本医疗保险", "22937.00", "13129.00", "12050.00", "24016.00"],
    ["城乡居民基本医疗保险", "42269.45", "62505.53", "46866.29", "57908.69"],
    ["大病互助", "120.00", "585.00", "503.00", "202.00"],
    ["合计", "65326.45", "76219.53", "59419.29", "82126.69"],
]


NINE = [("t01", "income_expense_summary", "收入支出决算总表"), ("t02", "income", "收入决算表"),
        ("t03", "expense", "支出决算表"), ("t04", "fiscal_summary", "财政拨款收入支出决算总表"),
        ("t05", "gpb_expense", "一般公共预算财政拨款支出决算表"),
        ("t06", "gpb_basic_expense", "一般公共预算财政拨款基本支出决算表"),
        ("t07", "sangong", "财政拨款“三公”经费支出决算表"),
        ("t08", "gov_fund", "政府性基金预算财政拨款收入支出决算表"),
        ("t09", "soe_capital", "国有资本经营预算财政拨款收入支出决算表")]


def disclosure_frames(tables: list[tuple[str, str, str]], *, doc_type: str = "final_accounts",
                      fiscal_year: int = 2024, passages: list[str] = (), toc: list[str] = (),
                      cells: dict[str, list[list[str]]] | None = None) -> dict[str, pl.DataFrame]:
    """One document of ``doc_type`` with the given (table_id, table_type, title) tables, text and 目录.

    ``cells`` maps a table id to its printed rows (the first row is the header); tables not given get a
    single row with one non-zero amount, so they are not empty.
    """
    f = frames(fiscal_year=fiscal_year)
    f["documents"] = f["documents"].with_columns(doc_type=pl.lit(doc_type))
    f["tables"] = schemas.frame([{"document_id": DOC, "table_id": t, "table_type": tt, "title": title, "page": i + 1}
                                 for i, (t, tt, title) in enumerate(tables)], schemas.TABLES)
    rows = []
    for i, (t, tt, _) in enumerate(tables):
        grid = (cells or {}).get(t) or [["项目", "金额"], ["合计", "12.00"]]
        for r_i, row in enumerate(grid):
            for c_i, raw in enumerate(row):
                num = parse_number(raw) if raw else None
                rows.append({"document_id": DOC, "table_id": t, "table_type": tt, "page": i + 1, "row": r_i,
                             "col": c_i, "row_label": row[0] or None, "col_label": grid[0][c_i], "raw_text": raw,
                             "value": num.value if num else None, "unit": "万元" if num else None,
                             "scale": 1e4 if num else None, "decimals": num.decimals if num else None,
                             "is_percent": num.is_percent if num else None})
    f["cells"] = schemas.frame(rows, schemas.CELLS)
    ps = [{"document_id": DOC, "passage_id": f"p{i}", "page": 1, "order": i, "heading": None, "role": "statement",
           "text": t} for i, t in enumerate(passages)]
    if toc:
        ps.append({"document_id": DOC, "passage_id": "toc", "page": 1, "order": len(ps), "heading": "目录",
                   "role": "toc", "text": "\n".join(toc)})
    f["passages"] = schemas.frame(ps, schemas.PASSAGES)
    return f
