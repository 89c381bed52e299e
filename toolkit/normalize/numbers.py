"""Numbers as printed in Chinese government documents.

``parse_number`` reads one cell or one number-with-unit and keeps what the checks
need: the value, the printed precision (``decimals``), the printed unit and its scale
to the base unit, a comparison operator (targets such as ``≥85%``, ``不低于90%``) and
whether the figure was approximate (``1.2万余条``). Anything that is not a number
(blank, dash, a date like ``2023年12月31日前``, prose) returns ``None``: blank is not zero.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import cn2an

from toolkit.normalize.text import to_halfwidth

# unit as printed (normalised) -> (base unit, scale to base)
UNITS: dict[str, tuple[str | None, float]] = {
    "元": ("元", 1.0),
    "千元": ("元", 1e3),
    "万元": ("元", 1e4),
    "亿元": ("元", 1e8),
    "万": (None, 1e4),
    "亿": (None, 1e8),
    "%": ("%", 1.0),
    "‰": ("%", 0.1),
    "人": ("人", 1.0),
    "万人": ("人", 1e4),
    "人次": ("人次", 1.0),
    "万人次": ("人次", 1e4),
    "名": ("人", 1.0),
    "户": ("户", 1.0),
    "家": ("家", 1.0),
    "个": ("个", 1.0),
    "次": ("次", 1.0),
    "场次": ("次", 1.0),
    "件": ("件", 1.0),
    "份": ("份", 1.0),
    "条": ("条", 1.0),
    "批次": ("批次", 1.0),
    "辆": ("辆", 1.0),
    "台": ("台", 1.0),
    "天": ("天", 1.0),
    "日": ("天", 1.0),
    "个月": ("月", 1.0),
    "年": ("年", 1.0),
    "分": ("分", 1.0),
    "倍": ("倍", 1.0),
    "元/人": ("元/人", 1.0),
    "元/人·年": ("元/人", 1.0),
    "万元/人": ("元/人", 1e4),
}

_UNIT_ALIASES = {
    "萬元": "万元",
    "萬": "万",
    "億元": "亿元",
    "億": "亿",
    "百分比": "%",
    "％": "%",
    "人/次": "人次",
    "万人/次": "万人次",
}

# Longest first so that 万元 wins over 万 and 人次 over 人.
_UNIT_ALT = "|".join(
    re.escape(u) for u in sorted(list(UNITS) + list(_UNIT_ALIASES), key=len, reverse=True)
)

PREFIX_OPS: dict[str, str] = {
    "≥": ">=",
    ">=": ">=",
    "=>": ">=",
    "》": ">=",  # seen in a real 自评表 as a mistyped ≥
    "≧": ">=",
    "不低于": ">=",
    "不少于": ">=",
    "至少": ">=",
    "达到": ">=",
    "≤": "<=",
    "<=": "<=",
    "≦": "<=",
    "《": "<=",
    "不高于": "<=",
    "不超过": "<=",
    "不大于": "<=",
    "控制在": "<=",
    ">": ">",
    "大于": ">",
    "高于": ">",
    "超过": ">",
    "<": "<",
    "小于": "<",
    "低于": "<",
    "=": "=",
    "＝": "=",
}
SUFFIX_OPS: dict[str, str] = {
    "及以上": ">=",
    "以上": ">=",
    "及以下": "<=",
    "以下": "<=",
    "以内": "<=",
}
_PREFIX_ALT = "|".join(re.escape(p) for p in sorted(PREFIX_OPS, key=len, reverse=True))
_SUFFIX_ALT = "|".join(re.escape(p) for p in sorted(SUFFIX_OPS, key=len, reverse=True))

# Arabic number: thousands separators (comma or single space) only in groups of three.
ARABIC = r"[-−]?(?:\d{1,3}(?:[,，]\d{3})+|\d{1,3}(?: \d{3})+(?=\.\d|[^\d ]|$)|\d+)(?:\.\d+)?"
_CN_DIGITS = "零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟点"
CHINESE = rf"[{_CN_DIGITS}]+"

_CELL_RE = re.compile(
    rf"^(?:(?P<approx_pre>约|近|共|合计|计)\s*)?(?P<op>{_PREFIX_ALT})?\s*"
    rf"(?P<num>{ARABIC}|{CHINESE})\s*(?P<approx>余|多)?\s*(?P<unit>{_UNIT_ALT})?\s*"
    rf"(?P<approx2>余|多|左右)?\s*(?P<sop>{_SUFFIX_ALT})?$"
)
_DATE_RE = re.compile(r"^\d{4}\s*年(\s*\d{1,2}\s*月)?(\s*\d{1,2}\s*日)?")
_BLANK_MARKS = {"", "-", "—", "--", "——", "/", "／", "\\", "无", "空", "—/—", "*", "×", "…"}
_JUNK_TAIL = re.compile(r"[?\ufffd]+$")


@dataclass(slots=True, frozen=True)
class ParsedNumber:
    value: float
    decimals: int
    unit: str | None = None  # normalised printed unit (万元, 元, %, 人 ...)
    scale: float = 1.0  # printed unit -> base unit
    base_unit: str | None = None
    op: str | None = None  # >=, <=, >, <, =
    approx: bool = False
    raw: str = ""

    @property
    def is_percent(self) -> bool:
        return self.unit in ("%", "‰")

    @property
    def half_unit(self) -> float:
        """Half a unit of the last printed digit, in the printed unit."""
        return 0.5 * 10 ** (-self.decimals)

    @property
    def base_value(self) -> float:
        return self.value * self.scale


def normalise_unit(unit: str | None) -> str | None:
    if not unit:
        return None
    u = to_halfwidth(unit).strip()
    return _UNIT_ALIASES.get(u, u)


def unit_scale(unit: str | None) -> tuple[str | None, float]:
    u = normalise_unit(unit)
    if u is None:
        return None, 1.0
    return UNITS.get(u, (u, 1.0))


def _arabic_value(num: str) -> tuple[float, int]:
    s = num.replace(",", "").replace("，", "").replace(" ", "").replace("−", "-")
    decimals = len(s.split(".", 1)[1]) if "." in s else 0
    return float(s), decimals


def _chinese_value(num: str) -> tuple[float, int] | None:
    try:
        v = cn2an.cn2an(num, "smart")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    s = str(v)
    decimals = len(s.split(".", 1)[1]) if "." in s and not s.endswith(".0") else 0
    return float(v), decimals


def parse_number(raw: str | None, default_unit: str | None = None) -> ParsedNumber | None:
    """Parse a whole cell (or an extracted number phrase). ``None`` if it is not a number.

    ``default_unit`` (the table's 单位) applies when the cell prints no unit itself.
    """
    if raw is None:
        return None
    return _parse_cached(str(raw), default_unit)


@lru_cache(maxsize=200_000)  # cells repeat a lot across a corpus ("0", "100%", "≥85%")
def _parse_cached(raw: str, default_unit: str | None) -> ParsedNumber | None:
    text = to_halfwidth(str(raw)).strip()
    text = _JUNK_TAIL.sub("", text).strip()
    if text in _BLANK_MARKS:
        return None
    if _DATE_RE.match(text):
        return None
    compact = re.sub(r"\s+(?=[^\d])|(?<=[^\d])\s+", "", text)  # drop spaces next to non-digits
    m = _CELL_RE.match(compact)
    if not m:
        return None
    num = m.group("num")
    if re.fullmatch(CHINESE, num):
        if len(num) == 1 and num in "点":
            return None
        parsed = _chinese_value(num)
        if parsed is None:
            return None
        value, decimals = parsed
    else:
        value, decimals = _arabic_value(num)
    unit = normalise_unit(m.group("unit")) or normalise_unit(default_unit)
    base_unit, scale = unit_scale(unit)
    op = None
    if m.group("op"):
        op = PREFIX_OPS[m.group("op")]
    elif m.group("sop"):
        op = SUFFIX_OPS[m.group("sop")]
    approx = bool(m.group("approx") or m.group("approx2") or m.group("approx_pre") in ("约", "近"))
    return ParsedNumber(
        value=value,
        decimals=decimals,
        unit=unit,
        scale=scale,
        base_unit=base_unit,
        op=op,
        approx=approx,
        raw=str(raw),
    )
