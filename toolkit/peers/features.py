"""The feature table: one row per bureau-year and feature, each scaled to be comparable across bureaus.

Long format (``bkey, fiscal_year, feature, value`` plus where the numerator was read), so that a
peer group's statistics are one ``group_by`` over ``(group, feature)``. A feature that cannot be
computed (no 参保人数, no 03 表, no fund figures) has no row: it is never zero. The catalogue of
features is :data:`FEATURE_FAMILIES` (rendered in ``docs/peer-features.md``).

Amounts are in 元 (``value × scale``); denominators: 参保人数 (persons), 职工+居民 基金收入 (元),
the department's 本年支出合计 (元). Ratios of the fund statements are taken per scheme.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from toolkit.checks.framework import get, per_frames
from toolkit.checks.peer_stats import fund_income, insured, spending, unit_key


@dataclass(frozen=True, slots=True)
class FeatureFamily:
    prefix: str  # feature names are ``prefix`` or ``prefix:<code or scheme>``
    label: str  # Chinese name used in messages ({} is the row name or scheme)
    unit: str  # how the value reads: 元/人, 占比, 倍, 月, %
    log: bool  # compared on a log scale (amounts and ratios of amounts) or as printed (rates)
    source: str  # where it is read
    floor: float  # MAD floor (log units when ``log``, else printed units)


FEATURE_FAMILIES: tuple[FeatureFamily, ...] = (
    FeatureFamily("total_per_insured", "人均本年支出", "元/人", True,
                  "01表 本年支出合计（或自评表 全年执行数）÷ 参保人数", 0.15),
    FeatureFamily("total_per_fund_income", "本年支出占基金收入", "‰", True,
                  "01表 本年支出合计 ÷（职工+居民 医保基金收入）", 0.15),
    FeatureFamily("item_per_insured", "{}人均支出", "元/人", True,
                  "03表（支出决算表；缺时05表）项级科目 合计 ÷ 参保人数", 0.25),
    FeatureFamily("item_share", "{}占本年支出比重", "占比", True,
                  "03表 项级科目 合计 ÷ 03表 合计", 0.25),
    FeatureFamily("class_per_insured", "{}（类）人均支出", "元/人", True,
                  "01表 支出类级科目 ÷ 参保人数", 0.25),
    FeatureFamily("basic_share", "基本支出占比", "占比", True, "03表 合计 基本支出 ÷ 合计", 0.15),
    FeatureFamily("personnel_share", "人员经费占基本支出比重", "占比", True,
                  "06表 人员经费合计 ÷（人员经费合计 + 公用经费合计）", 0.15),
    FeatureFamily("sangong_per_insured", "三公经费人均", "元/人", True, "07表 三公经费 决算合计 ÷ 参保人数", 0.35),
    FeatureFamily("execution_rate", "部门整体预算执行率", "%", False, "部门整体支出绩效自评表 执行率", 3.0),
    FeatureFamily("fund_expense_income", "{}医保基金支出/收入", "倍", True, "自评报告 基金支出 ÷ 基金收入（分险种）",
                  0.05),
    FeatureFamily("balance_months", "{}医保基金累计结余可支付月数", "月", True,
                  "自评报告 累计结余 ÷（基金支出 ÷ 12）（分险种）", 0.15),
    FeatureFamily("reimbursement_rate", "{}政策范围内住院费用基金支付比例", "%", False, "自评报告（分险种）", 2.0),
)
FAMILY = {f.prefix: f for f in FEATURE_FAMILIES}
SCHEME_LABELS = {"employee": "职工", "resident": "居民"}

FEATURES_SCHEMA: dict[str, pl.DataType] = {
    "bkey": pl.String, "fiscal_year": pl.Int32, "feature": pl.String, "family": pl.String, "label": pl.String,
    "value": pl.Float64, "numerator_yuan": pl.Float64, "document_id": pl.String, "table_id": pl.String,
    "page": pl.Int32, "raw_text": pl.String, "unit": pl.String,
}


def family_of(feature: str) -> FeatureFamily:
    return FAMILY[feature.split(":", 1)[0]]


def bureau_index(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Per document: the bureau key, its name, province, level and region code."""
    return get(frames, "documents").select(
        "document_id", unit_key().alias("bkey"), "bureau", "province", "level", "region_code", "fiscal_year")


