"""Identities across tables of one 部门决算: 01↔02/03, 04↔01/05, 05↔06, 06↔三公, 科目 rows across 02/03/05."""

from __future__ import annotations

import json

import polars as pl

from toolkit.checks.framework import Check, CheckResult, conform_hits, get, skipped_missing_tables
from toolkit.checks.identities import run_terms
from toolkit.checks.registry import register
from toolkit.checks.select import TABLE_NAMES, items, total_rows, with_hierarchy
from toolkit.checks.tolerance import fmt_number, half_unit, overlaps
from toolkit.schemas import empty

FUND_SOURCES = ("income_gpb", "income_govfund", "income_soe")


def _docs_with(frames: dict[str, pl.DataFrame], table_type: str) -> pl.DataFrame:
    t = get(frames, "tables")
    return t.filter(pl.col("table_type") == table_type).select("document_id").unique()


def _docs_with_rows(rows: pl.DataFrame) -> pl.DataFrame:
    return rows.filter(pl.col("value").is_not_null()).select("document_id").unique()


def skipped_without_rows(frames: dict[str, pl.DataFrame], identity: str, wholes: pl.DataFrame, parts: pl.DataFrame,
                         *, whole_type: str, part_type: str) -> pl.DataFrame:
    """Coverage rows for documents that hold both tables but where one of them prints no 科目 rows."""
    both = _docs_with(frames, whole_type).join(_docs_with(frames, part_type), on="document_id", how="inner")
    out = []
    for rows, table_type in ((wholes, whole_type), (parts, part_type)):
        lacking = both.join(_docs_with_rows(rows), on="document_id", how="anti")
        out.append(lacking.select("document_id", pl.lit(identity).alias("identity"), pl.lit("skipped").alias("status"),
                                  pl.lit(f"{TABLE_NAMES.get(table_type, table_type)} has no 科目 (类) rows in this layout: "
                                         "a missing 类 is not 0").alias("reason")))
    return pl.concat(out).unique(["document_id"], keep="first")


def class_parts(li: pl.DataFrame, table_type: str, measure: str) -> pl.DataFrame:
    """Top-level rows of a 科目 table keyed by their 类 (first 3 digits of the code)."""
    t = li.filter((pl.col("table_type") == table_type) & (pl.col("measure") == measure))
    h = with_hierarchy(t).filter(pl.col("parent").is_null() & (pl.col("code_kind").fill_null("function") != "economic"))
    return h.with_columns(key=pl.col("code").str.slice(0, 3))


