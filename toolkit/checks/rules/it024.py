"""IT024: A project's 预算数/执行数 in its 自评表 differ from the same project's row in the 基础数据表."""

from __future__ import annotations

import json

import polars as pl
from rapidfuzz import fuzz

from toolkit.checks.framework import EVALS, Check, CheckResult, get, hits_frame
from toolkit.checks.registry import register
from toolkit.checks.tolerance import fmt_number, interval, scalar_overlap
from toolkit.schemas import frame

# Project names are typed twice by hand: 离休人员医药费 vs 离休人员医疗费, 医保工作专项经费 vs 医保工作经费.
NAME_MATCH = 80.0


def _amounts(li: pl.DataFrame, table_type: str, key_col: str) -> pl.DataFrame:
    return li.filter(pl.col("table_type") == table_type).select(
        "document_id", "table_id", pl.col(key_col).alias("project"), "measure", "value", "decimals", "scale", "unit",
        "raw_text", "row",
    )


@register
class ProjectAmountsAcrossTables(Check):
    """A project's 预算数/执行数 in its 自评表 differ from the same project's row in the 基础数据表.

    What it does: matches each 项目支出绩效自评表 (by 项目名称) to the 基础数据表 row of the same
    project (names compared fuzzily, one best match at ≥ 80 similarity) and compares 全年执行数 with the
    row's 决算数, and the 自评表 预算数 (年初 or 全年) with the row's 预算数, within printed rounding.

    Why it matters: the 基础数据表 and the 自评表 are filled from the same books; an executed amount that
    differs between them means one of the two (and the 执行率 scored on it) is wrong.

    Example: 自评表 离休人员医药费 全年执行数 10.44万元 vs 基础数据表 离休人员医疗费 决算数 10.44万元 (quiet);
    a 基础数据表 printing 10.49 would fire.

    Known false positives: two projects with near-identical names in one document (the best match is used
    only when it is unique); 基础数据表 that list 预算数 as 年初 while the 自评表 prints only 全年.
    """

    code = "IT024"
    name = "project-amounts-across-tables"
    detects = ("cross_table_mismatch",)
    label = "项目金额在自评表与基础数据表不一致"
    requires = ("project_self_eval", "basic_data")

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        li = get(frames, "line_items")
        tables = get(frames, "tables").select("document_id", "table_id", "project", "title")
        fund = li.filter(pl.col("item_key") == "fund_total").join(tables, on=["document_id", "table_id"], how="inner")
        fund = _amounts(fund, "project_self_eval", "project").filter(pl.col("project").is_not_null())
        basic = li.filter(
            (pl.col("table_type") == "basic_data") & (pl.col("section") == "project") & (pl.col("row_kind") == "item")
        )
        basic = _amounts(basic, "basic_data", "name")
        docs = set(fund["document_id"].unique()) & set(basic["document_id"].unique())
        if not docs:
            return CheckResult.of([], [])
        hits, evals = [], []
        fund_by_doc = fund.filter(pl.col("document_id").is_in(docs)).partition_by("document_id", as_dict=True)
        basic_by_doc = basic.filter(pl.col("document_id").is_in(docs)).partition_by("document_id", as_dict=True)
        for key, f_doc in fund_by_doc.items():
            b_doc = basic_by_doc.get(key)
            if b_doc is None:
                continue
            doc_id = key[0]
            b_names = b_doc["project"].unique().to_list()
            for (project, table_id), f_proj in f_doc.group_by("project", "table_id"):
                scores = sorted(((fuzz.ratio(project, n), n) for n in b_names), reverse=True)
                if not scores or scores[0][0] < NAME_MATCH or (len(scores) > 1 and scores[1][0] == scores[0][0]):
                    evals.append({"document_id": doc_id, "identity": "P-1", "status": "skipped",
                                  "reason": f"no unique 基础数据表 row for project {project}"})
                    continue
                b_name = scores[0][1]
                b_proj = b_doc.filter(pl.col("project") == b_name)
                f_m = {r["measure"]: r for r in f_proj.to_dicts()}
                b_m = {r["measure"]: r for r in b_proj.to_dicts()}
                pairs = [("executed", ("executed",), "final")]
                pairs.append(("budget", ("budget_full", "budget_initial"), "budget"))
                for label, f_keys, b_key in pairs:
                    b = b_m.get(b_key)
                    fs = [f_m[k] for k in f_keys if k in f_m]
                    if b is None or not fs:
                        evals.append({"document_id": doc_id, "identity": f"P-1 {label}", "status": "skipped",
                                      "reason": "amount not printed in both tables"})
                        continue
                    b_iv = interval(b["value"], b["decimals"], b["scale"])
                    if any(scalar_overlap(interval(f["value"], f["decimals"], f["scale"]), b_iv) for f in fs):
                        evals.append({"document_id": doc_id, "identity": f"P-1 {label}", "status": "passed", "reason": None})
                        continue
                    f = fs[0]
                    evals.append({"document_id": doc_id, "identity": f"P-1 {label}", "status": "failed", "reason": None})
                    what = "全年执行数" if label == "executed" else "预算数"
                    b_what = "决算数" if label == "executed" else "预算数"
                    fv, bv = f["value"] * f["scale"] / 1e4, b["value"] * b["scale"] / 1e4
                    hits.append({
                        "document_id": doc_id,
                        "table_id": table_id,
                        "location": f"{table_id} 项目 {project} {what} ↔ 基础数据表 {b_name} {b_what}",
                        "kind": "cross_table_mismatch",
                        "message": (
                            f"项目“{project}”：绩效自评表{what} {f['raw_text']}{f['unit'] or ''}，"
                            f"基础数据表“{b_name}”{b_what} {b['raw_text']}{b['unit'] or ''}，两表不一致。"
                        ),
                        "evidence": json.dumps([
                            {"table": f"{table_id} 项目支出绩效自评表", "row_label": f"年度资金总额 ({project})",
                             "col_label": what, "raw_text": f["raw_text"]},
                            {"table": f"{b['table_id']} 基础数据表", "row_label": b_name, "col_label": b_what,
                             "raw_text": b["raw_text"]},
                        ], ensure_ascii=False),
                        "expected": f"{fmt_number(bv)}万元",
                        "actual": f"{fmt_number(fv)}万元",
                        "difference": f"{fmt_number(fv - bv)}万元",
                        "rel_diff": abs(fv - bv) / max(abs(fv), abs(bv), 1e-9),
                        "near_rounding": False,
                        "is_total": label == "executed",
                    })
        return CheckResult.of([hits_frame(hits)], [frame(evals, EVALS)])
