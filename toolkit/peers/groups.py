"""Peer groups: whom a bureau-year is compared with, and leave-one-out statistics within a group.

A bureau-year is compared with the other bureaus of the same fiscal year in the narrowest group
that holds at least :data:`MIN_PEERS` *other* bureaus with the feature, tried in this order:

1. province × administrative level × size band;
2. province × administrative level;
3. administrative level × size band, all provinces;
4. administrative level, all provinces.

When none is large enough the feature is not compared (coverage: skipped). Level is 省/市/县
(``documents.level``: province / city / county, district and special zones); a bureau whose level
is unknown is never compared. The size band is read from 参保人数 (:data:`SIZE_BANDS`); a bureau
without it has no band and only the groups without band apply.

Statistics leave the bureau out: the median of the others and the MAD of the others about the
group median, read from the group's sorted values (a handful of order statistics per group), so
one pass is O(R log R) for R rows whatever the group sizes.
"""

from __future__ import annotations

import polars as pl

MIN_PEERS = 8
LEVEL_CLASS = {"province": "省", "city": "市", "county": "县", "district": "县", "other": "县"}
# 参保人数 thresholds (persons) of the 小/中/大 bands, per level
SIZE_BANDS: dict[str, tuple[float, float]] = {"县": (300_000, 800_000), "市": (3_000_000, 8_000_000),
                                              "省": (30_000_000, 80_000_000)}
TIERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("同省同级同规模", ("province", "level_class", "size_band")),
    ("同省同级", ("province", "level_class")),
    ("全国同级同规模", ("level_class", "size_band")),
    ("全国同级", ("level_class",)),
)


def with_group_keys(sizes: pl.DataFrame) -> pl.DataFrame:
    """Adds ``level_class`` (省/市/县, null when unknown) and ``size_band`` (小/中/大, null without 参保人数)."""
    lc = pl.col("level").replace_strict(LEVEL_CLASS, default=None, return_dtype=pl.String)
    x = sizes.with_columns(level_class=lc)
    lo = pl.col("level_class").replace_strict({k: v[0] for k, v in SIZE_BANDS.items()}, default=None,
                                              return_dtype=pl.Float64)
    hi = pl.col("level_class").replace_strict({k: v[1] for k, v in SIZE_BANDS.items()}, default=None,
                                              return_dtype=pl.Float64)
    return x.with_columns(size_band=pl.when(pl.col("insured").is_null() | lo.is_null()).then(pl.lit(None, pl.String))
                          .when(pl.col("insured") < lo).then(pl.lit("小"))
                          .when(pl.col("insured") < hi).then(pl.lit("中")).otherwise(pl.lit("大")))


def _order_stat(col: str, k: pl.Expr) -> pl.Expr:
    """The k-th smallest (0-based) of ``col`` within an aggregation; null when out of range."""
    return pl.col(col).sort().get(k.clip(0, pl.len() - 1).cast(pl.Int64), null_on_oob=True)


