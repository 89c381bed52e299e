"""Changing a printed number beyond rounding while keeping how it is printed.

A change of the leading digit moves a number by at least 10 % and by at least ten units of its
last printed digit, far beyond the ±½-unit rounding envelope of any sum of a table column.
"""

from __future__ import annotations

import math
import re

_DIGITS = re.compile(r"\d")
_NUMBER = re.compile(r"[-−]?\d[\d,，]*(?:\.\d+)?")


def number_part(raw: str) -> str | None:
    """The printed number inside ``raw`` ("1,234.50万元" -> "1,234.50")."""
    m = _NUMBER.search(raw or "")
    return m.group(0) if m else None


def significant_digits(num: str) -> int:
    digits = "".join(_DIGITS.findall(num)).lstrip("0")
    return len(digits)


def bump_leading(num: str) -> str | None:
    """Same-length number with its leading non-zero digit moved by one (9 -> 8); None when the
    number has fewer than two significant digits (the change could look like rounding)."""
    if significant_digits(num) < 2:
        return None
    for i, ch in enumerate(num):
        if ch.isdigit() and ch != "0":
            new = "8" if ch == "9" else str(int(ch) + 1)
            return num[:i] + new + num[i + 1:]
    return None


def decimals_of(num: str) -> int:
    return len(num.split(".", 1)[1]) if "." in num else 0


def value_of(num: str) -> float:
    return float(num.replace(",", "").replace("，", "").replace("−", "-"))


def format_like(value: float, like: str) -> str:
    """``value`` printed with the decimals and thousands separator of ``like``."""
    dec = decimals_of(like)
    text = f"{value:,.{dec}f}" if ("," in like or "，" in like) else f"{value:.{dec}f}"
    return text.replace(",", "，") if "，" in like else text


def over_100(num: str) -> str:
    """A rate above 100 % printed like ``num`` (95.6 -> 105.6, 88 -> 108)."""
    v = value_of(num)
    new = 100 + (v % 10 if v % 10 >= 1 else 5.0)
    return format_like(new, num)


def rounding_units(num: str) -> float:
    return 10.0 ** -decimals_of(num)


def shift_beyond(num: str, n_terms: int, *, down: bool) -> str | None:
    """``num`` moved by more than the rounding envelope of an ``n_terms`` sum (and by ≥ 2 units)."""
    unit = rounding_units(num)
    steps = max(2, math.ceil(n_terms / 2) + 1)
    v = value_of(num) + (-steps if down else steps) * unit
    if v < 0:
        return None
    return format_like(v, num)
