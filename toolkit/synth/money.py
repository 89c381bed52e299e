"""Exact money arithmetic for the generator: integers in hundredths of the printed unit.

Every amount is generated as an integer number of the last printed digit (0.01万元 or 0.01元)
and every total is an exact integer sum, so each identity holds at the printed precision.
Percentages are computed from the printed amounts and rounded half-up, as documents do.
"""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal

# value of one ledger unit in 元, per printed unit
QUANTUM_YUAN = {"万元": 100.0, "元": 0.01}


def to_ledger(yuan: float, unit: str) -> int:
    return max(0, int(round(yuan / QUANTUM_YUAN[unit])))


def to_yuan(v: int, unit: str) -> float:
    return v * QUANTUM_YUAN[unit]


def split_exact(total: int, weights: list[float]) -> list[int]:
    """Split an integer into parts proportional to ``weights`` that add up exactly (largest remainder)."""
    if total <= 0 or not weights:
        return [0] * len(weights)
    s = sum(weights)
    raw = [total * w / s for w in weights]
    parts = [int(x) for x in raw]
    rest = total - sum(parts)
    order = sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in order[:rest]:
        parts[i] += 1
    return parts


def jitter_weights(base: list[float], rng: random.Random, spread: float = 0.25) -> list[float]:
    return [max(0.0, w * rng.uniform(1 - spread, 1 + spread)) for w in base]


def pct(num: int | float, den: int | float, decimals: int = 2) -> Decimal | None:
    """num/den as a percentage rounded half-up to ``decimals`` (None when den is 0)."""
    if not den:
        return None
    q = Decimal(1).scaleb(-decimals)
    return (Decimal(num) * 100 / Decimal(den)).quantize(q, rounding=ROUND_HALF_UP)


def fmt_pct(p: Decimal | None, strip: bool = False) -> str:
    if p is None:
        return "0%"
    s = f"{p:f}"
    if strip and "." in s:
        s = s.rstrip("0").rstrip(".")
    return s + "%"


def fmt_amount(v: int, *, thousands: bool = False, strip: bool = False) -> str:
    """Ledger integer (hundredths) -> printed number: 1234567 -> '12345.67' / '12,345.67'."""
    sign = "-" if v < 0 else ""
    a = abs(v)
    whole, frac = divmod(a, 100)
    w = f"{whole:,}" if thousands else str(whole)
    f = f"{frac:02d}"
    if strip:
        f = f.rstrip("0")
        return f"{sign}{w}.{f}" if f else f"{sign}{w}"
    return f"{sign}{w}.{f}"


FULLWIDTH_DIGITS = str.maketrans("0123456789.%", "０１２３４５６７８９．％")


def to_fullwidth_digits(s: str) -> str:
    return s.translate(FULLWIDTH_DIGITS)
