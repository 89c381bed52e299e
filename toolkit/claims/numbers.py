"""Numbers printed in running text: value, printed decimals, unit, scale to a base unit, span.

Only figures a check can use are kept: money (元/万元/亿元, a bare 万 after an amount), rates (% and
个百分点) and counts (人, 人次, 户, 家, 个); years, dates, ordinals and numbers inside document numbers
(〔2021〕6号) are not figures. A money unit's scale turns the printed value into 元 so that amounts
printed in 元 and in 万元 compare directly (``toolkit.checks.tolerance`` works on base units).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# unit as printed -> (base unit, scale to the base unit)
UNITS: dict[str, tuple[str, float]] = {
    "亿元": ("元", 1e8), "万元": ("元", 1e4), "千元": ("元", 1e3), "元": ("元", 1.0),
    "亿": ("元", 1e8), "万": ("元", 1e4),
    "%": ("%", 1.0), "％": ("%", 1.0), "个百分点": ("pp", 1.0), "百分点": ("pp", 1.0),
    "万人次": ("人次", 1e4), "人次": ("人次", 1.0), "万人": ("人", 1e4), "人": ("人", 1.0),
    "户": ("户", 1.0), "家": ("家", 1.0), "个": ("个", 1.0), "名": ("人", 1.0),
}

# longest unit first so that 万元 wins over 万 and 人次 over 人
_UNIT_ALT = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
NUMBER = re.compile(
    r"(?<![\d.,A-Za-z])(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?\s*(?P<unit>" + _UNIT_ALT + r")?"
)
# what a figure must not be followed by (a date, a year, an ordinal, a document number, a per-unit rate's tail)
_NOT_A_FIGURE_AFTER = re.compile(r"^(?:年|月|日|号|〕|]|）号|季度|批|期|次会议|项|条|款|类|\s*[-－—~至]\s*\d)")
# a bare 万 that names a count of something else (万余份, 万人) is not money
_BARE_WAN_OK = re.compile(r"^(?:[，,。；;、）)\s]|$|左右|以上)")


@dataclass(frozen=True, slots=True)
class Num:
    value: float
    decimals: int
    unit: str  # as printed ("" when none)
    base_unit: str  # 元, %, pp, 人, 人次, 户, 家, 个 or "" for a bare number
    scale: float
    raw: str
    start: int  # span within the text it was read from
    end: int

    @property
    def base(self) -> float:
        return self.value * self.scale

    @property
    def is_money(self) -> bool:
        return self.base_unit == "元"

    @property
    def is_rate(self) -> bool:
        return self.base_unit in ("%", "pp")


def numbers(text: str) -> list[Num]:
    """The figures of ``text`` in order."""
    out: list[Num] = []
    for m in NUMBER.finditer(text):
        after = text[m.end():m.end() + 4]
        unit = m.group("unit") or ""
        if not unit and _NOT_A_FIGURE_AFTER.match(after):
            continue
        if unit in ("万", "亿") and not _BARE_WAN_OK.match(after):
            continue  # 2万余份, 4.5万余份: a count, not money
        if unit == "元" and after.startswith("/"):
            unit = "元/"  # a per-unit rate (元/人): kept as a rate of its own
        frac = m.group("frac") or ""
        num = m.group("num").replace(",", "")
        value = float(f"{num}.{frac}" if frac else num)
        if unit == "" and len(num) == 4 and not frac and 1990 <= value <= 2099:
            continue  # a year written without 年 (2021-2023)
        base_unit, scale = UNITS.get(unit, ("元/" if unit == "元/" else "", 1.0))
        out.append(Num(value, len(frac), unit, base_unit, scale, m.group(0).strip(), m.start(), m.end()))
    return out
