"""Text against tables and text against itself: amounts, shares, growth, completion, fund arithmetic.

Works on ``facts`` (numbers found in 情况说明 / 自评报告 sentences, with metric, qualifier, unit,
precision and character span). Each check is conservative: a stated ratio is flagged only when
*no* plausible pairing of the amounts around it reproduces it within rounding.
"""

from __future__ import annotations

import json

import polars as pl

from toolkit.checks.framework import Check, CheckResult, conform_hits, get
from toolkit.checks.registry import register
from toolkit.checks.select import items
from toolkit.checks.tolerance import fmt_number, half_unit, overlaps, ratio_bounds

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
MAX_GAP_CHARS = 160  # how far back in a passage an operand of a ratio may be


def _facts(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    f = get(frames, "facts")
    hh = half_unit(pl.col("decimals"), pl.col("scale"))
    b = pl.col("value") * pl.col("scale").fill_null(1.0)
    return f.filter(pl.col("value").is_not_null()).with_row_index("fid").with_columns(
        b=b, lo=b - hh, hi=b + hh)


def _fact_ev(r: dict, prefix: str = "") -> dict:
    return {"passage_id": r.get(f"{prefix}passage_id"), "page": r.get(f"{prefix}page"),
            "raw_text": r.get(f"{prefix}raw_text"), "sentence": r.get(f"{prefix}sentence"),
            "span": [r.get(f"{prefix}span_start"), r.get(f"{prefix}span_end")]}


def _short(s: str | None, n: int = 80) -> str:
    s = (s or "").strip()
    return s if len(s) <= n else s[: n - 1] + "…"


def _this_year(frames: dict[str, pl.DataFrame], f: pl.DataFrame) -> pl.DataFrame:
    """Keep facts about the document's own year (period blank or naming that year)."""
    docs = get(frames, "documents").select("document_id", "fiscal_year")
    f = f.join(docs, on="document_id", how="left")
    year = pl.col("fiscal_year").cast(pl.String)
    ok = pl.col("period").is_null() | pl.col("fiscal_year").is_null() | pl.col("period").str.contains(year.fill_null("~"))
    return f.filter(ok & ~pl.col("period").fill_null("").str.contains("上年|上一年|去年"))


@register
class TextAmountVersusTable(Check):
    """An amount stated in the 情况说明 text matches no table cell it describes (or matches it only with the wrong unit).

    What it does: for each amount in the text with a recognised metric (收入/支出总计, 基本/项目支出,
    人员/公用经费, 三公经费), looks up the cells that metric can describe (01/02/03/04/05/06/三公 totals,
    预算 or 决算) and flags the amount when its interval overlaps none of them. When the printed digits
    equal a cell but the unit differs (元 vs 万元), the finding is a unit slip.

    Why it matters: readers quote the text, not the tables; a number in the text that is in no table
    is either a typo or text copied from another year or bureau.

    Example: text "人员经费104.90万元" vs 06 表 人员经费合计 104.09万元.

    Known false positives: amounts of sub-units or other periods the metric extractor did not tell apart.
    """

    code = "IT030"
    name = "text-amount-vs-table"
    detects = ("text_table_mismatch", "unit_slip")
    requires = ("frame:facts",)

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        f = _this_year(frames, _facts(frames)).filter(
            (pl.col("qualifier") == "amount") & pl.col("metric").is_in(list(METRIC_CELLS)))
        subj = pl.col("subject").fill_null("")
        names_it = pl.lit(False)
        for metric, words in SUBJECT_WORDS.items():
            names_it = names_it | ((pl.col("metric") == metric) & subj.str.contains(words))
        f = f.filter(names_it & ~subj.str.contains("上年|去年|年初预算|预算数"))
        if f.height == 0:
            return CheckResult.of([], [])
        spec = pl.DataFrame([{"metric": m, "table_type": t, "ckey": k, "measure": ms}
                             for m, cells in METRIC_CELLS.items() for t, k, ms in cells])
        li = items(frames, tuple(spec["table_type"].unique().to_list())).with_columns(
            ckey=pl.when(pl.col("code").is_null() & ((pl.col("item_key") == "total") | (pl.col("row_kind") == "total")))
            .then(pl.lit("@total")).otherwise(pl.col("item_key")))
        hh = half_unit(pl.col("decimals"), pl.col("scale"))
        cb = pl.col("value") * pl.col("scale").fill_null(1.0)
        cells = li.join(spec, on=["table_type", "ckey", "measure"]).filter(pl.col("value").is_not_null()).select(
            "document_id", "metric", pl.col("title").alias("c_title"), pl.col("label").alias("c_label"),
            pl.col("measure_label").alias("c_measure"), pl.col("raw_text").alias("c_raw"), pl.col("page").alias("c_page"),
            pl.col("table_id").alias("c_table_id"), pl.col("value").alias("c_value"), pl.col("unit").alias("c_unit"),
            pl.col("decimals").alias("c_dec"), (cb - hh).alias("c_lo"), (cb + hh).alias("c_hi"), cb.alias("c_b"))
        j = f.join(cells, on=["document_id", "metric"], how="inner").with_columns(
            match=overlaps(pl.col("lo"), pl.col("hi"), pl.col("c_lo"), pl.col("c_hi")),
            same_digits=(pl.col("value") == pl.col("c_value")),
            dist=(pl.col("b") - pl.col("c_b")).abs())
        per = j.group_by("fid").agg(pl.col("match").any().alias("any_match"), pl.col("same_digits").any().alias("slip"))
        evals = per.join(f.select("fid", "document_id"), on="fid").select(
            "document_id", pl.lit("N-1").alias("identity"),
            pl.when(pl.col("any_match")).then(pl.lit("passed")).otherwise(pl.lit("failed")).alias("status"),
            pl.lit(None, dtype=pl.String).alias("reason"))
        bad = j.join(per.filter(~pl.col("any_match")), on="fid").sort("dist").unique("fid", keep="first")
        rows = []
        for r in bad.iter_rows(named=True):
            slip = bool(r["slip"])
            stated = f"{r['raw_text'] or fmt_number(r['value'], r['decimals'] or 0)}"
            cell = f"{fmt_number(r['c_value'], r['c_dec'] or 0)}{r['c_unit'] or ''}"
            msg = (f"文字说明“{_short(r['sentence'])}”中 {r['subject'] or r['metric']} 为 {stated}，"
                   f"而{r['c_title']} {r['c_label']}（{r['c_measure']}）为 {cell}")
            msg += "：数字相同但单位不同，疑为单位错写（元/万元）。" if slip else "，文字与表格不一致。"
            ev = [_fact_ev(r), {"table": r["c_title"], "table_id": r["c_table_id"], "page": r["c_page"],
                                "row_label": r["c_label"], "col_label": r["c_measure"], "raw_text": r["c_raw"]}]
            denom = max(abs(r["b"]), abs(r["c_b"]))
            rows.append({
                "document_id": r["document_id"], "table_id": r["c_table_id"],
                "location": f"N-1|{r['passage_id']}|{r['span_start']}", "kind": "unit_slip" if slip else "text_table_mismatch",
                "message": msg, "evidence": json.dumps(ev, ensure_ascii=False), "expected": cell, "actual": stated,
                "difference": f"{fmt_number((r['b'] - r['c_b']) / (r['scale'] or 1.0), r['decimals'] or 0)}{r['unit'] or ''}",
                "rel_diff": abs(r["b"] - r["c_b"]) / denom if denom else 0.0, "is_total": True,
            })
        return CheckResult.of([conform_hits(pl.DataFrame(rows, infer_schema_length=None))] if rows else [], [evals])


def _operands(f: pl.DataFrame, targets: pl.DataFrame, qualifiers: tuple[str, ...], suffix: str) -> pl.DataFrame:
    """Every fact of ``qualifiers`` before a target fact in the same passage (within MAX_GAP_CHARS)."""
    ops = f.filter(pl.col("qualifier").is_in(qualifiers)).select(
        "document_id", "passage_id", pl.col("fid").alias(f"fid{suffix}"), pl.col("b").alias(f"b{suffix}"),
        pl.col("lo").alias(f"lo{suffix}"), pl.col("hi").alias(f"hi{suffix}"), pl.col("raw_text").alias(f"raw{suffix}"),
        pl.col("span_start").alias(f"s{suffix}"), pl.col("base_unit").alias(f"u{suffix}"))
    return targets.join(ops, on=["document_id", "passage_id"]).filter(
        (pl.col(f"s{suffix}") < pl.col("span_start")) & (pl.col("span_start") - pl.col(f"s{suffix}") <= MAX_GAP_CHARS))


def _money(f: pl.DataFrame) -> pl.DataFrame:
    from toolkit.normalize.numbers import unit_scale

    units = f["unit"].unique().to_list()
    m = {u: unit_scale(u)[0] for u in units if u is not None}
    return f.with_columns(base_unit=pl.col("unit").replace_strict(m, default=None, return_dtype=pl.String))


def _pct_interval(f: pl.DataFrame) -> pl.DataFrame:
    h = 0.5 * pl.lit(10.0).pow(-pl.col("decimals").fill_null(0).cast(pl.Float64))
    return f.with_columns(p=pl.col("value"), p_lo=pl.col("value") - h, p_hi=pl.col("value") + h)


def _ratio_check(frames, *, code: str, identity: str, qualifier: str, kind: str, build) -> CheckResult:
    f = _money(_facts(frames))
    targets = _pct_interval(f.filter((pl.col("qualifier") == qualifier) & (pl.col("unit") == "%")))
    if targets.height == 0:
        return CheckResult.of([], [])
    cand = build(f, targets)  # rows: target × candidate operand pairing with c_lo/c_hi (percent) and text
    if cand.height == 0:
        return CheckResult.of([], [targets.select("document_id", pl.lit(identity).alias("identity"),
                                                   pl.lit("skipped").alias("status"),
                                                   pl.lit("no amounts beside the rate").alias("reason"))])
    cand = cand.with_columns(ok=overlaps(pl.col("p_lo"), pl.col("p_hi"), pl.col("c_lo"), pl.col("c_hi")),
                             dist=(pl.col("p") - pl.col("c")).abs())
    if "eligible" not in cand.columns:
        cand = cand.with_columns(eligible=pl.lit(True))
    per = cand.group_by("fid").agg(pl.col("ok").any().alias("any_ok"), pl.col("eligible").any().alias("any_eligible"))
    unnamed = per.filter(~pl.col("any_ok") & ~pl.col("any_eligible"))
    per = per.join(unnamed.select("fid"), on="fid", how="anti")
    skipped = targets.join(per, on="fid", how="anti").select(
        "document_id", pl.lit(identity).alias("identity"), pl.lit("skipped").alias("status"),
        pl.lit("no amounts beside the rate").alias("reason"))
    evals = per.join(targets.select("fid", "document_id"), on="fid").select(
        "document_id", pl.lit(identity).alias("identity"),
        pl.when(pl.col("any_ok")).then(pl.lit("passed")).otherwise(pl.lit("failed")).alias("status"),
        pl.lit(None, dtype=pl.String).alias("reason"))
    skipped = pl.concat([skipped, unnamed.join(targets.select("fid", "document_id"), on="fid").select(
        "document_id", pl.lit(identity).alias("identity"), pl.lit("skipped").alias("status"),
        pl.lit("the whole is not named beside the rate").alias("reason"))])
    bad = cand.filter(pl.col("eligible")).join(per.filter(~pl.col("any_ok")), on="fid").sort(
        "prio", "dist").unique("fid", keep="first")
    rows = []
    for r in bad.iter_rows(named=True):
        msg = (f"文字说明“{_short(r['sentence'])}”中 {r['raw_text']}，但按{r['formula']} = {fmt_number(r['c'], 2)}%，"
               f"超出舍入误差范围（已尝试该段中所有可能的对应金额，均不相符）。")
        rows.append({
            "document_id": r["document_id"], "location": f"{identity}|{r['passage_id']}|{r['span_start']}", "kind": kind,
            "message": msg, "evidence": json.dumps([_fact_ev(r)], ensure_ascii=False),
            "expected": f"{fmt_number(r['c'], 2)}%", "actual": r["raw_text"],
            "difference": f"{fmt_number(r['p'] - r['c'], 2)}个百分点",
            "rel_diff": abs(r["p"] - r["c"]) / max(abs(r["p"]), abs(r["c"]), 1e-9), "is_total": False,
        })
    return CheckResult.of([conform_hits(pl.DataFrame(rows, infer_schema_length=None))] if rows else [],
                          [evals, skipped])


@register
class TextShare(Check):
    """A share stated in the text (占…%) is not the ratio of the amounts beside it (N-2).

    What it does: for each 占比 in a passage, tries every pairing of an amount stated just before it
    (the part) with a larger earlier amount of the same kind (the whole) and flags the share only when
    no pairing reproduces it within the rounding of all three numbers.

    Why it matters: shares are what the press quotes; a share that no amount supports means the
    sentence was edited without recomputing, or copied.

    Example: “人员经费104.09万元，占基本支出的94.74%” after “基本支出122.83万元” (true share 84.74 %).

    Known false positives: shares of a whole that is not stated in the same passage (skipped, not flagged).
    """

    code = "IT031"
    name = "text-share"
    detects = ("wrong_percentage",)
    requires = ("frame:facts",)

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        def build(f: pl.DataFrame, t: pl.DataFrame) -> pl.DataFrame:
            quals = ("amount", "change")
            part = _operands(f, t, quals, "_p")
            whole = f.filter(pl.col("qualifier").is_in(quals)).select(
                "document_id", "passage_id", pl.col("b").alias("b_w"), pl.col("lo").alias("lo_w"),
                pl.col("hi").alias("hi_w"), pl.col("raw_text").alias("raw_w"), pl.col("span_start").alias("s_w"),
                pl.col("base_unit").alias("u_w"), pl.col("subject").alias("subj_w"))
            c = part.join(whole, on=["document_id", "passage_id"]).filter(
                (pl.col("s_w") < pl.col("s_p")) & (pl.col("u_w") == pl.col("u_p"))
                & (pl.col("span_start") - pl.col("s_w") <= 4 * MAX_GAP_CHARS))
            # flag only against a whole the sentence names (占基本支出的… after "基本支出122.83万元")
            c = c.with_columns(eligible=pl.col("subj_w").is_not_null() & (pl.col("subj_w").str.len_chars() >= 2)
                               & pl.col("sentence").str.contains(pl.col("subj_w"), literal=True))
            lo, hi = ratio_bounds(pl.col("lo_p"), pl.col("hi_p"), pl.col("lo_w"), pl.col("hi_w"))
            return c.with_columns(
                c_lo=lo * 100, c_hi=hi * 100, c=pl.col("b_p") / pl.col("b_w") * 100,
                prio=(pl.col("span_start") - pl.col("s_p")),
                formula=pl.concat_str([pl.col("raw_p"), pl.lit(" ÷ "), pl.col("raw_w")]))
        return _ratio_check(frames, code=self.code, identity="N-2", qualifier="share", kind="wrong_percentage",
                            build=build)


@register
class TextGrowth(Check):
    """A growth rate in the text does not match its change and amount: 增长率 ≠ 增减额 ÷ (本年 − 增减额) (N-3).

    What it does: for each 增长/减少 …% in a passage, takes the 增减额 stated just before it and every
    amount stated before that (本年数), recomputes change ÷ (本年 ∓ change) with interval bounds and
    flags the rate only when no pairing reproduces it.

    Why it matters: a growth rate computed on the wrong base (this year instead of last year) misstates
    the trend, e.g. 金华 2021 “增加32.19万元，增长6.76%” where 32.19 ÷ 486.88 = 6.61 %.

    Example: “支出362.62万元，与上年相比减少408.65万元，减少52.98%” ✓ (408.65 ÷ 771.27 = 52.98 %).

    Known false positives: rates relative to a base stated in another passage (skipped).
    """

    code = "IT032"
    name = "text-growth-rate"
    detects = ("wrong_growth_rate",)
    requires = ("frame:facts",)

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        def build(f: pl.DataFrame, t: pl.DataFrame) -> pl.DataFrame:
            ch = _operands(f, t, ("change",), "_c")
            amt = f.filter(pl.col("qualifier") == "amount").select(
                "document_id", "passage_id", pl.col("b").alias("b_a"), pl.col("lo").alias("lo_a"),
                pl.col("hi").alias("hi_a"), pl.col("raw_text").alias("raw_a"), pl.col("span_start").alias("s_a"),
                pl.col("base_unit").alias("u_a"))
            c = ch.join(amt, on=["document_id", "passage_id"]).filter(
                (pl.col("s_a") < pl.col("s_c")) & (pl.col("u_a") == pl.col("u_c"))
                & (pl.col("span_start") - pl.col("s_a") <= 2 * MAX_GAP_CHARS))
            dec = pl.col("direction") == "decrease"
            # last year = this year − change (increase) or + change (decrease)
            prev_lo = pl.when(dec).then(pl.col("lo_a") + pl.col("lo_c")).otherwise(pl.col("lo_a") - pl.col("hi_c"))
            prev_hi = pl.when(dec).then(pl.col("hi_a") + pl.col("hi_c")).otherwise(pl.col("hi_a") - pl.col("lo_c"))
            lo, hi = ratio_bounds(pl.col("lo_c"), pl.col("hi_c"), prev_lo, prev_hi)
            prev = pl.when(dec).then(pl.col("b_a") + pl.col("b_c")).otherwise(pl.col("b_a") - pl.col("b_c"))
            return c.with_columns(
                c_lo=lo * 100, c_hi=hi * 100, c=pl.col("b_c") / prev * 100, prio=pl.col("span_start") - pl.col("s_a"),
                formula=pl.concat_str([pl.col("raw_c"), pl.lit(" ÷ （"), pl.col("raw_a"),
                                       pl.when(dec).then(pl.lit(" + ")).otherwise(pl.lit(" − ")), pl.col("raw_c"),
                                       pl.lit("）")]))
        return _ratio_check(frames, code=self.code, identity="N-3", qualifier="growth", kind="wrong_growth_rate",
                            build=build)


@register
class TextCompletion(Check):
    """A completion rate in the text is not 决算 ÷ 预算 (完成预算的…%) (N-4).

    What it does: for each 完成…% in a passage, takes the two amounts stated before it (预算 first, then
    决算) and recomputes 决算 ÷ 预算 with interval bounds; flags only when no ordered pair of earlier
    amounts reproduces the rate.

    Why it matters: 完成率 is how a bureau reports budget discipline; 金华 2021 printed 27.22 % where
    500.12 ÷ 472.9 = 105.76 % (27.22 is the difference written as a percentage).

    Example: “预算为2万元，支出决算为0.89万元，完成预算的44.5%” ✓.

    Known false positives: completion of a physical target (counts), when the metric extractor tags it
    as money (the units then differ and the pair is not used).
    """

    code = "IT033"
    name = "text-completion-rate"
    detects = ("wrong_percentage",)
    requires = ("frame:facts",)

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        def build(f: pl.DataFrame, t: pl.DataFrame) -> pl.DataFrame:
            fin = _operands(f, t, ("amount",), "_f")
            bud = f.filter(pl.col("qualifier") == "amount").select(
                "document_id", "passage_id", pl.col("b").alias("b_b"), pl.col("lo").alias("lo_b"),
                pl.col("hi").alias("hi_b"), pl.col("raw_text").alias("raw_b"), pl.col("span_start").alias("s_b"),
                pl.col("base_unit").alias("u_b"))
            c = fin.join(bud, on=["document_id", "passage_id"]).filter(
                (pl.col("s_b") < pl.col("s_f")) & (pl.col("u_b") == pl.col("u_f")))
            lo, hi = ratio_bounds(pl.col("lo_f"), pl.col("hi_f"), pl.col("lo_b"), pl.col("hi_b"))
            return c.with_columns(
                c_lo=lo * 100, c_hi=hi * 100, c=pl.col("b_f") / pl.col("b_b") * 100,
                prio=pl.col("span_start") - pl.col("s_b"),
                formula=pl.concat_str([pl.lit("决算 "), pl.col("raw_f"), pl.lit(" ÷ 预算 "), pl.col("raw_b")]))
        return _ratio_check(frames, code=self.code, identity="N-4", qualifier="completion", kind="wrong_percentage",
                            build=build)


@register
class TextSameItemDifferentAmounts(Check):
    """The same named item is stated with different amounts in one document.

    What it does: groups the document's amount/rate facts by metric, subject words (as printed) and
    period, and flags a group whose values do not all overlap within rounding.

    Why it matters: two different figures for the same thing in one report (e.g. 资金使用率 41.76 %
    in one section and 41.96 % in another) mean at least one was not updated.

    Example: “项目资金使用率41.76%” and later “项目资金使用率仅41.96%”.

    Known false positives: the same words used for two sub-units or two periods the extractor did not
    separate.
    """

    code = "IT034"
    name = "text-same-item-different-amounts"
    detects = ("text_table_mismatch",)
    requires = ("frame:facts",)

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        f = _facts(frames).filter(pl.col("qualifier").is_in(["amount", "rate"]) & pl.col("subject").is_not_null()
                                  & pl.col("metric").is_not_null())
        f = f.with_columns(subj=pl.col("subject").str.replace_all(r"\s+", ""), per=pl.col("period").fill_null(""))
        keys = ["document_id", "metric", "subj", "per", "qualifier"]
        g = f.group_by(keys).agg(
            pl.col("lo").max().alias("max_lo"), pl.col("hi").min().alias("min_hi"), pl.len().alias("n"),
            pl.col("b").min().alias("bmin"), pl.col("b").max().alias("bmax"))
        # a typo-like disagreement (≤ 5 %) between two statements in different passages; larger gaps
        # are usually different sub-items described with the same words
        g = g.with_columns(n_vals=pl.col("n"))
        pas = f.group_by(keys).agg(pl.col("passage_id").n_unique().alias("n_pas"), pl.col("value").n_unique().alias("n_val"))
        g = g.join(pas, on=keys).filter(
            (pl.col("n") > 1) & (pl.col("n_val") == 2) & (pl.col("n_pas") >= 2) & (pl.col("subj").str.len_chars() >= 4)
            & ((pl.col("bmax") - pl.col("bmin")) <= 0.05 * pl.col("bmax").abs()))
        evals = g.select("document_id", pl.lit("N-5").alias("identity"),
                         pl.when(pl.col("max_lo") > pl.col("min_hi") + 1e-9).then(pl.lit("failed")).otherwise(
                             pl.lit("passed")).alias("status"), pl.lit(None, dtype=pl.String).alias("reason"))
        bad = g.filter(pl.col("max_lo") > pl.col("min_hi") + 1e-9)
        if bad.height == 0:
            return CheckResult.of([], [evals])
        rows = []
        members = f.join(bad.select(keys), on=keys).sort("span_start")
        by: dict[tuple, list[dict]] = {}
        for r in members.iter_rows(named=True):
            by.setdefault(tuple(r[k] for k in keys), []).append(r)
        for key, rs in by.items():
            vals = list(dict.fromkeys(r["raw_text"] for r in rs))
            bmin, bmax = min(r["b"] for r in rs), max(r["b"] for r in rs)
            rows.append({
                "document_id": key[0], "location": f"N-5|{key[1]}|{key[2]}|{key[3]}", "kind": "text_table_mismatch",
                "message": f"同一文件中“{rs[0]['subject']}”先后写作 {'、'.join(vals)}，数值不一致。"
                           + "".join(f"（{_short(r['sentence'], 50)}）" for r in rs[:3]),
                "evidence": json.dumps([_fact_ev(r) for r in rs], ensure_ascii=False),
                "expected": rs[0]["raw_text"], "actual": rs[-1]["raw_text"],
                "difference": fmt_number((rs[-1]["b"] - rs[0]["b"]) / (rs[0]["scale"] or 1.0), rs[0]["decimals"] or 0),
                "rel_diff": (bmax - bmin) / max(abs(bmax), abs(bmin), 1e-9), "is_total": False, "severity": "low",
            })
        return CheckResult.of([conform_hits(pl.DataFrame(rows, infer_schema_length=None))], [evals])


@register
class NarrativeFundArithmetic(Check):
    """Narrative fund figures do not add up: 收入 − 支出 ≠ 当期结余, or the parts exceed the whole.

    What it does: for each (scheme, period) of a document with 基金收入, 基金支出 and 当期结余 stated,
    checks 收入 − 支出 = 当期结余 with interval bounds; and flags scheme parts (职工 + 居民 …) that add
    up to more than the stated total.

    Why it matters: fund balance is the headline of medical-insurance reporting; arithmetic that does
    not close hides a deficit or a surplus.

    Example: 职工医保基金收入 5.2亿元, 支出 4.8亿元, 当期结余 0.6亿元 (should be 0.4).

    Known false positives: 结余 stated including interest or 上解/下拨 that the text names separately.
    """

    code = "IT035"
    name = "narrative-fund-arithmetic"
    detects = ("fund_arithmetic",)
    requires = ("frame:facts",)

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        f = _facts(frames).filter((pl.col("qualifier").fill_null("amount") == "amount")
                                  & pl.col("metric").is_in(["fund_income", "fund_expense", "fund_balance_current"]))
        if f.height == 0:
            return CheckResult.of([], [])
        f = f.with_columns(sch=pl.col("scheme").fill_null("all"), per=pl.col("period").fill_null(""))
        keys = ["document_id", "sch", "per"]
        first = f.sort("span_start").unique(keys + ["metric"], keep="first")
        wide = first.pivot(on="metric", index=keys, values=["b", "lo", "hi", "raw_text", "unit", "scale", "decimals",
                                                            "sentence", "passage_id", "page", "span_start", "span_end"])
        need = [f"b_{m}" for m in ("fund_income", "fund_expense", "fund_balance_current")]
        if not all(c in wide.columns for c in need):
            return CheckResult.of([], [])
        w = wide.drop_nulls(need).with_columns(
            c_lo=pl.col("lo_fund_income") - pl.col("hi_fund_expense"), c_hi=pl.col("hi_fund_income") - pl.col("lo_fund_expense"),
            c=pl.col("b_fund_income") - pl.col("b_fund_expense"))
        w = w.with_columns(ok=overlaps(pl.col("lo_fund_balance_current"), pl.col("hi_fund_balance_current"),
                                       pl.col("c_lo"), pl.col("c_hi")))
        evals = w.select("document_id", pl.lit("F-1").alias("identity"),
                         pl.when(pl.col("ok")).then(pl.lit("passed")).otherwise(pl.lit("failed")).alias("status"),
                         pl.lit(None, dtype=pl.String).alias("reason"))
        rows = []
        for r in w.filter(~pl.col("ok")).iter_rows(named=True):
            scale = r["scale_fund_balance_current"] or 1.0
            unit = r["unit_fund_balance_current"] or ""
            d = r["decimals_fund_balance_current"] or 0
            ev = [{"raw_text": r[f"raw_text_{m}"], "sentence": r[f"sentence_{m}"], "passage_id": r[f"passage_id_{m}"],
                   "page": r[f"page_{m}"], "span": [r[f"span_start_{m}"], r[f"span_end_{m}"]]}
                  for m in ("fund_income", "fund_expense", "fund_balance_current")]
            rows.append({
                "document_id": r["document_id"], "location": f"F-1|{r['sch']}|{r['per']}", "kind": "fund_arithmetic",
                "message": (f"基金收入 {r['raw_text_fund_income']} − 基金支出 {r['raw_text_fund_expense']} = "
                            f"{fmt_number(r['c'] / scale, d)}{unit}，但文中当期结余为 {r['raw_text_fund_balance_current']}。"),
                "evidence": json.dumps(ev, ensure_ascii=False), "expected": f"{fmt_number(r['c'] / scale, d)}{unit}",
                "actual": r["raw_text_fund_balance_current"],
                "difference": f"{fmt_number((r['b_fund_balance_current'] - r['c']) / scale, d)}{unit}",
                "rel_diff": abs(r["b_fund_balance_current"] - r["c"]) / max(abs(r["b_fund_balance_current"]), abs(r["c"]), 1e-9),
                "is_total": True,
            })
        # parts > whole: Σ scheme amounts exceed the all-scheme amount of the same metric and period
        parts = f.filter(pl.col("sch") != "all").sort("span_start").unique(keys + ["metric"], keep="first").group_by(
            "document_id", "per", "metric").agg(pl.col("lo").sum().alias("p_lo"), pl.col("b").sum().alias("p_b"),
                                                pl.len().alias("n"), pl.col("raw_text").alias("p_raw"))
        whole = f.filter(pl.col("sch") == "all").sort("span_start").unique(["document_id", "per", "metric"], keep="first")
        pw = whole.join(parts.filter(pl.col("n") >= 2), on=["document_id", "per", "metric"]).with_columns(
            bad=pl.col("p_lo") > pl.col("hi") + 1e-9)
        evals = pl.concat([evals, pw.select("document_id", pl.lit("F-2").alias("identity"), pl.when(pl.col("bad")).then(
            pl.lit("failed")).otherwise(pl.lit("passed")).alias("status"), pl.lit(None, dtype=pl.String).alias("reason"))])
        for r in pw.filter(pl.col("bad")).iter_rows(named=True):
            scale = r["scale"] or 1.0
            rows.append({
                "document_id": r["document_id"], "location": f"F-2|{r['metric']}|{r['per']}", "kind": "fund_arithmetic",
                "message": f"各险种{r['subject'] or r['metric']}之和 {' + '.join(r['p_raw'])} = "
                           f"{fmt_number(r['p_b'] / scale, r['decimals'] or 0)}{r['unit'] or ''}，超过文中合计 {r['raw_text']}。",
                "evidence": json.dumps([_fact_ev(r)], ensure_ascii=False), "expected": f"≤ {r['raw_text']}",
                "actual": f"{fmt_number(r['p_b'] / scale, r['decimals'] or 0)}{r['unit'] or ''}",
                "difference": f"{fmt_number((r['p_b'] - r['b']) / scale, r['decimals'] or 0)}{r['unit'] or ''}",
                "rel_diff": (r["p_b"] - r["b"]) / max(abs(r["p_b"]), 1e-9), "is_total": True,
            })
        return CheckResult.of([conform_hits(pl.DataFrame(rows, infer_schema_length=None))] if rows else [], [evals])
