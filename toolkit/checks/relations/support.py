"""Evaluate candidate relations at every place they cover, and decide which the table bears out.

A *place* is one row (column relations) or one column (row relations) of the table. At each place
a candidate is

* ``hold``: the printed target's interval meets the interval computed from the printed parts;
* ``fail``: the intervals do not meet (rounding cannot explain the gap);
* ``trivial``: true or false by construction, so it says nothing about the pattern — fewer than two
  non-zero parts, a target under ten units of its last printed digit, a 0 % or a 100 % of itself;
* ``na``: a needed cell is blank (blank parts count as zero only when another part is printed).

Acceptance (:func:`accept`): at least :data:`MIN_HOLDS` holding places and a holding share of at
least :data:`MIN_SHARE` of the places that are not trivial. Three exact reproductions of a sum of
two or more non-zero printed amounts, each at least ten units of its last digit, cannot happen by
chance (each is a one-in-hundreds coincidence at the least), while requiring three quarters lets one
wrong cell among four rows stand out as a break and keeps a half-true pattern from being a rule.
A labelled 合计/小计 row needs only :data:`MIN_HOLDS_LABELLED` columns: its label already declares it;
likewise a column relation whose target is labelled 合计/小计/总计 or whose part is a 结余 needs two
holding rows out of three (:data:`MIN_SHARE_LABELLED`), so one wrong cell in a three-row 镇街 table is
still seen. Such support is weak: its breaks are reported at low severity.
"""

from __future__ import annotations

import polars as pl

from toolkit.checks.tolerance import overlaps, ratio_bounds

MIN_HOLDS = 3
MIN_HOLDS_LABELLED = 2
MIN_SHARE = 0.75
MIN_SHARE_LABELLED = 0.66  # two of three rows, when a label declares the relation
TOTAL_WORDS = r"合\s*计|小\s*计|总\s*计|共\s*计"
REMAINDER_WORDS = r"结余|余额|结存|节余|剩余"
# support at which a break is reported at its full severity; below it findings are at most "low"
STRONG_HOLDS = 4
STRONG_SHARE = 0.8
TRIVIAL_UNITS = 10.0  # a target under ten units of its last printed digit is too small to be evidence

_CELL = ["row", "col", "raw_text", "base", "lo", "hi", "unit_step", "scale", "decimals", "declared", "page"]


def evaluate_sums(spec: pl.DataFrame, num: pl.DataFrame) -> pl.DataFrame:
    """One row per (relation, place): status and the target/computed values."""
    if spec.height == 0:
        return _empty_places()
    amounts = num.filter(pl.col("kind") == "amount").select("document_id", "table_id", *_CELL, "col_label")
    out = []
    for family, line, place in (("col_sum", "col", "row"), ("row_sum", "row", "col")):
        s = spec.filter(pl.col("family") == family)
        if s.height == 0:
            continue
        cells = amounts.rename({line: "line", place: "place"})
        parts = (
            s.join(cells, left_on=["document_id", "table_id", "part"], right_on=["document_id", "table_id", "line"])
            .with_columns(neg=pl.col("sign") < 0)
            .with_columns(lo=pl.when("neg").then(-pl.col("hi")).otherwise("lo"),
                          hi=pl.when("neg").then(-pl.col("lo")).otherwise("hi"),
                          base=pl.when("neg").then(-pl.col("base")).otherwise("base"))
            .group_by("document_id", "table_id", "rel_id", "place")
            .agg(c_lo=pl.col("lo").sum(), c_hi=pl.col("hi").sum(), c_base=pl.col("base").sum(),
                 n_nonzero=(pl.col("base") != 0).sum(), parts_declared=pl.col("declared").all(),
                 part_remainder=pl.col("col_label").fill_null("").str.contains(REMAINDER_WORDS).any())
        )
        targets = s.select("document_id", "table_id", "rel_id", "family", "target", "labelled").unique(
            ["document_id", "table_id", "rel_id"]).join(
            cells, left_on=["document_id", "table_id", "target"], right_on=["document_id", "table_id", "line"])
        j = targets.join(parts, on=["document_id", "table_id", "rel_id", "place"], how="inner")
        j = j.with_columns(
            t_row=pl.col("place") if family == "col_sum" else pl.col("target"),
            t_col=pl.col("target") if family == "col_sum" else pl.col("place"),
        )
        if family == "col_sum":  # a 合计/小计 column, or a 结余 part, declares the relation in words
            words = pl.col("col_label").fill_null("").str.contains(TOTAL_WORDS)
            j = j.with_columns(labelled=words | pl.col("part_remainder"))
        out.append(_status(j, trivial=(pl.col("n_nonzero") < 2)))
    return pl.concat(out, how="diagonal_relaxed") if out else _empty_places()