def pair_terms(
    frames: dict[str, pl.DataFrame],
    identity: str,
    wholes: pl.DataFrame,
    parts: pl.DataFrame,
    *,
    whole_type: str,
    part_type: str,
    whole_desc: pl.Expr,
    parts_desc: pl.Expr,
    relation: str = "eq",
    is_total: bool = False,
    fill_missing: bool = True,
) -> pl.DataFrame:
    """Terms comparing ``wholes`` with Σ ``parts`` per (document, key).

    A key printed on one side only counts as 0 on the other side (a 科目 table lists every
    non-zero 科目), but only in documents whose two tables both print rows of the compared kind
    (see :func:`skipped_without_rows` for the coverage of the others).
    """
    both = _docs_with(frames, whole_type).join(_docs_with(frames, part_type), on="document_id", how="inner")
    if fill_missing:
        # a 类 absent from a table counts as 0 only when that table lists 类 at all: a 支出预算总表 by
        # 用途 (基本/项目/预留) has no 科目 rows, and blank is not zero
        both = both.join(_docs_with_rows(wholes), on="document_id", how="semi").join(
            _docs_with_rows(parts), on="document_id", how="semi")
    wholes = wholes.join(both, on="document_id", how="semi")
    parts = parts.join(both, on="document_id", how="semi")
    grp = pl.col("key")
    w = wholes.with_columns(role=pl.lit("whole"), group=grp, desc=whole_desc, parts_desc=parts_desc)
    p = parts.with_columns(role=pl.lit("part"), group=grp, sign=pl.lit(1.0))
    frames_out = [w, p]
    if fill_missing:
        wk = w.select("document_id", "key").unique()
        pk = p.select("document_id", "key").unique()
        part_info = p.group_by("document_id", "key").agg(
            pl.col("unit").first(), pl.col("scale").first(), pl.col("title").first().alias("p_title"))
        missing_w = pk.join(wk, on=["document_id", "key"], how="anti").join(part_info, on=["document_id", "key"])
        whole_name = TABLE_NAMES.get(whole_type, whole_type)
        frames_out.append(
            missing_w.with_columns(
                role=pl.lit("whole"), group=grp, value=pl.lit(0.0), decimals=pl.lit(9), title=pl.lit(whole_name),
                label=pl.concat_str([pl.lit("（未列示 "), pl.col("key"), pl.lit(" 类，视为0）")]),
                desc=pl.concat_str([pl.lit(whole_name + " "), pl.col("key"), pl.lit(" 类（表中未列示）")]),
                parts_desc=parts_desc,
            ).drop("p_title")
        )
        w_info = w.select("document_id", "key", "unit", "scale")
        missing_p = wk.join(pk, on=["document_id", "key"], how="anti").join(w_info, on=["document_id", "key"])
        frames_out.append(
            missing_p.with_columns(
                role=pl.lit("part"), group=grp, value=pl.lit(0.0), decimals=pl.lit(9), sign=pl.lit(1.0),
                title=pl.lit(TABLE_NAMES.get(part_type, part_type)),
                label=pl.concat_str([pl.lit("（未列示 "), pl.col("key"), pl.lit(" 类，视为0）")]),
            )
        )
    out = pl.concat(frames_out, how="diagonal_relaxed")
    return out.with_columns(identity=pl.lit(identity), relation=pl.lit(relation), is_total=pl.lit(is_total))


def _named(li: pl.DataFrame, table_type: str, section: str | None, item_keys: tuple[str, ...], measure: str) -> pl.DataFrame:
    f = (pl.col("table_type") == table_type) & pl.col("item_key").is_in(item_keys) & (pl.col("measure") == measure)
    if section is not None:
        f = f & (pl.col("section") == section)
    return li.filter(f)


def _class_rows(li: pl.DataFrame, table_type: str, measure: str) -> pl.DataFrame:
    return li.filter(
        (pl.col("table_type") == table_type) & (pl.col("measure") == measure) & (pl.col("section") == "expense")
        & pl.col("code").is_not_null() & (pl.col("code").str.len_chars() == 3)
    ).with_columns(key=pl.col("code"))


def _row_desc(suffix: str = "") -> pl.Expr:
    return pl.concat_str([pl.col("title"), pl.lit(" "), pl.col("label"), pl.lit(" · "),
                          pl.col("measure_label").fill_null(""), pl.lit(suffix)])


