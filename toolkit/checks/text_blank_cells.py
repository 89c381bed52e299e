"""Amounts stated in the text whose own table cell is printed blank, or whose table is stated empty (IT079).

A text amount is tied to a cell only when its subject names a fund table (政府性基金 / 国有资本经营) and
one of that table's columns (收入, 支出, 基本支出, 项目支出); the cell is that table's 合计 row in that
column. The column of a blank cell is read from its printed header with the same measure words the
extractor uses for printed cells (``toolkit.extract.table_types``), so a blank cell and a printed one of
the same column carry the same measure.
"""

from __future__ import annotations

import polars as pl

from toolkit.checks.framework import get
from toolkit.checks.text_amounts import SUBJECT_LEVEL, text_facts, this_year_facts
from toolkit.extract.final_accounts import measure_for
from toolkit.extract.table_types import spec

# words a subject must contain to name a fund table's own figures
FUND_TABLE_WORDS: dict[str, str] = {"gov_fund": "政府性基金", "soe_capital": "国有资本经营"}
# the column a subject names: the first rule whose words it contains and whose excluded words it does not
SUBJECT_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("basic", "基本支出", "项目支出|收入"),
    ("project", "项目支出", "基本支出|收入"),
    ("total", "支出", "收入"),
    ("income", "收入", "支出"),
)
# another column or another period than the year's own flow (结转/结余, 上年, the budget of a 决算)
OTHER_FLOW = r"结转|结余|年初|年末|上年|去年|以前年度|调整预算|预算数|累计"
TOTAL_ROW = r"^(?:合计|总计)$"
# a statement that the table itself holds nothing (“故本表无数据”), in its cells, its title or a sentence
# naming its fund; “没有…收入” alone is about the unit's funds and can stand beside 结转 figures
TABLE_STATED_EMPTY = r"本表无|本表为空|为空表"


def _subject_column(subject: pl.Expr) -> pl.Expr:
    out = pl.lit(None, dtype=pl.String)
    for measure, words, excluded in reversed(SUBJECT_COLUMNS):
        out = pl.when(subject.str.contains(words) & ~subject.str.contains(excluded)).then(pl.lit(measure)).otherwise(out)
    return out