def evaluate_ratios(spec: pl.DataFrame, num: pl.DataFrame) -> pl.DataFrame:
    if spec.height == 0:
        return _empty_places()
    k = ["document_id", "table_id"]
    pct = num.filter(pl.col("kind") == "percent").select(*k, *_CELL)
    amt = num.filter(pl.col("kind") == "amount").select(*k, "row", "col", "base", "lo", "hi", "raw_text")
    j = (
        spec.join(pct, left_on=[*k, "p_row", "p_col"], right_on=[*k, "row", "col"])
        .join(amt.rename({c: f"n_{c}" for c in ("base", "lo", "hi", "raw_text")}),
              left_on=[*k, "n_row", "n_col"], right_on=[*k, "row", "col"])
        .join(amt.rename({c: f"d_{c}" for c in ("base", "lo", "hi", "raw_text")}),
              left_on=[*k, "d_row", "d_col"], right_on=[*k, "row", "col"])
    )
    if j.height == 0:
        return _empty_places()
    r_lo, r_hi = ratio_bounds(pl.col("n_lo"), pl.col("n_hi"), pl.col("d_lo"), pl.col("d_hi"))
    growth = pl.col("form") == "growth"
    off = pl.when(growth).then(100.0).otherwise(0.0)
    ratio = pl.col("n_base") / pl.col("d_base")
    j = j.with_columns(
        c_lo=r_lo * 100 - off, c_hi=r_hi * 100 - off,
        c_base=pl.when(pl.col("d_base") != 0).then(ratio * 100 - off),
        t_row=pl.col("p_row"), t_col=pl.col("p_col"), labelled=pl.lit(False),
        parts_declared=pl.lit(False), target=pl.col("p_col"),
    )
    trivial = (
        (pl.col("base") == 0) | (pl.col("n_base") == 0)
        | (~growth & (pl.col("n_base") == pl.col("d_base")))
        | (growth & (pl.col("n_base") == pl.col("d_base")))
    )
    return _status(j.filter(pl.col("c_lo").is_not_null()), trivial=trivial)


def evaluate_qizhong(pairs: pl.DataFrame, num: pl.DataFrame) -> pl.DataFrame:
    """其中 row ≤ parent row, per column (one relation per table: ``qizhong``)."""
    if pairs.height == 0:
        return _empty_places()
    k = ["document_id", "table_id"]
    amt = num.filter(pl.col("kind") == "amount").select(*k, *_CELL)
    j = pairs.join(amt, on=[*k, "row"]).join(
        amt.select(*k, "row", "col", pl.col("base").alias("c_base"), pl.col("lo").alias("c_lo"),
                   pl.col("hi").alias("c_hi"), pl.col("raw_text").alias("n_raw_text")),
        left_on=[*k, "parent", "col"], right_on=[*k, "row", "col"])
    j = j.with_columns(rel_id=pl.lit("qizhong"), family=pl.lit("qizhong"), place=pl.col("row") * 1000 + pl.col("col"),
                       t_row=pl.col("row"), t_col=pl.col("col"), labelled=pl.lit(True),
                       parts_declared=pl.lit(False), target=pl.col("parent"))
    eps = 1e-9 * (pl.col("hi").abs() + pl.col("c_hi").abs() + 1.0)
    holds = pl.col("lo") <= pl.col("c_hi") + eps
    small = pl.col("base").abs() < TRIVIAL_UNITS * pl.col("unit_step")
    status = (
        pl.when((pl.col("base") < 0) | (pl.col("c_base") < 0)).then(pl.lit("na"))
        .when(pl.col("base") == 0).then(pl.lit("trivial"))
        .when(holds).then(pl.lit("hold"))
        .when(small).then(pl.lit("trivial"))
        .otherwise(pl.lit("fail"))
    )
    return _select_places(j.with_columns(status=status))


def _status(j: pl.DataFrame, trivial: pl.Expr) -> pl.DataFrame:
    small = pl.col("base").abs() < TRIVIAL_UNITS * pl.col("unit_step")
    hold = overlaps(pl.col("lo"), pl.col("hi"), pl.col("c_lo"), pl.col("c_hi"))
    status = (
        pl.when(trivial | small).then(pl.lit("trivial"))
        .when(hold).then(pl.lit("hold"))
        .otherwise(pl.lit("fail"))
    )
    return _select_places(j.with_columns(status=status))


PLACES: dict[str, pl.DataType] = {
    "document_id": pl.String, "table_id": pl.String, "rel_id": pl.String, "family": pl.String,
    "place": pl.Int32, "status": pl.String, "t_row": pl.Int32, "t_col": pl.Int32, "target": pl.Int32,
    "raw_text": pl.String, "page": pl.Int32, "base": pl.Float64, "lo": pl.Float64, "hi": pl.Float64,
    "unit_step": pl.Float64, "scale": pl.Float64, "decimals": pl.Int32, "c_base": pl.Float64, "c_lo": pl.Float64, "c_hi": pl.Float64,
    "declared": pl.Boolean, "parts_declared": pl.Boolean, "labelled": pl.Boolean,
}


