"""Digit tests over printed amounts, pooled where one bureau's numbers are too few.

Amounts are the printed figures of 决算 line items (``row_kind`` item, value > 0), each amount
counted once per bureau-year (the same figure repeated in the 03 and 05 表 is one number), read
from the printed digits (``raw_text``) so the test sees what was typed.

* first-two digits (10–99) against Benford, scored by Nigrini's mean absolute deviation (MAD) with
  his conformity classes (:data:`NIGRINI_FIRST_TWO`); pooled per province-year;
* last-two digits (00–99) against uniform, chi-square; per bureau-year;
* round numbers: the share of amounts whose last two printed digits are 00 against 1 %, binomial tail;
* duplicated amounts: the same figure of many digits printed by two different bureaus.

Each test has a small-sample guard (:data:`MIN_N`): below it the test is not run (coverage: skipped),
and every result carries N.
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl
from scipy import stats

from toolkit.checks.framework import get, per_frames
from toolkit.checks.peer_stats import unit_key

# Nigrini (2012), first-two digits test: MAD upper bounds of close / acceptable / marginal conformity
NIGRINI_FIRST_TWO: tuple[tuple[str, float], ...] = (("close", 0.0012), ("acceptable", 0.0018),
                                                     ("marginal", 0.0022))
CLASS_LABELS = {"close": "高度符合", "acceptable": "可接受", "marginal": "勉强可接受", "nonconformity": "不符合"}
MIN_N = {"first_two": 1000, "last_two": 300, "round": 50}
# below ~3,000 amounts chance alone pushes the MAD past Nigrini's bounds (expected 0.0025 at 1,000): the pool
# must also be this many times the MAD that sampling noise gives at its N
EXCESS_OVER_CHANCE = 1.8
P_FLAG = 1e-4  # last-two and round-number tests: one-sided tail probability that fires
ROUND_SHARE_FLAG = 0.05  # and at least 5 % of the amounts end in 00 (the null is 1 %)
DUPLICATE_MIN_DIGITS = 9  # a figure shared by two bureaus must have this many digits (1,234,567.89 元)

BENFORD_FIRST_TWO = np.log10(1 + 1 / np.arange(10, 100))


def nigrini_class(mad: float) -> str:
    for name, bound in NIGRINI_FIRST_TWO:
        if mad <= bound:
            return name
    return "nonconformity"


def digit_strings(raw: pl.Expr) -> pl.Expr:
    """The printed digits of an amount without separators, sign or leading zeros ('1,020.50' -> '102050')."""
    return raw.str.replace_all(r"[^0-9]", "").str.strip_chars_start("0")


@per_frames
def amounts(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """One row per distinct printed amount of a bureau-year: digits, value, where it was first printed."""
    docs = get(frames, "documents").select("document_id", unit_key().alias("bkey"), "bureau", "province",
                                           "region_code", "fiscal_year")
    li = get(frames, "line_items").filter((pl.col("row_kind") == "item") & (pl.col("value") > 0)
                                          & pl.col("raw_text").is_not_null() & (pl.col("table_type") != "dept_self_eval")
                                          & ~pl.col("raw_text").str.contains("%"))
    x = li.join(docs, on="document_id").with_columns(digits=digit_strings(pl.col("raw_text")))
    x = x.filter(pl.col("digits").str.len_chars() >= 2)
    return x.sort("document_id", "table_id", "row", "col").unique(["bkey", "fiscal_year", "digits"], keep="first",
                                                                   maintain_order=True).select(
        "bkey", "bureau", "province", "region_code", "fiscal_year", "document_id", "table_id", "page", "name",
        "raw_text", "unit", "digits")


def first_two_counts(digits: list[str] | pl.Series) -> np.ndarray:
    s = pl.Series(digits, dtype=pl.String)
    ft = s.filter(s.str.len_chars() >= 2).str.slice(0, 2).cast(pl.Int32)
    return np.bincount(ft.to_numpy() - 10, minlength=90)[:90].astype(float)


def first_two_test(counts: np.ndarray) -> dict:
    """MAD against Benford's first-two digits, its Nigrini class, and the chi-square tail (N shown)."""
    n = float(counts.sum())
    if n == 0:
        return {"n": 0, "mad": None, "class": None, "p": None}
    obs = counts / n
    mad = float(np.abs(obs - BENFORD_FIRST_TWO).mean())
    chi = float(((counts - n * BENFORD_FIRST_TWO) ** 2 / (n * BENFORD_FIRST_TWO)).sum())
    return {"n": int(n), "mad": mad, "class": nigrini_class(mad), "p": float(stats.chi2.sf(chi, 89))}


