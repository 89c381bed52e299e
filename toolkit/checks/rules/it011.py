"""IT011: The same 科目 carries different amounts in 收入决算表, 支出决算表 and 一般公共预算财政拨款支出决算表 (X-3, X-6)."""

from __future__ import annotations

import json

import polars as pl

from toolkit.checks.framework import Check, CheckResult, conform_hits, get, skipped_missing_tables
from toolkit.checks.registry import register
from toolkit.checks.select import TABLE_NAMES, items, total_rows, with_hierarchy
from toolkit.checks.table_pairs import docs_with
from toolkit.checks.tolerance import fmt_number, interval_exprs, overlaps

_SUBJECT_TABLES = {"income": "本年收入合计", "expense": "本年支出合计", "gpb_expense": "本年支出合计"}


_SHORT = {"income": "02", "expense": "03", "gpb_expense": "05"}


def _leaf_amounts(li: pl.DataFrame, table_type: str) -> pl.DataFrame:
    """Leaf 科目 rows (no printed children) of a table, column 合计, with interval and locator."""
    t = li.filter((pl.col("table_type") == table_type) & (pl.col("measure") == "total") & pl.col("code").is_not_null())
    h = with_hierarchy(t)
    parents = h.select("document_id", "table_id", pl.col("parent").alias("code")).drop_nulls().unique()
    leaf = h.join(parents, on=["document_id", "table_id", "code"], how="anti")
    b, lo, hi = interval_exprs()
    s = _SHORT[table_type]
    leaf = leaf.filter(pl.col("value").is_not_null()).unique(["document_id", "code"], keep="first")
    return leaf.select(
        "document_id", "code",
        lo.alias(f"lo{s}"), hi.alias(f"hi{s}"), b.alias(f"b{s}"),
        pl.col("value").alias(f"v{s}"), pl.col("decimals").alias(f"d{s}"), pl.col("unit").alias(f"u{s}"),
        pl.col("scale").alias(f"s{s}"), pl.col("name").alias(f"n{s}"), pl.col("title").alias(f"t{s}"),
        pl.col("page").alias(f"p{s}"), pl.col("row").alias(f"r{s}"), pl.col("col").alias(f"c{s}"),
        pl.col("raw_text").alias(f"x{s}"), pl.col("measure_label").alias(f"m{s}"), pl.col("table_id").alias(f"id{s}"),
    )