@per_frames
def sizes(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Per bureau-year: 参保人数, 基金收入 (元) and 本年支出合计 (元); null where not stated."""
    docs = bureau_index(frames)
    ins, fund = insured(frames), fund_income(frames)
    sp = spending(frames).sort("document_id").select("document_id", "yuan", "src")
    d = docs.join(sp, on="document_id", how="left").with_columns(
        ins=pl.col("document_id").replace_strict(ins, default=None, return_dtype=pl.Float64),
        fund=pl.col("document_id").replace_strict(fund, default=None, return_dtype=pl.Float64))
    return d.filter(pl.col("fiscal_year").is_not_null()).sort("document_id").group_by("bkey", "fiscal_year").agg(
        pl.col("bureau").drop_nulls().first(), pl.col("province").drop_nulls().first(),
        pl.col("level").drop_nulls().first(), pl.col("region_code").drop_nulls().first(),
        pl.col("ins").max().alias("insured"), pl.col("fund").max().alias("fund_income"),
        pl.col("yuan").sort_by(pl.col("src").fill_null("").str.starts_with("部门")).drop_nulls().first()
        .alias("expense_total")).sort("bkey", "fiscal_year")


def _yuan() -> pl.Expr:
    return pl.col("value") * pl.col("scale").fill_null(1.0)


def _cells(li: pl.DataFrame, docs: pl.DataFrame) -> pl.DataFrame:
    return li.join(docs.select("document_id", "bkey", "fiscal_year"), on="document_id").with_columns(yuan=_yuan())


def _keep_cols(df: pl.DataFrame) -> pl.DataFrame:
    return df.select([pl.col(c).cast(t) if c in df.columns else pl.lit(None, t).alias(c)
                      for c, t in FEATURES_SCHEMA.items()])


def _per(df: pl.DataFrame, size: pl.DataFrame, denom: str, prefix: str, label: pl.Expr) -> pl.DataFrame:
    """Numerator rows (bkey, fiscal_year, key, yuan, provenance) ÷ a size column -> feature rows."""
    x = df.join(size.select("bkey", "fiscal_year", denom), on=["bkey", "fiscal_year"]).filter(
        pl.col(denom).is_not_null() & (pl.col(denom) > 0) & (pl.col("yuan") > 0))
    return x.with_columns(
        feature=(pl.lit(prefix + ":") + pl.col("key")) if "key" in x.columns else pl.lit(prefix),
        family=pl.lit(prefix), label=label, value=pl.col("yuan") / pl.col(denom), numerator_yuan=pl.col("yuan"))


def _line_item_features(frames: dict[str, pl.DataFrame], docs: pl.DataFrame, size: pl.DataFrame) -> list[pl.DataFrame]:
    li = get(frames, "line_items")
    out: list[pl.DataFrame] = []
    # 项级科目 of the 支出决算表 (03), else the 一般公共预算财政拨款支出决算表 (05): the first table per bureau-year
    items = _cells(li.filter(pl.col("table_type").is_in(["expense", "gpb_expense"]) & (pl.col("measure") == "total")
                             & (pl.col("code").str.len_chars() == 7) & (pl.col("row_kind") == "item")), docs)
    items = items.with_columns(prio=pl.when(pl.col("table_type") == "expense").then(0).otherwise(1)).sort(
        "bkey", "fiscal_year", "prio", "document_id", "row")
    first_table = items.unique(["bkey", "fiscal_year"], keep="first", maintain_order=True).select(
        "bkey", "fiscal_year", "document_id", "table_id")
    items = items.join(first_table, on=["bkey", "fiscal_year", "document_id", "table_id"]).unique(
        ["bkey", "fiscal_year", "code"], keep="first", maintain_order=True).rename({"code": "key"})
    label = pl.col("name").fill_null(pl.col("key")) + pl.lit("（") + pl.col("key") + pl.lit("）")
    out.append(_per(items, size, "insured", "item_per_insured", label))
    totals = _cells(li.filter(pl.col("table_type").is_in(["expense", "gpb_expense"]) & (pl.col("row_kind") == "total")
                              & pl.col("measure").is_in(["total", "basic"])), docs).join(
        first_table, on=["bkey", "fiscal_year", "document_id", "table_id"]).sort("row").unique(
        ["bkey", "fiscal_year", "measure"], keep="first").select("bkey", "fiscal_year", "measure", "yuan")
    t03 = totals.filter(pl.col("measure") == "total").select("bkey", "fiscal_year", pl.col("yuan").alias("t03_total"))
    out.append(_per(items, t03, "t03_total", "item_share", label + pl.lit("占支出比重")))
    basic = _cells(li.filter(pl.col("table_type").is_in(["expense", "gpb_expense"]) & (pl.col("row_kind") == "total")
                             & (pl.col("measure") == "basic")), docs).join(
        first_table, on=["bkey", "fiscal_year", "document_id", "table_id"]).sort("row").unique(
        ["bkey", "fiscal_year"], keep="first")
    out.append(_per(basic, t03, "t03_total", "basic_share", pl.lit(FAMILY["basic_share"].label)))
    # 类级科目 of the 收入支出决算总表 (01)
    cls = _cells(li.filter((pl.col("table_type") == "income_expense_summary") & (pl.col("section") == "expense")
                           & (pl.col("code").str.len_chars() == 3) & (pl.col("measure") == "final")), docs).sort(
        "document_id", "row").unique(["bkey", "fiscal_year", "code"], keep="first").rename({"code": "key"})
    out.append(_per(cls, size, "insured", "class_per_insured",
                    pl.col("name").fill_null(pl.col("key")).str.replace(r"^[一二三四五六七八九十]+、", "")
                    + pl.lit("（") + pl.col("key") + pl.lit("）")))
    # 人员经费 / 公用经费 合计 of the 一般公共预算财政拨款基本支出决算表 (06)
    summ = _cells(li.filter((pl.col("table_type") == "gpb_basic_expense") & (pl.col("row_kind") == "summary")), docs)
    summ = summ.with_columns(part=pl.when(pl.col("name").str.contains("人员")).then(pl.lit("personnel"))
                             .when(pl.col("name").str.contains("公用")).then(pl.lit("public"))).filter(
        pl.col("part").is_not_null()).sort("document_id", "row").unique(["bkey", "fiscal_year", "part"], keep="first")
    pers = summ.filter(pl.col("part") == "personnel")
    both = summ.group_by("bkey", "fiscal_year").agg(pl.col("yuan").sum().alias("basic_06"), pl.len().alias("n")).filter(
        pl.col("n") == 2)
    out.append(_per(pers, both, "basic_06", "personnel_share", pl.lit(FAMILY["personnel_share"].label)))
    sg = _cells(li.filter((pl.col("table_type") == "sangong") & (pl.col("measure") == "final_total")), docs).sort(
        "document_id", "row").unique(["bkey", "fiscal_year"], keep="first")
    out.append(_per(sg, size, "insured", "sangong_per_insured", pl.lit(FAMILY["sangong_per_insured"].label)))
    ex = _cells(li.filter((pl.col("table_type") == "dept_self_eval") & (pl.col("measure") == "exec_rate")), docs).sort(
        "document_id", "row").unique(["bkey", "fiscal_year"], keep="first")
    out.append(ex.filter(pl.col("value").is_not_null()).with_columns(
        feature=pl.lit("execution_rate"), family=pl.lit("execution_rate"),
        label=pl.lit(FAMILY["execution_rate"].label), numerator_yuan=pl.lit(None, pl.Float64)))
    return out


def _first_fund_facts(frames: dict[str, pl.DataFrame], docs: pl.DataFrame) -> pl.DataFrame:
    f = get(frames, "facts").filter(
        pl.col("metric").is_in(["fund_income", "fund_expense", "fund_balance_accumulated", "reimbursement_rate"])
        & pl.col("scheme").is_in(list(SCHEME_LABELS)) & pl.col("value").is_not_null()
        & pl.col("qualifier").is_in(["amount", "rate"]))
    f = f.join(docs.select("document_id", "bkey", "fiscal_year"), on="document_id")
    return f.sort("document_id", "passage_id", "span_start").unique(
        ["bkey", "fiscal_year", "metric", "scheme"], keep="first").with_columns(
        yuan=_yuan(), table_id=pl.lit(None, pl.String))


def _fund_features(frames: dict[str, pl.DataFrame], docs: pl.DataFrame) -> list[pl.DataFrame]:
    f = _first_fund_facts(frames, docs)
    wide = f.filter(pl.col("metric") != "reimbursement_rate").pivot(
        on="metric", index=["bkey", "fiscal_year", "scheme"], values="yuan", aggregate_function="first")
    for c in ("fund_income", "fund_expense", "fund_balance_accumulated"):
        if c not in wide.columns:
            wide = wide.with_columns(pl.lit(None, pl.Float64).alias(c))
    prov = f.filter(pl.col("metric") == "fund_expense").select(
        "bkey", "fiscal_year", "scheme", "document_id", "page", "raw_text", "unit")
    wide = wide.join(prov, on=["bkey", "fiscal_year", "scheme"], how="left")
    scheme_label = pl.col("scheme").replace_strict(SCHEME_LABELS, default="")
    out = [
        wide.filter((pl.col("fund_income") > 0) & pl.col("fund_expense").is_not_null() & (pl.col("fund_expense") > 0))
        .with_columns(feature=pl.lit("fund_expense_income:") + pl.col("scheme"), family=pl.lit("fund_expense_income"),
                      label=scheme_label + pl.lit("医保基金支出/收入"),
                      value=pl.col("fund_expense") / pl.col("fund_income"), numerator_yuan=pl.col("fund_expense")),
        wide.filter((pl.col("fund_expense") > 0) & (pl.col("fund_balance_accumulated") > 0))
        .with_columns(feature=pl.lit("balance_months:") + pl.col("scheme"), family=pl.lit("balance_months"),
                      label=scheme_label + pl.lit("医保基金累计结余可支付月数"),
                      value=pl.col("fund_balance_accumulated") / (pl.col("fund_expense") / 12.0),
                      numerator_yuan=pl.col("fund_balance_accumulated")),
        f.filter((pl.col("metric") == "reimbursement_rate") & (pl.col("unit") == "%")).with_columns(
            feature=pl.lit("reimbursement_rate:") + pl.col("scheme"), family=pl.lit("reimbursement_rate"),
            label=scheme_label + pl.lit("政策范围内住院费用基金支付比例"), numerator_yuan=pl.lit(None, pl.Float64)),
    ]
    return out


@per_frames
def feature_table(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Every feature of every bureau-year (schema :data:`FEATURES_SCHEMA`), sorted, without duplicates."""
    docs = bureau_index(frames).filter(pl.col("fiscal_year").is_not_null())
    size = sizes(frames)
    parts = _line_item_features(frames, docs, size) + _fund_features(frames, docs)
    sp = spending(frames).join(docs.select("document_id", "bkey", "fiscal_year"), on="document_id").sort(
        pl.col("src").str.starts_with("部门"), "document_id").unique(["bkey", "fiscal_year"], keep="first")
    parts.append(_per(sp, size, "insured", "total_per_insured", pl.lit(FAMILY["total_per_insured"].label)))
    parts.append(_per(sp, size, "fund_income", "total_per_fund_income",
                      pl.lit(FAMILY["total_per_fund_income"].label)))
    rows = [_keep_cols(p) for p in parts if p.height]
    if not rows:
        return pl.DataFrame(schema=FEATURES_SCHEMA)
    return pl.concat(rows, how="vertical").filter(pl.col("value").is_finite()).unique(
        ["bkey", "fiscal_year", "feature"], keep="first").sort("bkey", "fiscal_year", "feature")


def wide_features(features: pl.DataFrame) -> pl.DataFrame:
    """One row per bureau-year, one column per feature (null where missing), columns sorted."""
    if features.height == 0:
        return pl.DataFrame(schema={"bkey": pl.String, "fiscal_year": pl.Int32})
    w = features.pivot(on="feature", index=["bkey", "fiscal_year"], values="value", aggregate_function="first")
    cols = sorted(c for c in w.columns if c not in ("bkey", "fiscal_year"))
    return w.select("bkey", "fiscal_year", *cols).sort("bkey", "fiscal_year")


def year_on_year(features: pl.DataFrame) -> pl.DataFrame:
    """Per bureau, feature and year with the previous year present: the change (log ratio, or difference for rates)."""
    prev = features.select("bkey", "feature", (pl.col("fiscal_year") + 1).cast(pl.Int32).alias("fiscal_year"),
                           pl.col("value").alias("prev_value"), pl.col("raw_text").alias("prev_raw"),
                           pl.col("unit").alias("prev_unit"))
    x = features.join(prev, on=["bkey", "feature", "fiscal_year"])
    logged = pl.col("family").replace_strict({f.prefix: f.log for f in FEATURE_FAMILIES}, default=True)
    return x.with_columns(change=pl.when(logged).then((pl.col("value") / pl.col("prev_value")).log())
                          .otherwise(pl.col("value") - pl.col("prev_value"))).filter(pl.col("change").is_finite())
