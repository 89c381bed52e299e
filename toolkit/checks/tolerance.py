"""Interval arithmetic from printed precision (the XBRL Calculations 1.1 idea).

A printed number ``v`` with ``d`` decimals stands for any true value in
``[v − h, v + h]`` with ``h = 0.5 × 10^−d`` (half a unit of its last printed digit),
expressed in its printed unit. Sums and differences add the intervals; a quotient
takes the min/max over the operand intervals. A relation is *violated* only when
the reported interval and the computed interval do not overlap: pure rounding is
never a finding.

Everything here works on base units (元, 人, %): ``value × scale``, so tables printed
in 元 and in 万元 compare directly. The helpers return Polars expressions so checks
can apply them to whole frames at once.
"""

from __future__ import annotations

import math

import polars as pl

# decimals assumed when a number's precision is unknown: integer printing is the widest
# common envelope, so an unknown precision never produces a spurious finding.
DEFAULT_DECIMALS = 0


def half_unit(decimals: pl.Expr, scale: pl.Expr) -> pl.Expr:
    """Half a unit of the last printed digit, in base units."""
    d = decimals.fill_null(DEFAULT_DECIMALS).cast(pl.Float64)
    return 0.5 * pl.lit(10.0).pow(-d) * scale.fill_null(1.0)


def base_value(value: pl.Expr, scale: pl.Expr) -> pl.Expr:
    return value * scale.fill_null(1.0)


def interval_exprs(prefix: str = "") -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """(base, lo, hi) of the printed numbers in the ``{prefix}value``/``decimals``/``scale`` columns, in base units."""
    s = pl.col(f"{prefix}scale")
    h = half_unit(pl.col(f"{prefix}decimals"), s)
    b = base_value(pl.col(f"{prefix}value"), s)
    return b, b - h, b + h


def with_interval(df: pl.DataFrame, prefix: str = "") -> pl.DataFrame:
    """Add ``{prefix}base``, ``{prefix}lo``, ``{prefix}hi`` from value/decimals/scale columns."""
    b, lo, hi = interval_exprs(prefix)
    return df.with_columns(b.alias(f"{prefix}base"), lo.alias(f"{prefix}lo"), hi.alias(f"{prefix}hi"))


def overlaps(lo1: pl.Expr, hi1: pl.Expr, lo2: pl.Expr, hi2: pl.Expr) -> pl.Expr:
    """True when [lo1, hi1] and [lo2, hi2] share a point (rounding can explain the gap)."""
    eps = 1e-9 * (hi1.abs() + hi2.abs() + 1.0)  # float noise on exact ties
    return (lo1 <= hi2 + eps) & (lo2 <= hi1 + eps)


def gap(lo1: pl.Expr, hi1: pl.Expr, lo2: pl.Expr, hi2: pl.Expr) -> pl.Expr:
    """Distance between two intervals (0 when they overlap)."""
    return pl.max_horizontal(pl.lit(0.0), lo1 - hi2, lo2 - hi1)


def ratio_bounds(n_lo: pl.Expr, n_hi: pl.Expr, d_lo: pl.Expr, d_hi: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """Bounds of n / d over the operand intervals; null when the denominator interval holds 0."""
    corners = [n_lo / d_lo, n_lo / d_hi, n_hi / d_lo, n_hi / d_hi]
    ok = (d_lo > 0) | (d_hi < 0)
    lo = pl.when(ok).then(pl.min_horizontal(corners))
    hi = pl.when(ok).then(pl.max_horizontal(corners))
    return lo, hi


# ---- scalar versions, for the few places that work on single values -----------------------


def interval(value: float, decimals: int | None, scale: float | None = 1.0) -> tuple[float, float]:
    s = 1.0 if scale is None else scale
    h = 0.5 * 10 ** (-(DEFAULT_DECIMALS if decimals is None else decimals)) * s
    return value * s - h, value * s + h


def scalar_overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    eps = 1e-9 * (abs(a[1]) + abs(b[1]) + 1.0)
    return a[0] <= b[1] + eps and b[0] <= a[1] + eps


def scalar_ratio(n: tuple[float, float], d: tuple[float, float]) -> tuple[float, float] | None:
    if d[0] <= 0 <= d[1]:
        return None
    c = [n[0] / d[0], n[0] / d[1], n[1] / d[0], n[1] / d[1]]
    return min(c), max(c)


def fmt_number(x: float | None, decimals: int = 2) -> str:
    """Format for a message: fixed decimals, trailing zeros kept (as printed tables do)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "（空）"
    if decimals >= 6:  # an exact value (assigned scores, synthetic zeros): shortest form
        return f"{x:.6f}".rstrip("0").rstrip(".")
    return f"{x:,.{max(decimals, 0)}f}".replace(",", "")