def _select_places(j: pl.DataFrame) -> pl.DataFrame:
    return j.select([pl.col(c).cast(t) if c in j.columns else pl.lit(None, dtype=t).alias(c)
                     for c, t in PLACES.items()])


def _empty_places() -> pl.DataFrame:
    return pl.DataFrame(schema=PLACES)


RELATIONS: dict[str, pl.DataType] = {
    "document_id": pl.String, "table_id": pl.String, "rel_id": pl.String, "family": pl.String,
    "holds": pl.UInt32, "fails": pl.UInt32, "trivial": pl.UInt32, "share": pl.Float64,
    "accepted": pl.Boolean, "strong": pl.Boolean,
}


def accept(places: pl.DataFrame) -> pl.DataFrame:
    """Per relation: holding/failing/trivial places, the holding share, accepted and strong flags."""
    if places.height == 0:
        return pl.DataFrame(schema=RELATIONS)
    r = places.group_by("document_id", "table_id", "rel_id", "family").agg(
        holds=(pl.col("status") == "hold").sum(), fails=(pl.col("status") == "fail").sum(),
        trivial=(pl.col("status") == "trivial").sum(), labelled=pl.col("labelled").any())
    share = pl.col("holds") / (pl.col("holds") + pl.col("fails")).clip(1)
    labelled = pl.col("labelled") & pl.col("family").is_in(["row_sum", "col_sum"])
    min_holds = pl.when(labelled).then(MIN_HOLDS_LABELLED).otherwise(MIN_HOLDS)
    min_share = pl.when(labelled & (pl.col("family") == "col_sum")).then(MIN_SHARE_LABELLED).otherwise(MIN_SHARE)
    r = r.with_columns(share=share.cast(pl.Float64)).with_columns(
        accepted=(pl.col("holds") >= min_holds) & (pl.col("share") >= min_share),
        strong=(pl.col("holds") >= STRONG_HOLDS) & (pl.col("share") >= STRONG_SHARE),
    )
    return r.select([pl.col(c).cast(t) for c, t in RELATIONS.items()])


MIN_COPIES = 3  # copies of one form in a document that may pool their support
POOLED_FAMILIES = ("row_sum", "col_sum", "qizhong")


def form_signatures(num: pl.DataFrame) -> pl.DataFrame:
    """Per table: its amount rows (index, label, columns), so the copies of one form share a signature."""
    keys = ["document_id", "table_id"]
    rows = num.filter(pl.col("kind") == "amount").group_by(*keys, "row").agg(
        label=pl.col("row_label").drop_nulls().first().fill_null(""),
        cols=pl.col("col").unique().sort().cast(pl.String).str.join(","))
    return rows.sort(*keys, "row").with_columns(
        key=pl.concat_str([pl.col("row").cast(pl.String), pl.col("label"), pl.col("cols")], separator=":")
    ).group_by(keys, maintain_order=True).agg(signature=pl.col("key").str.join("|"))


def pool_copies(relations: pl.DataFrame, signatures: pl.DataFrame) -> pl.DataFrame:
    """Accept a sum or 其中 relation one table is too small to bear out when the copies of its form in the
    same document bear it out together.

    A document often prints one form per project (a 绩效目标表 with 项目资金总额 / 其中:财政资金 / 其他资金
    in two columns): each copy has two places, too few to make a rule, but four copies with the same
    rows, labels and columns give eight. At least :data:`MIN_COPIES` copies and the usual bar
    (:data:`MIN_HOLDS` holding places, :data:`MIN_SHARE` of the judged ones) over all of them are
    required; such a relation is never strong, so its breaks are reported at low severity.
    """
    keys = ["document_id", "table_id"]
    extra = {"pooled": pl.Boolean, "copies": pl.UInt32, "pooled_holds": pl.UInt32, "pooled_fails": pl.UInt32}
    if relations.height == 0:
        return relations.with_columns([pl.lit(None, dtype=t).alias(c) for c, t in extra.items()])
    r = relations.join(signatures, on=keys, how="left")
    group = ["document_id", "signature", "rel_id"]
    g = r.filter(pl.col("family").is_in(POOLED_FAMILIES) & pl.col("signature").is_not_null()).group_by(group).agg(
        copies=pl.len().cast(pl.UInt32), pooled_holds=pl.col("holds").sum().cast(pl.UInt32),
        pooled_fails=pl.col("fails").sum().cast(pl.UInt32))
    r = r.join(g, on=group, how="left")
    share = pl.col("pooled_holds") / (pl.col("pooled_holds") + pl.col("pooled_fails")).clip(1)
    pooled = (~pl.col("accepted") & (pl.col("copies") >= MIN_COPIES) & (pl.col("pooled_holds") >= MIN_HOLDS)
              & (share >= MIN_SHARE)).fill_null(False)
    r = r.with_columns(pooled=pooled).with_columns(accepted=pl.col("accepted") | pl.col("pooled"))
    return r.select(*RELATIONS, *[pl.col(c).cast(t) for c, t in extra.items()])