def last_two_counts(digits: list[str] | pl.Series) -> np.ndarray:
    s = pl.Series(digits, dtype=pl.String)
    lt = s.filter(s.str.len_chars() >= 4).str.slice(-2).cast(pl.Int32)
    return np.bincount(lt.to_numpy(), minlength=100)[:100].astype(float)


def last_two_test(counts: np.ndarray) -> dict:
    """Chi-square of the last two digits against uniform (99 df); amounts of ≥ 4 digits only."""
    n = float(counts.sum())
    if n == 0:
        return {"n": 0, "chi2": None, "p": None}
    chi = float(((counts - n / 100) ** 2 / (n / 100)).sum())
    return {"n": int(n), "chi2": chi, "p": float(stats.chi2.sf(chi, 99))}


def round_test(counts: np.ndarray) -> dict:
    """Share of amounts ending in 00 against 1 % (binomial upper tail)."""
    n = int(counts.sum())
    k = int(counts[0]) if n else 0
    return {"n": n, "k": k, "share": k / n if n else None,
            "p": float(stats.binom.sf(k - 1, n, 0.01)) if n else None}


def is_round_failure(r: dict) -> bool:
    return r["n"] >= MIN_N["round"] and r["p"] is not None and r["p"] < P_FLAG and (r["share"] or 0) >= ROUND_SHARE_FLAG


def is_last_two_failure(r: dict) -> bool:
    return r["n"] >= MIN_N["last_two"] and r["p"] is not None and r["p"] < P_FLAG


def is_first_two_failure(r: dict) -> bool:
    return (r["n"] >= MIN_N["first_two"] and r["class"] == "nonconformity"
            and r["mad"] >= EXCESS_OVER_CHANCE * expected_mad(r["n"]))


CORPUS_POOL = "各省合并"


def pools(am: pl.DataFrame) -> pl.DataFrame:
    """``pool``: the province, or :data:`CORPUS_POOL` for bureaus of provinces whose pool is below the guard
    (or unknown) that year — so a thin province is tested within the whole corpus, not skipped."""
    n = am.group_by("province", "fiscal_year").agg(pl.col("digits").len().alias("_n"))
    x = am.join(n, on=["province", "fiscal_year"], how="left", nulls_equal=True)
    return x.with_columns(pool=pl.when(pl.col("province").is_not_null() & (pl.col("_n") >= MIN_N["first_two"]))
                          .then(pl.col("province")).otherwise(pl.lit(CORPUS_POOL))).drop("_n")


def pooled_first_two(am: pl.DataFrame) -> list[dict]:
    """Per pool and year: the test, and per member bureau-year the pool's MAD without it."""
    out = []
    for (prov, year), g in pools(am).group_by(["pool", "fiscal_year"], maintain_order=True):
        total = first_two_counts(g["digits"])
        res = first_two_test(total)
        members = []
        for (bkey,), m in g.group_by(["bkey"], maintain_order=True):
            c = first_two_counts(m["digits"])
            rest = total - c
            members.append({"bkey": bkey, "n": int(c.sum()), "mad_without": first_two_test(rest)["mad"],
                            "mad_own": first_two_test(c)["mad"], "document_id": m["document_id"][0],
                            "documents": m["document_id"].unique().to_list(),
                            "bureau": m["bureau"][0]})
        out.append({"province": prov, "fiscal_year": year, **res, "members": members})
    return out


def duplicated(am: pl.DataFrame) -> pl.DataFrame:
    """Figures of ≥ :data:`DUPLICATE_MIN_DIGITS` digits, not ending in 00, printed by two or more bureaus
    with resolved regions; one row per (figure, bureau-year)."""
    long = am.filter((pl.col("digits").str.len_chars() >= DUPLICATE_MIN_DIGITS) & ~pl.col("digits").str.ends_with("00")
                     & pl.col("region_code").is_not_null())
    shared = long.group_by("digits").agg(pl.col("region_code").n_unique().alias("n_regions")).filter(
        pl.col("n_regions") >= 2)
    return long.join(shared, on="digits").sort("digits", "bkey", "fiscal_year")


def fmt_p(p: float | None) -> str:
    if p is None:
        return "—"
    return "<1e-12" if p < 1e-12 else f"{p:.1e}" if p < 0.001 else f"{p:.3f}"


def expected_mad(n: int) -> float:
    """Expected first-two MAD of a sample of ``n`` true-Benford amounts (sampling noise alone)."""
    p = BENFORD_FIRST_TWO
    return float(np.mean(np.sqrt(2 * p * (1 - p) / (math.pi * max(1, n)))))
