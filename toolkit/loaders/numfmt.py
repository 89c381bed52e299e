"""Excel number formats -> the text Excel displays (``#,##0.00`` shows 362.61999999999995 as ``362.62``).

Used by both workbook loaders (:mod:`toolkit.loaders.xlsx`, :mod:`toolkit.loaders.xls`): a cell's
printed precision is evidence (it sets the tolerance of every check), so the text must be what
the file shows, not the float it stores.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import ROUND_HALF_UP, Decimal

BUILTIN_FORMATS: dict[int, str] = {
    0: "General",
    1: "0",
    2: "0.00",
    3: "#,##0",
    4: "#,##0.00",
    9: "0%",
    10: "0.00%",
    11: "0.00E+00",
    12: "# ?/?",
    13: "# ??/??",
    14: "yyyy-mm-dd",
    15: "d-mmm-yy",
    16: "d-mmm",
    17: "mmm-yy",
    18: "h:mm AM/PM",
    19: "h:mm:ss AM/PM",
    20: "h:mm",
    21: "h:mm:ss",
    22: "yyyy-mm-dd h:mm",
    37: "#,##0 ;(#,##0)",
    38: "#,##0 ;[Red](#,##0)",
    39: "#,##0.00;(#,##0.00)",
    40: "#,##0.00;[Red](#,##0.00)",
    41: '_(* #,##0_);_(* (#,##0);_(* "-"_);_(@_)',
    42: '_($* #,##0_);_($* (#,##0);_($* "-"_);_(@_)',
    43: '_(* #,##0.00_);_(* (#,##0.00);_(* "-"??_);_(@_)',
    44: '_($* #,##0.00_);_($* (#,##0.00);_($* "-"??_);_(@_)',
    45: "mm:ss",
    46: "[h]:mm:ss",
    47: "mm:ss.0",
    48: "##0.0E+0",
    49: "@",
    # Chinese-locale built-ins (dates)
    27: 'yyyy"年"m"月"',
    28: 'm"月"d"日"',
    29: 'm"月"d"日"',
    30: "m-d-yy",
    31: 'yyyy"年"m"月"d"日"',
    32: 'h"时"mm"分"',
    33: 'h"时"mm"分"ss"秒"',
    34: 'yyyy"年"m"月"',
    35: 'm"月"d"日"',
    36: 'yyyy"年"m"月"',
    50: 'yyyy"年"m"月"',
    51: 'm"月"d"日"',
    52: 'yyyy"年"m"月"',
    53: 'm"月"d"日"',
    54: 'm"月"d"日"',
    55: 'yyyy"年"m"月"',
    56: 'm"月"d"日"',
    57: 'yyyy"年"m"月"',
    58: 'm"月"d"日"',
}

_SECTION_PART = re.compile(r'"[^"]*"|\\.|;|[^";\\]+|.')
_BRACKETS = re.compile(r"\[[^\]]*\]")
_LITERAL = re.compile(r'"([^"]*)"|\\(.)|_.?|\*.?')
_DATE_CODES = re.compile(r"[ymdhs]", re.I)
_PLACEHOLDERS = re.compile(r"[0#?]")


def _sections(fmt: str) -> list[str]:
    """Split a format into its ;-separated sections (positive;negative;zero;text), quotes respected."""
    sections, current = [], ""
    for piece in _SECTION_PART.findall(fmt):
        if piece == ";":
            sections.append(current)
            current = ""
        else:
            current += piece
    sections.append(current)
    return sections[:4]


def _strip_literals(section: str) -> str:
    """The format codes without quoted text, escapes, _x spacers and *x fills."""
    return _LITERAL.sub("", _BRACKETS.sub("", section))


def is_date_format(fmt: str) -> bool:
    codes = _strip_literals(fmt.split(";")[0]).lower().replace("general", "")
    return bool(_DATE_CODES.search(codes)) and not _PLACEHOLDERS.search(codes)


def general(value: float) -> str:
    """Excel's General format: integers without decimals, at most 15 significant digits."""
    if value == 0:
        return "0"
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = f"{value:.15g}"
    if "e" in text:  # keep ordinary magnitudes out of scientific notation
        text = f"{value:.15f}".rstrip("0").rstrip(".") if 1e-9 < abs(value) < 1e15 else text
    return text