@register
class SummaryVersusDetailTables(Check):
    """总表 and detail tables disagree: 01 vs 02/03 (X-1, X-2), 04 vs 01 (X-4), 05 vs 04 (X-5), by 类 and in total.

    What it does: 02 合计 = 01 本年收入合计 and 02 财政拨款收入 = 01 财政拨款收入 (一+二+三), each other
    02 column total = its 01 income row; 03 by 类 (Σ of its rows) = the 01 expense row for that 类 and
    03 合计 = 01 本年支出合计; 04 income by fund = 01 rows 一/二/三; 05 by 类 = 04 一般公共预算 column
    for that 类 and 05 合计 = 04 本年支出合计 (一般公共预算). A 类 printed in one table and absent in
    the other counts as 0 there, but only when both tables print 类 rows: a table that lists no 科目
    at all (a 支出预算总表 by 基本/项目/预留, a 04 表 whose 支出 side is by 用途) is not compared by 类.

    Why it matters: the 总表 summarise the detail tables; when they disagree at least one published
    table is wrong, and amounts may have been moved between functions.

    Example: 01 十九、住房保障支出 15.13 but 03 rows of 类 221 sum to 25.28 (2210201 住房公积金).

    Known false positives: 01 tables whose 类 names the parser could not map to a code (the 类 then
    looks missing); 05 variants that include 年初结转 columns.
    """

    code = "IT010"
    version = "2"
    name = "summary-vs-detail-tables"
    detects = ("cross_table_mismatch",)
    requires = ("income_expense_summary", "income", "expense", "fiscal_summary", "gpb_expense")

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        li = items(frames)
        terms = []
        # X-2 by 类 and total: 01 expense rows vs 03
        x2 = (_class_rows(li, "income_expense_summary", "final"), class_parts(li, "expense", "total"))
        x5 = (_class_rows(li, "fiscal_summary", "gpb"), class_parts(li, "gpb_expense", "total"))
        skipped = [skipped_without_rows(frames, "X-2", *x2, whole_type="income_expense_summary", part_type="expense"),
                   skipped_without_rows(frames, "X-5", *x5, whole_type="fiscal_summary", part_type="gpb_expense")]
        terms.append(pair_terms(
            frames, "X-2", *x2,
            whole_type="income_expense_summary", part_type="expense", whole_desc=_row_desc(),
            parts_desc=pl.concat_str([pl.lit("支出决算表 "), pl.col("key"), pl.lit(" 类各科目本年支出合计之和")])))
        terms.append(pair_terms(
            frames, "X-2t", _named(li, "income_expense_summary", "expense", ("expense_total",), "final").with_columns(
                key=pl.lit("total")),
            total_rows(li.filter((pl.col("table_type") == "expense") & (pl.col("measure") == "total"))).with_columns(
                key=pl.lit("total")),
            whole_type="income_expense_summary", part_type="expense", whole_desc=_row_desc(),
            parts_desc=pl.lit("支出决算表 合计"), is_total=True, fill_missing=False))
        # 02 column totals vs 01 income rows
        inc_tot = total_rows(li.filter(pl.col("table_type") == "income"))
        for ident, measure, keys, word in (
            ("X-1", "total", ("income_total",), "本年收入合计"),
            ("X-1f", "fiscal", FUND_SOURCES, "财政拨款收入（一+二+三）"),
            ("X-1u", "upper", ("income_upper",), "上级补助收入"),
            ("X-1b", "business", ("income_business",), "事业收入"),
            ("X-1o", "operating", ("income_operating",), "经营收入"),
            ("X-1a", "affiliated", ("income_affiliated",), "附属单位上缴收入"),
            ("X-1x", "other", ("income_other",), "其他收入"),
        ):
            terms.append(pair_terms(
                frames, ident, inc_tot.filter(pl.col("measure") == measure).with_columns(key=pl.lit(measure)),
                _named(li, "income_expense_summary", "income", keys, "final").with_columns(key=pl.lit(measure)),
                whole_type="income", part_type="income_expense_summary", whole_desc=_row_desc(),
                parts_desc=pl.lit(f"收入支出决算总表 {word}"), is_total=True, fill_missing=False))
        # 04 income by fund vs 01
        for fund in FUND_SOURCES:
            terms.append(pair_terms(
                frames, f"X-4|{fund}", _named(li, "fiscal_summary", "income", (fund,), "amount").with_columns(key=pl.lit(fund)),
                _named(li, "income_expense_summary", "income", (fund,), "final").with_columns(key=pl.lit(fund)),
                whole_type="fiscal_summary", part_type="income_expense_summary", whole_desc=_row_desc(),
                parts_desc=pl.lit("收入支出决算总表 同一收入行"), is_total=True, fill_missing=False))
        # 05 by 类 and total vs 04 一般公共预算 column
        terms.append(pair_terms(
            frames, "X-5", *x5,
            whole_type="fiscal_summary", part_type="gpb_expense", whole_desc=_row_desc(),
            parts_desc=pl.concat_str([pl.lit("一般公共预算财政拨款支出决算表 "), pl.col("key"), pl.lit(" 类各科目之和")])))
        terms.append(pair_terms(
            frames, "X-5t", _named(li, "fiscal_summary", "expense", ("expense_total",), "gpb").with_columns(key=pl.lit("total")),
            total_rows(li.filter((pl.col("table_type") == "gpb_expense") & (pl.col("measure") == "total"))).with_columns(
                key=pl.lit("total")),
            whole_type="fiscal_summary", part_type="gpb_expense", whole_desc=_row_desc(),
            parts_desc=pl.lit("一般公共预算财政拨款支出决算表 合计"), is_total=True, fill_missing=False))
        hits, evals = run_terms(pl.concat(terms, how="diagonal_relaxed"), "cross_table_mismatch")
        return CheckResult.of([hits], [evals, *skipped, skipped_missing_tables(
            frames, ("income_expense_summary", "expense"), "X-2")])


