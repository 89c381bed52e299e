"""Shared selections over ``line_items``: titles joined in, labels, the 科目 hierarchy.

Everything returns frames in the shape :data:`toolkit.checks.identities.TERMS` expects
(value/decimals/scale/unit/page/row/col/label/measure_label/raw_text/title).
"""

from __future__ import annotations

import polars as pl

from toolkit.checks.framework import get
from toolkit.extract.table_types import table_names

CODED_TABLES = ("income", "expense", "gpb_expense", "gov_fund", "soe_capital", "project_expense")

TABLE_NAMES = table_names()  # table_type -> Chinese name, from the table-type specs


def items(frames: dict[str, pl.DataFrame], table_types: tuple[str, ...] | None = None) -> pl.DataFrame:
    """line_items (optionally of some table types) with ``title`` and ``label`` columns."""
    li = _with_document_money_unit(get(frames, "line_items"))
    if table_types is not None:
        li = li.filter(pl.col("table_type").is_in(table_types))
    titles = get(frames, "tables").select("document_id", "table_id", pl.col("title").alias("_title")).unique(
        ["document_id", "table_id"]
    )
    li = li.join(titles, on=["document_id", "table_id"], how="left")
    fallback = pl.col("table_type").replace_strict(TABLE_NAMES, default=pl.col("table_type"))
    name = pl.col("name").fill_null("")
    label = pl.when(pl.col("code").is_not_null()).then(pl.concat_str([pl.col("code"), pl.lit(" "), name])).otherwise(name)
    return li.with_columns(
        title=pl.coalesce(pl.col("_title"), fallback),
        label=label.str.strip_chars(),
        measure_label=pl.coalesce(pl.col("measure_label"), pl.col("measure")),
    ).drop("_title")


MONEY_UNITS = {"元": 1.0, "千元": 1e3, "万元": 1e4, "亿元": 1e8}
# tables mixing money with rates, scores and counts: a missing unit there says nothing about money
_NOT_MONEY_TABLES = ("dept_self_eval", "project_self_eval", "basic_data", "score_sheet")


def _with_document_money_unit(li: pl.DataFrame) -> pl.DataFrame:
    """Money tables whose unit line could not be read take the document's unit when every other money
    table of the document prints the same one (“单位：万” and “元” split over two lines left the 三公
    table unitless; compared as 元, its 266.80 became 0.03万元)."""
    money = li.filter(pl.col("unit").is_in(list(MONEY_UNITS)))
    if money.height == 0 or li.filter(pl.col("unit").is_null()).height == 0:
        return li
    only = money.group_by("document_id").agg(pl.col("unit").unique().alias("_units")).filter(
        pl.col("_units").list.len() == 1).select("document_id", pl.col("_units").list.first().alias("_doc_unit"))
    # tables with no unit at all (every cell unitless): percent / score / count tables have their own units
    unitless = li.group_by("document_id", "table_id").agg(pl.col("unit").is_null().all().alias("_none"))
    out = li.join(only, on="document_id", how="left").join(unitless, on=["document_id", "table_id"], how="left")
    fill = (pl.col("unit").is_null() & pl.col("_none").fill_null(False) & pl.col("_doc_unit").is_not_null()
            & ~pl.col("table_type").is_in(list(_NOT_MONEY_TABLES)))
    return out.with_columns(
        unit=pl.when(fill).then(pl.col("_doc_unit")).otherwise(pl.col("unit")),
        scale=pl.when(fill).then(pl.col("_doc_unit").replace_strict(MONEY_UNITS, default=None, return_dtype=pl.Float64))
        .otherwise(pl.col("scale")),
    ).drop("_doc_unit", "_none")


def with_hierarchy(li: pl.DataFrame) -> pl.DataFrame:
    """Add ``parent``: the nearest ancestor code present in the same table (null = top level).

    Works for 3/5/7-digit 功能分类 codes and 3/5-digit 经济分类 codes alike; a layout that
    prints only 项 rows has every row at top level, so they foot directly to 合计.
    """
    coded = li.filter(pl.col("code").is_not_null())
    present = coded.select("document_id", "table_id", "code").unique()
    n = pl.col("code").str.len_chars()
    c = coded.with_columns(
        _a5=pl.when(n > 5).then(pl.col("code").str.slice(0, 5)),
        _a3=pl.when(n > 3).then(pl.col("code").str.slice(0, 3)),
    )
    p5 = present.rename({"code": "_a5"}).with_columns(_h5=pl.lit(True))
    p3 = present.rename({"code": "_a3"}).with_columns(_h3=pl.lit(True))
    c = c.join(p5, on=["document_id", "table_id", "_a5"], how="left").join(
        p3, on=["document_id", "table_id", "_a3"], how="left"
    )
    parent = pl.when(pl.col("_h5").fill_null(False)).then(pl.col("_a5")).when(pl.col("_h3").fill_null(False)).then(
        pl.col("_a3")
    )
    return c.with_columns(parent=parent).drop("_a5", "_a3", "_h5", "_h3")


def total_rows(li: pl.DataFrame) -> pl.DataFrame:
    """The 合计 row(s) of a 科目 table."""
    return li.filter(
        pl.col("code").is_null()
        & ((pl.col("item_key") == "total") | pl.col("row_kind").is_in(["total", "grand_total"]))
    )


def duplicated_codes(li: pl.DataFrame) -> pl.DataFrame:
    """(document_id, table_id, measure) where a code repeats (分单位 layouts): footing is not defined."""
    return (
        li.filter(pl.col("code").is_not_null())
        .group_by("document_id", "table_id", "measure", "code")
        .len()
        .filter(pl.col("len") > 1)
        .select("document_id", "table_id", "measure")
        .unique()
    )