def _applicability(frames: dict[str, pl.DataFrame], li: pl.DataFrame) -> pl.DataFrame:
    """Per document: may 02 and 03 be compared per 科目 (no 结转), and must 05 equal 03 (all income 一般公共预算)?"""
    docs = get(frames, "documents").select("document_id").unique()
    s01 = li.filter(pl.col("table_type") == "income_expense_summary")
    has01 = s01.select("document_id").unique().with_columns(has01=pl.lit(True))
    carry = s01.filter(pl.col("item_key").is_in(
        ["carryover_begin", "carryover_end", "use_nonfiscal_balance", "balance_distribution"])).group_by(
        "document_id").agg((pl.col("value").abs().fill_null(0.0)).sum().alias("carry"))
    # 结转和结余 of non-fiscal money: 01 年初结转和结余 beyond the 04 表's 年初财政拨款结转和结余, and any
    # 使用非财政拨款结余; spending it is in 03 but not in 05 (a missing 04 counts as no fiscal 结转)
    base = pl.col("value").fill_null(0.0) * pl.col("scale").fill_null(1.0)
    begin01 = s01.filter(pl.col("item_key") == "carryover_begin").group_by("document_id").agg(
        base.first().alias("b01"), (pl.lit(10.0).pow(-pl.col("decimals").fill_null(0).cast(pl.Float64).max())
                                    * pl.col("scale").fill_null(1.0).first()).alias("tol01"))
    begin04 = li.filter((pl.col("table_type") == "fiscal_summary") & (pl.col("item_key") == "carryover_begin")).group_by(
        "document_id").agg(base.first().alias("b04"))
    nonfiscal_use = s01.filter(pl.col("item_key") == "use_nonfiscal_balance").group_by("document_id").agg(
        base.abs().sum().alias("use_nf"))
    nonfiscal = begin01.join(begin04, on="document_id", how="full", coalesce=True).join(
        nonfiscal_use, on="document_id", how="full", coalesce=True).select(
        "document_id", nonfiscal=((pl.col("b01").fill_null(0.0) - pl.col("b04").fill_null(0.0))
                                  > pl.col("tol01").fill_null(0.0) + 1e-9) | (pl.col("use_nf").fill_null(0.0) > 0))
    other_funds = s01.filter(pl.col("item_key").is_in(
        ["income_govfund", "income_soe", "income_upper", "income_business", "income_operating", "income_affiliated",
         "income_other"])).group_by("document_id").agg(pl.col("value").abs().fill_null(0.0).sum().alias("other"))
    tots = total_rows(li.filter(pl.col("table_type").is_in(["income", "expense"]) & (pl.col("measure") == "total")))
    tot = tots.group_by("document_id").agg(
        pl.col("value").filter(pl.col("table_type") == "income").first().alias("ti"),
        pl.col("value").filter(pl.col("table_type") == "expense").first().alias("te"),
        pl.col("decimals").max().alias("td"))
    a = docs.join(has01, on="document_id", how="left").join(carry, on="document_id", how="left").join(
        nonfiscal, on="document_id", how="left").join(
        other_funds, on="document_id", how="left").join(tot, on="document_id", how="left")
    tol = pl.lit(10.0).pow(-pl.col("td").fill_null(0).cast(pl.Float64))
    totals_equal = (pl.col("ti") - pl.col("te")).abs() <= tol
    return a.with_columns(
        a23=pl.when(pl.col("has01").fill_null(False)).then(pl.col("carry").fill_null(0.0) == 0).otherwise(
            totals_equal.fill_null(False)),
        # 05 = 03 needs all spending to be 一般公共预算财政拨款: no other income and no non-fiscal 结转和结余
        # (spending out of a non-fiscal 年初结转 is in 03 but not in 05)
        eq53=(pl.col("other").fill_null(0.0) == 0) & ~pl.col("nonfiscal").fill_null(False),
    ).select("document_id", "a23", "eq53", "has01")


def _fmt(v: float | None, d: int | None) -> str:
    return fmt_number(v, d or 0)


