"""Amounts stated in the 情况说明 joined to the table cells they name (IT030, IT036; IT071 resolves wholes by it).

IT030 (mismatch) and IT036 (unit slip) read the same join: :func:`text_amounts_vs_tables` is
computed once per frames (``framework.per_frames``).
"""

from __future__ import annotations

import json

import polars as pl

from toolkit.checks.framework import conform_hits, get, per_frames
from toolkit.checks.select import items
from toolkit.checks.tolerance import fmt_number, interval_exprs, overlaps

# metric -> candidate table cells (table_type, item_key or "@total", measure)
METRIC_CELLS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "income_total": (("income_expense_summary", "income_total", "final"), ("income", "@total", "total"),
                     ("fiscal_summary", "income_total", "amount")),
    "expense_total": (("income_expense_summary", "expense_total", "final"), ("expense", "@total", "total"),
                      ("fiscal_summary", "expense_total", "total"), ("gpb_expense", "@total", "total")),
    "basic_expense": (("expense", "@total", "basic"), ("gpb_expense", "@total", "basic")),
    "project_expense": (("expense", "@total", "project"), ("gpb_expense", "@total", "project")),
    "personnel_expense": (("gpb_basic_expense", "personnel_total", "final"),),
    "public_expense": (("gpb_basic_expense", "public_total", "final"),),
    "sangong": (("sangong", "sangong", "final_total"), ("sangong", "sangong", "budget_total")),
}


# words the stated subject must contain before the amount is compared with the metric's table cells:
# extractors tag any "支出决算为…" as expense_total, but only a subject naming the total describes 01/03 合计
SUBJECT_WORDS: dict[str, str] = {
    "income_total": r"总收入|收入总计|收入合计|本年收入",
    "expense_total": r"总支出|支出总计|支出合计|本年支出",
    "basic_expense": r"基本支出",
    "project_expense": r"项目支出",
    "personnel_expense": r"人员经费",
    "public_expense": r"公用经费",
    "sangong": r"三公",
}


# a 科目 level named before an amount: the amount is that 科目's (类/款/项), not a table total
SUBJECT_LEVEL = r"[(（](?:类|款|项)[)）]"

# tables of 财政拨款 funds only (财政拨款收支总表, 一般公共预算支出表): a total stated without naming those
# funds (本年支出合计) is every fund's, and a department with other income (事业收入, 其他资金) states a
# larger one; it is compared with the all-funds tables (收支总表, 收入/支出表) only, and a total naming
# 财政拨款/一般公共预算 with the 财政拨款 tables only
FISCAL_ONLY_TABLES = ("gpb_expense", "fiscal_summary")
FUND_SCOPED_METRICS = ("income_total", "expense_total")
FISCAL_WORDS = r"财政拨款|一般公共预算"