def excel_date(value: float, date1904: bool = False) -> dt.datetime:
    base = dt.datetime(1904, 1, 1) if date1904 else dt.datetime(1899, 12, 30)
    return base + dt.timedelta(days=value)


def format_date(value: float, fmt: str, date1904: bool = False) -> str:
    try:
        moment = excel_date(value, date1904)
    except (OverflowError, ValueError):
        return general(value)
    codes = _strip_literals(fmt).lower()
    has_day = "d" in codes
    has_time = "h" in codes or "s" in codes
    if "年" in fmt or "月" in fmt:
        text = f"{moment.year}年{moment.month}月" + (f"{moment.day}日" if has_day else "")
        if "y" not in codes:
            text = text.split("年", 1)[1]
    else:
        text = moment.strftime("%Y-%m-%d" if has_day else "%Y-%m")
    if has_time and "y" not in codes and "d" not in codes:
        return moment.strftime("%H:%M:%S" if "s" in codes else "%H:%M")
    if has_time:
        text += moment.strftime(" %H:%M")
    return text


def _literal_text(section: str) -> str:
    """The text a section prints around (or instead of) the number."""

    def lit(m: re.Match[str]) -> str:
        if m.group(1) is not None:
            return m.group(1)
        if m.group(2) is not None:
            return m.group(2)
        return ""  # _x spacer and *x fill print (almost) nothing in a printed table

    return _LITERAL.sub(lit, _BRACKETS.sub("", section))


def _fixed(value: float, decimals: int) -> str:
    """Round like Excel: on the 15-significant-digit decimal value, halves away from zero."""
    exact = Decimal(f"{value:.15g}")
    return f"{exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP):f}"


def _format_section(value: float, section: str) -> str:
    text = _literal_text(section)
    if "@" in text and not _PLACEHOLDERS.search(text):
        text = text.replace("@", "")
    spots = [m.start() for m in _PLACEHOLDERS.finditer(text)]
    if not spots:
        return text.strip()  # e.g. the zero section "-" of accounting formats
    first, last = spots[0], spots[-1]
    pattern = text[first : last + 1]
    prefix, suffix = text[:first], text[last + 1 :]
    if "E" in pattern.upper():
        return general(value)
    while suffix.startswith(","):  # thousands scaling: "0.0," shows thousands
        value /= 1000
        suffix = suffix[1:]
    if "%" in prefix + suffix:
        value *= 100
    int_part, _, dec_part = pattern.partition(".")
    max_dec = len(_PLACEHOLDERS.findall(dec_part))
    min_dec = dec_part.count("0")
    whole, _, frac = _fixed(abs(value), max_dec).partition(".")
    if max_dec > min_dec:  # "#" decimals print only when significant
        frac = frac.rstrip("0").ljust(min_dec, "0")
    dot = "." if frac else ""
    if "," in int_part:
        whole = f"{int(whole):,}"
    if whole == "0" and "0" not in int_part:
        whole = ""
    return f"{prefix}{whole}{dot}{frac}{suffix}".strip()


def format_number(value: float, fmt: str | None, date1904: bool = False) -> str:
    """``value`` as Excel displays it with number format ``fmt`` (a practical subset)."""
    if value is None or (isinstance(value, float) and (math.isnan(value) or math.isinf(value))):
        return ""
    fmt = (fmt or "General").strip()
    if fmt.lower() in ("general", "@", ""):
        return general(value)
    if is_date_format(fmt):
        return format_date(value, fmt, date1904)
    sections = _sections(fmt)
    try:
        if value < 0 and len(sections) >= 2 and sections[1].strip():
            return _format_section(-value, sections[1])
        if value == 0 and len(sections) >= 3 and sections[2].strip():
            return _format_section(0.0, sections[2])
        if _strip_literals(sections[0]).lower().strip() == "general":
            return ("-" if value < 0 else "") + general(abs(value))
        text = _format_section(abs(value), sections[0])
    except (ValueError, OverflowError):
        return general(value)
    if value < 0 and re.search(r"[1-9]", text):
        text = "-" + text
    return text