def _code_mismatches(bad: pl.DataFrame) -> tuple[pl.DataFrame, list[dict]]:
    """One 科目 under two codes: printed in 02 only under one code and in 03 only under another, with
    the same name and amount. That is a misprinted code, not two amounts that disagree: the pair is
    taken out of ``bad`` and reported once, as a code error (each side unique within its document)."""
    only02 = bad.filter(pl.col("v02").is_not_null() & pl.col("v03").is_null() & pl.col("n02").is_not_null())
    only03 = bad.filter(pl.col("v03").is_not_null() & pl.col("v02").is_null() & pl.col("n03").is_not_null())
    if not only02.height or not only03.height:
        return bad, []
    a = only03.select("document_id", pl.col("code").alias("code03"), pl.col("n03").str.strip_chars().alias("name"),
                      "lo03", "hi03", "v03", "d03", "u03", "t03", "id03", "p03", "r03", "c03", "x03", "m03", "t05")
    b = only02.select("document_id", pl.col("code").alias("code02"), pl.col("n02").str.strip_chars().alias("name"),
                      "lo02", "hi02", "v02", "t02", "id02", "p02", "r02", "c02", "x02", "m02")
    pairs = a.join(b, on=["document_id", "name"]).filter(overlaps(pl.col("lo03"), pl.col("hi03"), pl.col("lo02"),
                                                                  pl.col("hi02")))
    pairs = pairs.filter((pl.len().over("document_id", "code03") == 1) & (pl.len().over("document_id", "code02") == 1))
    if not pairs.height:
        return bad, []
    hits = []
    for r in pairs.iter_rows(named=True):
        t03 = r["t03"] or TABLE_NAMES["expense"]
        where03 = t03 + (f"、{r['t05']}" if r.get("t05") else "")
        amount = f"{_fmt(r['v03'], r['d03'])}{r['u03'] or ''}"
        evidence = [
            {"table": t03, "table_id": r["id03"], "page": r["p03"], "row": r["r03"], "col": r["c03"],
             "row_label": f"{r['code03']} {r['name']}", "col_label": r["m03"], "raw_text": r["x03"]},
            {"table": r["t02"], "table_id": r["id02"], "page": r["p02"], "row": r["r02"], "col": r["c02"],
             "row_label": f"{r['code02']} {r['name']}", "col_label": r["m02"], "raw_text": r["x02"]},
        ]
        hits.append({
            "document_id": r["document_id"], "table_id": r["id03"], "location": f"X-3|{r['code03']}|{r['code02']}",
            "kind": "cross_table_mismatch",
            "message": f"科目 {r['name']}：{r['t02'] or TABLE_NAMES['income']} 编码 {r['code02']}，{where03} 编码 "
                       f"{r['code03']}，金额均为 {amount}。同一科目在各表的编码应一致，疑为科目编码印错（金额一致）。",
            "evidence": json.dumps(evidence, ensure_ascii=False), "expected": f"编码 {r['code02']}",
            "actual": f"编码 {r['code03']}", "difference": "科目编码不同", "rel_diff": 0.0, "severity": "low",
            "near_rounding": False, "is_total": False,
        })
    keys = pl.concat([pairs.select("document_id", pl.col("code03").alias("code")),
                      pairs.select("document_id", pl.col("code02").alias("code"))])
    # the true code's parents (2101102 -> 21011, 210) are leaves in 03 only because their child is
    # misprinted there: 02 leaves them out as parents, so they are not missing from 02
    parents = pl.concat([pairs.filter(pl.col("code02").str.len_chars() > n)
                         .select("document_id", pl.col("code02").str.slice(0, n).alias("code")) for n in (3, 5)])
    left = bad.join(keys, on=["document_id", "code"], how="anti")
    orphan_parent = left.join(parents.unique(), on=["document_id", "code"], how="semi").filter(pl.col("v02").is_null())
    return left.join(orphan_parent.select("document_id", "code"), on=["document_id", "code"], how="anti"), hits


