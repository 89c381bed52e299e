"""The numeric cells of every table, with intervals and the roles relation inference needs.

From ``cells`` (every table, recognised or not) keep the numbers that can take part in arithmetic:

* ``kind``: ``percent`` when the cell prints ``%`` or its column/row label names a rate or share
  (率, 占比, 比例, 比重, ％), else ``amount``;
* ``lo``/``hi``: the printed-precision interval (amounts: ±half a unit of the last digit, in base
  units; percents: ±one unit, because rates are printed rounded *or* truncated);
* ``row_role``: ``total`` (合计/总计/小计/共计 labels), ``qizhong`` (其中 rows), else ``item``;
* ``arow``/``acol``: the row/column index among the table's amount rows/columns, so a 占比 row
  between two amount rows does not break a contiguous block.

Left out: label columns (编码, 行次, 序号 …), 栏次 rows (1, 2, 3 …), code-like integers and
years, since none of them is a quantity.
"""

from __future__ import annotations

import polars as pl

from toolkit.checks.framework import get

PERCENT_LABEL = r"%|％|率|占比|比例|比重|百分比"
NOT_QUANTITY_COL = r"行次|栏次|序号|编码|代码|编号|年度|年份|电话|邮编|身份证"
TOTAL_LABEL = r"^(?:[\d一二三四五六七八九十]+[、.．]?)?(?:.{0,12})?(?:合\s*计|总\s*计|小\s*计|共\s*计)"
QIZHONG_LABEL = r"^\s*[（(]?\s*其中"
SEQUENCE_ROW_LABEL = r"栏次|行次|栏\s*次"
# self-evaluation tables are checked by their declared identities (IT020–IT023) cell by cell
DECLARED_TABLE_TYPES = ("dept_self_eval", "project_self_eval", "score_sheet")

NUMERIC: dict[str, pl.DataType] = {
    "document_id": pl.String, "table_id": pl.String, "table_type": pl.String, "page": pl.Int32,
    "row": pl.Int32, "col": pl.Int32, "row_label": pl.String, "col_label": pl.String, "raw_text": pl.String,
    "value": pl.Float64, "decimals": pl.Int32, "kind": pl.String, "base": pl.Float64, "lo": pl.Float64,
    "hi": pl.Float64, "unit_step": pl.Float64, "scale": pl.Float64, "row_role": pl.String, "arow": pl.Int32, "acol": pl.Int32,
    "declared": pl.Boolean,
}


def numeric_cells(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Numeric cells of every table (schema :data:`NUMERIC`)."""
    allc = get(frames, "cells")
    # plain integers left of a row's last text cell are labels (科目编码 split over 类/款/项 columns, 序号)
    last_text = allc.filter(pl.col("value").is_null() & (pl.col("raw_text").fill_null("").str.strip_chars() != "")
                            ).group_by("document_id", "table_id", "row").agg(last_text=pl.col("col").max())
    c = allc.filter(pl.col("value").is_not_null() & pl.col("value").is_finite()).join(
        last_text, on=["document_id", "table_id", "row"], how="left")
    raw = pl.col("raw_text").fill_null("").str.strip_chars()
    plain_int = raw.str.contains(r"^\d+$")
    c = c.filter(~(plain_int & (pl.col("col") < pl.col("last_text").fill_null(-1))) & ~raw.str.contains(r"^0\d+$"))
    if c.height == 0:
        return pl.DataFrame(schema=NUMERIC)
    col_label = pl.col("col_label").fill_null("")
    row_label = pl.col("row_label").fill_null("")
    dec = pl.col("decimals").fill_null(0)
    integer = dec == 0
    c = c.filter(
        ~col_label.str.contains(NOT_QUANTITY_COL)
        & ~row_label.str.contains(SEQUENCE_ROW_LABEL)
        # 科目编码 (201, 20101, 2010101) and years printed as plain integers are not quantities
        & ~(integer & pl.col("raw_text").fill_null("").str.strip_chars().str.contains(r"^(?:\d{3}|\d{5}|\d{7})$")
            & (pl.col("col") <= 1))
        & ~(integer & pl.col("value").is_between(1990, 2040) & ~pl.col("raw_text").str.contains(","))
    )
    # the 栏次 row: small consecutive integers 1, 2, 3 …
    seq = (
        c.group_by("document_id", "table_id", "row")
        .agg(n=pl.len(), mn=pl.col("value").min(), mx=pl.col("value").max(), nu=pl.col("value").n_unique(),
             ints=(pl.col("decimals").fill_null(0) == 0).all())
        .filter(pl.col("ints") & (pl.col("n") >= 3) & (pl.col("nu") == pl.col("n")) & (pl.col("mn") <= 2)
                & ((pl.col("mx") - pl.col("mn")) == (pl.col("n") - 1).cast(pl.Float64)))
        .select("document_id", "table_id", "row")
    )
    c = c.join(seq, on=["document_id", "table_id", "row"], how="anti")
    is_pct = pl.col("is_percent").fill_null(False) | col_label.str.contains(PERCENT_LABEL) | row_label.str.contains(
        PERCENT_LABEL)
    step = pl.lit(10.0).pow(-dec.cast(pl.Float64))
    scale = pl.col("scale").fill_null(1.0)
    c = c.with_columns(kind=pl.when(is_pct).then(pl.lit("percent")).otherwise(pl.lit("amount")))
    pct = pl.col("kind") == "percent"
    base = pl.when(pct).then(pl.col("value")).otherwise(pl.col("value") * scale)
    half = pl.when(pct).then(step).otherwise(0.5 * step * scale)
    c = c.with_columns(base=base, unit_step=pl.when(pct).then(step).otherwise(step * scale),
                       scale=pl.when(pct).then(1.0).otherwise(scale)).with_columns(
        lo=pl.col("base") - half, hi=pl.col("base") + half,
        row_role=pl.when(row_label.str.contains(QIZHONG_LABEL)).then(pl.lit("qizhong"))
        .when(row_label.str.contains(TOTAL_LABEL)).then(pl.lit("total")).otherwise(pl.lit("item")),
    )
    amounts = c.filter(pl.col("kind") == "amount")
    keys = ["document_id", "table_id"]
    arow = amounts.select(*keys, "row").unique().with_columns(
        arow=pl.col("row").rank("dense").over(keys).cast(pl.Int32) - 1)
    acol = amounts.select(*keys, "col").unique().with_columns(
        acol=pl.col("col").rank("dense").over(keys).cast(pl.Int32) - 1)
    c = c.join(arow, on=[*keys, "row"], how="left").join(acol, on=[*keys, "col"], how="left")
    c = c.join(_declared(frames), on=[*keys, "row", "col"], how="left").with_columns(
        declared=pl.col("declared").fill_null(False) | pl.col("table_type").is_in(DECLARED_TABLE_TYPES))
    return c.select([pl.col(k).cast(t) for k, t in NUMERIC.items()])


def _declared(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Cells a declared identity (IT001–IT036 over line_items) already checks."""
    li = get(frames, "line_items").filter(pl.col("measure").is_not_null())
    return li.select("document_id", "table_id", "row", "col").unique().with_columns(declared=pl.lit(True))


def column_labels(num: pl.DataFrame) -> pl.DataFrame:
    """One printed label per table column (the first non-empty)."""
    return num.group_by("document_id", "table_id", "col").agg(
        label=pl.col("col_label").drop_nulls().filter(pl.col("col_label") != "").first())


def row_labels(num: pl.DataFrame) -> pl.DataFrame:
    return num.group_by("document_id", "table_id", "row").agg(
        label=pl.col("row_label").drop_nulls().filter(pl.col("row_label") != "").first())