@register
class BasicExpenseVersusDetail(Check):
    """基本支出明细表 (06) 人员经费 + 公用经费 ≠ 一般公共预算财政拨款支出决算表 (05) 基本支出合计 (T06-2).

    What it does: compares 06 人员经费合计 + 公用经费合计 (or, when those rows are missing, the sum of
    the 3-digit classes) with the 基本支出 column of the 05 合计 row.

    Why it matters: 06 details exactly the 基本支出 of 05; a gap means the economic breakdown the
    情况说明 quotes (人员经费 …%, 公用经费 …%) does not describe the money actually spent.

    Example: 06 人员经费 104.09 + 公用经费 18.74 = 122.83 = 05 基本支出 122.83 ✓; 104.09 + 28.74 ✗.

    Known false positives: 06 tables printed for all 财政拨款 (incl. 政府性基金) rather than 一般公共预算.
    """

    code = "IT012"
    version = "2"
    name = "basic-expense-vs-gpb-table"
    detects = ("cross_table_mismatch",)
    requires = ("gpb_basic_expense", "gpb_expense")

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        li = items(frames, ("gpb_basic_expense", "gpb_expense"))
        # the 合计 column only: a 预算 06 table repeats every class in its 人员经费 and 公用经费 columns
        b06 = li.filter((pl.col("table_type") == "gpb_basic_expense") & (pl.col("measure").fill_null("final") == "final"))
        totals = b06.filter(pl.col("item_key").is_in(["personnel_total", "public_total"]))
        have_totals = totals.select("document_id").unique()
        classes = with_hierarchy(b06).filter(pl.col("parent").is_null()).join(have_totals, on="document_id", how="anti")
        parts = pl.concat([totals, classes], how="diagonal_relaxed").with_columns(key=pl.lit("basic"))
        whole = total_rows(li.filter((pl.col("table_type") == "gpb_expense") & (pl.col("measure") == "basic"))).with_columns(
            key=pl.lit("basic"))
        terms = pair_terms(frames, "T06-2x", whole, parts, whole_type="gpb_expense", part_type="gpb_basic_expense",
                           whole_desc=_row_desc(), parts_desc=pl.lit("基本支出明细表 人员经费合计 + 公用经费合计"),
                           is_total=True, fill_missing=False)
        hits, evals = run_terms(terms, "cross_table_mismatch")
        return CheckResult.of([hits], [evals, skipped_missing_tables(frames, self.requires, "T06-2x")])


SANGONG_CODES = {
    "30212": ("final_abroad", "因公出国（境）费"),
    "31013": ("final_vehicle_purchase", "公务用车购置费"),
    "30231": ("final_vehicle_operation", "公务用车运行维护费"),
    "30217": ("final_reception", "公务接待费"),
}


