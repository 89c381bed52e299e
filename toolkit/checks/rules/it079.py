"""IT079: An amount stated in the text has a blank cell in its own table, or the table says it holds no data."""

from __future__ import annotations

import json

import polars as pl

from toolkit.checks.framework import EVALS, Check, CheckResult, conform_hits
from toolkit.checks.registry import register
from toolkit.checks.text_amounts import fact_evidence, shorten
from toolkit.checks.text_blank_cells import text_amounts_on_blank_cells
from toolkit.checks.tolerance import fmt_number


def _hit(r: dict) -> dict:
    stated = r["raw_text"] or fmt_number(r["value"], r["decimals"] or 0)
    said = f"文字说明“{shorten(r['sentence'])}”中 {r['subject']} 为 {stated}，"
    if r["kind"] == "stated":
        msg = (f"{said}而文件对{r['e_title']}称“{shorten(r['stated'], 40)}”，表中无数：文字所述金额在表中没有对应数字，"
               "其一有误。")
        cell = {"table": r["e_title"], "table_id": r["e_table_id"], "page": r["e_page"], "raw_text": r["stated"]}
        table_id, expected, where = r["e_table_id"], "本表无数据", r["e_table_id"]
    else:
        msg = (f"{said}而{r['c_title']} {r['c_row_label']}行“{r['c_col_label']}”栏为空白（未填数）：文字所述金额在表中"
               "没有对应数字，其一有误。")
        cell = {"table": r["c_title"], "table_id": r["c_table_id"], "page": r["c_page"], "row": r["c_row"],
                "col": r["c_col"], "row_label": r["c_row_label"], "col_label": r["c_col_label"], "raw_text": ""}
        table_id, expected, where = r["c_table_id"], "（空白）", f"{r['c_table_id']}:{r['c_row']}:{r['c_col']}"
    return {
        "document_id": r["document_id"], "table_id": table_id,
        "location": f"N-blank|{r['passage_id']}|{r['span_start']}|{where}", "kind": "text_table_mismatch",
        "message": msg, "evidence": json.dumps([fact_evidence(r), cell], ensure_ascii=False),
        "expected": expected, "actual": stated, "difference": stated, "rel_diff": 1.0, "is_total": True,
    }


@register
class TextAmountOnBlankCell(Check):
    """An amount stated in the text has a blank cell in its own table, or the table says it holds no data.

    What it does: for each amount of the document's own year whose subject names a fund table
    (政府性基金 / 国有资本经营) and one of its columns (本年收入, 本年支出, 基本支出, 项目支出), finds that
    table's 合计 row in that column (the column read from its printed header). When the amount is not
    zero and the cell is printed blank, or the table prints no figure and states “本表无数据”, a finding
    quoting the sentence and the table, row and column. An amount is not checked (coverage: skipped)
    when the document holds two tables of that type or two blank 合计 cells in that column, or when it is
    zero; a column with a printed figure in another row (a 科目 under a blank 合计) answers the text, and
    so do printed 基本支出 / 项目支出 for a 支出 whose 小计 is blank.

    Why it matters: the text says the unit spent fund money its table does not show; either the table
    lost its figures or the sentence was copied from another year or unit. IT030 cannot see it: a blank
    cell is no number to compare with.

    Example: text “政府性基金预算财政拨款支出12.50万元” while the 政府性基金预算财政拨款收入支出决算表
    prints its 合计 row's 本年支出 blank → finding; the same table printed “本表无数据” → finding.

    Known false positives: a table whose figures the reader could not place in their cells (a column
    shifted into its neighbour); a sentence about a subordinate unit's fund.
    """

    code = "IT079"
    version = "1"
    name = "text-amount-on-blank-cell"
    detects = ("text_table_mismatch",)
    label = "文字说明金额对应表格栏目为空"
    requires = ("frame:facts", "frame:cells")

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        evaluated, bad = text_amounts_on_blank_cells(frames)
        evals = evaluated.select("document_id", pl.lit("N-blank").alias("identity"), "status", "reason")
        rows = [_hit(r) for r in bad.iter_rows(named=True)]
        hits = [conform_hits(pl.DataFrame(rows, infer_schema_length=None))] if rows else []
        return CheckResult.of(hits, [evals.cast(EVALS)] if evals.height else [])
