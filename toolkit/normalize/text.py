"""Text clean-up shared by loaders and extractors.

Full-width ASCII becomes half-width; Word artefacts (``[bookmark: _Toc…]``, field codes
such as ``PAGEREF _Toc25831 h 3``, ``错误!未定义书签。``), replacement characters and
page-number lines are removed. Chinese punctuation other than full-width ASCII
(、。〔〕“”) is kept: it carries meaning.
"""

from __future__ import annotations

import re
from functools import lru_cache

_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20  # ideographic space
_FULLWIDTH[0x00A0] = 0x20  # nbsp
_EXTRA = {
    "﹝": "〔",
    "﹞": "〕",
    "萬": "万",
    "億": "亿",
    "−": "-",
    "–": "-",
    "\u200b": "",
    "\ufeff": "",
}
_TRANS = str.maketrans({**{chr(k): chr(v) for k, v in _FULLWIDTH.items()}, **_EXTRA})

BOOKMARK_RE = re.compile(r"\[bookmark:[^\]]*\]")
FIELD_CODE_RE = re.compile(r"PAGEREF\s+_Toc\d+\s*\\?h?\s*\d*|错误[!！]\s*未定义书签[。.]?|HYPERLINK\s+\S+")
PAGE_NUMBER_LINE = re.compile(r"^\s*(?:[-—–]\s*\d{1,3}\s*[-—–]|第\s*\d{1,3}\s*页(?:\s*共\s*\d+\s*页)?|\d{1,3})\s*$")
REPLACEMENT_RUN = re.compile(r"[\ufffd]+|\?{3,}")
MARKDOWN_BOLD = re.compile(r"\*\*(.+?)\*\*")


def to_halfwidth(s: str) -> str:
    return s.translate(_TRANS)


@lru_cache(maxsize=200_000)
def clean_text(s: str) -> str:
    """Normalise one paragraph or cell for matching (keeps line breaks)."""
    s = to_halfwidth(s)
    s = BOOKMARK_RE.sub("", s)
    s = FIELD_CODE_RE.sub("", s)
    s = MARKDOWN_BOLD.sub(r"\1", s)
    s = REPLACEMENT_RUN.sub("", s)
    return s


_WS = re.compile(r"\s+")


@lru_cache(maxsize=200_000)
def _squash(s: str) -> str:
    return _WS.sub("", to_halfwidth(s))


def squash(s: str | None) -> str:
    """Remove all whitespace: PDF and Word wrap Chinese labels at arbitrary points."""
    return _squash(s) if s else ""


def is_page_artifact(line: str) -> bool:
    return bool(PAGE_NUMBER_LINE.match(line))