@register
class BasicExpenseVersusSangong(Check):
    """基本支出明细表 (06) 三公 codes exceed the 三公 table: 30212 ≤ 出国, 31013 ≤ 购置, 30231 ≤ 运行, 30217 ≤ 接待 (X-7).

    What it does: each 三公 economic code of the 06 table (基本支出 only) must not exceed the matching
    决算数 item of the 三公 table, which covers 基本 + 项目支出 (part ≤ whole, not equality).

    Why it matters: 三公 spending booked in 基本支出 but missing from the 三公 table is under-reported
    三公 spending — the classic finding of public checkers (宜川路街道 2025: 接待 8.31 > 0.30).

    Example: 06 30217 公务接待费 8.31 but 三公 table 公务接待费 决算 0.30.

    Known false positives: 06 tables that include 政府性基金 spending (the 三公 table is 财政拨款 only).
    """

    code = "IT013"
    version = "2"
    name = "basic-expense-vs-sangong"
    detects = ("cross_table_mismatch",)
    requires = ("gpb_basic_expense", "sangong")

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        li = items(frames, ("gpb_basic_expense", "sangong"))
        codes = pl.DataFrame({"code": list(SANGONG_CODES), "measure": [m for m, _ in SANGONG_CODES.values()]})
        whole = li.filter((pl.col("table_type") == "gpb_basic_expense") & pl.col("code").is_in(list(SANGONG_CODES)))
        whole = whole.join(codes.rename({"measure": "key"}), on="code")
        parts = li.filter((pl.col("table_type") == "sangong") & pl.col("measure").is_in(codes["measure"].to_list()))
        parts = parts.with_columns(key=pl.col("measure"))
        terms = pair_terms(frames, "X-7", whole, parts, whole_type="gpb_basic_expense", part_type="sangong",
                           whole_desc=_row_desc(), parts_desc=pl.lit("“三公”经费表 同一项目决算数"),
                           relation="le", fill_missing=False)
        hits, evals = run_terms(terms, "cross_table_mismatch")
        return CheckResult.of([hits], [evals, skipped_missing_tables(frames, self.requires, "X-7")])


_SUBJECT_TABLES = {"income": "本年收入合计", "expense": "本年支出合计", "gpb_expense": "本年支出合计"}
_SHORT = {"income": "02", "expense": "03", "gpb_expense": "05"}


def _leaf_amounts(li: pl.DataFrame, table_type: str) -> pl.DataFrame:
    """Leaf 科目 rows (no printed children) of a table, column 合计, with interval and locator."""
    t = li.filter((pl.col("table_type") == table_type) & (pl.col("measure") == "total") & pl.col("code").is_not_null())
    h = with_hierarchy(t)
    parents = h.select("document_id", "table_id", pl.col("parent").alias("code")).drop_nulls().unique()
    leaf = h.join(parents, on=["document_id", "table_id", "code"], how="anti")
    hh = half_unit(pl.col("decimals"), pl.col("scale"))
    b = pl.col("value") * pl.col("scale").fill_null(1.0)
    s = _SHORT[table_type]
    leaf = leaf.filter(pl.col("value").is_not_null()).unique(["document_id", "code"], keep="first")
    return leaf.select(
        "document_id", "code",
        (b - hh).alias(f"lo{s}"), (b + hh).alias(f"hi{s}"), b.alias(f"b{s}"),
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
    onto the wrong rows.

    Why it matters: a rotated column puts spending under the wrong function (e.g. 城乡医疗救助 money
    shown as 行政运行); totals still foot, so only a per-科目 comparison catches it.

    Example: 2210201 住房公积金: 03/05 25.28万元, 02 15.13万元; 25.28 见于 02 表 2101550 事业运行 行.

    Known false positives: bureaus with 结转 printed only in the text (01 table missing), or income
    booked under a different 科目 than the spending it funds.
    """

    code = "IT011"
    version = "2"
    name = "subject-amounts-across-tables"
    detects = ("cross_table_mismatch",)
    requires = ("income", "expense", "gpb_expense")

    def run(self, frames: dict[str, pl.DataFrame]) -> CheckResult:
        li = items(frames, ("income_expense_summary", "fiscal_summary", "income", "expense", "gpb_expense"))
        a02, a03, a05 = (_leaf_amounts(li, t) for t in ("income", "expense", "gpb_expense"))
        no_rows = _docs_with(frames, "expense").join(a03.select("document_id").unique(), on="document_id",
                                                        how="anti").select(
            "document_id", pl.lit("X-3").alias("identity"), pl.lit("skipped").alias("status"),
            pl.lit("支出(决算/预算)表 has no 科目 rows in this layout: a missing 科目 is not 0").alias("reason"))
        if a03.height == 0:
            return CheckResult.of([], [skipped_missing_tables(frames, ("expense",), "X-3"), no_rows])
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
        skipped = pl.concat([skipped, no_rows])
        if bad.height == 0:
            return CheckResult.of([], [evals, skipped])
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
            for r in j.iter_rows(named=True):
                seen.setdefault((r["document_id"], r["code"], src), []).append(r)
        rows = [self._hit(r, seen) for r in bad.iter_rows(named=True)]
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


__all__ = ["empty"]