def loo_median(df: pl.DataFrame, keys: list[str], col: str, out: str) -> pl.DataFrame:
    """``out`` = median of ``col`` over the *other* rows of the row's group (null when alone).

    Removing the element of rank r from n sorted values leaves m = n − 1; the median of the
    rest is one or two of the order statistics k−1, k, k+1 (k = ⌊(m−1)/2⌋ or m/2), chosen by r.
    """
    ranked = df.with_columns(_r=(pl.col(col).rank("ordinal").over(keys) - 1).cast(pl.Int64))
    stats = df.group_by(keys).agg(
        _n=pl.len().cast(pl.Int64),
        _a=_order_stat(col, (pl.len() - 1) // 2 - 1), _b=_order_stat(col, (pl.len() - 1) // 2),
        _c=_order_stat(col, (pl.len() - 1) // 2 + 1), _d=_order_stat(col, (pl.len() - 1) // 2 + 2))
    x = ranked.join(stats, on=keys, how="left", nulls_equal=True)
    m = pl.col("_n") - 1
    # n even -> m odd: the rest's middle is rank k = (n−1)//2 of the rest: sorted[k] (_b) if r > k, else sorted[k+1] (_c)
    k_odd = (m - 1) // 2
    odd_rest = pl.when(pl.col("_r") <= k_odd).then(pl.col("_c")).otherwise(pl.col("_b"))
    # n odd -> m even: the mean of the rest's ranks k−1 and k (k = m/2): each is sorted[j] or sorted[j+1] by r
    k_even = m // 2
    lo = pl.when(pl.col("_r") <= k_even - 1).then(pl.col("_b")).otherwise(pl.col("_a"))
    hi = pl.when(pl.col("_r") <= k_even).then(pl.col("_c")).otherwise(pl.col("_b"))
    even_rest = (lo + hi) / 2
    n_even = (pl.col("_n") % 2) == 0
    res = pl.when(pl.col("_n") < 2).then(None).when(n_even).then(odd_rest).otherwise(even_rest)
    return x.with_columns(res.alias(out)).drop("_r", "_n", "_a", "_b", "_c", "_d")


def loo_centre(df: pl.DataFrame, keys: list[str], col: str, prefix: str) -> pl.DataFrame:
    """Adds ``{prefix}median`` (others' median), ``{prefix}mad`` (1.4826 × others' MAD about the group
    median) and ``{prefix}n`` (the number of others)."""
    x = df.with_columns(_gmed=pl.col(col).median().over(keys))
    x = x.with_columns(_dev=(pl.col(col) - pl.col("_gmed")).abs())
    x = loo_median(x, keys, col, f"{prefix}median")
    x = loo_median(x, keys, "_dev", "_loo_dev")
    return x.with_columns(pl.col("_loo_dev").mul(1.4826).alias(f"{prefix}mad"),
                          (pl.len().over(keys) - 1).cast(pl.Int64).alias(f"{prefix}n")).drop("_gmed", "_dev",
                                                                                              "_loo_dev")


def tiered_centre(df: pl.DataFrame, col: str, by: tuple[str, ...] = ("fiscal_year", "feature"),
                  min_peers: int = MIN_PEERS) -> pl.DataFrame:
    """For each row: the others' median/MAD in the narrowest tier with ≥ ``min_peers`` others.

    Adds ``tier`` (the Chinese name of the group, null when no tier is large enough), ``peer_median``,
    ``peer_mad``, ``peer_n`` and the group key columns used (``g_province``, ``g_level``, ``g_band``).
    Rows with a null key of a tier cannot use that tier.
    """
    x = df.with_row_index("_row")
    for t, (_name, cols) in enumerate(TIERS):
        keys = [*by, *cols]
        part = x.filter(pl.all_horizontal(pl.col(c).is_not_null() for c in cols))
        part = loo_centre(part, keys, col, f"_t{t}_").select("_row", f"_t{t}_median", f"_t{t}_mad", f"_t{t}_n")
        x = x.join(part, on="_row", how="left")
    tier = pl.lit(None, pl.String)
    med = mad = n = pl.lit(None, pl.Float64)
    for t in reversed(range(len(TIERS))):
        ok = pl.col(f"_t{t}_n").fill_null(0) >= min_peers
        tier = pl.when(ok).then(pl.lit(TIERS[t][0])).otherwise(tier)
        med = pl.when(ok).then(pl.col(f"_t{t}_median")).otherwise(med)
        mad = pl.when(ok).then(pl.col(f"_t{t}_mad")).otherwise(mad)
        n = pl.when(ok).then(pl.col(f"_t{t}_n").cast(pl.Float64)).otherwise(n)
    x = x.with_columns(tier=tier, peer_median=med, peer_mad=mad, peer_n=n.cast(pl.Int64))
    return x.drop([c for c in x.columns if c.startswith("_t")]).sort("_row").drop("_row")


def tier_columns(tier: str | None) -> tuple[str, ...]:
    return next((cols for name, cols in TIERS if name == tier), ())
