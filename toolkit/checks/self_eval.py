"""绩效自评表 and 计分表: score sums, weights, 执行率 and the 资金 block (REFERENCE.md §2)."""

from __future__ import annotations

import json

import polars as pl

from toolkit.checks.framework import Check, CheckResult, conform_hits, get, skipped_missing_tables
from toolkit.checks.identities import run_terms
from toolkit.checks.named import NamedIdentity as N
from toolkit.checks.named import run_named
from toolkit.checks.registry import register
from toolkit.checks.select import items
from toolkit.checks.tolerance import fmt_number, half_unit, overlaps, ratio_bounds

SELF_EVAL = ("project_self_eval", "dept_self_eval", "score_sheet")
SCORED_KINDS = ("indicator", "budget_execution")


def _indicators(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    ind = get(frames, "indicators")
    titles = get(frames, "tables").select("document_id", "table_id", "title", pl.col("project").alias("t_project"))
    ind = ind.join(titles, on=["document_id", "table_id"], how="left").with_columns(
        project=pl.coalesce("project", "t_project"),
        title=pl.col("title").fill_null("绩效自评表"),
    )
    # a 自评表 prints the 执行率 分值/得分 once; some layouts repeat it on the 当年财政拨款 row
    first_exec = ind.filter(pl.col("row_kind") == "budget_execution").sort("row").unique(
        ["document_id", "table_id"], keep="first")
    return pl.concat([ind.filter(pl.col("row_kind") != "budget_execution"), first_exec], how="vertical_relaxed")


def _sheet(e: pl.Expr | None = None) -> pl.Expr:
    proj = pl.when(pl.col("project").is_not_null()).then(
        pl.concat_str([pl.lit("《"), pl.col("project"), pl.lit("》")])).otherwise(pl.lit(""))
    return pl.concat_str([pl.col("title"), proj])


def _label() -> pl.Expr:
    return pl.coalesce(pl.col("level3"), pl.col("level2"), pl.col("level1"), pl.lit("总分"))


EXACT = 9  # decimals standing for "exact": no rounding envelope


def _precision(value: str, decimals: str) -> pl.Expr:
    """分值 are assigned, never rounded: exact. 得分 printed in whole points are assigned too, except the
    预算执行率 得分, which is computed from the rate and may be rounded (±0.5)."""
    d = pl.col(decimals)
    if value == "weight":
        return pl.lit(EXACT)
    computed = pl.col("row_kind") == "budget_execution"
    return pl.when((d.fill_null(0) == 0) & ~computed).then(pl.lit(EXACT)).otherwise(d)


def _terms(df: pl.DataFrame, value: str, decimals: str) -> pl.DataFrame:
    return df.with_columns(
        value=pl.col(value), decimals=_precision(value, decimals), scale=pl.lit(1.0), unit=pl.lit("分"),
        label=_label(), raw_text=pl.col(value).cast(pl.String),
        measure_label=pl.lit("得分" if value == "score" else "分值"),
    )


@register
class ScoreSums(Check):
    """自评表 scores do not add up: 总分 ≠ Σ 得分, Σ 分值 ≠ 100 (or ≠ the 总分 row's 分值), a level's 分值 ≠ its label.

    What it does: per 自评表/计分表: 总分 row 得分 = Σ 得分 of every indicator row plus the 预算执行率
    row; Σ 分值 = the 总分 row's 分值 (100 when not printed); for each 一级指标 labelled with its weight
    (产出指标(50分)) Σ 分值 of its rows = the label, and likewise for 二级指标 (成本指标(15分)).

    Why it matters: the 总分 decides the grade (优 ≥ 90) and what the finance bureau does with the
    project; a 总分 that is not the sum of its items is a self-evaluation that was not really done.

    Example: 区级扶贫捐款专项资金: 总分 87 but 得分 2 + 5 + 20 + 10 + 5 + 0 + 10 + 10 + 10 + 10 = 82;
    Σ 分值 95 against 总分 分值 100.

    Known false positives: indicator rows the parser could not read (the sums then miss them);
    transfer-payment forms without 分值/得分 are skipped.
    """

    code = "IT020"
    name = "self-eval-score-sums"
    detects = ("score_sum_mismatch",)
    requires = SELF_EVAL

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        ind = _indicators(frames)
        if ind.height == 0:
            return CheckResult.of([], [skipped_missing_tables(frames, SELF_EVAL, "S-1", need_all=False)])
        scored = ind.filter(pl.col("row_kind").is_in(SCORED_KINDS))
        total = ind.filter(pl.col("row_kind") == "total")
        key = pl.col("table_id")
        t = []
        # S-1 总分 = Σ 得分
        t.append(_terms(scored, "score", "score_decimals").with_columns(role=pl.lit("part"), group=key, identity=pl.lit("S-1")))
        t.append(_terms(total, "score", "score_decimals").with_columns(
            role=pl.lit("whole"), group=key, identity=pl.lit("S-1"), is_total=pl.lit(True),
            desc=pl.concat_str([_sheet(), pl.lit(" 总分")]), parts_desc=pl.lit("各指标得分（含预算执行率）之和")))
        # S-2 Σ 分值 = 总分 row 分值, or 100
        t.append(_terms(scored, "weight", "weight_decimals").with_columns(role=pl.lit("part"), group=key, identity=pl.lit("S-2")))
        sheets = scored.select("document_id", "table_id", "title", "project").unique(["document_id", "table_id"])
        w_total = sheets.join(total.select("document_id", "table_id", "weight", "weight_decimals", "page", "row"),
                              on=["document_id", "table_id"], how="left").with_columns(
            value=pl.coalesce("weight", pl.lit(100.0)), decimals=pl.lit(EXACT),
            scale=pl.lit(1.0), unit=pl.lit("分"), label=pl.lit("总分 分值"),
            raw_text=pl.when(pl.col("weight").is_null()).then(pl.lit("（未印，按满分100）")).otherwise(
                pl.col("weight").cast(pl.String)),
            measure_label=pl.lit("分值"), role=pl.lit("whole"), group=key, identity=pl.lit("S-2"), is_total=pl.lit(True),
            desc=pl.concat_str([_sheet(), pl.lit(" 满分（总分行分值）")]), parts_desc=pl.lit("各指标分值（含预算执行率）之和"))
        t.append(w_total.drop("weight", "weight_decimals"))
        # S-3 per level: Σ 分值 = weight printed in the 一级/二级 label
        lv1 = scored.filter(pl.col("level1_weight").is_not_null() & (pl.col("row_kind") == "indicator"))
        g1 = pl.concat_str([key, pl.lit("|L1|"), pl.col("level1")])
        t.append(_terms(lv1, "weight", "weight_decimals").with_columns(role=pl.lit("part"), group=g1, identity=pl.lit("S-3")))
        t.append(lv1.unique(["document_id", "table_id", "level1"], keep="first").with_columns(
            value=pl.col("level1_weight"), decimals=pl.lit(EXACT), scale=pl.lit(1.0), unit=pl.lit("分"),
            label=pl.concat_str([pl.col("level1"), pl.lit("（标注分值）")]), raw_text=pl.col("level1_weight").cast(pl.String),
            measure_label=pl.lit("一级指标"), role=pl.lit("whole"), group=g1, identity=pl.lit("S-3"),
            desc=pl.concat_str([_sheet(), pl.lit(" 一级指标 "), pl.col("level1"), pl.lit(" 标注分值")]),
            parts_desc=pl.lit("其下各三级指标分值之和")))
        lv2 = scored.filter(pl.col("level2_weight").is_not_null() & (pl.col("row_kind") == "indicator"))
        g2 = pl.concat_str([key, pl.lit("|L2|"), pl.col("level1").fill_null(""), pl.lit("|"), pl.col("level2")])
        t.append(_terms(lv2, "weight", "weight_decimals").with_columns(role=pl.lit("part"), group=g2, identity=pl.lit("S-4")))
        t.append(lv2.unique(["document_id", "table_id", "level1", "level2"], keep="first").with_columns(
            value=pl.col("level2_weight"), decimals=pl.lit(EXACT), scale=pl.lit(1.0), unit=pl.lit("分"),
            label=pl.concat_str([pl.col("level2"), pl.lit("（标注分值）")]), raw_text=pl.col("level2_weight").cast(pl.String),
            measure_label=pl.lit("二级指标"), role=pl.lit("whole"), group=g2, identity=pl.lit("S-4"),
            desc=pl.concat_str([_sheet(), pl.lit(" 二级指标 "), pl.col("level2"), pl.lit(" 标注分值")]),
            parts_desc=pl.lit("其下各三级指标分值之和")))
        terms = pl.concat(t, how="diagonal_relaxed").with_columns(relation=pl.lit("eq"))
        hits, evals = run_terms(terms, "score_sum_mismatch")
        return CheckResult.of([hits], [evals])


@register
class ScoreAboveWeight(Check):
    """An indicator's 得分 exceeds its 分值.

    What it does: every indicator row (and the 预算执行率 row) must have 得分 ≤ 分值.

    Why it matters: a score above the maximum inflates the 总分 and shows the sheet was filled
    without applying the scoring rules.

    Example: 满意度指标 分值 10, 得分 12.

    Known false positives: 分值 and 得分 columns swapped by the parser (then 分值 < 得分 on many rows).
    """

    code = "IT021"
    name = "score-above-weight"
    detects = ("score_sum_mismatch",)
    requires = SELF_EVAL

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        scored = _indicators(frames).filter(pl.col("row_kind").is_in(SCORED_KINDS))
        g = pl.concat_str([pl.col("table_id"), pl.lit("|r"), pl.col("row").cast(pl.String)])
        whole = _terms(scored, "score", "score_decimals").with_columns(
            role=pl.lit("whole"), group=g, desc=pl.concat_str([_sheet(), pl.lit(" "), _label(), pl.lit(" 得分")]),
            parts_desc=pl.lit("该指标分值"))
        part = _terms(scored, "weight", "weight_decimals").with_columns(role=pl.lit("part"), group=g)
        terms = pl.concat([whole, part], how="diagonal_relaxed").with_columns(identity=pl.lit("S-5"), relation=pl.lit("le"))
        hits, evals = run_terms(terms, "score_sum_mismatch")
        return CheckResult.of([hits], [evals])


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
    requires = ("project_self_eval", "dept_self_eval")

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        li = items(frames, ("project_self_eval", "dept_self_eval")).filter(
            pl.col("measure").is_in(["budget_full", "executed", "exec_rate", "weight", "score"]))
        if li.height == 0:
            return CheckResult.of([], [])
        keys = ["document_id", "table_id", "row"]
        hh = half_unit(pl.col("decimals"), pl.col("scale"))
        b = pl.col("value") * pl.col("scale").fill_null(1.0)
        def pick(m: str) -> pl.DataFrame:
            return li.filter(pl.col("measure") == m).unique(keys, keep="first").select(
                keys + [b.alias(f"{m}_b"), (b - hh).alias(f"{m}_lo"), (b + hh).alias(f"{m}_hi"),
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


SPECS_FUND = [
    N(f"S-8|{tt}", tt, (None, "fund_total", "*"),
      tuple((None, k, "*", 1.0) for k in ("fund_current", "fund_carryover", "fund_other")),
      "年度资金总额", "当年财政拨款 + 上年结转资金 + 其他资金", measures=("budget_initial", "budget_full", "executed"))
    for tt in ("project_self_eval", "dept_self_eval")
]


@register
class FundBlockSum(Check):
    """自评表 年度资金总额 ≠ 当年财政拨款 + 上年结转资金 + 其他资金 (年初预算数, 全年预算数, 全年执行数).

    What it does: in the 项目资金 block, for each money column, the 年度资金总额 row must equal the sum of
    its printed source rows (blank sources are not zero unless the total proves it).

    Why it matters: the block is where the 自评表 meets the 决算; a total that does not match its sources
    means the 执行率 and the amounts quoted in the report rest on the wrong base.

    Example: 棠溪镇 2022: 年度资金总额 0 / 0 / 0 while 本年财政拨款 90 / 89.974 / 89.974.

    Known false positives: forms splitting sources as 中央/省/市/县 (those rows are not recognised as parts).
    """

    code = "IT023"
    name = "self-eval-fund-block"
    detects = ("broken_footing",)
    requires = ("project_self_eval", "dept_self_eval")

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        hits, evals = run_named(frames, SPECS_FUND, "broken_footing")
        return CheckResult.of([hits], [evals])
