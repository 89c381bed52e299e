"""PO002: A bureau's total spending jumps (or collapses) between consecutive years far beyond the corpus norm."""

from __future__ import annotations

import json
import math
from typing import ClassVar

import polars as pl

from toolkit.checks.framework import EVALS, Check, CheckResult, hits_frame
from toolkit.checks.peer_stats import MIN_PEERS, RATIO_FLAG, Z_FLAG, bureau_years, rows_by_bureau_year
from toolkit.checks.registry import register
from toolkit.checks.tolerance import fmt_number
from toolkit.peers.groups import loo_centre

YOY_MAD_FLOOR = 0.10


@register
class YearOnYearJump(Check):
    """A bureau's total spending jumps (or collapses) between consecutive years far beyond the corpus norm.

    What it does: for each bureau with spending figures (01 表 本年支出合计, else the 自评表's 全年执行数)
    in two consecutive fiscal years, takes the log ratio and compares it with the log ratios of all
    *other* bureaus in the corpus over the same two years: robust z = (r − others' median) ÷
    max(1.4826·others' MAD, 0.10), read from the year's sorted ratios in one pass.
    Flags |z| ≥ 3.5 together with a change of at least ×2 (or ÷2). Skipped: no previous year in the
    corpus, fewer than 5 other bureaus with two consecutive years.

    Why it matters: a department's own budget rarely doubles; a jump usually means money passed
    through (one-off transfers booked as own spending), a unit error, or figures of another unit.

    Example: 荥阳市 2023: 本年支出合计 92,422,818.40元 against 29,823,927.89元 in 2022 (×3.1).

    Known false positives: a merger (医疗救助 or 经办中心 moved into the bureau that year) or a one-off
    construction project; the message gives both years' figures so the reader can check the 说明.
    """

    code = "PO002"
    name = "year-on-year-jump"
    category = "peer_outlier"
    detects = ("yoy_jump",)
    label = "支出年度间异常跳变"
    requires = ("income_expense_summary", "dept_self_eval")
    scope: ClassVar[str] = "corpus"
    version: ClassVar[str] = "2"

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        by, sp = bureau_years(frames)
        if by.height == 0:
            return CheckResult.of([], [])
        prev = by.select("bkey", (pl.col("fiscal_year") + 1).cast(by["fiscal_year"].dtype).alias("fiscal_year"),
                         pl.col("yuan").alias("prev_yuan"))
        steps = by.join(prev, on=["bkey", "fiscal_year"]).with_columns(lr=(pl.col("yuan") / pl.col("prev_yuan")).log())
        if steps.height == 0:
            return CheckResult.of([], [])
        steps = loo_centre(steps, ["fiscal_year"], "lr", "lr_").sort("bkey", "fiscal_year")
        docs_of = rows_by_bureau_year(sp)
        hits, evals = [], []
        for r in steps.to_dicts():
            u, y, lr = r["bkey"], r["fiscal_year"], r["lr"]
            docs = docs_of.get((u, y), [])
            if (r["lr_n"] or 0) < MIN_PEERS:
                evals += [{"document_id": d["document_id"], "identity": "P-2", "status": "skipped",
                           "reason": f"fewer than {MIN_PEERS} other bureaus with consecutive years"} for d in docs]
                continue
            med, mad = r["lr_median"], max(r["lr_mad"], YOY_MAD_FLOOR)
            z = (lr - med) / mad
            ratio = math.exp(lr)
            failed = abs(z) >= Z_FLAG and (ratio >= RATIO_FLAG or ratio <= 1 / RATIO_FLAG)
            evals += [{"document_id": d["document_id"], "identity": "P-2", "status": "failed" if failed else "passed",
                       "reason": None} for d in docs]
            if not failed:
                continue
            prev_docs = docs_of.get((u, y - 1), [])
            prev_raw = (prev_docs[0]["raw_text"] + (prev_docs[0]["unit"] or "")) if prev_docs else fmt_number(
                r["prev_yuan"], 2) + "元"
            for d in docs:
                msg = (f"{r['bureau'] or u}{y}年{d['src']}为{d['raw_text']}{d['unit'] or ''}，上年（{y - 1}年）为{prev_raw}，"
                       f"为上年的{fmt_number(ratio, 2)}倍；语料中其他局同年相邻年度变化的中位数为"
                       f"{fmt_number((math.exp(med) - 1) * 100, 1)}%"
                       f"（稳健z值{fmt_number(z, 1)}）。支出规模一年内{'剧增' if ratio > 1 else '骤减'}，需核实是否含一次性转拨资金、"
                       f"机构调整或数字有误。")
                hits.append({"document_id": d["document_id"], "table_id": d["table_id"], "location": f"P-2|{u}|{y}",
                             "kind": "yoy_jump", "message": msg,
                             "evidence": json.dumps([{"table_id": d["table_id"], "page": d["page"], "row_label": d["src"],
                                                      "raw_text": d["raw_text"]},
                                                     {"fiscal_year": y - 1, "raw_text": prev_raw}], ensure_ascii=False),
                             "expected": f"约{prev_raw}（±常见变化）", "actual": f"{d['raw_text']}{d['unit'] or ''}",
                             "difference": f"{fmt_number(ratio, 2)}倍", "rel_diff": min(1.0, abs(lr) / 10),
                             "severity": "high" if abs(z) >= 6 else "medium"})
        return CheckResult.of([hits_frame(hits)], [pl.DataFrame(evals, schema=EVALS)] if evals else [])
