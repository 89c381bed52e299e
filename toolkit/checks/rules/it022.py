"""IT022: 自评表 执行率 ≠ 全年执行数 ÷ 全年预算数, or its 得分 contradicts the rate."""

from __future__ import annotations

import json

import polars as pl

from toolkit.checks.framework import Check, CheckResult, conform_hits, get
from toolkit.checks.registry import register
from toolkit.checks.select import items
from toolkit.checks.tolerance import fmt_number, interval_exprs, overlaps, ratio_bounds


def _pct(value: pl.Expr, unit: pl.Expr) -> pl.Expr:
    """Rate in percent points: ``41.76%`` -> 41.76; a bare fraction ≤ 1.5 (0.4176) -> 41.76."""
    return pl.when((unit == "%") | unit.is_null() & (value > 1.5)).then(value).otherwise(value * 100)


@register
class ExecutionRate(Check):
    """自评表 执行率 ≠ 全年执行数 ÷ 全年预算数, or its 得分 contradicts the rate.

    What it does: on the 资金 rows of 项目/部门整体 自评表, recomputes 执行率 from 全年执行数 and 全年预算数
    (interval bounds of the quotient) and compares it with the printed rate; then checks the 执行率
    得分 against the usual rule (分值 × 执行率, capped at 分值) and flags only clear contradictions
    (more than 30 % of the 分值 away, which no stepped rule explains).

    Why it matters: the 执行率 is the one indicator computed from audited money; a wrong rate or a
    full score for a low rate means the 总分 was not derived from the numbers.

    Example: 执行 1.976 of 预算 86.031 (2.3 %) yet 得分 8/10; or 39.41 of 40 printed as 89.52 %.

    Known false positives: forms that compute the rate on 年初预算数 (the finding says which base was used).
    """

    code = "IT022"
    name = "self-eval-execution-rate"
    detects = ("wrong_percentage", "score_sum_mismatch")
    label = "自评表执行率计算或得分不符"
    requires = ("project_self_eval", "dept_self_eval")

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        li = items(frames, ("project_self_eval", "dept_self_eval")).filter(
            pl.col("measure").is_in(["budget_full", "executed", "exec_rate", "weight", "score"]))
        if li.height == 0:
            return CheckResult.of([], [])
        keys = ["document_id", "table_id", "row"]
        b, lo, hi = interval_exprs()

        def pick(m: str) -> pl.DataFrame:
            return li.filter(pl.col("measure") == m).unique(keys, keep="first").select(
                keys + [b.alias(f"{m}_b"), lo.alias(f"{m}_lo"), hi.alias(f"{m}_hi"),
                        pl.col("value").alias(f"{m}_v"), pl.col("decimals").alias(f"{m}_d"), pl.col("unit").alias(f"{m}_u"),
                        pl.col("raw_text").alias(f"{m}_x"), pl.col("col").alias(f"{m}_c")])
        base = li.select(keys + ["title", "name", "page"]).unique(keys, keep="first")
        w = base
        for m in ("budget_full", "executed", "exec_rate", "weight", "score"):
            w = w.join(pick(m), on=keys, how="left")
        proj = get(frames, "tables").select("document_id", "table_id", "project")
        w = w.join(proj, on=["document_id", "table_id"], how="left").filter(pl.col("budget_full_b").is_not_null()
                                                                               & pl.col("executed_b").is_not_null())
        rlo, rhi = ratio_bounds(pl.col("executed_lo"), pl.col("executed_hi"), pl.col("budget_full_lo"), pl.col("budget_full_hi"))
        rate_v = _pct(pl.col("exec_rate_v"), pl.col("exec_rate_u"))
        rate_h = 0.5 * pl.lit(10.0).pow(-pl.col("exec_rate_d").fill_null(0).cast(pl.Float64)) * pl.when(
            rate_v != pl.col("exec_rate_v")).then(100.0).otherwise(1.0)
        w = w.with_columns(c_lo=rlo * 100, c_hi=rhi * 100, c=pl.col("executed_b") / pl.col("budget_full_b") * 100,
                           r=rate_v, r_lo=rate_v - rate_h, r_hi=rate_v + rate_h)
        w = w.with_columns(
            rate_bad=pl.col("r").is_not_null() & pl.col("c_lo").is_not_null()
            & ~overlaps(pl.col("r_lo"), pl.col("r_hi"), pl.col("c_lo"), pl.col("c_hi")),
            linear=pl.col("weight_v") * pl.min_horizontal(pl.col("c"), pl.lit(100.0)) / 100,
        ).with_columns(
            score_bad=pl.col("score_v").is_not_null() & pl.col("weight_v").is_not_null() & pl.col("c").is_not_null()
            & ((pl.col("score_v") - pl.col("linear")).abs() > 0.3 * pl.col("weight_v")),
        )
        evals = pl.concat([
            w.filter(pl.col("r").is_not_null()).select("document_id", pl.lit("S-6").alias("identity"), pl.when(
                pl.col("rate_bad")).then(pl.lit("failed")).otherwise(pl.lit("passed")).alias("status"),
                pl.lit(None, dtype=pl.String).alias("reason")),
            w.filter(pl.col("score_v").is_not_null()).select("document_id", pl.lit("S-7").alias("identity"), pl.when(
                pl.col("score_bad")).then(pl.lit("failed")).otherwise(pl.lit("passed")).alias("status"),
                pl.lit(None, dtype=pl.String).alias("reason")),
        ])
        rows = []
        for r in w.filter(pl.col("rate_bad") | pl.col("score_bad")).iter_rows(named=True):
            sheet = f"{r['title']}《{r['project']}》" if r.get("project") else r["title"]
            ev = [{"table": r["title"], "table_id": r["table_id"], "page": r["page"], "row": r["row"], "col": r[f"{m}_c"],
                   "row_label": r["name"], "col_label": lab, "raw_text": r[f"{m}_x"]}
                  for m, lab in (("budget_full", "全年预算数"), ("executed", "全年执行数"), ("exec_rate", "执行率"),
                                 ("weight", "分值"), ("score", "得分")) if r[f"{m}_x"] is not None]
            money = (f"全年执行数 {fmt_number(r['executed_v'], r['executed_d'] or 0)}{r['executed_u'] or ''} ÷ "
                     f"全年预算数 {fmt_number(r['budget_full_v'], r['budget_full_d'] or 0)}{r['budget_full_u'] or ''} = "
                     f"{fmt_number(r['c'], 2)}%")
            if r["rate_bad"]:
                rows.append({
                    "document_id": r["document_id"], "table_id": r["table_id"], "location": f"S-6|{r['table_id']}|r{r['row']}",
                    "kind": "wrong_percentage",
                    "message": f"{sheet} {r['name']} 执行率印为 {r['exec_rate_x']}，但{money}，超出舍入误差范围。",
                    "evidence": json.dumps(ev, ensure_ascii=False), "expected": f"{fmt_number(r['c'], 2)}%",
                    "actual": f"{r['exec_rate_x']}", "difference": f"{fmt_number(r['r'] - r['c'], 2)}个百分点",
                    "rel_diff": abs(r["r"] - r["c"]) / max(abs(r["r"]), abs(r["c"]), 1e-9), "is_total": False,
                })
            if r["score_bad"]:
                rows.append({
                    "document_id": r["document_id"], "table_id": r["table_id"], "location": f"S-7|{r['table_id']}|r{r['row']}",
                    "kind": "score_sum_mismatch",
                    "message": (f"{sheet} 预算执行率得分 {fmt_number(r['score_v'], 1)}分（分值 {fmt_number(r['weight_v'], 0)}），"
                                f"但{money}；按“分值×执行率、封顶分值”应约为 {fmt_number(r['linear'], 2)}分，"
                                f"相差超过分值的30%，常见的分档计分也无法解释。"),
                    "evidence": json.dumps(ev, ensure_ascii=False), "expected": f"{fmt_number(r['linear'], 2)}分",
                    "actual": f"{fmt_number(r['score_v'], 1)}分", "difference": f"{fmt_number(r['score_v'] - r['linear'], 2)}分",
                    "rel_diff": abs(r["score_v"] - r["linear"]) / max(r["weight_v"], 1e-9), "is_total": False,
                })
        hits = conform_hits(pl.DataFrame(rows, infer_schema_length=None)) if rows else None
        return CheckResult.of([hits] if hits is not None else [], [evals])