def fund_table_facts(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """This year's amounts whose subject names a fund table and one of its columns (table_type, measure)."""
    f = this_year_facts(frames, text_facts(frames)).filter(pl.col("qualifier") == "amount")
    subj = pl.col("subject").fill_null("")
    table = pl.lit(None, dtype=pl.String)
    for ttype, words in FUND_TABLE_WORDS.items():
        table = pl.when(subj.str.contains(words)).then(pl.lit(ttype)).otherwise(table)
    both = pl.sum_horizontal([subj.str.contains(w) for w in FUND_TABLE_WORDS.values()]) > 1
    # “住房改革支出(款)：…” before the amount: that 科目's figure, not the table's 合计
    raw_at = pl.col("sentence").str.find(pl.col("raw_text"), literal=True)
    of_subject = pl.col("sentence").str.slice(0, raw_at.fill_null(0)).str.contains(SUBJECT_LEVEL).fill_null(False)
    return f.with_columns(table_type=table, measure=_subject_column(subj)).filter(
        pl.col("table_type").is_not_null() & pl.col("measure").is_not_null() & ~both
        & ~subj.str.contains(OTHER_FLOW) & ~of_subject)


def _column_measures(cells: pl.DataFrame) -> pl.DataFrame:
    """The measure of each (table_type, col_label), by the extractor's header words."""
    pairs = cells.select("table_type", "col_label").unique().drop_nulls()
    rows = [{"table_type": t, "col_label": lbl, "measure": measure_for(spec(t), lbl, lbl.rpartition("/")[2])}
            for t, lbl in pairs.iter_rows()]
    return pl.DataFrame(rows, schema={"table_type": pl.String, "col_label": pl.String, "measure": pl.String})


def _text_statements(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """A sentence naming a fund table's subject and saying the table is empty (“…政府性基金…故本表无数据”)."""
    passages = get(frames, "passages").sort("document_id", "order", "passage_id", nulls_last=True)
    said = [passages.select("document_id", pl.lit(ttype).alias("table_type"),
                            pl.col("text").str.extract(f"((?:{words})[^。]{{0,80}}(?:{TABLE_STATED_EMPTY}))").alias("said"))
            for ttype, words in FUND_TABLE_WORDS.items()]
    return pl.concat(said).drop_nulls("said").unique(["document_id", "table_type"], keep="first", maintain_order=True)


def fund_tables(frames: dict[str, pl.DataFrame]) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(tables per type, blank 合计 cells per measure, tables stated empty) of each document's fund tables.

    The first has ``n_tables`` per (document_id, table_type); the second, per (document_id, table_type,
    measure), ``n_blank`` blank 合计 cells in that column, ``printed`` non-zero line items in the same
    column and the first blank cell's place; the third each table that states itself empty
    (``stated``: the statement) and prints no non-zero figure.
    """
    types = list(FUND_TABLE_WORDS)
    tables = get(frames, "tables").filter(pl.col("table_type").is_in(types))
    counts = tables.group_by("document_id", "table_type").agg(n_tables=pl.len())
    cells = get(frames, "cells").filter(pl.col("table_type").is_in(types)).join(
        tables.select("document_id", "table_id", "title"), on=["document_id", "table_id"], how="left")
    raw = pl.col("raw_text").fill_null("").str.replace_all(r"\s", "")
    cells = cells.with_columns(blank=raw == "", word=(raw != "") & pl.col("value").is_null())
    # a body row prints its label and numbers only; a header row prints words in its other cells
    body = cells.group_by("document_id", "table_id", "row").agg(words=pl.col("word").sum()).filter(pl.col("words") <= 1)
    label = pl.col("row_label").fill_null("").str.replace_all(r"\s", "")
    blank = cells.join(body, on=["document_id", "table_id", "row"], how="semi").filter(
        pl.col("blank") & label.str.contains(TOTAL_ROW)).join(
        _column_measures(cells), on=["table_type", "col_label"], how="inner").filter(pl.col("measure").is_not_null())
    li = get(frames, "line_items").filter(pl.col("table_type").is_in(types) & (pl.col("value") != 0))
    # a printed figure in the same column (a 科目 row under a blank 合计) answers the text instead, and so
    # does a printed 基本支出 or 项目支出 for a 支出 whose 小计 is blank (小计 = 基本 + 项目)
    parts = li.filter(pl.col("measure").is_in(["basic", "project"])).with_columns(measure=pl.lit("total"))
    printed = pl.concat([li, parts]).group_by("document_id", "table_id", "measure").agg(printed=pl.len())
    blank = blank.join(printed, on=["document_id", "table_id", "measure"], how="left").with_columns(
        printed=pl.col("printed").fill_null(0)).sort("document_id", "table_id", "row", "col")
    per_blank = blank.group_by("document_id", "table_type", "measure").agg(
        pl.len().alias("n_blank"), pl.col("printed").sum(),
        *[pl.col(c).first().alias(f"c_{c}") for c in ("table_id", "title", "page", "row", "col", "row_label", "col_label")])
    nonzero = li.group_by("document_id", "table_id").agg(nonzero=pl.len())
    statement = cells.filter(raw.str.contains(TABLE_STATED_EMPTY)).group_by("document_id", "table_id").agg(
        stated=pl.col("raw_text").sort_by("row", "col").first())
    title_stated = pl.when(pl.col("title").fill_null("").str.contains(TABLE_STATED_EMPTY)).then(pl.col("title"))
    empty = tables.join(statement, on=["document_id", "table_id"], how="left").join(
        nonzero, on=["document_id", "table_id"], how="left").join(
        _text_statements(frames), on=["document_id", "table_type"], how="left").with_columns(
        stated=pl.coalesce(pl.col("stated"), title_stated, pl.col("said"))).filter(
        pl.col("stated").is_not_null() & pl.col("nonzero").is_null()).sort("document_id", "table_id").unique(
        ["document_id", "table_type"], keep="first").select(
        "document_id", "table_type", pl.col("table_id").alias("e_table_id"), pl.col("title").alias("e_title"),
        pl.col("page").alias("e_page"), "stated")
    return counts, per_blank, empty


def text_amounts_on_blank_cells(frames: dict[str, pl.DataFrame]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(evaluations, findings' rows) of IT079 over the text amounts tied to a fund table's 合计 column.

    The evaluations have document_id, status (passed|failed|skipped) and reason per tied amount; the
    rows are the non-zero amounts whose one cell is blank (``kind`` = blank) or whose one table of that
    type states itself empty (``kind`` = stated).
    """
    counts, per_blank, empty = fund_tables(frames)
    j = fund_table_facts(frames).join(counts, on=["document_id", "table_type"], how="inner").join(
        per_blank, on=["document_id", "table_type", "measure"], how="left").join(
        empty, on=["document_id", "table_type"], how="left")
    nonzero = (pl.col("lo") > 0) | (pl.col("hi") < 0)
    kind = (pl.when(pl.col("n_tables") != 1).then(pl.lit("ambiguous"))
            .when(~nonzero).then(pl.lit("zero"))
            .when(pl.col("stated").is_not_null()).then(pl.lit("stated"))
            .when(pl.col("n_blank").fill_null(0) > 1).then(pl.lit("ambiguous"))
            .when((pl.col("n_blank") == 1) & (pl.col("printed") == 0)).then(pl.lit("blank"))
            .otherwise(pl.lit("printed")))
    j = j.with_columns(kind=kind)
    status = (pl.when(pl.col("kind").is_in(["blank", "stated"])).then(pl.lit("failed"))
              .when(pl.col("kind") == "printed").then(pl.lit("passed")).otherwise(pl.lit("skipped")))
    reason = (pl.when(pl.col("kind") == "ambiguous").then(pl.lit("not checked: the table or its 合计 cell is not unique"))
              .when(pl.col("kind") == "zero").then(pl.lit("not checked: the text amount is zero")))
    evaluated = j.select("document_id", status.alias("status"), reason.alias("reason"))
    return evaluated, j.filter(pl.col("kind").is_in(["blank", "stated"]))
