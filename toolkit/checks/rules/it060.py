"""IT060: the same printed figure carries different money units in two tables of one document."""

from __future__ import annotations

import json

import polars as pl

from toolkit.checks.framework import EVALS, Check, CheckResult, get, hits_frame
from toolkit.checks.registry import register

MONEY_UNITS = ("元", "千元", "万元", "亿元")
MIN_SIGNIFICANT_DIGITS = 4  # 17.64 or 362.62: digits that do not repeat across a document by chance
MAX_EVIDENCE = 6
_NOTHING = "no money cell printed with decimals and four significant digits"
_SOURCE_WORDS = {"cell": "单元格自带", "column": "栏目表头", "table": "表头单位行"}


@register
class SameFigureTwoUnits(Check):
    """The same printed figure is in 元 in one table and in 万元 (or 亿元) in another table of the document.

    What it does: takes every money cell printed with decimals and at least four significant digits
    (``362.62``, ``1,234.56``), with the unit it inherited (its own, its column header's ``(万元)`` or
    the table's ``单位：万元`` line, see ``cells.unit_source``), and groups them by their printed digits
    within a document. Digits that appear under two different money units are flagged once, with every
    cell as evidence and where each unit came from.

    Why it matters: a unit line copied from another table (``单位：元`` above a table in 万元) scales
    every figure of the table by 10,000; the identities within the table still hold, so no footing
    check sees it, but any reader comparing the table with the others is misled.

    Example: 收入支出决算总表 (单位：万元) prints 本年收入合计 362.62; the 财政拨款收入支出决算总表
    under 单位：元 prints 362.62 as its total: one of the two unit lines is wrong.

    Known false positives: two different items whose amounts happen to share four or more printed
    digits and decimals in tables of different units (rare); a document that repeats one figure in
    元 and in 万元 on purpose without converting it (that is itself an error).
    """

    code = "IT060"
    name = "same-figure-two-units"
    category = "inconsistent_total"
    detects = ("unit_slip",)
    label = "同一数字单位不一致"
    requires = ("frame:cells",)
    scope = "document"

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        cells = get(frames, "cells")
        figure = pl.col("raw_text").str.replace_all(r"[^0-9.]", "")
        money = cells.filter(
            pl.col("value").is_not_null()
            & pl.col("unit").is_in(MONEY_UNITS)
            & (pl.col("decimals").fill_null(0) >= 1)
            & ~pl.col("is_percent").fill_null(False)
        ).with_columns(figure=figure).filter(
            # significant digits: 362.62 has five, 100.00 and 1,200.00 (round, repeat by chance) one and two
            pl.col("figure").str.replace_all(r"\.", "").str.strip_chars("0").str.len_chars()
            >= MIN_SIGNIFICANT_DIGITS
        )
        docs = get(frames, "documents").select("document_id").unique()
        if money.height == 0:
            evals = docs.select("document_id", pl.lit("U-1").alias("identity"), pl.lit("skipped").alias("status"),
                                pl.lit(_NOTHING).alias("reason"))
            return CheckResult.of([], [evals])
        groups = money.group_by("document_id", "figure").agg(
            pl.col("unit").n_unique().alias("n_units"), pl.col("table_id").n_unique().alias("n_tables"))
        bad = groups.filter((pl.col("n_units") >= 2) & (pl.col("n_tables") >= 2))
        rows = []
        for g in bad.sort("document_id", "figure").iter_rows(named=True):
            part = money.filter((pl.col("document_id") == g["document_id"]) & (pl.col("figure") == g["figure"])).sort(
                "table_id", "row", "col")
            ev, by_unit = [], {}
            for c in part.iter_rows(named=True):
                by_unit.setdefault(c["unit"], []).append(c)
                if len(ev) < MAX_EVIDENCE:
                    ev.append({"table": c["table_id"], "page": c["page"], "row_label": c["row_label"],
                               "col_label": c["col_label"], "raw_text": c["raw_text"], "unit": c["unit"],
                               "unit_source": c["unit_source"], "src_line": c["src_line"]})
            places = "；".join(
                f"{unit}：" + "、".join(f"{c['table_id']}“{c['row_label'] or ''}”" for c in cs[:3])
                + f"（单位取自{_SOURCE_WORDS.get(cs[0]['unit_source'] or '', '未知')}）"
                for unit, cs in by_unit.items())
            units = sorted(by_unit, key=MONEY_UNITS.index)
            rows.append({
                "document_id": g["document_id"], "table_id": part["table_id"][0],
                "location": f"figure {g['figure']}", "kind": "unit_slip",
                "message": f"同一数字 {g['figure']} 在不同表中单位不同（{'/'.join(units)}）：{places}。其中一处单位标注有误。",
                "evidence": json.dumps(ev, ensure_ascii=False),
                "expected": f"{g['figure']}{units[0]}", "actual": f"{g['figure']}{units[-1]}",
                "difference": f"×{_ratio(units[0], units[-1]):,.0f}", "rel_diff": 1.0, "is_total": False,
                # the two cells are paired by their printed digits alone, so never above medium
                "severity": "medium",
            })
        failed = bad.select("document_id").unique()
        evals = docs.with_columns(
            pl.lit("U-1").alias("identity"),
            pl.when(pl.col("document_id").is_in(failed["document_id"].implode())).then(pl.lit("failed"))
            .when(pl.col("document_id").is_in(money["document_id"].unique().implode())).then(pl.lit("passed"))
            .otherwise(pl.lit("skipped")).alias("status"),
            pl.when(pl.col("document_id").is_in(money["document_id"].unique().implode())).then(pl.lit(None, pl.String))
            .otherwise(pl.lit(_NOTHING)).alias("reason"),
        )
        return CheckResult.of([hits_frame(rows)], [evals.select(list(EVALS))])


def _ratio(small: str, large: str) -> float:
    from toolkit.normalize.numbers import unit_scale

    return unit_scale(large)[1] / (unit_scale(small)[1] or 1.0)
