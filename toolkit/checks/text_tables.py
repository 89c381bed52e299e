"""Text against tables and text against itself: amounts, shares, growth, completion, fund arithmetic.

Works on ``facts`` (numbers found in 情况说明 / 自评报告 sentences, with metric, qualifier, unit,
precision and character span). Each check is conservative: a stated ratio is flagged only when
*no* plausible pairing of the amounts around it reproduces it within rounding (amounts ± half a unit
of their last printed digit; a printed rate may also be truncated, 95.457% → 95.45%).
"""

from __future__ import annotations

import json
import re

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
# part metric > whole metric: the whole a share of the part is taken of when the text does not say
_PART_OF = {"personnel_expense>basic_expense", "public_expense>basic_expense", "basic_expense>expense_total",
            "project_expense>expense_total"}
_TOTAL_METRICS = ("income_total", "expense_total")
# a 科目 level named before an amount: the amount is that 科目's (类/款/项), not a table total
_SUBJECT_LEVEL = r"[(（](?:类|款|项)[)）]"
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


def _metric_cells(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """The table cells each text metric may describe, with their intervals (c_lo, c_hi) in base units."""
    spec = pl.DataFrame([{"metric": m, "table_type": t, "ckey": k, "measure": ms}
                         for m, cells in METRIC_CELLS.items() for t, k, ms in cells])
    li = items(frames, tuple(spec["table_type"].unique().to_list())).with_columns(
        ckey=pl.when(pl.col("code").is_null() & ((pl.col("item_key") == "total") | (pl.col("row_kind") == "total")))
        .then(pl.lit("@total")).otherwise(pl.col("item_key")))
    hh = half_unit(pl.col("decimals"), pl.col("scale"))
    cb = pl.col("value") * pl.col("scale").fill_null(1.0)
    return li.join(spec, on=["table_type", "ckey", "measure"]).filter(pl.col("value").is_not_null()).select(
        "document_id", "metric", pl.col("title").alias("c_title"), pl.col("label").alias("c_label"),
        pl.col("measure_label").alias("c_measure"), pl.col("raw_text").alias("c_raw"), pl.col("page").alias("c_page"),
        pl.col("table_id").alias("c_table_id"), pl.col("value").alias("c_value"), pl.col("unit").alias("c_unit"),
        pl.col("decimals").alias("c_dec"), (cb - hh).alias("c_lo"), (cb + hh).alias("c_hi"), cb.alias("c_b"))


def _this_year(frames: dict[str, pl.DataFrame], f: pl.DataFrame) -> pl.DataFrame:
    """Keep facts about the document's own year (period blank or naming that year)."""
    docs = get(frames, "documents").select("document_id", "fiscal_year")
    f = f.join(docs, on="document_id", how="left")
    year = pl.col("fiscal_year").cast(pl.String)
    ok = pl.col("period").is_null() | pl.col("fiscal_year").is_null() | pl.col("period").str.contains(year.fill_null("~"))
    return f.filter(ok & ~pl.col("period").fill_null("").str.contains("上年|上一年|去年"))


def _text_amounts_vs_tables(frames: dict[str, pl.DataFrame]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(per-fact outcome, closest cell of each amount that matches no cell) for IT030 / IT036.

    The outcome frame has fid, document_id, any_match and slip (the printed digits equal a cell's
    digits, only the unit differs).
    """
    f = _this_year(frames, _facts(frames)).filter(
        pl.col("qualifier").is_in(["amount", "part"]) & pl.col("metric").is_in(list(METRIC_CELLS)))
    subj = pl.col("subject").fill_null("")
    names_it = pl.lit(False)
    for metric, words in SUBJECT_WORDS.items():
        names_it = names_it | ((pl.col("metric") == metric) & subj.str.contains(words))
    # “住房改革支出(款)：预算支出合计3,660.38万元” is that 科目's total, not the table's
    raw_at = pl.col("sentence").str.find(pl.col("raw_text"), literal=True)
    of_subject = pl.col("sentence").str.slice(0, raw_at.fill_null(0)).str.contains(_SUBJECT_LEVEL)
    f = f.filter(names_it & ~subj.str.contains("上年|去年|年初预算|预算数") & ~of_subject.fill_null(False))
    cells = _metric_cells(frames)
    j = f.join(cells, on=["document_id", "metric"], how="inner").with_columns(
        match=overlaps(pl.col("lo"), pl.col("hi"), pl.col("c_lo"), pl.col("c_hi")),
        same_digits=(pl.col("value") == pl.col("c_value")),
        dist=(pl.col("b") - pl.col("c_b")).abs())
    per = j.group_by("fid").agg(pl.col("match").any().alias("any_match"), pl.col("same_digits").any().alias("slip"))
    per = per.join(f.select("fid", "document_id"), on="fid")
    bad = j.join(per.filter(~pl.col("any_match")).select("fid", "slip"), on="fid").sort(
        # a slip is reported against the cell with the same digits, a mismatch against the closest cell
        pl.col("same_digits").not_(), "dist").unique("fid", keep="first")
    return per, bad


def _text_table_hits(bad: pl.DataFrame, *, slip: bool) -> list[pl.DataFrame]:
    rows = []
    for r in bad.filter(pl.col("slip") == slip).iter_rows(named=True):
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
            "location": f"{'N-1u' if slip else 'N-1'}|{r['passage_id']}|{r['span_start']}",
            "kind": "unit_slip" if slip else "text_table_mismatch",
            "message": msg, "evidence": json.dumps(ev, ensure_ascii=False), "expected": cell, "actual": stated,
            "difference": f"{fmt_number((r['b'] - r['c_b']) / (r['scale'] or 1.0), r['decimals'] or 0)}{r['unit'] or ''}",
            "rel_diff": abs(r["b"] - r["c_b"]) / denom if denom else 0.0, "is_total": True,
        })
    return [conform_hits(pl.DataFrame(rows, infer_schema_length=None))] if rows else []


@register
class TextAmountVersusTable(Check):
    """An amount stated in the 情况说明 text matches no table cell it describes.

    What it does: for each amount in the text with a recognised metric (收入/支出总计, 基本/项目支出,
    人员/公用经费, 三公经费), looks up the cells that metric can describe (01/02/03/04/05/06/三公 totals,
    预算 or 决算) and flags the amount when its interval overlaps none of them. When the printed digits
    equal a cell and only the unit differs (元 vs 万元), the finding is IT036's (unit slip), not this one.

    Why it matters: readers quote the text, not the tables; a number in the text that is in no table
    is either a typo or text copied from another year or bureau.

    Example: text "人员经费104.90万元" vs 06 表 人员经费合计 104.09万元.

    An amount after a 科目 level (“住房改革支出(款)：预算支出合计X”) is that 科目's and is not compared.

    Known false positives: amounts of sub-units or other periods the metric extractor did not tell apart.
    """

    code = "IT030"
    version = "3"
    name = "text-amount-vs-table"
    detects = ("text_table_mismatch",)
    requires = ("frame:facts",)

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        per, bad = _text_amounts_vs_tables(frames)
        evals = per.filter(~pl.col("slip") | pl.col("any_match")).select(
            "document_id", pl.lit("N-1").alias("identity"),
            pl.when(pl.col("any_match")).then(pl.lit("passed")).otherwise(pl.lit("failed")).alias("status"),
            pl.lit(None, dtype=pl.String).alias("reason"))
        return CheckResult.of(_text_table_hits(bad, slip=False), [evals])


@register
class TextAmountUnitSlip(Check):
    """An amount in the 情况说明 text has a table cell's digits but the wrong unit (元 for 万元 or back).

    What it does: the same matching as IT030 (each amount with a recognised metric against the
    cells that metric can describe, with interval bounds); an amount that matches no cell but whose
    printed digits equal a cell's digits is a unit slip: 459.16元 in the text, 459.16 in a 万元 table.

    Why it matters: a slip of 元/万元 misstates the figure ten-thousandfold; it is the commonest
    typo when text is written from tables in another unit.

    Example: text “基本支出459.16元” vs 03 表 基本支出合计 459.16 (万元).

    Known false positives: a different item that happens to have the same digits in another unit.
    """

    code = "IT036"
    version = "2"
    name = "text-amount-unit-slip"
    detects = ("unit_slip",)
    requires = ("frame:facts",)

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        per, bad = _text_amounts_vs_tables(frames)
        evals = per.filter(pl.col("slip") | pl.col("any_match")).select(
            "document_id", pl.lit("N-1u").alias("identity"),
            pl.when(pl.col("any_match")).then(pl.lit("passed")).otherwise(pl.lit("failed")).alias("status"),
            pl.lit(None, dtype=pl.String).alias("reason"))
        return CheckResult.of(_text_table_hits(bad, slip=True), [evals])


def _operands(f: pl.DataFrame, targets: pl.DataFrame, qualifiers: tuple[str, ...], suffix: str,
              *, after_in_sentence: bool = False) -> pl.DataFrame:
    """Every fact of ``qualifiers`` before a target fact in the same passage (within MAX_GAP_CHARS);
    with ``after_in_sentence`` also those after it in its sentence (“增长5.5%（增加103.61万元）”)."""
    ops = f.filter(pl.col("qualifier").is_in(qualifiers)).select(
        "document_id", "passage_id", pl.col("fid").alias(f"fid{suffix}"), pl.col("b").alias(f"b{suffix}"),
        pl.col("lo").alias(f"lo{suffix}"), pl.col("hi").alias(f"hi{suffix}"), pl.col("raw_text").alias(f"raw{suffix}"),
        pl.col("span_start").alias(f"s{suffix}"), pl.col("base_unit").alias(f"u{suffix}"),
        pl.col("subject").alias(f"subj{suffix}"), pl.col("sentence").alias(f"sent{suffix}"),
        pl.col("scale").fill_null(1.0).alias(f"sc{suffix}"), pl.col("metric").alias(f"m{suffix}"))
    before = (pl.col(f"s{suffix}") < pl.col("span_start")) & (pl.col("span_start") - pl.col(f"s{suffix}") <= MAX_GAP_CHARS)
    if after_in_sentence:
        before = before | ((pl.col(f"s{suffix}") > pl.col("span_start")) & (pl.col(f"sent{suffix}") == pl.col("sentence")))
    return targets.join(ops, on=["document_id", "passage_id"]).filter(before)


def _money(f: pl.DataFrame) -> pl.DataFrame:
    from toolkit.normalize.numbers import unit_scale

    units = f["unit"].unique().to_list()
    m = {u: unit_scale(u)[0] for u in units if u is not None}
    return f.with_columns(base_unit=pl.col("unit").replace_strict(m, default=None, return_dtype=pl.String))


def _pct_interval(f: pl.DataFrame) -> pl.DataFrame:
    """A printed rate's interval: rounded (± half a unit of its last digit) or truncated (up to one unit
    away from zero): 9746.50 ÷ 10210.34 = 95.457% printed as 95.45% is 截位, not an error."""
    u = pl.lit(10.0).pow(-pl.col("decimals").fill_null(0).cast(pl.Float64))
    v = pl.col("value")
    return f.with_columns(p=v, p_lo=pl.when(v < 0).then(v - u).otherwise(v - 0.5 * u),
                          p_hi=pl.when(v < 0).then(v + 0.5 * u).otherwise(v + u))


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
    # no bounds: the denominator's interval holds 0. With a finite stated rate (“2万元” printed without
    # decimals may be 1.5–2.5, so 2 − 1.56 may be 0) any rate is within rounding; with a base of 0 (a new
    # item: 增加307.82万元 of 307.82万元) the rate is undefined and 100% is the usual way to print it
    # 0 ÷ 0 (nothing budgeted, nothing spent) has no rate either; 0.00% is how it is printed
    at_100 = (pl.col("p_lo") <= 100.0) & (pl.col("p_hi") >= 100.0)
    at_0 = (pl.col("p_lo") <= 0.0) & (pl.col("p_hi") >= 0.0) & pl.col("c").is_nan()
    unbounded = (pl.col("c_lo").is_null() | pl.col("c_hi").is_null()) & (pl.col("c").is_finite() | at_100 | at_0)
    cand = cand.with_columns(ok=overlaps(pl.col("p_lo"), pl.col("p_hi"), pl.col("c_lo"), pl.col("c_hi")).fill_null(False)
                             | unbounded.fill_null(False),
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

    A share that is right for the printed digits of an amount whose unit slipped (459.16元 of 766万元),
    or right for the table figure of an amount the text misstates, is left to IT036 / IT030: the
    amount is the error there, not the share.

    Example: “人员经费104.09万元，占基本支出的94.74%” after “基本支出122.83万元” (true share 84.74 %).

    Known false positives: shares of a whole that is not stated in the same passage (skipped, not flagged).
    """

    code = "IT031"
    version = "3"
    name = "text-share"
    detects = ("wrong_percentage",)
    requires = ("frame:facts",)

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        def build(f: pl.DataFrame, t: pl.DataFrame) -> pl.DataFrame:
            quals = ("amount", "part", "change")
            part = _operands(f, t, quals, "_p")
            whole = f.filter(pl.col("qualifier").is_in(quals)).select(
                "document_id", "passage_id", pl.col("b").alias("b_w"), pl.col("lo").alias("lo_w"),
                pl.col("hi").alias("hi_w"), pl.col("raw_text").alias("raw_w"), pl.col("span_start").alias("s_w"),
                pl.col("base_unit").alias("u_w"), pl.col("subject").alias("subj_w"),
                pl.col("scale").fill_null(1.0).alias("sc_w"), pl.col("metric").alias("m_w"))
            c = part.join(whole, on=["document_id", "passage_id"]).filter(
                (pl.col("s_w") < pl.col("s_p")) & (pl.col("u_w") == pl.col("u_p"))
                & (pl.col("span_start") - pl.col("s_w") <= 4 * MAX_GAP_CHARS))
            # flag only against a whole the sentence names (占基本支出的… after "基本支出122.83万元")
            # or against the whole a part belongs to (人员经费 of 基本支出, anything of 收入/支出合计) when the
            # share leaves it unnamed (“一般公共预算财政拨款基本支出X。人员经费Y，占Z%”);
            # a whole smaller than its part is another item of the list, not the whole
            parent = (pl.col("sent_p") == pl.col("sentence")) & (pl.col("m_w").is_in(list(_TOTAL_METRICS)) | pl.concat_str(
                [pl.col("m_p"), pl.lit(">"), pl.col("m_w")]).is_in(list(_PART_OF)))
            c = c.with_columns(eligible=(
                (pl.col("subj_w").is_not_null() & (pl.col("subj_w").str.len_chars() >= 2)
                 & pl.col("sentence").str.contains(pl.col("subj_w"), literal=True)) | parent)
                & (pl.col("hi_w") >= pl.col("lo_p")))
            # a share right for the printed digits but with one amount's unit slipped (459.16元 of 766万元):
            # the slip is IT036's finding, the share itself is not wrong
            k = pl.col("sc_w") / pl.col("sc_p")
            slipped = c.filter(pl.col("sc_p") != pl.col("sc_w")).with_columns(
                b_p=pl.col("b_p") * k, lo_p=pl.col("lo_p") * k, hi_p=pl.col("hi_p") * k, eligible=pl.lit(False))
            # a share right for the table figure of an amount the text misstates (基本支出 shifted in the text,
            # 人员经费's share still of the table's 基本支出): the amount is IT030's finding, not the share
            cells = _metric_cells(frames).select("document_id", "metric", "c_b", "c_lo", "c_hi")
            via_table = [
                c.join(cells.rename({"metric": f"m{x}"}), on=["document_id", f"m{x}"]).with_columns(
                    pl.col("c_b").alias(f"b{x}"), pl.col("c_lo").alias(f"lo{x}"), pl.col("c_hi").alias(f"hi{x}"),
                    eligible=pl.lit(False)).drop("c_b", "c_lo", "c_hi")
                for x in ("_p", "_w")]
            c = pl.concat([c, slipped, *via_table])
            lo, hi = ratio_bounds(pl.col("lo_p"), pl.col("hi_p"), pl.col("lo_w"), pl.col("hi_w"))
            return c.with_columns(
                c_lo=lo * 100, c_hi=hi * 100, c=pl.col("b_p") / pl.col("b_w") * 100,
                prio=(pl.col("span_start") - pl.col("s_p")),
                formula=pl.concat_str([pl.col("raw_p"), pl.lit(" ÷ "), pl.col("raw_w")]))
        return _ratio_check(frames, code=self.code, identity="N-2", qualifier="share", kind="wrong_percentage",
                            build=build)


def _prefix(year: pl.Expr | None) -> pl.Expr:
    """The amount's sentence names ``year`` (or 上年/去年 when None) before the amount."""
    at = pl.col("sentence").str.find(pl.col("raw_text"), literal=True).fill_null(0)
    head = pl.col("sentence").str.slice(0, at)
    if year is None:
        return head.str.contains("上年|去年")
    return head.str.contains(year.cast(pl.String), literal=True)


@register
class TextGrowth(Check):
    """A growth rate in the text does not match its change and amount: 增长率 ≠ 增减额 ÷ (本年 − 增减额) (N-3).

    What it does: for each 增长/减少 …% (or 变动率 / 增加幅度为 …%) in a passage, takes the 增减额 stated
    just before it, or after it in the same sentence (“同比增长5.50%（增加103.61万元）”), and every amount
    stated before both (本年数), recomputes change ÷ (本年 ∓ change) with interval bounds and flags the
    rate only when no pairing reproduces it. A rate pairs only with a change of its own direction
    (增长 with 增加, 下降 with 减少); an amount stated for last year is the base itself.

    Why it matters: a growth rate computed on the wrong base (this year instead of last year) misstates
    the trend, e.g. 金华 2021 “增加32.19万元，增长6.76%” where 32.19 ÷ 486.88 = 6.61 %.

    Example: “支出362.62万元，与上年相比减少408.65万元，减少52.98%” ✓ (408.65 ÷ 771.27 = 52.98 %).

    Known false positives: rates relative to a base stated in another passage (skipped).
    """

    code = "IT032"
    version = "3"
    name = "text-growth-rate"
    detects = ("wrong_growth_rate",)
    requires = ("frame:facts",)

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        def build(f: pl.DataFrame, t: pl.DataFrame) -> pl.DataFrame:
            ch = _operands(f, t, ("change",), "_c", after_in_sentence=True)
            # 增长X% goes with 增加Y, 下降X% with 减少Y: “压减10%，…专项增加200万元” is no growth rate of the 200
            dirs = f.select(pl.col("fid").alias("fid_c"), pl.col("direction").alias("dir_c"))
            ch = ch.join(dirs, on="fid_c", how="left").filter(
                pl.col("direction").is_null() | pl.col("dir_c").is_null() | (pl.col("direction") == pl.col("dir_c")))
            # an amount stated for last year (“(2016年度…为8,648.07万元)，增加498.72万元，增长5.77%”) is the base itself
            years = get(frames, "documents").select("document_id", "fiscal_year").unique("document_id")
            last_year = (pl.col("fiscal_year") - 1).cast(pl.String) + "年"
            amt = f.filter(pl.col("qualifier") == "amount").join(years, on="document_id", how="left").select(
                "document_id", "passage_id", pl.col("b").alias("b_a"), pl.col("lo").alias("lo_a"),
                pl.col("hi").alias("hi_a"), pl.col("raw_text").alias("raw_a"), pl.col("span_start").alias("s_a"),
                pl.col("base_unit").alias("u_a"),
                # the year must be written in the amount's own sentence before it (a period carried over from an
                # earlier sentence dates nothing here)
                (((pl.col("period") == last_year) & _prefix(pl.col("fiscal_year") - 1))
                 | (pl.col("period").str.contains("上年|去年") & _prefix(None))).fill_null(False).alias("base_a"))
            c = ch.join(amt, on=["document_id", "passage_id"]).filter(
                (pl.col("s_a") < pl.col("s_c")) & (pl.col("s_a") < pl.col("span_start")) & (pl.col("u_a") == pl.col("u_c"))
                & (pl.col("span_start") - pl.col("s_a") <= 2 * MAX_GAP_CHARS))
            dec = pl.col("direction") == "decrease"
            base = pl.col("base_a")
            # last year = this year − change (increase) or + change (decrease), or the amount itself when the
            # text states it for last year
            prev_lo = pl.when(base).then(pl.col("lo_a")).when(dec).then(pl.col("lo_a") + pl.col("lo_c")).otherwise(
                pl.col("lo_a") - pl.col("hi_c"))
            prev_hi = pl.when(base).then(pl.col("hi_a")).when(dec).then(pl.col("hi_a") + pl.col("hi_c")).otherwise(
                pl.col("hi_a") - pl.col("lo_c"))
            lo, hi = ratio_bounds(pl.col("lo_c"), pl.col("hi_c"), prev_lo, prev_hi)
            prev = pl.when(base).then(pl.col("b_a")).when(dec).then(pl.col("b_a") + pl.col("b_c")).otherwise(
                pl.col("b_a") - pl.col("b_c"))
            return c.with_columns(
                c_lo=lo * 100, c_hi=hi * 100, c=pl.col("b_c") / prev * 100, prio=pl.col("span_start") - pl.col("s_a"),
                formula=pl.when(base).then(pl.concat_str([pl.col("raw_c"), pl.lit(" ÷ 上年 "), pl.col("raw_a")]))
                .otherwise(pl.concat_str([pl.col("raw_c"), pl.lit(" ÷ （"), pl.col("raw_a"),
                                          pl.when(dec).then(pl.lit(" + ")).otherwise(pl.lit(" − ")), pl.col("raw_c"),
                                          pl.lit("）")])))
        return _ratio_check(frames, code=self.code, identity="N-3", qualifier="growth", kind="wrong_growth_rate",
                            build=build)


# words that make an amount the budget side of a completion rate (一般公共预算 is a fund, not a budget figure)
_BUDGET_WORDS = r"预算|计划|指标"
_FINAL_WORDS = r"决算|执行|支出|实际|完成"


def _is_budget(subject: pl.Expr) -> pl.Expr:
    s = subject.fill_null("").str.replace_all("一般公共预算", "", literal=True)
    return s.str.contains(_BUDGET_WORDS) & ~s.str.contains("决算")


_CLAUSE_BREAK = r"其中|；|;"


def _own_clause(frames: dict[str, pl.DataFrame], f: pl.DataFrame, pairs: pl.DataFrame) -> pl.DataFrame:
    """Keep (rate, operand) pairs whose operand is in the rate's own clause: no other rate and no
    其中 / ； between them. “预算2.85万元，决算0.39万元，完成13.68%，其中：出国费决算0.00万元，完成0.00%”:
    the 0.00% is about 出国费 only and must not be paired with 0.39 ÷ 2.85."""
    if pairs.height == 0:
        return pairs
    rates = f.filter(pl.col("unit") == "%").select("document_id", "passage_id", pl.col("span_start").alias("s_r"),
                                                   pl.col("sentence").alias("sent_r"))
    crossed = pairs.join(rates, on=["document_id", "passage_id"]).filter(
        (pl.col("sent_r") == pl.col("sentence")) & (pl.col("s_r") > pl.col("s_f")) & (pl.col("s_r") < pl.col("span_start")))
    pairs = pairs.join(crossed.select("fid", "fid_f").unique(), on=["fid", "fid_f"], how="anti")
    text = get(frames, "passages").select("passage_id", pl.col("text").alias("_text")).unique("passage_id")
    if text.height == 0:
        return pairs
    j = pairs.join(text, on="passage_id", how="left")
    between = pl.col("_text").str.slice(pl.col("s_f"), pl.col("span_start") - pl.col("s_f"))
    return j.filter(~between.str.contains(_CLAUSE_BREAK).fill_null(False)).drop("_text")


@register
class TextCompletion(Check):
    """A completion rate in the text is not 决算 ÷ 预算 (完成预算的…%) (N-4).

    What it does: for each 完成…% / 执行率 in a sentence, pairs the amounts stated before it in the
    clause (in either order: “预算为A，决算为B” and “决算数B，年初预算数A” are both common; another rate
    or 其中 / ； between an amount and the rate ends the clause):
    the denominator is an amount named as the budget (预算/计划/指标, not 决算), the numerator one not
    so named. The rate is flagged only when such pairs exist and none reproduces it as 决算 ÷ 预算
    within rounding (预算 ÷ 决算 printed as the rate is itself the error). A truncated rate (截位:
    9746.50 ÷ 10210.34 = 95.457 % printed 95.45 %) and 0 ÷ 0 printed as 0.00 % are not errors.

    Why it matters: 完成率 is how a bureau reports budget discipline; 金华 2021 printed 27.22 % where
    500.12 ÷ 472.9 = 105.76 % (27.22 is the difference written as a percentage).

    Example: “预算为2万元，支出决算为0.89万元，完成预算的44.5%” ✓; “年初预算1.13万元，支出0.86万元，
    完成预算131.40%” ✗ (0.86 ÷ 1.13 = 76.11 %).

    Known false positives: completion of a physical target (counts), when the metric extractor tags it
    as money (the units then differ and the pair is not used).
    """

    code = "IT033"
    name = "text-completion-rate"
    version = "3"
    detects = ("wrong_percentage",)
    requires = ("frame:facts",)

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        def build(f: pl.DataFrame, t: pl.DataFrame) -> pl.DataFrame:
            same_sentence = pl.col("sent_f") == pl.col("sentence")
            fin = _own_clause(frames, f, _operands(f, t, ("amount", "part"), "_f").filter(same_sentence))
            bud = fin.select("fid", pl.col("fid_f").alias("fid_b"), pl.col("b_f").alias("b_b"),
                             pl.col("lo_f").alias("lo_b"), pl.col("hi_f").alias("hi_b"),
                             pl.col("raw_f").alias("raw_b"), pl.col("u_f").alias("u_b"),
                             pl.col("subj_f").alias("subj_b"))
            # only 决算 ÷ 预算 as the words say: the inverse (预算 ÷ 决算 printed as 完成率) is itself an error
            c = fin.join(bud, on="fid").filter(
                (pl.col("fid_f") != pl.col("fid_b")) & (pl.col("u_b") == pl.col("u_f"))
                & _is_budget(pl.col("subj_b")) & ~_is_budget(pl.col("subj_f")))
            lo, hi = ratio_bounds(pl.col("lo_f"), pl.col("hi_f"), pl.col("lo_b"), pl.col("hi_b"))
            return c.with_columns(
                c_lo=lo * 100, c_hi=hi * 100, c=pl.col("b_f") / pl.col("b_b") * 100,
                eligible=pl.lit(True),
                prio=pl.col("span_start") - pl.col("s_f"),
                formula=pl.concat_str([pl.lit("决算 "), pl.col("raw_f"), pl.lit(" ÷ 预算 "), pl.col("raw_b")]))
        return _ratio_check(frames, code=self.code, identity="N-4", qualifier="completion", kind="wrong_percentage",
                            build=build)


# words earlier in the sentence that change what a repeated label means: “财政拨款收入总计X，支出总计X”
# is the 04 表's 支出总计, not the 01 表's; “上年…支出总计” is last year's
_SCOPE_WORDS = re.compile(r"财政拨款|一般公共预算|政府性基金|国有资本|基本支出|项目支出|三公|机关运行|上年|去年|预算")


def _scope(heading: str | None, sentence: str | None, raw: str | None) -> str:
    """Scope words of the passage heading and of the sentence before the figure."""
    sentence = sentence or ""
    at = sentence.find(raw) if raw else -1
    prefix = sentence if at < 0 else sentence[:at]
    return "|".join(sorted(set(_SCOPE_WORDS.findall(f"{heading or ''} {prefix}"))))


@register
class TextSameItemDifferentAmounts(Check):
    """The same named item is stated with different amounts in one document.

    What it does: groups the document's amount/rate facts by metric, subject words (as printed) and
    period, and flags a group whose values do not all overlap within rounding.

    Why it matters: two different figures for the same thing in one report (e.g. 资金使用率 41.76 %
    in one section and 41.96 % in another) mean at least one was not updated.

    Example: “项目资金使用率41.76%” and later “项目资金使用率仅41.96%”.

    Statements are compared only when their passage headings and the words earlier in their sentences
    agree on the scope (财政拨款 / 一般公共预算 / 基本支出 / 上年 …): “财政拨款收入总计X，支出总计X” is
    the 04 表's 支出总计 and “决算收入总计Y，支出总计Y” the 01 表's; “基本支出X” under 一般公共预算财政拨款
    基本支出决算情况说明 is not the 03 表's 基本支出.

    Known false positives: the same words used for two sub-units or two periods the extractor did not
    separate.
    """

    code = "IT034"
    version = "2"
    name = "text-same-item-different-amounts"
    detects = ("text_table_mismatch",)
    requires = ("frame:facts", "frame:passages")

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        f = _facts(frames).filter(pl.col("qualifier").is_in(["amount", "rate"]) & pl.col("subject").is_not_null()
                                  & pl.col("metric").is_not_null())
        heads = get(frames, "passages").select("passage_id", "heading").unique("passage_id")
        f = f.join(heads, on="passage_id", how="left").with_columns(
            subj=pl.col("subject").str.replace_all(r"\s+", ""), per=pl.col("period").fill_null(""),
            scope=pl.struct("heading", "sentence", "raw_text").map_elements(
                lambda r: _scope(r["heading"], r["sentence"], r["raw_text"]), return_dtype=pl.String))
        keys = ["document_id", "metric", "subj", "per", "scope", "qualifier"]
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