def text_facts(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    f = get(frames, "facts")
    b, lo, hi = interval_exprs()
    return f.filter(pl.col("value").is_not_null()).with_row_index("fid").with_columns(b=b, lo=lo, hi=hi)


def fact_evidence(r: dict, prefix: str = "") -> dict:
    return {"passage_id": r.get(f"{prefix}passage_id"), "page": r.get(f"{prefix}page"),
            "raw_text": r.get(f"{prefix}raw_text"), "sentence": r.get(f"{prefix}sentence"),
            "span": [r.get(f"{prefix}span_start"), r.get(f"{prefix}span_end")]}


def shorten(s: str | None, n: int = 80) -> str:
    s = (s or "").strip()
    return s if len(s) <= n else s[: n - 1] + "…"


def metric_cells(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """The table cells each text metric may describe, with their intervals (c_lo, c_hi) in base units."""
    spec = pl.DataFrame([{"metric": m, "table_type": t, "ckey": k, "measure": ms}
                         for m, cells in METRIC_CELLS.items() for t, k, ms in cells])
    li = items(frames, tuple(spec["table_type"].unique().to_list())).with_columns(
        ckey=pl.when(pl.col("code").is_null() & ((pl.col("item_key") == "total") | (pl.col("row_kind") == "total")))
        .then(pl.lit("@total")).otherwise(pl.col("item_key")))
    cb, c_lo, c_hi = interval_exprs()
    return li.join(spec, on=["table_type", "ckey", "measure"]).filter(pl.col("value").is_not_null()).select(
        "document_id", "metric", pl.col("title").alias("c_title"), pl.col("label").alias("c_label"),
        pl.col("measure_label").alias("c_measure"), pl.col("raw_text").alias("c_raw"), pl.col("page").alias("c_page"),
        pl.col("table_id").alias("c_table_id"), pl.col("table_type").alias("c_table_type"), pl.col("value").alias("c_value"), pl.col("unit").alias("c_unit"),
        pl.col("decimals").alias("c_dec"), c_lo.alias("c_lo"), c_hi.alias("c_hi"), cb.alias("c_b"))


def this_year_facts(frames: dict[str, pl.DataFrame], f: pl.DataFrame) -> pl.DataFrame:
    """Keep facts about the document's own year (period blank or naming that year)."""
    docs = get(frames, "documents").select("document_id", "fiscal_year")
    f = f.join(docs, on="document_id", how="left")
    year = pl.col("fiscal_year").cast(pl.String)
    ok = pl.col("period").is_null() | pl.col("fiscal_year").is_null() | pl.col("period").str.contains(year.fill_null("~"))
    return f.filter(ok & ~pl.col("period").fill_null("").str.contains("上年|上一年|去年"))


@per_frames
def text_amounts_vs_tables(frames: dict[str, pl.DataFrame]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(per-fact outcome, closest cell of each amount that matches no cell) for IT030 / IT036.

    The outcome frame has fid, document_id, any_match and slip (the printed digits equal a cell's
    digits, only the unit differs).
    """
    f = this_year_facts(frames, text_facts(frames)).filter(
        pl.col("qualifier").is_in(["amount", "part"]) & pl.col("metric").is_in(list(METRIC_CELLS)))
    subj = pl.col("subject").fill_null("")
    names_it = pl.lit(False)
    for metric, words in SUBJECT_WORDS.items():
        names_it = names_it | ((pl.col("metric") == metric) & subj.str.contains(words))
    # “住房改革支出(款)：预算支出合计3,660.38万元” is that 科目's total, not the table's
    raw_at = pl.col("sentence").str.find(pl.col("raw_text"), literal=True)
    of_subject = pl.col("sentence").str.slice(0, raw_at.fill_null(0)).str.contains(SUBJECT_LEVEL)
    f = f.filter(names_it & ~subj.str.contains("上年|去年|年初预算|预算数") & ~of_subject.fill_null(False))
    cells = metric_cells(frames)
    f = f.with_columns(fiscal_text=subj.str.contains(FISCAL_WORDS))
    same_funds = ~pl.col("metric").is_in(FUND_SCOPED_METRICS) | (
        pl.col("fiscal_text") == pl.col("c_table_type").is_in(FISCAL_ONLY_TABLES))
    j = f.join(cells, on=["document_id", "metric"], how="inner").filter(same_funds).with_columns(
        match=overlaps(pl.col("lo"), pl.col("hi"), pl.col("c_lo"), pl.col("c_hi")),
        same_digits=(pl.col("value") == pl.col("c_value")),
        dist=(pl.col("b") - pl.col("c_b")).abs())
    per = j.group_by("fid").agg(pl.col("match").any().alias("any_match"), pl.col("same_digits").any().alias("slip"))
    per = per.join(f.select("fid", "document_id"), on="fid")
    bad = j.join(per.filter(~pl.col("any_match")).select("fid", "slip"), on="fid").sort(
        # a slip is reported against the cell with the same digits, a mismatch against the closest cell
        pl.col("same_digits").not_(), "dist").unique("fid", keep="first")
    return per, bad


def text_table_hits(bad: pl.DataFrame, *, slip: bool) -> list[pl.DataFrame]:
    rows = []
    for r in bad.filter(pl.col("slip") == slip).iter_rows(named=True):
        stated = f"{r['raw_text'] or fmt_number(r['value'], r['decimals'] or 0)}"
        cell = f"{fmt_number(r['c_value'], r['c_dec'] or 0)}{r['c_unit'] or ''}"
        msg = (f"文字说明“{shorten(r['sentence'])}”中 {r['subject'] or r['metric']} 为 {stated}，"
               f"而{r['c_title']} {r['c_label']}（{r['c_measure']}）为 {cell}")
        msg += "：数字相同但单位不同，疑为单位错写（元/万元）。" if slip else "，文字与表格不一致。"
        ev = [fact_evidence(r), {"table": r["c_title"], "table_id": r["c_table_id"], "page": r["c_page"],
                            "row_label": r["c_label"], "col_label": r["c_measure"], "raw_text": r["c_raw"]}]
        denom = max(abs(r["b"]), abs(r["c_b"]))
        rows.append({
            "document_id": r["document_id"], "table_id": r["c_table_id"],
            "location": f"{'N-1u' if slip else 'N-1'}|{r['passage_id']}|{r['span_start']}",
            "kind": "unit_slip" if slip else "text_table_mismatch",
            "message": msg, "evidence": json.dumps(ev, ensure_ascii=False), "expected": cell, "actual": stated,
            "difference": f"{fmt_number((r['b'] - r['c_b']) / (r['scale'] or 1.0), r['decimals'] or 0)}{r['unit'] or ''}",
            "rel_diff": abs(r["b"] - r["c_b"]) / denom if denom else 0.0, "is_total": True,
        })
    return [conform_hits(pl.DataFrame(rows, infer_schema_length=None))] if rows else []