def evaluate_share_base(num: pl.DataFrame) -> pl.DataFrame:
    """``share_base``: a 占比 row whose cell prints 100 % in one column (the base) gives the share of
    every other cell of the amount row above it in the base. The shares imply the base themselves:
    each percent p of an amount n puts it in [n_lo × 100 / p_hi, n_hi × 100 / p_lo]. Where every such
    interval meets one common range, each agreeing cell is a holding place; the printed base cell is
    one more place, holding when it lies in that range. So a 拨付 swapped with another row's, against
    which none of its 占比 is right any more, is still judged, by the shares printed beside it.

    Only rows whose shares all agree are candidates (one wrong share is the ``share_row`` family's
    break); the support bar (:func:`accept`) then asks three agreeing shares and three quarters.
    """
    keys = ["document_id", "table_id"]
    pct = num.filter(pl.col("kind") == "percent")
    amt = num.filter(pl.col("kind") == "amount")
    if pct.height == 0 or amt.height == 0:
        return _empty_places()
    # the 100 % cell of a percent row marks the base column
    base_col = pct.filter((pl.col("lo") <= 100.0) & (pl.col("hi") >= 100.0)).group_by(*keys, "row").agg(
        b_col=pl.col("col").min(), n100=pl.len()).filter(pl.col("n100") == 1).drop("n100")
    amount_rows = amt.select(*keys, pl.col("row").alias("a_row")).unique()
    pairs = (base_col.join(amount_rows, on=keys).filter(pl.col("a_row") < pl.col("row"))
             .group_by(*keys, "row", "b_col").agg(pl.col("a_row").max()))
    if pairs.height == 0:
        return _empty_places()
    shares = (
        pairs.join(pct.select(*keys, "row", "col", *_CELL[2:]), on=[*keys, "row"])
        .filter(pl.col("col") != pl.col("b_col"))
        .join(amt.select(*keys, pl.col("row").alias("a_row"), "col", pl.col("lo").alias("n_lo"),
                         pl.col("hi").alias("n_hi"), pl.col("base").alias("n_base")), on=[*keys, "a_row", "col"])
        .filter((pl.col("base") > 0) & (pl.col("n_base") > 0) & (pl.col("lo") > 0))
        .with_columns(d_lo=pl.col("n_lo") * 100.0 / pl.col("hi"), d_hi=pl.col("n_hi") * 100.0 / pl.col("lo"))
    )
    rel = pl.format("share_base:r{}=r{}/c{}", pl.col("row"), pl.col("a_row"), pl.col("b_col"))
    common = shares.group_by(*keys, "row", "a_row", "b_col").agg(
        D_lo=pl.col("d_lo").max(), D_hi=pl.col("d_hi").min(), n=pl.len()).filter(pl.col("D_lo") <= pl.col("D_hi"))
    if common.height == 0:
        return _empty_places()
    agree = shares.join(common, on=[*keys, "row", "a_row", "b_col"]).with_columns(
        rel_id=rel, family=pl.lit("share_base"), place=pl.col("col"), status=pl.lit("hold"),
        t_row=pl.col("row"), t_col=pl.col("col"), target=pl.col("b_col"),
        c_base=(pl.col("D_lo") + pl.col("D_hi")) / 2, c_lo=pl.col("D_lo"), c_hi=pl.col("D_hi"),
        labelled=pl.lit(False), parts_declared=pl.lit(False))
    base_cells = common.join(amt.select(*keys, pl.col("row").alias("a_row"), pl.col("col").alias("b_col"), *_CELL[2:]),
                             on=[*keys, "a_row", "b_col"])
    hold = overlaps(pl.col("lo"), pl.col("hi"), pl.col("D_lo"), pl.col("D_hi"))
    base = base_cells.with_columns(
        rel_id=rel, family=pl.lit("share_base"), place=pl.col("b_col"),
        status=pl.when(hold).then(pl.lit("hold")).otherwise(pl.lit("fail")),
        t_row=pl.col("a_row"), t_col=pl.col("b_col"), target=pl.col("b_col"),
        c_base=(pl.col("D_lo") + pl.col("D_hi")) / 2, c_lo=pl.col("D_lo"), c_hi=pl.col("D_hi"),
        labelled=pl.lit(False), parts_declared=pl.lit(False))
    return pl.concat([_select_places(agree), _select_places(base)])