@register
class SubjectAmountsAcrossTables(Check):
    """The same 科目 carries different amounts in 收入决算表, 支出决算表 and 一般公共预算财政拨款支出决算表 (X-3, X-6).

    What it does: for every 科目 (leaf row), compares 02 本年收入合计, 03 本年支出合计 and 05 合计. 02 = 03 is
    required only when the 01 table shows no 结转和结余 / 结余分配 (otherwise income and spending per
    科目 may legitimately differ); 05 = 03 when all income is 一般公共预算财政拨款 and no 结转和结余 is
    non-fiscal (01 年初结转和结余 = 04 年初财政拨款结转和结余, no 使用非财政拨款结余), else 05 ≤ 03. A table takes part only when it prints 科目 rows (a 支出/收入预算总表 by 用途 or
    资金来源 lists none, and a 科目 missing there is not 0).
    When the amounts disagree it reports one finding per 科目 naming every table's amount and, when
    the other amount is printed on another 科目's row, that row — the signature of amounts shifted
    onto the wrong rows. A 科目 printed in 02 only under one code and in 03 only under another, with
    the same name and amount, is one misprinted code: one low finding naming both codes.

    Why it matters: a rotated column puts spending under the wrong function (e.g. 城乡医疗救助 money
    shown as 行政运行); totals still foot, so only a per-科目 comparison catches it.

    Example: 2210201 住房公积金: 03/05 25.28万元, 02 15.13万元; 25.28 见于 02 表 2101550 事业运行 行.

    Known false positives: bureaus with 结转 printed only in the text (01 table missing), or income
    booked under a different 科目 than the spending it funds.
    """

    code = "IT011"
    version = "3"
    name = "subject-amounts-across-tables"
    detects = ("cross_table_mismatch",)
    label = "同一科目跨表金额不一致"
    requires = ("income", "expense", "gpb_expense")

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        li = items(frames, ("income_expense_summary", "fiscal_summary", "income", "expense", "gpb_expense"))
        a02, a03, a05 = (_leaf_amounts(li, t) for t in ("income", "expense", "gpb_expense"))
        no_rows = docs_with(frames, "expense").join(a03.select("document_id").unique(), on="document_id",
                                                        how="anti").select(
            "document_id", pl.lit("X-3").alias("identity"), pl.lit("skipped").alias("status"),
            pl.lit("支出(决算/预算)表 has no 科目 rows in this layout: a missing 科目 is not 0").alias("reason"))
        # every document without a 支出表 is reported skipped, whatever else the batch holds
        missing = skipped_missing_tables(frames, ("expense",), "X-3")
        if a03.height == 0:
            return CheckResult.of([], [missing, no_rows])
        # a table takes part only when it prints 科目 rows: a missing 科目 counts as 0 in a table that lists
        # 科目, but a 支出/收入预算总表 by 用途 or 资金来源 (no 科目 rows) says nothing about them
        docs = get(frames, "documents").select("document_id").unique()
        present = docs
        for s, a in (("02", a02), ("03", a03), ("05", a05)):
            present = present.join(a.select("document_id").unique().with_columns(pl.lit(True).alias(f"has{s}")),
                                   on="document_id", how="left")
        w = (a03.join(a02, on=["document_id", "code"], how="full", coalesce=True)
             .join(a05, on=["document_id", "code"], how="full", coalesce=True)
             .join(present, on="document_id", how="left")
             .join(_applicability(frames, li), on="document_id", how="left")
             .filter(pl.col("has03").fill_null(False)))
        zero = pl.lit(0.0)
        lo = {s: pl.col(f"lo{s}").fill_null(zero) for s in ("02", "03", "05")}
        hi = {s: pl.col(f"hi{s}").fill_null(zero) for s in ("02", "03", "05")}
        w = w.with_columns(
            m23=pl.col("has02").fill_null(False) & pl.col("a23").fill_null(False)
            & ~overlaps(lo["02"], hi["02"], lo["03"], hi["03"]),
            m53=pl.col("has05").fill_null(False) & pl.when(pl.col("eq53").fill_null(False)).then(
                ~overlaps(lo["05"], hi["05"], lo["03"], hi["03"])).otherwise(lo["05"] > hi["03"] + 1e-9),
        )
        evals = w.select(
            "document_id", pl.lit("X-3/X-6").alias("identity"),
            pl.when(pl.col("m23") | pl.col("m53")).then(pl.lit("failed")).otherwise(pl.lit("passed")).alias("status"),
            pl.lit(None, dtype=pl.String).alias("reason"))
        skipped = w.filter(~pl.col("a23").fill_null(False) & pl.col("has02").fill_null(False)).select(
            "document_id").unique().select("document_id", pl.lit("X-3").alias("identity"), pl.lit("skipped").alias("status"),
                                           pl.lit("结转和结余 not zero (or 01 missing): 02 vs 03 per 科目 not required").alias("reason"))
        bad = w.filter(pl.col("m23") | pl.col("m53"))
        skipped = pl.concat([skipped, no_rows, missing])
        if bad.height == 0:
            return CheckResult.of([], [evals, skipped])
        bad, code_hits = _code_mismatches(bad)
        # where else is each disagreeing amount printed? (the moved-row signature)
        seen = {}
        for src, dst in (("03", "02"), ("02", "03"), ("05", "02")):
            cand = bad.select("document_id", "code", pl.col(f"lo{src}").alias("qlo"), pl.col(f"hi{src}").alias("qhi")).drop_nulls()
            other = (a02 if dst == "02" else a03).select(
                "document_id", pl.col("code").alias("ocode"), pl.col(f"lo{dst}").alias("olo"), pl.col(f"hi{dst}").alias("ohi"),
                pl.col(f"n{dst}").alias("oname"), pl.col(f"t{dst}").alias("otitle"), pl.col(f"p{dst}").alias("opage"),
                pl.col(f"r{dst}").alias("orow"), pl.col(f"x{dst}").alias("oraw"), pl.col(f"id{dst}").alias("otid"))
            j = cand.join(other, on="document_id").filter(
                (pl.col("ocode") != pl.col("code")) & overlaps(pl.col("qlo"), pl.col("qhi"), pl.col("olo"), pl.col("ohi")))
            for r in j.sort("document_id", "code", "opage", "orow", "ocode", nulls_last=True).iter_rows(named=True):
                seen.setdefault((r["document_id"], r["code"], src), []).append(r)
        rows = [self._hit(r, seen) for r in bad.iter_rows(named=True)] + code_hits
        return CheckResult.of([conform_hits(pl.DataFrame(rows, infer_schema_length=None))], [evals, skipped])

    @staticmethod
    def _hit(r: dict, seen: dict) -> dict:
        doc, code = r["document_id"], r["code"]
        name = r.get("n03") or r.get("n02") or r.get("n05") or ""
        unit = r.get("u03") or r.get("u02") or r.get("u05") or ""
        tables = [(s, r.get(f"t{s}") or TABLE_NAMES[t], _SUBJECT_TABLES[t]) for s, t in
                  (("03", "expense"), ("05", "gpb_expense"), ("02", "income"))]
        shown = {}
        for s, title, col in tables:
            if s == "02" and not r.get("has02"):
                continue
            if s == "05" and not r.get("has05"):
                continue
            v = r.get(f"v{s}")
            shown[s] = (title, col, "未列示（视为0）" if v is None else f"{_fmt(v, r.get(f'd{s}'))}{r.get(f'u{s}') or unit}")
        # group tables printing the same amount
        by_val: dict[str, list[str]] = {}
        for title, col, txt in shown.values():
            by_val.setdefault(txt, []).append(f"{title} {col}")
        parts = [("、".join(names) + (" 均为 " if len(names) > 1 else " 为 ") + txt) for txt, names in by_val.items()]
        msg = f"科目 {code} {name}：" + "；".join(parts) + "。"
        notes, evidence = [], []
        for s in ("03", "02", "05"):
            if r.get(f"v{s}") is not None:
                evidence.append({"table": r.get(f"t{s}"), "table_id": r.get(f"id{s}"), "page": r.get(f"p{s}"),
                                 "row": r.get(f"r{s}"), "col": r.get(f"c{s}"), "row_label": f"{code} {r.get(f'n{s}') or ''}",
                                 "col_label": r.get(f"m{s}"), "raw_text": r.get(f"x{s}")})
        for src in ("03", "02", "05"):
            for o in seen.get((doc, code, src), [])[:2]:
                v = _fmt(r.get(f"v{src}"), r.get(f"d{src}"))
                if src == "05" and r.get("v05") == r.get("v03"):
                    continue
                notes.append(f"{v} 见于{o['otitle']} {o['ocode']} {o['oname']} 行")
                evidence.append({"table": o["otitle"], "table_id": o["otid"], "page": o["opage"], "row": o["orow"],
                                 "row_label": f"{o['ocode']} {o['oname']}", "raw_text": o["oraw"], "note": "同额出现于其他科目行"})
        if notes:
            msg += "，".join(dict.fromkeys(notes)) + "，疑为金额错行。"
        else:
            msg += "同一科目在各表的金额应一致（无结转结余时收入=支出；一般公共预算财政拨款支出不超过总支出）。"
        # expected / actual in the printed unit of the table each comes from (value, not value × scale)
        ref_s, act_s = ("02", "03") if r["m23"] else ("03", "05")
        scale = r.get(f"s{act_s}") or r.get(f"s{ref_s}") or 1.0
        unit = r.get(f"u{act_s}") or r.get(f"u{ref_s}") or unit
        ref, act = r.get(f"b{ref_s}") or 0.0, r.get(f"b{act_s}") or 0.0
        d = max(x for x in (r.get("d02"), r.get("d03"), r.get("d05"), 0) if x is not None)
        denom = max(abs(ref), abs(act))
        return {
            "document_id": doc, "table_id": r.get("id03"), "location": f"X-3|{code}", "kind": "cross_table_mismatch",
            "message": msg, "evidence": json.dumps(evidence, ensure_ascii=False),
            "expected": f"{fmt_number(ref / scale, d)}{unit}", "actual": f"{fmt_number(act / scale, d)}{unit}",
            "difference": f"{fmt_number((act - ref) / scale, d)}{unit}",
            "rel_diff": abs(act - ref) / denom if denom else 0.0, "near_rounding": False, "is_total": False,
        }
