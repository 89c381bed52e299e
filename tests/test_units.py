"""Units from titles, 单位 lines and column headers; every number records where its unit came from."""

from __future__ import annotations

import polars as pl

from toolkit.extract.document import extract_document
from toolkit.loaders import load_bytes
from toolkit.model import Limits


def _read(text: str) -> dict[str, pl.DataFrame]:
    data = text.encode("utf-8")
    raw = load_bytes(data, "u.txt", Limits())
    return extract_document(raw, document_id="d", path="u.txt", sha256="0" * 64, size_bytes=len(data))


def test_bare_sentence_amounts_take_the_declared_unit() -> None:
    facts = _read("2023年度基金收支情况\n单位：万元\n本年基金收入1,234.56，基金支出1,100.20，当期结余134.36。\n")["facts"]
    got = facts.select("metric", "value", "unit", "scale", "unit_source").rows()
    # 1,234.56 − 1,100.20 = 134.36: three amounts, all under 单位：万元
    assert got == [("fund_income", 1234.56, "万元", 1e4, "declared"), ("fund_expense", 1100.2, "万元", 1e4, "declared"),
                   ("fund_balance_current", 134.36, "万元", 1e4, "declared")]


def test_printed_units_win_and_bare_numbers_without_a_declaration_stay_unitless() -> None:
    facts = _read("本年基金收入1,234.56万元，基金支出1,100.20。\n")["facts"]
    assert facts.filter(pl.col("value") == 1234.56)["unit_source"].to_list() == ["printed"]
    assert facts.filter(pl.col("value") == 1100.2)["unit"].to_list() in ([], [None])


def test_column_header_unit_beats_the_table_unit_line() -> None:
    text = (
        "2023年度收入决算表\n单位：万元\n"
        "项目\t决算数\t其中:经费(元)\n"
        "本年收入合计\t362.62\t3626200.00\n"
    )
    cells = _read(text)["cells"].filter(pl.col("value").is_not_null())
    by_raw = {r["raw_text"]: (r["unit"], r["unit_source"]) for r in cells.iter_rows(named=True)}
    assert by_raw["362.62"] == ("万元", "table")
    assert by_raw["3626200.00"] == ("元", "column")
