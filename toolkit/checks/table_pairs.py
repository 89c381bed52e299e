"""Pairing a summary table's rows with the detail tables' rows (IT010, IT012, IT013)."""

from __future__ import annotations

import polars as pl

from toolkit.checks.framework import get
from toolkit.checks.select import TABLE_NAMES


def docs_with(frames: dict[str, pl.DataFrame], table_type: str) -> pl.DataFrame:
    t = get(frames, "tables")
    return t.filter(pl.col("table_type") == table_type).select("document_id").unique()


def docs_with_rows(rows: pl.DataFrame) -> pl.DataFrame:
    return rows.filter(pl.col("value").is_not_null()).select("document_id").unique()


def pair_terms(
    frames: dict[str, pl.DataFrame],
    identity: str,
    wholes: pl.DataFrame,
    parts: pl.DataFrame,
    *,
    whole_type: str,
    part_type: str,
    whole_desc: pl.Expr,
    parts_desc: pl.Expr,
    relation: str = "eq",
    is_total: bool = False,
    fill_missing: bool = True,
) -> pl.DataFrame:
    """Terms comparing ``wholes`` with Σ ``parts`` per (document, key).

    A key printed on one side only counts as 0 on the other side (a 科目 table lists every
    non-zero 科目), but only in documents whose two tables both print rows of the compared kind
    (see :func:`skipped_without_rows` for the coverage of the others).
    """
    both = docs_with(frames, whole_type).join(docs_with(frames, part_type), on="document_id", how="inner")
    if fill_missing:
        # a 类 absent from a table counts as 0 only when that table lists 类 at all: a 支出预算总表 by
        # 用途 (基本/项目/预留) has no 科目 rows, and blank is not zero
        both = both.join(docs_with_rows(wholes), on="document_id", how="semi").join(
            docs_with_rows(parts), on="document_id", how="semi")
    wholes = wholes.join(both, on="document_id", how="semi")
    parts = parts.join(both, on="document_id", how="semi")
    grp = pl.col("key")
    w = wholes.with_columns(role=pl.lit("whole"), group=grp, desc=whole_desc, parts_desc=parts_desc)
    p = parts.with_columns(role=pl.lit("part"), group=grp, sign=pl.lit(1.0))
    frames_out = [w, p]
    if fill_missing:
        wk = w.select("document_id", "key").unique()
        pk = p.select("document_id", "key").unique()
        part_info = p.group_by("document_id", "key").agg(
            pl.col("unit").first(), pl.col("scale").first(), pl.col("title").first().alias("p_title"))
        missing_w = pk.join(wk, on=["document_id", "key"], how="anti").join(part_info, on=["document_id", "key"])
        whole_name = TABLE_NAMES.get(whole_type, whole_type)
        frames_out.append(
            missing_w.with_columns(
                role=pl.lit("whole"), group=grp, value=pl.lit(0.0), decimals=pl.lit(9), title=pl.lit(whole_name),
                label=pl.concat_str([pl.lit("（未列示 "), pl.col("key"), pl.lit(" 类，视为0）")]),
                desc=pl.concat_str([pl.lit(whole_name + " "), pl.col("key"), pl.lit(" 类（表中未列示）")]),
                parts_desc=parts_desc,
            ).drop("p_title")
        )
        w_info = w.select("document_id", "key", "unit", "scale")
        missing_p = wk.join(pk, on=["document_id", "key"], how="anti").join(w_info, on=["document_id", "key"])
        frames_out.append(
            missing_p.with_columns(
                role=pl.lit("part"), group=grp, value=pl.lit(0.0), decimals=pl.lit(9), sign=pl.lit(1.0),
                title=pl.lit(TABLE_NAMES.get(part_type, part_type)),
                label=pl.concat_str([pl.lit("（未列示 "), pl.col("key"), pl.lit(" 类，视为0）")]),
            )
        )
    out = pl.concat(frames_out, how="diagonal_relaxed")
    return out.with_columns(identity=pl.lit(identity), relation=pl.lit(relation), is_total=pl.lit(is_total))


def row_desc(suffix: str = "") -> pl.Expr:
    return pl.concat_str([pl.col("title"), pl.lit(" "), pl.col("label"), pl.lit(" · "),
                          pl.col("measure_label").fill_null(""), pl.lit(suffix)])
